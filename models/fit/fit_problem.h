// One emotion fit set up: the skeleton, its graph and the data's likelihood, the free
// parameters with data-informed starting values, the latent personas' ids, the notes on what
// the fit assumes, and the objective the optimiser and EM minimise.
#pragma once

#include <string>
#include <vector>

#include "models/fit/emotion_fit.h"
#include "models/fit/fit_graph.h"
#include "models/fit/fit_parameters.h"
#include "models/fit/path_likelihood.h"

namespace cjsim::fit_detail {

struct Problem {
  const Scenario& skeleton;
  const FitGraph& graph;
  const Likelihood& likelihood;
  ModelValues base;  // skeleton values, with K template personas and data-informed starts
  std::vector<FreeParameter> free;
  std::vector<std::string> persona_ids;
  std::vector<std::string> notes;
  double customers = 0.0;

  // The skeleton's values; set_up does the rest.
  Problem(const Scenario& skeleton, const FitGraph& graph, const Likelihood& likelihood);

  // The negative log-likelihood at theta with the personas latent or, given responsibilities
  // (EM's M-step), the expected complete-data one; its gradient in theta when asked for.
  double objective(const std::vector<double>& theta, const std::vector<double>* responsibility,
                   std::vector<double>* gradient) const;

  double marginal(const std::vector<double>& theta) const {
    return objective(theta, nullptr, nullptr);
  }
};

// K latent personas, each starting as the skeleton's first (affinities, value multiplier;
// the skeleton's persona ids are kept as far as they go), starting values from the data, the
// free parameters, and notes on what the fit assumes.
void set_up(Problem& problem, const EmotionFitOptions& options);

}  // namespace cjsim::fit_detail
