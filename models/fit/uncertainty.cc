// Identifiability from the observed information, and the fitted parameters with their
// intervals.
#include "models/fit/uncertainty.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <utility>

#include "sim/engine/statistics.h"

namespace cjsim::fit_detail {

Identification identify(const Eigen::MatrixXd& information, const std::vector<double>& theta,
                        const std::vector<FreeParameter>& free,
                        const std::vector<std::string>& names, double customers, double threshold) {
  const std::size_t n = theta.size();
  Identification out;
  out.why_not.assign(n, "");
  std::vector<std::size_t> kept;
  for (std::size_t i = 0; i < n; ++i) {
    const double span = free[i].upper - free[i].lower;
    if (theta[i] <= free[i].lower + 1e-6 * span || theta[i] >= free[i].upper - 1e-6 * span) {
      out.why_not[i] = "at the bound of its range: the data push it to the edge";
    } else if (!(information(i, i) > 1e-9 * std::max(1.0, customers))) {
      out.why_not[i] = "it has no influence on the paths' likelihood";
    } else {
      kept.push_back(i);
    }
  }
  out.covariance = Eigen::MatrixXd::Constant(n, n, kNaN);
  const std::size_t m = kept.size();
  if (m == 0) return out;
  Eigen::VectorXd scale(m);
  for (std::size_t a = 0; a < m; ++a) scale(a) = 1.0 / std::sqrt(information(kept[a], kept[a]));
  Eigen::MatrixXd scaled(m, m);
  for (std::size_t a = 0; a < m; ++a) {
    for (std::size_t b = 0; b < m; ++b) {
      scaled(a, b) = information(kept[a], kept[b]) * scale(a) * scale(b);
    }
  }
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(scaled);
  const Eigen::VectorXd& values = eigen.eigenvalues();
  const Eigen::MatrixXd& vectors = eigen.eigenvectors();
  Eigen::VectorXd unresolved = Eigen::VectorXd::Zero(m);  // share in weak directions
  Eigen::MatrixXd pseudo_inverse = Eigen::MatrixXd::Zero(m, m);
  for (std::size_t d = 0; d < m; ++d) {
    const Eigen::VectorXd direction = vectors.col(d);
    if (values(d) < threshold) {
      unresolved += direction.cwiseProduct(direction);
    } else {
      pseudo_inverse += direction * direction.transpose() / values(d);
    }
  }
  for (std::size_t a = 0; a < m; ++a) {
    if (unresolved(a) <= 1e-3) continue;
    // The partners that weigh most with it in the weak directions, the strongest first.
    std::vector<std::pair<double, std::size_t>> partners;
    for (std::size_t b = 0; b < m; ++b) {
      if (b == a) continue;
      double weight = 0.0;
      for (std::size_t d = 0; d < m; ++d) {
        if (values(d) < threshold) weight += std::abs(vectors(a, d) * vectors(b, d));
      }
      if (weight > 1e-3) partners.emplace_back(weight, b);
    }
    std::sort(partners.begin(), partners.end(), std::greater<>());
    std::string others;
    for (std::size_t j = 0; j < partners.size() && j < 4; ++j) {
      others += (others.empty() ? "" : ", ") + names[kept[partners[j].second]];
    }
    if (partners.size() > 4) others += fmt::format(" and {} more", partners.size() - 4);
    out.why_not[kept[a]] = others.empty() ? "a near-null direction of the information"
                                          : "it trades off with " + others;
  }
  for (std::size_t a = 0; a < m; ++a) {
    for (std::size_t b = 0; b < m; ++b) {
      out.covariance(kept[a], kept[b]) = pseudo_inverse(a, b) * scale(a) * scale(b);
    }
  }
  return out;
}

std::vector<FittedParameter> reported_parameters(const Problem& problem, const Scenario& fitted,
                                                 const ModelValues& fitted_values,
                                                 const std::vector<double>& theta,
                                                 const std::vector<std::string>& names,
                                                 const Identification& identified) {
  const std::size_t n = problem.free.size();
  const std::size_t K = problem.base.personas.size();
  std::vector<FittedParameter> out;
  std::vector<std::size_t> share_rows;
  for (std::size_t i = 0; i < n; ++i) {
    const FreeParameter& f = problem.free[i];
    if (f.kind == FitParameterKind::persona_share) {
      share_rows.push_back(i);
      continue;
    }
    FittedParameter p;
    p.name = names[i];
    p.kind = f.kind;
    p.index = scenario_index(problem.graph, f);
    p.value = parameter_value(fitted, p);
    p.why_not = identified.why_not[i];
    p.identifiable = p.why_not.empty();
    if (p.identifiable) {
      const double se = std::sqrt(identified.covariance(i, i));
      const double x = theta[i];
      const double slope = (model_scale(f, x + 1e-6) - model_scale(f, x - 1e-6)) / 2e-6;
      p.standard_error = slope * se;
      p.low = model_scale(f, x - kZ95 * se);
      p.high = model_scale(f, x + kZ95 * se);
    } else {
      p.standard_error = p.low = p.high = kNaN;
    }
    out.push_back(std::move(p));
  }
  // Shares: softmax of the share parameters, with delta-method intervals.
  if (K > 1) {
    const std::vector<double> shares = Likelihood::log_shares(fitted_values);
    bool all_identified = true;
    std::string why;
    for (std::size_t r : share_rows) {
      if (!identified.why_not[r].empty()) {
        all_identified = false;
        why = identified.why_not[r];
      }
    }
    for (std::uint32_t k = 0; k < K; ++k) {
      FittedParameter p;
      p.kind = FitParameterKind::persona_share;
      p.index = k;
      p.name = parameter_name(problem.skeleton, p.kind, k, problem.persona_ids);
      p.value = std::exp(shares[k]);
      p.identifiable = all_identified;
      p.why_not = why;
      if (all_identified) {
        // d share_k / d theta_j = share_k (1[k = j] - share_j), theta_j for persona j > 0.
        Eigen::VectorXd gradient(share_rows.size());
        Eigen::MatrixXd covariance(share_rows.size(), share_rows.size());
        for (std::size_t a = 0; a < share_rows.size(); ++a) {
          const std::uint32_t j = problem.free[share_rows[a]].index;
          gradient(a) = p.value * ((k == j ? 1.0 : 0.0) - std::exp(shares[j]));
          for (std::size_t b = 0; b < share_rows.size(); ++b) {
            covariance(a, b) = identified.covariance(share_rows[a], share_rows[b]);
          }
        }
        p.standard_error = std::sqrt(gradient.dot(covariance * gradient));
        p.low = std::max(0.0, p.value - kZ95 * p.standard_error);
        p.high = std::min(1.0, p.value + kZ95 * p.standard_error);
      } else {
        p.standard_error = p.low = p.high = kNaN;
      }
      out.push_back(std::move(p));
    }
  }
  return out;
}

}  // namespace cjsim::fit_detail
