// Setting up an emotion fit (which parameters are free, where they start, what the fit
// assumes) and its objective.
#include "models/fit/fit_problem.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace cjsim::fit_detail {

Problem::Problem(const Scenario& skeleton_, const FitGraph& graph_, const Likelihood& likelihood_)
    : skeleton(skeleton_),
      graph(graph_),
      likelihood(likelihood_),
      base(scenario_values(skeleton_, graph_)) {}

double Problem::objective(const std::vector<double>& theta,
                          const std::vector<double>* responsibility,
                          std::vector<double>* gradient) const {
  ModelValues v;
  apply(free, theta, graph, base, v);
  const std::vector<double> shares = Likelihood::log_shares(v);
  const std::size_t K = shares.size();
  const std::size_t paths = likelihood.path_count();
  ModelGradient g;
  if (gradient) g.reset(graph.size(), graph.transition_count(), K);
  PathTerms terms;
  likelihood.evaluate(v, shares, responsibility, terms, gradient ? &g : nullptr);
  // Summed path after path, so that the value does not depend on the threads.
  std::vector<double> persona_weight(K, 0.0);
  double value = 0.0;
  for (std::size_t i = 0; i < paths; ++i) {
    const double count = likelihood.path(i).count;
    if (responsibility) {
      for (std::size_t k = 0; k < K; ++k) {
        const double r = (*responsibility)[i * K + k];
        if (r <= 0.0) continue;
        value -= count * r * terms.ll[i * K + k];
      }
      continue;
    }
    value -= count * terms.total[i];
    if (!gradient) continue;
    for (std::size_t k = 0; k < K; ++k) persona_weight[k] += count * terms.posterior[i * K + k];
  }
  if (!gradient) return value;
  if (!responsibility) {
    for (std::size_t k = 0; k < K; ++k) {
      g.log_share[k] = -(persona_weight[k] - customers * std::exp(shares[k]));
    }
  }
  gradient->assign(free.size(), 0.0);
  for (std::size_t i = 0; i < free.size(); ++i) {
    const std::uint32_t x = free[i].index;
    switch (free[i].kind) {
      case FitParameterKind::emotion_mean:
        (*gradient)[i] = g.emotion_mean[x];
        break;
      case FitParameterKind::kappa:
        (*gradient)[i] = g.kappa;
        break;
      case FitParameterKind::emotion_bias:
        (*gradient)[i] = g.bias[x];
        break;
      case FitParameterKind::dropout:
        (*gradient)[i] = g.log_odds[x];
        break;
      case FitParameterKind::transition_weight:
        (*gradient)[i] = g.log_weight[x];
        break;
      case FitParameterKind::entry_weight:
        (*gradient)[i] = g.log_entry[x];
        break;
      case FitParameterKind::persona_share:
        (*gradient)[i] = g.log_share[x];
        break;
      case FitParameterKind::initial_emotion:
        (*gradient)[i] = g.initial_emotion[x];
        break;
      case FitParameterKind::dropout_odds:
        (*gradient)[i] = g.persona_log_odds[x];
        break;
    }
  }
  return value;
}

