// The lives the calendar engine traces for a day in the life (CalendarOptions::
// traced_per_persona): tracing changes no figure, the same lives whatever the threads, each life
// runs forward from its arrival, and a stored file gives them back.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "tests/calendar_example_run.h"
#include "reports/render/calendar_report.h"
#include "reports/store/calendar_file.h"
#include "scenarios/validate.h"
#include "sim/engine/calendar.h"
#include "sim/engine/calendar_summary.h"

namespace cjsim {
namespace {

using test::options_of;
using test::Simulated;
using test::simulate;

// The trace only reads the run: the same figures, to the bit, with and without it, and the same
// lives whatever the threads.
TEST(CalendarTrace, TracingAgentsChangesNoFigure) {
  const Simulated plain = simulate("bank_call_centre_word_of_mouth.yaml", 20, 2, 0);
  const Simulated traced = simulate("bank_call_centre_word_of_mouth.yaml", 20, 2, 5);
  EXPECT_TRUE(plain.summary.trace.empty());
  EXPECT_FALSE(traced.summary.trace.empty());
  EXPECT_EQ(calendar_summary_json(plain.summary, 0.0).dump(),
            calendar_summary_json(traced.summary, 0.0).dump());
  for (std::size_t r = 0; r < plain.result.replications.size(); ++r) {
    EXPECT_EQ(plain.result.replications[r].events, traced.result.replications[r].events);
  }
  CalendarOptions one_thread = options_of(2, 5);
  one_thread.threads = 1;
  const CalendarRunResult again = run_calendar(traced.journey, traced.calendar, one_thread);
  ASSERT_EQ(again.replications[0].trace.size(), traced.summary.trace.size());
  for (std::size_t i = 0; i < traced.summary.trace.size(); ++i) {
    EXPECT_EQ(again.replications[0].trace[i].hours, traced.summary.trace[i].hours);
    EXPECT_EQ(again.replications[0].trace[i].emotion, traced.summary.trace[i].emotion);
  }
}

// Each traced life starts where its agent arrived, runs forward in time, and each of its visits
// starts after the agent reached the touchpoint and ends after it started.
TEST(CalendarTrace, ALifeRunsForwardFromItsArrival) {
  const Simulated s = simulate("bank_call_centre.yaml", 10, 1, 3);
  ASSERT_EQ(s.summary.traced.size(), 3 * s.journey.personas.size());
  std::vector<std::uint32_t> per_persona(s.journey.personas.size());
  for (const TracedAgent& a : s.summary.traced) {
    ++per_persona.at(a.persona);
    EXPECT_GE(a.arrived_hours, 24.0);  // after the warm-up day
  }
  for (std::uint32_t count : per_persona) EXPECT_EQ(count, 3u);
  for (std::uint32_t a = 0; a < s.summary.traced.size(); ++a) {
    std::vector<const TraceStep*> life;
    for (const TraceStep& step : s.summary.trace) {
      if (step.agent == a) life.push_back(&step);
    }
    ASSERT_FALSE(life.empty());
    EXPECT_EQ(life.front()->kind, TraceKind::reach);
    EXPECT_EQ(life.front()->hours, s.summary.traced[a].arrived_hours);
    double reached = 0.0, started = 0.0;
    for (std::size_t i = 0; i < life.size(); ++i) {
      if (i > 0) {
        EXPECT_GE(life[i]->hours, life[i - 1]->hours);
      }
      if (life[i]->kind == TraceKind::reach) reached = life[i]->hours;
      if (life[i]->kind == TraceKind::visit_start) {
        started = life[i]->hours;
        EXPECT_GE(started, reached);
      }
      if (life[i]->kind == TraceKind::visit_end) {
        EXPECT_GE(life[i]->hours, started);
      }
    }
  }
}

TEST(CalendarTrace, AStoredRunGivesItsLivesBack) {
  const Simulated s = simulate("bank_call_centre.yaml", 5, 2, 4);
  const std::string path = test::stored(s, "calendar-trace");
  std::vector<std::string> warnings;
  const CalendarSummary read = read_calendar_file(path, warnings).summaries.at(0);
  ASSERT_EQ(read.traced.size(), s.summary.traced.size());
  for (std::size_t i = 0; i < read.traced.size(); ++i) {
    EXPECT_EQ(read.traced[i].organic, s.summary.traced[i].organic);
    EXPECT_EQ(read.traced[i].persona, s.summary.traced[i].persona);
    EXPECT_EQ(read.traced[i].arrived_hours, s.summary.traced[i].arrived_hours);
  }
  ASSERT_EQ(read.trace.size(), s.summary.trace.size());
  for (std::size_t i = 0; i < read.trace.size(); ++i) {
    const TraceStep& a = read.trace[i];
    const TraceStep& b = s.summary.trace[i];
    EXPECT_EQ(a.agent, b.agent);
    EXPECT_EQ(a.journey, b.journey);
    EXPECT_EQ(a.kind, b.kind);
    EXPECT_EQ(a.touchpoint, b.touchpoint);
    EXPECT_EQ(a.hours, b.hours);
    EXPECT_EQ(a.emotion, b.emotion);
  }
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace cjsim
