// Paired comparisons: exact zeros for identical journeys, agreement with plain runs, the
// precision the pairing buys, and the coverage of the paired intervals.
#include "sim/engine/comparison.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "random_journeys.h"
#include "scenarios/validate.h"
#include "sim/engine/engine.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/markov.h"
#include "sim/model/random_stream.h"

namespace cjsim {
namespace {

Scenario tiny_scenario() {
  Diagnostics diagnostics;
  auto scenario = load_valid_scenario(std::string(CJSIM_TEST_DATA) + "/tiny.yaml", diagnostics);
  EXPECT_TRUE(scenario.has_value()) << diagnostics.to_string();
  return *scenario;
}

const Difference& find(const std::vector<Difference>& ds, std::string_view metric,
                       std::string_view scope, std::size_t scenario = 1) {
  for (const Difference& d : ds) {
    if (d.metric == metric && d.scope == scope && d.scenario == scenario) return d;
  }
  throw std::runtime_error("no difference " + std::string(metric) + " " + std::string(scope));
}

TEST(Comparison, IdenticalFutureGivesExactlyZeroDifferences) {
  const CompiledJourney j = compile(tiny_scenario());
  const std::vector<CompiledJourney> journeys = {j, j};
  RunOptions options;
  options.agents = 30000;
  const std::vector<Difference> ds = differences(run_comparison(journeys, options));
  ASSERT_FALSE(ds.empty());
  for (const Difference& d : ds) {
    SCOPED_TRACE(d.metric + " " + d.scope);
    if (!std::isfinite(d.current.value)) continue;  // e.g. no visits: undefined in both
    EXPECT_EQ(d.difference.value, 0.0);
    EXPECT_EQ(d.current.value, d.future.value);
    EXPECT_NEAR(d.paired_half_width, 0.0, 1e-6);
    EXPECT_FALSE(d.significant);
  }
}

TEST(Comparison, EachScenarioGetsExactlyWhatAPlainRunGives) {
  Scenario future = tiny_scenario();
  future.touchpoints[1].dropout = 0.1;
  const std::vector<CompiledJourney> journeys = {compile(tiny_scenario()), compile(future)};
  RunOptions options;
  options.agents = 20000;
  options.replications = 2;
  const ComparisonRun comparison = run_comparison(journeys, options);
  for (std::size_t k = 0; k < journeys.size(); ++k) {
    EXPECT_EQ(comparison.runs[k].replications, run(journeys[k], options).replications);
  }
}

// The states share each agent's step blocks (the first walk to reach a step computes it):
// a state whose walks are longer than the current's appends blocks, past the 1024 kept, and
// one whose walks are shorter reads them. Every state still gets a plain run's numbers.
TEST(Comparison, StatesSharingStepBlocksGetExactlyWhatPlainRunsGive) {
  Scenario longer = tiny_scenario();
  longer.settings.max_steps = 3000;
  longer.touchpoints[1].dropout = 0.0005;  // product <-> reviews for hundreds of steps
  longer.touchpoints[2].dropout = 0.0005;
  longer.transitions[1].weight = 0.002;
  longer.transitions[4].weight = 0.002;
  Scenario shorter = tiny_scenario();
  shorter.touchpoints[0].dropout = 0.7;
  const std::vector<CompiledJourney> journeys = {compile(tiny_scenario()), compile(longer),
                                                 compile(shorter)};
  RunOptions options;
  options.agents = 3000;
  const ComparisonRun comparison = run_comparison(journeys, options);
  RunOptions with_records = options;
  with_records.agent_records = true;
  const RunResult longer_run = run(journeys[1], with_records);
  std::uint32_t longest = 0;
  for (const auto& record : longer_run.detail->records) {
    longest = std::max(longest, record.outcome.steps);
  }
  ASSERT_GT(longest, SharedStepBlocks::kMaxSteps) << "no walk past the blocks kept";
  for (std::size_t k = 0; k < journeys.size(); ++k) {
    EXPECT_EQ(comparison.runs[k].replications, run(journeys[k], options).replications) << k;
  }
}

TEST(Comparison, ResultsDoNotDependOnThreadCount) {
  Scenario future = tiny_scenario();
  future.transitions[1].weight = 3;
  const std::vector<CompiledJourney> journeys = {compile(tiny_scenario()), compile(future)};
  RunOptions options;
  options.agents = 40000;
  options.threads = 1;
  const ComparisonRun one = run_comparison(journeys, options);
  options.threads = 2;
  const ComparisonRun two = run_comparison(journeys, options);
  EXPECT_EQ(one.paired, two.paired);
}

TEST(Comparison, PairingMakesSmallChangesSeveralTimesMorePrecise) {
  Scenario future = tiny_scenario();
  future.touchpoints[1].dropout = 0.19;  // from 0.2
  const std::vector<CompiledJourney> journeys = {compile(tiny_scenario()), compile(future)};
  RunOptions options;
  options.agents = 50000;
  const std::vector<Difference> ds = differences(run_comparison(journeys, options));
  const Difference& conversion = find(ds, "conversion_rate", "overall");
  EXPECT_GT(conversion.independent_half_width, 3.0 * conversion.paired_half_width);
  const Difference& revenue = find(ds, "revenue_per_agent", "overall");
  EXPECT_GT(revenue.independent_half_width, 3.0 * revenue.paired_half_width);
}

TEST(Comparison, TouchpointsOfOneJourneyOnlyCompareWithZero) {
  Scenario future = tiny_scenario();
  Touchpoint extra = future.touchpoints[2];
  extra.id = "chat";
  future.touchpoints.push_back(extra);
  Transition to_chat;
  to_chat.from = "product";
  to_chat.to = "chat";
  future.transitions.push_back(to_chat);
  Transition back = to_chat;
  back.from = "chat";
  back.to = "checkout";
  future.transitions.push_back(back);
  const std::vector<CompiledJourney> journeys = {compile(tiny_scenario()), compile(future)};
  RunOptions options;
  options.agents = 20000;
  const std::vector<Difference> ds = differences(run_comparison(journeys, options));
  const Difference& chat = find(ds, "visits_per_agent", "touchpoint:chat");
  EXPECT_EQ(chat.current.value, 0.0);
  EXPECT_GT(chat.future.value, 0.0);
  EXPECT_TRUE(chat.significant);
}

// The true difference of conversion probability between two Markov journeys is known exactly;
// the paired 95% interval must cover it about 95% of the time.
TEST(Comparison, PairedIntervalCoversTheTrueDifferenceAtTheNominalRate) {
  const Scenario current = testing::random_markov_journey(21, 8);
  Scenario future = current;
  future.touchpoints[0].dropout *= 0.8;
  future.touchpoints[1].dropout = std::min(0.9, future.touchpoints[1].dropout * 1.3);
  const std::vector<CompiledJourney> journeys = {compile(current), compile(future)};
  const double truth = analyse_markov(journeys[1]).conversion_probability -
                       analyse_markov(journeys[0]).conversion_probability;
  ASSERT_NE(truth, 0.0);
  constexpr int kTrials = 300;
  int covered = 0;
  RunOptions options;
  options.agents = 3000;
  options.threads = 2;
  for (int trial = 0; trial < kTrials; ++trial) {
    options.seed = 5000 + trial;
    const Difference d =
        find(differences(run_comparison(journeys, options)), "conversion_rate", "overall");
    covered += d.difference.low <= truth && truth <= d.difference.high;
  }
  const double coverage = static_cast<double>(covered) / kTrials;
  // 95% nominal; the binomial sd over 300 trials is 1.3 points: allow 3 sd either way.
  EXPECT_GT(coverage, 0.91);
  EXPECT_LT(coverage, 0.99);
}

TEST(Comparison, ReplicationsGiveStudentTIntervalsOfTheDifference) {
  Scenario future = tiny_scenario();
  future.touchpoints[1].dropout = 0.1;
  const std::vector<CompiledJourney> journeys = {compile(tiny_scenario()), compile(future)};
  RunOptions options;
  options.agents = 10000;
  options.replications = 5;
  const ComparisonRun comparison = run_comparison(journeys, options);
  ASSERT_EQ(comparison.paired.front().size(), 5u);
  const Difference d = find(differences(comparison), "conversion_rate", "overall");
  EXPECT_TRUE(d.significant);
  EXPECT_LT(d.difference.low, d.difference.value);
  EXPECT_GT(d.difference.high, d.difference.value);
}

}  // namespace
}  // namespace cjsim
