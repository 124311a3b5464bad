// Reading a journey from YAML (or JSON, which YAML reads as well) into a Scenario.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "scenarios/diagnostic.h"
#include "scenarios/scenario.h"

namespace cjsim {

// Parses `text` (named `path` in messages). Shape problems (syntax, wrong types, unknown
// keys, missing required fields, non-finite numbers) are added to `diagnostics`, all of
// them, and the Scenario is returned only when there were none.
std::optional<Scenario> parse_scenario(std::string_view text, const std::string& path,
                                       Diagnostics& diagnostics);

// Reads the file and parses it; an unreadable file is a diagnostic too.
std::optional<Scenario> load_scenario_file(const std::string& path, Diagnostics& diagnostics);

}  // namespace cjsim
