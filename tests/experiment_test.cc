// Experiment files and sweep plans: what is read, every error at its place, and that every
// design point is checked before anything runs.
#include "scenarios/experiment.h"

#include <gtest/gtest.h>

#include <cmath>

#include "diagnostic_matchers.h"
#include "scenarios/sweep_plan.h"
#include "scenarios/writer.h"

namespace cjsim {
namespace {

using testing::find_place;
using testing::ReportsError;

const std::string kPath = std::string(CJSIM_TEST_DATA) + "/experiment.yaml";

std::optional<Experiment> parse(const std::string& text, Diagnostics& d) {
  return parse_experiment(text, kPath, d);
}

TEST(Experiment, ReadsAGridExperiment) {
  const std::string text = R"(name: Checkout friction
scenario: tiny.yaml
agents: 5000
replications: 3
seed: 9
metric: margin_per_agent
parameters:
  touchpoints.checkout.emotion.mean: [0.1, 0.2, 0.3]
  settings.kappa: {from: 0, to: 2, steps: 5}
)";
  Diagnostics d;
  const auto x = parse(text, d);
  ASSERT_TRUE(x) << d.to_string();
  EXPECT_EQ(x->name, "Checkout friction");
  EXPECT_EQ(x->scenarios, std::vector<std::string>{std::string(CJSIM_TEST_DATA) + "/tiny.yaml"});
  EXPECT_EQ(x->agents, 5000u);
  EXPECT_EQ(x->replications, 3u);
  EXPECT_EQ(x->seed, 9u);
  EXPECT_EQ(x->metric, "margin_per_agent");
  ASSERT_EQ(x->parameters.size(), 2u);
  EXPECT_EQ(x->parameters[0].path.text, "touchpoints.checkout.emotion.mean");
  EXPECT_EQ(x->parameters[1].levels, (std::vector<double>{0, 0.5, 1, 1.5, 2}));
  EXPECT_EQ(design_rows(*x).size(), 15u);
  EXPECT_EQ(x->parameters[1].where.line, 9);
}

TEST(Experiment, ReadsALatinHypercubeWithItsOwnDesignSeed) {
  const std::string text = R"(scenarios: [tiny.yaml, tiny.yaml]
design: latin_hypercube
points: 12
design_seed: 5
parameters:
  settings.kappa: {from: 0, to: 2}
  touchpoints.ad.dropout: {from: 0.1, to: 0.5}
)";
  Diagnostics d;
  const auto x = parse(text, d);
  ASSERT_TRUE(x) << d.to_string();
  EXPECT_EQ(x->design, DesignKind::latin_hypercube);
  EXPECT_EQ(x->design_seed, 5u);
  EXPECT_EQ(x->scenarios.size(), 2u);
  EXPECT_EQ(design_rows(*x).size(), 12u);
  EXPECT_EQ(x->name, "experiment");
}

TEST(Experiment, ALatinHypercubeGivesAWholeNumberFieldWholeLevelsThatEveryPointAccepts) {
  const std::string text = R"(scenario: tiny.yaml
design: latin_hypercube
points: 20
parameters:
  settings.max_steps: {from: 10, to: 40}
  settings.kappa: {from: 0, to: 2}
)";
  Diagnostics d;
  auto x = parse(text, d);
  ASSERT_TRUE(x) << d.to_string();
  EXPECT_TRUE(x->parameters[0].range->whole);
  EXPECT_FALSE(x->parameters[1].range->whole);
  const DesignRows rows = design_rows(*x);
  ASSERT_EQ(rows.size(), 20u);
  for (const auto& row : rows) EXPECT_EQ(row[0], std::floor(row[0]));
  EXPECT_TRUE(plan_sweep(*x, d)) << d.to_string();
}

TEST(Experiment, AWholeNumberFieldsIntervalMustHaveWholeEnds) {
  const std::string text =
      "scenario: tiny.yaml\ndesign: latin_hypercube\npoints: 5\nparameters:\n"
      "  settings.max_steps: {from: 10.5, to: 40}\n";
  Diagnostics d;
  EXPECT_FALSE(parse(text, d));
  EXPECT_TRUE(ReportsError(d, {"settings.max_steps holds whole numbers", "10.5"},
                           find_place(text, "{from", kPath)));
}

