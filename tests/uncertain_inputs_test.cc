// Uncertain inputs (sim/model/MODEL.md 1.10): numbers written as distributions, read with their
// means in the fields, checked with errors naming file, line and field, set and cleared by a
// future state's changes, written back and compared by diff.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "scenarios/diff.h"
#include "scenarios/loader.h"
#include "scenarios/uncertain.h"
#include "scenarios/validate.h"
#include "scenarios/writer.h"
#include "sim/api/uncertainty.h"
#include "uncertain_journeys.h"

namespace cjsim {
namespace {

namespace fs = std::filesystem;
using testing_uncertain::chain;
using testing_uncertain::parse;
using testing_uncertain::problems;

TEST(UncertainInputs, ADistributionIsReadWithItsMeanInTheField) {
  const Scenario s = parse(chain("{triangular: [0.2, 0.3, 0.7]}"));
  EXPECT_DOUBLE_EQ(s.touchpoints[1].dropout, 0.4);
  const std::vector<UncertainInput> inputs = uncertain_inputs(s);
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs[0].path, "touchpoints.form.dropout");
  EXPECT_EQ(uncertain_text(inputs[0].value), "triangular [0.2, 0.3, 0.7]");
  EXPECT_EQ(inputs[0].value.where.line, 5);
}

TEST(UncertainInputs, EveryFormHasItsMeanAndQuantiles) {
  const FieldRange any = kAnyNumber;
  const UncertainValue uniform{UncertainValue::Form::uniform, {2, 6}, {}};
  EXPECT_EQ(uncertain_mean(uniform), 4.0);
  EXPECT_EQ(uncertain_quantile(uniform, 0.25, any), 3.0);
  const UncertainValue triangular{UncertainValue::Form::triangular, {0, 1, 2}, {}};
  EXPECT_DOUBLE_EQ(uncertain_quantile(triangular, 0.5, any), 1.0);
  EXPECT_DOUBLE_EQ(uncertain_quantile(triangular, 0.125, any), 0.5);
  const UncertainValue normal{UncertainValue::Form::normal, {1, 2}, {}};
  EXPECT_NEAR(uncertain_quantile(normal, 0.975, any), 1 + 2 * 1.959964, 1e-5);
  // Truncated to 0 or more: the median of the part above 0.
  const double above = uncertain_quantile(normal, 0.5, kNonNegative);
  EXPECT_GT(above, 1.0);
  EXPECT_GE(uncertain_quantile(normal, 1e-9, kNonNegative), 0.0);
  const UncertainValue beta{UncertainValue::Form::beta, {2, 2}, {}};
  EXPECT_DOUBLE_EQ(uncertain_mean(beta), 0.5);
  EXPECT_NEAR(uncertain_quantile(beta, 0.5, kProbability), 0.5, 1e-12);
  // Degenerate: the value itself, exactly, at every quantile.
  const UncertainValue point{UncertainValue::Form::triangular, {0.1, 0.1, 0.1}, {}};
  EXPECT_EQ(uncertain_mean(point), 0.1);
  EXPECT_EQ(uncertain_quantile(point, 0.3, any), 0.1);
}

TEST(UncertainInputs, FormsAreAcceptedInEveryNumberOfTheParts) {
  const std::string text =
      "name: All\nstages: [s]\n"
      "settings: {memory: {uniform: [0.5, 0.9]}, kappa: {normal: [0.5, 0.1]}}\n"
      "touchpoints:\n"
      "  - {id: a, stage: s, channel: web, entry_weight: {uniform: [1, 2]}, cost: {triangular: "
      "[1, 2, 4]}, duration: {exponential: {uniform: [1, 2]}}, emotion: {mean: {uniform: [-0.2, "
      "0.2]}}}\n"
      "  - {id: b, stage: s, channel: web, conversion: {value: {normal: [50, 10]}}, duration: "
      "{beta: [2, 3]}}\n"
      "transitions:\n"
      "  - {from: a, to: b, weight: {uniform: [1, 3]}}\n"
      "personas:\n"
      "  - {id: p, share: 1, dropout_odds: {triangular: [0.5, 1, 2]}}\n";
  const Scenario s = parse(text);
  std::vector<std::string> paths;
  for (const UncertainInput& input : uncertain_inputs(s)) paths.push_back(input.path);
  EXPECT_EQ(paths, (std::vector<std::string>{
                       "settings.memory", "settings.kappa", "touchpoints.a.emotion.mean",
                       "touchpoints.a.duration.exponential", "touchpoints.a.cost",
                       "touchpoints.a.entry_weight", "touchpoints.b.duration",
                       "touchpoints.b.conversion.value", "transitions.a->b.weight",
                       "personas.p.dropout_odds"}));
}

TEST(UncertainInputs, BadFormsAreRefusedNamingFileLineAndField) {
  const auto expect = [](const std::string& dropout, const std::string& words) {
    const std::string found = problems(chain(dropout));
    EXPECT_NE(found.find("test.yaml:5:"), std::string::npos) << found;
    EXPECT_NE(found.find("dropout in touchpoint 'form'"), std::string::npos) << found;
    EXPECT_NE(found.find(words), std::string::npos) << dropout << ": " << found;
  };
  expect("{uniform: [0.5, 0.2]}", "its low 0.5 is above its high 0.2");
  expect("{triangular: [0.2, 0.6, 0.4]}", "low <= likely <= high");
  expect("{triangular: [0.2, 0.4]}", "expected 3 numbers [low, likely, high]");
  expect("{beta: [0, 2]}", "alpha and beta must be greater than 0");
  expect("{normal: [0.3, 0.1]}", "a normal is no distribution of a probability");
  expect("{uniform: [0.5, 1.2]}", "reaches 1.2, and the field must be between 0 and 1");
  expect("{uniform: [0.1, x]}", "expected a number for item 2 of the uniform");
  const std::string sd = problems(chain("0.2", "settings: {kappa: {normal: [1, 0]}}\n"));
  EXPECT_NE(sd.find("its sd must be greater than 0"), std::string::npos) << sd;
  const std::string whole = problems(chain("0.2", "settings: {max_steps: {uniform: [5, 9]}}\n"));
  EXPECT_NE(whole.find("max_steps in settings is a whole number and must be known"),
            std::string::npos)
      << whole;
  const std::string beta_cost = problems(
      "name: C\nstages: [s]\ntouchpoints:\n  - {id: a, stage: s, channel: w, entry_weight: 1, "
      "conversion: {value: 1}}\ntransitions: []\n"
      "personas:\n  - {id: p, share: {beta: [1, 1]}}\n"
      "  - {id: q, share: 1}\n");
  EXPECT_EQ(beta_cost.find("error"), std::string::npos) << beta_cost;  // 0 to 1 is a share
  const std::string weight = problems(
      "name: W\nstages: [s]\ntouchpoints:\n  - {id: a, stage: s, channel: w, entry_weight: 1}\n"
      "  - {id: b, stage: s, channel: w, conversion: {value: 1}}\n"
      "transitions:\n  - {from: a, to: b, weight: {beta: [1, 1]}}\n");
  EXPECT_NE(weight.find("a beta lies between 0 and 1, and the field must be greater than 0"),
            std::string::npos)
      << weight;
}

// A future state's change may make a known number uncertain, and a plain number known again.
TEST(UncertainInputs, FutureStateChangesSetAndClearThem) {
  const fs::path dir = fs::temp_directory_path() / ("cjsim-unc-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "base.yaml") << chain("{uniform: [0.2, 0.4]}");
  std::ofstream(dir / "guess.yaml")
      << "base: base.yaml\nname: Guess\nchanges:\n"
         "  - update_touchpoint: {id: ad, dropout: {triangular: [0.05, 0.1, 0.3]}}\n";
  std::ofstream(dir / "known.yaml")
      << "base: base.yaml\nname: Known\nchanges:\n  - update_touchpoint: {id: form, dropout: "
         "0.25}\n";
  Diagnostics diagnostics;
  const std::optional<Scenario> guess =
      load_valid_scenario((dir / "guess.yaml").string(), diagnostics);
  const std::optional<Scenario> known =
      load_valid_scenario((dir / "known.yaml").string(), diagnostics);
  const std::optional<Scenario> base =
      load_valid_scenario((dir / "base.yaml").string(), diagnostics);
  ASSERT_TRUE(guess && known && base) << diagnostics.to_string();
  EXPECT_EQ(uncertain_inputs(*guess).size(), 2u);
  EXPECT_TRUE(uncertain_inputs(*known).empty());
  EXPECT_EQ(known->touchpoints[1].dropout, 0.25);
  // diff names the distributions.
  const std::string words = format_differences(diff_scenarios(*base, *guess));
  EXPECT_NE(words.find("triangular [0.05, 0.1, 0.3]"), std::string::npos) << words;
  const std::string back = format_differences(diff_scenarios(*base, *known));
  EXPECT_NE(back.find("uniform [0.2, 0.4] -> "), std::string::npos) << back;
  fs::remove_all(dir);
}

TEST(UncertainInputs, TheWriterWritesTheFormsBack) {
  const Scenario s = parse(chain("{beta: [3, 7]}", "settings: {memory: {uniform: [0.6, 0.8]}}\n"));
  const std::string written = scenario_yaml(s);
  EXPECT_NE(written.find("{beta: [3, 7]}"), std::string::npos) << written;
  const Scenario again = parse(written);
  EXPECT_EQ(again.touchpoints[1].uncertain, s.touchpoints[1].uncertain);
  EXPECT_EQ(again.settings.uncertain, s.settings.uncertain);
}

// A persona's channel affinities may be uncertain, one channel at a time: read with the mean in
// the map, checked against the affinity's range, an input of the draws, written back, named by
// diff, and set and cleared by a future state's changes.
TEST(UncertainInputs, ChannelAffinitiesMayBeUncertain) {
  const std::string journey =
      "name: Channels\nstages: [s]\n"
      "touchpoints:\n"
      "  - {id: ad, stage: s, channel: web, entry_weight: 1, dropout: 0.1}\n"
      "  - {id: shop, stage: s, channel: store, entry_weight: 1, dropout: 0.2}\n"
      "  - {id: done, stage: s, channel: web, conversion: {value: 50}}\n"
      "transitions:\n  - {from: ad, to: done}\n  - {from: shop, to: done}\n"
      "personas:\n"
      "  - {id: p, share: 1, channel_affinity: {store: {uniform: [0.5, 1.5]}, web: 2}}\n";
  const Scenario s = parse(journey);
  EXPECT_EQ(s.personas[0].channel_affinity.at("store"), 1.0);
  EXPECT_EQ(s.personas[0].channel_affinity.at("web"), 2.0);
  const std::vector<UncertainInput> inputs = uncertain_inputs(s);
  ASSERT_EQ(inputs.size(), 1u);
  EXPECT_EQ(inputs[0].path, "personas.p.channel_affinity.store");
  // The draws set the affinity the journey compiles.
  const UncertaintyDesign design = uncertainty_design({&s}, {.draws = 4}, 3);
  for (std::size_t k = 0; k < 4; ++k) {
    const Scenario drawn = drawn_scenario(s, design, k);
    EXPECT_DOUBLE_EQ(drawn.personas[0].channel_affinity.at("store"), 0.5 + design.quantiles[k][0]);
    EXPECT_EQ(drawn.personas[0].channel_affinity.at("web"), 2.0);
  }
  // Written back, and read again the same.
  const std::string written = scenario_yaml(s);
  EXPECT_NE(written.find("store: {uniform: [0.5, 1.5]}"), std::string::npos) << written;
  EXPECT_EQ(parse(written).personas[0].uncertain, s.personas[0].uncertain);
  // Its support must lie in the affinity's range, at its line.
  std::string negative = journey;
  negative.replace(negative.find("[0.5, 1.5]"), 10, "[-1, 1.5]");
  const std::string found = problems(negative);
  EXPECT_NE(found.find("test.yaml:11:"), std::string::npos) << found;
  EXPECT_NE(found.find("channel_affinity.store in persona 'p'"), std::string::npos) << found;
  EXPECT_NE(found.find("reaches -1"), std::string::npos) << found;

  const fs::path dir = fs::temp_directory_path() / ("cjsim-aff-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "base.yaml") << journey;
  std::ofstream(dir / "known.yaml")
      << "base: base.yaml\nname: Known\nchanges:\n"
         "  - update_persona: {id: p, channel_affinity: {store: 0.8}}\n";
  std::ofstream(dir / "guess.yaml")
      << "base: base.yaml\nname: Guess\nchanges:\n"
         "  - update_persona: {id: p, channel_affinity: {web: {triangular: [1, 2, 4]}}}\n";
  Diagnostics diagnostics;
  const std::optional<Scenario> base =
      load_valid_scenario((dir / "base.yaml").string(), diagnostics);
  const std::optional<Scenario> known =
      load_valid_scenario((dir / "known.yaml").string(), diagnostics);
  const std::optional<Scenario> guess =
      load_valid_scenario((dir / "guess.yaml").string(), diagnostics);
  fs::remove_all(dir);
  ASSERT_TRUE(base && known && guess) << diagnostics.to_string();
  EXPECT_TRUE(uncertain_inputs(*known).empty());
  EXPECT_EQ(known->personas[0].channel_affinity.at("store"), 0.8);
  std::vector<std::string> paths;
  for (const UncertainInput& input : uncertain_inputs(*guess)) paths.push_back(input.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"personas.p.channel_affinity.store",
                                             "personas.p.channel_affinity.web"}));
  const std::string words = format_differences(diff_scenarios(*base, *guess));
  EXPECT_NE(words.find("triangular [1, 2, 4]"), std::string::npos) << words;
  const std::string back = format_differences(diff_scenarios(*base, *known));
  EXPECT_NE(back.find("uniform [0.5, 1.5] -> "), std::string::npos) << back;
}

}  // namespace
}  // namespace cjsim
