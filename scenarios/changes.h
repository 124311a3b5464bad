// Future states as changes: the `changes:` list of a file that names a `base:` journey, each
// change applied in order to the Scenario the base gives.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "scenarios/diagnostic.h"
#include "scenarios/scenario.h"
#include "scenarios/yaml_tree.h"

namespace cjsim {

// Every kind of change, in the order the schema and scenarios/README.md document them.
inline constexpr std::string_view kChangeKinds[] = {
    "add_touchpoint",    "update_touchpoint",   "remove_touchpoint", "add_transition",
    "update_transition", "reweight_transition", "remove_transition", "add_persona",
    "update_persona",    "remove_persona",      "update_settings",   "update_calendar",
    "add_resource",      "update_resource",     "remove_resource",   "update_word_of_mouth",
    "update_returns",    "update_stage"};

// The keys of a reweight_transition change.
inline constexpr std::string_view kReweightKeys[] = {"from", "to", "factor", "weight"};

// Applies `changes` (the items of a `changes:` list, read from the file `path`) to `scenario`,
// one after the other. Every problem found (an unknown kind, an id that is not there or is
// already there, a bad value) goes to `diagnostics`, naming the change by its number and kind;
// the changes without problems are applied all the same, so that one pass reports them all.
// Removals are recorded in `scenario.removals` for validation to explain what they cut.
void apply_changes(std::span<const detail::YamlNode> changes, const std::string& path,
                   Scenario& scenario, Diagnostics& diagnostics);

}  // namespace cjsim