struct BadCase {
  const char* text;
  const char* at;  // the text the error points at
  std::vector<std::string_view> fragments;
};

TEST(Experiment, EveryMistakeIsReportedWhereItWasWritten) {
  const std::string head = "scenario: tiny.yaml\n";
  const std::string params = "parameters:\n  settings.kappa: [0, 1]\n";
  const BadCase cases[] = {
      {"scenario: tiny.yaml\nagnets: 5\nparameters:\n  settings.kappa: [0, 1]\n",
       "agnets",
       {"unknown key 'agnets'", "did you mean 'agents'"}},
      {"scenario: tiny.yaml\nagents: 0\nparameters:\n  settings.kappa: [0, 1]\n",
       "0",
       {"agents must be from 1"}},
      {"scenario: tiny.yaml\nagents: -4\nparameters:\n  settings.kappa: [0, 1]\n",
       "-4",
       {"agents must be a whole number"}},
      {"scenario: tiny.yaml\nreplications: 1.5\nparameters:\n  settings.kappa: [0, 1]\n",
       "1.5",
       {"replications must be a whole number"}},
      {"scenario: tiny.yaml\ndesign: grdi\nparameters:\n  settings.kappa: [0, 1]\n",
       "grdi",
       {"unknown design 'grdi'", "did you mean 'grid'"}},
      {"scenario: tiny.yaml\nparameters:\n  settings.kapa: [0, 1]\n",
       "settings.kapa",
       {"no numeric setting 'kapa'", "did you mean 'kappa'"}},
      {"scenario: tiny.yaml\nparameters:\n  settings.kappa: []\n",
       "[]",
       {"the list of values is empty"}},
      {"scenario: tiny.yaml\nparameters:\n  settings.kappa: [0, .nan]\n",
       ".nan",
       {"must be a finite number"}},
      {"scenario: tiny.yaml\nparameters:\n  settings.kappa: [0, high]\n",
       "high",
       {"must be a number, not 'high'"}},
      {"scenario: tiny.yaml\nparameters:\n  settings.kappa: {from: 0, to: 2}\n",
       "{from",
       {"needs steps"}},
      {"scenario: tiny.yaml\nparameters:\n  settings.kappa: {from: 3, to: 2, steps: 2}\n",
       "{from",
       {"from (3) is greater than to (2)"}},
      {"scenario: tiny.yaml\nparameters:\n  settings.kappa: {from: 0, too: 2, steps: 2}\n",
       "too",
       {"unknown key 'too'", "did you mean 'to'"}},
      {"scenario: tiny.yaml\ndesign: latin_hypercube\npoints: 5\nparameters:\n  settings.kappa: "
       "[0, 1]\n",
       "[0, 1]",
       {"samples an interval"}},
      {"scenario: tiny.yaml\ndesign: latin_hypercube\npoints: 5\nparameters:\n  settings.kappa: "
       "{from: 0, to: 1, steps: 3}\n",
       "{from",
       {"steps belong to grids"}},
      {"scenario: tiny.yaml\npoints: 5\nparameters:\n  settings.kappa: [0, 1]\n",
       "5",
       {"points is for latin_hypercube designs"}},
      {"scenario: tiny.yaml\ndesign: list\nparameters:\n  settings.kappa: [0, 1]\n  "
       "settings.memory: [0.5]\n",
       "settings.memory",
       {"has 1 values but settings.kappa has 2"}},
      {"scenario: tiny.yaml\nparameters:\n  settings.kappa: {from: 0, to: 1, steps: 1000}\n  "
       "settings.memory: {from: 0, to: 1, steps: 1000}\n",
       "settings.kappa",
       {"the grid has 1000000 points"}},
      {"scenario: tiny.yaml\ndesign: latin_hypercube\npoints: 100000\nparameters:\n"
       "  settings.kappa: {from: 0, to: 1}\n  settings.memory: {from: 0, to: 1}\n"
       "  touchpoints.ad.dropout: {from: 0, to: 1}\n  touchpoints.ad.cost: {from: 0, to: 1}\n"
       "  touchpoints.ad.value: {from: 0, to: 1}\n  touchpoints.ad.entry_weight: {from: 1, to: 2}\n"
       "  touchpoints.ad.emotion.mean: {from: 0, to: 1}\n  touchpoints.ad.emotion.sd: {from: 0, to: 1}\n"
       "  touchpoints.ad.duration: {from: 0, to: 1}\n  touchpoints.checkout.cost: {from: 0, to: 1}\n"
       "  touchpoints.checkout.value: {from: 0, to: 1}\n",
       "settings.kappa", {"100000 points of 11 parameters is more than the 1000000 values"}},
      {"scenario: tiny.yaml\nparameters:\n  settings.kappa: [0]\n  settings.kappa: [1]\n",
       "settings.kappa: [1]",
       {"given twice"}},
      {"scenario: tiny.yaml\nparameters: [settings.kappa]\n",
       "[settings",
       {"parameters must be a mapping"}},
      {"scenario: tiny.yaml\nparameters: {}\n", "{}", {"no parameters"}},
      {"scenario: [tiny.yaml, 3: 4]\nparameters:\n  settings.kappa: [0]\n",
       "3: 4",
       {"a scenario must be a non-empty string"}},
      {"scenario: tiny.yaml\nparameters:\n  settings.kappa: [0]\n  foo: [1]\n",
       "foo",
       {"not a parameter path"}},
      {"scenario: tiny.yaml\nparameters:\n  settings.kappa: [0, \"1\"]\n",
       "\"1\"",
       {"a value of settings.kappa must be a number, not '1'; remove the quotes"}},
      {"scenario: tiny.yaml\nparameters:\n  settings.kappa: {from: 0, to: 1, to: 2, steps: 2}\n",
       "to: 2",
       {"'to' is given twice"}},
      {"scenario: tiny.yaml\nparameters:\n  settings.kappa: [0]\n---\nscenario: b.yaml\n",
       "scenario: b",
       {"more than one YAML document"}},
  };
  for (const BadCase& c : cases) {
    Diagnostics d;
    EXPECT_FALSE(parse(c.text, d)) << c.text;
    const SourceLocation where = find_place(c.text, c.at, kPath);
    bool found = false;
    for (const Diagnostic& diagnostic : d.all()) {
      bool all = true;
      for (std::string_view f : c.fragments)
        all = all && diagnostic.message.find(f) != std::string::npos;
      if (!all) continue;
      found = true;
      EXPECT_EQ(diagnostic.where.line, where.line) << c.text << "\n" << d.to_string();
      EXPECT_EQ(diagnostic.where.column, where.column) << c.text << "\n" << d.to_string();
    }
    EXPECT_TRUE(found) << c.text << "\ngot:\n" << d.to_string();
  }
}

