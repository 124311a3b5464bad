// The exact path likelihood under the reference model with deterministic emotion, its
// maximisation (NLopt L-BFGS, EM over latent personas), the observed information (Eigen) and
// what it says about standard errors and identifiability.
#include "models/fit/emotion_fit.h"

#include <fmt/format.h>
#include <nlopt.hpp>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <set>
#include <unordered_map>

#include "scenarios/parameter_path.h"
#include "sim/engine/statistics.h"
#include "sim/model/behaviour.h"

namespace cjsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

double log_sum_exp(const double* x, std::size_t n) {
  double top = -kInf;
  for (std::size_t i = 0; i < n; ++i) top = std::max(top, x[i]);
  if (top == -kInf) return -kInf;
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += std::exp(x[i] - top);
  return top + std::log(sum);
}

// The skeleton's graph, indexed as the Scenario lists it (file order).
struct Graph {
  std::vector<std::string> ids;
  std::vector<std::vector<std::uint32_t>> out;  // transitions out of each touchpoint
  std::vector<std::uint32_t> from, to;
  std::vector<std::uint32_t> entries;  // touchpoints with a positive entry weight
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> transition_of;
  double memory = 0.0;
  std::int64_t max_steps = 0;

  explicit Graph(const Scenario& s) : memory(s.settings.memory), max_steps(s.settings.max_steps) {
    std::unordered_map<std::string, std::uint32_t> index;
    for (const Touchpoint& t : s.touchpoints) {
      index.emplace(t.id, static_cast<std::uint32_t>(ids.size()));
      if (t.entry_weight > 0.0) entries.push_back(static_cast<std::uint32_t>(ids.size()));
      ids.push_back(t.id);
    }
    out.resize(ids.size());
    for (std::uint32_t e = 0; e < s.transitions.size(); ++e) {
      from.push_back(index.at(s.transitions[e].from));
      to.push_back(index.at(s.transitions[e].to));
      out[from.back()].push_back(e);
      transition_of.emplace(std::pair(from.back(), to.back()), e);
    }
  }
  bool terminal(std::uint32_t v) const { return out[v].empty(); }
  std::size_t size() const { return ids.size(); }
};

struct DistinctPath {
  std::vector<std::uint32_t> touchpoints;
  std::vector<std::uint32_t> transitions;  // taken after each touchpoint but the last
  double count = 0.0;
};

std::string describe_path(const ObservedJourneys& data, const ObservedPath& path) {
  std::string out;
  for (std::size_t i = 0; i < path.touchpoints.size() && i < 12; ++i) {
    if (i > 0) out += " > ";
    const std::uint32_t t = path.touchpoints[i];
    out += t < data.touchpoints.size() ? data.touchpoints[t] : fmt::format("#{}", t);
  }
  if (path.touchpoints.size() > 12) out += " > ...";
  return out;
}

// The data's paths in the skeleton's indices, identical ones merged; every path the skeleton
// cannot produce is an error naming it.
std::vector<DistinctPath> prepare_paths(const Graph& graph, const ObservedJourneys& data,
                                        Diagnostics& diagnostics) {
  const SourceLocation where{data.source, 0, 0};
  std::unordered_map<std::string, std::uint32_t> index;
  for (std::uint32_t v = 0; v < graph.size(); ++v) index.emplace(graph.ids[v], v);
  std::vector<std::int64_t> to_skeleton(data.touchpoints.size(), -1);
  for (std::size_t t = 0; t < data.touchpoints.size(); ++t) {
    auto it = index.find(data.touchpoints[t]);
    if (it != index.end()) to_skeleton[t] = it->second;
  }

  std::map<std::vector<std::uint32_t>, std::size_t> seen;
  std::vector<DistinctPath> paths;
  std::set<std::string> unknown;
  int errors = 0;
  auto fail = [&](std::size_t k, const ObservedPath& path, const std::string& why) {
    if (++errors <= 20) {
      diagnostics.error(where, fmt::format("path {} ({}): {}", k + 1, describe_path(data, path), why));
    }
  };
  for (std::size_t k = 0; k < data.paths.size(); ++k) {
    const ObservedPath& path = data.paths[k];
    if (path.count == 0) continue;
    if (path.touchpoints.empty()) {
      fail(k, path, "it visits no touchpoint");
      continue;
    }
    DistinctPath mapped;
    bool ok = true;
    for (std::uint32_t t : path.touchpoints) {
      if (t >= to_skeleton.size() || to_skeleton[t] < 0) {
        const std::string name = t < data.touchpoints.size() ? data.touchpoints[t] : "?";
        if (unknown.insert(name).second) {
          diagnostics.error(where, fmt::format("touchpoint '{}' of the data is not in the skeleton", name));
        }
        ok = false;
        break;
      }
      mapped.touchpoints.push_back(static_cast<std::uint32_t>(to_skeleton[t]));
    }
    if (!ok) continue;
    const std::uint32_t entry = mapped.touchpoints.front();
    if (std::find(graph.entries.begin(), graph.entries.end(), entry) == graph.entries.end()) {
      fail(k, path, fmt::format("it starts at '{}', which has no entry weight in the skeleton",
                                graph.ids[entry]));
      continue;
    }
    if (static_cast<std::int64_t>(mapped.touchpoints.size()) > graph.max_steps) {
      fail(k, path, fmt::format("it has {} touchpoints, more than max_steps ({})",
                                mapped.touchpoints.size(), graph.max_steps));
      continue;
    }
    for (std::size_t i = 0; i + 1 < mapped.touchpoints.size(); ++i) {
      auto it = graph.transition_of.find({mapped.touchpoints[i], mapped.touchpoints[i + 1]});
      if (it == graph.transition_of.end()) {
        fail(k, path, fmt::format("the skeleton has no transition from '{}' to '{}'",
                                  graph.ids[mapped.touchpoints[i]],
                                  graph.ids[mapped.touchpoints[i + 1]]));
        ok = false;
        break;
      }
      mapped.transitions.push_back(it->second);
    }
    if (!ok) continue;
    auto [it, fresh] = seen.emplace(mapped.touchpoints, paths.size());
    if (fresh) {
      mapped.count = static_cast<double>(path.count);
      paths.push_back(std::move(mapped));
    } else {
      paths[it->second].count += static_cast<double>(path.count);
    }
  }
  if (errors > 20) {
    diagnostics.error(where, fmt::format("{} more paths the skeleton cannot produce", errors - 20));
  }
  if (paths.empty() && !diagnostics.has_errors()) {
    diagnostics.error(where, "the data hold no path to fit");
  }
  return paths;
}

// Every value the likelihood reads, on the model's scale.
struct PersonaValues {
  double log_share = 0.0;  // unnormalised
  double initial_emotion = 0.0;
  double odds = 1.0;
  double sensitivity = 1.0;
  std::vector<double> affinity;  // per touchpoint, of its channel
};

struct Values {
  std::vector<double> emotion_mean, dropout, weight, bias, entry_weight;
  double kappa = 0.0;
  std::vector<PersonaValues> personas;
};

