// The Markov fit: the maximum-likelihood chain of a hand-computable event log, to the last
// digit; its closed forms give back the data; the scenario written loads back the same.
#include "models/fit/markov_fit.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <random>
#include <sstream>

#include "models/fit/goodness_of_fit.h"
#include "models/fit/simulated_journeys.h"
#include "models/observed/event_log.h"
#include "models/observed/observed_reader.h"
#include "scenarios/diff.h"
#include "scenarios/loader.h"
#include "scenarios/validate.h"
#include "scenarios/writer.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/markov.h"
#include "tests/observed_fixtures.h"

namespace cjsim {
namespace {

double weight(const Scenario& s, const std::string& from, const std::string& to) {
  for (const Transition& t : s.transitions) {
    if (t.from == from && t.to == to) return t.weight;
  }
  return 0.0;
}

// tiny_events.csv: c1 ad > product > checkout (50), c2 ad > product, c3 search > product >
// checkout (70), c4 ad.
TEST(MarkovFit, TinyEventLogGivesTheHandCountedChain) {
  const MarkovFit fit = fit_markov(testing::observed_data("tiny_events.csv"));
  const Scenario& s = fit.scenario;
  EXPECT_EQ(s.stages, (std::vector<std::string>{"awareness", "consideration", "purchase"}));
  ASSERT_EQ(s.touchpoints.size(), 4u);
  EXPECT_EQ(testing::touchpoint_of(s, "ad").entry_weight, 3.0);
  EXPECT_EQ(testing::touchpoint_of(s, "search").entry_weight, 1.0);
  EXPECT_EQ(testing::touchpoint_of(s, "product").entry_weight, 0.0);
  EXPECT_EQ(testing::touchpoint_of(s, "ad").dropout, 1.0 / 3.0);
  EXPECT_EQ(testing::touchpoint_of(s, "product").dropout, 1.0 / 3.0);
  EXPECT_EQ(testing::touchpoint_of(s, "search").dropout, 0.0);
  EXPECT_EQ(testing::touchpoint_of(s, "checkout").dropout, 0.0);  // no one leaves it: terminal
  EXPECT_TRUE(testing::touchpoint_of(s, "checkout").conversion);
  EXPECT_EQ(testing::touchpoint_of(s, "checkout").value, 60.0);
  EXPECT_FALSE(testing::touchpoint_of(s, "product").conversion);
  EXPECT_EQ(weight(s, "ad", "product"), 2.0);
  EXPECT_EQ(weight(s, "search", "product"), 1.0);
  EXPECT_EQ(weight(s, "product", "checkout"), 2.0);
  EXPECT_EQ(s.transitions.size(), 3u);
  // Mean hours to the next visit, as exponential durations.
  EXPECT_EQ(testing::touchpoint_of(s, "ad").duration.kind, Duration::Kind::exponential);
  EXPECT_EQ(testing::touchpoint_of(s, "ad").duration.hours, 2.0);
  EXPECT_EQ(testing::touchpoint_of(s, "product").duration.hours, 1.5);
  EXPECT_EQ(testing::touchpoint_of(s, "search").duration.hours, 0.5);
  EXPECT_EQ(testing::touchpoint_of(s, "checkout").duration.kind, Duration::Kind::fixed);
  EXPECT_EQ(testing::touchpoint_of(s, "ad").channel, "social");
  EXPECT_EQ(testing::touchpoint_of(s, "product").stage, "consideration");
  EXPECT_EQ(s.settings.kappa, 0.0);
  ASSERT_EQ(s.personas.size(), 1u);
}

ObservedReadOptions si05_columns() {
  ObservedReadOptions options;
  options.events.customer = "customer_id";
  options.events.timestamp = "time";
  options.events.touchpoint = "channel";
  options.events.value = "conversion_value";
  options.events.converted = "conversion";
  return options;
}

// si05_head.csv has customers who go on after converting, and convert again: the fit's
// conversion touchpoints are still reached at most once.
TEST(MarkovFit, ClosedFormsOfTheFitGiveBackTheDataConversionRateAndVisits) {
  for (const char* name :
       {"tiny_events.csv", "tiny_paths.csv", "pathdata_head.csv", "si05_head.csv"}) {
    const ObservedJourneys data =
        testing::observed_data(name, std::string(name) == "si05_head.csv" ? si05_columns()
                                                                          : ObservedReadOptions{});
    const MarkovFit fit = fit_markov(data);
    const ObservedJourneys in_terms = in_fitted_terms(data, fit);
    std::vector<double> visits(in_terms.touchpoints.size(), 0.0);
    double converted = 0.0;
    const double customers = static_cast<double>(data.customers());
    for (const ObservedPath& p : in_terms.paths) {
      for (std::uint32_t t : p.touchpoints) visits[t] += static_cast<double>(p.count) / customers;
      if (p.conversion_step >= 0) converted += static_cast<double>(p.count) / customers;
    }
    const MarkovAnalysis closed = analyse_markov(compile(fit.scenario));
    EXPECT_NEAR(closed.conversion_probability, converted, 1e-14) << name;
    for (std::size_t v = 0; v < visits.size(); ++v) {
      EXPECT_NEAR(closed.expected_visits[v], visits[v], 1e-13 * std::max(1.0, visits[v]))
          << name << " " << in_terms.touchpoints[v];
    }
  }
}

TEST(MarkovFit, ATouchpointWhereSomeConvertAndOthersPassBecomesTwo) {
  std::istringstream in(
      "customer,timestamp,touchpoint,value\n"
      "a,1,web,\na,2,store,30\n"
      "b,1,store,\nb,2,web,\nb,3,store,10\n"
      "c,1,store,\n");
  Diagnostics d;
  const auto data = read_event_log(in, "mixed.csv", {}, d);
  ASSERT_TRUE(data) << d.to_string();
  const MarkovFit fit = fit_markov(*data);
  const Scenario& s = fit.scenario;
  EXPECT_FALSE(testing::touchpoint_of(s, "store").conversion);
  EXPECT_TRUE(testing::touchpoint_of(s, "store-converted").conversion);
  EXPECT_EQ(testing::touchpoint_of(s, "store-converted").value, 20.0);
  EXPECT_EQ(testing::touchpoint_of(s, "store-converted").name, "store (converted)");
  EXPECT_EQ(weight(s, "web", "store-converted"), 2.0);
  EXPECT_EQ(weight(s, "store", "web"), 1.0);
  EXPECT_EQ(testing::touchpoint_of(s, "store").dropout, 0.5);
  const MarkovAnalysis closed = analyse_markov(compile(s));
  EXPECT_NEAR(closed.conversion_probability, 2.0 / 3.0, 1e-15);
}

TEST(MarkovFit, VisitsAfterTheConversionGoToTheirOwnTouchpoints) {
  std::istringstream in(
      "customer,timestamp,touchpoint,value\n"
      "a,1,web,\na,2,shop,30\na,3,web,\na,4,support,\n"
      "b,1,web,\nb,2,shop,10\nb,3,shop,5\n"
      "c,1,web,\n");
  Diagnostics d;
  const auto data = read_event_log(in, "after.csv", {}, d);
  ASSERT_TRUE(data) << d.to_string();
  const Scenario s = fit_markov(*data).scenario;
  EXPECT_TRUE(testing::touchpoint_of(s, "shop").conversion);
  EXPECT_EQ(testing::touchpoint_of(s, "shop").value, 20.0);  // the first conversions' values
  EXPECT_FALSE(testing::touchpoint_of(s, "shop-after").conversion);
  EXPECT_EQ(testing::touchpoint_of(s, "web-after").name, "web (after converting)");
  EXPECT_EQ(testing::touchpoint_of(s, "support").name, "support");
  EXPECT_EQ(weight(s, "shop", "web-after"), 1.0);
  EXPECT_EQ(weight(s, "shop", "shop-after"), 1.0);
  EXPECT_EQ(weight(s, "web-after", "support"), 1.0);
  EXPECT_EQ(weight(s, "shop", "web"), 0.0);
  EXPECT_NEAR(analyse_markov(compile(s)).conversion_probability, 2.0 / 3.0, 1e-15);
}

TEST(MarkovFit, StagesComeFromTheSkeletonWhenTheDataNameNone) {
  std::istringstream in(
      "customer,timestamp,touchpoint,value\n"
      "a,1,ad,\na,2,product,\na,3,checkout,5\nb,1,ad,\n");
  Diagnostics d;
  const auto data = read_event_log(in, "plain.csv", {}, d);
  ASSERT_TRUE(data) << d.to_string();
  Scenario skeleton;
  skeleton.stages = {"awareness", "consideration", "purchase", "loyalty"};
  for (const auto& [id, stage] :
       {std::pair{"ad", "awareness"}, std::pair{"product", "consideration"},
        std::pair{"checkout", "purchase"}}) {
    Touchpoint t;
    t.id = id;
    t.stage = stage;
    skeleton.touchpoints.push_back(t);
  }
  MarkovFitOptions options;
  options.skeleton = &skeleton;
  const Scenario s = fit_markov(*data, options).scenario;
  EXPECT_EQ(s.stages, skeleton.stages);
  EXPECT_EQ(testing::touchpoint_of(s, "product").stage, "consideration");
  EXPECT_EQ(testing::touchpoint_of(s, "checkout").stage, "purchase");
  EXPECT_NE(s.description.find("skeleton"), std::string::npos);
  // Without it, one stage, and the description says so.
  const Scenario alone = fit_markov(*data).scenario;
  EXPECT_EQ(alone.stages, (std::vector<std::string>{"journey"}));
  EXPECT_NE(alone.description.find("name no stage"), std::string::npos);
}

TEST(MarkovFit, EveryFittedJourneyValidatesEvenAtTheEdges) {
  // Visits at one instant (no time to give an exponential), a data stage called 'journey'
  // beside unstaged touchpoints.
  std::istringstream in(
      "customer,timestamp,touchpoint,stage,value\n"
      "a,5,ad,journey,\na,5,shop,,3\nb,5,ad,journey,\n");
  Diagnostics d;
  const auto data = read_event_log(in, "edges.csv", {}, d);
  ASSERT_TRUE(data) << d.to_string();
  const Scenario s = fit_markov(*data).scenario;
  EXPECT_EQ(testing::touchpoint_of(s, "ad").duration.kind, Duration::Kind::fixed);
  EXPECT_EQ(s.stages, (std::vector<std::string>{"journey"}));
  validate_scenario(s, d);
  EXPECT_FALSE(d.has_errors()) << d.to_string();
}

TEST(MarkovFit, MoreStagesThanAJourneyHoldsIsAClearError) {
  std::string text = "customer,timestamp,touchpoint,stage,value\n";
  for (int k = 0; k < 70; ++k) text += fmt::format("c{0},1,t{0},s{0},1\n", k);
  std::istringstream in(text);
  Diagnostics d;
  const auto data = read_event_log(in, "stages.csv", {}, d);
  ASSERT_TRUE(data) << d.to_string();
  try {
    fit_markov(*data);
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("70 stages; a journey has at most 64"), std::string::npos)
        << e.what();
  }
}

TEST(MarkovFit, NoConversionInTheDataIsAClearError) {
  // It names the option that marks conversions, and the touchpoints that end the most
  // journeys (an XES log has no conversion column to blame).
  std::istringstream in(
      "customer,timestamp,touchpoint\na,1,web\na,2,pay\nb,1,web\nb,2,pay\nc,1,web\n");
  Diagnostics d;
  const auto data = read_event_log(in, "none.csv", {}, d);
  ASSERT_TRUE(data);
  try {
    fit_markov(*data);
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("no customer in the data converted"), std::string::npos);
    EXPECT_NE(what.find("--conversion-touchpoint NAME"), std::string::npos) << what;
    EXPECT_NE(what.find("'pay' (2 journeys), 'web' (1 journey)"), std::string::npos) << what;
  }
}

