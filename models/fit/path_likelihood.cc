// The path likelihood and its gradient: the reference model's steps (sim/model/agent.h) with
// every sd 0, so that emotion is a function of the path and each path's probability is exact.
#include "models/fit/path_likelihood.h"

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/model/behaviour.h"

namespace cjsim::fit_detail {

double log_sum_exp(const double* x, std::size_t n) {
  double top = -kInf;
  for (std::size_t i = 0; i < n; ++i) top = std::max(top, x[i]);
  if (top == -kInf) return -kInf;
  double sum = 0.0;
  for (std::size_t i = 0; i < n; ++i) sum += std::exp(x[i] - top);
  return top + std::log(sum);
}

PersonaValues persona_values(const Scenario& s, const Persona& p, double share) {
  PersonaValues out;
  out.log_share = share > 0.0 ? std::log(share) : -kInf;
  out.initial_emotion = p.initial_emotion_mean;
  out.odds = p.dropout_odds;
  out.sensitivity = p.sensitivity;
  for (const Touchpoint& t : s.touchpoints) out.affinity.push_back(channel_affinity(p, t.channel));
  return out;
}

ModelValues scenario_values(const Scenario& s, const FitGraph& graph) {
  ModelValues v;
  for (const Touchpoint& t : s.touchpoints) {
    v.emotion_mean.push_back(t.emotion_mean);
    v.dropout.push_back(t.dropout);
    v.entry_weight.push_back(t.entry_weight);
  }
  for (std::uint32_t scenario_index : graph.scenario_transition) {
    const Transition& t = s.transitions[scenario_index];
    v.weight.push_back(t.weight);
    v.bias.push_back(t.emotion_bias);
  }
  v.kappa = s.settings.kappa;
  for (const Persona& p : s.personas) v.personas.push_back(persona_values(s, p, p.share));
  return v;
}

void ModelGradient::reset(std::size_t touchpoints, std::size_t transitions, std::size_t personas) {
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

void ModelGradient::add(const ModelGradient& other) {
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

void Likelihood::per_persona(const ModelValues& v, std::vector<double>& ll) const {
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

std::vector<double> Likelihood::log_shares(const ModelValues& v) {
  std::vector<double> out;
  for (const PersonaValues& p : v.personas) out.push_back(p.log_share);
  const double total = log_sum_exp(out.data(), out.size());
  for (double& x : out) x -= total;
  return out;
}

double Likelihood::marginal(const ModelValues& v) const {
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

void Likelihood::add_gradient(const ModelValues& v, const std::vector<double>& weight,
                              ModelGradient& g) const {
  const std::size_t K = v.personas.size();
  const std::size_t n = graph_.size();
  // Each chunk of paths sums into its own part and the parts are added in chunk order, so
  // that the result does not depend on how many threads there are.
  std::vector<ModelGradient> parts(chunk_count());
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, parts.size()),
                    [&](const tbb::blocked_range<std::size_t>& chunks) {
                      std::vector<double> d_mean(n), share;
                      for (std::size_t c = chunks.begin(); c != chunks.end(); ++c) {
                        parts[c].reset(n, graph_.transition_count(), K);
                        const std::size_t end = std::min(paths_.size(), (c + 1) * kChunk);
                        for (std::size_t i = c * kChunk; i < end; ++i) {
                          add_path_gradient(v, weight, i, parts[c], d_mean, share);
                        }
                      }
                    });
  for (const ModelGradient& part : parts) g.add(part);
}

// Path i's terms of add_gradient; d_mean and share are scratch.
void Likelihood::add_path_gradient(const ModelValues& v, const std::vector<double>& weight,
                                   std::size_t i, ModelGradient& g, std::vector<double>& d_mean,
                                   std::vector<double>& share) const {
  const std::size_t K = v.personas.size();
  const std::size_t n = graph_.size();
  const double memory = graph_.journey.memory;
  const std::int64_t max_steps = graph_.journey.max_steps;
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
      const double unclamped = memory * emotion + p.sensitivity * v.emotion_mean[u];
      emotion = model::experience(emotion, memory, p.sensitivity, v.emotion_mean[u], 0.0, 0.0);
      if (unclamped != emotion) {
        std::fill(d_mean.begin(), d_mean.end(), 0.0);
        d_initial = 0.0;
      } else {
        for (double& d : d_mean) d *= memory;
        d_mean[u] += p.sensitivity;
        d_initial *= memory;
      }
      const bool last = step + 1 == length;
      if (last && (graph_.terminal(u) || static_cast<std::int64_t>(length) >= max_steps)) break;
      // d log q / dx = 1 - q, d log(1 - q) / dx = -q, with x = log_odds - kappa e.
      const double q = model::dropout_probability(t.log_odds[u], v.kappa, emotion);
      const double d_x = last ? 1.0 - q : -q;
      g.log_odds[u] += w * d_x;
      g.persona_log_odds[k] += w * d_x;
      g.kappa -= w * d_x * emotion;
      double d_emotion = -v.kappa * d_x;
      if (!last) {
        const std::uint32_t begin = graph_.out_begin(u), end = graph_.out_end(u);
        share.resize(end - begin);
        double top = -kInf;
        for (std::uint32_t e = begin; e < end; ++e) {
          share[e - begin] = t.log_weight[e] + v.bias[e] * emotion;
          top = std::max(top, share[e - begin]);
        }
        double total = 0.0;
        for (double& x : share) total += (x = std::exp(x - top));
        const std::uint32_t taken = path.transitions[step];
        d_emotion += v.bias[taken];
        for (std::uint32_t e = begin; e < end; ++e) {
          const double pi = share[e - begin] / total;
          const double indicator = e == taken ? 1.0 : 0.0;
          g.log_weight[e] += w * (indicator - pi);
          g.bias[e] += w * emotion * (indicator - pi);
          d_emotion -= pi * v.bias[e];
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

void Likelihood::build_table(const ModelValues& v, const PersonaValues& p, PersonaTable& t) const {
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
  t.log_weight.resize(graph_.transition_count());
  for (std::uint32_t e = 0; e < graph_.transition_count(); ++e) {
    const double w = v.weight[e] * p.affinity[graph_.target(e)];
    t.log_weight[e] = w > 0.0 ? std::log(w) : -kInf;
  }
  t.log_odds.resize(n);
  for (std::size_t u = 0; u < n; ++u) t.log_odds[u] = model::dropout_log_odds(v.dropout[u], p.odds);
}

// The reference model's steps (sim/model/agent.h) with sd 0: experience, then (no conversion
// probability) completion at a terminal touchpoint, else dropout, else the choice.
double Likelihood::path_log_likelihood(const ModelValues& v, std::size_t k,
                                       const DistinctPath& path) const {
  const PersonaValues& p = v.personas[k];
  const PersonaTable& t = tables_[k];
  const double memory = graph_.journey.memory;
  const std::size_t length = path.touchpoints.size();
  double ll = t.log_entry[path.touchpoints[0]];
  double emotion = p.initial_emotion;
  double choice_terms[64];
  std::vector<double> many;
  for (std::size_t step = 0; step < length; ++step) {
    const std::uint32_t u = path.touchpoints[step];
    emotion = model::experience(emotion, memory, p.sensitivity, v.emotion_mean[u], 0.0, 0.0);
    if (step + 1 == length) {
      // Ending here: completed at a terminal touchpoint (certain), dropped otherwise; at
      // the step cap a journey that did not drop is capped, so it ends here either way.
      if (graph_.terminal(u) || static_cast<std::int64_t>(length) >= graph_.journey.max_steps) {
        break;
      }
      ll += std::log(model::dropout_probability(t.log_odds[u], v.kappa, emotion));
      break;
    }
    ll += std::log1p(-model::dropout_probability(t.log_odds[u], v.kappa, emotion));
    const std::uint32_t begin = graph_.out_begin(u), end = graph_.out_end(u);
    double* terms = choice_terms;
    if (end - begin > 64) {
      many.resize(end - begin);
      terms = many.data();
    }
    for (std::uint32_t e = begin; e < end; ++e) {
      terms[e - begin] = t.log_weight[e] + v.bias[e] * emotion;
    }
    const std::uint32_t taken = path.transitions[step];
    ll += t.log_weight[taken] + v.bias[taken] * emotion - log_sum_exp(terms, end - begin);
  }
  return ll;
}

}  // namespace cjsim::fit_detail
