// Latent personas: EM over the personas from several starts (the mixture's likelihood has
// several local maxima), each ended by L-BFGS on the marginal likelihood, the choice of the
// canonical optimum, and the check that the data can carry that many personas.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "models/fit/fit_problem.h"
#include "scenarios/diagnostic.h"

namespace cjsim::fit_detail {

struct Optimum {
  std::vector<double> theta;
  double negative_log_likelihood = kInf;
  int em_iterations = 0;
  bool reference_is_largest = true;
};

// Steps of progress best_of_starts reports (EM iterations and each start's final
// optimisation), and one more for the standard errors that follow it.
std::size_t fit_steps(const Problem& problem, const EmotionFitOptions& options);

// Called at each step: steps done, and what runs.
using StepReport = std::function<void(std::size_t done, const std::string& status)>;

// The maximum-likelihood estimate over every start: the skeleton's values with the personas
// spread over initial emotion, then random persona parameters. Adds a note when no start found
// the optimum whose first persona is the largest.
Optimum best_of_starts(Problem& problem, const EmotionFitOptions& options,
                       const StepReport& report);

// Latent personas are told apart only by how often each distinct path occurs: D distinct paths
// give D - 1 free shares, and persona parameters beyond those cannot be estimated (so large a
// mixture fits any data, and what it reports means nothing). Refused with the most personas
// the data can carry.
bool enough_paths_for_personas(const Problem& problem, const SourceLocation& where,
                               Diagnostics& diagnostics);

}  // namespace cjsim::fit_detail
