// Confidence intervals.
#include "sim/statistics.h"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cjsim {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr Estimate kUndefined{kNaN, kNaN, kNaN};

}  // namespace

Estimate wilson_interval(std::uint64_t successes, std::uint64_t trials) {
  if (trials == 0) return kUndefined;
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = kZ95 * kZ95;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = kZ95 * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  // At 0 and 1 the bound is exact: no rounding may push it past the observed rate.
  const double low = successes == 0 ? 0.0 : std::max(0.0, centre - half);
  const double high = successes == trials ? 1.0 : std::min(1.0, centre + half);
  return {p, low, high};
}

Estimate mean_interval(double sum, double sum_of_squares, std::uint64_t n) {
  if (n == 0) return kUndefined;
  const double count = static_cast<double>(n);
  const double mean = sum / count;
  if (n == 1) return {mean, mean, mean};
  const double variance =
      std::max(0.0, (sum_of_squares - count * mean * mean) / (count - 1));
  const double half = kZ95 * std::sqrt(variance / count);
  return {mean, mean - half, mean + half};
}

double student_t95(double degrees) {
  boost::math::students_t distribution(degrees);
  return boost::math::quantile(distribution, 0.975);
}

Estimate replication_interval(std::span<const double> values) {
  if (values.empty()) return kUndefined;
  double sum = 0.0;
  for (double v : values) sum += v;
  const double n = static_cast<double>(values.size());
  const double mean = sum / n;
  if (values.size() == 1 || !std::isfinite(mean)) return {mean, mean, mean};
  double squares = 0.0;
  for (double v : values) squares += (v - mean) * (v - mean);
  const double half = student_t95(n - 1) * std::sqrt(squares / (n - 1) / n);
  return {mean, mean - half, mean + half};
}

Estimate nps_interval(std::uint64_t promoters, std::uint64_t detractors, std::uint64_t n) {
  if (n == 0) return kUndefined;
  const double count = static_cast<double>(n);
  const double p = static_cast<double>(promoters) / count;
  const double d = static_cast<double>(detractors) / count;
  const double mean = p - d;
  // Var of a score in {+1, 0, -1}: E[s^2] - E[s]^2.
  const double variance = std::max(0.0, p + d - mean * mean) * count / std::max(1.0, count - 1);
  const double half = kZ95 * std::sqrt(variance / count);
  return {100 * mean, 100 * std::max(-1.0, mean - half), 100 * std::min(1.0, mean + half)};
}

}  // namespace cjsim
