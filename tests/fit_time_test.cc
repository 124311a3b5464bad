// Time in the goodness of fit: time to convert and journey duration, measured from the first
// visit's start on both sides, worked by hand; a fit of a timed log gives its times back;
// data without timestamps have none to compare.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "models/fit/fit_journey.h"
#include "models/fit/goodness_of_fit.h"
#include "models/fit/simulated_journeys.h"
#include "scenarios/validate.h"
#include "sim/engine/engine.h"
#include "tests/observed_fixtures.h"

namespace cjsim {
namespace {

ObservedPath timed_path(std::vector<std::uint32_t> touchpoints, std::vector<double> hours,
                        std::uint64_t count, std::int64_t conversion_step = -1) {
  ObservedPath p;
  p.touchpoints = std::move(touchpoints);
  p.hours = std::move(hours);
  p.count = count;
  p.conversion_step = conversion_step;
  return p;
}

ObservedJourneys abc(std::vector<ObservedPath> paths) {
  ObservedJourneys j;
  j.touchpoints = {"a", "b", "c"};
  j.channels = {"", "", ""};
  j.stages = {"", "", ""};
  j.paths = std::move(paths);
  return j;
}

// Observed: a > b > c at 0, 2, 5 h converting at c; a > b at 0, 1 h (2 customers); a alone;
// a > c at 0, 30 h converting at c. Simulated: a > c at 0, 5 h converting; a alone (3); a > b > c
// at 0, 100, 200 h converting at c.
TEST(FitTime, HandWorkedTimesToConvertAndDurations) {
  const ObservedJourneys observed = abc({timed_path({0, 1, 2}, {0, 2, 5}, 1, 2),
                                         timed_path({0, 1}, {0, 1}, 2),
                                         timed_path({0}, {0}, 1),
                                         timed_path({0, 2}, {0, 30}, 1, 1)});
  const ObservedJourneys simulated = abc({timed_path({0, 2}, {0, 5}, 1, 1),
                                          timed_path({0}, {0}, 3),
                                          timed_path({0, 1, 2}, {0, 100, 200}, 1, 2)});
  const GoodnessOfFit g = goodness_of_fit(observed, simulated, {});

  const TimeFit& d = g.journey_duration;
  ASSERT_EQ(d.unavailable, "");
  EXPECT_EQ(d.observed_customers, 5u);
  EXPECT_EQ(d.simulated_customers, 5u);
  // Durations 0, 1, 1, 5, 30 against 0, 0, 0, 5, 200.
  EXPECT_DOUBLE_EQ(d.observed_mean, 37.0 / 5.0);
  EXPECT_DOUBLE_EQ(d.simulated_mean, 41.0);
  EXPECT_EQ(d.observed_quantiles, (std::vector<double>{0, 1, 1, 5, 30}));
  EXPECT_EQ(d.simulated_quantiles, (std::vector<double>{0, 0, 0, 5, 200}));
  EXPECT_EQ(d.observed_median(), 1.0);
  EXPECT_EQ(d.simulated_median(), 0.0);
  // Cumulative shares at 0: 0.2 against 0.6, the widest gap (at 30: 1 against 0.8).
  EXPECT_DOUBLE_EQ(d.distance, 0.4);
  // Rows to the one of 200 h, "1-2 weeks".
  EXPECT_EQ(d.bins.labels, (std::vector<std::string>{"0 h", "0-1 h", "1-6 h", "6-24 h",
                                                     "1-3 days", "3-7 days", "1-2 weeks"}));
  EXPECT_EQ(d.bins.observed, (std::vector<double>{0.2, 0, 0.6, 0, 0.2, 0, 0}));
  EXPECT_EQ(d.bins.simulated, (std::vector<double>{0.6, 0, 0.2, 0, 0, 0, 0.2}));

  const TimeFit& c = g.time_to_convert;
  ASSERT_EQ(c.unavailable, "");
  // Converters only: 5 and 30 h against 5 and 200 h.
  EXPECT_EQ(c.observed_customers, 2u);
  EXPECT_EQ(c.simulated_customers, 2u);
  EXPECT_DOUBLE_EQ(c.observed_mean, 17.5);
  EXPECT_DOUBLE_EQ(c.simulated_mean, 102.5);
  EXPECT_EQ(c.observed_quantiles, (std::vector<double>{5, 5, 5, 30, 30}));
  EXPECT_EQ(c.simulated_quantiles, (std::vector<double>{5, 5, 5, 200, 200}));
  EXPECT_DOUBLE_EQ(c.distance, 0.5);
  EXPECT_EQ(c.bins.observed, (std::vector<double>{0, 0, 0.5, 0, 0.5, 0, 0}));
  EXPECT_EQ(c.bins.simulated, (std::vector<double>{0, 0, 0.5, 0, 0, 0, 0.5}));
}

TEST(FitTime, TheSameTimesAreAtDistanceZeroAndTheLastRowIsOpen) {
  const ObservedJourneys one = abc({timed_path({0, 1}, {0, 5000}, 3, 1)});
  const GoodnessOfFit g = goodness_of_fit(one, one, {});
  EXPECT_EQ(g.time_to_convert.distance, 0.0);
  EXPECT_EQ(g.journey_duration.distance, 0.0);
  ASSERT_EQ(g.journey_duration.bins.labels.size(), 10u);
  EXPECT_EQ(g.journey_duration.bins.labels.back(), "13+ weeks");
  EXPECT_EQ(g.journey_duration.bins.observed.back(), 1.0);
}

TEST(FitTime, PathTablesHaveNoTimesToCompare) {
  const ObservedJourneys paths = testing::observed_data("tiny_paths.csv");
  ObservedJourneys simulated = paths;
  for (ObservedPath& p : simulated.paths) p.hours.assign(p.touchpoints.size(), 1.0);
  const GoodnessOfFit g = goodness_of_fit(paths, simulated, {});
  EXPECT_EQ(g.time_to_convert.unavailable, "the data have no timestamps");
  EXPECT_EQ(g.journey_duration.unavailable, "the data have no timestamps");
  EXPECT_TRUE(g.journey_duration.observed_quantiles.empty());
}

TEST(FitTime, NoConvertersLeaveOnlyTheDuration) {
  const ObservedJourneys observed = abc({timed_path({0, 1}, {0, 3}, 4)});
  const ObservedJourneys simulated = abc({timed_path({0, 2}, {0, 1}, 2, 1)});
  const GoodnessOfFit g = goodness_of_fit(observed, simulated, {});
  EXPECT_EQ(g.time_to_convert.unavailable, "no observed customer converted");
  EXPECT_EQ(g.journey_duration.unavailable, "");
  EXPECT_DOUBLE_EQ(g.journey_duration.distance, 1.0);
}

// A run's paths carry when each visit began: 0 first, never going back, the last no later than
// the journey's end and the conversion visit's no later than the clock at conversion.
TEST(FitTime, SimulatedVisitsBeginWithinTheJourneysClock) {
  Diagnostics diagnostics;
  const auto scenario =
      load_valid_scenario(CJSIM_SOURCE_DIR "/scenarios/examples/retail.yaml", diagnostics);
  ASSERT_TRUE(scenario) << diagnostics.to_string();
  const CompiledJourney journey = compile(*scenario);
  RunOptions options;
  options.agents = 2000;
  options.threads = 2;
  options.agent_path_hours = true;
  const RunResult result = run(journey, options);
  const ObservedJourneys simulated = observed_from_simulation(journey, *result.detail);
  bool some_time = false;
  for (std::size_t k = 0; k < simulated.paths.size(); ++k) {
    const ObservedPath& p = simulated.paths[k];
    const AgentOutcome& outcome = result.detail->records[k].outcome;
    ASSERT_EQ(p.hours.size(), p.touchpoints.size());
    EXPECT_EQ(p.hours.front(), 0.0);
    for (std::size_t i = 1; i < p.hours.size(); ++i) EXPECT_GE(p.hours[i], p.hours[i - 1]);
    EXPECT_LE(p.hours.back(), outcome.hours);
    if (p.conversion_step >= 0) {
      EXPECT_LE(p.hours[static_cast<std::size_t>(p.conversion_step)], outcome.hours_to_convert);
    }
    some_time = some_time || p.hours.back() > 0.0;
  }
  EXPECT_TRUE(some_time);
  // A run asked for paths alone records no times, and its paths have none; the rest is the same.
  options.agent_path_hours = false;
  options.agent_paths = true;
  const RunResult untimed = run(journey, options);
  EXPECT_TRUE(untimed.detail->path_hours.empty());
  EXPECT_EQ(untimed.detail->path_touchpoints, result.detail->path_touchpoints);
  EXPECT_TRUE(observed_from_simulation(journey, untimed.detail.value()).paths.front().hours.empty());
}

// A log drawn from a known timed chain: a customer enters at `look`, then goes on to `compare`
// (60%) or leaves; from `compare` buys (50%), goes back to `look` (30%) or leaves. The hours to
// the next visit are lognormal after `look` (median 2 h, sd of the log 0.8) and exponential
// after `compare` (mean 10 h).
ObservedJourneys timed_log(std::size_t customers, std::uint64_t seed) {
  ObservedJourneys data;
  data.source = "timed log";
  data.touchpoints = {"look", "compare", "buy"};
  data.channels = {"web", "web", "web"};
  data.stages = {"", "", ""};
  std::mt19937_64 stream(seed);
  std::uniform_real_distribution<double> uniform;
  std::lognormal_distribution<double> after_look(std::log(2.0), 0.8);
  std::exponential_distribution<double> after_compare(1.0 / 10.0);
  for (std::size_t k = 0; k < customers; ++k) {
    ObservedPath p;
    double clock = 0.0;
    std::uint32_t at = 0;
    for (;;) {
      p.touchpoints.push_back(at);
      p.hours.push_back(clock);
      if (at == 2) {
        p.conversion_step = static_cast<std::int64_t>(p.touchpoints.size()) - 1;
        p.value = 1.0;
        break;
      }
      const double u = uniform(stream);
      if (at == 0) {
        if (u >= 0.6) break;
        clock += after_look(stream);
        at = 1;
      } else {
        if (u >= 0.8) break;
        clock += after_compare(stream);
        at = u < 0.5 ? 2 : 0;
      }
    }
    data.paths.push_back(std::move(p));
  }
  return data;
}

// Mean and standard error of a figure over the customers a time fit covers, observed side.
double standard_error_of_mean(const std::vector<double>& values) {
  double sum = 0.0, squares = 0.0;
  for (double v : values) sum += v;
  const double mean = sum / static_cast<double>(values.size());
  for (double v : values) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / static_cast<double>(values.size() - 1)) /
         std::sqrt(static_cast<double>(values.size()));
}

TEST(FitTime, AFittedTimedLogGivesBackItsTimeToConvertAndDuration) {
  const ObservedJourneys data = timed_log(6000, 5);
  FitRequest request;
  request.data = data;
  request.data_name = "timed log";
  request.out_name = "fitted.yaml";
  request.durations = DurationFamily::best;
  request.agents = 40000;
  request.seed = 11;
  request.threads = 2;
  const FitResult fit = fit_journey(request);
  ASSERT_TRUE(fit.fitted()) << fit.diagnostics.to_string();
  ASSERT_EQ(fit.checks.size(), 1u);
  const GoodnessOfFit& g = fit.checks[0].second;

  std::vector<double> to_convert, duration;
  for (const ObservedPath& p : data.paths) {
    duration.push_back(p.hours.back());
    if (p.conversion_step >= 0) to_convert.push_back(p.hours[p.conversion_step]);
  }
  for (const auto& [t, values] : {std::pair{&g.time_to_convert, &to_convert},
                                  std::pair{&g.journey_duration, &duration}}) {
    ASSERT_EQ(t->unavailable, "");
    EXPECT_EQ(t->observed_customers, values->size());
    EXPECT_GT(t->simulated_customers, 0u);
    // The fitted chain is the generating one, to sampling error: the simulated mean within 4
    // standard errors of the observed (whose own error dominates: 6,000 customers against
    // 40,000 simulated), and the two distributions within the Kolmogorov-Smirnov test's 1%
    // critical value for their sizes.
    const double n = static_cast<double>(t->observed_customers);
    const double m = static_cast<double>(t->simulated_customers);
    EXPECT_NEAR(t->simulated_mean, t->observed_mean,
                4 * standard_error_of_mean(*values) * std::sqrt(1 + n / m));
    EXPECT_LT(t->distance, 1.63 * std::sqrt((n + m) / (n * m)));
  }
}

}  // namespace
}  // namespace cjsim
