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
  std::vector<double> entry;       // exp(log_entry), for the gradient
  std::vector<double> log_weight;  // per transition
  std::vector<double> log_odds;    // per touchpoint
  // Where emotion moves nothing, a step's probabilities depend only on its touchpoint and are
  // computed once per evaluation, with the very arithmetic a path's walk would do: with kappa
  // 0, the dropout q and log(1 - q), log q per touchpoint; where every transition out of a
  // touchpoint has bias 0, its choice's exp(term - top) per transition and their sum and log
  // of the sum per touchpoint.
  bool fixed_dropout = false;                          // kappa is 0
  bool emotion_steers = true;                          // kappa or some bias is not 0
  std::vector<double> dropout, log_stay, log_drop;     // per touchpoint, with fixed_dropout
  std::vector<char> fixed_choice;                      // per touchpoint
  std::vector<double> choice_total, choice_log_total;  // per touchpoint, where fixed_choice
  std::vector<double> choice_share;                    // per transition, where fixed_choice
  std::vector<double> choice_probability;              // choice_share / choice_total
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

// One evaluation of every path under every persona (Likelihood::evaluate).
struct PathTerms {
  std::vector<double> ll;         // [i * K + k] = log P(path i | persona k)
  std::vector<double> total;      // [i] = log sum over k of share_k P(path i | persona k)
  std::vector<double> posterior;  // [i * K + k]: persona k's responsibility for path i
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

  // Every path's log-likelihood per persona in one pass over the paths: out.ll, and with the
  // personas latent (no responsibilities given) out.total, the log of the path's mixture
  // probability under the normalised `log_shares`. With g, also out.posterior (the given
  // responsibilities, or the posterior ones) and, added to g, the gradient of
  // sum over (i, k) of -count_i x posterior[i * K + k] x log P(path i | persona k), from the
  // quantities the likelihood's own walk computed. Emotion's derivatives follow the recursion
  // e = clamp(lambda e + s mu): zero where the clamp holds it. Chunks of paths sum into parts
  // added in chunk order, so that nothing depends on how many threads there are.
  void evaluate(const ModelValues& v, const std::vector<double>& log_shares,
                const std::vector<double>* responsibility, PathTerms& out, ModelGradient* g) const;

 private:
  static constexpr std::size_t kChunk = 64;
  std::size_t chunk_count() const { return (paths_.size() + kChunk - 1) / kChunk; }

  // What a path's walk under one persona computed, kept for its gradient.
  struct StepRecord {
    double emotion = 0.0;                   // after the step's experience
    double dropout = 0.0;                   // q, where the step decides dropout
    double total = 0.0;                     // sum of the choice's exp(term - top)
    const double* shares = nullptr;         // the choice's exp(term - top), in the table when fixed
    const double* probabilities = nullptr;  // and there each share over their sum
    std::size_t shares_at = 0;              // else where they start in PathRecord::shares
    bool clamped = false;                   // emotion held by its clamp
  };
  struct PathRecord {
    std::vector<StepRecord> steps;
    std::vector<double> shares;  // exp(term - top) of each step's choices, step after step
  };

  void build_tables(const ModelValues& v) const;
  void build_table(const ModelValues& v, const PersonaValues& p, PersonaTable& t) const;
  // log P(path | persona k); the walk's quantities kept in `record` when given.
  double path_log_likelihood(const ModelValues& v, std::size_t k, const DistinctPath& path,
                             PathRecord* record) const;
  // Adds w x d log P(path | persona k) to g from the walk's record.
  void add_path_gradient(const ModelValues& v, std::size_t k, double w, const DistinctPath& path,
                         const PathRecord& record, ModelGradient& g,
                         std::vector<double>& d_mean) const;

  const FitGraph& graph_;
  const std::vector<DistinctPath>& paths_;
  mutable std::vector<PersonaTable> tables_;
  mutable std::vector<double> scratch_;
};

}  // namespace cjsim::fit_detail
