// A run's summary as one JSON object: the form `cjsim run --json` prints and other tools
// parse. The key names are a published interface: add keys, never rename them.
#pragma once

#include <nlohmann/json.hpp>

#include "sim/engine/summary.h"

namespace cjsim {

// [value, low, high] as {"value", "ci"}; NaN becomes null.
nlohmann::json estimate_json(const Estimate& estimate);

nlohmann::json summary_json(const Summary& summary, double seconds);

}  // namespace cjsim
