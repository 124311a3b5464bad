// Funnel calibration: dropouts behind a simulated funnel are recovered, the result does not
// depend on the thread count, and names the journey does not have are errors.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "models/fit/calibration.h"
#include "scenarios/fields.h"
#include "models/fit/simulated_journeys.h"
#include "scenarios/validate.h"
#include "sim/engine/engine.h"

namespace cjsim {
namespace {

Scenario load_two_personas() {
  Diagnostics diagnostics;
  auto scenario = load_valid_scenario(std::string(CJSIM_TEST_DATA) + "/fit/two_personas.yaml", diagnostics);
  if (!scenario) throw std::runtime_error(diagnostics.to_string());
  return *scenario;
}

// The funnel a journey produces: per persona, customers who entered and who reached each
// touchpoint at least once, counted from the simulated paths.
ObservedFunnel funnel_of(const Scenario& s, std::uint64_t agents, std::uint64_t seed) {
  const CompiledJourney journey = compile(s);
  RunOptions options;
  options.agents = agents;
  options.seed = seed;
  options.agent_paths = true;
  const ObservedJourneys paths = observed_from_simulation(journey, *run(journey, options).detail);
  const std::size_t n = paths.touchpoints.size();
  std::vector<std::uint64_t> entered(paths.segments.size(), 0), reached(paths.segments.size() * n, 0);
  for (const ObservedPath& p : paths.paths) {
    ++entered[p.segment];
    std::vector<bool> seen(n, false);
    for (std::uint32_t v : p.touchpoints) {
      if (!seen[v]) reached[p.segment * n + v] += 1;
      seen[v] = true;
    }
  }
  ObservedFunnel funnel;
  funnel.source = "simulated";
  for (std::size_t k = 0; k < paths.segments.size(); ++k) {
    funnel.entered.push_back({paths.segments[k], entered[k], {}});
    for (std::size_t v = 0; v < n; ++v) {
      funnel.counts.push_back({paths.segments[k], paths.touchpoints[v], reached[k * n + v], {}});
    }
  }
  return funnel;
}

TEST(Calibration, RecoversTheDropoutsBehindASimulatedFunnel) {
  const Scenario truth = load_two_personas();
  const ObservedFunnel funnel = funnel_of(truth, 200000, 99);
  Scenario start = truth;
  CalibrationOptions options;
  for (const char* id : {"search", "product", "reviews", "checkout"}) {
    for (Touchpoint& t : start.touchpoints) {
      if (t.id == id) t.dropout = 0.1;
    }
    options.parameters.push_back(std::string("touchpoints.") + id + ".dropout");
  }
  options.agents = 40000;
  options.seed = 7;
  Diagnostics diagnostics;
  const auto fit = calibrate(start, funnel, options, diagnostics);
  ASSERT_TRUE(fit) << diagnostics.to_string();
  // The reach shares behind each dropout come from some 10^4 simulated and 10^5 observed
  // customers per persona. Over independent funnels the errors are about 0.01 for the search,
  // product and checkout dropouts, and 0.02 for reviews, which the funnel sees only through
  // the loop back to product and the reach of checkout: the tolerances are four of those.
  const std::map<std::string, double> tolerance{{"touchpoints.search.dropout", 0.04},
                                                {"touchpoints.product.dropout", 0.04},
                                                {"touchpoints.reviews.dropout", 0.08},
                                                {"touchpoints.checkout.dropout", 0.04}};
  ASSERT_EQ(fit->parameters.size(), 4u);
  for (const CalibratedParameter& p : fit->parameters) {
    double true_value = 0.0;
    for (const Touchpoint& t : truth.touchpoints) {
      if ("touchpoints." + t.id + ".dropout" == p.name) true_value = t.dropout;
    }
    EXPECT_NEAR(p.value, true_value, tolerance.at(p.name))
        << p.name << ": distance " << fit->distance << " from " << fit->start_distance << " in "
        << fit->evaluations << " simulations";
    EXPECT_EQ(p.start, 0.1);
  }
  EXPECT_LT(fit->distance, 0.05 * fit->start_distance);
  EXPECT_EQ(fit->rows.size(), funnel.counts.size());
  EXPECT_EQ(fit->degrees_of_freedom, static_cast<int>(funnel.counts.size()) - 4);
  Diagnostics validation;
  validate_scenario(fit->scenario, validation);
  EXPECT_FALSE(validation.has_errors()) << validation.to_string();
}

TEST(Calibration, TheResultDoesNotDependOnTheThreadCount) {
  const Scenario truth = load_two_personas();
  const ObservedFunnel funnel = funnel_of(truth, 20000, 5);
  CalibrationOptions options;
  options.parameters = {"touchpoints.product.dropout", "settings.kappa"};
  options.agents = 5000;
  options.max_evaluations = 30;
  std::vector<double> values, distances;
  for (unsigned threads : {1u, 2u}) {
    options.threads = threads;
    Diagnostics diagnostics;
    const auto fit = calibrate(truth, funnel, options, diagnostics);
    ASSERT_TRUE(fit) << diagnostics.to_string();
    distances.push_back(fit->distance);
    for (const CalibratedParameter& p : fit->parameters) values.push_back(p.value);
  }
  EXPECT_EQ(distances[0], distances[1]);
  EXPECT_EQ(values[0], values[2]);
  EXPECT_EQ(values[1], values[3]);
}

// The search compiles the journey once and rewrites only the adjusted numbers at each
// evaluation (recompile_values), which covers sweepable fields alone.
TEST(Calibration, EveryCalibratableFieldIsSweepable) {
  int calibratable = 0;
  for (const auto& field : touchpoint_fields()) {
    if (!field.calibratable) continue;
    ++calibratable;
    EXPECT_TRUE(field.sweepable) << "touchpoints." << field.name;
  }
  for (const auto& field : settings_fields()) {
    if (!field.calibratable) continue;
    ++calibratable;
    EXPECT_TRUE(field.sweepable) << "settings." << field.name;
  }
  for (const auto& field : persona_fields()) EXPECT_FALSE(field.calibratable) << field.name;
  EXPECT_EQ(calibratable, 3);  // dropout, emotion.mean, kappa
}

// The search says how far it has come, simulation by simulation, within its budget; following
// it changes nothing.
TEST(Calibration, ProgressCountsTheSimulationsAndChangesNothing) {
  const Scenario truth = load_two_personas();
  const ObservedFunnel funnel = funnel_of(truth, 20000, 5);
  CalibrationOptions options;
  options.parameters = {"touchpoints.product.dropout"};
  options.agents = 3000;
  options.max_evaluations = 20;
  std::vector<std::size_t> done;
  options.progress = [&](std::size_t n, std::size_t total, const std::string& status) {
    EXPECT_EQ(total, 20u);
    EXPECT_NE(status.find("deviance"), std::string::npos) << status;
    done.push_back(n);
  };
  Diagnostics diagnostics;
  const auto followed = calibrate(truth, funnel, options, diagnostics);
  ASSERT_TRUE(followed) << diagnostics.to_string();
  ASSERT_FALSE(done.empty());
  for (std::size_t i = 1; i < done.size(); ++i) EXPECT_EQ(done[i], done[i - 1] + 1);
  EXPECT_LE(done.back(), 20u);
  options.progress = nullptr;
  const auto quiet = calibrate(truth, funnel, options, diagnostics);
  ASSERT_TRUE(quiet);
  EXPECT_EQ(quiet->distance, followed->distance);
  EXPECT_EQ(quiet->parameters[0].value, followed->parameters[0].value);
}

TEST(Calibration, NamesTheJourneyDoesNotHaveAreErrors) {
  const Scenario s = load_two_personas();
  ObservedFunnel funnel;
  funnel.source = "funnel.csv";
  funnel.entered = {{"", 100, {}}, {"sceptics", 10, {}}};
  funnel.counts = {{"", "chekout", 10, {"funnel.csv", 3, 5}},
                   {"sceptics", "checkout", 1, {"funnel.csv", 4, 1}},
                   {"", "consideration", 50, {"funnel.csv", 5, 1}}};
  CalibrationOptions options;
  options.parameters = {"touchpoints.product.dropuot", "settings.kappa"};
  Diagnostics diagnostics;
  EXPECT_FALSE(calibrate(s, funnel, options, diagnostics));
  const std::string text = diagnostics.to_string();
  EXPECT_NE(text.find("funnel.csv:3:5: error: step 'chekout' is neither a stage nor a touchpoint "
                      "of the journey; did you mean 'checkout'?"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("funnel.csv:4:1: error: segment 'sceptics' is not a persona of the journey "
                      "(regular, sceptic); did you mean 'sceptic'?"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("cannot calibrate 'touchpoints.product.dropuot'"), std::string::npos) << text;
  EXPECT_NE(text.find("did you mean 'touchpoints.product.dropout'?"), std::string::npos) << text;
  EXPECT_EQ(diagnostics.error_count(), 3u) << text;
}

}  // namespace
}  // namespace cjsim