double affinity_of(const Persona& persona, const std::string& channel) {
  auto it = persona.channel_affinity.find(channel);
  return it == persona.channel_affinity.end() ? 1.0 : it->second;
}

PersonaValues persona_values(const Scenario& s, const Persona& p, double share) {
  PersonaValues out;
  out.log_share = share > 0.0 ? std::log(share) : -kInf;
  out.initial_emotion = p.initial_emotion_mean;
  out.odds = p.dropout_odds;
  out.sensitivity = p.sensitivity;
  for (const Touchpoint& t : s.touchpoints) out.affinity.push_back(affinity_of(p, t.channel));
  return out;
}

Values scenario_values(const Scenario& s) {
  Values v;
  for (const Touchpoint& t : s.touchpoints) {
    v.emotion_mean.push_back(t.emotion_mean);
    v.dropout.push_back(t.dropout);
    v.entry_weight.push_back(t.entry_weight);
  }
  for (const Transition& t : s.transitions) {
    v.weight.push_back(t.weight);
    v.bias.push_back(t.emotion_bias);
  }
  v.kappa = s.settings.kappa;
  for (const Persona& p : s.personas) v.personas.push_back(persona_values(s, p, p.share));
  return v;
}

// Per-persona tables, rebuilt for every evaluation: log entry probabilities, log of
// weight x affinity per transition, and the dropout log-odds per touchpoint.
struct PersonaTable {
  std::vector<double> log_entry;  // per touchpoint, -inf off the entries
  std::vector<double> log_weight;  // per transition
  std::vector<double> log_odds;    // per touchpoint
};

// The gradient of a weighted sum of path log-likelihoods with respect to the model's own
// quantities: emotion means, dropout log-odds, log transition weights, biases, log entry
// weights, kappa, and per persona the initial emotion, log dropout odds and log share.
struct ModelGradient {
  std::vector<double> emotion_mean, log_odds, log_weight, bias, log_entry;
  double kappa = 0.0;
  std::vector<double> initial_emotion, persona_log_odds, log_share;

  void reset(std::size_t touchpoints, std::size_t transitions, std::size_t personas) {
    emotion_mean.assign(touchpoints, 0.0);
    log_odds.assign(touchpoints, 0.0);
    log_entry.assign(touchpoints, 0.0);
    log_weight.assign(transitions, 0.0);
    bias.assign(transitions, 0.0);
    kappa = 0.0;
    initial_emotion.assign(personas, 0.0);
    persona_log_odds.assign(personas, 0.0);
    log_share.assign(personas, 0.0);
  }

  void add(const ModelGradient& other) {
    auto add_to = [](std::vector<double>& into, const std::vector<double>& from) {
      for (std::size_t i = 0; i < into.size(); ++i) into[i] += from[i];
    };
    add_to(emotion_mean, other.emotion_mean);
    add_to(log_odds, other.log_odds);
    add_to(log_weight, other.log_weight);
    add_to(bias, other.bias);
    add_to(log_entry, other.log_entry);
    kappa += other.kappa;
    add_to(initial_emotion, other.initial_emotion);
    add_to(persona_log_odds, other.persona_log_odds);
    add_to(log_share, other.log_share);
  }
};

class Likelihood {
 public:
  Likelihood(const Graph& graph, const std::vector<DistinctPath>& paths)
      : graph_(graph), paths_(paths) {}

  std::size_t path_count() const { return paths_.size(); }
  const DistinctPath& path(std::size_t i) const { return paths_[i]; }

