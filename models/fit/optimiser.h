// The emotion fit's numerical optimisation: bounded L-BFGS (NLopt) that keeps the best point
// through the kinks emotion's clamp makes, and the Hessian by differences of the gradient.
#pragma once

#include <Eigen/Dense>
#include <functional>
#include <vector>

#include "models/fit/fit_parameters.h"

namespace cjsim::fit_detail {

// An objective in theta that fills the whole gradient when given somewhere to put it.
using Objective = std::function<double(const std::vector<double>&, std::vector<double>*)>;

// Minimises f over theta[indices] (the rest held) with NLopt's L-BFGS, within the bounds. The
// clamp of emotion makes f kinked in places, so the best point seen is kept whatever way the
// optimiser stops. Returns the minimum; theta is left at its argument.
double minimise(const Objective& f, std::vector<double>& theta,
                const std::vector<FreeParameter>& free, const std::vector<std::size_t>& indices,
                int max_evaluations);

// Central differences of the (analytic) gradient, symmetrised.
Eigen::MatrixXd hessian(const Objective& f, const std::vector<double>& theta);

}  // namespace cjsim::fit_detail
