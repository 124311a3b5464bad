// Bounded L-BFGS with restarts past kinks, and the Hessian of an objective with a gradient.
#include "models/fit/optimiser.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlopt.hpp>
#include <stdexcept>

namespace cjsim::fit_detail {

double minimise(const Objective& f, std::vector<double>& theta,
                const std::vector<FreeParameter>& free, const std::vector<std::size_t>& indices,
                int max_evaluations) {
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

}  // namespace cjsim::fit_detail
