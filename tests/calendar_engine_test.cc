// The calendar engine against exact results (sim/model/MODEL.md 2.8): the Erlang-A queue,
// Little's law, the branching process of word of mouth, the geometric number of returns,
// arrivals that follow their profiles, the plain model agent by agent when nothing interacts,
// and the same bits for any number of threads.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "scenarios/loader.h"
#include "scenarios/validate.h"
#include "sim/engine/calendar.h"
#include "sim/engine/calendar_comparison.h"
#include "sim/engine/calendar_summary.h"
#include "sim/model/agent.h"
#include "sim/model/compiled_calendar.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {
namespace {

struct Compiled {
  Scenario scenario;
  CompiledJourney journey;
  CompiledCalendar calendar;
};

Compiled compile_text(const std::string& text) {
  Diagnostics diagnostics;
  std::optional<Scenario> s = parse_scenario(text, "test.yaml", diagnostics);
  EXPECT_TRUE(s) << diagnostics.to_string();
  if (!s) return {};
  validate_scenario(*s, diagnostics);
  EXPECT_FALSE(diagnostics.has_errors()) << diagnostics.to_string();
  Compiled c{*s, compile(*s), {}};
  c.calendar = compile_calendar(c.scenario, c.journey);
  return c;
}

struct NullObserver {
  void start(std::uint32_t) {}
  void visit(std::uint32_t, double) {}
  void convert(std::uint32_t) {}
  void transition(std::uint32_t) {}
  void finish(const AgentOutcome&) {}
};

// --- Erlang-A -------------------------------------------------------------------------------

struct ErlangA {
  double abandon = 0, wait = 0, queue = 0, utilisation = 0;
};

// The birth-death chain of M/M/c+M (MODEL.md 2.8), truncated where the terms vanish.
ErlangA erlang_a(double lambda, double mu, double theta, int c) {
  std::vector<double> p{1.0};
  for (int n = 1; n < 5000; ++n) {
    const double death = std::min(n, c) * mu + std::max(n - c, 0) * theta;
    p.push_back(p.back() * lambda / death);
    if (p.back() < 1e-300) break;
  }
  double total = 0;
  for (double x : p) total += x;
  double queue = 0;
  for (std::size_t n = 0; n < p.size(); ++n) {
    queue += std::max(static_cast<double>(n) - c, 0.0) * p[n] / total;
  }
  ErlangA out;
  out.queue = queue;
  out.abandon = theta * queue / lambda;
  out.wait = queue / lambda;
  out.utilisation = lambda * (1 - out.abandon) / (c * mu);
  return out;
}

std::string erlang_journey(double lambda, double mu, double theta, int c, int days) {
  return fmt::format(R"(name: Erlang-A
stages: [service]
touchpoints:
  - {{id: desk, stage: service, channel: phone, entry_weight: 1, conversion: {{value: 1}},
     duration: {{exponential: {}}}, resource: servers, patience_hours: {}}}
calendar: {{days: {}, arrivals_per_day: {}}}
resources:
  - {{id: servers, capacity: {}}}
)",
                     1.0 / mu, 1.0 / theta, days, lambda * 24.0, c);
}

// The mean of the replications' values and its standard error.
struct Sample {
  double mean = 0, se = 0;
};
template <class Value>
Sample sample(const CalendarRunResult& result, Value value) {
  std::vector<double> xs;
  for (const CalendarReplication& r : result.replications) xs.push_back(value(r));
  double mean = 0;
  for (double x : xs) mean += x;
  mean /= xs.size();
  double squares = 0;
  for (double x : xs) squares += (x - mean) * (x - mean);
  return {mean, std::sqrt(squares / (xs.size() - 1) / xs.size())};
}

// Within five standard errors of the replications, or 1% of the exact value (the warm-up and
// the run's end leave a bias far below that).
void expect_near_exact(const Sample& s, double exact, const char* what) {
  const double tolerance = 5 * s.se + 0.01 * std::abs(exact) + 1e-4;
  EXPECT_NEAR(s.mean, exact, tolerance) << what << " (se " << s.se << ")";
}