  // ll[i * K + k] = log P(path i | persona k).
  void per_persona(const Values& v, std::vector<double>& ll) const {
    const std::size_t K = v.personas.size();
    tables_.resize(K);
    for (std::size_t k = 0; k < K; ++k) build_table(v, v.personas[k], tables_[k]);
    ll.resize(paths_.size() * K);
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunk_count()),
                      [&](const tbb::blocked_range<std::size_t>& chunks) {
                        for (std::size_t c = chunks.begin(); c != chunks.end(); ++c) {
                          const std::size_t end = std::min(paths_.size(), (c + 1) * kChunk);
                          for (std::size_t i = c * kChunk; i < end; ++i) {
                            for (std::size_t k = 0; k < K; ++k) {
                              ll[i * K + k] = path_log_likelihood(v, k, paths_[i]);
                            }
                          }
                        }
                      });
  }

  // Log of each persona's normalised share.
  static std::vector<double> log_shares(const Values& v) {
    std::vector<double> out;
    for (const PersonaValues& p : v.personas) out.push_back(p.log_share);
    const double total = log_sum_exp(out.data(), out.size());
    for (double& x : out) x -= total;
    return out;
  }

  // The negative log-likelihood of the data with the personas latent.
  double marginal(const Values& v) const {
    per_persona(v, scratch_);
    const std::vector<double> shares = log_shares(v);
    const std::size_t K = shares.size();
    std::vector<double> terms(K);
    double total = 0.0;
    for (std::size_t i = 0; i < paths_.size(); ++i) {
      for (std::size_t k = 0; k < K; ++k) terms[k] = shares[k] + scratch_[i * K + k];
      total += paths_[i].count * log_sum_exp(terms.data(), K);
    }
    return -total;
  }

  // Adds the gradient of sum over (i, k) of weight[i * K + k] x log P(path i | persona k) to g.
  // The tables must be those of `v` (per_persona called last with it). Emotion's derivatives
  // follow the recursion e = clamp(lambda e + s mu): zero where the clamp holds it.
  void add_gradient(const Values& v, const std::vector<double>& weight, ModelGradient& g) const {
    const std::size_t K = v.personas.size();
    const std::size_t n = graph_.size();
    // Each chunk of paths sums into its own part and the parts are added in chunk order, so
    // that the result does not depend on how many threads there are.
    std::vector<ModelGradient> parts(chunk_count());
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, parts.size()),
                      [&](const tbb::blocked_range<std::size_t>& chunks) {
                        std::vector<double> d_mean(n), share;
                        for (std::size_t c = chunks.begin(); c != chunks.end(); ++c) {
                          parts[c].reset(n, graph_.to.size(), K);
                          const std::size_t end = std::min(paths_.size(), (c + 1) * kChunk);
                          for (std::size_t i = c * kChunk; i < end; ++i) {
                            add_path_gradient(v, weight, i, parts[c], d_mean, share);
                          }
                        }
                      });
    for (const ModelGradient& part : parts) g.add(part);
  }

 private:
  static constexpr std::size_t kChunk = 64;
  std::size_t chunk_count() const { return (paths_.size() + kChunk - 1) / kChunk; }

  // Path i's terms of add_gradient; d_mean and share are scratch.
  void add_path_gradient(const Values& v, const std::vector<double>& weight, std::size_t i,
                         ModelGradient& g, std::vector<double>& d_mean,
                         std::vector<double>& share) const {
    const std::size_t K = v.personas.size();
    const std::size_t n = graph_.size();
    {
      const DistinctPath& path = paths_[i];
      const std::size_t length = path.touchpoints.size();
      for (std::size_t k = 0; k < K; ++k) {
        const double w = weight[i * K + k];
        if (w == 0.0) continue;
        const PersonaValues& p = v.personas[k];
        const PersonaTable& t = tables_[k];
        const std::uint32_t first = path.touchpoints[0];
        for (std::uint32_t e : graph_.entries) {
          if (t.log_entry[e] > -kInf) g.log_entry[e] -= w * std::exp(t.log_entry[e]);
        }
        g.log_entry[first] += w;
        std::fill(d_mean.begin(), d_mean.end(), 0.0);
        double d_initial = 1.0;
        double emotion = p.initial_emotion;
        for (std::size_t step = 0; step < length; ++step) {
          const std::uint32_t u = path.touchpoints[step];
          const double unclamped = graph_.memory * emotion + p.sensitivity * v.emotion_mean[u];
          emotion = model::experience(emotion, graph_.memory, p.sensitivity, v.emotion_mean[u], 0.0, 0.0);
          if (unclamped != emotion) {
            std::fill(d_mean.begin(), d_mean.end(), 0.0);
            d_initial = 0.0;
          } else {
            for (double& d : d_mean) d *= graph_.memory;
            d_mean[u] += p.sensitivity;
            d_initial *= graph_.memory;
          }
          const bool last = step + 1 == length;
          if (last && (graph_.terminal(u) || static_cast<std::int64_t>(length) >= graph_.max_steps)) {
            break;
          }
          // d log q / dx = 1 - q, d log(1 - q) / dx = -q, with x = log_odds - kappa e.
          const double q = model::dropout_probability(t.log_odds[u], v.kappa, emotion);
          const double d_x = last ? 1.0 - q : -q;
          g.log_odds[u] += w * d_x;
          g.persona_log_odds[k] += w * d_x;
          g.kappa -= w * d_x * emotion;
          double d_emotion = -v.kappa * d_x;
          if (!last) {
            const std::vector<std::uint32_t>& out = graph_.out[u];
            share.resize(out.size());
            double top = -kInf;
            for (std::size_t o = 0; o < out.size(); ++o) {
              share[o] = t.log_weight[out[o]] + v.bias[out[o]] * emotion;
              top = std::max(top, share[o]);
            }
            double total = 0.0;
            for (double& x : share) total += (x = std::exp(x - top));
            const std::uint32_t taken = path.transitions[step];
            d_emotion += v.bias[taken];
            for (std::size_t o = 0; o < out.size(); ++o) {
              const double pi = share[o] / total;
              const double indicator = out[o] == taken ? 1.0 : 0.0;
              g.log_weight[out[o]] += w * (indicator - pi);
              g.bias[out[o]] += w * emotion * (indicator - pi);
              d_emotion -= pi * v.bias[out[o]];
            }
          }
          if (d_emotion != 0.0) {
            for (std::size_t x = 0; x < n; ++x) g.emotion_mean[x] += w * d_emotion * d_mean[x];
            g.initial_emotion[k] += w * d_emotion * d_initial;
          }
          if (last) break;
        }
      }
    }
  }

  void build_table(const Values& v, const PersonaValues& p, PersonaTable& t) const {
    const std::size_t n = graph_.size();
    t.log_entry.assign(n, -kInf);
    std::vector<double> logs;
    for (std::uint32_t e : graph_.entries) {
      const double w = v.entry_weight[e] * p.affinity[e];
      t.log_entry[e] = w > 0.0 ? std::log(w) : -kInf;
      logs.push_back(t.log_entry[e]);
    }
    const double total = log_sum_exp(logs.data(), logs.size());
    for (std::uint32_t e : graph_.entries) t.log_entry[e] -= total;
    t.log_weight.resize(graph_.to.size());
    for (std::size_t e = 0; e < graph_.to.size(); ++e) {
      const double w = v.weight[e] * p.affinity[graph_.to[e]];
      t.log_weight[e] = w > 0.0 ? std::log(w) : -kInf;
    }
    t.log_odds.resize(n);
    for (std::size_t u = 0; u < n; ++u) t.log_odds[u] = model::dropout_log_odds(v.dropout[u], p.odds);
  }

  // The reference model's steps (sim/model/agent.h) with sd 0: experience, then (no conversion
  // probability) completion at a terminal touchpoint, else dropout, else the choice.
  double path_log_likelihood(const Values& v, std::size_t k, const DistinctPath& path) const {
    const PersonaValues& p = v.personas[k];
    const PersonaTable& t = tables_[k];
    const std::size_t length = path.touchpoints.size();
    double ll = t.log_entry[path.touchpoints[0]];
    double emotion = p.initial_emotion;
    double choice_terms[64];
    std::vector<double> many;
    for (std::size_t step = 0; step < length; ++step) {
      const std::uint32_t u = path.touchpoints[step];
      emotion = model::experience(emotion, graph_.memory, p.sensitivity, v.emotion_mean[u], 0.0, 0.0);
      if (step + 1 == length) {
        // Ending here: completed at a terminal touchpoint (certain), dropped otherwise; at
        // the step cap a journey that did not drop is capped, so it ends here either way.
        if (graph_.terminal(u) || static_cast<std::int64_t>(length) >= graph_.max_steps) break;
        ll += std::log(model::dropout_probability(t.log_odds[u], v.kappa, emotion));
        break;
      }
      ll += std::log1p(-model::dropout_probability(t.log_odds[u], v.kappa, emotion));
      const std::vector<std::uint32_t>& out = graph_.out[u];
      double* terms = choice_terms;
      if (out.size() > 64) {
        many.resize(out.size());
        terms = many.data();
      }
      for (std::size_t o = 0; o < out.size(); ++o) {
        terms[o] = t.log_weight[out[o]] + v.bias[out[o]] * emotion;
      }
      const std::uint32_t taken = path.transitions[step];
      ll += t.log_weight[taken] + v.bias[taken] * emotion - log_sum_exp(terms, out.size());
    }
    return ll;
  }

  const Graph& graph_;
  const std::vector<DistinctPath>& paths_;
  mutable std::vector<PersonaTable> tables_;
  mutable std::vector<double> scratch_;
};

// A free parameter on the optimiser's (unbounded-ish) scale: logits and log ratios.
struct Free {
  FitParameterKind kind;
  std::uint32_t index;
  double lower, upper;
};

constexpr double kLogitBound = 12.0;

// Sets the free parameters' model values from theta; `base` holds everything else.
void apply(const std::vector<Free>& free, const std::vector<double>& theta, const Graph& graph,
           const Values& base, Values& v) {
  v = base;
  for (std::size_t i = 0; i < free.size(); ++i) {
    const Free& f = free[i];
    const double x = theta[i];
    switch (f.kind) {
      case FitParameterKind::emotion_mean: v.emotion_mean[f.index] = x; break;
      case FitParameterKind::kappa: v.kappa = x; break;
      case FitParameterKind::emotion_bias: v.bias[f.index] = x; break;
      case FitParameterKind::dropout: v.dropout[f.index] = model::logistic(x); break;
      case FitParameterKind::transition_weight:
        v.weight[f.index] = base.weight[graph.out[graph.from[f.index]].front()] * std::exp(x);
        break;
      case FitParameterKind::entry_weight:
        v.entry_weight[f.index] = base.entry_weight[graph.entries.front()] * std::exp(x);
        break;
      case FitParameterKind::persona_share: v.personas[f.index].log_share = x; break;
      case FitParameterKind::initial_emotion: v.personas[f.index].initial_emotion = x; break;
      case FitParameterKind::dropout_odds:
        v.personas[f.index].odds = base.personas[0].odds * std::exp(x);
        break;
    }
  }
}

