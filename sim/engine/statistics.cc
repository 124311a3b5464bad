// Confidence intervals.
#include "sim/engine/statistics.h"

#include <boost/math/distributions/students_t.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace cjsim {
namespace {

constexpr Estimate kUndefined{kNaN, kNaN, kNaN};

// A variance from sums can come out a little below 0 by rounding: that is 0. A sum that left
// its exact range is NaN and stays NaN, so that its interval is undefined (n/a) rather than
// of zero width (std::max(0.0, NaN) is 0).
double rounded_up_to_zero(double variance) { return variance < 0.0 ? 0.0 : variance; }

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
      rounded_up_to_zero((sum_of_squares - count * mean * mean) / (count - 1));
  const double half = kZ95 * std::sqrt(variance / count);
  return {mean, mean - half, mean + half};
}

double student_t95(double degrees) {
  // A sweep asks for the same few degrees of freedom for every figure of every point, and
  // Boost's quantile (long double incomplete beta) costs microseconds: the last few answers
  // are kept per thread. The quantile is a pure function of `degrees`, so a kept answer is
  // the one it would compute.
  struct Kept {
    double degrees = kNaN;  // NaN equals nothing: an empty slot
    double quantile = 0.0;
  };
  thread_local std::array<Kept, 4> kept;
  thread_local std::size_t next = 0;
  for (const Kept& k : kept) {
    if (k.degrees == degrees) return k.quantile;
  }
  boost::math::students_t distribution(degrees);
  const double quantile = boost::math::quantile(distribution, 0.975);
  kept[next] = {degrees, quantile};
  next = (next + 1) % kept.size();
  return quantile;
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

namespace {

// Index of x_j x_k (j <= k) in PairedMoments::product.
constexpr int product_index(int j, int k) {
  constexpr int row_start[4] = {0, 4, 7, 9};
  return j <= k ? row_start[j] + (k - j) : row_start[k] + (j - k);
}

// g' C g / n for a gradient g over the components listed in `use`.
double delta_variance(const PairedMoments& m, const std::array<double, 4>& g,
                      const std::array<bool, 4>& use, bool cross_scenario) {
  const double n = m.n;
  double variance = 0.0;
  for (int j = 0; j < 4; ++j) {
    for (int k = 0; k < 4; ++k) {
      if (!use[j] || !use[k]) continue;
      if (!cross_scenario && (j < 2) != (k < 2)) continue;
      const double covariance =
          (m.product[product_index(j, k)] - m.sum[j] * m.sum[k] / n) / (n - 1);
      variance += g[j] * g[k] * covariance;
    }
  }
  return rounded_up_to_zero(variance / n);
}

Estimate ratio_estimate(const PairedMoments& m, int a, int b) {
  if (m.n < 1 || m.sum[b] == 0.0) return kUndefined;
  const double ratio = m.sum[a] / m.sum[b];
  if (m.n < 2) return {ratio, ratio, ratio};
  const double mean_b = m.sum[b] / m.n;
  std::array<double, 4> g{};
  g[a] = 1.0 / mean_b;
  g[b] = -ratio / mean_b;
  std::array<bool, 4> use{};
  use[a] = use[b] = true;
  const double half = kZ95 * std::sqrt(delta_variance(m, g, use, true));
  return {ratio, ratio - half, ratio + half};
}

}  // namespace

PairedDifference paired_ratio_difference(const PairedMoments& m) {
  PairedDifference out;
  out.current = ratio_estimate(m, 0, 1);
  out.future = ratio_estimate(m, 2, 3);
  if (!std::isfinite(out.current.value) || !std::isfinite(out.future.value)) {
    out.difference = kUndefined;
    out.paired_half_width = out.independent_half_width = kNaN;
    return out;
  }
  // Identical contributions in both scenarios (every agent did the same) give a difference
  // and a paired width of exactly zero, not rounding residues.
  const bool identical = m.sum[2] == m.sum[0] && m.sum[3] == m.sum[1] &&
                         m.product[product_index(0, 0)] == m.product[product_index(0, 2)] &&
                         m.product[product_index(2, 2)] == m.product[product_index(0, 2)] &&
                         m.product[product_index(1, 1)] == m.product[product_index(1, 3)] &&
                         m.product[product_index(3, 3)] == m.product[product_index(1, 3)] &&
                         m.product[product_index(0, 1)] == m.product[product_index(2, 3)] &&
                         m.product[product_index(0, 3)] == m.product[product_index(1, 2)];
  const double difference = identical ? 0.0 : out.future.value - out.current.value;
  const double mean_bc = m.sum[1] / m.n, mean_bf = m.sum[3] / m.n;
  const std::array<double, 4> g = {-1.0 / mean_bc, out.current.value / mean_bc, 1.0 / mean_bf,
                                   -out.future.value / mean_bf};
  const std::array<bool, 4> all = {true, true, true, true};
  out.paired_half_width =
      m.n < 2 || identical ? 0.0 : kZ95 * std::sqrt(delta_variance(m, g, all, true));
  out.independent_half_width =
      m.n < 2 ? 0.0 : kZ95 * std::sqrt(delta_variance(m, g, all, false));
  out.difference = {difference, difference - out.paired_half_width,
                    difference + out.paired_half_width};
  return out;
}

}  // namespace cjsim
