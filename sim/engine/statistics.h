// Every interval cjsim reports is computed here, once: Wilson intervals for proportions,
// normal intervals for means of agents, Student-t intervals across replications, and the
// net promoter score's interval.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <span>

namespace cjsim {

inline constexpr double kZ95 = 1.959963984540054;  // two-sided 95% normal quantile
inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();  // "no value"

// A figure with its 95% confidence interval. NaN throughout when undefined (no data).
struct Estimate {
  double value = 0.0;
  double low = 0.0;
  double high = 0.0;
  friend bool operator==(const Estimate&, const Estimate&) = default;
};

// Wilson score interval: stays inside [0, 1] and keeps its coverage at rates of 0 and 1.
Estimate wilson_interval(std::uint64_t successes, std::uint64_t trials);

// Mean of n values from their sum and sum of squares, normal interval with the sample
// variance.
Estimate mean_interval(double sum, double sum_of_squares, std::uint64_t n);

// The mean of per-replication values with a Student-t interval on n - 1 degrees of freedom.
Estimate replication_interval(std::span<const double> values);

// Net promoter score in points (-100 to 100) among n customers, with the normal interval of
// the mean of a score that is +100 for a promoter, -100 for a detractor, 0 otherwise.
Estimate nps_interval(std::uint64_t promoters, std::uint64_t detractors, std::uint64_t n);

// Sums over agents of the vector x = (a_current, b_current, a_future, b_future) and of its
// products x_j x_k (j <= k, in the order 00 01 02 03 11 12 13 22 23 33): enough to compare
// two ratio estimators R = sum(a) / sum(b) measured on the same agents. A plain mean per agent
// is the ratio with b = 1.
struct PairedMoments {
  double n = 0.0;
  std::array<double, 4> sum{};
  std::array<double, 10> product{};
};

struct PairedDifference {
  Estimate current;     // sum(a_current) / sum(b_current), delta-method interval
  Estimate future;
  Estimate difference;  // future - current, from the paired agents
  double paired_half_width = 0.0;
  double independent_half_width = 0.0;  // what two independent runs of n agents would give
};

// The delta method on the paired moments: Var(R_f - R_c) = g' C g / n, with C the covariance
// of x and g the gradient of R_f - R_c at the means; the independent width drops the
// covariances between the two scenarios.
PairedDifference paired_ratio_difference(const PairedMoments& moments);

// The two-sided 95% Student-t quantile for `degrees` degrees of freedom.
double student_t95(double degrees);

}  // namespace cjsim