TEST(ScenarioWriter, FittedAndExampleJourneysLoadBackEqualAndValid) {
  std::vector<Scenario> scenarios;
  scenarios.push_back(fit_markov(testing::observed_data("tiny_events.csv")).scenario);
  scenarios.push_back(fit_markov(testing::observed_data("pathdata_head.csv")).scenario);
  for (const char* example : {"/scenarios/examples/retail.yaml", "/scenarios/examples/airline.yaml",
                              "/tests/data/tiny.yaml"}) {
    Diagnostics d;
    auto s = load_valid_scenario(std::string(CJSIM_SOURCE_DIR) + example, d);
    ASSERT_TRUE(s) << d.to_string();
    scenarios.push_back(*s);
  }
  for (const Scenario& s : scenarios) {
    const std::string yaml = scenario_yaml(s);
    Diagnostics d;
    auto back = parse_scenario(yaml, "written.yaml", d);
    ASSERT_TRUE(back) << d.to_string() << yaml;
    validate_scenario(*back, d);
    EXPECT_FALSE(d.has_errors()) << d.to_string();
    EXPECT_TRUE(diff_scenarios(s, *back).empty()) << s.name << "\n" << yaml;
    EXPECT_EQ(back->name, s.name);
    EXPECT_EQ(back->description, s.description);
    EXPECT_EQ(back->stages, s.stages);
    ASSERT_EQ(back->touchpoints.size(), s.touchpoints.size());
    for (std::size_t k = 0; k < s.touchpoints.size(); ++k) {
      EXPECT_EQ(back->touchpoints[k].dropout, s.touchpoints[k].dropout);  // to the bit
      EXPECT_EQ(back->touchpoints[k].name, s.touchpoints[k].name);
    }
  }
}