TEST(CalendarEngine, ErlangAQueueMatchesItsClosedForm) {
  const struct {
    double lambda, mu, theta;
    int c;
  } cases[] = {{4.0, 1.0, 0.5, 3}, {9.0, 2.0, 1.0, 4}, {2.0, 1.5, 2.0, 1}, {20.0, 1.0, 0.2, 18}};
  for (const auto& k : cases) {
    SCOPED_TRACE(fmt::format("lambda {} mu {} theta {} c {}", k.lambda, k.mu, k.theta, k.c));
    const Compiled c = compile_text(erlang_journey(k.lambda, k.mu, k.theta, k.c, 220));
    CalendarOptions options;
    options.replications = 8;
    options.seed = 11;
    options.warmup_days = 20;
    const CalendarRunResult result = run_calendar(c.journey, c.calendar, options);
    const ErlangA exact = erlang_a(k.lambda, k.mu, k.theta, k.c);
    const auto tally = [](const CalendarReplication& r) -> const ResourceTally& {
      return r.resources[0];
    };
    expect_near_exact(sample(result,
                             [&](const CalendarReplication& r) {
                               return static_cast<double>(tally(r).abandoned) /
                                      (tally(r).served + tally(r).abandoned);
                             }),
                      exact.abandon, "P(abandon)");
    expect_near_exact(sample(result,
                             [&](const CalendarReplication& r) {
                               return tally(r).wait_hours / (tally(r).served + tally(r).abandoned);
                             }),
                      exact.wait, "E[W]");
    expect_near_exact(sample(result,
                             [&](const CalendarReplication& r) {
                               return tally(r).queue_hours / result.measured_hours();
                             }),
                      exact.queue, "E[Q]");
    expect_near_exact(sample(result,
                             [&](const CalendarReplication& r) {
                               return tally(r).busy_hours / tally(r).offered_hours;
                             }),
                      exact.utilisation, "utilisation");
  }
}

// --- Little's law ---------------------------------------------------------------------------

// The time-average number waiting is the waits' hours over the hours measured, at every
// resource, up to the agents still waiting at the run's ends.
TEST(CalendarEngine, LittlesLawHoldsAtEveryResource) {
  Diagnostics diagnostics;
  const auto s = load_valid_scenario(
      std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/bank_call_centre.yaml", diagnostics);
  ASSERT_TRUE(s) << diagnostics.to_string();
  const CompiledJourney journey = compile(*s);
  const CompiledCalendar calendar = compile_calendar(*s, journey, 84);
  CalendarOptions options;
  const CalendarReplication r = simulate_calendar_replication(journey, calendar, options, 0);
  ASSERT_EQ(r.resources.size(), 2u);
  for (const ResourceTally& tally : r.resources) {
    EXPECT_GT(tally.wait_hours, 1.0);
    EXPECT_NEAR(tally.queue_hours, tally.wait_hours, 0.01 * tally.wait_hours);
    // Every agent that reached a resource was served or gave up, but for the few still waiting
    // when the run ends (on a Sunday night, when the call centre is closed).
    EXPECT_LE(tally.arrivals - tally.served - tally.abandoned, 5u);
    // The days split the same integrals and waits.
    ResourceDay total;
    for (const ResourceDay& day : tally.days) {
      total.offered_hours += day.offered_hours;
      total.busy_hours += day.busy_hours;
      total.queue_hours += day.queue_hours;
      total.waits += day.waits;
      total.abandoned += day.abandoned;
      total.wait_hours += day.wait_hours;
    }
    EXPECT_NEAR(total.offered_hours, tally.offered_hours, 1e-9 * tally.offered_hours);
    EXPECT_NEAR(total.busy_hours, tally.busy_hours, 1e-9 * tally.busy_hours);
    EXPECT_NEAR(total.queue_hours, tally.queue_hours, 1e-9 * tally.queue_hours);
    EXPECT_NEAR(total.wait_hours, tally.wait_hours, 1e-9 * tally.wait_hours);
    EXPECT_EQ(total.waits, tally.served + tally.abandoned);
    EXPECT_EQ(total.abandoned, tally.abandoned);
  }
}

// --- the plain model ------------------------------------------------------------------------

constexpr const char* kTinyCalendar = R"(
calendar: {days: 20, arrivals_per_day: 300, weekday_profile: [1, 2, 1, 1, 1, 0.5, 0.5]}
)";

