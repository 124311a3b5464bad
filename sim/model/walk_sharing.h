// Where two compiled journeys make the same walk: the touchpoints at which a step (agent.h)
// reads the same numbers in both, and whether an agent starts alike in both. An agent whose
// walk through the first journey visits only such touchpoints walks the same way through the
// second, draw for draw (its random words depend on the agent and the step alone,
// random_stream.h): a comparison walks it once (sim/engine/comparison.cc).
#pragma once

#include <cstdint>
#include <vector>

#include "sim/model/compiled_journey.h"

namespace cjsim {

inline constexpr std::uint32_t kNotInOther = 0xffffffffu;

// What a walk through `first` is in `second`, compared on the compiled numbers (bit for bit),
// never on the scenario files. Touchpoints match by id; a touchpoint's step is the same step
// when everything the step reads is the same: its emotion, duration, cost and conversion, its
// transitions (in the same order, to touchpoints of the same ids) with their biases, and each
// persona's dropout and transition tables there. Any difference, or anything that cannot be
// matched, counts as a difference.
struct WalkSharing {
  // The agent's set-up is the same: the personas' shares and numbers (initial emotion,
  // sensitivity, value multiplier), each persona's entries (matching by id) and their
  // weights, and the settings a step reads (memory, kappa, max_steps, the horizon).
  bool same_start = false;
  // Per touchpoint of `first`: its index in `second` (kNotInOther when it has none), and
  // whether a step there is the same step in `second`.
  std::vector<std::uint32_t> touchpoint;
  std::vector<std::uint8_t> same_step;
  // Per transition of `first`: its index in `second` when its source's step is the same
  // (else kNotInOther).
  std::vector<std::uint32_t> transition;
};

WalkSharing walk_sharing(const CompiledJourney& first, const CompiledJourney& second);

}  // namespace cjsim
