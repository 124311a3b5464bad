// Runs with uncertain inputs: a comparison of retail.yaml and retail_one_click_checkout.yaml
// with four guesses made uncertain (triangular, 30% either side of the file's value), drawn K
// times, against the same comparison run K + 1 times plainly: K draws should cost no more than
// K + 1 comparisons (the central one and the draws), and 32 draws at 100,000 agents a few
// seconds on 2 cores.
#include <benchmark/benchmark.h>

#include <stdexcept>
#include <string>

#include "scenarios/uncertain.h"
#include "scenarios/validate.h"
#include "sim/api/uncertainty.h"

namespace {

cjsim::Scenario load(const std::string& name) {
  cjsim::Diagnostics diagnostics;
  auto scenario = cjsim::load_valid_scenario(
      std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/" + name, diagnostics);
  if (!scenario) throw std::runtime_error(diagnostics.to_string());
  return *scenario;
}

// The dropouts of four touchpoints become triangular guesses around their values.
void make_uncertain(cjsim::Scenario& scenario) {
  for (cjsim::Touchpoint& t : scenario.touchpoints) {
    if (t.id != "basket" && t.id != "web_checkout" && t.id != "delivery" &&
        t.id != "product_page") {
      continue;
    }
    const double d = t.dropout;
    t.uncertain["dropout"] = {
        cjsim::UncertainValue::Form::triangular, {0.7 * d, d, std::min(1.0, 1.3 * d)}, {}};
    t.dropout = cjsim::uncertain_mean(t.uncertain["dropout"]);
  }
}

const cjsim::CompiledJourneys& retail_states() {
  static const cjsim::CompiledJourneys journeys = [] {
    cjsim::CompiledJourneys j;
    for (const char* name : {"retail.yaml", "retail_one_click_checkout.yaml"}) {
      cjsim::Scenario s = load(name);
      make_uncertain(s);
      j.paths.emplace_back(name);
      j.journeys.push_back(cjsim::compile(s));
      j.scenarios.push_back(std::move(s));
    }
    return j;
  }();
  return journeys;
}

cjsim::RunSettings settings(benchmark::State& state) {
  cjsim::RunSettings s;
  s.agents = static_cast<std::uint64_t>(state.range(0));
  s.threads = static_cast<unsigned>(state.range(2));
  s.seed = 1;
  return s;
}

void BM_RetailCompareDraws(benchmark::State& state) {
  const auto draws = static_cast<std::uint32_t>(state.range(1));
  for (auto _ : state) {
    const cjsim::UncertainCompareOutcome c = cjsim::compare_journeys_with_draws(
        retail_states(), settings(state), "conversion_rate", {.draws = draws}, cjsim::Context{});
    benchmark::DoNotOptimize(c.uncertainty->sensitivity.size());
  }
  state.counters["agents"] =
      benchmark::Counter(static_cast<double>(state.range(0)) * 2 * (draws + 1) *
                             static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RetailCompareDraws)
    ->Args({100000, 32, 2})
    ->Args({100000, 32, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// Total effects (--total-effects): K draws and K more per uncertain input (the pick-freeze
// draws), K (inputs + 1) comparisons besides the central one; against the same count of plain
// comparisons (BM_RetailCompareRuns with K (inputs + 1) as its K).
void BM_RetailCompareTotalEffects(benchmark::State& state) {
  const auto draws = static_cast<std::uint32_t>(state.range(1));
  const std::size_t inputs = retail_states().scenarios.size() > 0
                                 ? cjsim::uncertain_inputs(retail_states().scenarios[0]).size()
                                 : 0;
  for (auto _ : state) {
    const cjsim::UncertainCompareOutcome c = cjsim::compare_journeys_with_draws(
        retail_states(), settings(state), "conversion_rate",
        {.draws = draws, .total_effects = true}, cjsim::Context{});
    benchmark::DoNotOptimize(c.uncertainty->sensitivity.size());
  }
  const double runs = static_cast<double>(draws) * static_cast<double>(inputs + 1) + 1.0;
  state.counters["runs"] = runs;
  state.counters["agents"] = benchmark::Counter(
      static_cast<double>(state.range(0)) * 2 * runs * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
// 8 draws of 4 inputs: 41 comparisons, as BM_RetailCompareRuns/100000/40.
BENCHMARK(BM_RetailCompareTotalEffects)
    ->Args({100000, 8, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The same work without draws: K + 1 plain comparisons of the same agents.
void BM_RetailCompareRuns(benchmark::State& state) {
  const auto runs = static_cast<std::uint32_t>(state.range(1)) + 1;
  for (auto _ : state) {
    for (std::uint32_t r = 0; r < runs; ++r) {
      const cjsim::CompareOutcome c = cjsim::compare_journeys(retail_states(), settings(state),
                                                              "conversion_rate", cjsim::Context{});
      benchmark::DoNotOptimize(c.report->differences.size());
    }
  }
  state.counters["agents"] = benchmark::Counter(
      static_cast<double>(state.range(0)) * 2 * runs * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RetailCompareRuns)
    ->Args({100000, 32, 2})
    ->Args({100000, 32, 1})
    ->Args({100000, 40, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
