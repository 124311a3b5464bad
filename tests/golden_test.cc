// Golden results: every count and every exact sum (as hex floats and limbs) that run, compare
// and a small sweep give on the shipped examples for a fixed seed, held against the files in
// tests/golden/. A refactor that changes any of them, by one unit in the last place, fails
// here. The files are regenerated only on purpose: CJSIM_UPDATE_GOLDEN=1 ctest -R Golden (and
// the change explained in the commit). The fit's golden results are in tests/cli/golden_fit.py.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scenarios/experiment.h"
#include "scenarios/sweep_plan.h"
#include "scenarios/validate.h"
#include "sim/engine/comparison.h"
#include "sim/engine/engine.h"
#include "sim/engine/summary.h"
#include "sim/model/compiled_journey.h"
#include "sim/sweep/sweep.h"

namespace cjsim {
namespace {

const std::string kExamples = std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/";
constexpr std::uint64_t kSeed = 20261206;

// "key value" lines, one number a line, so that a difference names the figure it is in.
class GoldenText {
 public:
  void put(const std::string& key, std::uint64_t n) { text_ += fmt::format("{} {}\n", key, n); }
  void put(const std::string& key, double x) { text_ += fmt::format("{} {:a}\n", key, x); }
  void put(const std::string& key, const ExactSum& s) {
    const auto& l = s.limbs();
    text_ += fmt::format("{} {:016x}{:016x}{:016x}{:016x}{} {:a}\n", key, l[3], l[2], l[1], l[0],
                         s.invalid() ? " invalid" : "", s.value());
  }
  void put(const std::string& key, const BoundedSum& s) {
    const auto raw = static_cast<uint128>(s.raw());
    text_ += fmt::format("{} {:016x}{:016x}\n", key, static_cast<std::uint64_t>(raw >> 64),
                         static_cast<std::uint64_t>(raw));
  }
  void put(const std::string& key, const Estimate& e) {
    text_ += fmt::format("{} {:a} {:a} {:a}\n", key, e.value, e.low, e.high);
  }
  template <typename T>
  void put_all(const std::string& key, const T& values) {
    for (std::size_t i = 0; i < values.size(); ++i) put(fmt::format("{}[{}]", key, i), values[i]);
  }
  const std::string& text() const { return text_; }