TEST(Experiment, Latin1NameIsRefusedWithItsPlace) {
  const std::string text = "scenario: tiny.yaml\nname: Caf\xE9 checkout\nagents: 10\n"
                           "replications: 1\nseed: 1\nparameters:\n  settings.kappa: [1, 2]\n";
  Diagnostics d;
  EXPECT_FALSE(parse(text, d));
  ASSERT_EQ(d.error_count(), 1u) << d.to_string();
  const Diagnostic& error = d.all().front();
  EXPECT_EQ(error.where.line, 2);
  EXPECT_EQ(error.where.column, 10);
  EXPECT_NE(error.message.find("0xE9 is not UTF-8"), std::string::npos) << error.message;
}

TEST(Experiment, MissingPartsAreNamed) {
  Diagnostics d;
  EXPECT_FALSE(parse("agents: 10\n", d));
  EXPECT_TRUE(ReportsError(d, "no scenario", {kPath, 1, 1}));
  EXPECT_TRUE(ReportsError(d, "no parameters", {kPath, 1, 1}));
  Diagnostics lhs;
  EXPECT_FALSE(
      parse("scenario: tiny.yaml\ndesign: latin_hypercube\nparameters:\n  settings.kappa: {from: "
            "0, to: 1}\n",
            lhs));
  EXPECT_TRUE(ReportsError(lhs, "needs points", {kPath, 1, 1}));
  Diagnostics syntax;
  EXPECT_FALSE(parse("scenario: [tiny.yaml\n", syntax));
  EXPECT_TRUE(syntax.has_errors());
  EXPECT_NE(syntax.to_string().find("not valid YAML"), std::string::npos);
  EXPECT_NE(syntax.to_string().find("the list opened with '[' at line 1, column 11"),
            std::string::npos)
      << syntax.to_string();
}

