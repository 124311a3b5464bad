// Runs and comparisons with uncertain inputs (sim/model/MODEL.md 1.10): degenerate
// distributions equal the plain run to the bit, a Markov journey's spread follows its closed
// form through the parameter's distribution, the same seed gives the same results for any
// thread count, and the words and JSON say the gain, its odds and the input behind it.
#include "sim/api/uncertainty.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "reports/render/compare_report.h"
#include "reports/render/json_report.h"
#include "reports/render/uncertainty_report.h"
#include "sim/model/markov.h"
#include "uncertain_journeys.h"

namespace cjsim {
namespace {

using testing_uncertain::chain;
using testing_uncertain::parse;

RunSettings small(std::uint64_t agents, unsigned threads = 2) {
  RunSettings s;
  s.agents = agents;
  s.seed = 42;
  s.threads = threads;
  return s;
}

// Degenerate distributions: every draw is the plain run, bit for bit, and so is the centre.
TEST(UncertainRuns, DegenerateDistributionsEqualThePlainRunToTheBit) {
  const Scenario plain = parse(chain("0.3", "settings: {kappa: 0.7}\n"));
  const Scenario point =
      parse(chain("{uniform: [0.3, 0.3]}", "settings: {kappa: {triangular: [0.7, 0.7, 0.7]}}\n"));
  const Context context;
  const RunOutcome reference = run_journey(plain, "test.yaml", small(20000), context);
  const UncertainRunOutcome drawn =
      run_journey_with_draws(point, "test.yaml", small(20000), {.draws = 5}, context);
  ASSERT_TRUE(reference.summary && drawn.central.summary && drawn.uncertainty);
  const nlohmann::json expected = summary_json(*reference.summary, 0.0);
  EXPECT_EQ(summary_json(*drawn.central.summary, 0.0), expected);
  ASSERT_EQ(drawn.uncertainty->summaries.size(), 5u);
  for (const std::vector<Summary>& draw : drawn.uncertainty->summaries) {
    EXPECT_EQ(summary_json(draw.front(), 0.0), expected);
  }
  nlohmann::json with = summary_json(*drawn.central.summary, 0.0);
  add_run_uncertainty_json(with, *drawn.uncertainty);
  EXPECT_EQ(with["conversion_rate_uncertainty"][0], expected["conversion_rate"]);
  EXPECT_EQ(with["conversion_rate_uncertainty"][1], expected["conversion_rate"]);
  EXPECT_EQ(with["touchpoints"][1]["dropout_rate_uncertainty"][1],
            expected["touchpoints"][1]["dropout_rate"]);
}

// kappa = 0: the conversion rate of each draw is the closed form (1 - 0.1)(1 - d) at the drawn
// dropout d, and its spread over the draws is that of the closed form through d's
// distribution: for d ~ uniform [0.1, 0.5], the central 95% of 0.9 (1 - d) is
// [0.9 * 0.51, 0.9 * 0.89]. Tolerances: each draw within 4.5 binomial standard errors; the
// interval's ends within 0.012 (the Latin hypercube puts one draw in each 1/200 of d's range,
// 0.0018 of the rate apart, and simulation noise adds a standard error of 0.0035).
TEST(UncertainRuns, SpreadOfAMarkovJourneyFollowsTheClosedFormThroughTheDistribution) {
  const Scenario s = parse(chain("{uniform: [0.1, 0.5]}"));
  const std::uint64_t agents = 20000;
  const UncertainRunOutcome drawn =
      run_journey_with_draws(s, "test.yaml", small(agents), {.draws = 200}, Context{});
  ASSERT_TRUE(drawn.uncertainty);
  const UncertaintyDesign design = uncertainty_design({&s}, {.draws = 200}, 42);
  const std::vector<double> rates = figure_over_draws(*drawn.uncertainty, 0, "conversion_rate");
  ASSERT_EQ(rates.size(), 200u);
  for (std::size_t k = 0; k < 200; ++k) {
    const double truth =
        analyse_markov(compile(drawn_scenario(s, design, k))).conversion_probability;
    EXPECT_NEAR(truth, 0.9 * (1 - (0.1 + 0.4 * design.quantiles[k][0])), 1e-12);
    EXPECT_NEAR(rates[k], truth, 4.5 * std::sqrt(truth * (1 - truth) / agents)) << "draw " << k;
  }
  const DrawInterval spread = interval_over_draws(rates);
  EXPECT_NEAR(spread.low, 0.9 * 0.51, 0.012);
  EXPECT_NEAR(spread.high, 0.9 * 0.89, 0.012);
  // The only input explains nearly all of the spread.
  ASSERT_EQ(drawn.uncertainty->sensitivity.size(), 1u);
  EXPECT_GT(drawn.uncertainty->sensitivity[0].result.ranked[0].first_order, 0.9);
}

TEST(UncertainRuns, SameSeedSameResultsForAnyThreadCount) {
  const Scenario current =
      parse(chain("{triangular: [0.2, 0.3, 0.5]}", "settings: {kappa: 0.5}\n"));
  const Scenario future = parse(chain("{triangular: [0.1, 0.2, 0.3]}", "settings: {kappa: 0.5}\n"));
  CompiledJourneys journeys;
  journeys.paths = {"current.yaml", "future.yaml"};
  journeys.scenarios = {current, future};
  journeys.journeys = {compile(current), compile(future)};
  const auto json_of = [&](unsigned threads) {
    const UncertainCompareOutcome c = compare_journeys_with_draws(
        journeys, small(40000, threads), "conversion_rate", {.draws = 8}, Context{});
    nlohmann::json out = comparison_json(*c.central.report);
    add_comparison_uncertainty_json(out, *c.central.report, *c.uncertainty);
    out.erase("seconds");
    for (nlohmann::json& s : out["scenarios"]) s.erase("seconds");
    return out["uncertainty"].dump() + out["differences"].dump() + out["scenarios"].dump();
  };
  const std::string one = json_of(1);
  EXPECT_EQ(one, json_of(2));
  EXPECT_NE(one.find("probability_beats_current"), std::string::npos);
}

TEST(UncertainRuns, ACompareShowsTheGainItsOddsAndTheInputBehindIt) {
  const Scenario current = parse(chain("{triangular: [0.2, 0.3, 0.5]}"));
  // The future state halves the form's dropout, whatever it is: the same quantile each draw.
  const Scenario future = parse(chain("{triangular: [0.1, 0.15, 0.25]}"));
  CompiledJourneys journeys;
  journeys.paths = {"current.yaml", "future.yaml"};
  journeys.scenarios = {current, future};
  journeys.journeys = {compile(current), compile(future)};
  const UncertainCompareOutcome c = compare_journeys_with_draws(
      journeys, small(20000), "conversion_rate", {.draws = 16}, Context{});
  ASSERT_TRUE(c.uncertainty && c.central.report);
  nlohmann::json out = comparison_json(*c.central.report);
  add_comparison_uncertainty_json(out, *c.central.report, *c.uncertainty);
  const nlohmann::json& state = out["uncertainty"]["future_states"][0];
  EXPECT_EQ(state["probability_beats_current"], 1.0);
  EXPECT_GT(state["gain_uncertainty"][1].get<double>(), state["gain_uncertainty"][0].get<double>());
  EXPECT_TRUE(out["differences"][0].contains("probability_better"));
  EXPECT_TRUE(out["scenarios"][0].contains("conversion_rate_uncertainty"));
  const std::string text = comparison_uncertainty_text(*c.central.report, *c.uncertainty);
  EXPECT_NE(text.find("probability it beats Chain (current.yaml): 100%"), std::string::npos)
      << text;
  EXPECT_NE(text.find("the dropout at form explains"), std::string::npos) << text;
}

// Total effects: the conversion rate of the Markov chain is (1 - a)(1 - d) with the ad's
// dropout a and the form's d each uniform on [0.1, 0.5], so U = 1 - a and V = 1 - d are
// uniform on [0.5, 0.9] (mean 0.7, variance 0.04 / 3): the product's variance is
// E[U^2] E[V^2] - 0.7^4 = 0.013244, each input's first-order share 0.49 (0.04 / 3) / that =
// 0.4933, and its total share adds the interaction Var U Var V: 0.5067. The pick-freeze draws
// (64 more per input) estimate it within four of their errors (simulation noise adds a share
// of about 0.001).
TEST(UncertainRuns, TotalEffectsOfAProductFollowTheirClosedForm) {
  std::string text = chain("{uniform: [0.1, 0.5]}");
  const std::string fixed = "entry_weight: 1, dropout: 0.1}";
  text.replace(text.find(fixed), fixed.size(), "entry_weight: 1, dropout: {uniform: [0.1, 0.5]}}");
  const Scenario s = parse(text);
  const UncertainRunOutcome drawn = run_journey_with_draws(
      s, "test.yaml", small(20000), {.draws = 64, .total_effects = true}, Context{});
  ASSERT_TRUE(drawn.uncertainty);
  const UncertaintyReport& u = *drawn.uncertainty;
  ASSERT_EQ(u.frozen.size(), 2u);
  EXPECT_EQ(u.frozen[0].size(), 64u);
  EXPECT_EQ(u.second_quantiles.size(), 64u);
  ASSERT_EQ(u.sensitivity.size(), 1u);
  for (const SensitivityIndex& i : u.sensitivity[0].result.ranked) {
    EXPECT_NEAR(i.total, 0.5067, 4 * i.total_error + 0.002) << u.inputs[i.input].path;
    EXPECT_LT(i.total_error, 0.15);
  }
  nlohmann::json out = summary_json(*drawn.central.summary, 0.0);
  add_run_uncertainty_json(out, u);
  const nlohmann::json& top = out["uncertainty"]["sensitivity"][0]["ranked"][0];
  EXPECT_TRUE(top["total"].is_number());
  EXPECT_EQ(top["total_ci"].size(), 2u);
  EXPECT_EQ(out["uncertainty"]["runs"], 64u * 3);
  const std::string words = run_uncertainty_text(*drawn.central.summary, u);
  EXPECT_NE(words.find("with what it does together with the others"), std::string::npos) << words;
  EXPECT_NE(words.find("Jansen's pick-freeze"), std::string::npos) << words;
  // Without --total-effects: no pick-freeze draws, no totals in JSON.
  const UncertainRunOutcome plain =
      run_journey_with_draws(s, "test.yaml", small(20000), {.draws = 64}, Context{});
  EXPECT_TRUE(plain.uncertainty->frozen.empty());
  nlohmann::json without = summary_json(*plain.central.summary, 0.0);
  add_run_uncertainty_json(without, *plain.uncertainty);
  EXPECT_FALSE(without["uncertainty"]["sensitivity"][0]["ranked"][0].contains("total"));
  // The first-order indices are the same with or without the pick-freeze draws.
  EXPECT_EQ(without["uncertainty"]["sensitivity"][0]["ranked"][0]["first_order"],
            top["first_order"]);
}

TEST(UncertainRuns, DrawsNeedAnUncertainInput) {
  const Scenario plain = parse(chain("0.3"));
  try {
    run_journey_with_draws(plain, "test.yaml", small(1000), {.draws = 8}, Context{});
    FAIL() << "no error";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("--draws needs uncertain inputs"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace cjsim