 private:
  std::string text_;
};

void put_sums(GoldenText& g, const std::string& key, OutcomeSums s) {
  g.put(key + ".agents", s.agents);
  g.put(key + ".steps", s.steps);
  g.put(key + ".conversions", s.conversions);
  g.put_all(key + ".ended", s.ended);
  g.put(key + ".promoters", s.promoters);
  g.put(key + ".detractors", s.detractors);
  const auto sums = s.exact_sums();
  for (std::size_t i = 0; i < sums.size(); ++i) g.put(fmt::format("{}.sum[{}]", key, i), *sums[i]);
  g.put(key + ".margin_sq", s.margin_sq);
  g.put(key + ".left_after_converting", s.left_after_converting);
}

void put_aggregate(GoldenText& g, const std::string& key, const Aggregate& a) {
  for (std::size_t p = 0; p < a.personas.size(); ++p) {
    const std::string persona = fmt::format("{}.persona[{}]", key, p);
    put_sums(g, persona, a.personas[p]);
    const TouchpointTallies& t = a.persona_tallies[p];
    g.put_all(persona + ".visits", t.visits);
    g.put_all(persona + ".dropouts", t.dropouts);
    g.put_all(persona + ".dropouts_after_converting", t.dropouts_after_converting);
    g.put_all(persona + ".completions", t.completions);
    g.put_all(persona + ".conversions", t.conversions);
    g.put_all(persona + ".emotion", t.emotion);
    g.put_all(persona + ".emotion_sq", t.emotion_sq);
    g.put_all(persona + ".stage_reach", t.stage_reach);
  }
  g.put_all(key + ".transitions", a.transitions);
  g.put_all(key + ".score_customers", a.score_customers);
  g.put_all(key + ".score_all", a.score_all);
  g.put_all(key + ".path_length", a.path_length);
}

void put_headline(GoldenText& g, const std::string& key, const HeadlineFigures& h) {
  g.put(key + ".agents", h.agents);
  g.put(key + ".steps", h.steps);
  g.put(key + ".conversions", h.conversions);
  g.put_all(key + ".ended", h.ended);
  for (const NamedFigure& f : kHeadlineFigures) g.put(key + "." + f.name, h.*f.member);
}

void put_summary(GoldenText& g, const std::string& key, const Summary& s) {
  put_headline(g, key + ".overall", s.overall);
  for (const StageFigures& stage : s.stages) {
    const std::string k = key + ".stage." + stage.name;
    g.put(k + ".reach", stage.reach);
    g.put(k + ".reach_rate", stage.reach_rate);
    g.put(k + ".dropout_rate", stage.dropout_rate);
    g.put(k + ".dropout_before_converting_rate", stage.dropout_before_converting_rate);
    g.put(k + ".dropout_after_converting_rate", stage.dropout_after_converting_rate);
    g.put(k + ".mean_emotion", stage.mean_emotion);
  }
  for (const TouchpointFigures& t : s.touchpoints) {
    const std::string k = key + ".touchpoint." + t.id;
    g.put(k + ".visits_per_agent", t.visits_per_agent);
    g.put(k + ".dropout_rate", t.dropout_rate);
    g.put(k + ".dropout_before_converting_rate", t.dropout_before_converting_rate);
    g.put(k + ".dropout_after_converting_rate", t.dropout_after_converting_rate);
    g.put(k + ".mean_emotion", t.mean_emotion);
  }
  for (const TransitionFigures& t : s.transitions) {
    g.put(key + ".transition." + t.from + "->" + t.to, t.per_agent);
  }
  for (const PersonaFigures& p : s.personas) put_headline(g, key + ".persona." + p.id, p.figures);
}

CompiledJourney example(const std::string& file) {
  Diagnostics diagnostics;
  auto scenario = load_valid_scenario(kExamples + file, diagnostics);
  if (!scenario) throw std::runtime_error(diagnostics.to_string());
  return compile(*scenario);
}

// Compares with the golden file line by line and names the first lines that differ; with
// CJSIM_UPDATE_GOLDEN=1 writes it instead.
void expect_golden(const std::string& name, const std::string& text) {
  const std::string path = std::string(CJSIM_SOURCE_DIR) + "/tests/golden/" + name + ".txt";
  if (const char* update = std::getenv("CJSIM_UPDATE_GOLDEN"); update && *update == '1') {
    std::ofstream(path, std::ios::binary) << text;
    GTEST_SKIP() << "wrote " << path;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in) << path << " is missing (CJSIM_UPDATE_GOLDEN=1 writes it)";
  std::stringstream expected;
  expected << in.rdbuf();
  if (expected.str() == text) return;
  std::istringstream want(expected.str()), got(text);
  std::string a, b;
  int line = 0, shown = 0;
  while (shown < 10 && (std::getline(want, a) || std::getline(got, b))) {
    ++line;
    if (!std::getline(got, b)) b = "(nothing)";
    if (a != b) {
      ADD_FAILURE() << path << ":" << line << ": expected '" << a << "', got '" << b << "'";
      ++shown;
    }
    a.clear();
  }
  FAIL() << name << " differs from its golden results";
}

RunOptions golden_options(std::uint64_t agents, std::uint32_t replications) {
  RunOptions options;
  options.agents = agents;
  options.seed = kSeed;
  options.replications = replications;
  options.threads = 2;
  return options;
}

class GoldenRun : public ::testing::TestWithParam<const char*> {};

TEST_P(GoldenRun, ShippedExampleGivesItsGoldenCountsAndSums) {
  const std::string file = GetParam();
  const CompiledJourney journey = example(file);
  const RunResult result = run(journey, golden_options(20000, 2));
  GoldenText g;
  for (std::size_t r = 0; r < result.replications.size(); ++r) {
    put_aggregate(g, fmt::format("replication[{}]", r), result.replications[r]);
  }
  put_summary(g, "summary", summarize(journey, result.replications));
  expect_golden("run_" + file.substr(0, file.find('.')), g.text());
}

INSTANTIATE_TEST_SUITE_P(Examples, GoldenRun,
                         ::testing::Values("retail.yaml", "airline.yaml",
                                           "retail_one_click_checkout.yaml",
                                           "airline_delay_care.yaml"),
                         [](const auto& info) {
                           std::string name = info.param;
                           return name.substr(0, name.find('.'));
                         });

void put_comparison(GoldenText& g, const ComparisonRun& comparison) {
  for (std::size_t s = 0; s < comparison.paired.size(); ++s) {
    for (std::size_t r = 0; r < comparison.paired[s].size(); ++r) {
      const PairedAggregate& paired = comparison.paired[s][r];
      const std::string key = fmt::format("paired[{}][{}]", s, r);
      g.put(key + ".agents", paired.agents);
      for (std::size_t m = 0; m < paired.moments.size(); ++m) {
        g.put_all(fmt::format("{}.moments[{}]", key, m), paired.moments[m]);
      }
    }
  }
  for (const Difference& d : differences(comparison)) {
    const std::string key = fmt::format("difference[{}].{}.{}", d.scenario, d.scope, d.metric);
    g.put(key + ".current", d.current);
    g.put(key + ".future", d.future);
    g.put(key + ".difference", d.difference);
    g.put(key + ".paired_half_width", d.paired_half_width);
    g.put(key + ".independent_half_width", d.independent_half_width);
  }
}

TEST(Golden, RetailComparedWithItsThreeFutureStates) {
  const std::vector<CompiledJourney> journeys = {
      example("retail.yaml"), example("retail_one_click_checkout.yaml"),
      example("retail_proactive_delivery.yaml"), example("retail_store_push.yaml")};
  GoldenText g;
  put_comparison(g, run_comparison(journeys, golden_options(20000, 1)));
  expect_golden("compare_retail", g.text());
}

TEST(Golden, AirlineComparedOverThreeReplications) {
  const std::vector<CompiledJourney> journeys = {example("airline.yaml"),
                                                 example("airline_delay_care.yaml")};
  GoldenText g;
  put_comparison(g, run_comparison(journeys, golden_options(10000, 3)));
  expect_golden("compare_airline", g.text());
}

TEST(Golden, RetailCheckoutSweepWithFewerAgents) {
  Diagnostics diagnostics;
  auto experiment = load_experiment_file(kExamples + "retail_checkout_sweep.yaml", diagnostics);
  ASSERT_TRUE(experiment) << diagnostics.to_string();
  experiment->agents = 3000;
  auto plan = plan_sweep(*experiment, diagnostics);
  ASSERT_TRUE(plan) << diagnostics.to_string();
  GoldenText g;
  const RunOptions base = golden_options(0, 1);
  for (std::size_t point = 0; point < plan->points.size(); ++point) {
    const std::vector<Aggregate> replications = run_sweep_point(*plan, point, base);
    const std::string key = fmt::format("point[{}]", point);
    for (std::size_t r = 0; r < replications.size(); ++r) {
      put_sums(g, fmt::format("{}.replication[{}]", key, r), replications[r].overall());
      g.put_all(fmt::format("{}.replication[{}].transitions", key, r), replications[r].transitions);
    }
    const PointFigures figures = point_figures(*plan, point, replications);
    put_headline(g, key + ".overall", figures.overall);
  }
  expect_golden("sweep_retail_checkout", g.text());
}

}  // namespace
}  // namespace cjsim
