// What the data say about each fitted parameter: the observed information at the optimum, the
// parameters it cannot pin down (and with which others they trade off), and standard errors
// and 95% intervals on the model's scale for the rest.
#pragma once

#include <Eigen/Dense>
#include <string>
#include <vector>

#include "models/fit/emotion_fit.h"
#include "models/fit/fit_problem.h"

namespace cjsim::fit_detail {

struct Identification {
  std::vector<std::string> why_not;  // per free parameter, "" when identified
  Eigen::MatrixXd covariance;        // over every free parameter; rows of the others are NaN
};

// The observed information at the optimum. Parameters with no influence or at a bound get no
// interval. On the others, the information (scaled to a unit diagonal) is split into its
// eigen-directions: those with eigenvalues under the threshold are combinations the data do not
// pin down, and a parameter with a real share in one of them is not identifiable. The others'
// covariance is the pseudo-inverse over the well-determined directions: the variance of what
// the data do estimate, not conditional on holding the unidentified parameters fixed.
Identification identify(const Eigen::MatrixXd& information, const std::vector<double>& theta,
                        const std::vector<FreeParameter>& free,
                        const std::vector<std::string>& names, double customers, double threshold);

// Every free parameter but the shares, valued in `fitted` (the scenario written) with its
// interval, then (K > 1) every persona's share, the softmax of the share parameters with
// delta-method intervals. `names` and `identified` are per free parameter; `fitted_values`
// and `theta` the optimum's.
std::vector<FittedParameter> reported_parameters(const Problem& problem, const Scenario& fitted,
                                                 const ModelValues& fitted_values,
                                                 const std::vector<double>& theta,
                                                 const std::vector<std::string>& names,
                                                 const Identification& identified);

}  // namespace cjsim::fit_detail