// The inverse of apply, clamped into the bounds.
std::vector<double> theta_of(const std::vector<Free>& free, const Graph& graph, const Values& base,
                             const Values& v) {
  std::vector<double> theta(free.size());
  for (std::size_t i = 0; i < free.size(); ++i) {
    const Free& f = free[i];
    double x = 0.0;
    switch (f.kind) {
      case FitParameterKind::emotion_mean: x = v.emotion_mean[f.index]; break;
      case FitParameterKind::kappa: x = v.kappa; break;
      case FitParameterKind::emotion_bias: x = v.bias[f.index]; break;
      case FitParameterKind::dropout: {
        const double d = std::clamp(v.dropout[f.index], 1e-12, 1.0 - 1e-12);
        x = std::log(d) - std::log1p(-d);
        break;
      }
      case FitParameterKind::transition_weight:
        x = std::log(v.weight[f.index] / base.weight[graph.out[graph.from[f.index]].front()]);
        break;
      case FitParameterKind::entry_weight:
        x = std::log(v.entry_weight[f.index] / base.entry_weight[graph.entries.front()]);
        break;
      case FitParameterKind::persona_share:
        x = v.personas[f.index].log_share - v.personas[0].log_share;
        break;
      case FitParameterKind::initial_emotion: x = v.personas[f.index].initial_emotion; break;
      case FitParameterKind::dropout_odds:
        x = std::log(v.personas[f.index].odds / v.personas[0].odds);
        break;
    }
    theta[i] = std::clamp(x, f.lower, f.upper);
  }
  return theta;
}

// An objective in theta that fills the whole gradient when given somewhere to put it.
using Objective = std::function<double(const std::vector<double>&, std::vector<double>*)>;

// Minimises f over theta[indices] (the rest held) with NLopt's L-BFGS, within the bounds. The
// clamp of emotion makes f kinked in places, so the best point seen is kept whatever way the
// optimiser stops.
double minimise(const Objective& f, std::vector<double>& theta, const std::vector<Free>& free,
                const std::vector<std::size_t>& indices, int max_evaluations) {
  const std::size_t m = indices.size();
  std::vector<double> full = theta, full_gradient;
  double best = f(full, nullptr);
  std::vector<double> best_theta = theta;
  if (m == 0) return best;
  std::function<double(const std::vector<double>&, std::vector<double>&)> objective =
      [&](const std::vector<double>& x, std::vector<double>& gradient) {
        for (std::size_t j = 0; j < m; ++j) full[indices[j]] = x[j];
        const double y = f(full, gradient.empty() ? nullptr : &full_gradient);
        if (y < best) {
          best = y;
          best_theta = full;
        }
        for (std::size_t j = 0; j < gradient.size(); ++j) gradient[j] = full_gradient[indices[j]];
        return std::isfinite(y) ? y : std::numeric_limits<double>::max();
      };
  nlopt::opt opt(nlopt::LD_LBFGS, static_cast<unsigned>(m));
  std::vector<double> lower(m), upper(m), x(m);
  for (std::size_t j = 0; j < m; ++j) {
    lower[j] = free[indices[j]].lower;
    upper[j] = free[indices[j]].upper;
    x[j] = std::clamp(theta[indices[j]], lower[j], upper[j]);
  }
  opt.set_lower_bounds(lower);
  opt.set_upper_bounds(upper);
  opt.set_maxeval(max_evaluations);
  opt.set_ftol_rel(1e-13);
  opt.set_xtol_rel(1e-10);
  using Callback = std::function<double(const std::vector<double>&, std::vector<double>&)>;
  opt.set_min_objective(
      [](unsigned n, const double* x, double* grad, void* data) {
        std::vector<double> xs(x, x + n), gs(grad ? n : 0);
        const double y = (*static_cast<Callback*>(data))(xs, gs);
        if (grad) std::copy(gs.begin(), gs.end(), grad);
        return y;
      },
      &objective);
  // A line search stopped by a kink is restarted from the best point, as long as that gains.
  for (int round = 0; round < 5; ++round) {
    const double before = best;
    for (std::size_t j = 0; j < m; ++j) x[j] = best_theta[indices[j]];
    double y = 0.0;
    bool stalled = false;
    try {
      opt.optimize(x, y);
    } catch (const nlopt::roundoff_limited&) {
      stalled = true;
    } catch (const std::runtime_error&) {
      stalled = true;  // NLopt's generic failure: the line search could not progress
    }
    if (!stalled || !(before - best > 1e-10 * std::abs(best))) break;
  }
  theta = best_theta;
  return best;
}

// Central differences of the (analytic) gradient, symmetrised.
Eigen::MatrixXd hessian(const Objective& f, const std::vector<double>& theta) {
  const std::size_t n = theta.size();
  Eigen::MatrixXd h(n, n);
  std::vector<double> x = theta, up, down;
  for (std::size_t i = 0; i < n; ++i) {
    const double step = 1e-5 * std::max(1.0, std::abs(theta[i]));
    x[i] = theta[i] + step;
    f(x, &up);
    x[i] = theta[i] - step;
    f(x, &down);
    x[i] = theta[i];
    for (std::size_t j = 0; j < n; ++j) h(j, i) = (up[j] - down[j]) / (2.0 * step);
  }
  return 0.5 * (h + h.transpose());
}

struct Identification {
  std::vector<std::string> why_not;  // per free parameter, "" when identified
  Eigen::MatrixXd covariance;        // over every free parameter; rows of the others are NaN
};

