// Validation: each meaning problem (ranges, references, the touchpoint graph, personas) is
// reported with what is wrong and the file, line and column of the field at fault.
#include "diagnostic_matchers.h"
#include "scenarios/validate.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenarios/diagnostic.h"
#include "scenarios/loader.h"
#include "scenarios/parameter_path.h"
#include "scenarios/scenario.h"

namespace cjsim {
namespace {

using testing::ReportsError;
using testing::WarnsOf;
using testing::Reports;

const std::string kData = std::string(CJSIM_TEST_DATA) + "/scenarios/";
constexpr const char* kFile = "journey.yaml";

SourceLocation place_of(std::string_view text, std::string_view needle, int nth = 0,
                        const std::string& file = kFile) {
  return testing::find_place(text, needle, file, nth);
}

bool mentions(const Diagnostics& diagnostics, std::string_view fragment) {
  return std::any_of(diagnostics.all().begin(), diagnostics.all().end(), [&](const Diagnostic& d) {
    return d.message.find(fragment) != std::string::npos;
  });
}

// Loads `text` (which must be well formed) and validates it.
Diagnostics validate_text(const std::string& text) {
  Diagnostics diagnostics;
  const std::optional<Scenario> scenario = parse_scenario(text, kFile, diagnostics);
  EXPECT_TRUE(scenario) << "the test journey does not load:\n" << diagnostics.to_string();
  if (scenario) validate_scenario(*scenario, diagnostics);
  return diagnostics;
}

// A valid journey that writes out most fields, so that each test changes one of them.
constexpr std::string_view kBase = R"(name: Base
stages: [awareness, purchase]
settings:
  memory: 0.8
  kappa: 0
  max_steps: 100
  promoter_threshold: 9
  detractor_threshold: 7
touchpoints:
  - id: ad
    stage: awareness
    channel: social
    emotion: {mean: 0.1, sd: 0.2}
    dropout: 0.5
    duration: 1
    cost: 0.5
    entry_weight: 1
  - id: buy
    stage: purchase
    channel: web
    duration: {lognormal: {median: 0.2, sigma: 0.5}}
    conversion: {value: 10}
transitions:
  - {from: ad, to: buy, weight: 1, emotion_bias: 0}
personas:
  - id: everyone
    share: 1
    sensitivity: 1
    dropout_odds: 1
    initial_emotion: {mean: 0, sd: 0.1}
    value_multiplier: 1
    channel_affinity: {web: 1}
)";

// kBase with the first `from` replaced by `to`.
std::string base_with(std::string_view from, std::string_view to) {
  std::string text(kBase);
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(Validate, BaseJourneyHasNoProblems) {
  const Diagnostics diagnostics = validate_text(std::string(kBase));
  EXPECT_TRUE(diagnostics.all().empty()) << diagnostics.to_string();
}

TEST(Validate, GoodScenarioFileHasNoProblems) {
  Diagnostics diagnostics;
  const std::optional<Scenario> scenario = load_valid_scenario(kData + "good.yaml", diagnostics);
  EXPECT_TRUE(scenario);
  EXPECT_TRUE(diagnostics.all().empty()) << diagnostics.to_string();
}

TEST(Validate, JsonScenarioFileHasNoProblems) {
  Diagnostics diagnostics;
  EXPECT_TRUE(load_valid_scenario(kData + "good.json", diagnostics));
  EXPECT_TRUE(diagnostics.all().empty()) << diagnostics.to_string();
}

// One number out of its range: the edit to kBase, the words of the error, and the text that
// starts the field at fault.
struct RangeCase {
  const char* name;
  const char* from;
  const char* to;
  const char* message;
  const char* field;
};

class NumberOutOfRange : public ::testing::TestWithParam<RangeCase> {};

TEST_P(NumberOutOfRange, IsAnErrorAtTheField) {
  const RangeCase& c = GetParam();
  const std::string text = base_with(c.from, c.to);
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(ReportsError(diagnostics, c.message, place_of(text, c.field)));
}

const RangeCase kRangeCases[] = {
    {"MemoryAboveOne", "memory: 0.8", "memory: 1.2",
     "memory in settings must be between 0 and 1, got 1.2", "memory: 1.2"},
    {"NegativeKappa", "kappa: 0", "kappa: -1", "kappa in settings must be 0 or more, got -1",
     "kappa: -1"},
    {"MaxStepsBelowOne", "max_steps: 100", "max_steps: 0",
     "max_steps in settings must be 1 or more, got 0", "max_steps: 0"},
    {"HorizonNotPositive", "kappa: 0", "kappa: 0\n  horizon_hours: 0",
     "horizon_hours in settings must be greater than 0, got 0", "horizon_hours: 0"},
    {"PromoterThresholdAboveTen", "promoter_threshold: 9", "promoter_threshold: 11",
     "promoter_threshold in settings must be between 0 and 10, got 11", "promoter_threshold"},
    {"NegativeDetractorThreshold", "detractor_threshold: 7", "detractor_threshold: -1",
     "detractor_threshold in settings must be between 0 and 10, got -1", "detractor_threshold"},
    {"DetractorThresholdAbovePromoterThreshold", "detractor_threshold: 7",
     "detractor_threshold: 9.5",
     "detractor_threshold in settings (9.5) must not be above promoter_threshold (9)",
     "detractor_threshold"},
    {"EmotionMeanAboveOne", "{mean: 0.1, sd: 0.2}", "{mean: 1.1, sd: 0.2}",
     "emotion.mean in touchpoint 'ad' must be between -1 and 1, got 1.1", "mean: 1.1"},
    {"NegativeEmotionSd", "{mean: 0.1, sd: 0.2}", "{mean: 0.1, sd: -0.2}",
     "emotion.sd in touchpoint 'ad' must be 0 or more, got -0.2", "sd: -0.2"},
    {"DropoutAboveOne", "dropout: 0.5", "dropout: 1.5",
     "dropout in touchpoint 'ad' must be between 0 and 1, got 1.5", "dropout: 1.5"},
    {"NegativeDropout", "dropout: 0.5", "dropout: -0.1",
     "dropout in touchpoint 'ad' must be between 0 and 1, got -0.1", "dropout: -0.1"},
    {"NegativeFixedDuration", "duration: 1", "duration: -1",
     "duration in touchpoint 'ad' must be between 0 and 1e5 hours, got -1", "duration: -1"},
    {"ExponentialMeanNotPositive", "duration: 1", "duration: {exponential: 0}",
     "duration.exponential in touchpoint 'ad' must be greater than 0 and at most 1e5 hours, got 0", "exponential: 0"},
    {"LognormalMedianNotPositive", "median: 0.2", "median: 0",
     "duration.lognormal.median in touchpoint 'buy' must be greater than 0 and at most 1e5 hours, "
     "got 0", "median: 0"},
    {"NegativeLognormalSigma", "sigma: 0.5", "sigma: -0.5",
     "duration.lognormal.sigma in touchpoint 'buy' must be between 0 and 4, got -0.5", "sigma: -0.5"},
    {"NegativeCost", "cost: 0.5", "cost: -2", "cost in touchpoint 'ad' must be between 0 and 1e9, got -2",
     "cost: -2"},
    {"NegativeEntryWeight", "entry_weight: 1", "entry_weight: -1",
     "entry_weight in touchpoint 'ad' must be 0 or more, got -1", "entry_weight: -1"},
    {"NegativeConversionValue", "{value: 10}", "{value: -10}",
     "conversion.value in touchpoint 'buy' must be between 0 and 1e9, got -10", "value: -10"},
    {"ZeroTransitionWeight", "weight: 1,", "weight: 0,",
     "weight in transition 'ad' -> 'buy' must be greater than 0, got 0", "weight: 0"},
    {"NegativePersonaShare", "share: 1", "share: -1",
     "share in persona 'everyone' must be 0 or more, got -1", "share: -1"},
    {"NegativeSensitivity", "sensitivity: 1", "sensitivity: -1",
     "sensitivity in persona 'everyone' must be 0 or more, got -1", "sensitivity: -1"},
    {"NegativeDropoutOdds", "dropout_odds: 1", "dropout_odds: -2",
     "dropout_odds in persona 'everyone' must be 0 or more, got -2", "dropout_odds: -2"},
    {"InitialEmotionBelowMinusOne", "{mean: 0, sd: 0.1}", "{mean: -2, sd: 0.1}",
     "initial_emotion.mean in persona 'everyone' must be between -1 and 1, got -2", "mean: -2"},
    {"NegativeInitialEmotionSd", "{mean: 0, sd: 0.1}", "{mean: 0, sd: -1}",
     "initial_emotion.sd in persona 'everyone' must be 0 or more, got -1", "sd: -1"},
    {"NegativeValueMultiplier", "value_multiplier: 1", "value_multiplier: -0.5",
     "value_multiplier in persona 'everyone' must be between 0 and 1000, got -0.5", "value_multiplier"},
    {"NegativeChannelAffinity", "{web: 1}", "{web: -1}",
     "channel_affinity.web in persona 'everyone' must be 0 or more, got -1", "web: -1"},
    // Past these bounds a run's exact sums of squares could overflow (issue: cost 1e37 gave
    // n/a without a reason, 1e17 a zero-width interval).
    {"CostAboveTheMostASumHolds", "cost: 0.5", "cost: 1e37",
     "cost in touchpoint 'ad' must be between 0 and 1e9, got 1e+37", "cost: 1e37"},
    {"ConversionValueAboveTheMost", "{value: 10}", "{value: 2e9}",
     "conversion.value in touchpoint 'buy' must be between 0 and 1e9, got 2000000000",
     "value: 2e9"},
    {"LognormalSigmaAboveFour", "sigma: 0.5", "sigma: 11",
     "duration.lognormal.sigma in touchpoint 'buy' must be between 0 and 4, got 11", "sigma: 11"},
    {"LognormalMedianAboveTheMost", "median: 0.2", "median: 1e6",
     "duration.lognormal.median in touchpoint 'buy' must be greater than 0 and at most 1e5 "
     "hours, got 1000000",
     "median: 1e6"},
    {"FixedDurationAboveTheMost", "duration: 1", "duration: 2e5",
     "duration in touchpoint 'ad' must be between 0 and 1e5 hours, got 200000", "duration: 2e5"},
    {"ValueMultiplierAboveTheMost", "value_multiplier: 1", "value_multiplier: 5000",
     "value_multiplier in persona 'everyone' must be between 0 and 1000, got 5000",
     "value_multiplier"},
};

INSTANTIATE_TEST_SUITE_P(Validate, NumberOutOfRange, ::testing::ValuesIn(kRangeCases),
                         [](const ::testing::TestParamInfo<RangeCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(Validate, DuplicateTouchpointIdIsAnError) {
  const std::string text = base_with("  - id: buy\n", "  - id: ad\n");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(ReportsError(diagnostics, "duplicate touchpoint id 'ad'; the first is at line 10",
                           place_of(text, "id: ad", 1)));
}

TEST(Validate, TouchpointIdWithASpaceIsAnError) {
  const std::string text = base_with("id: ad", "id: 'ad campaign'");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(ReportsError(diagnostics,
                           "touchpoint id 'ad campaign' may use only letters, digits, '_', '-' "
                           "and '.'",
                           place_of(text, "id: 'ad campaign'")));
}

TEST(Validate, DuplicatePersonaIdIsAnError) {
  const std::string text = std::string(kBase) + "  - id: everyone\n";
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(ReportsError(diagnostics, "duplicate persona id 'everyone'",
                           place_of(text, "id: everyone", 1)));
}

TEST(Validate, DuplicateStageIsAnError) {
  const std::string text = base_with("[awareness, purchase]", "[awareness, purchase, awareness]");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(ReportsError(diagnostics, "stage 'awareness' is listed twice; the first is at line 2",
                           place_of(text, "awareness]")));
}

TEST(Validate, EmptyStageListIsAnError) {
  const std::string text = base_with("stages: [awareness, purchase]", "stages: []");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(ReportsError(diagnostics, "the journey has no stages", place_of(text, "stages:")));
}

TEST(Validate, MoreThanSixtyFourStagesIsAnError) {
  std::string stages = "awareness, purchase";
  for (int i = 0; i < 63; ++i) stages += ", extra" + std::to_string(i);
  const std::string text = base_with("awareness, purchase", stages);
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(ReportsError(diagnostics, "at most 64 stages are allowed, got 65",
                           place_of(text, "extra62")));
}

TEST(Validate, TouchpointStageMustBeOneOfTheStagesWithSuggestion) {
  const std::string text = base_with("stage: purchase", "stage: purchse");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(ReportsError(diagnostics,
                           "stage 'purchse' of touchpoint 'buy' is not one of the stages; did you "
                           "mean 'purchase'?",
                           place_of(text, "stage: purchse")));
}

TEST(Validate, TouchpointStageFarFromAnyStageListsTheStages) {
  const std::string text = base_with("stage: purchase", "stage: loyalty");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(ReportsError(diagnostics,
                           "stage 'loyalty' of touchpoint 'buy' is not one of the stages "
                           "(awareness, purchase)",
                           place_of(text, "stage: loyalty")));
}

TEST(Validate, TransitionToUnknownTouchpointSuggestsNearestId) {
  Diagnostics diagnostics;
  const std::string path = kData + "unknown_transition_target.yaml";
  EXPECT_FALSE(load_valid_scenario(path, diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics,
                           "transition to unknown touchpoint 'chekout'; did you mean 'checkout'?",
                           {path, 15, 5}));
}

TEST(Validate, TransitionFromUnknownTouchpointListsTheTouchpoints) {
  const std::string text = base_with("{from: ad,", "{from: nowhere,");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(ReportsError(diagnostics,
                           "transition from unknown touchpoint 'nowhere'; the touchpoints are: ad, "
                           "buy",
                           place_of(text, "from: nowhere")));
}

TEST(Validate, DuplicateTransitionIsAnError) {
  const std::string text = base_with("personas:", "  - {from: ad, to: buy}\npersonas:");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(ReportsError(diagnostics,
                           "duplicate transition 'ad' -> 'buy'; the first is at line 24",
                           place_of(text, "{from: ad, to: buy}")));
}

TEST(Validate, NoEntryTouchpointIsAnError) {
  const std::string text = base_with("entry_weight: 1", "entry_weight: 0");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(ReportsError(diagnostics, "no entry touchpoint: every entry_weight is 0",
                           place_of(text, "touchpoints:")));
}

TEST(Validate, NoConversionTouchpointIsAnError) {
  const std::string text = base_with("    conversion: {value: 10}\n", "");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(
      ReportsError(diagnostics, "no conversion touchpoint", place_of(text, "touchpoints:")));
}

TEST(Validate, AllPersonaSharesZeroIsAnError) {
  const std::string text = base_with("share: 1", "share: 0") + "  - id: other\n    share: 0\n";
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(ReportsError(diagnostics, "every persona has share 0", place_of(text, "share: 0")));
}

TEST(Validate, SomePersonaWithAShareIsEnough) {
  const std::string text = base_with("share: 1", "share: 0") + "  - id: other\n";
  EXPECT_FALSE(mentions(validate_text(text), "share"));
}

TEST(Validate, PersonaThatCannotReachAnyEntryIsAnError) {
  const std::string text = base_with("{web: 1}", "{social: 0}");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(ReportsError(diagnostics,
                           "persona 'everyone' can never start a journey: every entry touchpoint "
                           "is on a channel with affinity 0 for it (social)",
                           place_of(text, "channel_affinity")));
}

TEST(Validate, PersonaThatCannotLeaveATouchpointIsAnError) {
  const std::string text = base_with("{web: 1}", "{web: 0}");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(ReportsError(diagnostics,
                           "persona 'everyone' can never leave 'ad': every transition out of it "
                           "goes to a channel with affinity 0",
                           place_of(text, "web: 0")));
}

TEST(Validate, PersonaMayLeaveThroughAnyChannelItLikes) {
  // A second way out of 'ad', on a channel the persona does not shun.
  const std::string text =
      base_with("transitions:",
                "  - {id: shop, stage: purchase, channel: store, conversion: {value: 5}}\n"
                "transitions:\n  - {from: ad, to: shop}");
  const std::string shunning_web = text.substr(0, text.rfind("{web: 1}")) + "{web: 0}\n";
  const Diagnostics diagnostics = validate_text(shunning_web);
  EXPECT_FALSE(mentions(diagnostics, "can never leave")) << diagnostics.to_string();
}

TEST(Validate, ClosedCycleWithoutDropoutIsAnError) {
  Diagnostics diagnostics;
  const std::string path = kData + "trap.yaml";
  EXPECT_FALSE(load_valid_scenario(path, diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics,
                           "journeys that enter {chat, faq} can never end: no touchpoint in this "
                           "cycle has a dropout and no transition leaves it; only max_steps would "
                           "stop them",
                           {path, 10, 5}));
}

constexpr std::string_view kLoop = R"(name: Loop
stages: [s]
touchpoints:
  - {id: start, stage: s, channel: web, entry_weight: 1, dropout: 0.1}
  - {id: spin, stage: s, channel: web, conversion: {value: 1}}
transitions:
  - {from: start, to: spin}
  - {from: spin, to: spin}
)";

TEST(Validate, SelfLoopWithoutDropoutIsAnError) {
  const std::string text(kLoop);
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(ReportsError(diagnostics, "journeys that enter {spin} can never end",
                           place_of(text, "{id: spin")));
}

TEST(Validate, CycleWithADropoutIsNotATrap) {
  std::string text(kLoop);
  text.replace(text.find("conversion: {value: 1}"), 22, "conversion: {value: 1}, dropout: 0.01");
  EXPECT_FALSE(mentions(validate_text(text), "never end"));
}

TEST(Validate, CycleWithAWayOutIsNotATrap) {
  std::string text(kLoop);
  text += "  - {from: spin, to: start}\n";
  EXPECT_FALSE(mentions(validate_text(text), "never end"));
}

TEST(Validate, CycleUnderAHorizonThatTakesTimeIsOnlyAWarning) {
  std::string text(kLoop);
  text.replace(text.find("conversion:"), 11, "duration: 0.5, conversion:");
  text += "settings: {horizon_hours: 48}\n";
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_EQ(diagnostics.error_count(), 0u) << diagnostics.to_string();
  EXPECT_TRUE(WarnsOf(diagnostics, "journeys that enter {spin} never end on their own",
                      place_of(text, "{id: spin")));
  // Visits of half an hour: the horizon comes long before max_steps (1000 visits, 500 hours).
  EXPECT_TRUE(mentions(diagnostics, "the horizon (48 hours) stops them, as censored"));
}

TEST(Validate, CycleUnderAHorizonThatTakesNoTimeIsStillAnError) {
  std::string text(kLoop);
  text += "settings: {horizon_hours: 48}\n";
  EXPECT_TRUE(ReportsError(validate_text(text), "journeys that enter {spin} can never end",
                           place_of(text, "{id: spin")));
}

TEST(Validate, UnreachableTouchpointIsAWarning) {
  const std::string text =
      base_with("transitions:", "  - {id: lost, stage: purchase, channel: web}\ntransitions:");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_EQ(diagnostics.error_count(), 0u) << diagnostics.to_string();
  EXPECT_TRUE(WarnsOf(diagnostics, "touchpoint 'lost' cannot be reached from any entry touchpoint",
                      place_of(text, "{id: lost")));
}

TEST(Validate, UnreachableConversionTouchpointIsAWarning) {
  const std::string text = base_with(
      "transitions:",
      "  - {id: upsell, stage: purchase, channel: web, conversion: {value: 3}}\ntransitions:");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(WarnsOf(diagnostics,
                      "conversion touchpoint 'upsell' cannot be reached from any entry "
                      "touchpoint, so no journey converts there",
                      place_of(text, "conversion: {value: 3}")));
}

TEST(Validate, StageWithoutTouchpointIsAWarning) {
  const std::string text = base_with("[awareness, purchase]", "[awareness, purchase, loyalty]");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(WarnsOf(diagnostics, "stage 'loyalty' has no touchpoint", place_of(text, "loyalty")));
}

TEST(Validate, CertainDropoutBeforeTransitionsIsAWarning) {
  const std::string text = base_with("dropout: 0.5", "dropout: 1");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(WarnsOf(diagnostics,
                      "every journey ends at 'ad' (dropout 1), so its transitions to buy are "
                      "never taken",
                      place_of(text, "dropout: 1")));
}

TEST(Validate, AffinityForUnknownChannelSuggestsAUsedChannel) {
  const std::string text = base_with("{web: 1}", "{wbe: 2}");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_EQ(diagnostics.error_count(), 0u) << diagnostics.to_string();
  EXPECT_TRUE(WarnsOf(diagnostics,
                      "persona 'everyone' has an affinity for channel 'wbe', which no touchpoint "
                      "uses; did you mean 'web'?",
                      place_of(text, "wbe: 2")));
}

TEST(Validate, AffinityForFarAwayChannelListsTheChannels) {
  const std::string text = base_with("{web: 1}", "{television: 2}");
  EXPECT_TRUE(WarnsOf(validate_text(text), "; the channels are: social, web",
                      place_of(text, "television: 2")));
}

TEST(Validate, EveryProblemIsReportedNotJustTheFirst) {
  std::string text = base_with("dropout: 0.5", "dropout: 2");
  text.replace(text.find("stage: purchase"), 15, "stage: checkout");
  text.replace(text.find("to: buy"), 7, "to: bye");
  text.replace(text.find("share: 1"), 8, "share: -3");
  const Diagnostics diagnostics = validate_text(text);
  EXPECT_TRUE(
      ReportsError(diagnostics, "dropout in touchpoint 'ad'", place_of(text, "dropout: 2")));
  EXPECT_TRUE(ReportsError(diagnostics, "stage 'checkout'", place_of(text, "stage: checkout")));
  EXPECT_TRUE(ReportsError(diagnostics, "unknown touchpoint 'bye'; did you mean 'buy'?",
                           place_of(text, "to: bye")));
  EXPECT_TRUE(
      ReportsError(diagnostics, "share in persona 'everyone'", place_of(text, "share: -3")));
}

TEST(Validate, LoadValidScenarioKeepsWarningsAndReturnsTheScenario) {
  Diagnostics diagnostics;
  const std::string path = kData + "warnings_only.yaml";
  const std::optional<Scenario> scenario = load_valid_scenario(path, diagnostics);
  ASSERT_TRUE(scenario) << diagnostics.to_string();
  EXPECT_EQ(scenario->name, "Warnings only");
  EXPECT_EQ(diagnostics.error_count(), 0u);
  EXPECT_TRUE(WarnsOf(diagnostics, "stage 'loyalty' has no touchpoint", {path, 2, 31}));
}

TEST(Validate, LoadValidScenarioIgnoresErrorsTheCallerHadBefore) {
  Diagnostics diagnostics;
  diagnostics.error({"elsewhere.yaml", 1, 1}, "an earlier, unrelated error");
  EXPECT_TRUE(load_valid_scenario(kData + "good.yaml", diagnostics));
  EXPECT_EQ(diagnostics.all().size(), 1u) << diagnostics.to_string();
}

TEST(Validate, LoadValidScenarioReturnsNothingOnLoadErrors) {
  Diagnostics diagnostics;
  EXPECT_FALSE(load_valid_scenario(kData + "unknown_key.yaml", diagnostics));
  EXPECT_TRUE(diagnostics.has_errors());
}

// Scenarios built in code (by changes, fits, tests) get the same checks as files; with no
// file behind them their diagnostics carry no place.
Scenario code_built_journey() {
  Scenario scenario;
  scenario.name = "in code";
  scenario.stages = {"awareness", "purchase"};
  Touchpoint ad;
  ad.id = "ad";
  ad.stage = "awareness";
  ad.channel = "social";
  ad.entry_weight = 1.0;
  ad.dropout = 0.2;
  Touchpoint buy;
  buy.id = "buy";
  buy.stage = "purchase";
  buy.channel = "web";
  buy.conversion = true;
  buy.value = 20.0;
  scenario.touchpoints = {ad, buy};
  Transition step;
  step.from = "ad";
  step.to = "buy";
  scenario.transitions = {step};
  scenario.personas = {neutral_persona()};
  return scenario;
}

TEST(Validate, CodeBuiltJourneyHasNoProblems) {
  Diagnostics diagnostics;
  validate_scenario(code_built_journey(), diagnostics);
  EXPECT_TRUE(diagnostics.all().empty()) << diagnostics.to_string();
}

TEST(Validate, NotANumberBuiltInCodeIsAnError) {
  Scenario scenario = code_built_journey();
  scenario.touchpoints[0].dropout = std::numeric_limits<double>::quiet_NaN();
  scenario.transitions[0].emotion_bias = std::numeric_limits<double>::infinity();
  Diagnostics diagnostics;
  validate_scenario(scenario, diagnostics);
  EXPECT_TRUE(
      ReportsError(diagnostics, "dropout in touchpoint 'ad' must be a finite number", {"", 0, 0}));
  EXPECT_TRUE(ReportsError(
      diagnostics, "emotion_bias in transition 'ad' -> 'buy' must be a finite number", {"", 0, 0}));
}

TEST(Validate, CodeBuiltScenarioWithoutPersonasIsAnError) {
  Scenario scenario = code_built_journey();
  scenario.personas.clear();
  Diagnostics diagnostics;
  validate_scenario(scenario, diagnostics);
  EXPECT_TRUE(mentions(diagnostics, "the scenario has no persona"));
}

TEST(Validate, CodeBuiltTouchpointWithoutIdOrChannelIsAnError) {
  Scenario scenario = code_built_journey();
  scenario.touchpoints[1].id = "";
  scenario.touchpoints[1].channel = "";
  scenario.transitions.clear();
  Diagnostics diagnostics;
  validate_scenario(scenario, diagnostics);
  EXPECT_TRUE(mentions(diagnostics, "touchpoint #2 has an empty id"));
  EXPECT_TRUE(mentions(diagnostics, "touchpoint #2 has no channel"));
}

TEST(Validate, CodeBuiltScenarioProblemsNameItsSourcePath) {
  Scenario scenario = code_built_journey();
  scenario.source_path = "changed.yaml";
  scenario.touchpoints[0].cost = -1.0;
  Diagnostics diagnostics;
  validate_scenario(scenario, diagnostics);
  EXPECT_TRUE(ReportsError(diagnostics, "cost in touchpoint 'ad' must be between 0 and 1e9",
                           {"changed.yaml", 0, 0}));
}

// The errors of a scenario, one line each with their places: what a design point reports.
std::string errors_of(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics.all()) {
    if (d.severity != Severity::error) continue;
    out += fmt::format("{}:{}:{}: {}\n", d.where.file, d.where.line, d.where.column, d.message);
  }
  return out;
}

TEST(ValidateChanged, FindsTheSameErrorsAsTheWholeValidationForEveryPart) {
  Diagnostics loaded;
  const std::optional<Scenario> base =
      load_valid_scenario(std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/retail.yaml", loaded);
  ASSERT_TRUE(base) << loaded.to_string();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // Each case: parameters and values, and whether the values make an invalid journey.
  struct Case {
    std::vector<std::pair<std::string, double>> values;
    bool invalid;
  };
  const std::vector<Case> cases = {
      {{{"touchpoints.basket.dropout", 0.3}, {"settings.kappa", 1.5}}, false},
      {{{"touchpoints.basket.dropout", 1.5}}, true},
      {{{"touchpoints.basket.dropout", nan}, {"touchpoints.reviews.dropout", -0.1}}, true},
      {{{"transitions.social_ad->product_page.weight", -1}}, true},
      {{{"personas.digital_native.share", -0.5}}, true},
      {{{"personas.digital_native.channel_affinity.web", -2}}, true},
      {{{"settings.kappa", -1}, {"settings.detractor_threshold", 10}}, true},
      // The whole journey's checks: no entry left, and no persona share left.
      {{{"touchpoints.social_ad.entry_weight", 0}, {"touchpoints.search_ad.entry_weight", 0},
        {"touchpoints.email_promo.entry_weight", 0}, {"touchpoints.store_walk_in.entry_weight", 0}},
       true},
      {{{"personas.digital_native.share", 0}, {"personas.bargain_hunter.share", 0},
        {"personas.store_loyalist.share", 0}, {"personas.busy_professional.share", 0}},
       true},
      {{{"personas.bargain_hunter.channel_affinity.search", 0},
        {"personas.bargain_hunter.channel_affinity.email", 0},
        {"personas.bargain_hunter.channel_affinity.store", 0},
        {"personas.bargain_hunter.channel_affinity.social", 0}},
       true},
  };
  for (const Case& c : cases) {
    std::vector<ParameterPath> paths;
    Scenario point = *base;
    for (const auto& [text, value] : c.values) {
      std::string problem;
      const std::optional<ParameterPath> path = parse_parameter_path(text, problem);
      ASSERT_TRUE(path) << text << ": " << problem;
      ASSERT_FALSE(check_parameter_path(*base, *path)) << text;
      paths.push_back(*path);
      ASSERT_FALSE(set_parameter(point, *path, value)) << text;
    }
    Diagnostics whole, changed;
    validate_scenario(point, whole);
    validate_changed(point, changed_parts(*base, paths), changed);
    EXPECT_EQ(whole.has_errors(), c.invalid) << c.values.front().first << "\n"
                                             << whole.to_string();
    EXPECT_EQ(errors_of(changed), errors_of(whole)) << c.values.front().first;
  }
}

// A design point's whole-journey errors come from numbers they read: a dropout that falls to 0
// closes a cycle, a duration that falls to 0 turns a cycle under a horizon into an error; the
// changed validation finds them as the whole one does, and nothing where there is none.
TEST(ValidateChanged, FindsTheWholeJourneysErrorsThatChangedNumbersMake) {
  struct Case {
    std::string path;
    double value;
    bool invalid;
  };
  const auto check = [](const std::string& text, const std::vector<Case>& cases) {
    Diagnostics loaded;
    const std::optional<Scenario> base = parse_scenario(text, kFile, loaded);
    ASSERT_TRUE(base) << loaded.to_string();
    validate_scenario(*base, loaded);
    ASSERT_FALSE(loaded.has_errors()) << loaded.to_string();
    for (const Case& c : cases) {
      std::string problem;
      const std::optional<ParameterPath> path = parse_parameter_path(c.path, problem);
      ASSERT_TRUE(path) << c.path << ": " << problem;
      ASSERT_FALSE(check_parameter_path(*base, *path)) << c.path;
      Scenario point = *base;
      ASSERT_FALSE(set_parameter(point, *path, c.value)) << c.path;
      Diagnostics whole, changed;
      validate_scenario(point, whole);
      validate_changed(point, changed_parts(*base, std::span(&*path, 1)), changed);
      EXPECT_EQ(whole.has_errors(), c.invalid) << c.path << " " << c.value << "\n"
                                               << whole.to_string();
      EXPECT_EQ(errors_of(changed), errors_of(whole)) << c.path << " " << c.value;
    }
  };
  std::string dropping(kLoop);
  dropping.replace(dropping.find("conversion: {value: 1}"), 22,
                   "conversion: {value: 1}, dropout: 0.01");
  check(dropping, {{"touchpoints.spin.dropout", 0.0, true},
                   {"touchpoints.spin.dropout", 0.5, false},
                   {"touchpoints.spin.dropout", 1.0, false},
                   {"touchpoints.start.dropout", 0.0, false},
                   {"settings.kappa", 1.0, false}});
  std::string timed(kLoop);
  timed.replace(timed.find("conversion:"), 11, "duration: 0.5, conversion:");
  timed += "settings: {horizon_hours: 48}\n";
  check(timed, {{"touchpoints.spin.duration", 0.0, true},
                {"touchpoints.spin.duration", 2.0, false},
                {"touchpoints.spin.cost", 2.0, false}});
}

TEST(ValidateChanged, NamesTheFirstPartOfEachParameterAndNothingElse) {
  Diagnostics loaded;
  const std::optional<Scenario> base =
      load_valid_scenario(std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/retail.yaml", loaded);
  ASSERT_TRUE(base) << loaded.to_string();
  std::vector<ParameterPath> paths;
  for (const char* text : {"touchpoints.basket.dropout", "transitions.search_ad->price_compare.weight",
                           "personas.store_loyalist.share", "settings.kappa"}) {
    std::string problem;
    paths.push_back(*parse_parameter_path(text, problem));
  }
  const ChangedParts changed = changed_parts(*base, paths);
  ASSERT_EQ(changed.touchpoints.size(), base->touchpoints.size());
  ASSERT_EQ(changed.transitions.size(), base->transitions.size());
  ASSERT_EQ(changed.personas.size(), base->personas.size());
  for (std::size_t i = 0; i < base->touchpoints.size(); ++i) {
    EXPECT_EQ(changed.touchpoints[i], base->touchpoints[i].id == "basket") << i;
  }
  for (std::size_t i = 0; i < base->transitions.size(); ++i) {
    const Transition& t = base->transitions[i];
    EXPECT_EQ(changed.transitions[i], t.from == "search_ad" && t.to == "price_compare") << i;
  }
  for (std::size_t i = 0; i < base->personas.size(); ++i) {
    EXPECT_EQ(changed.personas[i], base->personas[i].id == "store_loyalist") << i;
  }
}

}  // namespace
}  // namespace cjsim
