// Statistics over the draws of a run with uncertain inputs: intervals, the probability of
// improving, and first-order and total Sobol indices of test functions whose indices are known.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "scenarios/design.h"
#include "sim/engine/uncertainty.h"

namespace cjsim {
namespace {

TEST(DrawStatistics, IntervalsAndProbabilities) {
  const std::vector<double> same(7, 0.3);
  const DrawInterval flat = interval_over_draws(same);
  EXPECT_EQ(flat.low, 0.3);
  EXPECT_EQ(flat.high, 0.3);
  EXPECT_EQ(mean_over_draws(same), 0.3);
  std::vector<double> ramp;
  for (int i = 0; i <= 40; ++i) ramp.push_back(i);
  const DrawInterval r = interval_over_draws(ramp);
  EXPECT_DOUBLE_EQ(r.low, 1.0);
  EXPECT_DOUBLE_EQ(r.high, 39.0);
  const std::vector<double> gains{-1.0, 0.0, 2.0, 3.0, std::nan("")};
  const DifferenceUncertainty d = difference_uncertainty(gains, false);
  EXPECT_DOUBLE_EQ(d.probability_better, 2.5 / 4);
  EXPECT_EQ(d.draws, 4u);
  EXPECT_DOUBLE_EQ(d.expected, 1.0);
  EXPECT_DOUBLE_EQ(difference_uncertainty(gains, true).probability_better, 1.5 / 4);
}

// Sobol indices of test functions with known indices, within the estimator's stated error.
TEST(DrawStatistics, FirstOrderSobolIndicesOfKnownFunctions) {
  const std::size_t k = 4096;
  const std::vector<Interval> unit(3, Interval{0.0, 1.0});
  const DesignRows design = latin_hypercube(unit, k, 7);
  // Linear: y = x1 + 2 x2 + 0 x3 on uniform inputs: S = 1/5, 4/5, 0.
  std::vector<double> linear, ishigami;
  for (const std::vector<double>& x : design) {
    linear.push_back(x[0] + 2 * x[1]);
    // Ishigami (a = 7, b = 0.1) on [-pi, pi]^3: S1 = 0.3139, S2 = 0.4424, S3 = 0.
    const double pi = std::acos(-1.0);
    const double a = -pi + 2 * pi * x[0], b = -pi + 2 * pi * x[1], c = -pi + 2 * pi * x[2];
    ishigami.push_back(std::sin(a) + 7 * std::sin(b) * std::sin(b) +
                       0.1 * std::pow(c, 4) * std::sin(a));
  }
  const auto index_of = [](const SobolResult& r, std::size_t input) {
    for (const SensitivityIndex& s : r.ranked) {
      if (s.input == input) return s;
    }
    return SensitivityIndex{};
  };
  const auto expect_near = [&](const SobolResult& r, std::size_t input, double truth) {
    const SensitivityIndex s = index_of(r, input);
    // Four standard errors, plus the binning's own bias with 64 classes (about 1/64 of a
    // smooth effect's variance).
    EXPECT_NEAR(s.first_order, truth, 4 * s.standard_error + 0.01) << "input " << input;
    EXPECT_LT(s.standard_error, 0.05);
  };
  const SobolResult l = first_order_sobol(design, linear, 11);
  EXPECT_EQ(l.ranked.front().input, 1u);
  expect_near(l, 0, 0.2);
  expect_near(l, 1, 0.8);
  expect_near(l, 2, 0.0);
  const SobolResult i = first_order_sobol(design, ishigami, 11);
  EXPECT_EQ(i.ranked.front().input, 1u);
  expect_near(i, 0, 0.3139);
  expect_near(i, 1, 0.4424);
  expect_near(i, 2, 0.0);
}

// Total indices by Jansen's pick-freeze estimator, within four of its stated (bootstrap)
// errors: the linear function has no interactions (total = first order = 1/5, 4/5, 0);
// Ishigami's x1 and x3 interact (T1 = 0.5576, T2 = 0.4424, T3 = 0.2437; Saltelli et al. 2008,
// with V = 13.845, V13 = 3.372).
TEST(DrawStatistics, TotalSobolIndicesOfKnownFunctions) {
  const std::size_t k = 4096;
  const std::vector<Interval> unit(3, Interval{0.0, 1.0});
  const DesignRows a = latin_hypercube(unit, k, 7);
  const DesignRows b = latin_hypercube(unit, k, 8);
  const double pi = std::acos(-1.0);
  const auto linear = [](const std::vector<double>& x) { return x[0] + 2 * x[1]; };
  const auto ishigami = [pi](const std::vector<double>& x) {
    const double p = -pi + 2 * pi * x[0], q = -pi + 2 * pi * x[1], r = -pi + 2 * pi * x[2];
    return std::sin(p) + 7 * std::sin(q) * std::sin(q) + 0.1 * std::pow(r, 4) * std::sin(p);
  };
  const auto totals = [&](const auto& f) {
    std::vector<double> output;
    for (const std::vector<double>& x : a) output.push_back(f(x));
    std::vector<std::vector<double>> frozen(3);
    for (std::size_t j = 0; j < 3; ++j) {
      for (std::size_t row = 0; row < k; ++row) {
        std::vector<double> x = a[row];
        x[j] = b[row][j];
        frozen[j].push_back(f(x));
      }
    }
    SobolResult result = first_order_sobol(a, output, 11);
    add_total_sobol(result, output, frozen, 12);
    std::vector<SensitivityIndex> by_input(3);
    for (const SensitivityIndex& s : result.ranked) by_input[s.input] = s;
    return by_input;
  };
  const auto expect_total = [](const std::vector<SensitivityIndex>& s, std::size_t input,
                               double truth) {
    EXPECT_NEAR(s[input].total, truth, 4 * s[input].total_error) << "input " << input;
    EXPECT_GT(s[input].total_error, 0.0);
    EXPECT_LT(s[input].total_error, 0.03);
  };
  const std::vector<SensitivityIndex> l = totals(linear);
  expect_total(l, 0, 0.2);
  expect_total(l, 1, 0.8);
  EXPECT_EQ(l[2].total, 0.0);  // x3 changes nothing: exactly no squared change
  const std::vector<SensitivityIndex> i = totals(ishigami);
  expect_total(i, 0, 0.5576);
  expect_total(i, 1, 0.4424);
  expect_total(i, 2, 0.2437);
  // x3 acts only with x1: no first-order effect, a clear total one.
  EXPECT_GT(i[2].total - i[2].first_order, 0.15);
}

// Without pick-freeze draws there are no total indices, and a draw left undefined (NaN) in
// either run is left out of the total.
TEST(DrawStatistics, TotalIndicesNeedTheirDrawsAndLeaveOutUndefinedOnes) {
  const std::vector<Interval> unit(2, Interval{0.0, 1.0});
  const DesignRows a = latin_hypercube(unit, 64, 3);
  std::vector<double> output;
  for (const std::vector<double>& x : a) output.push_back(x[0]);
  SobolResult result = first_order_sobol(a, output, 1);
  for (const SensitivityIndex& s : result.ranked) EXPECT_TRUE(std::isnan(s.total));
  std::vector<std::vector<double>> frozen = {output, output};
  frozen[0][5] = std::nan("");
  frozen[0][6] = output[6] + 1.0;
  add_total_sobol(result, output, frozen, 2);
  for (const SensitivityIndex& s : result.ranked) {
    if (s.input == 1) {
      EXPECT_EQ(s.total, 0.0);
      continue;
    }
    // One draw of the 63 used changed by 1: (1 / (2 * 63)) / Var over those 63 draws.
    std::vector<double> used = output;
    used.erase(used.begin() + 5);
    double mean = 0.0, variance = 0.0;
    for (double y : used) mean += y / 63.0;
    for (double y : used) variance += (y - mean) * (y - mean) / 62.0;
    EXPECT_NEAR(s.total, 1.0 / 126.0 / variance, 1e-12);
  }
}

}  // namespace
}  // namespace cjsim
