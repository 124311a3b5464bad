// Simulated agents read as observed journeys agree with the run's own records.
#include <gtest/gtest.h>

#include "models/fit/simulated_journeys.h"
#include "scenarios/validate.h"
#include "sim/engine/engine.h"

namespace cjsim {
namespace {

TEST(SimulatedJourneys, PathsCountsAndConversionsMatchTheRun) {
  Diagnostics diagnostics;
  const auto scenario = load_valid_scenario(CJSIM_SOURCE_DIR "/scenarios/examples/retail.yaml", diagnostics);
  ASSERT_TRUE(scenario) << diagnostics.to_string();
  const CompiledJourney journey = compile(*scenario);
  RunOptions options;
  options.agents = 3000;
  options.threads = 1;
  options.agent_paths = true;
  const RunResult result = run(journey, options);
  const ObservedJourneys observed = observed_from_simulation(journey, *result.detail);

  ASSERT_EQ(observed.paths.size(), 3000u);
  EXPECT_EQ(observed.customers(), 3000u);
  EXPECT_EQ(observed.segments.size(), journey.persona_count());
  const Aggregate& aggregate = result.replications[0];
  std::uint64_t conversions = 0, steps = 0;
  std::vector<std::uint64_t> visits(journey.touchpoint_count(), 0);
  for (std::size_t k = 0; k < observed.paths.size(); ++k) {
    const ObservedPath& path = observed.paths[k];
    const AgentOutcome& outcome = result.detail->records[k].outcome;
    ASSERT_EQ(path.touchpoints.size(), outcome.steps);
    EXPECT_EQ(path.touchpoints.front(), outcome.entry);
    EXPECT_EQ(path.touchpoints.back(), outcome.last);
    EXPECT_EQ(path.conversion_step >= 0, outcome.converted);
    if (path.conversion_step >= 0) {
      ++conversions;
      EXPECT_TRUE(journey.is_conversion[path.touchpoints[path.conversion_step]]);
      EXPECT_EQ(path.value, outcome.revenue);
    }
    steps += path.touchpoints.size();
    for (std::uint32_t v : path.touchpoints) ++visits[v];
  }
  EXPECT_EQ(conversions, aggregate.overall().conversions);
  EXPECT_EQ(steps, aggregate.overall().steps);
  EXPECT_EQ(visits, aggregate.tallies().visits);
}

TEST(SimulatedJourneys, ARunWithoutPathsIsRefused) {
  AgentDetail detail;
  detail.records.resize(2);
  CompiledJourney journey;
  EXPECT_THROW(observed_from_simulation(journey, detail), std::invalid_argument);
}

}  // namespace
}  // namespace cjsim