std::string tiny_text() {
  std::ifstream in(std::string(CJSIM_TEST_DATA) + "/tiny.yaml");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(CalendarEngine, WithNothingSharedEachOrganicAgentWalksThePlainModel) {
  const Compiled c = compile_text(tiny_text() + kTinyCalendar);
  CalendarOptions options;
  options.seed = 5;
  options.journey_records = true;
  const CalendarReplication r = simulate_calendar_replication(c.journey, c.calendar, options, 0);
  ASSERT_GT(r.records.size(), 5000u);
  AgentScratch scratch(c.journey);
  NullObserver observer;
  std::size_t compared = 0;
  for (const JourneyRecord& record : r.records) {
    ASSERT_TRUE(record.agent.organic());
    if (record.outcome.ending == Ending::censored) continue;  // the run's end
    const AgentOutcome plain =
        simulate_agent(c.journey, options.seed, 0, record.agent.c0, scratch, observer);
    const AgentOutcome& o = record.outcome;
    ASSERT_EQ(o.persona, plain.persona);
    ASSERT_EQ(o.entry, plain.entry);
    ASSERT_EQ(o.last, plain.last);
    ASSERT_EQ(o.ending, plain.ending);
    ASSERT_EQ(o.converted, plain.converted);
    ASSERT_EQ(o.steps, plain.steps);
    ASSERT_EQ(o.final_emotion, plain.final_emotion);
    ASSERT_EQ(o.peak_emotion, plain.peak_emotion);
    ASSERT_EQ(o.hours, plain.hours);
    ASSERT_EQ(o.hours_to_convert, plain.hours_to_convert);
    ASSERT_EQ(o.revenue, plain.revenue);
    ASSERT_EQ(o.cost, plain.cost);
    ++compared;
  }
  EXPECT_GT(compared, r.records.size() * 9 / 10);
}

// --- arrivals -------------------------------------------------------------------------------

TEST(CalendarEngine, ArrivalsFollowTheirWeekdayAndHourProfiles) {
  std::string hours = "[";
  for (int h = 0; h < 24; ++h) hours += fmt::format("{}{}", h ? ", " : "", 0.2 + (h % 7));
  hours += "]";
  const Compiled c = compile_text(tiny_text() + fmt::format(R"(
calendar: {{days: 70, arrivals_per_day: 400, weekday_profile: [3, 1, 1, 1, 2, 0.5, 0.25],
           hour_profile: {}, start_weekday: thursday}}
)",
                                                            hours));
  CalendarOptions options;
  options.journey_records = true;
  const CalendarReplication r = simulate_calendar_replication(c.journey, c.calendar, options, 0);
  std::vector<double> observed(kHoursPerWeek, 0.0);
  for (const JourneyRecord& record : r.records) {
    ++observed[static_cast<std::size_t>(c.calendar.hour_of_week(record.start_hours))];
  }
  // Ten whole weeks: each hour of the week expects ten hours' worth of its rate.
  double chi_square = 0;
  double total_expected = 0;
  for (int h = 0; h < kHoursPerWeek; ++h) {
    const double expected = 10.0 * c.calendar.arrival_rate[static_cast<std::size_t>(h)];
    total_expected += expected;
    chi_square += (observed[h] - expected) * (observed[h] - expected) / expected;
  }
  EXPECT_NEAR(total_expected, 70 * 400, 1e-6);
  const boost::math::chi_squared distribution(kHoursPerWeek - 1);
  EXPECT_LT(chi_square, boost::math::quantile(distribution, 0.999));
  EXPECT_GT(chi_square, boost::math::quantile(distribution, 0.001));
}

// --- word of mouth and returns ----------------------------------------------------------------

// Every journey converts and ends a promoter (emotion 0.9, likelihood to recommend 9.5).
std::string promoter_journey(const std::string& calendar_parts) {
  return R"(name: Delight
stages: [buy]
touchpoints:
  - {id: shop, stage: buy, channel: web, entry_weight: 1, emotion: {mean: 0.9},
     duration: 0.1, conversion: {value: 10}}
calendar: {days: 400, arrivals_per_day: 50}
)" + calendar_parts;
}

