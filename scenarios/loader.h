// Reading a journey from YAML (or JSON, which YAML reads as well) into a Scenario.
#pragma once

#include <cstddef>
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

// The largest scenario file read: far beyond any hand-written or exported journey (a million
// touchpoints fit), small enough that a mistaken argument (a log, a disk image) is refused
// at once instead of exhausting memory.
inline constexpr std::size_t kMostScenarioBytes = std::size_t{64} << 20;

// Reads the file and parses it; an unreadable file, or one over kMostScenarioBytes, is a
// diagnostic too.
std::optional<Scenario> load_scenario_file(const std::string& path, Diagnostics& diagnostics);

}  // namespace cjsim
