// Latent personas that collapse: pairs within their standard errors, and the likelihood the
// personas gain over one.
#include "models/fit/persona_collapse.h"

#include <fmt/format.h>

#include <set>

namespace cjsim {

PersonaCollapse detect_persona_collapse(const EmotionFit& fit,
                                        std::optional<double> one_persona_log_likelihood) {
  PersonaCollapse out;
  const std::vector<Persona>& personas = fit.scenario.personas;
  if (personas.size() < 2) return out;
  out.checked = true;
  struct Value {
    double value = 0.0;
    double standard_error = 0.0;  // NaN: not identifiable
  };
  const auto value_of = [&](FitParameterKind kind, std::size_t k) -> std::optional<Value> {
    for (const FittedParameter& p : fit.parameters) {
      if (p.kind != kind || p.index != k) continue;
      return Value{p.value, p.identifiable ? p.standard_error : std::nan("")};
    }
    return std::nullopt;
  };
  std::set<FitParameterKind> fitted;
  for (const FittedParameter& p : fit.parameters) {
    if (p.kind == FitParameterKind::dropout_odds || p.kind == FitParameterKind::initial_emotion) {
      fitted.insert(p.kind);
      ++out.extra_parameters;
    }
  }
  out.extra_parameters += static_cast<int>(personas.size()) - 1;  // the free shares
  std::string pairs;
  for (std::size_t i = 0; i < personas.size() && !fitted.empty(); ++i) {
    for (std::size_t j = i + 1; j < personas.size(); ++j) {
      bool alike = true;
      std::string values;
      for (const FitParameterKind kind : fitted) {
        // The reference (held) persona: its own value, exactly.
        const bool odds = kind == FitParameterKind::dropout_odds;
        const auto held = [&](std::size_t k) {
          return Value{odds ? 1.0 : personas[k].initial_emotion_mean, 0.0};
        };
        const Value a = value_of(kind, i).value_or(held(i));
        const Value b = value_of(kind, j).value_or(held(j));
        const double se = std::hypot(a.standard_error, b.standard_error);
        if (!std::isnan(se) && std::abs(a.value - b.value) > kCoincideStandardErrors * se) {
          alike = false;
        }
        values += fmt::format("{}{} {:.4g} and {:.4g}", values.empty() ? "" : "; ",
                              odds ? "dropout odds (relative)" : "initial emotion", a.value,
                              b.value);
      }
      if (!alike) continue;
      out.coinciding.emplace_back(personas[i].id, personas[j].id);
      pairs += fmt::format("{}'{}' and '{}' ({})", pairs.empty() ? "" : "; ", personas[i].id,
                           personas[j].id, values);
    }
  }
  std::string criterion = fmt::format(
      "two personas coincide when every persona parameter of theirs lies within {} standard "
      "errors of the other's",
      kCoincideStandardErrors);
  bool too_little_gain = false;
  if (one_persona_log_likelihood && std::isfinite(*one_persona_log_likelihood)) {
    out.one_persona_log_likelihood = *one_persona_log_likelihood;
    out.log_likelihood_gain = fit.log_likelihood - *one_persona_log_likelihood;
    out.gain_threshold =
        0.5 * out.extra_parameters * std::log(static_cast<double>(std::max<std::uint64_t>(fit.customers, 2)));
    too_little_gain = out.log_likelihood_gain <= out.gain_threshold;
    criterion += fmt::format(
        "; the {} personas gain {:.2f} in log-likelihood over one persona, {} the {:.2f} BIC asks "
        "of their {} extra parameters",
        personas.size(), out.log_likelihood_gain, too_little_gain ? "not above" : "above",
        out.gain_threshold, out.extra_parameters);
  }
  out.collapsed = !out.coinciding.empty() || too_little_gain;
  out.criterion = std::move(criterion);
  if (!pairs.empty()) out.criterion = "coinciding: " + pairs + "; " + out.criterion;
  return out;
}

std::string persona_collapse_text(const PersonaCollapse& c) {
  if (!c.checked) return "";
  if (!c.collapsed) {
    return fmt::format("The latent personas are distinct ({})", c.criterion);
  }
  return fmt::format(
      "The latent personas collapsed ({}): the paths do not tell them apart, so their shares "
      "mean nothing; fit fewer personas",
      c.criterion);
}

}  // namespace cjsim