TEST(GoodnessOfFit, AJourneyFittedToItsOwnSimulationReproducesItsPaths) {
  const MarkovFit fit = fit_markov(testing::observed_data("tiny_events.csv"));
  const CompiledJourney journey = compile(fit.scenario);
  RunOptions options;
  options.agents = 20000;
  options.threads = 2;
  options.agent_paths = true;
  const RunResult result = run(journey, options);
  const ObservedJourneys simulated = observed_from_simulation(journey, *result.detail);
  const ObservedJourneys observed = in_fitted_terms(testing::observed_data("tiny_events.csv"), fit);
  const GoodnessOfFit g = goodness_of_fit(observed, simulated, fit.scenario.stages, 5);
  EXPECT_EQ(g.observed_customers, 4u);
  EXPECT_EQ(g.simulated_customers, 20000u);
  EXPECT_EQ(g.observed_conversion.value, 0.5);
  // The chain's conversion probability is the data's, 1/2: the simulated rate agrees within
  // 4 standard errors.
  EXPECT_NEAR(g.simulated_conversion.value, 0.5, 4 * std::sqrt(0.25 / 20000));
  EXPECT_LT(g.path_length_distance, 0.02);
  // Four customers on four distinct paths, against the chain's many: some distance, below 1.
  EXPECT_GT(g.variant_distance.distance, 0.0);
  EXPECT_LT(g.variant_distance.distance, 1.0);
  EXPECT_EQ(g.variant_distance.observed_variants, 4u);
  ASSERT_EQ(g.stage_reach.labels.size(), 3u);
  EXPECT_EQ(g.stage_reach.observed[0], 1.0);
  EXPECT_EQ(g.stage_reach.observed[2], 0.5);
  EXPECT_EQ(g.top_paths.labels.size(), 4u);
}

