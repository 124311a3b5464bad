// Sensitivity: main effects on grids and standardised regression on scattered designs recover
// known responses exactly.
#include "sim/sweep/sensitivity.h"

#include <gtest/gtest.h>

#include <cmath>

#include "scenarios/design.h"

namespace cjsim {
namespace {

TEST(Sensitivity, MainEffectsOfAnAdditiveGridAreEachParametersSpread) {
  const std::vector<std::vector<double>> levels = {{0, 1, 2}, {10, 20}, {5, 6, 7, 8}};
  const DesignRows rows = grid_design(levels);
  std::vector<double> y;
  // y = 3a - 0.1b + (c - 6.5)^2: a spreads 6, b spreads 1, c spreads 2 (level means 2.25,
  // 0.25, 0.25, 2.25), and its lowest-to-highest swing is 0.
  for (const auto& r : rows) y.push_back(3 * r[0] - 0.1 * r[1] + (r[2] - 6.5) * (r[2] - 6.5));
  const Sensitivity s = main_effects(rows, y);
  ASSERT_EQ(s.ranked.size(), 3u);
  EXPECT_EQ(s.ranked[0].parameter, 0u);
  EXPECT_NEAR(s.ranked[0].importance, 6.0, 1e-12);
  EXPECT_NEAR(s.ranked[0].swing, 6.0, 1e-12);
  EXPECT_EQ(s.ranked[1].parameter, 2u);
  EXPECT_NEAR(s.ranked[1].importance, 2.0, 1e-12);
  EXPECT_NEAR(s.ranked[1].swing, 0.0, 1e-12);
  EXPECT_EQ(s.ranked[2].parameter, 1u);
  EXPECT_NEAR(s.ranked[2].importance, 1.0, 1e-12);
  EXPECT_NEAR(s.ranked[2].swing, -1.0, 1e-12);
}

TEST(Sensitivity, RegressionRecoversTheStandardisedCoefficientsOfALinearResponse) {
  const std::vector<Interval> ranges = {{0, 1}, {0, 100}, {-1, 1}};
  const DesignRows rows = latin_hypercube(ranges, 200, 4);
  const double beta[] = {2.0, 0.005, -0.5};
  std::vector<double> y;
  for (const auto& r : rows) y.push_back(1.0 + beta[0] * r[0] + beta[1] * r[1] + beta[2] * r[2]);
  // Standardised coefficient = beta_j sd(x_j) / sd(y), from the sample standard deviations.
  auto sd = [](const std::vector<double>& v) {
    double m = 0;
    for (double x : v) m += x;
    m /= static_cast<double>(v.size());
    double ss = 0;
    for (double x : v) ss += (x - m) * (x - m);
    return std::sqrt(ss / static_cast<double>(v.size() - 1));
  };
  const double y_sd = sd(y);
  const Sensitivity s = standardised_regression(rows, y);
  ASSERT_EQ(s.ranked.size(), 3u);
  EXPECT_NEAR(s.r_squared, 1.0, 1e-12);
  for (const ParameterSensitivity& p : s.ranked) {
    std::vector<double> column;
    double low = INFINITY, high = -INFINITY;
    for (const auto& r : rows) {
      column.push_back(r[p.parameter]);
      low = std::min(low, r[p.parameter]);
      high = std::max(high, r[p.parameter]);
    }
    EXPECT_NEAR(p.importance, std::fabs(beta[p.parameter]) * sd(column) / y_sd, 1e-9);
    EXPECT_NEAR(p.swing, beta[p.parameter] * (high - low), 1e-9);
  }
  // In units of sd(y): 2 x 0.29 for the first, 0.5 x 0.58 for the third, 0.005 x 28.9 for
  // the second.
  EXPECT_EQ(s.ranked[0].parameter, 0u);
  EXPECT_EQ(s.ranked[1].parameter, 2u);
  EXPECT_EQ(s.ranked[2].parameter, 1u);
}

TEST(Sensitivity, UndefinedFiguresAreLeftOutAndTooFewPointsAreSaidSo) {
  const DesignRows rows = {{0, 1}, {1, 0}, {1, 1}};
  const std::vector<double> y = {1, NAN, 2};
  const Sensitivity regression = standardised_regression(rows, y);
  EXPECT_TRUE(regression.ranked.empty());
  EXPECT_NE(regression.note.find("fewer points"), std::string::npos);
  const Sensitivity effects = main_effects(rows, y);
  EXPECT_EQ(effects.points, 2u);
  ASSERT_EQ(effects.ranked.size(), 2u);
  EXPECT_NEAR(effects.ranked[0].importance, 1.0, 1e-12);
}

}  // namespace
}  // namespace cjsim
