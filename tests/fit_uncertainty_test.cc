// The fitted parameters written with their uncertainty (models/fit/parameter_uncertainty.h):
// the forms a hand-counted log gives, the same seed writing the same file, and coverage: over
// repeated fits of data simulated from a known journey, the draws' 95% interval of the
// conversion rate covers the true rate at about its nominal rate.
#include "models/fit/parameter_uncertainty.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "models/fit/simulated_journeys.h"
#include "models/observed/observed_reader.h"
#include "scenarios/uncertain.h"
#include "scenarios/writer.h"
#include "sim/api/uncertainty.h"
#include "sim/engine/engine.h"
#include "sim/engine/statistics.h"
#include "sim/engine/uncertainty.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/markov.h"
#include "uncertain_journeys.h"
#include "tests/observed_fixtures.h"

namespace cjsim {
namespace {

using testing_uncertain::parse;

UncertainValue form(UncertainValue::Form f, std::vector<double> parameters) {
  UncertainValue u;
  u.form = f;
  u.parameters = std::move(parameters);
  return u;
}

FitUncertainty method(FitUncertaintyMethod m, std::uint32_t resamples = 200) {
  FitUncertainty u;
  u.method = m;
  u.resamples = resamples;
  return u;
}

TEST(FitUncertainty, TextNamesTheMethodAndRefusesTheRest) {
  EXPECT_EQ(fit_uncertainty_from_text("none").method, FitUncertaintyMethod::none);
  EXPECT_EQ(fit_uncertainty_from_text("standard-errors").method,
            FitUncertaintyMethod::standard_errors);
  EXPECT_EQ(fit_uncertainty_from_text("bootstrap").resamples, 200u);
  EXPECT_EQ(fit_uncertainty_from_text("bootstrap:50").resamples, 50u);
  for (const char* bad : {"bootstrap:1", "bootstrap:x", "bootstrap50", "se", "bootstrap:"}) {
    EXPECT_THROW(fit_uncertainty_from_text(bad), std::invalid_argument) << bad;
  }
}

// tiny_events.csv: c1 ad > product > checkout, c2 ad > product, c3 search > product >
// checkout, c4 ad. Standard errors: a dropout of s stops in v visits is Beta(s, v - s), its
// mean the estimate to the bit; weights and entry weights of n are normal [n, sqrt(n)].
TEST(FitUncertainty, StandardErrorsOfTheChainAreItsCountsForms) {
  MarkovFit fit = fit_markov(testing::observed_data("tiny_events.csv"));
  const double ad_dropout = testing::touchpoint_of(fit.scenario, "ad").dropout;
  const std::size_t written = add_markov_uncertainty(
      fit, testing::observed_data("tiny_events.csv"),
      method(FitUncertaintyMethod::standard_errors), 1);
  const Scenario& s = fit.scenario;
  const Touchpoint& ad = testing::touchpoint_of(s, "ad");
  ASSERT_TRUE(ad.uncertain.contains("dropout"));
  EXPECT_EQ(ad.uncertain.at("dropout"), form(UncertainValue::Form::beta, {1.0, 2.0}));
  EXPECT_EQ(uncertain_mean(ad.uncertain.at("dropout")), ad_dropout);
  EXPECT_EQ(ad.uncertain.at("entry_weight"),
            form(UncertainValue::Form::normal, {3.0, std::sqrt(3.0)}));
  // search: nobody dropped there (dropout 0, known); product's only way out is checkout.
  EXPECT_FALSE(testing::touchpoint_of(s, "search").uncertain.contains("dropout"));
  for (const Transition& t : s.transitions) {
    EXPECT_TRUE(t.uncertain.empty()) << t.from << " -> " << t.to;
  }
  // The exponential duration after ad, from its 2 timed gaps (1 h and 3 h): mean 2, standard
  // error 2 / sqrt(2); search has one gap only, so stays known.
  EXPECT_EQ(ad.uncertain.at("duration.exponential"),
            form(UncertainValue::Form::normal, {2.0, 2.0 / std::sqrt(2.0)}));
  EXPECT_FALSE(testing::touchpoint_of(s, "search").uncertain.contains("duration.exponential"));
  // ad and product dropouts and durations, ad and search entry weights.
  EXPECT_EQ(written, 6u);
  // Written and read back, the forms are the file's, and its means the plain fit's.
  const Scenario back = parse(scenario_yaml(s));
  EXPECT_EQ(testing::touchpoint_of(back, "ad").uncertain.at("dropout"), ad.uncertain.at("dropout"));
  EXPECT_EQ(testing::touchpoint_of(back, "ad").dropout, ad_dropout);
  EXPECT_EQ(uncertain_inputs(back).size(), 6u);
}

// The journey the data come from: a kappa-0 chain with a choice at each step.
const char* kTruth =
    "name: Truth\nstages: [s]\n"
    "touchpoints:\n"
    "  - {id: a, stage: s, channel: web, entry_weight: 3, dropout: 0.3}\n"
    "  - {id: b, stage: s, channel: app, entry_weight: 1, dropout: 0.2}\n"
    "  - {id: c, stage: s, channel: web, conversion: {value: 10}}\n"
    "transitions:\n"
    "  - {from: a, to: b, weight: 2}\n"
    "  - {from: a, to: c, weight: 1}\n"
    "  - {from: b, to: a, weight: 1}\n"
    "  - {from: b, to: c, weight: 2}\n";

ObservedJourneys simulated_data(const CompiledJourney& truth, std::uint64_t customers,
                                std::uint64_t seed) {
  RunOptions options;
  options.agents = customers;
  options.seed = seed;
  options.threads = 1;
  options.agent_paths = true;
  const RunResult result = run(truth, options);
  return observed_from_simulation(truth, *result.detail);
}

// The draws' 95% interval of the fitted journey's conversion rate (its closed form per draw),
// as `run --draws K` draws the file the fit writes.
DrawInterval conversion_interval(const ObservedJourneys& data, const FitUncertainty& u,
                                 std::uint64_t seed, std::uint32_t draws) {
  MarkovFit fit = fit_markov(data);
  add_markov_uncertainty(fit, data, u, seed);
  const Scenario fitted = parse(scenario_yaml(fit.scenario));
  const UncertaintyDesign design = uncertainty_design({&fitted}, {.draws = draws}, seed);
  std::vector<double> rates;
  for (std::size_t k = 0; k < draws; ++k) {
    rates.push_back(
        analyse_markov(compile(drawn_scenario(fitted, design, k))).conversion_probability);
  }
  return interval_over_draws(rates);
}

// Coverage over R = 100 fits of 300 simulated customers each. Under nominal coverage the
// count covered is Binomial(100, 0.95): mean 95, sd 2.2; P(at most 87) = 0.1% and P(100) =
// 0.6%, so [88, 99] holds it with probability 0.993. Intervals that ignored the parameters'
// uncertainty would cover almost never (a fit's rate is a point); intervals several times too
// wide would cover every time.
void expect_nominal_coverage(FitUncertaintyMethod m) {
  const Scenario truth_scenario = parse(kTruth);
  const CompiledJourney truth = compile(truth_scenario);
  const double true_rate = analyse_markov(truth).conversion_probability;
  constexpr int kRepetitions = 100;
  int covered = 0;
  double width = 0.0;
  for (int r = 0; r < kRepetitions; ++r) {
    const ObservedJourneys data = simulated_data(truth, 300, 1000 + r);
    const DrawInterval i = conversion_interval(data, method(m), 7 + r, 200);
    if (i.low <= true_rate && true_rate <= i.high) ++covered;
    width += (i.high - i.low) / kRepetitions;
  }
  ::testing::Test::RecordProperty("covered", covered);
  ::testing::Test::RecordProperty("mean_width", std::to_string(width));
  EXPECT_GE(covered, 88) << "mean width " << width;
  EXPECT_LE(covered, 99) << "mean width " << width;
  // The binomial standard error of a rate near 0.6 from 300 customers is 0.028: a 95%
  // interval about 0.11 wide (the chain's rate is not a plain proportion, but close).
  EXPECT_GT(width, 0.07);
  EXPECT_LT(width, 0.16);
}

TEST(FitUncertainty, StandardErrorIntervalsCoverTheTrueConversionRateAtTheirNominalRate) {
  expect_nominal_coverage(FitUncertaintyMethod::standard_errors);
}

TEST(FitUncertainty, BootstrapIntervalsCoverTheTrueConversionRateAtTheirNominalRate) {
  expect_nominal_coverage(FitUncertaintyMethod::bootstrap);
}

// An emotion fit's standard errors: a dropout's beta has the estimate's mean and standard
// error; a relative weight's normal is in the units of the weight it is relative to; an
// unidentified parameter stays known.
TEST(FitUncertainty, EmotionFitStandardErrorsBecomeMomentMatchedForms) {
  EmotionFit fit;
  fit.scenario = parse(kTruth);
  auto parameter = [](FitParameterKind kind, std::uint32_t index, double se, bool identified) {
    FittedParameter p;
    p.kind = kind;
    p.index = index;
    p.standard_error = se;
    p.identifiable = identified;
    return p;
  };
  fit.parameters = {parameter(FitParameterKind::dropout, 0, 0.05, true),
                    parameter(FitParameterKind::emotion_mean, 1, 0.1, true),
                    parameter(FitParameterKind::transition_weight, 1, 0.2, true),
                    parameter(FitParameterKind::dropout, 1, kNaN, false)};
  EXPECT_EQ(add_emotion_uncertainty(fit), 3u);
  const Scenario& s = fit.scenario;
  const UncertainValue& dropout = testing::touchpoint_of(s, "a").uncertain.at("dropout");
  ASSERT_EQ(dropout.form, UncertainValue::Form::beta);
  const double a = dropout.parameters[0], b = dropout.parameters[1];
  EXPECT_NEAR(a / (a + b), 0.3, 1e-12);
  EXPECT_NEAR(std::sqrt(a * b / ((a + b) * (a + b) * (a + b + 1))), 0.05, 1e-12);
  EXPECT_EQ(testing::touchpoint_of(s, "a").dropout, uncertain_mean(dropout));
  EXPECT_EQ(testing::touchpoint_of(s, "b").uncertain.at("emotion.mean"),
            form(UncertainValue::Form::normal, {0.0, 0.1}));
  // a -> c (weight 1) relative to a -> b (weight 2): sd 0.2 x 2.
  EXPECT_EQ(s.transitions[1].uncertain.at("weight"),
            form(UncertainValue::Form::normal, {1.0, 0.4}));
  EXPECT_FALSE(testing::touchpoint_of(s, "b").uncertain.contains("dropout"));
  // The scenario with its forms is valid, and draws run.
  const Scenario back = parse(scenario_yaml(s));
  EXPECT_EQ(uncertain_inputs(back).size(), 3u);
}

TEST(FitUncertainty, SameSeedWritesTheSameBootstrapAndAnotherSeedAnother) {
  const ObservedJourneys data = simulated_data(compile(parse(kTruth)), 300, 5);
  const auto written = [&](std::uint64_t seed) {
    MarkovFit fit = fit_markov(data);
    add_markov_uncertainty(fit, data, method(FitUncertaintyMethod::bootstrap, 50), seed);
    return scenario_yaml(fit.scenario);
  };
  EXPECT_EQ(written(3), written(3));
  EXPECT_NE(written(3), written(4));
  EXPECT_NE(written(3).find("{beta: ["), std::string::npos);
  EXPECT_NE(written(3).find("{normal: ["), std::string::npos);
}

}  // namespace
}  // namespace cjsim
