// Reading scenario files: the YAML parse alone, and load + validate + compile, of generated
// journeys of 1,000 to 100,000 touchpoints (target: 10,000 in under a second).
// Counters: bytes/s of YAML, and the file's size.
#include <benchmark/benchmark.h>

#include <optional>
#include <stdexcept>
#include <string>

#include "scenarios/loader.h"
#include "scenarios/validate.h"
#include "scenarios/yaml_tree.h"
#include "sim/model/compiled_journey.h"

namespace {

// A journey of `count` touchpoints in five stages, every field written, three transitions
// forward from each: about 280 bytes of YAML per touchpoint.
std::string generated_journey(int count) {
  static constexpr const char* kStages[] = {"awareness", "consideration", "purchase", "service",
                                            "loyalty"};
  std::string yaml =
      "name: generated\nstages: [awareness, consideration, purchase, service, loyalty]\n"
      "settings: {memory: 0.7, kappa: 1.0, max_steps: 500}\ntouchpoints:\n";
  for (int v = 0; v < count; ++v) {
    yaml += "  - {id: t" + std::to_string(v) + ", stage: " + kStages[v * 5 / count] +
            ", channel: c" + std::to_string(v % 7) +
            ", emotion: {mean: 0.1, sd: 0.2}, dropout: 0.1, duration: {exponential: 1}, cost: 1" +
            (v < 10 ? ", entry_weight: 1" : "") +
            (v % 50 == 49 ? ", conversion: {value: 10}" : "") + "}\n";
  }
  yaml += "transitions:\n";
  for (int v = 0; v + 1 < count; ++v) {
    for (int step : {1, 7, 31}) {
      if (v + step >= count) continue;
      yaml += "  - {from: t" + std::to_string(v) + ", to: t" + std::to_string(v + step) +
              ", weight: " + std::to_string(step) + "}\n";
    }
  }
  yaml += "personas:\n  - {id: a, share: 1}\n  - {id: b, share: 2, channel_affinity: {c1: 2}}\n";
  return yaml;
}

void count_bytes(benchmark::State& state, const std::string& yaml) {
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(yaml.size()));
  state.counters["touchpoints"] = static_cast<double>(state.range(0));
  state.counters["file_bytes"] = static_cast<double>(yaml.size());
}

// libfyaml's events into the loader's tree: the part the earlier reader (yaml-cpp) spent 80% of
// the time in.
void BM_YamlTree(benchmark::State& state) {
  const std::string yaml = generated_journey(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    cjsim::detail::YamlProblem problem;
    std::optional<cjsim::detail::YamlTree> tree = cjsim::detail::YamlTree::parse(yaml, problem);
    if (!tree) throw std::runtime_error(problem.message);
    benchmark::DoNotOptimize(tree->root().size());
  }
  count_bytes(state, yaml);
}
BENCHMARK(BM_YamlTree)->Arg(10000)->Unit(benchmark::kMillisecond);

// What every command does before it runs: the file to a CompiledJourney.
void BM_LoadValidateCompileYaml(benchmark::State& state) {
  const std::string yaml = generated_journey(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    cjsim::Diagnostics diagnostics;
    std::optional<cjsim::Scenario> scenario =
        cjsim::parse_scenario(yaml, "generated.yaml", diagnostics);
    if (!scenario) throw std::runtime_error(diagnostics.to_string());
    cjsim::validate_scenario(*scenario, diagnostics);
    if (diagnostics.has_errors()) throw std::runtime_error(diagnostics.to_string());
    benchmark::DoNotOptimize(cjsim::compile(*scenario));
  }
  count_bytes(state, yaml);
}
BENCHMARK(BM_LoadValidateCompileYaml)
    ->Arg(1000)
    ->Arg(10000)
    ->Arg(100000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
