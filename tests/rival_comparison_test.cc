// Future states compared with each other on the same agents: exactly what comparing the two on
// their own gives, carried through processes and result files, and told in the answer.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "reports/render/compare_report.h"
#include "reports/store/aggregate_transfer.h"
#include "reports/store/comparison_file.h"
#include "reports/store/results_reader.h"
#include "scenarios/validate.h"
#include "sim/engine/comparison.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {
namespace {

Scenario tiny() {
  Diagnostics diagnostics;
  auto scenario = load_valid_scenario(std::string(CJSIM_TEST_DATA) + "/tiny.yaml", diagnostics);
  EXPECT_TRUE(scenario.has_value()) << diagnostics.to_string();
  return *scenario;
}

std::vector<CompiledJourney> three_states() {
  Scenario a = tiny();
  a.touchpoints[1].dropout = 0.1;
  Scenario b = tiny();
  b.transitions[1].weight = 3;
  return {compile(tiny()), compile(a), compile(b)};
}

TEST(RivalComparison, EqualsComparingTheTwoFutureStatesAloneToTheBit) {
  const std::vector<CompiledJourney> journeys = three_states();
  RunOptions options;
  options.agents = 30000;
  options.replications = 2;
  const ComparisonRun all = run_comparison(journeys, options);
  ASSERT_EQ(all.rivals.size(), 1u);
  EXPECT_EQ(all.rivals[0].first, 1u);
  EXPECT_EQ(all.rivals[0].second, 2u);
  const std::vector<Difference> rivals = rival_differences(all);

  const std::vector<CompiledJourney> pair = {journeys[1], journeys[2]};
  const std::vector<Difference> alone = differences(run_comparison(pair, options));
  ASSERT_EQ(rivals.size(), static_cast<std::size_t>(ComparisonLayout::kOverallCount));
  for (std::size_t m = 0; m < rivals.size(); ++m) {
    SCOPED_TRACE(rivals[m].metric);
    EXPECT_EQ(rivals[m].versus, 1u);
    EXPECT_EQ(rivals[m].scenario, 2u);
    EXPECT_EQ(alone[m].scope, "overall");
    EXPECT_EQ(rivals[m].metric, alone[m].metric);
    EXPECT_EQ(rivals[m].difference.value, alone[m].difference.value);
    EXPECT_EQ(rivals[m].difference.low, alone[m].difference.low);
    EXPECT_EQ(rivals[m].difference.high, alone[m].difference.high);
    EXPECT_EQ(rivals[m].significant, alone[m].significant);
  }
}

TEST(RivalComparison, OneFutureStateHasNoRivals) {
  const std::vector<CompiledJourney> journeys = {compile(tiny()), compile(tiny())};
  RunOptions options;
  options.agents = 1000;
  EXPECT_TRUE(run_comparison(journeys, options).rivals.empty());
}

TEST(RivalComparison, SharesFromProcessesMergeToTheWholeRun) {
  const std::vector<CompiledJourney> journeys = three_states();
  RunOptions options;
  options.agents = 20000;
  const ComparisonRun whole = run_comparison(journeys, options);
  options.processes = 2;
  options.process = 0;
  ComparisonRun merged = run_comparison(journeys, options);
  options.process = 1;
  merge_comparison_bytes(merged, comparison_to_bytes(run_comparison(journeys, options)));
  EXPECT_EQ(merged.rivals, whole.rivals);
}

TEST(RivalComparison, AComparisonFileKeepsTheRivals) {
  const std::vector<CompiledJourney> journeys = three_states();
  RunOptions options;
  options.agents = 5000;
  const ComparisonRun comparison = run_comparison(journeys, options);
  ComparisonReport report;
  report.labels = {"today", "fewer drops", "heavier link"};
  report.method = comparison_method(1);
  report.differences = differences(comparison);
  report.rivals = rival_differences(comparison);
  for (std::size_t k = 0; k < journeys.size(); ++k) {
    report.summaries.push_back(summarize(journeys[k], comparison.runs[k].replications));
    RunMetadata m;
    m.scenario_path = std::string(CJSIM_TEST_DATA) + "/tiny.yaml";
    m.scenario_text = "unused";
    m.seed = 1;
    m.agents = 5000;
    m.replications = 1;
    report.metadata.push_back(m);
  }
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("cjsim-rivals-" + std::to_string(::getpid()) + ".h5"))
                               .string();
  {
    PendingFile file(path, Overwrite::replace);
    write_comparison_file(file, report, {&journeys[0], &journeys[1], &journeys[2]}, comparison);
    file.commit();
  }
  const std::vector<Difference> read = read_differences(path, "rivals");
  std::filesystem::remove(path);
  ASSERT_EQ(read.size(), report.rivals.size());
  for (std::size_t k = 0; k < read.size(); ++k) {
    EXPECT_EQ(read[k].versus, report.rivals[k].versus);
    EXPECT_EQ(read[k].scenario, report.rivals[k].scenario);
    EXPECT_EQ(read[k].difference.value, report.rivals[k].difference.value);
  }
}