// The observed information at the optimum. Parameters with no influence or at a bound get no
// interval. On the others, the information (scaled to a unit diagonal) is split into its
// eigen-directions: those with eigenvalues under the threshold are combinations the data do not
// pin down, and a parameter with a real share in one of them is not identifiable. The others'
// covariance is the pseudo-inverse over the well-determined directions: the variance of what
// the data do estimate, not conditional on holding the unidentified parameters fixed.
Identification identify(const Eigen::MatrixXd& information, const std::vector<double>& theta,
                        const std::vector<Free>& free, const std::vector<std::string>& names,
                        double customers, double threshold) {
  const std::size_t n = theta.size();
  Identification out;
  out.why_not.assign(n, "");
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < n; ++i) {
    const double span = free[i].upper - free[i].lower;
    if (theta[i] <= free[i].lower + 1e-6 * span || theta[i] >= free[i].upper - 1e-6 * span) {
      out.why_not[i] = "at the bound of its range: the data push it to the edge";
    } else if (!(information(i, i) > 1e-9 * std::max(1.0, customers))) {
      out.why_not[i] = "it has no influence on the paths' likelihood";
    } else {
      kept.push_back(i);
    }
  }
  out.covariance = Eigen::MatrixXd::Constant(n, n, kNaN);
  const std::size_t m = kept.size();
  if (m == 0) return out;
  Eigen::VectorXd scale(m);
  for (std::size_t a = 0; a < m; ++a) scale(a) = 1.0 / std::sqrt(information(kept[a], kept[a]));
  Eigen::MatrixXd scaled(m, m);
  for (std::size_t a = 0; a < m; ++a) {
    for (std::size_t b = 0; b < m; ++b) {
      scaled(a, b) = information(kept[a], kept[b]) * scale(a) * scale(b);
    }
  }
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(scaled);
  const Eigen::VectorXd& values = eigen.eigenvalues();
  const Eigen::MatrixXd& vectors = eigen.eigenvectors();
  Eigen::VectorXd unresolved = Eigen::VectorXd::Zero(m);  // share in weak directions
  Eigen::MatrixXd pseudo_inverse = Eigen::MatrixXd::Zero(m, m);
  for (std::size_t d = 0; d < m; ++d) {
    const Eigen::VectorXd direction = vectors.col(d);
    if (values(d) < threshold) {
      unresolved += direction.cwiseProduct(direction);
    } else {
      pseudo_inverse += direction * direction.transpose() / values(d);
    }
  }
  for (std::size_t a = 0; a < m; ++a) {
    if (unresolved(a) <= 1e-3) continue;
    // The partners that weigh most with it in the weak directions, the strongest first.
    std::vector<std::pair<double, std::size_t>> partners;
    for (std::size_t b = 0; b < m; ++b) {
      if (b == a) continue;
      double weight = 0.0;
      for (std::size_t d = 0; d < m; ++d) {
        if (values(d) < threshold) weight += std::abs(vectors(a, d) * vectors(b, d));
      }
      if (weight > 1e-3) partners.emplace_back(weight, b);
    }
    std::sort(partners.begin(), partners.end(), std::greater<>());
    std::string others;
    for (std::size_t j = 0; j < partners.size() && j < 4; ++j) {
      others += (others.empty() ? "" : ", ") + names[kept[partners[j].second]];
    }
    if (partners.size() > 4) others += fmt::format(" and {} more", partners.size() - 4);
    out.why_not[kept[a]] = others.empty() ? "a near-null direction of the information"
                                          : "it trades off with " + others;
  }
  for (std::size_t a = 0; a < m; ++a) {
    for (std::size_t b = 0; b < m; ++b) {
      out.covariance(kept[a], kept[b]) = pseudo_inverse(a, b) * scale(a) * scale(b);
    }
  }
  return out;
}

// The model-scale value of free parameter f at optimiser value x (increasing in x).
double model_scale(const Free& f, double x) {
  switch (f.kind) {
    case FitParameterKind::dropout: return model::logistic(x);
    case FitParameterKind::transition_weight:
    case FitParameterKind::entry_weight:
    case FitParameterKind::dropout_odds: return std::exp(x);
    default: return x;
  }
}

// Named as sweeps and calibration name them (parameter paths); the weights and the dropout
// odds are estimated relative to the first of theirs, which the name says.
std::string parameter_name(const Scenario& s, FitParameterKind kind, std::uint32_t index,
                           const std::vector<std::string>& persona_ids) {
  constexpr std::string_view kRelative = " (relative)";
  switch (kind) {
    case FitParameterKind::emotion_mean:
      return touchpoint_path(s.touchpoints[index].id, "emotion.mean");
    case FitParameterKind::kappa: return settings_path("kappa");
    case FitParameterKind::emotion_bias:
      return transition_path(s.transitions[index].from, s.transitions[index].to, "emotion_bias");
    case FitParameterKind::dropout: return touchpoint_path(s.touchpoints[index].id, "dropout");
    case FitParameterKind::transition_weight:
      return transition_path(s.transitions[index].from, s.transitions[index].to, "weight") +
             std::string(kRelative);
    case FitParameterKind::entry_weight:
      return touchpoint_path(s.touchpoints[index].id, "entry_weight") + std::string(kRelative);
    case FitParameterKind::persona_share: return persona_path(persona_ids[index], "share");
    case FitParameterKind::initial_emotion:
      return persona_path(persona_ids[index], "initial_emotion.mean");
    case FitParameterKind::dropout_odds:
      return persona_path(persona_ids[index], "dropout_odds") + std::string(kRelative);
  }
  return "";
}

}  // namespace

double parameter_value(const Scenario& s, const FittedParameter& p) {
  auto first_out = [&](std::uint32_t transition) {
    for (const Transition& t : s.transitions) {
      if (t.from == s.transitions[transition].from) return t.weight;
    }
    return kNaN;
  };
  auto first_entry = [&]() {
    for (const Touchpoint& t : s.touchpoints) {
      if (t.entry_weight > 0.0) return t.entry_weight;
    }
    return kNaN;
  };
  switch (p.kind) {
    case FitParameterKind::emotion_mean: return s.touchpoints[p.index].emotion_mean;
    case FitParameterKind::kappa: return s.settings.kappa;
    case FitParameterKind::emotion_bias: return s.transitions[p.index].emotion_bias;
    case FitParameterKind::dropout: return s.touchpoints[p.index].dropout;
    case FitParameterKind::transition_weight:
      return s.transitions[p.index].weight / first_out(p.index);
    case FitParameterKind::entry_weight: return s.touchpoints[p.index].entry_weight / first_entry();
    case FitParameterKind::persona_share: {
      double total = 0.0;
      for (const Persona& q : s.personas) total += q.share;
      return s.personas[p.index].share / total;
    }
    case FitParameterKind::initial_emotion: return s.personas[p.index].initial_emotion_mean;
    case FitParameterKind::dropout_odds:
      return s.personas[p.index].dropout_odds / s.personas[0].dropout_odds;
  }
  return kNaN;
}

std::optional<double> path_log_likelihood(const Scenario& scenario, const ObservedJourneys& data,
                                          Diagnostics& diagnostics) {
  const Graph graph(scenario);
  const std::vector<DistinctPath> paths = prepare_paths(graph, data, diagnostics);
  if (diagnostics.has_errors()) return std::nullopt;
  const Likelihood likelihood(graph, paths);
  return -likelihood.marginal(scenario_values(scenario));
}

namespace {

// Everything one fit needs, built once from the skeleton, the data and the options.
struct Problem {
  const Scenario& skeleton;
  const Graph& graph;
  const Likelihood& likelihood;
  Values base;  // skeleton values, with K template personas and data-informed starts
  std::vector<Free> free;
  std::vector<std::string> persona_ids;
  std::vector<std::string> notes;
  double customers = 0.0;