TEST(CalendarEngine, WordOfMouthBringsOneOverOneMinusMAgentsPerOrganicArrival) {
  // m = share of promoters (1) x referrals per promoter.
  for (const double m : {0.3, 0.6}) {
    SCOPED_TRACE(m);
    const Compiled c = compile_text(promoter_journey(
        fmt::format("word_of_mouth: {{referrals_per_promoter: {}, delay_days: 0.01}}\n", m)));
    CalendarOptions options;
    const CalendarReplication r = simulate_calendar_replication(c.journey, c.calendar, options, 0);
    const double organic = static_cast<double>(r.organic_agents);
    const double agents_per_organic = (organic + r.referred_agents) / organic;
    // Total progeny of a Poisson(m) branching process: variance m / (1 - m)^3 per organic.
    const double se = std::sqrt(m / std::pow(1 - m, 3) / organic);
    EXPECT_NEAR(agents_per_organic, 1 / (1 - m), 5 * se);
  }
}

TEST(CalendarEngine, ReturningCustomersMakeOneOverOneMinusRhoJourneys) {
  for (const double rho : {0.4, 0.75}) {
    SCOPED_TRACE(rho);
    const Compiled c = compile_text(
        promoter_journey(fmt::format("returns: {{retention: {}, after_days: 0.01}}\n", rho)));
    CalendarOptions options;
    const CalendarReplication r = simulate_calendar_replication(c.journey, c.calendar, options, 0);
    const double customers = static_cast<double>(r.customers);
    const double journeys = static_cast<double>(r.customer_journeys) / customers;
    const double se = std::sqrt(rho / ((1 - rho) * (1 - rho)) / customers);
    EXPECT_NEAR(journeys, 1 / (1 - rho), 5 * se);
    EXPECT_EQ(r.journeys, r.customer_journeys);
  }
}

TEST(CalendarEngine, DeterredProspectsCancelOrganicArrivals) {
  // Every journey ends a detractor (emotion -0.9): each deters 0.5 prospects on average, who
  // cancel that many of the organic arrivals that follow.
  const Compiled c = compile_text(R"(name: Dismay
stages: [buy]
touchpoints:
  - {id: shop, stage: buy, channel: web, entry_weight: 1, emotion: {mean: -0.9},
     duration: 0.1, conversion: {value: 10}}
calendar: {days: 200, arrivals_per_day: 50}
word_of_mouth: {deterred_per_detractor: 0.5, delay_days: 0.01}
)");
  CalendarOptions options;
  const CalendarReplication r = simulate_calendar_replication(c.journey, c.calendar, options, 0);
  // Each simulated agent deters 0.5; deterred / simulated = 0.5.
  const double ratio = static_cast<double>(r.deterred) / r.organic_agents;
  EXPECT_NEAR(ratio, 0.5, 5 * std::sqrt(0.5 / r.organic_agents));
  std::uint64_t by_day = 0;
  for (const CalendarDay& d : r.days) by_day += d.deterred;
  EXPECT_EQ(by_day, r.deterred);
}

// --- determinism ----------------------------------------------------------------------------