TEST(Experiment, HostileTextGetsAnErrorNotAHangOrACrash) {
  const std::string hostile[] = {
      std::string("\x00\xff\xfe garbage \x01", 13),
      "{[\"\"],{}},",  // yaml-cpp 0.7, once the reader here, looped for ever on this
      std::string(20000, '[') + std::string(20000, ']'),
      "a: &a [1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c]\n"
      "scenario: tiny.yaml\nparameters:\n  settings.kappa: *d\n",
      "- 1\n- 2\n",
      "",
  };
  for (const std::string& text : hostile) {
    Diagnostics d;
    EXPECT_FALSE(parse(text, d)) << text.substr(0, 40);
    EXPECT_TRUE(d.has_errors()) << text.substr(0, 40);
  }
}

TEST(SweepPlan, CrossesTheDesignWithEveryScenarioAndSetsTheValues) {
  const std::string text = R"(scenarios: [tiny.yaml, future/base.yaml]
parameters:
  settings.kappa: [0, 2]
  settings.memory: [0.2, 0.4, 0.6]
)";
  Diagnostics d;
  auto x = parse(text, d);
  ASSERT_TRUE(x) << d.to_string();
  auto plan = plan_sweep(*x, d);
  ASSERT_TRUE(plan) << d.to_string();
  ASSERT_EQ(plan->points.size(), 12u);
  EXPECT_EQ(plan->points[5].scenario, 0u);
  EXPECT_EQ(plan->points[6].scenario, 1u);
  const Scenario s = point_scenario(*plan, 7);
  EXPECT_EQ(s.settings.kappa, 0);
  EXPECT_EQ(s.settings.memory, 0.4);
  EXPECT_EQ(describe_point(*plan, 7), "settings.kappa = 0, settings.memory = 0.4");
  EXPECT_EQ(plan->fingerprint.size(), 16u);
}

TEST(SweepPlan, PointScenariosGiveEveryPointsOwnScenarioInAnyOrder) {
  // A working copy per base takes the points' values in turn; whatever the order (here every
  // point of both bases backwards, then forwards) each is the point's scenario written out.
  // A persona without an affinity for web gets one when it is set (the working copy has it
  // from then on, at each point's value).
  const std::string text = R"(scenarios: [tiny.yaml, tiny.yaml]
parameters:
  settings.kappa: [0, 2]
  touchpoints.checkout.dropout: [0.1, 0.3, 0.5]
  personas.regular.channel_affinity.web: [0.5, 2]
)";
  Diagnostics d;
  auto x = parse(text, d);
  ASSERT_TRUE(x) << d.to_string();
  auto plan = plan_sweep(*x, d);
  ASSERT_TRUE(plan) << d.to_string();
  PointScenarios scenarios(*plan);
  const std::size_t n = plan->points.size();
  for (std::size_t i = 0; i < 2 * n; ++i) {
    const std::size_t k = i < n ? n - 1 - i : i - n;
    EXPECT_EQ(scenario_yaml(scenarios.at(k)), scenario_yaml(point_scenario(*plan, k))) << k;
  }
}

TEST(SweepPlan, TheFingerprintFollowsTheExperimentText) {
  Diagnostics d;
  auto a = plan_sweep(*parse("scenario: tiny.yaml\nparameters:\n  settings.kappa: [0, 1]\n", d), d);
  auto b =
      plan_sweep(*parse("scenario: tiny.yaml\nparameters:\n  settings.kappa: [0, 1.5]\n", d), d);
  auto c = plan_sweep(*parse("scenario: tiny.yaml\nparameters:\n  settings.kappa: [0, 1]\n", d), d);
  ASSERT_TRUE(a && b && c) << d.to_string();
  EXPECT_NE(a->fingerprint, b->fingerprint);
  EXPECT_EQ(a->fingerprint, c->fingerprint);
}