  // The negative log-likelihood at theta with the personas latent or, given responsibilities
  // (EM's M-step), the expected complete-data one; its gradient in theta when asked for.
  double objective(const std::vector<double>& theta, const std::vector<double>* responsibility,
                   std::vector<double>* gradient) const {
    Values v;
    apply(free, theta, graph, base, v);
    std::vector<double> ll;
    likelihood.per_persona(v, ll);
    const std::vector<double> shares = Likelihood::log_shares(v);
    const std::size_t K = shares.size();
    const std::size_t paths = likelihood.path_count();
    std::vector<double> weight(paths * K, 0.0), terms(K), persona_weight(K, 0.0);
    double value = 0.0;
    for (std::size_t i = 0; i < paths; ++i) {
      const double count = likelihood.path(i).count;
      if (responsibility) {
        for (std::size_t k = 0; k < K; ++k) {
          const double r = (*responsibility)[i * K + k];
          if (r <= 0.0) continue;
          value -= count * r * ll[i * K + k];
          weight[i * K + k] = -count * r;
        }
        continue;
      }
      for (std::size_t k = 0; k < K; ++k) terms[k] = shares[k] + ll[i * K + k];
      const double total = log_sum_exp(terms.data(), K);
      value -= count * total;
      for (std::size_t k = 0; k < K; ++k) {
        const double r = std::exp(terms[k] - total);
        weight[i * K + k] = -count * r;
        persona_weight[k] += count * r;
      }
    }
    if (!gradient) return value;
    ModelGradient g;
    g.reset(graph.size(), graph.to.size(), K);
    likelihood.add_gradient(v, weight, g);
    if (!responsibility) {
      for (std::size_t k = 0; k < K; ++k) {
        g.log_share[k] = -(persona_weight[k] - customers * std::exp(shares[k]));
      }
    }
    gradient->assign(free.size(), 0.0);
    for (std::size_t i = 0; i < free.size(); ++i) {
      const std::uint32_t x = free[i].index;
      switch (free[i].kind) {
        case FitParameterKind::emotion_mean: (*gradient)[i] = g.emotion_mean[x]; break;
        case FitParameterKind::kappa: (*gradient)[i] = g.kappa; break;
        case FitParameterKind::emotion_bias: (*gradient)[i] = g.bias[x]; break;
        case FitParameterKind::dropout: (*gradient)[i] = g.log_odds[x]; break;
        case FitParameterKind::transition_weight: (*gradient)[i] = g.log_weight[x]; break;
        case FitParameterKind::entry_weight: (*gradient)[i] = g.log_entry[x]; break;
        case FitParameterKind::persona_share: (*gradient)[i] = g.log_share[x]; break;
        case FitParameterKind::initial_emotion: (*gradient)[i] = g.initial_emotion[x]; break;
        case FitParameterKind::dropout_odds: (*gradient)[i] = g.persona_log_odds[x]; break;
      }
    }
    return value;
  }

