// The table of reported figures (sim/engine/figures.h) is whole and is the one truth: the
// summary's JSON, the text and Markdown reports, comparisons and `--rank-by` follow it, so that
// adding a figure touches the table and the code that computes it, nothing else.
#include "sim/engine/figures.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "reports/render/compare_report.h"
#include "reports/render/json_report.h"
#include "reports/render/report_format.h"
#include "reports/render/table_reports.h"
#include "reports/render/text_report.h"
#include "scenarios/experiment.h"
#include "scenarios/validate.h"
#include "sim/engine/calendar_figures.h"
#include "sim/engine/comparison.h"
#include "sim/engine/engine.h"
#include "sim/engine/summary.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {
namespace {

bool snake_case(std::string_view name) {
  if (name.empty() || !std::islower(static_cast<unsigned char>(name.front()))) return false;
  if (name.back() == '_' || name.find("__") != std::string_view::npos) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) ||
           std::isdigit(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::vector<std::string> names_of(unsigned reported_in) {
  std::vector<std::string> names;
  for (const Figure& f : kFigures) {
    if (f.reported_in() & reported_in) names.emplace_back(f.name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The figures of a JSON object: the keys x that come with x_ci.
std::vector<std::string> json_figures(const nlohmann::json& object) {
  std::vector<std::string> names;
  for (const auto& [key, value] : object.items()) {
    if (object.contains(key + "_ci")) names.push_back(key);
  }
  std::sort(names.begin(), names.end());
  return names;
}

CompiledJourney tiny_journey(const char* file = "/tiny.yaml") {
  Diagnostics diagnostics;
  const auto scenario = load_valid_scenario(std::string(CJSIM_TEST_DATA) + file, diagnostics);
  if (!scenario) throw std::runtime_error("cannot load test journey");
  return compile(*scenario);
}

Summary tiny_summary() {
  const CompiledJourney journey = tiny_journey();
  RunOptions options;
  options.agents = 2000;
  options.seed = 3;
  const RunResult result = run(journey, options);
  return summarize(journey, result.replications);
}

TEST(FigureTable, NamesAreUniqueAndSnakeCaseAndLabelsAreWords) {
  std::set<std::string> names, labels;
  for (const Figure& f : kFigures) {
    EXPECT_TRUE(snake_case(f.name)) << f.name;
    EXPECT_TRUE(names.insert(f.name).second) << "twice: " << f.name;
    EXPECT_FALSE(std::string(f.label).empty()) << f.name;
    EXPECT_TRUE(std::isupper(static_cast<unsigned char>(f.label[0]))) << f.label;
    EXPECT_TRUE(labels.insert(f.label).second) << "label twice: " << f.label;
    EXPECT_NE(f.reported_in(), 0u) << f.name << " is held nowhere";
    EXPECT_EQ(find_figure(f.name), &f);
  }
  EXPECT_EQ(find_figure("conversion"), nullptr);
  EXPECT_THROW(figure("conversion"), std::invalid_argument);
}

TEST(FigureTable, CostTimeDropoutAndTouchpointsAreLowerIsBetter) {
  for (const char* name :
       {"cost_per_agent", "hours_to_convert", "journey_hours", "steps_per_agent", "dropout_rate"}) {
    EXPECT_EQ(figure(name).better, Better::lower) << name;
    EXPECT_TRUE(lower_is_better(name)) << name;
  }
  for (const char* name : {"conversion_rate", "revenue_per_agent", "margin_per_agent", "nps",
                           "likelihood_to_recommend", "peak_end", "reach_rate", "mean_emotion"}) {
    EXPECT_EQ(figure(name).better, Better::higher) << name;
    EXPECT_FALSE(lower_is_better(name)) << name;
  }
  // How often one touchpoint or move is taken is neither good nor bad in itself.
  EXPECT_EQ(figure("visits_per_agent").better, Better::neither);
  EXPECT_EQ(figure("per_agent").better, Better::neither);
  EXPECT_FALSE(lower_is_better("not_a_figure"));
  // Giving up before converting is a lost customer; a customer leaving after converting is
  // neither good nor bad in itself (more customers leave more).
  for (const char* name : {"gave_up_rate", "dropout_before_converting_rate"}) {
    EXPECT_EQ(figure(name).better, Better::lower) << name;
  }
  for (const char* name : {"left_after_converting_rate", "dropout_after_converting_rate"}) {
    EXPECT_EQ(figure(name).better, Better::neither) << name;
  }
}

TEST(FigureTable, UnitsAndBasesAreThoseOfTheFigures) {
  EXPECT_EQ(figure("conversion_rate").unit, Unit::share);
  EXPECT_EQ(figure("dropout_rate").unit, Unit::share);
  EXPECT_EQ(figure("margin_per_agent").unit, Unit::money);
  EXPECT_EQ(figure("hours_to_convert").unit, Unit::hours);
  EXPECT_EQ(figure("nps").unit, Unit::nps_points);
  EXPECT_EQ(figure("peak_end").unit, Unit::emotion);
  EXPECT_EQ(figure("likelihood_to_recommend").unit, Unit::score);
  EXPECT_EQ(figure("steps_per_agent").unit, Unit::count);
  for (const char* name : {"hours_to_convert", "nps", "likelihood_to_recommend"}) {
    EXPECT_EQ(figure(name).over, Over::customers) << name;
  }
  for (const char* name : {"conversion_rate", "revenue_per_agent", "journey_hours", "peak_end"}) {
    EXPECT_EQ(figure(name).over, Over::agents) << name;
  }
}

TEST(FigureTable, HeadlineFiguresAreTheTableRowsWithAHeadlineMember) {
  std::vector<std::string> headline;
  for (const Figure& f : kHeadlineFigures) headline.emplace_back(f.name);
  EXPECT_EQ(headline,
            (std::vector<std::string>{"conversion_rate", "revenue_per_agent", "cost_per_agent",
                                      "margin_per_agent", "hours_to_convert", "journey_hours",
                                      "steps_per_agent", "nps", "likelihood_to_recommend",
                                      "peak_end", "gave_up_rate", "left_after_converting_rate"}));
}

TEST(FigureTable, SummaryJsonHoldsExactlyTheTableFigures) {
  const nlohmann::json json = summary_json(tiny_summary(), 0.0);
  EXPECT_EQ(json_figures(json), names_of(kOverall));
  ASSERT_FALSE(json["stages"].empty());
  ASSERT_FALSE(json["touchpoints"].empty());
  ASSERT_FALSE(json["transitions"].empty());
  ASSERT_FALSE(json["personas"].empty());
  EXPECT_EQ(json_figures(json["stages"][0]), names_of(kStage));
  EXPECT_EQ(json_figures(json["touchpoints"][0]), names_of(kTouchpoint));
  EXPECT_EQ(json_figures(json["transitions"][0]), names_of(kTransition));
  for (const nlohmann::json& persona : json["personas"]) {
    EXPECT_EQ(json_figures(persona), names_of(kPersona));
    EXPECT_EQ(json_figures(persona["stages"][0]), names_of(kStage));
    EXPECT_EQ(json_figures(persona["touchpoints"][0]), names_of(kTouchpoint));
  }
}

TEST(FigureTable, TextReportListsEveryHeadlineFigureWithItsLabel) {
  const Summary s = tiny_summary();
  RunMetadata m;
  m.seed = 3;
  const std::string text = text_report(s, m);
  for (const Figure& f : kHeadlineFigures) {
    const Estimate& e = s.overall.*f.member;
    const std::string value = figure_text(f.name, e.value);
    EXPECT_NE(text.find(f.label), std::string::npos) << f.name;
    EXPECT_NE(text.find(value + "  " + interval_text(f.name, e)), std::string::npos)
        << f.name << ": " << value;
  }
  // The persona table holds each key figure.
  for (const Figure& f : kHeadlineFigures) {
    if (!f.key) continue;
    EXPECT_NE(text.find(figure_text(f.name, (s.personas[0].figures.*f.member).value)),
              std::string::npos)
        << f.name;
  }
}

TEST(FigureTable, ComparisonPairsTheTableFiguresInTheirOrder) {
  const CompiledJourney current = tiny_journey();
  const CompiledJourney future = tiny_journey("/tiny_future.yaml");
  const ComparisonLayout layout(current, future);
  std::map<std::string, std::vector<std::pair<std::string, bool>>> by_scope;
  for (const ComparedMetric& m : layout.metrics()) {
    by_scope[m.scope.substr(0, m.scope.find(':'))].emplace_back(m.metric, m.per_agent);
  }
  auto expected = [](const auto& figures, bool persona) {
    std::vector<std::pair<std::string, bool>> out;
    for (const Figure* f : figures) out.emplace_back(f->name, !persona && f->over == Over::agents);
    return out;
  };
  // Overall, in the order of the stored paired sums.
  EXPECT_EQ(by_scope["overall"], expected(kComparedFigures<kOverall>, false));
  std::vector<std::string> overall;
  for (const Figure* f : kComparedFigures<kOverall>) overall.emplace_back(f->name);
  EXPECT_EQ(overall,
            (std::vector<std::string>{"conversion_rate", "revenue_per_agent", "cost_per_agent",
                                      "margin_per_agent", "steps_per_agent", "hours_to_convert",
                                      "nps", "gave_up_rate", "left_after_converting_rate"}));
  // Every stage, touchpoint and persona has its scope's figures, in the table's order.
  std::map<std::string, std::vector<std::pair<std::string, bool>>> by_item;
  for (const ComparedMetric& m : layout.metrics()) {
    by_item[m.scope].emplace_back(m.metric, m.per_agent);
  }
  std::map<std::string, int> items;
  for (const auto& [scope, got] : by_item) {
    const std::string kind = scope.substr(0, scope.find(':'));
    if (kind == "overall") continue;
    ++items[kind];
    if (kind == "stage") {
      EXPECT_EQ(got, expected(kComparedFigures<kStage>, false)) << scope;
    }
    if (kind == "touchpoint") {
      EXPECT_EQ(got, expected(kComparedFigures<kTouchpoint>, false)) << scope;
    }
    if (kind == "persona") {
      EXPECT_EQ(got, expected(kComparedFigures<kPersona>, true)) << scope;
    }
  }
  EXPECT_GT(items["stage"], 0);
  EXPECT_GT(items["touchpoint"], 0);
  EXPECT_GT(items["persona"], 0);
}

// Figures added to the table later (a later compared_edition) have their paired sums after all
// those of earlier editions: the stored and pinned sums of the earlier figures keep their
// places, and the slots of a layout are each used once.
TEST(FigureTable, LaterEditionsPairedSumsComeAfterTheEarlierOnes) {
  const CompiledJourney current = tiny_journey();
  const CompiledJourney future = tiny_journey("/tiny_future.yaml");
  const ComparisonLayout layout(current, future);
  std::size_t last_first_edition = 0, first_later = layout.metrics().size();
  for (std::size_t m = 0; m < layout.metrics().size(); ++m) {
    const Figure& f = figure(layout.metrics()[m].metric);
    if (f.compared_edition == 0) last_first_edition = m;
    if (f.compared_edition > 0) first_later = std::min(first_later, m);
  }
  EXPECT_LT(last_first_edition, first_later);
  std::vector<std::size_t> order = layout.reading_order();
  ASSERT_EQ(order.size(), layout.metrics().size());
  std::sort(order.begin(), order.end());
  for (std::size_t m = 0; m < order.size(); ++m) EXPECT_EQ(order[m], m);
  // The reading order keeps each stage's figures together.
  const std::vector<std::size_t>& reading = layout.reading_order();
  const std::size_t stage_figures = kComparedFigures<kStage>.size();
  for (std::size_t k = 0; k < reading.size(); ++k) {
    if (!layout.metrics()[reading[k]].scope.starts_with("stage:")) continue;
    for (std::size_t j = 1; j < stage_figures; ++j) {
      ASSERT_LT(k + j, reading.size());
      EXPECT_EQ(layout.metrics()[reading[k + j]].scope, layout.metrics()[reading[k]].scope);
    }
    break;
  }
}

// A ranking needs a direction: figures compared overall of which neither way is better
// (leaving after converting) are not among the choices.
TEST(FigureTable, RankByChoicesAreTheFiguresComparedOverallWithABetterDirection) {
  std::vector<std::string> compared;
  for (const Figure& f : kFigures) {
    if ((f.compared_in & kOverall) && f.better != Better::neither) compared.emplace_back(f.name);
  }
  std::vector<std::string> choices = rankable_figure_names();
  std::sort(compared.begin(), compared.end());
  std::sort(choices.begin(), choices.end());
  EXPECT_EQ(choices, compared);
  EXPECT_NE(std::find(choices.begin(), choices.end(), ComparisonReport{}.rank_by), choices.end());
  EXPECT_NE(std::find(choices.begin(), choices.end(), "gave_up_rate"), choices.end());
  EXPECT_EQ(std::find(choices.begin(), choices.end(), "left_after_converting_rate"), choices.end());
}

// scenarios/ sits below the table and names the default metric of an experiment itself.
TEST(FigureTable, ExperimentDefaultMetricIsAHeadlineFigure) {
  const std::string metric = Experiment{}.metric;
  EXPECT_TRUE(std::any_of(kHeadlineFigures.begin(), kHeadlineFigures.end(), [&](const Figure& f) {
    return metric == f.name;
  })) << metric;
}

TEST(FigureTable, RankingFollowsTheBetterDirection) {
  ComparisonReport r;
  r.labels = {"current", "fewer steps", "more steps"};
  auto difference = [](std::size_t scenario, const char* metric, double value) {
    Difference d;
    d.scenario = scenario;
    d.metric = metric;
    d.scope = "overall";
    d.difference = {value, value - 0.1, value + 0.1};
    return d;
  };
  r.differences = {difference(1, "steps_per_agent", -1.0), difference(2, "steps_per_agent", 1.0),
                   difference(1, "conversion_rate", -0.01), difference(2, "conversion_rate", 0.02)};
  r.rank_by = "steps_per_agent";
  EXPECT_EQ(rank_future_states(r), (std::vector<std::size_t>{1, 2}));
  r.rank_by = "conversion_rate";
  EXPECT_EQ(rank_future_states(r), (std::vector<std::size_t>{2, 1}));
}

TEST(FigureFormat, EveryUnitIsWrittenOneWay) {
  EXPECT_EQ(figure_text("conversion_rate", 0.1234), "12.34 %");
  EXPECT_EQ(interval_text("dropout_rate", {0.5, 0.25, 0.75}), "[25.00, 75.00] %");
  EXPECT_EQ(difference_text("reach_rate", -0.012), "-1.20 pp");
  EXPECT_EQ(difference_interval_text("conversion_rate", {0.01, 0.008, 0.016}), "[+0.80, +1.60] pp");
  EXPECT_EQ(figure_text("revenue_per_agent", 1234.5), "1,234.50");
  EXPECT_EQ(difference_text("cost_per_agent", 1234.5), "+1,234.50");
  EXPECT_EQ(difference_text("cost_per_agent", -2.0), "-2.00");
  EXPECT_EQ(figure_text("journey_hours", 3.2), "3.20 h");
  EXPECT_EQ(difference_text("hours_to_convert", -0.5), "-0.50 h");
  EXPECT_EQ(figure_text("nps", 12.34), "+12.3");
  EXPECT_EQ(figure_text("nps", -5.0), "-5.0");
  EXPECT_EQ(figure_text("mean_emotion", 0.25), "+0.250");
  EXPECT_EQ(figure_text("likelihood_to_recommend", 7.5), "7.500");
  EXPECT_EQ(figure_text("steps_per_agent", 3.25), "3.250");
  EXPECT_EQ(difference_text("visits_per_agent", 0.5), "+0.500");
  EXPECT_EQ(figure_text("peak_end", NAN), "n/a");
  EXPECT_EQ(interval_text("peak_end", {0.0, NAN, NAN}), "");
  EXPECT_EQ(metric_label("steps_per_agent"), "Touchpoints per agent");
  EXPECT_EQ(metric_label("no_such_figure"), "no_such_figure");
  EXPECT_EQ(difference_in_display_units("dropout_rate", 0.015), 1.5);
  EXPECT_EQ(difference_in_display_units("mean_emotion", 0.015), 0.015);
}

// Waits are held in hours (their keys say so) and written in minutes when under an hour.
TEST(FigureFormat, ShortWaitsAreWrittenInMinutesAndStoredInHours) {
  EXPECT_EQ(find_calendar_figure("mean_wait_hours")->unit, Unit::minutes);
  EXPECT_EQ(find_calendar_figure("p90_wait_hours")->unit, Unit::minutes);
  EXPECT_EQ(unit_key(Unit::minutes), "hours");
  EXPECT_EQ(figure_text("mean_wait_hours", 0.2), "12.0 min");
  EXPECT_EQ(figure_text("p90_wait_hours", 0.0), "0.0 min");
  EXPECT_EQ(figure_text("mean_wait_hours", 1.5), "1.50 h");
  EXPECT_EQ(interval_text("mean_wait_hours", {0.2, 0.1, 0.3}), "[6.0, 18.0] min");
  EXPECT_EQ(interval_text("mean_wait_hours", {0.9, 0.5, 1.3}), "[0.50, 1.30] h");
  EXPECT_EQ(difference_text("mean_wait_hours", -0.05), "-3.0 min");
  EXPECT_EQ(difference_interval_text("mean_wait_hours", {-0.05, -0.1, 0.0}), "[-6.0, +0.0] min");
  EXPECT_EQ(difference_in_display_units("mean_wait_hours", 0.5), 30.0);
  // Other durations stay in hours however short.
  EXPECT_EQ(figure_text("journey_hours", 0.2), "0.20 h");
}

TEST(FigureFormat, TheTextComparisonWritesFiguresAsEveryReportDoes) {
  const CompiledJourney current = tiny_journey();
  const CompiledJourney future = tiny_journey("/tiny_future.yaml");
  const std::vector<CompiledJourney> journeys = {current, future};
  RunOptions options;
  options.agents = 2000;
  options.seed = 3;
  const ComparisonRun run = run_comparison(journeys, options);
  ComparisonReport r;
  r.labels = {"current", "future"};
  for (std::size_t k = 0; k < 2; ++k) {
    r.summaries.push_back(summarize(journeys[k], run.runs[k].replications));
    r.metadata.emplace_back();
  }
  r.differences = differences(run);
  r.method = comparison_method(1);
  const std::string text = text_comparison(r);
  for (const Difference& d : r.differences) {
    if (d.scope != "overall") continue;
    EXPECT_NE(text.find(metric_label(d.metric)), std::string::npos) << d.metric;
    EXPECT_NE(text.find(figure_text(d.metric, d.current.value)), std::string::npos) << d.metric;
    EXPECT_NE(text.find(difference_text(d.metric, d.difference.value) + "  " +
                        difference_interval_text(d.metric, d.difference)),
              std::string::npos)
        << d.metric;
  }
}

}  // namespace
}  // namespace cjsim