// Paths of `lengths` touchpoints (one customer each), all of touchpoint "a".
ObservedJourneys paths_of_lengths(const std::vector<std::size_t>& lengths) {
  ObservedJourneys j;
  j.touchpoints = {"a"};
  j.channels = {""};
  j.stages = {""};
  for (const std::size_t n : lengths) {
    ObservedPath p;
    p.touchpoints.assign(n, 0);
    j.paths.push_back(p);
  }
  return j;
}

// Long paths (a process log's run to hundreds of events) get rows of their own, not one "10+",
// and the distance is over the lengths themselves: 11 against 12 is as far apart as 1 against 2.
TEST(GoodnessOfFit, LongPathsHaveRowsUpToTheLongestAndTheDistanceSeesEveryLength) {
  const ObservedJourneys observed = paths_of_lengths({3, 11, 11, 120});
  const ObservedJourneys simulated = paths_of_lengths({3, 12, 12, 120});
  const GoodnessOfFit g = goodness_of_fit(observed, simulated, {}, 5);
  const std::vector<std::string> rows = {"1",     "2",     "3",     "4",     "5",
                                         "6",     "7",     "8",     "9",     "10-14",
                                         "15-19", "20-29", "30-49", "50-99", "100+"};
  EXPECT_EQ(g.path_length.labels, rows);
  EXPECT_EQ(g.path_length.observed[2], 0.25);
  EXPECT_EQ(g.path_length.observed[9], 0.5);
  EXPECT_EQ(g.path_length.simulated[9], 0.5);
  EXPECT_EQ(g.path_length.observed[14], 0.25);
  EXPECT_EQ(g.path_length_distance, 0.5);
  // Whole paths: half the customers move from 11 visits to 12, one edit in 12.
  EXPECT_NEAR(g.variant_distance.distance, 0.5 / 12, 1e-9);
  EXPECT_EQ(g.variant_distance.observed_variants, 3u);
  EXPECT_EQ(g.variant_distance.simulated_variants, 3u);
  EXPECT_EQ(g.variant_distance.pooled_observed, 0.0);
  // Top paths are whole, however long.
  ASSERT_EQ(g.top_paths.labels.size(), 3u);
  EXPECT_EQ(g.top_paths.labels[0].size(), 11 * 1 + 10 * 3);  // "a > a > ... > a"

  // Rows stop at the one holding the longest path of either side.
  const GoodnessOfFit short_paths =
      goodness_of_fit(paths_of_lengths({2, 4}), paths_of_lengths({2, 16}), {}, 5);
  EXPECT_EQ(short_paths.path_length.labels.back(), "15-19");
  EXPECT_EQ(short_paths.path_length_distance, 0.5);
}

