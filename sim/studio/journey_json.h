// A journey as the page draws it: stages, touchpoints, transitions, personas and settings, each
// with the place in the file its fields were written (for the editor), and diagnostics with
// their line and column.
#pragma once

#include <nlohmann/json.hpp>

#include "scenarios/diagnostic.h"
#include "scenarios/scenario.h"

namespace cjsim::studio {

// ..., "uncertain_inputs": [{"path", "distribution"}] (the numbers written as distributions,
// by parameter path: "touchpoints.id_check.dropout", "triangular [0.05, 0.1, 0.25]"), ...
nlohmann::json journey_json(const Scenario& scenario);

// [{"severity", "file", "line", "column", "message", "text"}], text as `cjsim validate` prints it.
nlohmann::json diagnostics_json(const Diagnostics& diagnostics);

}  // namespace cjsim::studio
