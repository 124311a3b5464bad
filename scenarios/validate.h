// The meaning checks on a Scenario, whoever built it (a file, a list of changes, a fit):
// references, ranges, and the touchpoint graph itself.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "scenarios/diagnostic.h"
#include "scenarios/fields.h"
#include "scenarios/parameter_path.h"
#include "scenarios/scenario.h"

namespace cjsim {

// A journey has at most this many stages (each agent's stages seen fit in 64 bits).
inline constexpr std::size_t kMostStages = 64;


// Adds every problem found to `diagnostics` (errors block a run; warnings do not).
void validate_scenario(const Scenario& scenario, Diagnostics& diagnostics);

struct ValidationNames;

// The touchpoints, transitions and personas (by index in the base) that parameters name, and
// what validation reads of the base's names (which parameters cannot change).
struct ChangedParts {
  std::vector<bool> touchpoints;
  std::vector<bool> transitions;
  std::vector<bool> personas;
  std::shared_ptr<const ValidationNames> names;
  // Whether some parameter is a number the whole journey's error checks read (an entry weight,
  // a duration, a transition's weight, a persona's number, the horizon) other than a dropout.
  bool whole_journey = false;
  // The touchpoints whose dropout is a parameter, with the base's dropout: those checks read a
  // dropout only as whether it is above 0 and whether it is 1 or more.
  std::vector<std::pair<std::size_t, double>> dropouts;
};

// The parts of `base` that `paths` name (each path must have passed check_parameter_path).
ChangedParts changed_parts(const Scenario& base, std::span<const ParameterPath> paths);

// The errors validate_scenario finds in a scenario that differs from a base without errors
// only in numbers of `changed` touchpoints, transitions and personas, of the settings or of
// the calendar's parts (a design point): the same messages in the same order, found without
// checking again what cannot have changed (the stages, and the other touchpoints', transitions'
// and personas' own fields; the whole journey's errors, where the changed numbers are none it
// reads). The whole journey's warnings are left out, and some of the base's.
void validate_changed(const Scenario& scenario, const ChangedParts& changed,
                      Diagnostics& diagnostics);

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