TEST(CalendarEngine, TheSameSeedGivesTheSameBitsForAnyThreadCount) {
  Diagnostics diagnostics;
  const auto s = load_valid_scenario(
      std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/bank_call_centre.yaml", diagnostics);
  ASSERT_TRUE(s) << diagnostics.to_string();
  const CompiledJourney journey = compile(*s);
  const CompiledCalendar calendar = compile_calendar(*s, journey, 21);
  std::vector<CalendarRunResult> runs;
  for (const unsigned threads : {1u, 2u, 4u}) {
    CalendarOptions options;
    options.replications = 4;
    options.threads = threads;
    options.warmup_days = 2;
    runs.push_back(run_calendar(journey, calendar, options));
  }
  for (std::size_t k = 1; k < runs.size(); ++k) {
    for (std::size_t r = 0; r < 4; ++r) {
      const CalendarReplication& a = runs[0].replications[r];
      const CalendarReplication& b = runs[k].replications[r];
      EXPECT_EQ(a.aggregate, b.aggregate);
      EXPECT_EQ(a.events, b.events);
      EXPECT_EQ(a.customer_revenue, b.customer_revenue);
      ASSERT_EQ(a.days.size(), b.days.size());
      for (std::size_t d = 0; d < a.days.size(); ++d) {
        EXPECT_EQ(a.days[d].revenue, b.days[d].revenue);
        EXPECT_EQ(a.days[d].wait_hours, b.days[d].wait_hours);
        EXPECT_EQ(a.days[d].arrivals_referred, b.days[d].arrivals_referred);
      }
      for (std::size_t q = 0; q < a.resources.size(); ++q) {
        EXPECT_EQ(a.resources[q].busy_hours, b.resources[q].busy_hours);
        EXPECT_EQ(a.resources[q].queue_hours, b.resources[q].queue_hours);
        EXPECT_EQ(a.resources[q].wait_minutes, b.resources[q].wait_minutes);
      }
    }
  }
  // The example exercises every part: queues, abandonment, referrals, returns, deterrence.
  const CalendarReplication& r = runs[0].replications[0];
  EXPECT_GT(r.referred_agents, 0u);
  EXPECT_GT(r.returning_journeys, 0u);
  EXPECT_GT(r.aggregate.overall().abandoned, 0u);
  EXPECT_GT(r.resources[0].queue_hours, 0.0);
}

TEST(CalendarEngine, OpeningHoursHoldVisitsUntilTheTouchpointOpens) {
  // One touchpoint open 09:00-10:00 only, no resource: every visit starts in that hour.
  const Compiled c = compile_text(R"(name: Hours
stages: [s]
touchpoints:
  - {id: desk, stage: s, channel: c, entry_weight: 1, conversion: {value: 0}, duration: 0,
     opening_hours: {every_day: ["09:00-10:00"]}}
calendar: {days: 10, arrivals_per_day: 100}
)");
  CalendarOptions options;
  options.journey_records = true;
  const CalendarReplication r = simulate_calendar_replication(c.journey, c.calendar, options, 0);
  ASSERT_GT(r.records.size(), 500u);
  for (const JourneyRecord& record : r.records) {
    if (record.outcome.ending == Ending::censored) continue;
    const double visit = std::fmod(record.start_hours + record.outcome.hours, 24.0);
    EXPECT_GE(visit, 9.0 - 1e-9);
    EXPECT_LT(visit, 10.0 + 1e-9);
  }
}

// Servers 2 from 00:00 to 12:00, none after: every visit starts in the morning, and never more
// than two are under way (a visit that runs past noon finishes; none starts after it).
TEST(CalendarEngine, NoVisitStartsBeyondTheScheduledServers) {
  std::string hours = "[";
  for (int h = 0; h < 24; ++h) hours += fmt::format("{}{}", h ? ", " : "", h < 12 ? 2 : 0);
  hours += "]";
  const Compiled c = compile_text(fmt::format(R"(name: Shifts
stages: [s]
touchpoints:
  - {{id: desk, stage: s, channel: c, entry_weight: 1, conversion: {{value: 0}}, duration: 0.75,
     resource: staff}}
calendar: {{days: 30, arrivals_per_day: 25}}
resources:
  - {{id: staff, capacity: 5, schedule: {{every_day: {}}}}}
)",
                                              hours));
  CalendarOptions options;
  options.journey_records = true;
  const CalendarReplication r = simulate_calendar_replication(c.journey, c.calendar, options, 0);
  std::vector<std::pair<double, int>> changes;  // visit starts (+1) and ends (-1)
  for (const JourneyRecord& record : r.records) {
    if (record.outcome.ending == Ending::censored) continue;
    const double start = record.start_hours + record.outcome.hours - 0.75;
    EXPECT_LT(std::fmod(start, 24.0), 12.0) << "a visit started at hour " << start;
    changes.emplace_back(start, +1);
    changes.emplace_back(start + 0.75, -1);
  }
  ASSERT_GT(changes.size(), 500u);
  std::sort(changes.begin(), changes.end());  // an end before a start at the same time
  int busy = 0, most = 0;
  for (const auto& [time, change] : changes) most = std::max(most, busy += change);
  EXPECT_EQ(most, 2);
  EXPECT_GT(r.resources[0].queue_hours, 0.0);  // afternoon arrivals waited for the morning
}

