// Main effects and standardised regression coefficients (least squares with Eigen).
#include "sim/sweep/sensitivity.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <map>

#include "sim/engine/statistics.h"

namespace cjsim {
namespace {

void rank(Sensitivity& s) {
  std::stable_sort(s.ranked.begin(), s.ranked.end(),
                   [](const ParameterSensitivity& a, const ParameterSensitivity& b) {
                     return a.importance > b.importance;
                   });
}

std::vector<std::size_t> defined_points(std::span<const double> figure) {
  std::vector<std::size_t> out;
  for (std::size_t k = 0; k < figure.size(); ++k) {
    if (std::isfinite(figure[k])) out.push_back(k);
  }
  return out;
}

// A sensitivity of `method` over the points where the figure is defined (their indices in
// `used`), with a note when there are none.
Sensitivity over_defined_points(SensitivityMethod method, std::span<const double> figure,
                                std::vector<std::size_t>& used) {
  Sensitivity s;
  s.method = method;
  used = defined_points(figure);
  s.points = used.size();
  if (used.empty()) s.note = "the figure is undefined at every point";
  return s;
}

}  // namespace

const char* method_name(SensitivityMethod method) {
  return method == SensitivityMethod::main_effect ? "main_effect" : "standardised_regression";
}

Sensitivity main_effects(std::span<const std::vector<double>> design,
                         std::span<const double> figure) {
  std::vector<std::size_t> used;
  Sensitivity s = over_defined_points(SensitivityMethod::main_effect, figure, used);
  if (used.empty()) return s;
  const std::size_t parameters = design[used.front()].size();
  for (std::size_t j = 0; j < parameters; ++j) {
    std::map<double, std::pair<double, std::size_t>> levels;  // value -> (sum, count)
    for (std::size_t k : used) {
      auto& [sum, count] = levels[design[k][j]];
      sum += figure[k];
      ++count;
    }
    double lowest = INFINITY, highest = -INFINITY;
    for (const auto& [value, level] : levels) {
      const double mean = level.first / static_cast<double>(level.second);
      lowest = std::min(lowest, mean);
      highest = std::max(highest, mean);
    }
    const auto& first = levels.begin()->second;
    const auto& last = levels.rbegin()->second;
    ParameterSensitivity p;
    p.parameter = j;
    p.importance = highest - lowest;
    p.swing = last.first / static_cast<double>(last.second) -
              first.first / static_cast<double>(first.second);
    s.ranked.push_back(p);
  }
  rank(s);
  return s;
}

Sensitivity standardised_regression(std::span<const std::vector<double>> design,
                                    std::span<const double> figure) {
  std::vector<std::size_t> used;
  Sensitivity s = over_defined_points(SensitivityMethod::standardised_regression, figure, used);
  if (used.empty()) return s;
  const std::size_t parameters = design[used.front()].size();
  if (used.size() < parameters + 2) {
    s.note = "fewer points than parameters + 2: too few to separate the parameters";
    return s;
  }
  const auto n = static_cast<Eigen::Index>(used.size());
  const auto m = static_cast<Eigen::Index>(parameters);
  Eigen::MatrixXd x(n, m);
  Eigen::VectorXd y(n);
  for (Eigen::Index r = 0; r < n; ++r) {
    y(r) = figure[used[static_cast<std::size_t>(r)]];
    for (Eigen::Index j = 0; j < m; ++j) {
      x(r, j) = design[used[static_cast<std::size_t>(r)]][static_cast<std::size_t>(j)];
    }
  }
  // Standardise: a coefficient is then in standard deviations of y per standard deviation of
  // x_j, comparable across parameters of different units; centring removes the intercept.
  const auto standardise = [](Eigen::Ref<Eigen::VectorXd> v) {
    const double mean = v.mean();
    v.array() -= mean;
    const double sd = std::sqrt(v.squaredNorm() / static_cast<double>(v.size() - 1));
    if (sd > 0) v /= sd;
    return sd;
  };
  const double y_sd = standardise(y);
  std::vector<double> x_sd(parameters), x_range(parameters);
  for (Eigen::Index j = 0; j < m; ++j) {
    x_range[static_cast<std::size_t>(j)] = x.col(j).maxCoeff() - x.col(j).minCoeff();
    x_sd[static_cast<std::size_t>(j)] = standardise(x.col(j));
  }
  if (y_sd == 0) {
    s.note = "the figure is the same at every point";
    return s;
  }
  const Eigen::VectorXd beta = x.colPivHouseholderQr().solve(y);
  const Eigen::VectorXd residual = y - x * beta;
  s.r_squared = 1.0 - residual.squaredNorm() / y.squaredNorm();
  for (std::size_t j = 0; j < parameters; ++j) {
    ParameterSensitivity p;
    p.parameter = j;
    const double coefficient = x_sd[j] > 0 ? beta(static_cast<Eigen::Index>(j)) : 0.0;
    p.importance = std::fabs(coefficient);
    // Back in the figure's units: slope = coefficient * sd(y) / sd(x_j).
    p.swing = x_sd[j] > 0 ? coefficient * y_sd / x_sd[j] * x_range[j] : 0.0;
    p.coefficient = coefficient;
    s.ranked.push_back(p);
  }
  rank(s);
  return s;
}

namespace {

// Parameter j's swing in a ranking of one replication: 0 when the figure is the same at every
// point of the replication (nothing moves it), NaN when it could not be ranked otherwise.
double swing_of(const Sensitivity& s, std::size_t j, std::span<const double> figure) {
  for (const ParameterSensitivity& p : s.ranked) {
    if (p.parameter == j) return p.swing;
  }
  double first = NAN;
  for (double y : figure) {
    if (!std::isfinite(y)) continue;
    if (std::isnan(first)) first = y;
    if (y != first) return NAN;
  }
  return std::isnan(first) ? NAN : 0.0;
}

}  // namespace

void add_replication_intervals(Sensitivity& s, std::span<const std::vector<double>> design,
                               std::span<const std::vector<double>> replication_figure) {
  if (replication_figure.size() < 2) return;
  std::vector<Sensitivity> by_replication;
  for (const std::vector<double>& figure : replication_figure) {
    by_replication.push_back(s.method == SensitivityMethod::main_effect
                                 ? main_effects(design, figure)
                                 : standardised_regression(design, figure));
  }
  for (ParameterSensitivity& p : s.ranked) {
    std::vector<double> swings;
    for (std::size_t r = 0; r < by_replication.size(); ++r) {
      swings.push_back(swing_of(by_replication[r], p.parameter, replication_figure[r]));
    }
    const Estimate e = replication_interval(swings);
    p.swing_low = e.low;
    p.swing_high = e.high;
    if (s.method != SensitivityMethod::standardised_regression) continue;
    if (p.swing != 0.0) {
      const double scale = p.coefficient / p.swing;
      p.coefficient_low = std::min(scale * e.low, scale * e.high);
      p.coefficient_high = std::max(scale * e.low, scale * e.high);
    } else if (e.low == 0.0 && e.high == 0.0) {
      p.coefficient_low = p.coefficient_high = 0.0;
    }
  }
}

}  // namespace cjsim