  double marginal(const std::vector<double>& theta) const { return objective(theta, nullptr, nullptr); }
};

bool emotion_matters_in(const Scenario& s, bool kappa_free) {
  return kappa_free || s.settings.kappa > 0.0 ||
         std::any_of(s.transitions.begin(), s.transitions.end(),
                     [](const Transition& t) { return t.emotion_bias != 0.0; });
}

void choose_free_parameters(Problem& problem, const EmotionFitOptions& options) {
  const Scenario& s = problem.skeleton;
  const Graph& g = problem.graph;
  auto add = [&](FitParameterKind kind, std::uint32_t index, double lower, double upper) {
    problem.free.push_back({kind, index, lower, upper});
  };
  std::vector<std::uint32_t> biased;
  for (std::uint32_t e = 0; e < s.transitions.size(); ++e) {
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
    for (std::uint32_t e : biased) add(FitParameterKind::emotion_bias, e, -30.0, 30.0);
  }
  for (std::uint32_t v = 0; v < g.size(); ++v) {
    if (!g.terminal(v)) add(FitParameterKind::dropout, v, -kLogitBound, kLogitBound);
  }
  for (std::uint32_t v = 0; v < g.size(); ++v) {
    for (std::size_t o = 1; o < g.out[v].size(); ++o) {
      add(FitParameterKind::transition_weight, g.out[v][o], -kLogitBound, kLogitBound);
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
  const Graph& g = problem.graph;
  std::vector<double> drops(g.size(), 0.0), stays(g.size(), 0.0), taken(g.to.size(), 0.0),
      entered(g.size(), 0.0);
  for (std::size_t i = 0; i < problem.likelihood.path_count(); ++i) {
    const DistinctPath& p = problem.likelihood.path(i);
    entered[p.touchpoints.front()] += p.count;
    for (std::uint32_t e : p.transitions) {
      taken[e] += p.count;
      stays[g.from[e]] += p.count;
    }
    const std::uint32_t last = p.touchpoints.back();
    if (!g.terminal(last) && static_cast<std::int64_t>(p.touchpoints.size()) < g.max_steps) {
      drops[last] += p.count;
    }
  }
  Values& b = problem.base;
  for (std::uint32_t v = 0; v < g.size(); ++v) {
    if (!g.terminal(v)) b.dropout[v] = (drops[v] + 0.5) / (drops[v] + stays[v] + 1.0);
  }
  for (std::uint32_t v = 0; v < g.size(); ++v) {
    if (g.out[v].size() < 2) continue;
    const std::uint32_t first = g.out[v].front();
    for (std::size_t o = 1; o < g.out[v].size(); ++o) {
      const std::uint32_t e = g.out[v][o];
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

// K latent personas, each starting as the skeleton's first (affinities, value multiplier;
// the skeleton's persona ids are kept as far as they go), starting values from the data, the
// free parameters, and notes on what the fit assumes.
void set_up(Problem& problem, const std::vector<DistinctPath>& paths,
            const EmotionFitOptions& options) {
  for (const DistinctPath& p : paths) problem.customers += p.count;
  const std::size_t K = static_cast<std::size_t>(options.personas);
  const Persona first = problem.skeleton.personas.empty() ? neutral_persona() : problem.skeleton.personas[0];
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

}  // namespace

namespace detail {

double gradient_check(const Scenario& skeleton, const ObservedJourneys& data,
                      const EmotionFitOptions& options) {
  Diagnostics diagnostics;
  const Graph graph(skeleton);
  const std::vector<DistinctPath> paths = prepare_paths(graph, data, diagnostics);
  if (diagnostics.has_errors()) throw std::invalid_argument(diagnostics.to_string());
  const Likelihood likelihood(graph, paths);
  Problem problem{skeleton, graph, likelihood, scenario_values(skeleton), {}, {}, {}, 0.0};
  set_up(problem, paths, options);
  // Away from the starting values, with the personas apart, so that every term is exercised.
  std::mt19937_64 random(options.seed);
  std::uniform_real_distribution<double> jitter(-0.3, 0.3);
  std::vector<double> theta = theta_of(problem.free, graph, problem.base, problem.base);
  for (std::size_t i = 0; i < theta.size(); ++i) {
    theta[i] = std::clamp(theta[i] + jitter(random), problem.free[i].lower, problem.free[i].upper);
  }
  std::vector<double> gradient;
  problem.objective(theta, nullptr, &gradient);
  double worst = 0.0;
  for (std::size_t i = 0; i < theta.size(); ++i) {
    std::vector<double> x = theta;
    const double h = 1e-6;
    x[i] = theta[i] + h;
    const double up = problem.marginal(x);
    x[i] = theta[i] - h;
    const double down = problem.marginal(x);
    const double numeric = (up - down) / (2.0 * h);
    worst = std::max(worst, std::abs(numeric - gradient[i]) / std::max(1.0, std::abs(numeric)));
  }
  return worst;
}

}  // namespace detail

namespace {

struct Optimum {
  std::vector<double> theta;
  double negative_log_likelihood = kInf;
  int em_iterations = 0;
  bool reference_is_largest = true;
};

bool reference_is_largest(const Values& v) {
  for (const PersonaValues& p : v.personas) {
    if (p.log_share > v.personas[0].log_share) return false;
  }
  return true;
}

// Canonical optima (reference persona the largest) first, then the likelihood.
bool better(const Optimum& a, const Optimum& b) {
  if (b.theta.empty()) return !a.theta.empty();  // anything found beats nothing found
  if (a.reference_is_largest != b.reference_is_largest) return a.reference_is_largest;
  if (std::isnan(b.negative_log_likelihood)) return !std::isnan(a.negative_log_likelihood);
  return a.negative_log_likelihood < b.negative_log_likelihood;
}

// EM over the latent personas from one start: responsibilities per distinct path
// (log-sum-exp), shares in closed form, the other parameters by a few L-BFGS steps on the
// expected complete log-likelihood (a generalised EM step), until the likelihood stalls.
constexpr int kEmIterations = 25;  // at most, per start

Optimum fit_from(const Problem& problem, std::vector<double> theta,
                 const std::function<void(int iteration)>& on_iteration) {
  const std::size_t n = problem.free.size();
  const std::size_t K = problem.base.personas.size();
  std::vector<std::size_t> not_shares;
  for (std::size_t i = 0; i < n; ++i) {
    if (problem.free[i].kind != FitParameterKind::persona_share) not_shares.push_back(i);
  }
  Optimum out;
  if (K > 1) {
    std::vector<double> ll, responsibility;
    double previous = kInf;
    Values v;
    for (int iteration = 0; iteration < kEmIterations; ++iteration) {
      on_iteration(iteration);
      apply(problem.free, theta, problem.graph, problem.base, v);
      problem.likelihood.per_persona(v, ll);
      const std::vector<double> shares = Likelihood::log_shares(v);
      const std::size_t paths = problem.likelihood.path_count();
      responsibility.assign(paths * K, 0.0);
      std::vector<double> weight(K, 0.0), terms(K);
      double marginal = 0.0;
      for (std::size_t i = 0; i < paths; ++i) {
        for (std::size_t k = 0; k < K; ++k) terms[k] = shares[k] + ll[i * K + k];
        const double total = log_sum_exp(terms.data(), K);
        const double count = problem.likelihood.path(i).count;
        marginal -= count * total;
        for (std::size_t k = 0; k < K; ++k) {
          responsibility[i * K + k] = std::exp(terms[k] - total);
          weight[k] += count * responsibility[i * K + k];
        }
      }
      out.em_iterations = iteration + 1;
      if (previous - marginal < 1e-6 * std::max(1.0, std::abs(marginal))) break;
      previous = marginal;
      for (std::size_t i = 0; i < n; ++i) {
        const Free& f = problem.free[i];
        if (f.kind != FitParameterKind::persona_share) continue;
        theta[i] = std::clamp(std::log(std::max(weight[f.index], 1e-300) / std::max(weight[0], 1e-300)),
                              f.lower, f.upper);
      }
      const Objective complete = [&](const std::vector<double>& x, std::vector<double>* g) {
        return problem.objective(x, &responsibility, g);
      };
      minimise(complete, theta, problem.free, not_shares, 15);
    }
  }
  out.negative_log_likelihood = problem.marginal(theta);
  out.theta = std::move(theta);
  return out;
}

Scenario fitted_scenario(const Problem& problem, const Values& v) {
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
    s.transitions[e].weight = v.weight[e];
    s.transitions[e].emotion_bias = v.bias[e];
  }
  s.settings.kappa = v.kappa;
  const Persona template_persona = problem.skeleton.personas.empty() ? neutral_persona()
                                                                      : problem.skeleton.personas[0];
  const std::vector<double> shares = Likelihood::log_shares(v);
  s.personas.clear();
  for (std::size_t k = 0; k < v.personas.size(); ++k) {
    Persona p = template_persona;
    p.id = problem.persona_ids[k];
    p.share = std::exp(shares[k]);
    p.initial_emotion_mean = std::clamp(v.personas[k].initial_emotion, -1.0, 1.0);
    p.initial_emotion_sd = 0.0;
    p.dropout_odds = v.personas[k].odds;
    p.sensitivity = v.personas[k].sensitivity;
    s.personas.push_back(std::move(p));
  }
  return s;
}

// Latent personas are told apart only by how often each distinct path occurs: D distinct paths
// give D - 1 free shares, and persona parameters beyond those cannot be estimated (so large a
// mixture fits any data, and what it reports means nothing). Refused with the most personas
// the data can carry.
bool enough_paths_for_personas(const Problem& problem, const SourceLocation& where,
                               Diagnostics& diagnostics) {
  const std::size_t K = problem.base.personas.size();
  if (K < 2) return true;
  const std::size_t persona_parameters = static_cast<std::size_t>(
      std::count_if(problem.free.begin(), problem.free.end(), [](const Free& f) {
        return f.kind == FitParameterKind::persona_share ||
               f.kind == FitParameterKind::initial_emotion ||
               f.kind == FitParameterKind::dropout_odds;
      }));
  const std::size_t distinct = problem.likelihood.path_count();
  const std::size_t shares = distinct > 0 ? distinct - 1 : 0;
  if (persona_parameters <= shares) return true;
  const std::size_t per_persona = persona_parameters / (K - 1);
  const std::size_t most = 1 + shares / per_persona;
  diagnostics.error(
      where, fmt::format("{} latent personas have {} parameters of their own ({} for each persona "
                         "past the first), but {} on {} can pin down at most {}: fit {}",
                         K, persona_parameters, per_persona,
                         counted(static_cast<std::size_t>(problem.customers), "customer"),
                         counted(distinct, "distinct path"), shares,
                         most == 1 ? std::string("one persona")
                                   : fmt::format("at most {} personas", most)));
  return false;
}

}  // namespace

std::optional<EmotionFit> fit_emotion(const Scenario& skeleton, const ObservedJourneys& data,
                                      const EmotionFitOptions& options, Diagnostics& diagnostics) {
  const SourceLocation where{data.source, 0, 0};
  if (options.personas < 1) {
    diagnostics.error(where, fmt::format("the number of personas must be 1 or more, got {}",
                                         options.personas));
    return std::nullopt;
  }
  const Graph graph(skeleton);
  const std::vector<DistinctPath> paths = prepare_paths(graph, data, diagnostics);
  if (diagnostics.has_errors()) return std::nullopt;
  const Likelihood likelihood(graph, paths);

  Problem problem{skeleton, graph, likelihood, scenario_values(skeleton), {}, {}, {}, 0.0};
  set_up(problem, paths, options);
  if (!enough_paths_for_personas(problem, where, diagnostics)) return std::nullopt;
  const std::size_t n = problem.free.size();
  const std::size_t K = problem.base.personas.size();

  // Starts: the skeleton's values with the personas spread over initial emotion, then random
  // persona parameters (the mixture's likelihood has several local maxima).
  std::mt19937_64 random(options.seed);
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  const Objective marginal = [&](const std::vector<double>& x, std::vector<double>* g) {
    return problem.objective(x, nullptr, g);
  };
  Optimum best;
  const int starts = K > 1 ? std::max(1, options.starts) : 1;
  const std::size_t per_start = K > 1 ? kEmIterations + 1 : 1;
  const std::size_t total_steps = static_cast<std::size_t>(starts) * per_start + 1;
  const auto report = [&](std::size_t done, const std::string& status) {
    if (options.progress) options.progress(done, total_steps, status);
  };
  for (int start = 0; start < starts; ++start) {
    const std::size_t start_steps = static_cast<std::size_t>(start) * per_start;
    Values v = problem.base;
    for (std::size_t k = 0; k < K && K > 1; ++k) {
      PersonaValues& p = v.personas[k];
      if (start == 0) {
        p.initial_emotion = std::clamp(-0.5 + static_cast<double>(k) / static_cast<double>(K - 1),
                                       -0.9, 0.9);
        p.odds = problem.base.personas[0].odds * std::exp(0.5 * static_cast<double>(k));
      } else if (k > 0) {
        std::uniform_real_distribution<double> unit(-1.0, 1.0);
        p.initial_emotion = 0.8 * unit(random);
        p.odds = problem.base.personas[0].odds * std::exp(1.5 * unit(random));
        p.log_share = 0.7 * unit(random);
      }
    }
    // Then L-BFGS on the marginal likelihood itself, so that the optimum is the
    // maximum-likelihood estimate to the optimiser's precision.
    Optimum candidate =
        fit_from(problem, theta_of(problem.free, graph, problem.base, v), [&](int iteration) {
          report(start_steps + static_cast<std::size_t>(iteration),
                 fmt::format("start {} of {}: EM iteration {}", start + 1, starts, iteration + 1));
        });
    report(start_steps + per_start - 1,
           starts > 1 ? fmt::format("start {} of {}: maximising the likelihood", start + 1, starts)
                      : std::string("maximising the likelihood"));
    candidate.negative_log_likelihood =
        minimise(marginal, candidate.theta, problem.free, all, 3000);
    // The reference persona holds emotion's zero, so relabelling the personas is not a
    // symmetry of the fit: a mixture has one optimum per choice of reference. The one whose
    // reference is the largest persona is reported (when a start found it).
    Values candidate_values;
    apply(problem.free, candidate.theta, graph, problem.base, candidate_values);
    candidate.reference_is_largest = reference_is_largest(candidate_values);
    if (better(candidate, best)) best = std::move(candidate);
  }
  if (K > 1 && !best.reference_is_largest) {
    problem.notes.push_back(
        "no start found the optimum whose first persona is the largest: the personas are "
        "reported as found");
  }
  Values fitted;
  apply(problem.free, best.theta, graph, problem.base, fitted);

  std::vector<std::string> names;
  for (const Free& f : problem.free) {
    names.push_back(parameter_name(skeleton, f.kind, f.index, problem.persona_ids));
  }
  report(total_steps - 1, fmt::format("standard errors ({} parameters)", n));
  const Eigen::MatrixXd information = hessian(marginal, best.theta);
  const Identification identified = identify(information, best.theta, problem.free, names,
                                             problem.customers, options.identifiability_threshold);

  EmotionFit fit;
  fit.scenario = fitted_scenario(problem, fitted);
  fit.log_likelihood = -best.negative_log_likelihood;
  fit.free_parameters = static_cast<int>(n);
  fit.aic = 2.0 * static_cast<double>(n) + 2.0 * best.negative_log_likelihood;
  fit.bic = static_cast<double>(n) * std::log(problem.customers) + 2.0 * best.negative_log_likelihood;
  fit.customers = static_cast<std::uint64_t>(problem.customers);
  fit.distinct_paths = paths.size();
  fit.em_iterations = K > 1 ? best.em_iterations : 0;
  fit.notes = problem.notes;

  std::vector<std::size_t> share_rows;
  for (std::size_t i = 0; i < n; ++i) {
    const Free& f = problem.free[i];
    if (f.kind == FitParameterKind::persona_share) {
      share_rows.push_back(i);
      continue;
    }
    FittedParameter p;
    p.name = names[i];
    p.kind = f.kind;
    p.index = f.index;
    p.value = parameter_value(fit.scenario, p);
    p.why_not = identified.why_not[i];
    p.identifiable = p.why_not.empty();
    if (p.identifiable) {
      const double se = std::sqrt(identified.covariance(i, i));
      const double x = best.theta[i];
      const double slope = (model_scale(f, x + 1e-6) -
                            model_scale(f, x - 1e-6)) / 2e-6;
      p.standard_error = slope * se;
      p.low = model_scale(f, x - kZ95 * se);
      p.high = model_scale(f, x + kZ95 * se);
    } else {
      p.standard_error = p.low = p.high = kNaN;
    }
    fit.parameters.push_back(std::move(p));
  }
  // Shares: softmax of the share parameters, with delta-method intervals.
  if (K > 1) {
    const std::vector<double> shares = Likelihood::log_shares(fitted);
    bool all_identified = true;
    std::string why;
    for (std::size_t r : share_rows) {
      if (!identified.why_not[r].empty()) {
        all_identified = false;
        why = identified.why_not[r];
      }
    }
    for (std::uint32_t k = 0; k < K; ++k) {
      FittedParameter p;
      p.kind = FitParameterKind::persona_share;
      p.index = k;
      p.name = parameter_name(skeleton, p.kind, k, problem.persona_ids);
      p.value = std::exp(shares[k]);
      p.identifiable = all_identified;
      p.why_not = why;
      if (all_identified) {
        // d share_k / d theta_j = share_k (1[k = j] - share_j), theta_j for persona j > 0.
        Eigen::VectorXd gradient(share_rows.size());
        Eigen::MatrixXd covariance(share_rows.size(), share_rows.size());
        for (std::size_t a = 0; a < share_rows.size(); ++a) {
          const std::uint32_t j = problem.free[share_rows[a]].index;
          gradient(a) = p.value * ((k == j ? 1.0 : 0.0) - std::exp(shares[j]));
          for (std::size_t b = 0; b < share_rows.size(); ++b) {
            covariance(a, b) = identified.covariance(share_rows[a], share_rows[b]);
          }
        }
        p.standard_error = std::sqrt(gradient.dot(covariance * gradient));
        p.low = std::max(0.0, p.value - kZ95 * p.standard_error);
        p.high = std::min(1.0, p.value + kZ95 * p.standard_error);
      } else {
        p.standard_error = p.low = p.high = kNaN;
      }
      fit.parameters.push_back(std::move(p));
    }
  }
  return fit;
}

}  // namespace cjsim