// A report of two future states, `lead` ahead of `other` on conversion, both better than today,
// and their own difference `between` with the interval [low, high].
ComparisonReport two_leaders(double lead, double other, double between, double low, double high) {
  ComparisonReport r;
  r.labels = {"Today", "One-click checkout", "Store push"};
  r.rank_by = "conversion_rate";
  for (std::size_t k = 1; k <= 2; ++k) {
    Difference d;
    d.metric = "conversion_rate";
    d.scope = "overall";
    d.scenario = k;
    const double v = k == 1 ? lead : other;
    d.difference = {v, v - 0.002, v + 0.002};
    d.significant = true;
    r.differences.push_back(d);
  }
  Difference d;
  d.metric = "conversion_rate";
  d.scope = "overall";
  d.versus = 1;
  d.scenario = 2;
  d.difference = {between, low, high};
  d.significant = low > 0 || high < 0;
  r.rivals.push_back(d);
  return r;
}

TEST(ComparisonAnswer, NamesTheLeaderAndWhoCannotBeToldApartFromIt) {
  const std::vector<std::string> answer =
      comparison_answer(two_leaders(0.0341, 0.0335, -0.0006, -0.0015, 0.0003));
  ASSERT_EQ(answer.size(), 2u);
  EXPECT_EQ(answer[0].rfind("One-click checkout does best: conversion rate +3.41 pp", 0), 0u)
      << answer[0];
  EXPECT_NE(answer[0].find("against Today"), std::string::npos) << answer[0];
  EXPECT_EQ(answer[1].rfind("Store push cannot be told apart from it", 0), 0u) << answer[1];
}

TEST(ComparisonAnswer, ALeadBeyondTheNoiseIsNotATie) {
  const std::vector<std::string> answer =
      comparison_answer(two_leaders(0.0341, 0.0048, -0.0293, -0.0300, -0.0286));
  ASSERT_EQ(answer.size(), 2u);
  EXPECT_EQ(answer[1].rfind("Store push also improves conversion rate: +0.48 pp", 0), 0u)
      << answer[1];
}

TEST(ComparisonAnswer, SaysWhenNothingImproves) {
  ComparisonReport r = two_leaders(0.0001, -0.0301, -0.0302, -0.031, -0.029);
  r.differences[0].significant = false;
  r.differences[0].difference = {0.0001, -0.001, 0.0012};
  r.differences[1].difference = {-0.0301, -0.032, -0.028};
  const std::vector<std::string> answer = comparison_answer(r);
  ASSERT_EQ(answer.size(), 3u);
  EXPECT_EQ(answer[0], "No future state improves conversion rate beyond the noise.");
  EXPECT_EQ(answer[1].rfind("One-click checkout changes conversion rate by less than the noise", 0),
            0u)
      << answer[1];
  EXPECT_EQ(answer[2].rfind("Store push makes conversion rate worse: -3.01 pp", 0), 0u) << answer[2];
}

}  // namespace
}  // namespace cjsim
