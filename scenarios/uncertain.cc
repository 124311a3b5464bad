// Uncertain inputs: the forms, their means and quantiles, and the list of a scenario's.
#include "scenarios/uncertain.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>

#include "scenarios/parameter_path.h"

namespace cjsim {

using Form = UncertainValue::Form;

namespace {

struct FormInfo {
  Form form;
  const char* name;
  std::size_t count;
  const char* words;
};
constexpr FormInfo kUncertainForms[] = {
    {Form::uniform, "uniform", 2, "low, high"},
    {Form::triangular, "triangular", 3, "low, likely, high"},
    {Form::normal, "normal", 2, "mean, sd"},
    {Form::beta, "beta", 2, "alpha, beta"},
};

const FormInfo& info(Form form) {
  return *std::find_if(std::begin(kUncertainForms), std::end(kUncertainForms),
                       [&](const FormInfo& f) { return f.form == form; });
}

std::string numbers_text(const std::vector<double>& numbers) {
  std::string out;
  for (double x : numbers) out += fmt::format("{}{}", out.empty() ? "" : ", ", x);
  return "[" + out + "]";
}

}  // namespace

const char* uncertain_form_name(Form form) { return info(form).name; }

std::optional<Form> uncertain_form(std::string_view name) {
  for (const FormInfo& f : kUncertainForms) {
    if (name == f.name) return f.form;
  }
  return std::nullopt;
}

std::size_t uncertain_parameter_count(Form form) { return info(form).count; }
const char* uncertain_parameter_words(Form form) { return info(form).words; }

std::string uncertain_form_list() {
  std::string out;
  for (const FormInfo& f : kUncertainForms) {
    out += fmt::format("{}{{{}: [{}]}}", out.empty() ? "" : ", ", f.name, f.words);
  }
  return out;
}

std::optional<std::string> uncertain_parameter_problem(const UncertainValue& v) {
  const std::vector<double>& p = v.parameters;
  // Ends so far apart that their spread is no finite number leave no mean to run at.
  if (!std::isfinite(p.back() - p.front()) || !std::isfinite(uncertain_mean(v))) {
    return fmt::format("its numbers {} are too far apart to compute with", numbers_text(p));
  }
  switch (v.form) {
    case Form::uniform:
      if (p[0] > p[1]) return fmt::format("its low {} is above its high {}", p[0], p[1]);
      break;
    case Form::triangular:
      if (p[0] > p[1] || p[1] > p[2]) {
        return fmt::format("it needs low <= likely <= high, got {}", numbers_text(p));
      }
      break;
    case Form::normal:
      if (!(p[1] > 0.0)) {
        return fmt::format(
            "its sd must be greater than 0, got {}; a known value is written "
            "as a plain number",
            p[1]);
      }
      break;
    case Form::beta:
      if (!(p[0] > 0.0) || !(p[1] > 0.0)) {
        return fmt::format("its alpha and beta must be greater than 0, got {}", numbers_text(p));
      }
      break;
  }
  return std::nullopt;
}

double uncertain_mean(const UncertainValue& v) {
  const std::vector<double>& p = v.parameters;
  switch (v.form) {
    case Form::uniform:
      return p[0] + (p[1] - p[0]) / 2.0;
    case Form::triangular:
      return p[0] + ((p[1] - p[0]) + (p[2] - p[0])) / 3.0;
    case Form::normal:
      return p[0];
    case Form::beta:
      return p[0] / (p[0] + p[1]);
  }
  return p[0];
}

double uncertain_quantile(const UncertainValue& v, double u, const FieldRange& range) {
  const std::vector<double>& p = v.parameters;
  // The ends of (0, 1) stay out: a normal's or a beta's quantile there is infinite or exact 0.
  u = std::clamp(u, 0x1p-53, 1.0 - 0x1p-53);
  switch (v.form) {
    case Form::uniform:
      return p[0] + u * (p[1] - p[0]);
    case Form::triangular: {
      const double low = p[0], likely = p[1], high = p[2];
      if (high == low) return low;
      const double at_likely = (likely - low) / (high - low);
      if (u < at_likely) return low + std::sqrt(u * (high - low) * (likely - low));
      return high - std::sqrt((1.0 - u) * (high - low) * (high - likely));
    }
    case Form::normal: {
      const boost::math::normal normal(p[0], p[1]);
      const double below = std::isfinite(range.low) ? boost::math::cdf(normal, range.low) : 0.0;
      const double within =
          (std::isfinite(range.high) ? boost::math::cdf(normal, range.high) : 1.0) - below;
      const double q = std::clamp(below + u * within, 0x1p-60, 1.0 - 0x1p-53);
      double x = boost::math::quantile(normal, q);
      // Rounding may step past an end; an open end is never reached.
      if (x <= range.low) x = range.low_open ? std::nextafter(range.low, INFINITY) : range.low;
      if (x >= range.high) x = range.high_open ? std::nextafter(range.high, -INFINITY) : range.high;
      return x;
    }
    case Form::beta:
      return boost::math::quantile(boost::math::beta_distribution<>(p[0], p[1]), u);
  }
  return p[0];
}

std::string uncertain_text(const UncertainValue& v) {
  return fmt::format("{} {}", uncertain_form_name(v.form), numbers_text(v.parameters));
}

std::string uncertain_yaml(const UncertainValue& v) {
  return fmt::format("{{{}: {}}}", uncertain_form_name(v.form), numbers_text(v.parameters));
}

std::optional<std::string> uncertain_support_problem(const UncertainValue& v,
                                                     const FieldRange& range,
                                                     std::string_view unit) {
  const std::vector<double>& p = v.parameters;
  const auto outside = [&](double x) -> std::optional<std::string> {
    if (range.holds(x)) return std::nullopt;
    return fmt::format("its {} reaches {}, and the field must be {}", uncertain_text(v), x,
                       range.words());
  };
  switch (v.form) {
    case Form::uniform:
      if (auto problem = outside(p[0])) return problem;
      return outside(p[1]);
    case Form::triangular:
      if (auto problem = outside(p[0])) return problem;
      return outside(p[2]);
    case Form::beta:
      if (!range.holds(0.0) || !range.holds(1.0)) {
        return fmt::format(
            "a beta lies between 0 and 1, and the field must be {}; write a "
            "uniform or a triangular",
            range.words());
      }
      return std::nullopt;
    case Form::normal:
      if (unit == "probability") {
        return "a normal is no distribution of a probability (it reaches below 0 and above 1); "
               "write {beta: [alpha, beta]} or {triangular: [low, likely, high]}";
      }
      if (!range.holds(p[0])) {
        return fmt::format("its mean {} must be {}", p[0], range.words());
      }
      return std::nullopt;
  }
  return std::nullopt;
}

namespace {

template <class Entity, class PathOf>
void add_inputs(const Entity& entity, std::span<const Field<Entity>> table, PathOf path_of,
                std::vector<UncertainInput>& out) {
  for (const Field<Entity>& field : table) {
    auto it = entity.uncertain.find(field.name);
    if (it == entity.uncertain.end() || !field_applies(field, entity)) continue;
    out.push_back({path_of(field.name), it->second, field.range});
  }
}

}  // namespace

std::vector<UncertainInput> uncertain_inputs(const Scenario& scenario) {
  std::vector<UncertainInput> out;
  add_inputs(
      scenario.settings, settings_fields(), [](std::string_view f) { return settings_path(f); },
      out);
  for (const Touchpoint& t : scenario.touchpoints) {
    add_inputs(
        t, touchpoint_fields(), [&](std::string_view f) { return touchpoint_path(t.id, f); }, out);
  }
  for (const Transition& t : scenario.transitions) {
    add_inputs(
        t, transition_fields(),
        [&](std::string_view f) { return transition_path(t.from, t.to, f); }, out);
  }
  const FieldRange& affinity = find_field(persona_fields(), "channel_affinity")->range;
  for (const Persona& p : scenario.personas) {
    add_inputs(
        p, persona_fields(), [&](std::string_view f) { return persona_path(p.id, f); }, out);
    // Channel affinities, one entry per channel ("channel_affinity.app"), in channel order.
    for (const auto& [name, value] : p.uncertain) {
      if (name.starts_with(kAffinityPrefix))
        out.push_back({persona_path(p.id, name), value, affinity});
    }
  }
  return out;
}

}  // namespace cjsim
