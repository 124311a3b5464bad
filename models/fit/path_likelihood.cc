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

void Likelihood::build_tables(const ModelValues& v) const {
  const std::size_t K = v.personas.size();
  tables_.resize(K);
  for (std::size_t k = 0; k < K; ++k) build_table(v, v.personas[k], tables_[k]);
}

void Likelihood::per_persona(const ModelValues& v, std::vector<double>& ll) const {
  const std::size_t K = v.personas.size();
  build_tables(v);
  ll.resize(paths_.size() * K);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunk_count()),
                    [&](const tbb::blocked_range<std::size_t>& chunks) {
                      for (std::size_t c = chunks.begin(); c != chunks.end(); ++c) {
                        const std::size_t end = std::min(paths_.size(), (c + 1) * kChunk);
                        for (std::size_t i = c * kChunk; i < end; ++i) {
                          for (std::size_t k = 0; k < K; ++k) {
                            ll[i * K + k] = path_log_likelihood(v, k, paths_[i], nullptr);
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

void Likelihood::evaluate(const ModelValues& v, const std::vector<double>& log_shares,
                          const std::vector<double>* responsibility, PathTerms& out,
                          ModelGradient* g) const {
  const std::size_t K = v.personas.size();
  const std::size_t n = graph_.size();
  build_tables(v);
  out.ll.resize(paths_.size() * K);
  if (!responsibility) out.total.resize(paths_.size());
  if (g) out.posterior.resize(paths_.size() * K);
  std::vector<ModelGradient> parts(g ? chunk_count() : 0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, chunk_count()),
                    [&](const tbb::blocked_range<std::size_t>& chunks) {
                      std::vector<PathRecord> records(g ? K : 0);
                      std::vector<double> terms(K), d_mean(g ? n : 0);
                      for (std::size_t c = chunks.begin(); c != chunks.end(); ++c) {
                        if (g) parts[c].reset(n, graph_.transition_count(), K);
                        const std::size_t end = std::min(paths_.size(), (c + 1) * kChunk);
                        for (std::size_t i = c * kChunk; i < end; ++i) {
                          double* ll = &out.ll[i * K];
                          for (std::size_t k = 0; k < K; ++k) {
                            ll[k] = path_log_likelihood(v, k, paths_[i], g ? &records[k] : nullptr);
                          }
                          if (!responsibility) {
                            for (std::size_t k = 0; k < K; ++k) terms[k] = log_shares[k] + ll[k];
                            out.total[i] = log_sum_exp(terms.data(), K);
                          }
                          if (!g) continue;
                          double* posterior = &out.posterior[i * K];
                          const double count = paths_[i].count;
                          for (std::size_t k = 0; k < K; ++k) {
                            posterior[k] = responsibility ? (*responsibility)[i * K + k]
                                                          : std::exp(terms[k] - out.total[i]);
                            // Responsibilities of 0 (or less) contribute nothing, as in the
                            // objective.
                            const double w =
                                responsibility && posterior[k] <= 0.0 ? 0.0 : -count * posterior[k];
                            if (w == 0.0) continue;
                            add_path_gradient(v, k, w, paths_[i], records[k], parts[c], d_mean);
                          }
                        }
                      }
                    });
  for (const ModelGradient& part : parts) g->add(part);
}

// One path's terms of the gradient, from what its walk under persona k recorded.
void Likelihood::add_path_gradient(const ModelValues& v, std::size_t k, double w,
                                   const DistinctPath& path, const PathRecord& record,
                                   ModelGradient& g, std::vector<double>& d_mean) const {
  const std::size_t n = graph_.size();
  const double memory = graph_.journey.memory;
  const std::int64_t max_steps = graph_.journey.max_steps;
  const std::size_t length = path.touchpoints.size();
  const PersonaValues& p = v.personas[k];
  const PersonaTable& t = tables_[k];
  const std::uint32_t first = path.touchpoints[0];
  for (std::uint32_t e : graph_.entries) {
    if (t.log_entry[e] > -kInf) g.log_entry[e] -= w * t.entry[e];
  }
  g.log_entry[first] += w;
  std::fill(d_mean.begin(), d_mean.end(), 0.0);
  double d_initial = 1.0;
  for (std::size_t step = 0; step < length; ++step) {
    const std::uint32_t u = path.touchpoints[step];
    const StepRecord& s = record.steps[step];
    const double emotion = s.emotion;
    if (!t.emotion_steers) {
      // d_emotion below is then 0 at every step: the emotion derivatives are never read.
    } else if (s.clamped) {
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
    const double q = s.dropout;
    const double d_x = last ? 1.0 - q : -q;
    g.log_odds[u] += w * d_x;
    g.persona_log_odds[k] += w * d_x;
    g.kappa -= w * d_x * emotion;
    double d_emotion = -v.kappa * d_x;
    if (!last) {
      const std::uint32_t begin = graph_.out_begin(u), end = graph_.out_end(u);
      const double total = s.total;
      const double* share = s.shares ? s.shares : record.shares.data() + s.shares_at;
      const std::uint32_t taken = path.transitions[step];
      d_emotion += v.bias[taken];
      for (std::uint32_t e = begin; e < end; ++e) {
        const double pi = s.probabilities ? s.probabilities[e - begin] : share[e - begin] / total;
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

void Likelihood::build_table(const ModelValues& v, const PersonaValues& p, PersonaTable& t) const {
  const std::size_t n = graph_.size();
  t.log_entry.assign(n, -kInf);
  t.entry.assign(n, 0.0);
  std::vector<double> logs;
  for (std::uint32_t e : graph_.entries) {
    const double w = v.entry_weight[e] * p.affinity[e];
    t.log_entry[e] = w > 0.0 ? std::log(w) : -kInf;
    logs.push_back(t.log_entry[e]);
  }
  const double total = log_sum_exp(logs.data(), logs.size());
  for (std::uint32_t e : graph_.entries) {
    t.log_entry[e] -= total;
    t.entry[e] = std::exp(t.log_entry[e]);
  }
  t.log_weight.resize(graph_.transition_count());
  for (std::uint32_t e = 0; e < graph_.transition_count(); ++e) {
    const double w = v.weight[e] * p.affinity[graph_.target(e)];
    t.log_weight[e] = w > 0.0 ? std::log(w) : -kInf;
  }
  t.log_odds.resize(n);
  for (std::size_t u = 0; u < n; ++u) t.log_odds[u] = model::dropout_log_odds(v.dropout[u], p.odds);
  // kappa x e is then 0 (or -0) for any emotion in [-1, 1], and x - 0 is x.
  t.fixed_dropout = v.kappa == 0.0;
  t.emotion_steers = !t.fixed_dropout;
  t.dropout.assign(n, 0.0);
  t.log_stay.assign(n, 0.0);
  t.log_drop.assign(n, 0.0);
  if (t.fixed_dropout) {
    for (std::size_t u = 0; u < n; ++u) {
      t.dropout[u] = model::dropout_probability(t.log_odds[u], v.kappa, 0.0);
      t.log_stay[u] = std::log1p(-t.dropout[u]);
      t.log_drop[u] = std::log(t.dropout[u]);
    }
  }
  // bias x e is then 0 (or -0) and a log weight plus it is the log weight (never -0 itself).
  t.fixed_choice.assign(n, 0);
  t.choice_total.assign(n, 0.0);
  t.choice_log_total.assign(n, 0.0);
  t.choice_share.assign(graph_.transition_count(), 0.0);
  t.choice_probability.assign(graph_.transition_count(), 0.0);
  for (std::uint32_t u = 0; u < n; ++u) {
    const std::uint32_t begin = graph_.out_begin(u), end = graph_.out_end(u);
    bool fixed = true;
    for (std::uint32_t e = begin; e < end; ++e) fixed = fixed && v.bias[e] == 0.0;
    if (!fixed) {
      t.emotion_steers = true;
      continue;
    }
    t.fixed_choice[u] = 1;
    double top = -kInf;
    for (std::uint32_t e = begin; e < end; ++e) top = std::max(top, t.log_weight[e]);
    double total = 0.0;
    for (std::uint32_t e = begin; e < end; ++e) {
      total += (t.choice_share[e] = std::exp(t.log_weight[e] - top));
    }
    t.choice_total[u] = total;
    for (std::uint32_t e = begin; e < end; ++e) t.choice_probability[e] = t.choice_share[e] / total;
    t.choice_log_total[u] = top == -kInf ? -kInf : top + std::log(total);
  }
}

// The reference model's steps (sim/model/agent.h) with sd 0: experience, then (no conversion
// probability) completion at a terminal touchpoint, else dropout, else the choice.
double Likelihood::path_log_likelihood(const ModelValues& v, std::size_t k,
                                       const DistinctPath& path, PathRecord* record) const {
  const PersonaValues& p = v.personas[k];
  const PersonaTable& t = tables_[k];
  const double memory = graph_.journey.memory;
  const std::size_t length = path.touchpoints.size();
  double ll = t.log_entry[path.touchpoints[0]];
  double emotion = p.initial_emotion;
  double choice_terms[64];
  std::vector<double> many;
  if (record) {
    record->steps.resize(length);
    record->shares.clear();
  }
  for (std::size_t step = 0; step < length; ++step) {
    const std::uint32_t u = path.touchpoints[step];
    const double unclamped = memory * emotion + p.sensitivity * v.emotion_mean[u];
    emotion = model::experience(emotion, memory, p.sensitivity, v.emotion_mean[u], 0.0, 0.0);
    StepRecord* s = record ? &record->steps[step] : nullptr;
    if (s) {
      s->emotion = emotion;
      s->clamped = unclamped != emotion;
    }
    // A NaN emotion (from NaN parameters) takes the walk's own arithmetic, as it would.
    const bool fixed_dropout = t.fixed_dropout && !std::isnan(emotion);
    if (step + 1 == length) {
      // Ending here: completed at a terminal touchpoint (certain), dropped otherwise; at
      // the step cap a journey that did not drop is capped, so it ends here either way.
      if (graph_.terminal(u) || static_cast<std::int64_t>(length) >= graph_.journey.max_steps) {
        break;
      }
      if (fixed_dropout) {
        if (s) s->dropout = t.dropout[u];
        ll += t.log_drop[u];
        break;
      }
      const double q = model::dropout_probability(t.log_odds[u], v.kappa, emotion);
      if (s) s->dropout = q;
      ll += std::log(q);
      break;
    }
    double q;
    if (fixed_dropout) {
      q = t.dropout[u];
      ll += t.log_stay[u];
    } else {
      q = model::dropout_probability(t.log_odds[u], v.kappa, emotion);
      ll += std::log1p(-q);
    }
    const std::uint32_t begin = graph_.out_begin(u), end = graph_.out_end(u);
    const std::uint32_t taken = path.transitions[step];
    if (t.fixed_choice[u] && !std::isnan(emotion)) {
      if (s) {
        s->dropout = q;
        s->total = t.choice_total[u];
        s->shares = t.choice_share.data() + begin;
        s->probabilities = t.choice_probability.data() + begin;
      }
      ll += t.log_weight[taken] + v.bias[taken] * emotion - t.choice_log_total[u];
      continue;
    }
    if (s) {
      // log_sum_exp's arithmetic, keeping each exp(term - top) and their sum for the gradient.
      s->dropout = q;
      s->shares = nullptr;
      s->probabilities = nullptr;
      const std::size_t at = record->shares.size();
      s->shares_at = at;
      record->shares.resize(at + (end - begin));
      double* share = record->shares.data() + at;
      double top = -kInf;
      for (std::uint32_t e = begin; e < end; ++e) {
        share[e - begin] = t.log_weight[e] + v.bias[e] * emotion;
        top = std::max(top, share[e - begin]);
      }
      double total = 0.0;
      for (std::uint32_t e = begin; e < end; ++e)
        total += (share[e - begin] = std::exp(share[e - begin] - top));
      s->total = total;
      const double log_total = top == -kInf ? -kInf : top + std::log(total);
      ll += t.log_weight[taken] + v.bias[taken] * emotion - log_total;
      continue;
    }
    double* terms = choice_terms;
    if (end - begin > 64) {
      many.resize(end - begin);
      terms = many.data();
    }
    for (std::uint32_t e = begin; e < end; ++e) {
      terms[e - begin] = t.log_weight[e] + v.bias[e] * emotion;
    }
    ll += t.log_weight[taken] + v.bias[taken] * emotion - log_sum_exp(terms, end - begin);
  }
  return ll;
}

}  // namespace cjsim::fit_detail
