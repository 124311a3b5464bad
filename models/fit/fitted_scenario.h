// The scenario an emotion fit writes: the skeleton with the fitted values, emotion sd 0 and
// the K latent personas.
#pragma once

#include "models/fit/fit_problem.h"
#include "scenarios/scenario.h"

namespace cjsim::fit_detail {

Scenario fitted_scenario(const Problem& problem, const ModelValues& v);

}  // namespace cjsim::fit_detail