TEST(GoodnessOfFit, HoldoutSplitKeepsEveryCustomerOnceAndIsReproducible) {
  const ObservedJourneys data = testing::observed_data("pathdata_head.csv");
  const auto [kept, held] = split_holdout(data, 0.2, 7);
  EXPECT_EQ(kept.customers() + held.customers(), data.customers());
  const double share =
      static_cast<double>(held.customers()) / static_cast<double>(data.customers());
  EXPECT_NEAR(share, 0.2, 4 * std::sqrt(0.16 / static_cast<double>(data.customers())));
  const auto [kept2, held2] = split_holdout(data, 0.2, 7);
  EXPECT_EQ(held2.customers(), held.customers());
  double value = 0.0, value_kept = 0.0;
  for (const ObservedPath& p : data.paths) value += p.value;
  for (const ObservedPath& p : kept.paths) value_kept += p.value;
  for (const ObservedPath& p : held.paths) value_kept += p.value;
  EXPECT_NEAR(value_kept, value, 1e-9 * value);
}

}  // namespace
}  // namespace cjsim

namespace cjsim {
namespace {

// Gaps after a drawn from a lognormal (median 2 h, sigma 0.8), after c from an exponential
// (mean 3 h), after d always 1.5 h; every path ends converting at b.
ObservedJourneys timed_paths(std::size_t per_touchpoint) {
  ObservedJourneys data;
  data.source = "timed";
  data.touchpoints = {"a", "b", "c", "d"};
  data.channels = {"web", "web", "web", "web"};
  data.stages = {"", "", "", ""};
  std::mt19937_64 stream(17);
  std::lognormal_distribution<double> lognormal(std::log(2.0), 0.8);
  std::exponential_distribution<double> exponential(1.0 / 3.0);
  for (std::size_t k = 0; k < per_touchpoint; ++k) {
    for (const auto& [entry, gap] : {std::pair<std::uint32_t, double>{0, lognormal(stream)},
                                     std::pair<std::uint32_t, double>{2, exponential(stream)},
                                     std::pair<std::uint32_t, double>{3, 1.5}}) {
      ObservedPath p;
      p.touchpoints = {entry, 1};
      p.hours = {0.0, gap};
      p.conversion_step = 1;
      data.paths.push_back(std::move(p));
    }
  }
  return data;
}

TEST(MarkovFit, BestDurationFamilyIsChosenByLikelihoodFromTheGaps) {
  const ObservedJourneys data = timed_paths(2000);
  MarkovFitOptions options;
  options.durations = DurationFamily::best;
  const MarkovFit fit = fit_markov(data, options);
  const Duration& a = testing::touchpoint_of(fit.scenario, "a").duration;
  ASSERT_EQ(a.kind, Duration::Kind::lognormal);
  // Standard errors of the log's mean and sd from 2,000 gaps: 0.018 and 0.013; 4 of each.
  EXPECT_NEAR(std::log(a.median), std::log(2.0), 4 * 0.8 / std::sqrt(2000.0));
  EXPECT_NEAR(a.sigma, 0.8, 4 * 0.8 / std::sqrt(4000.0));
  const Duration& c = testing::touchpoint_of(fit.scenario, "c").duration;
  ASSERT_EQ(c.kind, Duration::Kind::exponential);
  EXPECT_NEAR(c.hours, 3.0, 4 * 3.0 / std::sqrt(2000.0));
  const Duration& d = testing::touchpoint_of(fit.scenario, "d").duration;
  EXPECT_EQ(d.kind, Duration::Kind::fixed);
  EXPECT_EQ(d.hours, 1.5);
  EXPECT_EQ(fit.lognormal_durations, 1u);
  EXPECT_EQ(fit.exponential_durations, 1u);
  EXPECT_EQ(fit.fixed_durations, 1u);
  // The default stays the exponential of the mean gap everywhere, as before.
  const MarkovFit plain = fit_markov(data);
  EXPECT_EQ(testing::touchpoint_of(plain.scenario, "a").duration.kind, Duration::Kind::exponential);
  EXPECT_EQ(testing::touchpoint_of(plain.scenario, "d").duration.kind, Duration::Kind::exponential);
  EXPECT_EQ(plain.exponential_durations, 3u);
  // The chosen journey is written and read back as it is.
  Diagnostics d_back;
  const auto back = parse_scenario(scenario_yaml(fit.scenario), "fitted.yaml", d_back);
  ASSERT_TRUE(back) << d_back.to_string();
  validate_scenario(*back, d_back);
  EXPECT_FALSE(d_back.has_errors()) << d_back.to_string();
  EXPECT_EQ(testing::touchpoint_of(*back, "a").duration.kind, Duration::Kind::lognormal);
}

}  // namespace
}  // namespace cjsim