// Journeys that start in the warm-up count in no figure; those after it all do.
TEST(CalendarEngine, TheWarmUpLeavesItsDaysOut) {
  const Compiled c = compile_text(tiny_text() + kTinyCalendar);
  CalendarOptions options;
  options.journey_records = true;
  options.warmup_days = 5;
  const CalendarReplication r = simulate_calendar_replication(c.journey, c.calendar, options, 0);
  ASSERT_FALSE(r.records.empty());
  for (const JourneyRecord& record : r.records) EXPECT_GE(record.start_hours, 5 * 24.0);
  EXPECT_EQ(r.records.size(), r.journeys);
  EXPECT_EQ(r.aggregate.overall().agents, r.journeys);
  ASSERT_EQ(r.days.size(), 15u);
  EXPECT_EQ(r.days.front().day, 5);
  std::uint64_t arrivals = 0;
  for (const CalendarDay& day : r.days) arrivals += day.arrivals_organic;
  EXPECT_EQ(arrivals, r.organic_agents);
  EXPECT_EQ(arrivals, r.journeys);
}

// A run of a few days is also counted hour by hour, and the hours add up to the days.
TEST(CalendarEngine, AShortRunIsCountedHourByHourToo) {
  Diagnostics diagnostics;
  const auto s = load_valid_scenario(
      std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/bank_call_centre.yaml", diagnostics);
  ASSERT_TRUE(s) << diagnostics.to_string();
  const CompiledJourney journey = compile(*s);
  for (const std::int64_t days : {std::int64_t{3}, std::int64_t{8}}) {
    const CompiledCalendar calendar = compile_calendar(*s, journey, days);
    CalendarOptions options;
    options.warmup_days = 1;
    const CalendarReplication r = simulate_calendar_replication(journey, calendar, options, 0);
    if (days - 1 > kMostDaysByHour) {
      EXPECT_TRUE(r.hours.empty());
      continue;
    }
    ASSERT_EQ(r.hours.size(), static_cast<std::size_t>((days - 1) * 24));
    EXPECT_EQ(r.hours.front().hour, 24);
    for (std::size_t d = 0; d < r.days.size(); ++d) {
      CalendarDay sum;
      for (std::size_t h = d * 24; h < (d + 1) * 24; ++h) {
        EXPECT_EQ(r.hours[h].day, r.days[d].day);
        sum.arrivals_organic += r.hours[h].arrivals_organic;
        sum.conversions += r.hours[h].conversions;
        sum.abandoned += r.hours[h].abandoned;
        sum.journeys_ended += r.hours[h].journeys_ended;
        sum.waits += r.hours[h].waits;
      }
      EXPECT_EQ(sum.arrivals_organic, r.days[d].arrivals_organic);
      EXPECT_EQ(sum.conversions, r.days[d].conversions);
      EXPECT_EQ(sum.abandoned, r.days[d].abandoned);
      EXPECT_EQ(sum.journeys_ended, r.days[d].journeys_ended);
      EXPECT_EQ(sum.waits, r.days[d].waits);
    }
  }
}

// A touchpoint with a resource opening at 08:10 (8.1666... hours, which times 60 can fall a
// rounding short of its minute): the agents who queued while it was closed are served at its
// opening, every day.
TEST(CalendarEngine, AgentsWaitingForAnOpeningAreServedWhenItOpens) {
  const Compiled c = compile_text(R"(name: Opening
stages: [s]
touchpoints:
  - {id: desk, stage: s, channel: c, entry_weight: 1, conversion: {value: 0}, duration: 0.01,
     resource: staff, opening_hours: {every_day: ["08:10-08:40", "13:25-17:55"]}}
calendar: {days: 20, arrivals_per_day: 40}
resources:
  - {id: staff, capacity: 50}
)");
  CalendarOptions options;
  options.journey_records = true;
  const CalendarReplication r = simulate_calendar_replication(c.journey, c.calendar, options, 0);
  const double morning = 8 + 10 / 60.0, noon = 8 + 40 / 60.0;
  const double afternoon = 13 + 25 / 60.0, evening = 17 + 55 / 60.0;
  std::size_t waited = 0;
  for (const JourneyRecord& record : r.records) {
    if (record.outcome.ending == Ending::censored) continue;
    const double arrived = std::fmod(record.start_hours, 24.0);
    const double start = std::fmod(record.start_hours + record.outcome.hours - 0.01, 24.0);
    const bool open =
        (arrived >= morning && arrived < noon) || (arrived >= afternoon && arrived < evening);
    if (open) {
      EXPECT_NEAR(start, arrived, 1e-9);  // fifty servers: nobody waits while it is open
      continue;
    }
    // Arrived while it was closed: taken at the very next opening.
    const double opening = arrived >= noon && arrived < afternoon ? afternoon : morning;
    EXPECT_NEAR(start, opening, 1e-9) << "arrived at " << arrived;
    ++waited;
  }
  EXPECT_GT(waited, r.records.size() / 2);
}

// Common random numbers: a small change (a wait penalty 30% higher at the call centre) run with
// the same seed is measured far more precisely, replication by replication, than two
// independent runs would measure it.
TEST(CalendarEngine, CommonRandomNumbersNarrowTheIntervalOfASmallChangeThreeFold) {
  Diagnostics diagnostics;
  const std::string path =
      std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/bank_call_centre.yaml";
  auto current = load_valid_scenario(path, diagnostics);
  ASSERT_TRUE(current) << diagnostics.to_string();
  Scenario future = *current;
  for (Touchpoint& t : future.touchpoints) {
    if (t.id == "call_centre") t.wait_penalty *= 1.3;
  }
  const CompiledJourney current_journey = compile(*current);
  const CompiledJourney future_journey = compile(future);
  const CompiledCalendar current_calendar = compile_calendar(*current, current_journey, 21);
  const CompiledCalendar future_calendar = compile_calendar(future, future_journey, 21);
  CalendarOptions options;
  options.replications = 8;
  const CalendarRunResult before = run_calendar(current_journey, current_calendar, options);
  const CalendarRunResult after = run_calendar(future_journey, future_calendar, options);
  const std::vector<CalendarDifference> differences =
      calendar_differences(before, current_calendar, after, future_calendar);
  int checked = 0;
  for (const CalendarDifference& d : differences) {
    if (d.figure != "revenue_per_journey" && d.figure != "nps") continue;
    SCOPED_TRACE(d.figure);
    EXPECT_GT(d.paired_half_width, 0.0);
    EXPECT_LE(3 * d.paired_half_width, d.independent_half_width);
    ++checked;
  }
  EXPECT_EQ(checked, 2);
  // Organic arrivals are the same in both; the deterred ones may differ with the detractors.
  for (std::size_t r = 0; r < 8; ++r) {
    EXPECT_EQ(before.replications[r].organic_agents + before.replications[r].deterred,
              after.replications[r].organic_agents + after.replications[r].deterred);
  }
}

// The pairing is agent by agent in the draws (MODEL.md 2.6): organic agent k of a current and
// of a future state arrives at the same hour with the same persona, and a referral or return
// has the same key in both. Here the future state changes only the staffing, so every organic
// agent simulated in both states starts its first journey at the same time as the same persona.
TEST(CalendarEngine, OrganicAgentsCorrespondAgentByAgentAcrossStates) {
  Diagnostics diagnostics;
  const std::string dir = std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/";
  auto current = load_valid_scenario(dir + "bank_call_centre.yaml", diagnostics);
  auto future = load_valid_scenario(dir + "bank_call_centre_peak_staff.yaml", diagnostics);
  ASSERT_TRUE(current && future) << diagnostics.to_string();
  const CompiledJourney current_journey = compile(*current);
  const CompiledJourney future_journey = compile(*future);
  CalendarOptions options;
  options.journey_records = true;
  const CalendarReplication before = simulate_calendar_replication(
      current_journey, compile_calendar(*current, current_journey, 7), options, 0);
  const CalendarReplication after = simulate_calendar_replication(
      future_journey, compile_calendar(*future, future_journey, 7), options, 0);
  std::map<AgentKey, const JourneyRecord*> first;
  for (const JourneyRecord& r : before.records) {
    if (r.agent.organic() && r.journey == 1) first[r.agent] = &r;
  }
  std::size_t matched = 0, different_ending = 0;
  for (const JourneyRecord& r : after.records) {
    if (!r.agent.organic() || r.journey != 1) continue;
    const auto same = first.find(r.agent);
    if (same == first.end()) continue;  // deterred in the current state
    ++matched;
    EXPECT_EQ(r.start_hours, same->second->start_hours);
    EXPECT_EQ(r.outcome.persona, same->second->outcome.persona);
    EXPECT_EQ(r.outcome.entry, same->second->outcome.entry);
    different_ending += r.outcome.ending != same->second->outcome.ending ||
                                r.outcome.peak_end != same->second->outcome.peak_end
                            ? 1
                            : 0;
  }
  EXPECT_GT(matched, first.size() * 9 / 10);
  // The staffing changed who waits and who hangs up: the pairs are not identical copies.
  EXPECT_GT(different_ending, 0u);
}

// Common random numbers against independent streams: the same small change (a wait penalty 30%
// higher at the call centre) measured with the future state on the current state's seed, and
// on a seed of its own, which is what two independent runs give. The pairing narrows the
// interval of the difference at least three-fold.
TEST(CalendarEngine, PairingNarrowsTheIntervalThreeFoldAgainstIndependentStreams) {
  Diagnostics diagnostics;
  const std::string path =
      std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/bank_call_centre.yaml";
  auto current = load_valid_scenario(path, diagnostics);
  ASSERT_TRUE(current) << diagnostics.to_string();
  Scenario future = *current;
  for (Touchpoint& t : future.touchpoints) {
    if (t.id == "call_centre") t.wait_penalty *= 1.3;
  }
  const CompiledJourney current_journey = compile(*current);
  const CompiledJourney future_journey = compile(future);
  const CompiledCalendar current_calendar = compile_calendar(*current, current_journey, 21);
  const CompiledCalendar future_calendar = compile_calendar(future, future_journey, 21);
  CalendarOptions options;
  options.replications = 8;
  const CalendarRunResult before = run_calendar(current_journey, current_calendar, options);
  const CalendarRunResult paired = run_calendar(future_journey, future_calendar, options);
  CalendarOptions other = options;
  other.seed = 1009;
  const CalendarRunResult independent = run_calendar(future_journey, future_calendar, other);
  const auto with_crn = calendar_differences(before, current_calendar, paired, future_calendar);
  const auto without = calendar_differences(before, current_calendar, independent, future_calendar);
  ASSERT_EQ(with_crn.size(), without.size());
  int checked = 0;
  for (std::size_t k = 0; k < with_crn.size(); ++k) {
    const std::string& figure = with_crn[k].figure;
    if (figure != "revenue_per_journey" && figure != "nps" && figure != "conversion_rate") continue;
    SCOPED_TRACE(figure);
    EXPECT_GT(with_crn[k].paired_half_width, 0.0);
    EXPECT_LE(3 * with_crn[k].paired_half_width, without[k].paired_half_width);
    ++checked;
  }
  EXPECT_EQ(checked, 3);
}

TEST(CalendarEngine, WaitPercentileInterpolatesWithinItsMinute) {
  std::vector<std::uint64_t> minutes(kWaitBins);
  minutes[0] = 80;
  minutes[10] = 20;
  EXPECT_NEAR(wait_percentile_hours(minutes, 0.9), 10.5 / 60.0, 1e-12);
  EXPECT_NEAR(wait_percentile_hours(minutes, 0.5), (50.0 / 80.0) / 60.0, 1e-12);
  EXPECT_TRUE(std::isnan(wait_percentile_hours(std::vector<std::uint64_t>(kWaitBins), 0.9)));
}

}  // namespace
}  // namespace cjsim
