// The meaning checks on a Scenario, whoever built it (a file, a list of changes, a fit):
// references, ranges, and the touchpoint graph itself.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "scenarios/diagnostic.h"
#include "scenarios/fields.h"
#include "scenarios/scenario.h"

namespace cjsim {

// A journey has at most this many stages (each agent's stages seen fit in 64 bits).
inline constexpr std::size_t kMostStages = 64;


// Adds every problem found to `diagnostics` (errors block a run; warnings do not).
void validate_scenario(const Scenario& scenario, Diagnostics& diagnostics);

// The checks on a scenario the loader could read only in part (`read_problems`: the shape
// problems found reading it, an unknown key, a wrong type), so that one pass reports the
// problems of meaning beside them. Only errors a partial reading cannot have caused are added:
// none at a place a shape problem was reported (an id of the wrong type is not also "empty"),
// none about the whole journey (its entries, its conversions, its graph), no warnings.
void validate_partly_read(const Scenario& scenario, const Diagnostics& read_problems,
                          Diagnostics& diagnostics);

// Loads and validates in one go: the form every command uses. Returns the Scenario when
// there was no error; warnings are left in `diagnostics` for the caller to print.
std::optional<Scenario> load_valid_scenario(const std::string& path, Diagnostics& diagnostics);

}  // namespace cjsim
