// Statistics over the draws of a run with uncertain inputs: intervals, the probability of
// improving, and first-order Sobol indices of test functions whose indices are known.
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

}  // namespace
}  // namespace cjsim
