// What the scenario, change and experiment fuzz targets do with their bytes, one function a
// target, which tests/hostile_input_test.cc calls again on every input a fuzzer once crashed
// on. A scenario that passed validation is compiled and a few agents walk it with a small step
// cap, so that the engine meets every odd journey the loader lets in.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "scenarios/diagnostic.h"
#include "scenarios/experiment.h"
#include "scenarios/loader.h"
#include "scenarios/scenario.h"
#include "scenarios/validate.h"
#include "sim/engine/aggregate.h"
#include "sim/engine/engine.h"
#include "sim/engine/summary.h"
#include "sim/model/compiled_journey.h"

namespace cjsim::fuzz {

inline constexpr std::uint64_t kAgents = 16;
inline constexpr std::int64_t kMostSteps = 200;

// Compiles a valid scenario and simulates a handful of agents; summarising them exercises the
// statistics on whatever the agents produced (all dropped, nobody converted, ...).
inline void simulate_a_few(Scenario scenario) {
  scenario.settings.max_steps = std::min(scenario.settings.max_steps, kMostSteps);
  const CompiledJourney journey = compile(scenario);
  Aggregate aggregate = Aggregate::for_journey(journey);
  simulate_block(journey, /*seed=*/7, /*replication=*/0, /*first=*/0, kAgents, aggregate);
  const Summary summary = summarize(journey, std::span<const Aggregate>(&aggregate, 1));
  (void)summary;
}

// Reads `text` as the scenario file `path` would be read (a `base:` resolves beside it):
// every problem must become a diagnostic that prints, and what validates must run.
inline void load_validate_and_run(std::string_view text, const char* path) {
  Diagnostics diagnostics;
  std::optional<Scenario> scenario = parse_scenario(text, path, diagnostics);
  (void)diagnostics.to_string();
  if (!scenario) return;
  validate_scenario(*scenario, diagnostics);
  (void)diagnostics.to_string();
  if (diagnostics.has_errors()) return;
  simulate_a_few(*scenario);
}

// Any bytes as a scenario file, in a directory that does not exist: a `base:` it names
// resolves to nothing.
inline void scenario_input(std::string_view text) {
  load_validate_and_run(text, "/nonexistent-cjsim-fuzz/input.yaml");
}

// Any bytes as a future state beside tests/data/future/base.yaml, so that `base: base.yaml`
// (and the other files there) resolve and the change operations meet every odd list.
inline void changes_input(std::string_view text) {
  load_validate_and_run(text, CJSIM_TEST_DATA "/future/fuzzed_future.yaml");
}

// Any bytes as an experiment file: what the reader accepts must expand into its design
// (bounded by kMostDesignPoints, which the reader enforces).
inline void experiment_input(std::string_view text) {
  Diagnostics diagnostics;
  const std::optional<Experiment> experiment =
      parse_experiment(text, "/nonexistent-cjsim-fuzz/experiment.yaml", diagnostics);
  (void)diagnostics.to_string();
  if (experiment) (void)design_rows(*experiment);
}

}  // namespace cjsim::fuzz
