// A comparison of three retail states (the current one, one-click checkout, proactive delivery)
// against three plain runs of the same agents: the comparison also pairs every agent's
// figures across the states, and shares what the states have in common (each agent's step
// blocks), so it should cost no more than the three runs.
#include <benchmark/benchmark.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "scenarios/validate.h"
#include "sim/engine/comparison.h"
#include "sim/engine/engine.h"
#include "sim/model/compiled_journey.h"

namespace {

const std::vector<cjsim::CompiledJourney>& retail_three_states() {
  static const std::vector<cjsim::CompiledJourney> journeys = [] {
    std::vector<cjsim::CompiledJourney> j;
    for (const char* name :
         {"retail.yaml", "retail_one_click_checkout.yaml", "retail_proactive_delivery.yaml"}) {
      cjsim::Diagnostics diagnostics;
      auto scenario = cjsim::load_valid_scenario(
          std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/" + name, diagnostics);
      if (!scenario) throw std::runtime_error(diagnostics.to_string());
      j.push_back(cjsim::compile(*scenario));
    }
    return j;
  }();
  return journeys;
}

cjsim::RunOptions options(const benchmark::State& state) {
  cjsim::RunOptions o;
  o.agents = static_cast<std::uint64_t>(state.range(0));
  o.threads = static_cast<unsigned>(state.range(1));
  o.seed = 1;
  return o;
}

void count_agents(benchmark::State& state) {
  // Agents of all three states, so that the two benchmarks' rates compare directly.
  state.counters["agents"] = benchmark::Counter(
      3.0 * static_cast<double>(state.range(0)) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

void BM_RetailCompareThreeStates(benchmark::State& state) {
  std::uint64_t shared_walks = 0;
  for (auto _ : state) {
    const cjsim::ComparisonRun c = cjsim::run_comparison(retail_three_states(), options(state));
    benchmark::DoNotOptimize(c.paired.size());
    shared_walks = c.shared_walks;
  }
  count_agents(state);
  // The share of the future states' walks told from the current state's, not walked.
  state.counters["shared"] =
      static_cast<double>(shared_walks) / (2.0 * static_cast<double>(state.range(0)));
}
BENCHMARK(BM_RetailCompareThreeStates)
    ->Args({200000, 1})
    ->Args({200000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_RetailThreeRuns(benchmark::State& state) {
  for (auto _ : state) {
    for (const cjsim::CompiledJourney& journey : retail_three_states()) {
      const cjsim::RunResult r = cjsim::run(journey, options(state));
      benchmark::DoNotOptimize(r.replications.size());
    }
  }
  count_agents(state);
}
BENCHMARK(BM_RetailThreeRuns)
    ->Args({200000, 1})
    ->Args({200000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
