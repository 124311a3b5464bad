// Calendar journeys with uncertain inputs (sim/api/calendar_draws.h): each draw runs the
// calendar's engine, every calendar figure gains its interval over the draws, and what the
// plain journeys' draws guarantee holds here too.
#include "sim/api/calendar_draws.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "reports/html/calendar_html.h"
#include "reports/render/calendar_report.h"
#include "reports/render/uncertainty_report.h"
#include "reports/store/hdf5_results.h"
#include "reports/store/results_reader.h"
#include "scenarios/loader.h"
#include "scenarios/validate.h"

namespace cjsim {
namespace {

Scenario example(const std::string& file) {
  Diagnostics diagnostics;
  std::optional<Scenario> s = load_valid_scenario(
      std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/" + file, diagnostics);
  EXPECT_TRUE(s) << diagnostics.to_string();
  return s ? *s : Scenario{};
}

CalendarSettings week(unsigned threads = 2) {
  CalendarSettings s;
  s.seed = 11;
  s.replications = 2;
  s.threads = threads;
  s.days = 7;
  return s;
}

CompiledJourneys journeys_of(const std::vector<std::string>& files) {
  CompiledJourneys out;
  for (const std::string& f : files) {
    out.paths.push_back(f);
    out.scenarios.push_back(example(f));
    out.journeys.push_back(compile(out.scenarios.back()));
  }
  return out;
}

nlohmann::json without_seconds(nlohmann::json j) {
  j.erase("seconds");
  if (j.contains("scenarios")) {
    for (nlohmann::json& s : j["scenarios"]) s.erase("seconds");
  }
  return j;
}

// Degenerate distributions: the central run and every draw are the plain calendar run, bit
// for bit, and each figure's interval over the draws is that figure at both ends.
TEST(CalendarDraws, DegenerateDistributionsEqualThePlainCalendarRunToTheBit) {
  const Scenario plain = example("bank_call_centre.yaml");
  Scenario point = plain;
  for (Touchpoint& t : point.touchpoints) {
    if (t.id == "call_centre") {
      t.uncertain["patience_hours"] = {UncertainValue::Form::uniform, {0.2, 0.2}, {}};
    }
  }
  for (Persona& p : point.personas) {
    if (p.id == "traditional") {
      p.uncertain["patience"] = {UncertainValue::Form::triangular, {1.5, 1.5, 1.5}, {}};
    }
  }
  const Context context;
  const std::optional<CalendarOutcome> reference =
      run_calendar_journey(plain, "bank.yaml", week(), context);
  const std::optional<UncertainCalendarRunOutcome> drawn =
      run_calendar_journey_with_draws(point, "bank.yaml", week(), {.draws = 4}, context);
  ASSERT_TRUE(reference && drawn);
  const nlohmann::json expected = calendar_summary_json(reference->summary, 0.0);
  EXPECT_EQ(calendar_summary_json(drawn->central.summary, 0.0), expected);
  ASSERT_EQ(drawn->draws.size(), 4u);
  ASSERT_EQ(drawn->uncertainty.inputs.size(), 2u);
  for (const CalendarSummary& draw : drawn->draws) {
    EXPECT_EQ(calendar_summary_json(draw, 0.0), expected);
  }
  nlohmann::json with = calendar_summary_json(drawn->central.summary, 0.0);
  add_calendar_run_uncertainty_json(with, calendar_draws_digest(*drawn));
  for (int end : {0, 1}) {
    EXPECT_EQ(with["conversion_rate_uncertainty"][end], expected["conversion_rate"]);
    EXPECT_EQ(with["lifetime_value_uncertainty"][end], expected["lifetime_value"]);
    for (const char* key : {"utilisation", "mean_wait_hours", "abandonment_rate"}) {
      EXPECT_EQ(with["resources"][0][std::string(key) + "_uncertainty"][end],
                expected["resources"][0][key])
          << key;
    }
  }
}

// The estimates compared: the patience drawn changes what the calendar's queues do (the
// abandonment differs from draw to draw), every calendar figure has its interval over the
// draws, each difference its odds, and both inputs are ranked on the gain.
TEST(CalendarDraws, ACompareOfEstimatesGivesTheOddsOfEveryCalendarFigure) {
  const CompiledJourneys journeys =
      journeys_of({"bank_call_centre_estimate.yaml", "bank_call_centre_call_back_estimate.yaml"});
  const std::optional<UncertainCalendarCompareOutcome> compared =
      compare_calendar_journeys_with_draws(journeys, week(), "abandonment_rate",
                                           {.draws = 6, .total_effects = true}, Context{});
  ASSERT_TRUE(compared);
  const UncertaintyReport& u = compared->uncertainty;
  ASSERT_EQ(u.inputs.size(), 2u);
  EXPECT_EQ(u.inputs[0].path, "touchpoints.call_centre.patience_hours");
  ASSERT_EQ(compared->draws.size(), 6u);
  const std::vector<double> abandonment = difference_over_draws(u, 1, 0, "abandonment_rate");
  ASSERT_EQ(abandonment.size(), 6u);
  const DrawInterval spread = interval_over_draws(abandonment);
  EXPECT_LT(spread.low, spread.high);
  ASSERT_EQ(u.sensitivity.size(), 1u);
  EXPECT_EQ(u.sensitivity[0].result.ranked.size(), 2u);
  EXPECT_TRUE(std::isfinite(u.sensitivity[0].result.ranked[0].total));

  nlohmann::json json = calendar_comparison_json(compared->central.report);
  add_calendar_comparison_uncertainty_json(json, compared->central.report.names,
                                           calendar_draws_digest(*compared, "abandonment_rate"));
  const nlohmann::json& current = json["scenarios"][0];
  for (const char* key : {"conversion_rate", "journeys_per_customer", "lifetime_value"}) {
    ASSERT_TRUE(current.contains(std::string(key) + "_uncertainty")) << key;
  }
  const nlohmann::json& agents = current["resources"][0];
  ASSERT_TRUE(agents.contains("mean_wait_hours_uncertainty"));
  EXPECT_LT(agents["mean_wait_hours_uncertainty"][0].get<double>(),
            agents["mean_wait_hours_uncertainty"][1].get<double>());
  std::size_t rows = 0;
  for (const nlohmann::json& row : json["differences"][0]["figures"]) {
    EXPECT_TRUE(row.contains("uncertainty") && row.contains("probability_better")) << row.dump();
    if (row["figure"] == "abandonment_rate" && row["resource"].is_null()) {
      const double p = row["probability_better"].get<double>();
      EXPECT_DOUBLE_EQ(p, probability_beats(u, 1, 0, "abandonment_rate"));
    }
    ++rows;
  }
  EXPECT_GT(rows, 10u);
  const nlohmann::json& state = json["uncertainty"]["future_states"][0];
  EXPECT_EQ(state["metric"], "abandonment_rate");
  EXPECT_TRUE(state.contains("probability_beats_current"));
}

TEST(CalendarDraws, SameSeedSameResultsForAnyThreadCount) {
  const CompiledJourneys journeys =
      journeys_of({"bank_call_centre_estimate.yaml", "bank_call_centre_call_back_estimate.yaml"});
  const auto json_of = [&](unsigned threads) {
    const std::optional<UncertainCalendarCompareOutcome> c = compare_calendar_journeys_with_draws(
        journeys, week(threads), "conversion_rate", {.draws = 4}, Context{});
    EXPECT_TRUE(c);
    if (!c) return std::string();
    nlohmann::json out = calendar_comparison_json(c->central.report);
    add_calendar_comparison_uncertainty_json(out, c->central.report.names,
                                             calendar_draws_digest(*c, "conversion_rate"));
    return without_seconds(out).dump();
  };
  const std::string one = json_of(1);
  EXPECT_EQ(one, json_of(2));
  EXPECT_NE(one.find("probability_beats_current"), std::string::npos);
}

// The calendar page with draws says how sure it is before the answer, and the ranges and odds
// it shows are the JSON's, number for number: each figure's range over the draws (in its cell's
// data-uncertainty) and each difference's probability of being better.
TEST(CalendarDraws, ThePageShowsTheRangesAndOddsTheJsonGives) {
  const CompiledJourneys journeys =
      journeys_of({"bank_call_centre_estimate.yaml", "bank_call_centre_call_back_estimate.yaml"});
  const std::optional<UncertainCalendarCompareOutcome> c = compare_calendar_journeys_with_draws(
      journeys, week(), "conversion_rate", {.draws = 4}, Context{});
  ASSERT_TRUE(c);
  const CalendarDrawsDigest digest = calendar_draws_digest(*c, "conversion_rate");
  const std::string page = calendar_html_report(c->central.report, &digest);
  ASSERT_NE(page.find("id=\"how-sure\""), std::string::npos);
  EXPECT_LT(page.find("id=\"how-sure\""), page.find("id=\"answer\""));
  EXPECT_EQ(calendar_html_report(c->central.report).find("how-sure"), std::string::npos);

  nlohmann::json json = calendar_comparison_json(c->central.report);
  add_calendar_comparison_uncertainty_json(json, c->central.report.names, digest);
  const auto same = [](const nlohmann::json& listed, double value) {
    return listed.is_null() ? std::isnan(value) : listed.get<double>() == value;
  };
  std::size_t ranges = 0;
  for (std::size_t s = 0; s < 2; ++s) {
    const nlohmann::json& scenario = json["scenarios"][s];
    const DrawsDigest::FigureRange* cost = digest.range(s, "staff_cost");
    ASSERT_NE(cost, nullptr);
    EXPECT_TRUE(same(scenario["staff_cost_uncertainty"][0], cost->over_draws.low));
    EXPECT_TRUE(same(scenario["staff_cost_uncertainty"][1], cost->over_draws.high));
    for (const nlohmann::json& resource : scenario["resources"]) {
      for (const char* figure : {"utilisation", "mean_wait_hours", "p90_wait_hours",
                                 "abandonment_rate"}) {
        const DrawsDigest::FigureRange* r =
            digest.range(s, resource["id"].get<std::string>() + "." + figure);
        ASSERT_NE(r, nullptr) << figure;
        const nlohmann::json& listed = resource[std::string(figure) + "_uncertainty"];
        EXPECT_TRUE(same(listed[0], r->over_draws.low)) << resource["id"] << " " << figure;
        EXPECT_TRUE(same(listed[1], r->over_draws.high)) << resource["id"] << " " << figure;
        ++ranges;
      }
    }
    if (std::isfinite(cost->over_draws.low)) {
      EXPECT_NE(page.find(fmt::format("data-key=\"staff_cost\" data-value=\"{}\" "
                                      "data-uncertainty=\"[{},{}]\"",
                                      cost->central.value, cost->over_draws.low,
                                      cost->over_draws.high)),
                std::string::npos);
    }
  }
  EXPECT_EQ(ranges, 2u * 2u * 4u);
  const nlohmann::json& rows = json["differences"][0]["figures"];
  ASSERT_EQ(digest.differences.size(), 1u);
  ASSERT_EQ(digest.differences[0].size(), rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_TRUE(same(rows[i]["probability_better"], digest.differences[0][i].probability_better));
    EXPECT_TRUE(same(rows[i]["expected"], digest.differences[0][i].expected));
  }
}

// The estimates compared, as `cjsim compare` gives their paths: a stored file rebuilds each
// journey from its text and its base's, placed where the paths say.
CompiledJourneys stored_journeys() {
  CompiledJourneys out =
      journeys_of({"bank_call_centre_estimate.yaml", "bank_call_centre_call_back_estimate.yaml"});
  for (std::string& path : out.paths) {
    path = std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/" + path;
  }
  return out;
}

std::string temporary_file(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          (name + "-" + std::to_string(::getpid()) + ".h5"))
      .string();
}

// A comparison's file gives back what its draws say, bit for bit: the page `--report` wrote
// (how sure it is, each figure's range, each difference's odds) and the JSON `--json` printed
// (every x_uncertainty, each difference's odds, the "uncertainty" object).
TEST(CalendarDraws, AStoredComparisonGivesBackThePageAndJsonOfItsDraws) {
  const CompiledJourneys journeys = stored_journeys();
  const std::optional<UncertainCalendarCompareOutcome> c = compare_calendar_journeys_with_draws(
      journeys, week(), "abandonment_rate", {.draws = 4, .total_effects = true}, Context{});
  ASSERT_TRUE(c);
  const CalendarComparisonReport& report = c->central.report;
  const CalendarDrawsDigest digest = calendar_draws_digest(*c, "abandonment_rate");
  const std::string path = temporary_file("calendar-draws-comparison");
  {
    PendingFile file(path, Overwrite::replace);
    write_calendar_comparison_file_with_draws(file, report, c->central.data(journeys),
                                              "abandonment_rate", c->uncertainty,
                                              draw_summaries(*c), digest);
    file.commit();
  }
  const ReportedResults read = read_results_file(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(read.calendar && read.calendar_draws);
  EXPECT_TRUE(read.warnings.empty());
  EXPECT_EQ(read.calendar->names, report.names);
  const std::string page = calendar_html_report(report, &digest);
  EXPECT_NE(page.find("data-probability-better="), std::string::npos);
  EXPECT_EQ(calendar_html_report(*read.calendar, &*read.calendar_draws), page);

  nlohmann::json live = calendar_comparison_json(report);
  add_calendar_comparison_uncertainty_json(live, report.names, digest);
  nlohmann::json back = calendar_comparison_json(*read.calendar);
  add_calendar_comparison_uncertainty_json(back, read.calendar->names, *read.calendar_draws);
  EXPECT_EQ(without_seconds(back).dump(), without_seconds(live).dump());
  EXPECT_TRUE(live["uncertainty"]["sensitivity"][0]["ranked"][0].contains("total"));
}

// A file of a cjsim that stored only the plain digest (no calendar ranges, no odds per
// difference) still reads: the page says how sure it is, its cells carry no range, and the
// reader says why.
TEST(CalendarDraws, AnEarlierFileWithoutTheCalendarRangesReadsWithAWarning) {
  const CompiledJourneys journeys = stored_journeys();
  const std::optional<UncertainCalendarCompareOutcome> c = compare_calendar_journeys_with_draws(
      journeys, week(), "conversion_rate", {.draws = 4}, Context{});
  ASSERT_TRUE(c);
  const CalendarComparisonReport& report = c->central.report;
  const std::string path = temporary_file("calendar-draws-earlier");
  {
    PendingFile file(path, Overwrite::replace);
    write_hdf5_file(file, [&](H5::Group& root) {
      write_calendar_comparison(root, report, c->central.data(journeys));
      std::vector<Summary> central;
      for (const CalendarSummary& s : report.summaries) central.push_back(s.plain);
      write_draws(root, report.names, central, c->uncertainty, "conversion_rate");
    });
    file.commit();
  }
  const ReportedResults read = read_results_file(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(read.calendar && read.calendar_draws);
  ASSERT_EQ(read.warnings.size(), 1u);
  EXPECT_NE(read.warnings[0].find("older cjsim"), std::string::npos) << read.warnings[0];
  EXPECT_TRUE(read.calendar_draws->figures.empty());
  EXPECT_TRUE(read.calendar_draws->json_ranges.empty());
  EXPECT_EQ(read.calendar_draws->digest.future_states.size(), 1u);
  const std::string page = calendar_html_report(*read.calendar, &*read.calendar_draws);
  EXPECT_NE(page.find("id=\"how-sure\""), std::string::npos);
  EXPECT_EQ(page.find("data-uncertainty="), std::string::npos);
  EXPECT_EQ(page.find("data-probability-better="), std::string::npos);
}

// A figure calendar comparisons do not give is refused by name, with the ones they give: the
// run's and each resource's as RESOURCE.FIGURE.
TEST(CalendarDraws, RankByAFigureCalendarsDoNotGiveIsRefused) {
  const CompiledJourneys journeys =
      journeys_of({"bank_call_centre_estimate.yaml", "bank_call_centre_call_back_estimate.yaml"});
  try {
    compare_calendar_journeys_with_draws(journeys, week(), "margin_per_agent", {.draws = 2},
                                         Context{});
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("--rank-by margin_per_agent"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("abandonment_rate"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("agents.p90_wait_hours"), std::string::npos) << e.what();
  }
}

// A resource's figure ranks as RESOURCE.FIGURE (the naming of sweep --summary): the gain over
// the draws is each draw's difference of that resource's figure, lower being better for a wait,
// and the inputs are ranked on it.
TEST(CalendarDraws, AResourceFigureRanksTheFutureStatesAndTheInputs) {
  const CompiledJourneys journeys =
      journeys_of({"bank_call_centre_estimate.yaml", "bank_call_centre_call_back_estimate.yaml"});
  const std::optional<UncertainCalendarCompareOutcome> c = compare_calendar_journeys_with_draws(
      journeys, week(), "agents.mean_wait_hours", {.draws = 4}, Context{});
  ASSERT_TRUE(c);
  const std::vector<double> gains =
      difference_over_draws(c->uncertainty, 1, 0, "agents.mean_wait_hours");
  ASSERT_EQ(gains.size(), 4u);
  for (std::size_t k = 0; k < 4; ++k) {
    double expected = kNaN;
    for (const CalendarDifference& d : c->draws[k].differences.front()) {
      if (d.resource == "agents" && d.figure == "mean_wait_hours") expected = d.difference.value;
    }
    EXPECT_EQ(gains[k], expected) << "draw " << k;
  }
  ASSERT_EQ(c->uncertainty.sensitivity.size(), 1u);
  EXPECT_EQ(c->uncertainty.sensitivity.front().figure, "agents.mean_wait_hours");
  std::size_t shorter = 0;
  for (double g : gains) shorter += g < 0 ? 1 : 0;
  EXPECT_EQ(probability_beats(c->uncertainty, 1, 0, "agents.mean_wait_hours"),
            static_cast<double>(shorter) / 4.0);
}

// The plain draws refuse a calendar journey rather than run it without its days and queues.
TEST(CalendarDraws, ThePlainDrawsRefuseACalendarJourney) {
  const Scenario s = example("bank_call_centre_estimate.yaml");
  RunSettings settings;
  settings.agents = 100;
  try {
    run_journey_with_draws(s, "bank.yaml", settings, {.draws = 2}, Context{});
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("has a calendar"), std::string::npos) << e.what();
  }
}

// A resource's capacity is a whole number of servers: a distribution there is refused at its
// line, saying why; the calendar's other blocks take known numbers, and say where they may not.
TEST(CalendarDraws, ACapacityOrACalendarNumberAsADistributionIsRefusedAtItsLine) {
  std::ifstream in(std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/bank_call_centre.yaml");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  const auto problems = [](std::string changed) {
    Diagnostics diagnostics;
    std::optional<Scenario> s = parse_scenario(changed, "bank.yaml", diagnostics);
    if (s) validate_scenario(*s, diagnostics);
    return diagnostics.to_string();
  };
  std::string capacity = text;
  const std::size_t at = capacity.find("capacity: 4");
  ASSERT_NE(at, std::string::npos);
  capacity.replace(at, 11, "capacity: {uniform: [3, 5]}");
  const std::string line = std::to_string(
      std::count(capacity.begin(), capacity.begin() + static_cast<std::ptrdiff_t>(at), '\n') + 1);
  const std::string said = problems(capacity);
  EXPECT_NE(said.find("bank.yaml:" + line + ":"), std::string::npos) << said;
  EXPECT_NE(said.find("whole number and must be known"), std::string::npos) << said;
  std::string retention = text;
  retention.replace(retention.find("retention: 0.3"), 14, "retention: {uniform: [0.2, 0.4]}");
  const std::string refused = problems(retention);
  EXPECT_NE(refused.find("must be a known number here"), std::string::npos) << refused;
}

}  // namespace
}  // namespace cjsim
