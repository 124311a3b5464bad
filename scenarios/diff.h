// The effective differences between two journeys (a current state and a future state, or any
// two): what was removed, added and changed, field by field, as a strategist reads them.
// `cjsim diff` prints them; any report that compares two scenarios can say what differs.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "scenarios/scenario.h"

namespace cjsim {

// A field's value: none (no horizon, not a conversion, an entity that is not there, no words),
// a number, text (names, stages, durations, a description) or a list of texts (pain points,
// goals; a persona's attributes as "key: value").
using DiffValue = std::variant<std::monostate, double, std::string, std::vector<std::string>>;

// One field, by the name a file writes it with ("dropout", "emotion.mean",
// "channel_affinity.app", "conversion.value"), and its value before and after.
struct FieldChange {
  std::string field;
  DiffValue before;
  DiffValue after;

  bool operator==(const FieldChange&) const = default;
};

struct JourneyDifference {
  enum class Part {
    journey,
    settings,
    touchpoint,
    transition,
    persona,
    calendar,
    resource,
    word_of_mouth,
    returns,
    stage  // a stage's words (stages added or removed are the journey's `stages`)
  };
  enum class Change { removed, added, changed };

  Part part = Part::journey;
  Change change = Change::changed;
  std::string id;    // touchpoint or persona id, stage name; "from -> to" for a transition
  std::string from;  // a transition's ends
  std::string to;
  // changed: the fields that differ. added: the new entity's fields that are not at their
  // defaults (before is none). removed: the same of the entity that went (after is none).
  std::vector<FieldChange> fields;
  std::string note;  // "with 'account_signup'": a transition removed with its touchpoint

  bool operator==(const JourneyDifference&) const = default;
};

// Compares by id (touchpoints, personas), by ends (transitions) and field by field; order in
// the files does not matter, nor where things were written, nor a default written out (an
// affinity of 1 is the same as none). In each part: removed (in the current journey's order),
// then added, then changed (in the future journey's order). Empty when the two journeys mean
// the same.
std::vector<JourneyDifference> diff_scenarios(const Scenario& current, const Scenario& future);

// The differences as `cjsim diff` prints them, one heading per part:
//   Touchpoints
//     - removed  account_signup (purchase, web)
//     + added    one_click (purchase, web): conversion 85, dropout 1%
//     ~ changed  web_checkout: dropout 3% -> 2%, emotion mean +0.25 -> +0.30
//     ~ changed  basket: description rewritten, pain points + "No guest checkout"
// "No differences.\n" when there are none.
std::string format_differences(const std::vector<JourneyDifference>& differences);

// The same, machine-readable: a list of {part, change, id, [from, to], fields: [{field,
// before, after}], [note]}, numbers as numbers, lists of texts as arrays and none as null.
nlohmann::json differences_to_json(const std::vector<JourneyDifference>& differences);

// "touchpoint", "transition", ... and "removed", "added", "changed".
const char* part_name(JourneyDifference::Part part);
const char* change_name(JourneyDifference::Change change);

}  // namespace cjsim
