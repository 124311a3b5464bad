// Sharing conversions among channels (or touchpoints): Markov removal effects of orders 1..k
// (exact) and the first-touch, last-touch and linear heuristics, on observed paths or on a
// journey's simulated paths; on a journey also its exact and simulated removal effects.
#pragma once

#include <optional>
#include <string>

#include "models/attribution/removal_effects.h"

#include "models/observed/observed_reader.h"
#include "reports/render/attribution_report.h"
#include "sim/api/context.h"
#include "sim/api/run.h"

namespace cjsim {

struct AttributeRequest {
  std::string input;            // observed data (CSV, XES) or a journey file (.yaml, .yml, .json)
  ObservedReadOptions read;     // how to read observed data
  bool by_touchpoint = false;   // attribute to touchpoints instead of channels
  int order = 1;                // Markov orders 1..order
  bool simulate_removals = true;  // on a journey: also remove each channel in simulation
  RunSettings run;              // on a journey: the agents simulated
  // On a journey: what removing a touchpoint where journeys start does with their customers
  // (models/attribution/removal_effects.h); unset: lost. Observed data refuse it: their
  // removal effects follow Markov attribution's convention (lost).
  std::optional<EntryTraffic> entry_traffic;
};

// Whether `path` names a journey file rather than observed data.
bool is_journey_file(const std::string& path);

AttributionTable attribute(const AttributeRequest& request, const Context& context);

}  // namespace cjsim
