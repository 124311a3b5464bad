// What fitting costs: the exact Markov MLE of a log of simulated retail customers, and the
// emotion fit (path likelihood, L-BFGS, standard errors) with one and two latent personas, and
// funnel calibration by simulation (BOBYQA over dropouts and kappa).
// The data are simulated once per process, outside the timing.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "models/fit/calibration.h"
#include "models/fit/emotion_fit.h"
#include "models/fit/fit_journey.h"
#include "models/fit/markov_fit.h"
#include "models/fit/simulated_journeys.h"
#include "models/observed/funnel.h"
#include "models/observed/observed_reader.h"
#include "scenarios/validate.h"
#include "sim/engine/engine.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {
namespace {

Scenario load(const std::string& path) {
  Diagnostics diagnostics;
  auto scenario = load_valid_scenario(std::string(CJSIM_SOURCE_DIR) + "/" + path, diagnostics);
  if (!scenario) throw std::runtime_error(diagnostics.to_string());
  return *scenario;
}

// The emotion fit's likelihood is exact when emotion has no noise: the skeleton's sds set to 0.
Scenario without_emotion_noise(Scenario scenario) {
  for (Touchpoint& t : scenario.touchpoints) t.emotion_sd = 0.0;
  for (Persona& p : scenario.personas) p.initial_emotion_sd = 0.0;
  return scenario;
}

ObservedJourneys simulate(const Scenario& scenario, std::uint64_t agents) {
  const CompiledJourney journey = compile(scenario);
  RunOptions options;
  options.agents = agents;
  options.seed = 11;
  options.agent_paths = true;
  const RunResult result = run(journey, options);
  return observed_from_simulation(journey, *result.detail);
}

struct Case {
  Scenario skeleton;
  ObservedJourneys data;
};

const Case& data_of(const std::string& journey, std::uint64_t customers) {
  static std::map<std::pair<std::string, std::uint64_t>, Case> cache;
  auto [it, added] = cache.try_emplace({journey, customers});
  if (added) {
    it->second.skeleton = without_emotion_noise(load(journey));
    it->second.data = simulate(it->second.skeleton, customers);
  }
  return it->second;
}

void BM_FitMarkovRetail(benchmark::State& state) {
  const auto customers = static_cast<std::uint64_t>(state.range(0));
  const Case& c = data_of("scenarios/examples/retail.yaml", customers);
  for (auto _ : state) benchmark::DoNotOptimize(fit_markov(c.data));
  state.counters["customers_per_s"] = benchmark::Counter(
      static_cast<double>(customers), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_FitMarkovRetail)->Arg(100000)->Arg(1000000)->Unit(benchmark::kMillisecond);

// Retail's stage funnel (the example's own reach at 100,000 agents, seed 1), calibrated from
// the example with four parameters moved away: every evaluation simulates 20,000 agents on one
// thread, the search stopped after 40 of them so that each iteration does the same work.
void BM_CalibrateRetailFunnel(benchmark::State& state) {
  const Scenario retail = load("scenarios/examples/retail.yaml");
  Diagnostics diagnostics;
  const auto funnel = parse_funnel_csv(
      "step,reached\nentered,100000\nconsideration,63801\npurchase,28525\nservice,12452\n"
      "loyalty,16327\n",
      "retail funnel", diagnostics);
  if (!funnel) throw std::runtime_error(diagnostics.to_string());
  Scenario start = retail;
  CalibrationOptions options;
  options.parameters = {"touchpoints.basket.dropout", "touchpoints.web_checkout.dropout",
                        "touchpoints.account_signup.dropout", "settings.kappa"};
  for (Touchpoint& t : start.touchpoints) {
    if (t.id == "basket" || t.id == "web_checkout" || t.id == "account_signup") t.dropout = 0.1;
  }
  options.threads = 1;
  options.max_evaluations = 40;
  int evaluations = 0;
  for (auto _ : state) {
    const auto calibration = calibrate(start, *funnel, options, diagnostics);
    if (!calibration) throw std::runtime_error(diagnostics.to_string());
    evaluations += calibration->evaluations;
  }
  state.counters["evaluations_per_s"] =
      benchmark::Counter(static_cast<double>(evaluations), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CalibrateRetailFunnel)->Unit(benchmark::kMillisecond);

void fit_emotion_case(benchmark::State& state, const std::string& journey) {
  const auto customers = static_cast<std::uint64_t>(state.range(0));
  const Case& c = data_of(journey, customers);
  EmotionFitOptions options;
  options.personas = static_cast<int>(state.range(1));
  options.starts = 2;
  EmotionFit fit;
  for (auto _ : state) {
    Diagnostics diagnostics;
    auto result = fit_emotion(c.skeleton, c.data, options, diagnostics);
    if (!result) {
      state.SkipWithError(diagnostics.to_string().c_str());
      return;
    }
    fit = std::move(*result);
  }
  state.counters["distinct_paths"] = static_cast<double>(fit.distinct_paths);
  state.counters["parameters"] = fit.free_parameters;
  state.counters["em_iterations"] = fit.em_iterations;
}

// The fitting tests' journey (7 touchpoints, 10 transitions, two personas).
void BM_FitEmotionTwoPersonasJourney(benchmark::State& state) {
  fit_emotion_case(state, "tests/data/fit/two_personas.yaml");
}
BENCHMARK(BM_FitEmotionTwoPersonasJourney)
    ->ArgsProduct({{30000}, {1, 2}})
    ->ArgNames({"customers", "personas"})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

// The retail example (30 touchpoints): thousands of distinct paths, over 100 parameters.
void BM_FitEmotionRetail(benchmark::State& state) {
  fit_emotion_case(state, "scenarios/examples/retail.yaml");
}
BENCHMARK(BM_FitEmotionRetail)
    ->ArgsProduct({{20000}, {1, 2}})
    ->ArgNames({"customers", "personas"})
    ->Unit(benchmark::kSecond)
    ->Iterations(1);

// ChannelAttribution's PathData (10,000 distinct paths over 12 channels), as `cjsim fit
// pathdata.csv --personas 2 -n 20000` fits it: the Markov chain, two latent personas on it (4
// starts), standard errors and the 20,000-agent check. The file is not in the repository: it
// is read from $CJSIM_PATHDATA, else from ../shared/data/channelattribution-pathdata/ beside
// the source tree, and the benchmark is skipped without it.
// ChannelAttribution's PathData (from $CJSIM_PATHDATA or ../shared/data/), nullopt with the
// benchmark skipped when it is not there.
std::optional<ObservedJourneys> pathdata(benchmark::State& state) {
  const char* given = std::getenv("CJSIM_PATHDATA");
  const std::string file = given ? std::string(given)
                                 : std::string(CJSIM_SOURCE_DIR) +
                                       "/../shared/data/channelattribution-pathdata/pathdata.csv";
  if (!std::filesystem::exists(file)) {
    state.SkipWithError(("no " + file + " (set CJSIM_PATHDATA)").c_str());
    return std::nullopt;
  }
  Diagnostics diagnostics;
  auto data = read_observed_file(file, {}, diagnostics);
  if (!data) state.SkipWithError(diagnostics.to_string().c_str());
  return data;
}

FitRequest two_personas_request(ObservedJourneys data, PersonaModel model) {
  FitRequest request;
  request.data = std::move(data);
  request.data_name = "pathdata.csv";
  request.out_name = "p2.yaml";
  request.personas = 2;
  request.persona_model = model;
  request.agents = 20000;
  return request;
}

// Two latent personas of dropout odds, by gradient (--persona-model odds).
void BM_FitTwoPersonasPathdata(benchmark::State& state) {
  std::optional<ObservedJourneys> data = pathdata(state);
  if (!data) return;
  const FitRequest request = two_personas_request(std::move(*data), PersonaModel::odds);
  FitResult result;
  for (auto _ : state) result = fit_journey(request);
  if (!result.emotion) {
    state.SkipWithError(result.refusal.c_str());
    return;
  }
  state.counters["distinct_paths"] = static_cast<double>(result.emotion->distinct_paths);
  state.counters["parameters"] = result.emotion->free_parameters;
  state.counters["em_iterations"] = result.emotion->em_iterations;
}
BENCHMARK(BM_FitTwoPersonasPathdata)->Unit(benchmark::kSecond)->Iterations(1);

// Two latent personas as a mixture of Markov chains (--persona-model chains, the default).
void BM_FitTwoChainsPathdata(benchmark::State& state) {
  std::optional<ObservedJourneys> data = pathdata(state);
  if (!data) return;
  const FitRequest request = two_personas_request(std::move(*data), PersonaModel::chains);
  FitResult result;
  for (auto _ : state) result = fit_journey(request);
  if (!result.mixture) {
    state.SkipWithError(result.refusal.c_str());
    return;
  }
  state.counters["distinct_paths"] = static_cast<double>(result.mixture->distinct_paths);
  state.counters["parameters"] = result.mixture->free_parameters;
  state.counters["em_iterations"] = result.mixture->iterations;
}
BENCHMARK(BM_FitTwoChainsPathdata)->Unit(benchmark::kSecond)->Iterations(1);

}  // namespace
}  // namespace cjsim
