// Uncertain inputs: numbers written as distributions instead of values (sim/model/MODEL.md,
// "Uncertain inputs"). Their forms, means and quantiles, what validation checks of them, and
// the list of a scenario's uncertain inputs by parameter path, which a run with draws varies.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/fields.h"
#include "scenarios/scenario.h"

namespace cjsim {

// "uniform", "triangular", "normal", "beta": the key a file writes.
const char* uncertain_form_name(UncertainValue::Form form);
// The form named `name`, or nullopt.
std::optional<UncertainValue::Form> uncertain_form(std::string_view name);
// How many numbers the form takes (2 or 3), and what they are called ("low, likely, high").
std::size_t uncertain_parameter_count(UncertainValue::Form form);
const char* uncertain_parameter_words(UncertainValue::Form form);
// "{uniform: [low, high]}, {triangular: [low, likely, high]}, ...", for messages.
std::string uncertain_form_list();

// What is wrong with the numbers themselves (a low above its high, sd <= 0, ...), or nullopt.
std::optional<std::string> uncertain_parameter_problem(const UncertainValue& value);

// The distribution's mean (a normal's: its mean as written, before truncation): the value a
// plain run uses. A degenerate distribution (uniform [v, v], triangular [v, v, v]) has
// exactly v.
double uncertain_mean(const UncertainValue& value);

// The value at quantile `u` (0 < u < 1) of the distribution; a normal is truncated to
// `range` (its quantile is taken within the range's share of the probability).
double uncertain_quantile(const UncertainValue& value, double u, const FieldRange& range);

// "triangular [0.2, 0.33, 0.45]", for diffs and reports; "{triangular: [0.2, 0.33, 0.45]}"
// as a file writes it.
std::string uncertain_text(const UncertainValue& value);
std::string uncertain_yaml(const UncertainValue& value);

// Why the distribution cannot describe a field of `range` (a probability of unit
// "probability"), or nullopt: its support must lie in the range (a uniform or triangular
// by its ends, a beta's [0, 1] whole); a normal is refused on a probability (write a beta or a
// triangular), and elsewhere its mean must be in range (draws are truncated to the range).
std::optional<std::string> uncertain_support_problem(const UncertainValue& value,
                                                     const FieldRange& range,
                                                     std::string_view unit);

// One uncertain input of a scenario: the field as a parameter path
// ("touchpoints.id_check.dropout"), its distribution and the field's range.
struct UncertainInput {
  std::string path;
  UncertainValue value;
  FieldRange range;
};

// The scenario's uncertain inputs, in file order: settings, then touchpoints, transitions and
// personas, each in the field table's order; fields that do not apply (the median of a
// duration that is not lognormal) are left out.
std::vector<UncertainInput> uncertain_inputs(const Scenario& scenario);

}  // namespace cjsim
