// Latent personas as a finite mixture of Markov chains, fitted by EM: each persona its own
// entry weights, dropouts and transition weights on the fitted chain's graph, the mixing
// weight its share; written as personas of their own numbers (sim/model/MODEL.md 1.12) beside
// the pooled chain (models/README.md, "Latent personas").
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "models/fit/emotion_fit.h"
#include "models/fit/segment_personas.h"
#include "models/observed/observed_journeys.h"
#include "scenarios/scenario.h"

namespace cjsim {

struct ChainMixtureOptions {
  int personas = 2;
  // EM runs from this many seeded random starts (each a random split of every distinct path
  // among the personas); the start of the highest log-likelihood is kept (the first on a tie).
  int starts = 8;
  int max_iterations = 1000;
  // A start stops when an iteration changes the log-likelihood by at most this share of it.
  double relative_tolerance = 1e-8;
  std::uint64_t seed = 1;
  std::function<void(std::size_t done, std::size_t total, const std::string& stage)> progress;
  const std::atomic<bool>* cancel = nullptr;
};

struct ChainMixture {
  std::vector<SegmentFit> personas;  // by share, largest first (`segment` empty)
  std::uint64_t customers = 0;
  std::uint64_t distinct_paths = 0;
  double log_likelihood = 0.0;
  int free_parameters = 0;  // K chains' and K - 1 shares
  double aic = 0.0;
  double bic = 0.0;
  // The single chain (the pooled fit's numbers), for comparison.
  double one_chain_log_likelihood = 0.0;
  int one_chain_parameters = 0;
  double one_chain_bic = 0.0;
  int starts = 0;
  int best_start = 0;  // from 1
  int iterations = 0;  // of the best start
  bool converged = false;
  // The best start's log-likelihood after each iteration (non-decreasing, as EM's is).
  std::vector<double> log_likelihood_by_iteration;
  // Every start's final log-likelihood, in start order.
  std::vector<double> start_log_likelihoods;
  PersonaCollapse collapse;
};

// Fits `options.personas` chains to `data`, the paths in `scenario`'s own terms (in_fitted_terms:
// touchpoint v of the data is touchpoint v of the scenario, and every path's moves are the
// scenario's transitions), and writes them into `scenario` as its personas (replacing any).
// Deterministic for a seed; single-threaded. Throws std::invalid_argument when the data have
// fewer distinct paths than personas, std::logic_error for a path the scenario cannot walk,
// RunCancelled when cancelled.
ChainMixture fit_chain_mixture(const ObservedJourneys& data, Scenario& scenario,
                               const ChainMixtureOptions& options);

// The notes a fit prints for it: the fit, each persona's share and conversion, the collapse.
std::vector<std::string> chain_mixture_notes(const ChainMixture& mixture);

}  // namespace cjsim
