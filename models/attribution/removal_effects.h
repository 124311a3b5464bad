// Removal effects: how much of a journey's conversions and revenue is lost when a group of
// touchpoints (a channel, say) is taken away, computed exactly from the absorbing chain
// (sim/model/markov.h) or measured by simulation on common random numbers (sim/engine/comparison.h),
// which extends them to journeys where emotion steers.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/scenario.h"
#include "sim/engine/engine.h"
#include "sim/engine/statistics.h"

namespace cjsim {

// Touchpoints removed together, under a name ("channel 'email'").
struct TouchpointGroup {
  std::string name;
  std::set<std::string> touchpoints;  // ids
};

// What becomes of the customers whose journeys start at a removed touchpoint: `lost` (the
// convention of Markov attribution: they leave at once, and a removal effect counts them) or
// `redistributed` (they start at the other entries instead, in proportion to their entry
// weights: a future state that closes a door people would find another way in by). With no
// entry left, every customer is lost either way.
enum class EntryTraffic { lost, redistributed };

// "lost" or "redistributed"; and the value of such a word, or nullopt.
const char* entry_traffic_name(EntryTraffic traffic);
std::optional<EntryTraffic> entry_traffic_from_name(std::string_view name);

// The journey with the group taken away as removal effects mean it (the convention of Markov
// attribution): a customer who comes to a removed touchpoint leaves the journey there, before
// anything happens there (no conversion, no cost, no experience). Everything else, including
// the choices that lead there, is unchanged; with `redistributed`, removed touchpoints lose
// their entry weight, so nobody starts there.
Scenario without_touchpoints(const Scenario& scenario, const std::set<std::string>& removed,
                             EntryTraffic entries = EntryTraffic::lost);

// The ids of `removed` that the journey's customers may start at (entry weight > 0).
std::vector<std::string> removed_entries(const Scenario& scenario,
                                         const std::set<std::string>& removed);

struct ExactRemoval {
  double conversion_probability = 0.0;  // with the group removed
  double revenue_per_agent = 0.0;
  double conversion_effect = 0.0;  // 1 - conversion without / conversion with
  double value_effect = 0.0;       // the same for revenue
};

struct ExactRemovals {
  double conversion_probability = 0.0;  // of the whole journey
  double revenue_per_agent = 0.0;
  std::vector<ExactRemoval> groups;
};

// Requires a journey that is an absorbing chain (why_not_markov empty): throws
// std::invalid_argument saying why not otherwise. The scenario must be valid.
ExactRemovals exact_removal_effects(const Scenario& scenario,
                                    const std::vector<TouchpointGroup>& groups,
                                    EntryTraffic entries = EntryTraffic::lost);

struct SimulatedRemoval {
  // The loss of conversion rate and revenue per agent when the group is removed, with 95%
  // intervals from the paired agents, and as shares of the journey's (point estimates).
  Estimate conversion_loss;
  Estimate revenue_loss;
  double conversion_effect = 0.0;
  double value_effect = 0.0;
};

struct SimulatedRemovals {
  Estimate conversion_rate;  // of the whole journey
  Estimate revenue_per_agent;
  std::vector<SimulatedRemoval> groups;
};

// The journey and every group's removal run on the same agents.
SimulatedRemovals simulated_removal_effects(const Scenario& scenario,
                                            const std::vector<TouchpointGroup>& groups,
                                            const RunOptions& options,
                                            EntryTraffic entries = EntryTraffic::lost);

}  // namespace cjsim
