// Loading a journey from text in memory instead of a file (a Python dict as JSON, a page's
// editor): the same parsing and validation as load_journey.
#pragma once

#include <string>
#include <string_view>

#include "scenarios/scenario.h"
#include "sim/api/context.h"

namespace cjsim {

// Parses and validates `text`, named `name` in diagnostics (a `base:` it names is resolved
// against the directory of `name`). Every diagnostic goes to context.diagnostics; with an
// error, throws InvalidInput ("NAME: N errors, nothing was run").
Scenario load_journey_text(std::string_view text, const std::string& name,
                           const Context& context);

}  // namespace cjsim