TEST(SweepPlan, APathTheScenarioLacksIsReportedAtTheParameter) {
  const std::string text =
      "scenario: tiny.yaml\nparameters:\n  touchpoints.chekout.dropout: [0.1]\n";
  Diagnostics d;
  auto x = parse(text, d);
  ASSERT_TRUE(x) << d.to_string();
  EXPECT_FALSE(plan_sweep(*x, d));
  EXPECT_TRUE(ReportsError(d, {"no touchpoint 'chekout'", "did you mean 'checkout'"},
                           find_place(text, "touchpoints.chekout", kPath)));
}

TEST(SweepPlan, InvalidDesignPointsAreNamedWithTheirValuesBeforeAnythingRuns) {
  const std::string text =
      "scenario: tiny.yaml\nparameters:\n  touchpoints.ad.dropout: [0.1, 1.5, -0.2]\n  "
      "settings.max_steps: [10, 12.5]\n";
  Diagnostics d;
  auto x = parse(text, d);
  ASSERT_TRUE(x) << d.to_string();
  EXPECT_FALSE(plan_sweep(*x, d));
  const SourceLocation first = find_place(text, "touchpoints.ad.dropout", kPath);
  EXPECT_TRUE(ReportsError(d, {"design point 2", "touchpoints.ad.dropout = 1.5", "between 0 and 1"},
                           first));
  EXPECT_TRUE(ReportsError(d, {"design point 4", "touchpoints.ad.dropout = -0.2"}, first));
  EXPECT_TRUE(ReportsError(d, {"design point 1", "whole number"}, first));
  // Point 0 (dropout 0.1, max_steps 10) is valid and not mentioned.
  EXPECT_EQ(d.to_string().find("design point 0 "), std::string::npos);
}

TEST(SweepPlan, PointsValidatedOnSeveralThreadsGiveTheSameDiagnosticsInTheSameOrder) {
  // Valid and invalid points mixed (more failing than are listed one by one), so that every
  // thread's share holds some of each and a wrongly ordered report would show.
  std::string text = "scenario: tiny.yaml\ndesign: list\nparameters:\n  touchpoints.ad.dropout: [";
  for (int k = 0; k < 40; ++k) {
    if (k > 0) text.append(", ");
    text.append(k % 3 == 1 ? "1.5" : k % 7 == 2 ? "-0.25" : "0.1");
  }
  text.append("]\n  settings.max_steps: [");
  for (int k = 0; k < 40; ++k) {
    if (k > 0) text.append(", ");
    text.append(k % 5 == 3 ? "12.5" : "10");
  }
  text.append("]\n");
  Diagnostics one;
  auto x = parse(text, one);
  ASSERT_TRUE(x) << one.to_string();
  EXPECT_FALSE(plan_sweep(*x, one, 1));
  ASSERT_TRUE(one.has_errors());
  for (unsigned threads : {2u, 3u, 8u}) {
    Diagnostics several;
    EXPECT_FALSE(plan_sweep(*x, several, threads));
    EXPECT_EQ(several.to_string(), one.to_string()) << threads << " threads";
  }
  // And a valid design gives the same plan on any number of threads.
  Diagnostics d;
  auto valid = parse("scenario: tiny.yaml\nparameters:\n  settings.kappa: [0, 0.5, 1, 1.5, 2]\n", d);
  ASSERT_TRUE(valid) << d.to_string();
  const auto a = plan_sweep(*valid, d, 1);
  const auto b = plan_sweep(*valid, d, 4);
  ASSERT_TRUE(a && b) << d.to_string();
  EXPECT_EQ(a->points.size(), b->points.size());
  EXPECT_EQ(a->fingerprint, b->fingerprint);
}

TEST(SweepPlan, AScenarioWithErrorsStopsThePlan) {
  Diagnostics d;
  auto x = parse("scenario: scenarios/many_errors.yaml\nparameters:\n  settings.kappa: [0]\n", d);
  ASSERT_TRUE(x);
  EXPECT_FALSE(plan_sweep(*x, d));
  EXPECT_TRUE(ReportsError(d, "cannot be run", {kPath, 1, 11}));
}

}  // namespace
}  // namespace cjsim
