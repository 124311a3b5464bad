// The exact likelihood of observed paths under the reference model with deterministic emotion
// (sim/model/MODEL.md, every sd 0), per latent persona, and its gradient with respect to the
// model's own quantities. Walks the skeleton's compiled graph (fit_graph.h).
#pragma once

#include <cstddef>
#include <limits>
#include <vector>

#include "models/fit/fit_graph.h"
#include "scenarios/scenario.h"
#include "sim/engine/statistics.h"

namespace cjsim::fit_detail {

inline constexpr double kInf = std::numeric_limits<double>::infinity();

double log_sum_exp(const double* x, std::size_t n);

// Every value the likelihood reads, on the model's scale.
struct PersonaValues {
  double log_share = 0.0;  // unnormalised
  double initial_emotion = 0.0;
  double odds = 1.0;
  double sensitivity = 1.0;
  std::vector<double> affinity;  // per touchpoint, of its channel
};

// Per touchpoint, per transition (compiled order, fit_graph.h) and per persona.
struct ModelValues {
  std::vector<double> emotion_mean, dropout, weight, bias, entry_weight;
  double kappa = 0.0;
  std::vector<PersonaValues> personas;
};

PersonaValues persona_values(const Scenario& s, const Persona& p, double share);
// `s` is the scenario `graph` was compiled from.
ModelValues scenario_values(const Scenario& s, const FitGraph& graph);

// Per-persona tables, rebuilt for every evaluation: log entry probabilities, log of
// weight x affinity per transition, and the dropout log-odds per touchpoint.
struct PersonaTable {
  std::vector<double> log_entry;   // per touchpoint, -inf off the entries
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

  void reset(std::size_t touchpoints, std::size_t transitions, std::size_t personas);
  void add(const ModelGradient& other);
};

class Likelihood {
 public:
  Likelihood(const FitGraph& graph, const std::vector<DistinctPath>& paths)
      : graph_(graph), paths_(paths) {}

  const FitGraph& graph() const { return graph_; }
  std::size_t path_count() const { return paths_.size(); }
  const DistinctPath& path(std::size_t i) const { return paths_[i]; }

  // ll[i * K + k] = log P(path i | persona k).
  void per_persona(const ModelValues& v, std::vector<double>& ll) const;

  // Log of each persona's normalised share.
  static std::vector<double> log_shares(const ModelValues& v);

  // The negative log-likelihood of the data with the personas latent.
  double marginal(const ModelValues& v) const;

  // Adds the gradient of sum over (i, k) of weight[i * K + k] x log P(path i | persona k) to g.
  // The tables must be those of `v` (per_persona called last with it). Emotion's derivatives
  // follow the recursion e = clamp(lambda e + s mu): zero where the clamp holds it.
  void add_gradient(const ModelValues& v, const std::vector<double>& weight,
                    ModelGradient& g) const;

 private:
  static constexpr std::size_t kChunk = 64;
  std::size_t chunk_count() const { return (paths_.size() + kChunk - 1) / kChunk; }

  void add_path_gradient(const ModelValues& v, const std::vector<double>& weight, std::size_t i,
                         ModelGradient& g, std::vector<double>& d_mean,
                         std::vector<double>& share) const;
  void build_table(const ModelValues& v, const PersonaValues& p, PersonaTable& t) const;
  double path_log_likelihood(const ModelValues& v, std::size_t k, const DistinctPath& path) const;

  const FitGraph& graph_;
  const std::vector<DistinctPath>& paths_;
  mutable std::vector<PersonaTable> tables_;
  mutable std::vector<double> scratch_;
};

}  // namespace cjsim::fit_detail