namespace {

bool emotion_matters_in(const Scenario& s, bool kappa_free) {
  return kappa_free || s.settings.kappa > 0.0 ||
         std::any_of(s.transitions.begin(), s.transitions.end(),
                     [](const Transition& t) { return t.emotion_bias != 0.0; });
}

void choose_free_parameters(Problem& problem, const EmotionFitOptions& options) {
  const Scenario& s = problem.skeleton;
  const FitGraph& g = problem.graph;
  auto add = [&](FitParameterKind kind, std::uint32_t index, double lower, double upper) {
    problem.free.push_back({kind, index, lower, upper});
  };
  std::vector<std::uint32_t> biased;
  for (std::uint32_t e = 0; e < s.transitions.size(); ++e) {  // file order
    if (s.transitions[e].emotion_bias != 0.0) biased.push_back(e);
  }
  bool kappa_free = options.estimate_kappa;
  if (!kappa_free && s.settings.kappa > 0.0) {
    problem.notes.push_back(fmt::format(
        "kappa is held at the skeleton's {} and sets the unit of emotion: emotion means and "
        "biases trade off with it, so the data identify them only on that scale",
        s.settings.kappa));
  }
  if (emotion_matters_in(s, kappa_free)) {
    problem.notes.push_back(fmt::format(
        "the emotion mean of '{}' and the first persona's initial emotion are held at the "
        "skeleton's values: they set emotion's zero, which the data cannot see",
        s.touchpoints[g.entries.front()].id));
  } else if (!kappa_free && !biased.empty()) {
    const Transition& held = s.transitions[biased.front()];
    problem.notes.push_back(fmt::format(
        "kappa is 0 in the skeleton; the emotion bias of {} -> {} is held at {} and sets the "
        "unit of emotion",
        held.from, held.to, held.emotion_bias));
    biased.erase(biased.begin());
  }
  const bool emotion_matters = emotion_matters_in(s, kappa_free);
  if (!emotion_matters) {
    problem.notes.push_back(
        "emotion steers nothing in the skeleton (kappa 0, no emotion bias): emotion "
        "parameters are not estimated");
  }
  if (emotion_matters) {
    // The data see emotion only through kappa x e and bias x e, whose constant parts the
    // dropouts and weights absorb: shifting every emotion by c (the entry touchpoints' means
    // by c, the others' by (1 - lambda) c) changes no path's probability. The first entry
    // touchpoint's mean is held, with the first persona's initial emotion, to fix that zero.
    for (std::uint32_t v = 0; v < g.size(); ++v) {
      if (v != g.entries.front()) add(FitParameterKind::emotion_mean, v, -1.0, 1.0);
    }
    if (kappa_free) add(FitParameterKind::kappa, 0, 0.0, 30.0);
    for (std::uint32_t e : biased) {
      add(FitParameterKind::emotion_bias, g.compiled_transition[e], -30.0, 30.0);
    }
  }
  for (std::uint32_t v = 0; v < g.size(); ++v) {
    if (!g.terminal(v)) add(FitParameterKind::dropout, v, -kLogitBound, kLogitBound);
  }
  for (std::uint32_t v = 0; v < g.size(); ++v) {
    for (std::uint32_t e = g.out_begin(v) + 1; e < g.out_end(v); ++e) {
      add(FitParameterKind::transition_weight, e, -kLogitBound, kLogitBound);
    }
  }
  for (std::size_t e = 1; e < g.entries.size(); ++e) {
    add(FitParameterKind::entry_weight, g.entries[e], -kLogitBound, kLogitBound);
  }
  const std::uint32_t K = static_cast<std::uint32_t>(problem.base.personas.size());
  for (std::uint32_t k = 0; k < K; ++k) {
    if (k > 0) add(FitParameterKind::persona_share, k, -10.0, 10.0);
    // The first persona's initial emotion only ever enters through lambda x e0 + mu of the
    // entry touchpoint, so it trades exactly with the entry touchpoints' means: it is held.
    if (k > 0 && emotion_matters) add(FitParameterKind::initial_emotion, k, -1.0, 1.0);
    if (k > 0) add(FitParameterKind::dropout_odds, k, -6.0, 6.0);
  }
}

// Starting values from the data's own frequencies: dropout shares, transition and entry
// counts (with half a count added, so that nothing starts at a bound).
void start_from_frequencies(Problem& problem) {
  const FitGraph& g = problem.graph;
  std::vector<double> drops(g.size(), 0.0), stays(g.size(), 0.0), taken(g.transition_count(), 0.0),
      entered(g.size(), 0.0);
  for (std::size_t i = 0; i < problem.likelihood.path_count(); ++i) {
    const DistinctPath& p = problem.likelihood.path(i);
    entered[p.touchpoints.front()] += p.count;
    for (std::uint32_t e : p.transitions) {
      taken[e] += p.count;
      stays[g.source(e)] += p.count;
    }
    const std::uint32_t last = p.touchpoints.back();
    if (!g.terminal(last) &&
        static_cast<std::int64_t>(p.touchpoints.size()) < g.journey.max_steps) {
      drops[last] += p.count;
    }
  }
  ModelValues& b = problem.base;
  for (std::uint32_t v = 0; v < g.size(); ++v) {
    if (!g.terminal(v)) b.dropout[v] = (drops[v] + 0.5) / (drops[v] + stays[v] + 1.0);
  }
  for (std::uint32_t v = 0; v < g.size(); ++v) {
    if (g.out_degree(v) < 2) continue;
    const std::uint32_t first = g.out_begin(v);
    for (std::uint32_t e = first + 1; e < g.out_end(v); ++e) {
      b.weight[e] = b.weight[first] * (taken[e] + 0.5) / (taken[first] + 0.5);
    }
  }
  if (g.entries.size() > 1) {
    const std::uint32_t first = g.entries.front();
    for (std::size_t k = 1; k < g.entries.size(); ++k) {
      const std::uint32_t e = g.entries[k];
      b.entry_weight[e] = b.entry_weight[first] * (entered[e] + 0.5) / (entered[first] + 0.5);
    }
  }
}

}  // namespace

void set_up(Problem& problem, const EmotionFitOptions& options) {
  for (std::size_t i = 0; i < problem.likelihood.path_count(); ++i) {
    problem.customers += problem.likelihood.path(i).count;
  }
  const std::size_t K = static_cast<std::size_t>(options.personas);
  const Persona first =
      problem.skeleton.personas.empty() ? neutral_persona() : problem.skeleton.personas[0];
  problem.base.personas.assign(K, persona_values(problem.skeleton, first, 1.0));
  for (std::size_t k = 0; k < K; ++k) {
    problem.persona_ids.push_back(k < problem.skeleton.personas.size()
                                      ? problem.skeleton.personas[k].id
                                      : fmt::format("persona_{}", k + 1));
  }
  if (problem.skeleton.personas.size() > 1 && K == 1) {
    problem.notes.push_back(fmt::format("the skeleton's {} personas are replaced by one, '{}'",
                                        problem.skeleton.personas.size(), problem.persona_ids[0]));
  }
  if (K > 1) {
    problem.notes.push_back(
        "the personas are latent (the data's segments are not used); they share the first "
        "persona's channel affinities, value multiplier and sensitivity (which trades with the "
        "emotion means); the largest is the reference, whose dropout odds and initial emotion "
        "are held");
  }
  for (const Touchpoint& t : problem.skeleton.touchpoints) {
    if (t.emotion_sd > 0.0) {
      problem.notes.push_back(
          "touchpoints' emotion sd is set to 0: the exact likelihood needs emotion to be a "
          "deterministic function of the path");
      break;
    }
  }
  if (std::any_of(problem.skeleton.personas.begin(), problem.skeleton.personas.end(),
                  [](const Persona& p) { return p.initial_emotion_sd > 0.0; })) {
    problem.notes.push_back("personas' initial emotion sd is set to 0, for the same reason");
  }
  if (problem.skeleton.settings.horizon_hours) {
    problem.notes.push_back("the horizon is assumed not to cut any observed path short");
  }
  start_from_frequencies(problem);
  choose_free_parameters(problem, options);
}

}  // namespace cjsim::fit_detail
