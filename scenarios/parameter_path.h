// A path naming one numeric field of a scenario ("touchpoints.checkout.dropout",
// "transitions.cart->checkout.weight", "personas.senior.share", "settings.kappa"), and setting
// that field to a value: how experiments vary a journey. The fields are the sweepable ones of
// the field table (fields.h), by the names files write them with; older spellings
// ("touchpoints.<id>.value" for conversion.value) are still accepted.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "scenarios/scenario.h"

namespace cjsim {

struct ParameterPath {
  enum class Entity {
    touchpoint,
    transition,
    persona,
    settings,
    calendar,       // calendar.<field>
    resource,       // resources.<id>.<field>
    word_of_mouth,  // word_of_mouth.<field>
    returns         // returns.<field>
  };
  Entity entity = Entity::settings;
  std::string id;     // touchpoint, persona or resource id; "" for the others
  std::string from;   // transition only
  std::string to;     // transition only
  std::string field;  // the field's name in the table: "dropout", "conversion.value",
                      // "channel_affinity.web", "kappa" (an older spelling made canonical)
  std::string text;   // the path as written
};

// The path of a field ("dropout", as the field table names it) of a touchpoint, a transition,
// a persona or the settings: "touchpoints.checkout.dropout", "transitions.a->b.weight".
std::string touchpoint_path(std::string_view id, std::string_view field);
std::string transition_path(std::string_view from, std::string_view to, std::string_view field);
std::string persona_path(std::string_view id, std::string_view field);
std::string settings_path(std::string_view field);

// Parses the shape of a path; on failure returns nothing and sets `error` to a message that
// says what is wrong and which forms are accepted. Whether the named touchpoint, transition
// or persona exists is a question for check_parameter_path.
std::optional<ParameterPath> parse_parameter_path(std::string_view text, std::string& error);

// Whether `path` names a field that `scenario` has; the message (with a spelling suggestion
// where there is one) when it does not.
std::optional<std::string> check_parameter_path(const Scenario& scenario,
                                                const ParameterPath& path);

// The field's current value (a missing horizon reads as NaN). `path` must have passed
// check_parameter_path.
double parameter_value(const Scenario& scenario, const ParameterPath& path);

// Whether the field holds whole numbers (settings.max_steps, calendar.days): a Latin
// hypercube gives such a parameter whole levels.
bool is_whole_number_parameter(const ParameterPath& path);

// The field's unit as the field table gives it ("probability", "hours"; "" for a pure number).
std::string_view parameter_unit(const ParameterPath& path);

// Sets the field; returns a message when the value cannot be stored there (a fractional
// max_steps). Ranges are validation's business: set, then validate the scenario.
std::optional<std::string> set_parameter(Scenario& scenario, const ParameterPath& path,
                                         double value);

}  // namespace cjsim
