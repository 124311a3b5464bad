// A sweep's paired answers: every point against a reference point on the same agents, and the
// intervals of main effects and standardised coefficients from the replications.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <stdexcept>

#include "scenarios/design.h"
#include "scenarios/experiment.h"
#include "sim/sweep/differences.h"
#include "sim/sweep/sensitivity.h"
#include "sim/sweep/sweep.h"

namespace cjsim {
namespace {

SweepPlan plan_of_experiment(const std::string& text) {
  Diagnostics d;
  auto x = parse_experiment(text, std::string(CJSIM_TEST_DATA) + "/experiment.yaml", d);
  EXPECT_TRUE(x) << d.to_string();
  auto plan = plan_sweep(*x, d);
  EXPECT_TRUE(plan) << d.to_string();
  return *plan;
}

SweepFigures swept(const SweepPlan& plan, std::optional<std::uint64_t> reference = {}) {
  RunOptions base;
  base.threads = 2;
  std::vector<std::vector<Aggregate>> results;
  for (std::size_t k = 0; k < plan.points.size(); ++k) {
    results.push_back(run_sweep_point(plan, k, base));
  }
  return sweep_figures(plan, results, {}, {}, reference);
}

std::size_t figure_index(std::string_view name) {
  return static_cast<std::size_t>(find_headline_figure(name) - kHeadlineFigures.data());
}

const ParameterSensitivity& ranked_parameter(const Sensitivity& s, std::size_t parameter) {
  for (const ParameterSensitivity& p : s.ranked) {
    if (p.parameter == parameter) return p;
  }
  throw std::logic_error("parameter not ranked");
}

TEST(SweepDifferences, TheReferenceDiffersFromItselfByZeroWithAZeroWidthInterval) {
  const SweepPlan plan = plan_of_experiment(
      "scenario: tiny.yaml\nagents: 4000\nreplications: 3\nseed: 9\nparameters:\n"
      "  touchpoints.product.dropout: [0.1, 0.2, 0.3]\n");
  for (std::uint64_t reference : {0u, 2u}) {
    const SweepFigures figures = swept(plan, reference);
    EXPECT_EQ(figures.differences.reference.point, reference);
    EXPECT_EQ(figures.differences.reference.why, "named");
    for (std::size_t f = 0; f < kSweepFigureCount; ++f) {
      const Estimate& d = figures.differences.difference[reference][f];
      const HeadlineFigures& first = figures.points[reference].replications[0];
      if (std::isnan((first.*kHeadlineFigures[f].member).value)) continue;
      EXPECT_EQ(d, (Estimate{0, 0, 0})) << kHeadlineFigures[f].name;
    }
    // Another point's difference is its replications' differences, averaged.
    const std::size_t c = figure_index("conversion_rate");
    const std::size_t other = reference == 0 ? 2 : 0;
    double sum = 0;
    for (std::size_t r = 0; r < 3; ++r) {
      sum += figures.points[other].replications[r].conversion_rate.value -
             figures.points[reference].replications[r].conversion_rate.value;
    }
    EXPECT_DOUBLE_EQ(figures.differences.difference[other][c].value, sum / 3);
    EXPECT_LT(figures.differences.difference[other][c].low,
              figures.differences.difference[other][c].high);
  }
}

TEST(SweepDifferences, TheDefaultReferenceIsThePointWithTheBasesOwnValues) {
  // tiny.yaml: product dropout 0.2, kappa 1.
  const SweepPlan plan = plan_of_experiment(
      "scenario: tiny.yaml\nagents: 100\nreplications: 1\nseed: 9\nparameters:\n"
      "  touchpoints.product.dropout: [0.1, 0.2, 0.3]\n  settings.kappa: [0, 1]\n");
  const SweepReference base = sweep_reference(plan, std::nullopt);
  EXPECT_EQ(base.point, 3u);
  EXPECT_EQ(base.why, "base");
  const SweepPlan elsewhere = plan_of_experiment(
      "scenario: tiny.yaml\nagents: 100\nreplications: 1\nseed: 9\nparameters:\n"
      "  settings.kappa: [0, 2]\n");
  EXPECT_EQ(sweep_reference(elsewhere, std::nullopt).point, 0u);
  EXPECT_EQ(sweep_reference(elsewhere, std::nullopt).why, "first point");
  EXPECT_THROW(sweep_reference(plan, 6), std::runtime_error);
}

TEST(SweepDifferences, OneReplicationGivesDifferencesWithoutIntervals) {
  const SweepPlan plan = plan_of_experiment(
      "scenario: tiny.yaml\nagents: 2000\nreplications: 1\nseed: 3\nparameters:\n"
      "  touchpoints.product.dropout: [0.1, 0.3]\n");
  const SweepFigures figures = swept(plan, 0);
  const std::size_t c = figure_index("conversion_rate");
  EXPECT_EQ(figures.differences.difference[0][c], (Estimate{0, 0, 0}));
  const Estimate& d = figures.differences.difference[1][c];
  EXPECT_LT(d.value, 0);
  EXPECT_TRUE(std::isnan(d.low) && std::isnan(d.high));
  EXPECT_TRUE(std::isnan(figures.differences.unpaired_half_width[1][c]));
  const Sensitivity& s = figures.sensitivity.at(0).sensitivity;
  EXPECT_TRUE(std::isnan(s.ranked.at(0).swing_low));
  EXPECT_FALSE(s.ranked.at(0).beyond_noise());
}

// The points share their agents, so a small change moves few agents' journeys: the paired
// interval is far narrower than the two points' intervals combined as if independent.
TEST(SweepDifferences, PairedIntervalsAreNarrowerThanUnpairedForASmallChange) {
  const SweepPlan plan = plan_of_experiment(
      "scenario: tiny.yaml\nagents: 20000\nreplications: 4\nseed: 21\nparameters:\n"
      "  touchpoints.product.dropout: [0.2, 0.21]\n");
  const SweepFigures figures = swept(plan, 0);
  for (const char* name : {"conversion_rate", "revenue_per_agent"}) {
    const std::size_t f = figure_index(name);
    const Estimate& d = figures.differences.difference[1][f];
    const double paired = (d.high - d.low) / 2;
    const double unpaired = figures.differences.unpaired_half_width[1][f];
    EXPECT_GT(paired, 0) << name;
    EXPECT_LT(paired, unpaired / 2) << name;
  }
}

// checkout.value changes what a conversion is worth, not who converts: with the same agents at
// every point, its main effect on conversion is 0 in every replication, an interval [0, 0]
// that covers 0, while the product page's dropout moves conversion beyond the noise.
TEST(SweepDifferences, AParameterThatDoesNothingHasAMainEffectWhoseIntervalCoversZero) {
  const SweepPlan plan = plan_of_experiment(
      "scenario: tiny.yaml\nagents: 5000\nreplications: 3\nseed: 4\nparameters:\n"
      "  touchpoints.checkout.value: [40, 60, 80]\n  touchpoints.product.dropout: [0.1, 0.4]\n");
  const SweepFigures figures = swept(plan);
  ASSERT_EQ(figures.sensitivity.size(), 1u);
  const Sensitivity& s = figures.sensitivity[0].sensitivity;
  ASSERT_EQ(s.method, SensitivityMethod::main_effect);
  const ParameterSensitivity& value = ranked_parameter(s, 0);
  EXPECT_LE(value.swing_low, 0.0);
  EXPECT_GE(value.swing_high, 0.0);
  EXPECT_FALSE(value.beyond_noise());
  const ParameterSensitivity& dropout = ranked_parameter(s, 1);
  EXPECT_LT(dropout.swing_high, 0.0);
  EXPECT_TRUE(dropout.beyond_noise());
  EXPECT_LE(dropout.swing_low, dropout.swing);
  EXPECT_GE(dropout.swing_high, dropout.swing);
}

// Replication r's figure is 2a + 0b + a noise common to every point of the replication (as
// common random numbers make it): the swing of a is 2 x its range in every replication, and b's
// is 0, so their intervals are exactly those; the coefficients' scale with them.
TEST(SensitivityIntervals, NoiseCommonToEveryPointCancelsFromTheSwings) {
  const std::vector<Interval> ranges = {{0, 1}, {0, 10}};
  const DesignRows rows = latin_hypercube(ranges, 40, 7);
  std::vector<std::vector<double>> by_replication;
  std::vector<double> mean(rows.size(), 0.0);
  for (double noise : {0.3, -0.1, 0.5}) {
    std::vector<double> y;
    for (std::size_t k = 0; k < rows.size(); ++k) {
      y.push_back(2 * rows[k][0] + noise);
      mean[k] += y.back() / 3;
    }
    by_replication.push_back(y);
  }
  Sensitivity s = standardised_regression(rows, mean);
  add_replication_intervals(s, rows, by_replication);
  const ParameterSensitivity& a = ranked_parameter(s, 0);
  const ParameterSensitivity& b = ranked_parameter(s, 1);
  EXPECT_NEAR(a.swing_low, a.swing, 1e-9);
  EXPECT_NEAR(a.swing_high, a.swing, 1e-9);
  EXPECT_TRUE(a.beyond_noise());
  EXPECT_NEAR(a.coefficient_low, a.coefficient, 1e-9);
  EXPECT_GT(a.coefficient, 0.99);
  EXPECT_NEAR(b.swing_low, 0, 1e-9);
  EXPECT_NEAR(b.swing_high, 0, 1e-9);
}

TEST(SensitivityIntervals, NoiseOfItsOwnPerPointWidensTheInterval) {
  const std::vector<std::vector<double>> levels = {{0, 1}, {0, 1, 2}};
  const DesignRows rows = grid_design(levels);
  std::vector<std::vector<double>> by_replication;
  std::vector<double> mean(rows.size(), 0.0);
  const double noise[3][6] = {{0.1, -0.2, 0.05, 0.3, -0.1, 0.0},
                              {-0.3, 0.1, 0.2, -0.05, 0.15, 0.1},
                              {0.2, 0.0, -0.1, 0.1, -0.2, 0.3}};
  for (std::size_t r = 0; r < 3; ++r) {
    std::vector<double> y;
    for (std::size_t k = 0; k < rows.size(); ++k) {
      y.push_back(rows[k][0] + noise[r][k]);
      mean[k] += y.back() / 3;
    }
    by_replication.push_back(y);
  }
  Sensitivity s = main_effects(rows, mean);
  add_replication_intervals(s, rows, by_replication);
  for (const ParameterSensitivity& p : s.ranked) {
    EXPECT_LT(p.swing_low, p.swing_high);
    EXPECT_NEAR((p.swing_low + p.swing_high) / 2, p.swing, 1e-12);
    EXPECT_TRUE(std::isnan(p.coefficient));
  }
}

}  // namespace
}  // namespace cjsim