namespace cjsim {

std::vector<ScenarioSensitivity> sweep_sensitivity(std::string_view design,
                                                   std::span<const std::uint64_t> scenario_of_point,
                                                   std::span<const std::vector<double>> values,
                                                   std::span<const double> figure,
                                                   std::size_t scenarios,
                                                   std::span<const std::vector<double>>
                                                       replication_figure) {
  std::vector<ScenarioSensitivity> out;
  for (std::size_t s = 0; s < scenarios; ++s) {
    std::vector<std::vector<double>> rows;
    std::vector<double> y;
    std::vector<std::vector<double>> y_by_replication(replication_figure.size());
    for (std::size_t k = 0; k < values.size(); ++k) {
      if (scenario_of_point[k] != s) continue;
      rows.push_back(values[k]);
      y.push_back(figure[k]);
      for (std::size_t r = 0; r < replication_figure.size(); ++r) {
        y_by_replication[r].push_back(replication_figure[r][k]);
      }
    }
    if (rows.empty()) continue;
    Sensitivity ranking =
        design == "grid" ? main_effects(rows, y) : standardised_regression(rows, y);
    if (ranking.note.empty()) add_replication_intervals(ranking, rows, y_by_replication);
    out.push_back({s, std::move(ranking)});
  }
  return out;
}

}  // namespace cjsim
