// The emotion fit: the path likelihood is the engine's model exactly, parameters simulated
// from a known journey are recovered within their intervals at the nominal rate, and what the
// data cannot identify is reported as such.
#include "models/fit/emotion_fit.h"

#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "models/fit/simulated_journeys.h"
#include "sanitized.h"
#include "scenarios/validate.h"
#include "sim/engine/engine.h"

namespace cjsim {
namespace {

// Sanitizer builds run about ten times slower: they check the same properties on fewer
// datasets.
using testing::kSanitized;

Scenario load(const std::string& name) {
  Diagnostics diagnostics;
  auto scenario = load_valid_scenario(std::string(CJSIM_TEST_DATA) + "/fit/" + name, diagnostics);
  if (!scenario) throw std::runtime_error(diagnostics.to_string());
  return *scenario;
}

ObservedJourneys simulate(const Scenario& scenario, std::uint64_t agents, std::uint64_t seed) {
  const CompiledJourney journey = compile(scenario);
  RunOptions options;
  options.agents = agents;
  options.seed = seed;
  options.threads = 1;
  options.agent_paths = true;
  const RunResult result = run(journey, options);
  return observed_from_simulation(journey, *result.detail);
}

Scenario one_persona(Scenario scenario) {
  scenario.personas.resize(1);
  return scenario;
}

// Every path of an acyclic journey, by depth-first walk, each as its own observation.
void all_paths(const Scenario& s, std::vector<std::uint32_t>& prefix, ObservedJourneys& out) {
  const std::uint32_t v = prefix.back();
  bool terminal = true;
  ObservedPath path;
  path.touchpoints = prefix;
  for (const Transition& t : s.transitions) {
    if (t.from != s.touchpoints[v].id) continue;
    terminal = false;
    for (std::uint32_t w = 0; w < s.touchpoints.size(); ++w) {
      if (s.touchpoints[w].id != t.to) continue;
      prefix.push_back(w);
      all_paths(s, prefix, out);
      prefix.pop_back();
    }
  }
  // A non-terminal touchpoint ends the journey by dropping out there.
  if (!terminal && s.touchpoints[v].dropout == 0.0) return;
  out.paths.push_back(path);
}

Scenario acyclic() {
  Scenario s = load("two_personas.yaml");
  std::erase_if(s.transitions,
                [](const Transition& t) { return t.from == "reviews" && t.to == "product"; });
  return s;
}

TEST(EmotionFit, PathProbabilitiesOfAnAcyclicJourneySumToOne) {
  const Scenario s = acyclic();
  ObservedJourneys every;
  for (const Touchpoint& t : s.touchpoints) every.touchpoints.push_back(t.id);
  for (std::uint32_t v = 0; v < s.touchpoints.size(); ++v) {
    if (s.touchpoints[v].entry_weight <= 0.0) continue;
    std::vector<std::uint32_t> prefix{v};
    all_paths(s, prefix, every);
  }
  double total = 0.0;
  for (const ObservedPath& path : every.paths) {
    ObservedJourneys one = every;
    one.paths = {path};
    Diagnostics diagnostics;
    const auto ll = path_log_likelihood(s, one, diagnostics);
    ASSERT_TRUE(ll) << diagnostics.to_string();
    total += std::exp(*ll);
  }
  EXPECT_GT(every.paths.size(), 10u);
  EXPECT_NEAR(total, 1.0, 1e-12);
}

TEST(EmotionFit, LikelihoodAgreesWithTheEnginesPathFrequencies) {
  const Scenario s = load("two_personas.yaml");
  const ObservedJourneys data = simulate(s, 200000, 11);
  std::map<std::vector<std::uint32_t>, std::uint64_t> frequency;
  for (const ObservedPath& p : data.paths) ++frequency[p.touchpoints];
  int checked = 0;
  double chi_square = 0.0;
  for (const auto& [touchpoints, count] : frequency) {
    if (count < 200) continue;
    ObservedJourneys one = data;
    one.paths = {ObservedPath{}};
    one.paths[0].touchpoints = touchpoints;
    Diagnostics diagnostics;
    const auto ll = path_log_likelihood(s, one, diagnostics);
    ASSERT_TRUE(ll) << diagnostics.to_string();
    const double expected = 200000.0 * std::exp(*ll);
    chi_square += (count - expected) * (count - expected) / expected;
    ++checked;
  }
  ASSERT_GT(checked, 15);
  // Chi-square on `checked` degrees of freedom: mean k, sd sqrt(2k); 5 sd is far outside
  // chance, while a wrong step order or a missed persona effect moves it by thousands.
  EXPECT_LT(chi_square, checked + 5.0 * std::sqrt(2.0 * checked)) << checked << " paths";
}

// The optimiser and the information matrix use the analytic gradient: it must agree with
// central differences of the likelihood (to their own precision, about 1e-6 relative), for one
// persona and for two, with emotion driving both dropout and choice.
TEST(EmotionFit, AnalyticGradientMatchesCentralDifferences) {
  const Scenario s = load("two_personas.yaml");
  const ObservedJourneys data = simulate(s, 2000, 17);
  for (int personas : {1, 2}) {
    EmotionFitOptions options;
    options.personas = personas;
    options.estimate_kappa = true;
    EXPECT_LT(detail::gradient_check(s, data, options), 1e-4) << personas << " personas";
  }
}

// kappa 0 and every bias 0: each step's dropout and choice probabilities are then taken once
// per touchpoint (path_likelihood.h), and the gradient must still be the likelihood's.
Scenario emotion_steers_nothing(Scenario s) {
  s.settings.kappa = 0.0;
  for (Transition& t : s.transitions) t.emotion_bias = 0.0;
  return s;
}

TEST(EmotionFit, AnalyticGradientMatchesCentralDifferencesWhereEmotionSteersNothing) {
  const Scenario s = emotion_steers_nothing(load("two_personas.yaml"));
  const ObservedJourneys data = simulate(s, 2000, 17);
  for (int personas : {1, 2}) {
    EmotionFitOptions options;
    options.personas = personas;
    EXPECT_LT(detail::gradient_check(s, data, options), 1e-4) << personas << " personas";
  }
}

TEST(EmotionFit, TheFitDoesNotDependOnTheThreadCount) {
  for (const Scenario& s :
       {load("two_personas.yaml"), emotion_steers_nothing(load("two_personas.yaml"))}) {
    const ObservedJourneys data = simulate(s, 20000, 23);
    EmotionFitOptions options;
    options.personas = 2;
    options.starts = 1;
    std::vector<std::vector<double>> values;
    for (int threads : {1, 2, 4}) {
      const tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
      Diagnostics diagnostics;
      const auto fit = fit_emotion(s, data, options, diagnostics);
      ASSERT_TRUE(fit) << diagnostics.to_string();
      values.emplace_back();
      values.back().push_back(fit->log_likelihood);
      for (const FittedParameter& p : fit->parameters) {
        values.back().push_back(p.value);
        // NaN (no interval) compares unequal to itself: a stand-in keeps the check exact.
        values.back().push_back(std::isnan(p.standard_error) ? -1.0 : p.standard_error);
      }
    }
    EXPECT_EQ(values[0], values[1]) << s.settings.kappa;
    EXPECT_EQ(values[0], values[2]) << s.settings.kappa;
  }
}

TEST(EmotionFit, PathsTheSkeletonCannotProduceAreErrorsNamingThePath) {
  const Scenario s = load("two_personas.yaml");
  ObservedJourneys data;
  data.source = "paths.csv";
  data.touchpoints = {"ad", "checkout", "nowhere", "product"};
  data.paths.resize(3);
  data.paths[0].touchpoints = {0, 1};  // ad -> checkout: no such transition
  data.paths[1].touchpoints = {0, 2};  // an unknown touchpoint
  data.paths[2].touchpoints = {3};     // product has no entry weight
  Diagnostics diagnostics;
  EXPECT_FALSE(fit_emotion(s, data, {}, diagnostics));
  const std::string text = diagnostics.to_string();
  EXPECT_NE(text.find("paths.csv: error: path 1 (ad > checkout): the skeleton has no transition "
                      "from 'ad' to 'checkout'"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("touchpoint 'nowhere' of the data is not in the skeleton"), std::string::npos)
      << text;
  EXPECT_NE(text.find("path 3 (product): it starts at 'product', which has no entry weight"),
            std::string::npos)
      << text;
}

TEST(EmotionFit, EmotionParametersAreNotEstimatedWhenEmotionSteersNothing) {
  Scenario s = one_persona(load("two_personas.yaml"));
  s.settings.kappa = 0.0;
  for (Transition& t : s.transitions) t.emotion_bias = 0.0;
  const ObservedJourneys data = simulate(s, 3000, 5);
  Diagnostics diagnostics;
  const auto fit = fit_emotion(s, data, {}, diagnostics);
  ASSERT_TRUE(fit) << diagnostics.to_string();
  for (const FittedParameter& p : fit->parameters) {
    EXPECT_NE(p.kind, FitParameterKind::emotion_mean) << p.name;
    EXPECT_NE(p.kind, FitParameterKind::initial_emotion) << p.name;
  }
  ASSERT_FALSE(fit->notes.empty());
  EXPECT_NE(fit->notes.back().find("emotion steers nothing"), std::string::npos);
}

TEST(EmotionFit, ATouchpointNoPathReachesIsReportedNotIdentifiable) {
  Scenario s = one_persona(load("two_personas.yaml"));
  // Nobody enters at search; its dropout and emotion then have no influence on any path.
  ObservedJourneys data = simulate(s, 4000, 3);
  std::erase_if(data.paths, [](const ObservedPath& p) { return p.touchpoints[0] == 1; });
  Diagnostics diagnostics;
  const auto fit = fit_emotion(s, data, {}, diagnostics);
  ASSERT_TRUE(fit) << diagnostics.to_string();
  int checked = 0;
  for (const FittedParameter& p : fit->parameters) {
    if (p.name == "touchpoints.search.dropout" || p.name == "touchpoints.search.emotion.mean") {
      EXPECT_FALSE(p.identifiable) << p.name;
      EXPECT_TRUE(std::isnan(p.standard_error));
      ++checked;
    }
    if (p.name == "touchpoints.product.dropout") {
      EXPECT_TRUE(p.identifiable) << p.why_not;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 3);
  Diagnostics validation;
  validate_scenario(fit->scenario, validation);
  EXPECT_FALSE(validation.has_errors()) << validation.to_string();
}

struct Coverage {
  int intervals = 0;
  int covered = 0;
  std::vector<double> z_squares;
  std::map<std::string, int> misses;
};

void add_coverage(const EmotionFit& fit, const Scenario& truth, Coverage& coverage) {
  for (const FittedParameter& p : fit.parameters) {
    if (!p.identifiable) continue;
    const double true_value = parameter_value(truth, p);
    ++coverage.intervals;
    if (p.low <= true_value && true_value <= p.high) {
      ++coverage.covered;
    } else {
      ++coverage.misses[p.name];
    }
    const double z = (p.value - true_value) / p.standard_error;
    coverage.z_squares.push_back(z * z);
  }
}

// Over independent datasets, the 95% intervals of the identifiable parameters cover the
// truth at the nominal rate: with n intervals the count of misses is about binomial(n, 0.05)
// (intervals from one dataset are correlated, which widens it; 4 sd of the binomial allows
// for that). And the intervals are neither too narrow nor too wide in the bulk: the median
// squared z-score is that of a chi-square(1), 0.455, whose sample median has sd about
// 1.06 / sqrt(n) (the median, because a mixture's estimates have heavier tails than normal).
void expect_nominal_coverage(Coverage c) {
  std::string missed;
  for (const auto& [name, count] : c.misses) missed += name + " x" + std::to_string(count) + "; ";
  ASSERT_GT(c.intervals, 0);
  const double n = c.intervals;
  const double expected_misses = 0.05 * n;
  const double sd = std::sqrt(n * 0.05 * 0.95);
  const double misses = n - c.covered;
  EXPECT_LE(misses, expected_misses + 4.0 * sd) << c.covered << "/" << n << " covered; " << missed;
  std::nth_element(c.z_squares.begin(), c.z_squares.begin() + c.z_squares.size() / 2,
                   c.z_squares.end());
  const double median = c.z_squares[c.z_squares.size() / 2];
  EXPECT_NEAR(median, 0.455, 4.0 * 1.06 / std::sqrt(n)) << missed;
}

TEST(EmotionFit, OnePersonaRecoveryIntervalsCoverTheTruthAtTheNominalRate) {
  const Scenario truth = one_persona(load("two_personas.yaml"));
  const int datasets = kSanitized ? 4 : 20;
  Coverage coverage;
  for (int d = 0; d < datasets; ++d) {
    const ObservedJourneys data = simulate(truth, 3000, 100 + d);
    Diagnostics diagnostics;
    const auto fit = fit_emotion(truth, data, {}, diagnostics);
    ASSERT_TRUE(fit) << diagnostics.to_string();
    add_coverage(*fit, truth, coverage);
    Diagnostics validation;
    validate_scenario(fit->scenario, validation);
    EXPECT_FALSE(validation.has_errors()) << validation.to_string();
  }
  expect_nominal_coverage(coverage);
  // Most of what the skeleton frees is identified here (see the report for what is not).
  EXPECT_GE(coverage.intervals, datasets * 12);
}

// Two latent personas: the parameters given an interval cover the truth at the nominal rate,
// most of them are given one, and the optimum is at least as likely as the truth.
TEST(EmotionFit, TwoPersonaRecoveryIntervalsCoverTheTruthAtTheNominalRate) {
  const Scenario truth = load("two_personas.yaml");
  const int datasets = kSanitized ? 2 : 8;
  Coverage coverage;
  EmotionFitOptions options;
  options.personas = 2;
  options.starts = 2;
  for (int d = 0; d < datasets; ++d) {
    const ObservedJourneys data = simulate(truth, 30000, 200 + d);
    Diagnostics diagnostics;
    const auto fit = fit_emotion(truth, data, options, diagnostics);
    ASSERT_TRUE(fit) << diagnostics.to_string();
    EXPECT_EQ(fit->scenario.personas[0].id, "regular");
    EXPECT_GE(fit->scenario.personas[0].share, fit->scenario.personas[1].share);
    const auto truth_log_likelihood = path_log_likelihood(truth, data, diagnostics);
    ASSERT_TRUE(truth_log_likelihood);
    EXPECT_GE(fit->log_likelihood, *truth_log_likelihood - 1e-6);
    add_coverage(*fit, truth, coverage);
    Diagnostics validation;
    validate_scenario(fit->scenario, validation);
    EXPECT_FALSE(validation.has_errors()) << validation.to_string();
  }
  expect_nominal_coverage(coverage);
  EXPECT_GE(coverage.intervals, datasets * 15);
}

// Found by a tester: --personas 64 on 2 customers fitted 127 parameters. Latent personas
// are told apart by how often each distinct path occurs, so their parameters may not outnumber
// what those frequencies can pin down.
TEST(EmotionFit, MorePersonaParametersThanDistinctPathsCanPinDownAreRefused) {
  const Scenario s = load("two_personas.yaml");
  const ObservedJourneys two = simulate(s, 2, 3);
  for (int personas : {2, 64}) {
    EmotionFitOptions options;
    options.personas = personas;
    Diagnostics diagnostics;
    EXPECT_FALSE(fit_emotion(s, two, options, diagnostics)) << personas;
    EXPECT_NE(diagnostics.to_string().find("latent personas have"), std::string::npos)
        << diagnostics.to_string();
    EXPECT_NE(diagnostics.to_string().find("fit one persona"), std::string::npos)
        << diagnostics.to_string();
  }
  // Enough distinct paths for two personas, not for 64.
  const ObservedJourneys many = simulate(s, 400, 5);
  EmotionFitOptions options;
  options.personas = 64;
  Diagnostics diagnostics;
  EXPECT_FALSE(fit_emotion(s, many, options, diagnostics));
  EXPECT_NE(diagnostics.to_string().find("fit at most"), std::string::npos)
      << diagnostics.to_string();
}

// The fit says how far it has come: steps that never go back, within the total, ending with
// the standard errors; and following it changes nothing in the result.
TEST(EmotionFit, ProgressGoesForwardToTheStandardErrorsAndChangesNothing) {
  const Scenario s = load("two_personas.yaml");
  const ObservedJourneys data = simulate(s, 5000, 41);
  EmotionFitOptions options;
  options.personas = 2;
  options.starts = 2;
  std::vector<std::pair<std::size_t, std::string>> steps;
  std::size_t total = 0;
  options.progress = [&](std::size_t done, std::size_t all, const std::string& status) {
    steps.emplace_back(done, status);
    total = all;
  };
  Diagnostics diagnostics;
  const auto followed = fit_emotion(s, data, options, diagnostics);
  ASSERT_TRUE(followed) << diagnostics.to_string();
  ASSERT_FALSE(steps.empty());
  EXPECT_EQ(total, 2u * 26 + 1);
  for (std::size_t i = 1; i < steps.size(); ++i) EXPECT_GE(steps[i].first, steps[i - 1].first);
  EXPECT_EQ(steps.front().second, "start 1 of 2: EM iteration 1");
  EXPECT_EQ(steps.back().first, total - 1);
  EXPECT_NE(steps.back().second.find("standard errors"), std::string::npos);
  EXPECT_TRUE(std::ranges::any_of(steps, [](const auto& step) {
    return step.second == "start 2 of 2: maximising the likelihood";
  }));

  options.progress = nullptr;
  const auto quiet = fit_emotion(s, data, options, diagnostics);
  ASSERT_TRUE(quiet);
  EXPECT_EQ(quiet->log_likelihood, followed->log_likelihood);
  ASSERT_EQ(quiet->parameters.size(), followed->parameters.size());
  for (std::size_t i = 0; i < quiet->parameters.size(); ++i) {
    EXPECT_EQ(quiet->parameters[i].value, followed->parameters[i].value);
  }
}

// Data whose reference persona (the skeleton's first, which holds emotion's zero) is the
// smaller one: no start finds an optimum with the reference largest, and the fit reports the
// best one it found, with a note, instead of none.
TEST(EmotionFit, WhenNoStartHasTheReferenceLargestTheBestFoundIsReported) {
  Scenario truth = load("two_personas.yaml");
  truth.personas[0].share = 0.15;
  truth.personas[1].share = 0.85;
  const ObservedJourneys data = simulate(truth, 20000, 31);
  EmotionFitOptions options;
  options.personas = 2;
  options.starts = 1;
  Diagnostics diagnostics;
  const auto fit = fit_emotion(truth, data, options, diagnostics);
  ASSERT_TRUE(fit) << diagnostics.to_string();
  EXPECT_LT(fit->scenario.personas[0].share, fit->scenario.personas[1].share);
  EXPECT_TRUE(std::ranges::any_of(fit->notes, [](const std::string& note) {
    return note.find("no start found the optimum whose first persona is the largest") !=
           std::string::npos;
  }));
  const auto truth_log_likelihood = path_log_likelihood(truth, data, diagnostics);
  ASSERT_TRUE(truth_log_likelihood);
  EXPECT_GE(fit->log_likelihood, *truth_log_likelihood - 1e-6);
  Diagnostics validation;
  validate_scenario(fit->scenario, validation);
  EXPECT_FALSE(validation.has_errors()) << validation.to_string();
}

}  // namespace
}  // namespace cjsim
