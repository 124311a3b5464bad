// A run's summary as one JSON object: the form `cjsim run --json` prints and other tools
// parse. The key names are a published interface: add keys, never rename them.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "reports/store/run_metadata.h"
#include "sim/engine/summary.h"

namespace cjsim {

// A number as JSON; NaN and infinities become null.
nlohmann::json json_number(double x);

// Figure `name` as a plain number and `name_ci` as [low, high] (null where undefined): the
// naming every JSON output of cjsim uses.
void put_estimate(nlohmann::json& object, const std::string& name, const Estimate& e);

// [value, low, high] as {"value", "ci"}; NaN becomes null.
nlohmann::json estimate_json(const Estimate& estimate);

nlohmann::json summary_json(const Summary& summary, double seconds);

// Adds what a run's JSON needs to be reproduced beside its `agents` and `replications`:
// `seed`, `version` (cjsim's) and `scenario_path` (as given).
void put_run_identity(nlohmann::json& object, const RunMetadata& metadata);

}  // namespace cjsim
