// The fitted values written back into the skeleton, in the file's order.
#include "models/fit/fitted_scenario.h"

#include <algorithm>
#include <cmath>

#include "sim/model/behaviour.h"

namespace cjsim::fit_detail {

Scenario fitted_scenario(const Problem& problem, const ModelValues& v) {
  Scenario s = problem.skeleton;
  for (std::size_t u = 0; u < s.touchpoints.size(); ++u) {
    Touchpoint& t = s.touchpoints[u];
    t.emotion_mean = std::clamp(v.emotion_mean[u], -1.0, 1.0);
    t.emotion_sd = 0.0;
    // A dropout at the optimiser's bound means nobody left there: the model's 0.
    t.dropout = v.dropout[u] <= model::logistic(-kLogitBound) * 1.000001 ? 0.0 : v.dropout[u];
    t.entry_weight = v.entry_weight[u];
  }
  for (std::size_t e = 0; e < s.transitions.size(); ++e) {
    const std::uint32_t compiled = problem.graph.compiled_transition[e];
    s.transitions[e].weight = v.weight[compiled];
    s.transitions[e].emotion_bias = v.bias[compiled];
  }
  s.settings.kappa = v.kappa;
  const Persona template_persona =
      problem.skeleton.personas.empty() ? neutral_persona() : problem.skeleton.personas[0];
  const std::vector<double> shares = Likelihood::log_shares(v);
  s.personas.clear();
  for (std::size_t k = 0; k < v.personas.size(); ++k) {
    Persona p = template_persona;
    p.id = problem.persona_ids[k];
    // The words (name, goals, ...) are the skeleton's persona of that id, if it has one.
    p.words = PersonaWords{};
    p.words.name = p.id;
    for (const Persona& named : problem.skeleton.personas) {
      if (named.id == p.id) p.words = named.words;
    }
    p.share = std::exp(shares[k]);
    p.initial_emotion_mean = std::clamp(v.personas[k].initial_emotion, -1.0, 1.0);
    p.initial_emotion_sd = 0.0;
    p.dropout_odds = v.personas[k].odds;
    p.sensitivity = v.personas[k].sensitivity;
    s.personas.push_back(std::move(p));
  }
  return s;
}

}  // namespace cjsim::fit_detail
