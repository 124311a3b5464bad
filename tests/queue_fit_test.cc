// Queues learnt from lifecycle transitions: waits, abandonment, patience and busy servers on a
// hand-counted log read as CSV, the patience of a simulated log with known patience recovered
// within its standard errors, and a log without lifecycle transitions giving no queue.
#include "models/fit/queue_fit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "models/observed/event_log.h"
#include "models/observed/xes_reader.h"
#include "tests/scratch.h"

namespace cjsim {
namespace {

ObservedJourneys read(const std::string& text, bool lifecycle_events, bool completions = true) {
  std::istringstream in(text);
  EventLogColumns columns;
  if (completions) columns.lifecycles = {"complete"};
  columns.lifecycle_events = lifecycle_events;
  Diagnostics diagnostics;
  std::optional<ObservedJourneys> journeys = read_event_log(in, "log.csv", columns, diagnostics);
  EXPECT_TRUE(journeys) << diagnostics.to_string();
  return journeys ? std::move(*journeys) : ObservedJourneys{};
}

// Monday 2024-01-01. c1 and c2 wait 1 h and 2 h for the desk and are served 0.5 h and 1 h;
// c3 is queued at 09:30 and never started, its last event (a letter) at 13:30: it waited 4 h;
// c4 is withdrawn after 0.75 h. c5 has two instances of the desk (concept:instance x, y): y,
// queued later, is started first, so x waits 1 h and y 10 minutes (first unmatched in order
// would have said 20 and 50 minutes).
constexpr const char* kHandLog =
    "customer,timestamp,touchpoint,lifecycle:transition,concept:instance\n"
    "c1,2024-01-01T09:00:00Z,desk,schedule,\n"
    "c1,2024-01-01T10:00:00Z,desk,start,\n"
    "c1,2024-01-01T10:30:00Z,desk,complete,\n"
    "c2,2024-01-01T09:00:00Z,desk,schedule,\n"
    "c2,2024-01-01T12:00:00Z,desk,complete,\n"  // out of order in the file: sorted by time
    "c2,2024-01-01T11:00:00Z,desk,start,\n"
    "c3,2024-01-01T09:30:00Z,desk,schedule,\n"
    "c3,2024-01-01T13:30:00Z,letter,complete,\n"
    "c4,2024-01-01T10:00:00Z,desk,schedule,\n"
    "c4,2024-01-01T10:45:00Z,desk,withdraw,\n"
    "c4,2024-01-01T10:50:00Z,letter,complete,\n"
    "c5,2024-01-01T14:00:00Z,desk,schedule,x\n"
    "c5,2024-01-01T14:10:00Z,desk,schedule,y\n"
    "c5,2024-01-01T14:20:00Z,desk,start,y\n"
    "c5,2024-01-01T14:40:00Z,desk,complete,y\n"
    "c5,2024-01-01T15:00:00Z,desk,start,x\n"
    "c5,2024-01-01T15:30:00Z,desk,complete,x\n";

TEST(QueueFit, HandCountedWaitsAbandonmentPatienceAndServers) {
  const ObservedJourneys data = read(kHandLog, true);
  // The visits are the completions only, as --lifecycle complete keeps them.
  std::uint64_t visits = 0;
  for (const ObservedPath& p : data.paths) visits += p.touchpoints.size() * p.count;
  EXPECT_EQ(visits, 6u);
  EXPECT_EQ(data.lifecycle_events.size(), 17u);

  const std::vector<QueueFit> queues = fit_queues(data);
  ASSERT_EQ(queues.size(), 1u);  // the letter is never queued
  const QueueFit& q = queues[0];
  EXPECT_EQ(q.touchpoint, "desk");
  EXPECT_EQ(q.queued, 6u);
  EXPECT_EQ(q.served, 4u);
  EXPECT_EQ(q.abandoned, 2u);
  EXPECT_DOUBLE_EQ(q.abandonment_share, 2.0 / 6.0);
  // Served waits 1, 2, 1/6 and 1 hours.
  EXPECT_NEAR(q.mean_wait_hours, (1.0 + 2.0 + 1.0 / 6.0 + 1.0) / 4.0, 1e-12);
  EXPECT_NEAR(q.p90_wait_hours, 2.0, 1e-12);
  // Exposure: the served waits and the abandoned's 4 h and 0.75 h.
  const double waited = 1.0 + 2.0 + 1.0 / 6.0 + 1.0 + 4.0 + 0.75;
  EXPECT_NEAR(q.total_wait_hours, waited, 1e-12);
  ASSERT_TRUE(q.patience_fitted);
  EXPECT_NEAR(q.patience_hours, waited / 2.0, 1e-12);
  EXPECT_NEAR(q.patience_se, waited / 2.0 / std::sqrt(2.0), 1e-12);
  // Garwood: 2W / chi2(0.975; 2D + 2) and 2W / chi2(0.025; 2D), D = 2 (tables: 14.449375,
  // 0.4844186).
  EXPECT_NEAR(q.patience_low, 2.0 * waited / 14.449375335, 1e-6);
  EXPECT_NEAR(q.patience_high, 2.0 * waited / 0.484418557, 1e-5);
  // Services 0.5, 1, 1/3 and 0.5 hours.
  EXPECT_EQ(q.services, 4u);
  EXPECT_NEAR(q.mean_service_hours, (0.5 + 1.0 + 1.0 / 3.0 + 0.5) / 4.0, 1e-12);
  // One day, a Monday: busy 0.5 at 10:00, 1 at 11:00, 1/3 at 14:00, 0.5 at 15:00; one server
  // in each of those hours (a service started there in every Monday of the span), none else.
  EXPECT_EQ(q.span_days, 1u);
  for (int slot = 0; slot < kHoursPerWeek; ++slot) {
    const double busy = slot == 10   ? 0.5
                        : slot == 11 ? 1.0
                        : slot == 14 ? 1.0 / 3.0
                        : slot == 15 ? 0.5
                                     : 0.0;
    EXPECT_NEAR(q.busy[slot], busy, 1e-12) << slot;
    EXPECT_EQ(q.servers[slot], busy > 0.0 ? 1 : 0) << slot;
  }
  EXPECT_EQ(q.capacity, 1);

  const Resource resource = resource_of(q, "desk_servers");
  EXPECT_EQ(resource.capacity, 1);
  ASSERT_TRUE(resource.schedule);
  EXPECT_EQ((*(*resource.schedule)[0])[11], 1);
  EXPECT_EQ((*(*resource.schedule)[0])[12], 0);
}

// XES: the lifecycle extension's transitions and concept:instance, in any case, while
// --lifecycle complete keeps one visit per activity.
TEST(QueueFit, XesTransitionsAndInstancesPairAsInCsv) {
  const std::string path = testing::scratch_directory() + "queues.xes";
  const auto event = [](const char* instance, const char* transition, const char* time) {
    return std::string("<event><string key=\"concept:name\" value=\"desk\"/>") +
           "<string key=\"concept:instance\" value=\"" + instance + "\"/>" +
           "<string key=\"lifecycle:transition\" value=\"" + transition + "\"/>" +
           "<date key=\"time:timestamp\" value=\"2024-01-01T" + time + ":00.000+01:00\"/></event>";
  };
  std::ofstream(path) << "<log><trace><string key=\"concept:name\" value=\"c5\"/>"
                      << event("x", "SCHEDULE", "14:00") << event("y", "schedule", "14:10")
                      << event("y", "start", "14:20") << event("y", "complete", "14:40")
                      << event("x", "start", "15:00") << event("x", "complete", "15:30")
                      << "</trace></log>";
  EventLogColumns columns;
  columns.lifecycles = {"complete"};
  columns.lifecycle_events = true;
  Diagnostics diagnostics;
  const std::optional<ObservedJourneys> data = read_xes_file(path, columns, diagnostics);
  ASSERT_TRUE(data) << diagnostics.to_string();
  EXPECT_EQ(data->paths.at(0).touchpoints.size(), 2u);  // the two completions
  const std::vector<QueueFit> queues = fit_queues(*data);
  ASSERT_EQ(queues.size(), 1u);
  EXPECT_EQ(queues[0].served, 2u);
  EXPECT_NEAR(queues[0].mean_wait_hours, (1.0 + 1.0 / 6.0) / 2.0, 1e-12);
  // On the log's own clock (+01:00): Monday 14:00 and 15:00.
  EXPECT_NEAR(queues[0].busy[14], 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(queues[0].busy[15], 0.5, 1e-12);
}

TEST(QueueFit, NoAbandonmentLeavesThePatienceUnfittedAndSaysSo) {
  const ObservedJourneys data = read(
      "customer,timestamp,touchpoint,lifecycle:transition\n"
      "c1,2024-01-01T09:00:00Z,desk,schedule\n"
      "c1,2024-01-01T10:00:00Z,desk,start\n"
      "c1,2024-01-01T10:30:00Z,desk,complete\n",
      true);
  const std::vector<QueueFit> queues = fit_queues(data);
  ASSERT_EQ(queues.size(), 1u);
  EXPECT_EQ(queues[0].abandoned, 0u);
  EXPECT_FALSE(queues[0].patience_fitted);
  EXPECT_NE(queues[0].patience_note.find("unbounded"), std::string::npos);
}

TEST(QueueFit, LogsWithoutLifecycleTransitionsOrWithoutTheRequestHaveNoQueue) {
  const ObservedJourneys plain = read(
      "customer,timestamp,touchpoint\nc1,2024-01-01T09:00:00Z,desk\n"
      "c1,2024-01-01T10:00:00Z,letter\n",
      true, false);
  EXPECT_TRUE(plain.lifecycle_events.empty());
  EXPECT_TRUE(fit_queues(plain).empty());
  const ObservedJourneys unasked = read(kHandLog, false);
  EXPECT_TRUE(unasked.lifecycle_events.empty());
  EXPECT_TRUE(unasked.lifecycle_activities.empty());
  EXPECT_TRUE(fit_queues(unasked).empty());
}

// Exponential patience of mean 2 h against exponential times to service of mean 1.5 h: the
// MLE lands within 3 standard errors of 2, and the 95% interval holds it.
TEST(QueueFit, RecoversAKnownPatienceWithinItsStandardErrors) {
  std::mt19937_64 random(20261207);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const auto exponential = [&](double mean) { return -mean * std::log1p(-uniform(random)); };
  const double patience_mean = 2.0;
  ObservedJourneys data;
  data.lifecycle_activities = {"desk", "letter"};
  const double monday = 19723.0 * 86400.0;
  for (std::uint32_t c = 0; c < 4000; ++c) {
    const double queued = monday + 3600.0 * 24.0 * uniform(random) * 28.0;
    const double patience = exponential(patience_mean), service = exponential(1.5);
    const auto add = [&](std::uint32_t activity, LifecycleTransition t, double hours) {
      const double at = queued + 3600.0 * hours;
      data.lifecycle_events.push_back({c, activity, t, "", at, at});
    };
    add(0, LifecycleTransition::schedule, 0.0);
    if (patience < service) {
      add(1, LifecycleTransition::complete, patience);  // the case goes on without the desk
    } else {
      add(0, LifecycleTransition::start, service);
      add(0, LifecycleTransition::complete, service + 0.25);
    }
  }
  const std::vector<QueueFit> queues = fit_queues(data);
  ASSERT_EQ(queues.size(), 1u);
  const QueueFit& q = queues[0];
  ASSERT_TRUE(q.patience_fitted);
  // Abandonment share: P(patience < service) = 1.5 / (1.5 + 2) for these exponentials.
  EXPECT_NEAR(q.abandonment_share, 1.5 / 3.5, 3.0 * std::sqrt(0.25 / 4000.0));
  EXPECT_LT(std::abs(q.patience_hours - patience_mean), 3.0 * q.patience_se)
      << q.patience_hours << " +- " << q.patience_se;
  EXPECT_LT(q.patience_low, patience_mean);
  EXPECT_GT(q.patience_high, patience_mean);
  EXPECT_NEAR(q.mean_service_hours, 0.25, 1e-9);
}

}  // namespace
}  // namespace cjsim
