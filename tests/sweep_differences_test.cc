// A sweep's paired answers: every point against a reference point on the same agents, and the
// intervals of main effects and standardised coefficients from the replications.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>

#include "scenarios/design.h"
#include "scenarios/experiment.h"
#include "sim/engine/engine.h"
#include "sim/model/markov.h"
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

// The sweep's figures paired by replication (without the points' agent groups, as a sweep of
// parts of a cjsim before groups), or by agent group.
SweepFigures swept(const SweepPlan& plan, std::optional<std::uint64_t> reference = {},
                   bool in_groups = false) {
  RunOptions base;
  base.threads = 2;
  std::vector<std::vector<Aggregate>> results;
  std::vector<std::vector<AgentGroupFigures>> groups(plan.points.size());
  for (std::size_t k = 0; k < plan.points.size(); ++k) {
    results.push_back(run_sweep_point(plan, k, base, nullptr, &groups[k]));
  }
  if (!in_groups) groups.clear();
  return sweep_figures(plan, results, {}, {}, reference, std::move(groups));
}

SweepFigures swept_in_groups(const SweepPlan& plan, std::optional<std::uint64_t> reference = {}) {
  return swept(plan, reference, true);
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

TEST(SweepDifferences, OneReplicationPairedByReplicationGivesDifferencesWithoutIntervals) {
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

// Agent groups: every replication's agents in kAgentGroups fixed groups, paired group by group.

TEST(AgentGroups, GroupsSplitTheAgentsIntoContiguousRangesOfNearlyEqualSize) {
  EXPECT_EQ(agent_groups_for(1000), kAgentGroups);
  EXPECT_EQ(agent_groups_for(7), 7u);
  for (std::uint64_t agents : {7u, 20u, 1003u, 40000u}) {
    const std::uint64_t groups = agent_groups_for(agents);
    EXPECT_EQ(agent_group_first(agents, groups, 0), 0u);
    EXPECT_EQ(agent_group_first(agents, groups, groups), agents);
    for (std::uint64_t g = 0; g < groups; ++g) {
      const std::uint64_t size =
          agent_group_first(agents, groups, g + 1) - agent_group_first(agents, groups, g);
      EXPECT_GE(size, agents / groups);
      EXPECT_LE(size, agents / groups + 1);
    }
  }
}

namespace {

// `sums` with only what an agent group keeps: its counts and first moments, squares 0.
OutcomeSums counts_and_first_moments(OutcomeSums sums) {
  const std::array<ExactSum*, OutcomeSums::kExactSums> exact = sums.exact_sums();
  for (int k = 0; k < OutcomeSums::kExactSums; ++k) {
    if (std::ranges::find(OutcomeSums::kFirstMoments, k) == OutcomeSums::kFirstMoments.end()) {
      *exact[k] = ExactSum();
    }
  }
  return sums;
}

}  // namespace

// Each group's counts and first moments are those of its agents simulated alone, and they
// merge into the replication's, to the bit, whatever the blocks; the replications are as
// without groups.
TEST(AgentGroups, TheGroupsMergeIntoTheRunWithoutGroupsToTheBit) {
  const SweepPlan plan = plan_of_experiment(
      "scenario: tiny.yaml\nagents: 40000\nreplications: 2\nseed: 5\nparameters:\n"
      "  settings.kappa: [1]\n");
  const CompiledJourney journey = compile(point_scenario(plan, 0));
  RunOptions options;
  options.agents = 40000;  // more than two blocks: groups straddle blocks, and blocks groups
  options.replications = 2;
  options.seed = 5;
  options.threads = 2;
  const RunResult plain = run(journey, options);
  options.agent_groups = 7;
  const RunResult grouped = run(journey, options);
  EXPECT_EQ(grouped.replications, plain.replications);
  ASSERT_EQ(grouped.groups.size(), 2u);
  for (std::uint32_t r = 0; r < 2; ++r) {
    ASSERT_EQ(grouped.groups[r].size(), 7u);
    OutcomeSums merged;
    for (std::uint64_t g = 0; g < 7; ++g) {
      const std::uint64_t first = agent_group_first(40000, 7, g);
      const std::uint64_t count = agent_group_first(40000, 7, g + 1) - first;
      Aggregate alone = Aggregate::for_journey(journey);
      simulate_block(journey, 5, r, first, count, alone);
      EXPECT_EQ(grouped.groups[r][g], counts_and_first_moments(alone.overall()))
          << "replication " << r << ", group " << g;
      EXPECT_EQ(grouped.groups[r][g].agents, count);
      merged.merge(grouped.groups[r][g]);
    }
    EXPECT_EQ(merged, counts_and_first_moments(plain.replications[r].overall()));
  }
}

// Two groups, of 3 and 2 agents, the second without customers: each figure's linearised
// values average to the point's own ratio; a group without customers stands at the ratio for
// a figure over customers.
TEST(AgentGroups, LinearisedGroupValuesAverageToThePointsRatio) {
  const std::size_t c = figure_index("conversion_rate");
  const std::size_t h = figure_index("hours_to_convert");
  std::vector<AgentGroupFigures> groups(2);
  groups[0].agents = 3;
  groups[0].customers = 1;
  groups[0].values[c] = 1.0 / 3;
  groups[0].values[h] = 5.0;
  groups[1].agents = 2;
  groups[1].customers = 0;
  groups[1].values[c] = 0.0;
  groups[1].values[h] = kNaN;
  FigureEstimates overall{};
  overall[c].value = 1.0 / 5;
  overall[h].value = 5.0;
  const std::vector<FigureValues> units = linearised_group_values(groups, overall);
  ASSERT_EQ(units.size(), 2u);
  // Y = (1, 0), X = (3, 2), mean X 2.5, R 0.2: y = 0.2 + (1 - 0.6) / 2.5, 0.2 + (0 - 0.4) / 2.5.
  EXPECT_DOUBLE_EQ(units[0][c], 0.2 + 0.4 / 2.5);
  EXPECT_DOUBLE_EQ(units[1][c], 0.2 - 0.4 / 2.5);
  EXPECT_DOUBLE_EQ((units[0][c] + units[1][c]) / 2, 0.2);
  // Hours over customers: X = (1, 0), mean 0.5; the first group carries it all.
  EXPECT_DOUBLE_EQ(units[0][h], 5.0);
  EXPECT_DOUBLE_EQ(units[1][h], 5.0);
}

TEST(AgentGroups, TheReferenceDiffersFromItselfByExactlyZeroWithOneReplication) {
  const SweepPlan plan = plan_of_experiment(
      "scenario: tiny.yaml\nagents: 3000\nreplications: 1\nseed: 9\nparameters:\n"
      "  touchpoints.product.dropout: [0.1, 0.2, 0.3]\n");
  const SweepFigures figures = swept_in_groups(plan, 1);
  EXPECT_EQ(figures.differences.method, kAgentGroupsMethod);
  EXPECT_EQ(figures.differences.groups, kAgentGroups);
  ASSERT_EQ(figures.agent_groups.size(), 3u);
  EXPECT_EQ(figures.agent_groups[0].size(), kAgentGroups);
  for (std::size_t f = 0; f < kSweepFigureCount; ++f) {
    if (std::isnan((figures.points[1].overall.*kHeadlineFigures[f].member).value)) continue;
    EXPECT_EQ(figures.differences.difference[1][f], (Estimate{0, 0, 0})) << kHeadlineFigures[f].name;
  }
}

TEST(AgentGroups, OneReplicationHasFiniteIntervalsAroundThePointsDifference) {
  const SweepPlan plan = plan_of_experiment(
      "scenario: tiny.yaml\nagents: 4000\nreplications: 1\nseed: 3\nparameters:\n"
      "  touchpoints.product.dropout: [0.1, 0.3]\n");
  const SweepFigures figures = swept_in_groups(plan, 0);
  for (const char* name : {"conversion_rate", "revenue_per_agent", "hours_to_convert", "nps",
                           "steps_per_agent", "peak_end"}) {
    const std::size_t f = figure_index(name);
    const Estimate& d = figures.differences.difference[1][f];
    EXPECT_TRUE(std::isfinite(d.low) && std::isfinite(d.high)) << name;
    EXPECT_LT(d.low, d.value) << name;
    EXPECT_GT(d.high, d.value) << name;
    // The linearised values' mean is the ratio's difference.
    const Estimate HeadlineFigures::*member = kHeadlineFigures[f].member;
    const double points =
        (figures.points[1].overall.*member).value - (figures.points[0].overall.*member).value;
    EXPECT_NEAR(d.value, points, 1e-9 * std::max(1.0, std::abs(points))) << name;
  }
  const Estimate& conversion = figures.differences.difference[1][figure_index("conversion_rate")];
  EXPECT_LT(conversion.high, 0);  // tripled dropout on the product page: beyond the noise
  const Sensitivity& s = figures.sensitivity.at(0).sensitivity;
  EXPECT_TRUE(std::isfinite(s.ranked.at(0).swing_low));
  EXPECT_TRUE(s.ranked.at(0).beyond_noise());
}

// checkout.value changes what a conversion is worth and nothing else: in every group the
// agents do the same, so every difference but revenue's and margin's is exactly 0 with [0, 0],
// and so is the value's main effect on conversion.
TEST(AgentGroups, AParameterThatDoesNothingHasAZeroDifferenceWithAZeroWidthInterval) {
  const SweepPlan plan = plan_of_experiment(
      "scenario: tiny.yaml\nagents: 3000\nreplications: 1\nseed: 4\nmetric: conversion_rate\n"
      "parameters:\n  touchpoints.checkout.value: [40, 80]\n");
  const SweepFigures figures = swept_in_groups(plan, 0);
  for (std::size_t f = 0; f < kSweepFigureCount; ++f) {
    const std::string_view name = kHeadlineFigures[f].name;
    if (name == "revenue_per_agent" || name == "margin_per_agent") continue;
    EXPECT_EQ(figures.differences.difference[1][f], (Estimate{0, 0, 0})) << name;
  }
  const Estimate& revenue = figures.differences.difference[1][figure_index("revenue_per_agent")];
  EXPECT_GT(revenue.low, 0);
  const ParameterSensitivity& value = figures.sensitivity.at(0).sensitivity.ranked.at(0);
  EXPECT_EQ(value.swing_low, 0.0);
  EXPECT_EQ(value.swing_high, 0.0);
}

// Coverage: a journey that is an absorbing Markov chain (kappa 0, no emotion bias) has exact
// conversion, revenue and touchpoints per agent at every point (sim/model/markov.h), so the
// true difference between two points is known. Over 100 seeds of a one-replication sweep, the
// 95% intervals by agent group cover it in about 95: a statistical test, which passes when
// they cover it in 88 or more (a correct interval's count falls below 88 with probability
// about 0.002, deterministic here since the seeds are fixed). CI's sanitizer builds skip
// *NominalRate tests (they take 100 sweeps).
TEST(AgentGroups, IntervalsCoverAKnownDifferenceAtTheNominalRate) {
  const std::filesystem::path scenario =
      std::filesystem::temp_directory_path() /
      ("cjsim_markov_sweep_" + std::to_string(::getpid()) + ".yaml");
  {
    std::ofstream out(scenario);
    out << "name: Markov shop\nstages: [awareness, consideration, purchase]\n"
           "settings:\n  kappa: 0\n  max_steps: 200\n"
           "touchpoints:\n"
           "  - {id: ad, stage: awareness, channel: social, dropout: 0.3, cost: 0.5, "
           "entry_weight: 1}\n"
           "  - {id: product, stage: consideration, channel: web, dropout: 0.2, cost: 0.1}\n"
           "  - {id: reviews, stage: consideration, channel: web, dropout: 0.25}\n"
           "  - {id: checkout, stage: purchase, channel: web, cost: 2, conversion: {value: 60}}\n"
           "transitions:\n"
           "  - {from: ad, to: product, weight: 1}\n"
           "  - {from: product, to: checkout, weight: 2}\n"
           "  - {from: product, to: reviews, weight: 1}\n"
           "  - {from: reviews, to: product, weight: 1}\n"
           "  - {from: reviews, to: checkout, weight: 1}\n";
  }
  const char* names[] = {"conversion_rate", "revenue_per_agent", "steps_per_agent"};
  int covered[3] = {0, 0, 0};
  constexpr int kSeeds = 100;
  for (int seed = 1; seed <= kSeeds; ++seed) {
    const SweepPlan plan = plan_of_experiment(
        "scenario: " + scenario.string() + "\nagents: 2000\nreplications: 1\nseed: " +
        std::to_string(seed) + "\nparameters:\n  touchpoints.product.dropout: [0.2, 0.26]\n");
    std::vector<MarkovAnalysis> exact;
    for (std::size_t k = 0; k < 2; ++k) {
      const CompiledJourney journey = compile(point_scenario(plan, k));
      ASSERT_EQ(why_not_markov(journey), "");
      exact.push_back(analyse_markov(journey));
    }
    const double truth[3] = {
        exact[1].conversion_probability - exact[0].conversion_probability,
        exact[1].revenue_per_agent - exact[0].revenue_per_agent,
        exact[1].expected_steps - exact[0].expected_steps};
    const SweepFigures figures = swept_in_groups(plan, 0);
    for (int i = 0; i < 3; ++i) {
      const Estimate& d = figures.differences.difference[1][figure_index(names[i])];
      if (d.low <= truth[i] && truth[i] <= d.high) ++covered[i];
    }
  }
  std::filesystem::remove(scenario);
  for (int i = 0; i < 3; ++i) {
    EXPECT_GE(covered[i], 88) << names[i] << " covered in " << covered[i] << " of " << kSeeds;
  }
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
