// What the fuzz targets share: a scenario that passed validation is compiled and a few agents
// walk it with a small step cap, so that the engine meets every odd journey the loader lets in.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>

#include "scenarios/scenario.h"
#include "sim/aggregate.h"
#include "sim/compiled_journey.h"
#include "sim/engine.h"
#include "sim/summary.h"

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

}  // namespace cjsim::fuzz
