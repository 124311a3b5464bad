// Visits by persona, touchpoint and hour of the week (HourOfWeekTally, a day in the life over
// every agent): they are the plain figures' visits and emotions split by the hour each visit
// started, in the calendar's weekdays, the same bits for any thread count.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/loader.h"
#include "scenarios/validate.h"
#include "sim/engine/calendar.h"
#include "sim/engine/calendar_summary.h"
#include "sim/model/compiled_calendar.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {
namespace {

struct Compiled {
  CompiledJourney journey;
  CompiledCalendar calendar;
};

Compiled compile_example(const std::string& file, std::int64_t days) {
  Diagnostics diagnostics;
  const auto s = load_valid_scenario(std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/" + file,
                                     diagnostics);
  EXPECT_TRUE(s) << diagnostics.to_string();
  if (!s) return {};
  Compiled c{compile(*s), {}};
  c.calendar = compile_calendar(*s, c.journey, days);
  return c;
}

Compiled compile_text(const std::string& text) {
  Diagnostics diagnostics;
  std::optional<Scenario> s = parse_scenario(text, "test.yaml", diagnostics);
  EXPECT_TRUE(s) << diagnostics.to_string();
  if (!s) return {};
  validate_scenario(*s, diagnostics);
  EXPECT_FALSE(diagnostics.has_errors()) << diagnostics.to_string();
  Compiled c{compile(*s), {}};
  c.calendar = compile_calendar(*s, c.journey);
  return c;
}

// Every visit the plain figures count (journeys started after the warm-up, censored ones as far
// as they went) is in the tally once, with the emotion the aggregate summed: the hours of each
// persona and touchpoint add up to its visits and its emotion sum exactly (fixed point).
TEST(CalendarHourOfWeek, HoursAddUpToThePlainVisitsAndEmotionOfEachPersonaAndTouchpoint) {
  const Compiled c = compile_example("bank_call_centre.yaml", 21);
  CalendarOptions options;
  options.replications = 2;
  options.warmup_days = 3;
  const CalendarRunResult result = run_calendar(c.journey, c.calendar, options);
  std::uint64_t checked = 0;
  for (const CalendarReplication& r : result.replications) {
    const HourOfWeekTally& t = r.hour_of_week;
    ASSERT_EQ(t.visits.size(), c.journey.persona_count() * c.journey.touchpoint_count() * 168);
    for (std::size_t p = 0; p < c.journey.persona_count(); ++p) {
      const TouchpointTallies& plain = r.aggregate.persona_tallies[p];
      for (std::size_t v = 0; v < c.journey.touchpoint_count(); ++v) {
        std::uint64_t visits = 0;
        BoundedSum emotion, emotion_sq;
        for (std::size_t h = 0; h < kHoursOfWeek; ++h) {
          visits += t.visits[t.cell(p, v, h)];
          emotion.merge(t.emotion[t.cell(p, v, h)]);
          emotion_sq.merge(t.emotion_sq[t.cell(p, v, h)]);
        }
        EXPECT_EQ(visits, plain.visits[v]) << "persona " << p << " touchpoint " << v;
        EXPECT_EQ(emotion.raw(), plain.emotion[v].raw());
        EXPECT_EQ(emotion_sq.raw(), plain.emotion_sq[v].raw());
        checked += visits;
      }
    }
  }
  EXPECT_GT(checked, 10000u);

  // The summary's rows: every persona and touchpoint with a visit, their sums over replications.
  const CalendarSummary s = summarize_calendar(c.journey, c.calendar, result);
  ASSERT_FALSE(s.hour_of_week.empty());
  for (const HourOfWeekRow& row : s.hour_of_week) {
    std::uint64_t plain = 0;
    for (const CalendarReplication& r : result.replications) {
      plain += r.aggregate.persona_tallies[row.persona].visits[row.touchpoint];
    }
    EXPECT_EQ(row.total(), plain);
    EXPECT_EQ(row.persona_id, c.journey.personas[row.persona].id);
    EXPECT_EQ(row.touchpoint_id, c.journey.touchpoint_ids[row.touchpoint]);
    for (std::size_t h = 0; h < kHoursOfWeek; ++h) {
      if (row.visits[h] == 0) {
        EXPECT_TRUE(std::isnan(row.mean_emotion[h]));
      } else {
        EXPECT_GE(row.mean_emotion[h], -1.0);
        EXPECT_LE(row.mean_emotion[h], 1.0);
      }
    }
  }
}

// Arrivals only on the calendar's Sundays between 14:00 and 15:00, with day 0 a Thursday; both
// touchpoints take no time, so every visit starts in hour 6 x 24 + 14 of the week (Monday
// first). Counting from day 0's weekday instead would put them on Wednesday.
TEST(CalendarHourOfWeek, VisitsStartInTheHourOfTheWeekTheyHappenedRespectingStartWeekday) {
  std::string hours = "[";
  for (int h = 0; h < 24; ++h) hours += std::string(h ? ", " : "") + (h == 14 ? "1" : "0");
  hours += "]";
  const Compiled c = compile_text(R"(name: Sunday afternoons
stages: [s]
touchpoints:
  - {id: door, stage: s, channel: c, entry_weight: 1, duration: 0}
  - {id: desk, stage: s, channel: c, duration: 0, conversion: {value: 1}}
transitions:
  - {from: door, to: desk, weight: 1}
calendar: {days: 28, arrivals_per_day: 50, weekday_profile: [0, 0, 0, 0, 0, 0, 1],
           hour_profile: )" + hours + R"(, start_weekday: thursday}
)");
  CalendarOptions options;
  const CalendarReplication r = simulate_calendar_replication(c.journey, c.calendar, options, 0);
  const HourOfWeekTally& t = r.hour_of_week;
  const std::size_t sunday_14 = 6 * 24 + 14;
  for (std::size_t v = 0; v < 2; ++v) {
    EXPECT_GT(t.visits[t.cell(0, v, sunday_14)], 500u);
    EXPECT_EQ(t.visits[t.cell(0, v, sunday_14)], r.aggregate.persona_tallies[0].visits[v]);
  }
  std::uint64_t elsewhere = 0;
  for (std::size_t h = 0; h < kHoursOfWeek; ++h) {
    if (h != sunday_14) elsewhere += t.visits[t.cell(0, 0, h)] + t.visits[t.cell(0, 1, h)];
  }
  EXPECT_EQ(elsewhere, 0u);
}

// A visit is dated by its start, not its end: a desk open 09:00-10:00 on weekdays only holds its
// agents until then, and its visits of two hours all start at 09:00 on a weekday.
TEST(CalendarHourOfWeek, AVisitCountsInTheHourItStartedWhenTheTouchpointOpens) {
  const Compiled c = compile_text(R"(name: Morning desk
stages: [s]
touchpoints:
  - {id: desk, stage: s, channel: c, entry_weight: 1, conversion: {value: 0}, duration: 2,
     opening_hours: {weekdays: ["09:00-10:00"]}}
calendar: {days: 21, arrivals_per_day: 40, start_weekday: saturday}
)");
  CalendarOptions options;
  const CalendarReplication r = simulate_calendar_replication(c.journey, c.calendar, options, 0);
  const HourOfWeekTally& t = r.hour_of_week;
  std::uint64_t at_nine = 0;
  for (std::size_t h = 0; h < kHoursOfWeek; ++h) {
    const std::uint64_t n = t.visits[t.cell(0, 0, h)];
    if (h % 24 == 9 && h / 24 < 5) {
      EXPECT_GT(n, 0u) << "hour of the week " << h;
      at_nine += n;
    } else {
      EXPECT_EQ(n, 0u) << "hour of the week " << h;
    }
  }
  EXPECT_EQ(at_nine, r.aggregate.persona_tallies[0].visits[0]);
}

TEST(CalendarHourOfWeek, TheSameSeedGivesTheSameTalliesForAnyThreadCount) {
  const Compiled c = compile_example("bank_call_centre.yaml", 14);
  std::vector<CalendarRunResult> runs;
  for (const unsigned threads : {1u, 2u, 3u}) {
    CalendarOptions options;
    options.replications = 3;
    options.threads = threads;
    options.warmup_days = 1;
    runs.push_back(run_calendar(c.journey, c.calendar, options));
  }
  std::vector<CalendarSummary> summaries;
  for (const CalendarRunResult& run : runs) {
    summaries.push_back(summarize_calendar(c.journey, c.calendar, run));
  }
  for (std::size_t k = 1; k < runs.size(); ++k) {
    for (std::size_t r = 0; r < 3; ++r) {
      EXPECT_EQ(runs[0].replications[r].hour_of_week, runs[k].replications[r].hour_of_week);
    }
    ASSERT_EQ(summaries[0].hour_of_week.size(), summaries[k].hour_of_week.size());
    for (std::size_t i = 0; i < summaries[0].hour_of_week.size(); ++i) {
      EXPECT_EQ(summaries[0].hour_of_week[i].visits, summaries[k].hour_of_week[i].visits);
      for (std::size_t h = 0; h < kHoursOfWeek; ++h) {
        const double a = summaries[0].hour_of_week[i].mean_emotion[h];
        const double b = summaries[k].hour_of_week[i].mean_emotion[h];
        EXPECT_TRUE((std::isnan(a) && std::isnan(b)) || a == b);
      }
    }
  }
}

}  // namespace
}  // namespace cjsim
