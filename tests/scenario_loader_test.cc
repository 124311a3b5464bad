// Reading scenario files: every field lands where it should, defaults fill the rest, and
// every shape problem is reported with the file, line and column it comes from.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

#include "diagnostic_matchers.h"
#include "scenarios/diagnostic.h"
#include "scenarios/did_you_mean.h"
#include "scenarios/loader.h"
#include "scenarios/scenario.h"

namespace cjsim {
namespace {

using testing::Reports;
using testing::ReportsError;
using testing::WarnsOf;

const std::string kData = std::string(CJSIM_TEST_DATA) + "/scenarios/";

SourceLocation place_of(std::string_view text, std::string_view needle, const std::string& file,
                        int nth = 0) {
  return testing::find_place(text, needle, file, nth);
}

// The smallest journey the loader accepts, to which each test adds what it is about.
constexpr std::string_view kMinimal = R"(name: Minimal
stages: [purchase]
touchpoints:
  - id: buy
    stage: purchase
    channel: web
)";

std::string with(std::string_view extra) { return std::string(kMinimal) + std::string(extra); }

bool mentions(const Diagnostics& diagnostics, std::string_view fragment) {
  return std::any_of(diagnostics.all().begin(), diagnostics.all().end(), [&](const Diagnostic& d) {
    return d.message.find(fragment) != std::string::npos;
  });
}

TEST(DidYouMean, SwappedLettersCountAsOneEdit) {
  EXPECT_EQ(edit_distance("dropuot", "dropout"), 1u);
  EXPECT_EQ(edit_distance("wieght", "weight"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
}

TEST(DidYouMean, SuggestsOnlyNamesWithinTwoEdits) {
  const std::vector<std::string> names = {"checkout", "search", "help"};
  EXPECT_EQ(did_you_mean("chekout", names), "; did you mean 'checkout'?");
  EXPECT_EQ(did_you_mean("serch", names), "; did you mean 'search'?");
  EXPECT_EQ(did_you_mean("basket", names), "");
}

TEST(DidYouMean, ShortNamesAreNotRewrittenWhole) {
  const std::vector<std::string_view> keys = {"id", "to", "from"};
  EXPECT_EQ(nearest_name("xy", keys), std::nullopt);
  EXPECT_EQ(nearest_name("ot", keys), std::optional<std::string>("to"));
}

TEST(ScenarioLoader, GoodScenarioLoadsEveryField) {
  Diagnostics diagnostics;
  const std::string path = kData + "good.yaml";
  const std::optional<Scenario> scenario = load_scenario_file(path, diagnostics);
  ASSERT_TRUE(scenario) << diagnostics.to_string();
  EXPECT_TRUE(diagnostics.all().empty()) << diagnostics.to_string();

  EXPECT_EQ(scenario->name, "Online shop");
  EXPECT_EQ(scenario->description, "Browse, buy, get help.");
  EXPECT_EQ(scenario->stages,
            (std::vector<std::string>{"awareness", "consideration", "purchase", "service"}));
  EXPECT_EQ(scenario->source_path, path);
  EXPECT_NE(scenario->source_text.find("Online shop"), std::string::npos);

  const Settings& settings = scenario->settings;
  EXPECT_DOUBLE_EQ(settings.memory, 0.7);
  EXPECT_DOUBLE_EQ(settings.kappa, 1.5);
  EXPECT_EQ(settings.max_steps, 200);
  ASSERT_TRUE(settings.horizon_hours);
  EXPECT_DOUBLE_EQ(*settings.horizon_hours, 720.0);
  ASSERT_TRUE(settings.seed);
  EXPECT_EQ(*settings.seed, 42u);
  EXPECT_DOUBLE_EQ(settings.promoter_threshold, 8.5);
  EXPECT_DOUBLE_EQ(settings.detractor_threshold, 6.5);

  ASSERT_EQ(scenario->touchpoints.size(), 4u);
  const Touchpoint& ad = scenario->touchpoints[0];
  EXPECT_EQ(ad.id, "ad");
  EXPECT_EQ(ad.name, "Social ad");
  EXPECT_EQ(ad.stage, "awareness");
  EXPECT_EQ(ad.channel, "social");
  EXPECT_DOUBLE_EQ(ad.emotion_mean, 0.1);
  EXPECT_DOUBLE_EQ(ad.emotion_sd, 0.2);
  EXPECT_DOUBLE_EQ(ad.dropout, 0.3);
  EXPECT_EQ(ad.duration.kind, Duration::Kind::fixed);
  EXPECT_DOUBLE_EQ(ad.duration.hours, 0.05);
  EXPECT_DOUBLE_EQ(ad.cost, 0.4);
  EXPECT_DOUBLE_EQ(ad.entry_weight, 3.0);
  EXPECT_FALSE(ad.conversion);

  const Touchpoint& search = scenario->touchpoints[1];
  EXPECT_EQ(search.name, "search");  // no name: the id
  EXPECT_DOUBLE_EQ(search.emotion_mean, -0.05);
  EXPECT_EQ(search.duration.kind, Duration::Kind::exponential);
  EXPECT_DOUBLE_EQ(search.duration.hours, 0.5);

  const Touchpoint& checkout = scenario->touchpoints[2];
  EXPECT_EQ(checkout.duration.kind, Duration::Kind::lognormal);
  EXPECT_DOUBLE_EQ(checkout.duration.median, 0.2);
  EXPECT_DOUBLE_EQ(checkout.duration.sigma, 0.5);
  EXPECT_TRUE(checkout.conversion);
  EXPECT_DOUBLE_EQ(checkout.value, 120.0);
  EXPECT_DOUBLE_EQ(checkout.emotion_sd, 0.0);  // only the mean given

  const Touchpoint& help = scenario->touchpoints[3];
  EXPECT_DOUBLE_EQ(help.emotion_mean, 0.0);
  EXPECT_DOUBLE_EQ(help.emotion_sd, 0.3);

  ASSERT_EQ(scenario->transitions.size(), 4u);
  EXPECT_EQ(scenario->transitions[0].from, "ad");
  EXPECT_EQ(scenario->transitions[0].to, "search");
  EXPECT_DOUBLE_EQ(scenario->transitions[0].weight, 2.0);
  EXPECT_DOUBLE_EQ(scenario->transitions[1].emotion_bias, 0.5);
  EXPECT_DOUBLE_EQ(scenario->transitions[2].weight, 1.0);
  EXPECT_DOUBLE_EQ(scenario->transitions[3].weight, 0.2);
  EXPECT_DOUBLE_EQ(scenario->transitions[3].emotion_bias, -1.0);

  ASSERT_EQ(scenario->personas.size(), 2u);
  const Persona& hunter = scenario->personas[0];
  EXPECT_EQ(hunter.id, "bargain_hunter");
  EXPECT_DOUBLE_EQ(hunter.share, 3.0);
  EXPECT_DOUBLE_EQ(hunter.sensitivity, 1.2);
  EXPECT_DOUBLE_EQ(hunter.dropout_odds, 1.5);
  EXPECT_DOUBLE_EQ(hunter.initial_emotion_mean, -0.1);
  EXPECT_DOUBLE_EQ(hunter.initial_emotion_sd, 0.2);
  EXPECT_DOUBLE_EQ(hunter.value_multiplier, 0.8);
  EXPECT_EQ(hunter.channel_affinity,
            (std::map<std::string, double, std::less<>>{{"call_centre", 0.5}, {"web", 1.5}}));
  EXPECT_DOUBLE_EQ(scenario->personas[1].sensitivity, 1.0);
}

TEST(ScenarioLoader, LocationsOfEntitiesAndFieldsAreRecorded) {
  Diagnostics diagnostics;
  const std::string path = kData + "good.yaml";
  const std::optional<Scenario> scenario = load_scenario_file(path, diagnostics);
  ASSERT_TRUE(scenario) << diagnostics.to_string();
  const std::string& text = scenario->source_text;
  auto expect_at = [&](const SourceLocation& actual, std::string_view needle, int nth = 0) {
    const SourceLocation expected = place_of(text, needle, path, nth);
    EXPECT_EQ(actual.file, expected.file) << needle;
    EXPECT_EQ(actual.line, expected.line) << needle;
    EXPECT_EQ(actual.column, expected.column) << needle;
  };
  const Touchpoint& checkout = scenario->touchpoints[2];
  expect_at(checkout.where, "id: checkout");
  expect_at(checkout.fields.at("dropout"), "dropout: 0.1");
  expect_at(checkout.fields.at("emotion.mean"), "mean: 0.3");
  expect_at(checkout.fields.at("duration"), "duration: {lognormal");
  expect_at(checkout.fields.at("duration.lognormal.median"), "median: 0.2");
  expect_at(checkout.fields.at("conversion.value"), "value: 120");
  expect_at(scenario->transitions[3].where, "from: checkout");
  expect_at(scenario->transitions[3].fields.at("to"), "to: help");
  expect_at(scenario->transitions[1].fields.at("emotion_bias"), "emotion_bias: 0.5");
  expect_at(scenario->personas[0].fields.at("channel_affinity.web"), "web: 1.5");
  expect_at(scenario->personas[0].fields.at("initial_emotion.sd"), "sd: 0.2}", 1);
  expect_at(scenario->settings.fields.at("memory"), "memory: 0.7");
  expect_at(scenario->fields.at("touchpoints"), "touchpoints:");
  expect_at(scenario->fields.at("stages[2]"), "purchase, service");
}

TEST(ScenarioLoader, OmittedFieldsTakeTheirDefaults) {
  Diagnostics diagnostics;
  const std::string text = with("transitions:\n  - {from: buy, to: buy}\n");
  const std::optional<Scenario> scenario = parse_scenario(text, "minimal.yaml", diagnostics);
  ASSERT_TRUE(scenario) << diagnostics.to_string();

  const Settings& settings = scenario->settings;
  EXPECT_DOUBLE_EQ(settings.memory, 0.8);
  EXPECT_DOUBLE_EQ(settings.kappa, 0.0);
  EXPECT_EQ(settings.max_steps, 1000);
  EXPECT_FALSE(settings.horizon_hours);
  EXPECT_FALSE(settings.seed);
  EXPECT_DOUBLE_EQ(settings.promoter_threshold, 9.0);
  EXPECT_DOUBLE_EQ(settings.detractor_threshold, 7.0);

  const Touchpoint& buy = scenario->touchpoints.at(0);
  EXPECT_EQ(buy.name, "buy");
  EXPECT_DOUBLE_EQ(buy.emotion_mean, 0.0);
  EXPECT_DOUBLE_EQ(buy.emotion_sd, 0.0);
  EXPECT_DOUBLE_EQ(buy.dropout, 0.0);
  EXPECT_EQ(buy.duration.kind, Duration::Kind::fixed);
  EXPECT_DOUBLE_EQ(buy.duration.hours, 0.0);
  EXPECT_DOUBLE_EQ(buy.cost, 0.0);
  EXPECT_DOUBLE_EQ(buy.entry_weight, 0.0);
  EXPECT_FALSE(buy.conversion);
  EXPECT_DOUBLE_EQ(buy.value, 0.0);

  const Transition& loop = scenario->transitions.at(0);
  EXPECT_DOUBLE_EQ(loop.weight, 1.0);
  EXPECT_DOUBLE_EQ(loop.emotion_bias, 0.0);

  ASSERT_EQ(scenario->personas.size(), 1u);
  const Persona neutral = neutral_persona();
  EXPECT_EQ(scenario->personas[0].id, neutral.id);
  EXPECT_DOUBLE_EQ(scenario->personas[0].share, 1.0);
  EXPECT_TRUE(scenario->personas[0].channel_affinity.empty());
}

TEST(ScenarioLoader, PersonaDefaultsApplyToOmittedPersonaFields) {
  Diagnostics diagnostics;
  const std::optional<Scenario> scenario =
      parse_scenario(with("personas:\n  - id: casual\n"), "p.yaml", diagnostics);
  ASSERT_TRUE(scenario) << diagnostics.to_string();
  const Persona& casual = scenario->personas.at(0);
  EXPECT_EQ(casual.id, "casual");
  EXPECT_DOUBLE_EQ(casual.share, 1.0);
  EXPECT_DOUBLE_EQ(casual.sensitivity, 1.0);
  EXPECT_DOUBLE_EQ(casual.dropout_odds, 1.0);
  EXPECT_DOUBLE_EQ(casual.initial_emotion_mean, 0.0);
  EXPECT_DOUBLE_EQ(casual.initial_emotion_sd, 0.0);
  EXPECT_DOUBLE_EQ(casual.value_multiplier, 1.0);
}

TEST(ScenarioLoader, EmptyPersonaListGivesOneNeutralPersona) {
  Diagnostics diagnostics;
  const std::optional<Scenario> scenario =
      parse_scenario(with("personas: []\ntransitions:\n"), "p.yaml", diagnostics);
  ASSERT_TRUE(scenario) << diagnostics.to_string();
  ASSERT_EQ(scenario->personas.size(), 1u);
  EXPECT_EQ(scenario->personas[0].id, neutral_persona().id);
  EXPECT_TRUE(scenario->transitions.empty());
}

TEST(ScenarioLoader, JsonInputLoads) {
  Diagnostics diagnostics;
  const std::optional<Scenario> scenario = load_scenario_file(kData + "good.json", diagnostics);
  ASSERT_TRUE(scenario) << diagnostics.to_string();
  EXPECT_EQ(scenario->name, "JSON journey");
  EXPECT_DOUBLE_EQ(scenario->settings.memory, 0.5);
  EXPECT_EQ(scenario->settings.seed, std::optional<std::uint64_t>(7));
  ASSERT_EQ(scenario->touchpoints.size(), 2u);
  EXPECT_EQ(scenario->touchpoints[0].duration.kind, Duration::Kind::exponential);
  EXPECT_DOUBLE_EQ(scenario->touchpoints[0].duration.hours, 2.0);
  EXPECT_DOUBLE_EQ(scenario->touchpoints[1].value, 50.0);
  EXPECT_DOUBLE_EQ(scenario->transitions.at(0).weight, 1.5);
  EXPECT_DOUBLE_EQ(scenario->personas.at(0).channel_affinity.at("web"), 2.0);
}

TEST(ScenarioLoader, JsonErrorsPointAtTheJsonKey) {
  Diagnostics diagnostics;
  const std::string text = R"({
  "name": "x",
  "stages": ["purchase"],
  "touchpoints": [{"id": "buy", "stage": "purchase", "channel": "web", "dropout": "0.5"}]
})";
  EXPECT_FALSE(parse_scenario(text, "j.json", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics, "expected a number for dropout in touchpoint 'buy'",
                           place_of(text, "\"dropout\"", "j.json")));
  EXPECT_TRUE(
      ReportsError(diagnostics, "remove the quotes", place_of(text, "\"dropout\"", "j.json")));
}

TEST(ScenarioLoader, UnknownKeySuggestsNearestName) {
  Diagnostics diagnostics;
  const std::string path = kData + "unknown_key.yaml";
  EXPECT_FALSE(load_scenario_file(path, diagnostics));
  EXPECT_TRUE(ReportsError(
      diagnostics, "unknown key 'dropuot' in touchpoint 'checkout'; did you mean 'dropout'?",
      {path, 8, 5}));
  EXPECT_EQ(diagnostics.error_count(), 1u);
}

TEST(ScenarioLoader, UnknownKeyFarFromAnyNameListsTheAllowedKeys) {
  Diagnostics diagnostics;
  const std::string text = with("settings:\n  colour: blue\n");
  EXPECT_FALSE(parse_scenario(text, "s.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics,
                           "unknown key 'colour' in settings; allowed keys are: memory, kappa, "
                           "max_steps, horizon_hours, seed, promoter_threshold, "
                           "detractor_threshold",
                           place_of(text, "colour", "s.yaml")));
}

TEST(ScenarioLoader, UnknownKeyInNestedMapNamesItsParent) {
  Diagnostics diagnostics;
  const std::string text = with("    emotion: {mena: 0.2, sd: 0.1}\n");
  EXPECT_FALSE(parse_scenario(text, "n.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(
      diagnostics, "unknown key 'mena' in emotion in touchpoint 'buy'; did you mean 'mean'?",
      place_of(text, "mena", "n.yaml")));
}

TEST(ScenarioLoader, UnknownTopLevelKeyIsAnError) {
  Diagnostics diagnostics;
  const std::string text = with("transition:\n  - {from: buy, to: buy}\n");
  EXPECT_FALSE(parse_scenario(text, "t.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics,
                           "unknown key 'transition' in the scenario; did you mean 'transitions'?",
                           place_of(text, "transition:", "t.yaml")));
}

TEST(ScenarioLoader, WrongTypeNamesWhatWasFound) {
  Diagnostics diagnostics;
  const std::string text = with("    cost: [1, 2]\n");
  EXPECT_FALSE(parse_scenario(text, "w.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics,
                           "expected a number for cost in touchpoint 'buy', got a list",
                           place_of(text, "cost:", "w.yaml")));
}

TEST(ScenarioLoader, TextWhereANumberBelongsIsAnError) {
  Diagnostics diagnostics;
  const std::string text = with("    dropout: high\n");
  EXPECT_FALSE(parse_scenario(text, "w.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics,
                           "expected a number for dropout in touchpoint 'buy', got 'high'",
                           place_of(text, "dropout:", "w.yaml")));
}

TEST(ScenarioLoader, MissingValueIsAnError) {
  Diagnostics diagnostics;
  const std::string text = with("    cost:\n");
  EXPECT_FALSE(parse_scenario(text, "w.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics,
                           "expected a number for cost in touchpoint 'buy', got nothing",
                           place_of(text, "cost:", "w.yaml")));
}

TEST(ScenarioLoader, ListWhereAMapBelongsIsAnError) {
  Diagnostics diagnostics;
  const std::string text = with("settings: [1, 2]\n");
  EXPECT_FALSE(parse_scenario(text, "w.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics, "expected a map for settings, got a list",
                           place_of(text, "[1, 2]", "w.yaml")));
}

TEST(ScenarioLoader, NotANumberIsRejected) {
  Diagnostics diagnostics;
  const std::string text = with("    dropout: .nan\n");
  EXPECT_FALSE(parse_scenario(text, "f.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics,
                           "dropout in touchpoint 'buy' must be a finite number, got .nan",
                           place_of(text, "dropout:", "f.yaml")));
}

TEST(ScenarioLoader, InfinityIsRejected) {
  Diagnostics diagnostics;
  const std::string text = with("    cost: -.inf\n    entry_weight: 1e999\n");
  EXPECT_FALSE(parse_scenario(text, "f.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics, "cost in touchpoint 'buy' must be a finite number",
                           place_of(text, "cost:", "f.yaml")));
  EXPECT_TRUE(ReportsError(diagnostics, "entry_weight in touchpoint 'buy' must be a finite number",
                           place_of(text, "entry_weight:", "f.yaml")));
}

TEST(ScenarioLoader, MissingRequiredKeyIsReportedAtItsOwner) {
  Diagnostics diagnostics;
  const std::string text = R"(stages: [purchase]
touchpoints:
  - id: buy
    channel: web
)";
  EXPECT_FALSE(parse_scenario(text, "r.yaml", diagnostics));
  EXPECT_TRUE(
      ReportsError(diagnostics, "missing required key 'name' in the scenario", {"r.yaml", 1, 1}));
  EXPECT_TRUE(ReportsError(diagnostics, "missing required key 'stage' in touchpoint 'buy'",
                           place_of(text, "id: buy", "r.yaml")));
}

TEST(ScenarioLoader, TouchpointWithoutIdIsNamedByItsPosition) {
  Diagnostics diagnostics;
  const std::string text = with("  - stage: purchase\n    channel: web\n");
  EXPECT_FALSE(parse_scenario(text, "r.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics, "missing required key 'id' in touchpoint #2",
                           place_of(text, "stage: purchase", "r.yaml", 1)));
}

TEST(ScenarioLoader, TouchpointOfTheWrongTypeIsReportedOnce) {
  Diagnostics diagnostics;
  const std::string text = with("  - [checkout, web]\n");
  EXPECT_FALSE(parse_scenario(text, "r.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics, "expected a map for touchpoint #2, got a list",
                           place_of(text, "[checkout", "r.yaml")));
  EXPECT_EQ(diagnostics.error_count(), 1u) << diagnostics.to_string();
}

TEST(ScenarioLoader, EmptyTouchpointEntryIsAnError) {
  Diagnostics diagnostics;
  const std::string text = with("  -\n");
  EXPECT_FALSE(parse_scenario(text, "r.yaml", diagnostics));
  EXPECT_TRUE(mentions(diagnostics, "expected a map for touchpoint #2, got nothing"));
  EXPECT_EQ(diagnostics.error_count(), 1u) << diagnostics.to_string();
}

TEST(ScenarioLoader, EmptyOptionalMapsAreEmpty) {
  Diagnostics diagnostics;
  const std::optional<Scenario> scenario =
      parse_scenario(with("    emotion:\nsettings:\n"), "e.yaml", diagnostics);
  ASSERT_TRUE(scenario) << diagnostics.to_string();
  EXPECT_DOUBLE_EQ(scenario->settings.memory, 0.8);
}

TEST(ScenarioLoader, MissingTouchpointsListIsAnError) {
  Diagnostics diagnostics;
  EXPECT_FALSE(parse_scenario("name: x\nstages: [a]\n", "r.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics, "missing required key 'touchpoints' in the scenario",
                           {"r.yaml", 1, 1}));
}

TEST(ScenarioLoader, DuplicateKeyInAMapIsAnError) {
  Diagnostics diagnostics;
  const std::string text = with("    dropout: 0.1\n    dropout: 0.2\n");
  EXPECT_FALSE(parse_scenario(text, "d.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics, "key 'dropout' appears twice in touchpoint 'buy'",
                           place_of(text, "dropout: 0.2", "d.yaml")));
}

TEST(ScenarioLoader, DurationFormsAreRead) {
  Diagnostics diagnostics;
  const std::string text = R"(name: Durations
stages: [s]
touchpoints:
  - {id: a, stage: s, channel: c, duration: 3}
  - {id: b, stage: s, channel: c, duration: {exponential: 1.5}}
  - {id: c, stage: s, channel: c, duration: {lognormal: {median: 2, sigma: 0.25}}}
)";
  const std::optional<Scenario> scenario = parse_scenario(text, "d.yaml", diagnostics);
  ASSERT_TRUE(scenario) << diagnostics.to_string();
  const auto& t = scenario->touchpoints;
  EXPECT_EQ(t[0].duration.kind, Duration::Kind::fixed);
  EXPECT_DOUBLE_EQ(t[0].duration.hours, 3.0);
  EXPECT_EQ(t[1].duration.kind, Duration::Kind::exponential);
  EXPECT_DOUBLE_EQ(t[1].duration.hours, 1.5);
  EXPECT_EQ(t[2].duration.kind, Duration::Kind::lognormal);
  EXPECT_DOUBLE_EQ(t[2].duration.median, 2.0);
  EXPECT_DOUBLE_EQ(t[2].duration.sigma, 0.25);
}

TEST(ScenarioLoader, UnknownDurationFormSuggestsAKnownOne) {
  Diagnostics diagnostics;
  const std::string text = with("    duration: {exponentail: 2}\n");
  EXPECT_FALSE(parse_scenario(text, "d.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics,
                           "unknown key 'exponentail' in duration in touchpoint 'buy'; did you "
                           "mean 'exponential'?",
                           place_of(text, "exponentail", "d.yaml")));
}

TEST(ScenarioLoader, DurationWithTwoFormsIsAnError) {
  Diagnostics diagnostics;
  const std::string text =
      with("    duration: {exponential: 2, lognormal: {median: 1, sigma: 1}}\n");
  EXPECT_FALSE(parse_scenario(text, "d.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics, "must have one form, exponential or lognormal, not both",
                           place_of(text, "duration:", "d.yaml")));
}

TEST(ScenarioLoader, LognormalNeedsMedianAndSigma) {
  Diagnostics diagnostics;
  const std::string text = with("    duration: {lognormal: {median: 1}}\n");
  EXPECT_FALSE(parse_scenario(text, "d.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics,
                           "missing required key 'duration.lognormal.sigma' in touchpoint 'buy'",
                           place_of(text, "{median", "d.yaml")));
}

// `conversion: true` once made a conversion worth 0, silently: nobody writing it means that.
TEST(ScenarioLoader, ConversionTrueIsRefusedWithTheRightForm) {
  Diagnostics diagnostics;
  const std::string text = with("    conversion: true\n");
  EXPECT_FALSE(parse_scenario(text, "c.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics,
                           "conversion in touchpoint 'buy': true does not say what a conversion "
                           "here earns; write conversion: {value: V}",
                           place_of(text, "conversion:", "c.yaml")));
}

TEST(ScenarioLoader, ConversionFalseIsNoConversion) {
  Diagnostics diagnostics;
  const std::optional<Scenario> scenario =
      parse_scenario(with("    conversion: false\n"), "c.yaml", diagnostics);
  ASSERT_TRUE(scenario) << diagnostics.to_string();
  EXPECT_FALSE(scenario->touchpoints[0].conversion);
}

TEST(ScenarioLoader, ConversionAsAPlainNumberShowsTheRightForm) {
  Diagnostics diagnostics;
  const std::string text = with("    conversion: 150\n");
  EXPECT_FALSE(parse_scenario(text, "c.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics, "write conversion: {value: 150}",
                           place_of(text, "conversion:", "c.yaml")));
}

TEST(ScenarioLoader, MaxStepsMustBeAWholeNumber) {
  Diagnostics diagnostics;
  const std::string text = with("settings: {max_steps: 2.5}\n");
  EXPECT_FALSE(parse_scenario(text, "m.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics,
                           "expected a whole number for max_steps in settings, got '2.5'",
                           place_of(text, "max_steps", "m.yaml")));
}

TEST(ScenarioLoader, NegativeSeedIsRejected) {
  Diagnostics diagnostics;
  const std::string text = with("settings:\n  seed: -3\n");
  EXPECT_FALSE(parse_scenario(text, "m.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics,
                           "expected a non-negative whole number for seed in settings, got '-3'",
                           place_of(text, "seed:", "m.yaml")));
}

TEST(ScenarioLoader, AffinityMustBeANumber) {
  Diagnostics diagnostics;
  const std::string text = with("personas:\n  - id: p\n    channel_affinity: {web: lots}\n");
  EXPECT_FALSE(parse_scenario(text, "a.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics,
                           "expected a number for channel_affinity.web in persona 'p', got 'lots'",
                           place_of(text, "web: lots", "a.yaml")));
}

TEST(ScenarioLoader, YamlSyntaxErrorReportsItsLine) {
  Diagnostics diagnostics;
  const std::string path = kData + "syntax_error.yaml";
  EXPECT_FALSE(load_scenario_file(path, diagnostics));
  ASSERT_EQ(diagnostics.all().size(), 1u) << diagnostics.to_string();
  const Diagnostic& d = diagnostics.all()[0];
  EXPECT_EQ(d.severity, Severity::error);
  EXPECT_EQ(d.where.file, path);
  // The flow list opened on line 2 reads on through line 3; line 4's block list is where the
  // parser gives up, and the message points back at the bracket left open.
  EXPECT_EQ(d.where.line, 4);
  EXPECT_GT(d.where.column, 0);
  EXPECT_NE(d.message.find("YAML syntax error"), std::string::npos) << d.message;
  EXPECT_NE(d.message.find("the list opened with '[' at line 2, column 9 is still open"),
            std::string::npos)
      << d.message;
}

TEST(ScenarioLoader, TextThatIsNotUtf8IsRefusedAtItsPlaceNotCutShort) {
  Diagnostics diagnostics;
  // "Café" saved as Latin-1: the parser would take the byte for the end of the file.
  const std::string text = with("description: Caf\xe9 journey\n");
  EXPECT_FALSE(parse_scenario(text, "latin1.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics, {"YAML syntax error", "the byte 0xE9 is not UTF-8"},
                           place_of(text, "\xe9 journey", "latin1.yaml")));
}

TEST(ScenarioLoader, UnicodeTextIsReadWhole) {
  Diagnostics diagnostics;
  const std::optional<Scenario> scenario =
      parse_scenario(with("description: Caf\xc3\xa9 \xe2\x82\xac\n"), "utf8.yaml", diagnostics);
  ASSERT_TRUE(scenario) << diagnostics.to_string();
  EXPECT_EQ(scenario->description, "Caf\xc3\xa9 \xe2\x82\xac");
}

// Journeys as yaml-cpp's emitter wrote them (as fitting once did, and as files users keep
// still are): 17 significant digits, quoted strings, flow maps in block lists.
TEST(ScenarioLoader, YamlCppEmitterOutputReadsBack) {
  const std::string text = R"(name: "Fitted: retail #2"
stages: [awareness, purchase]
touchpoints:
  - id: ad
    stage: awareness
    channel: "web shop"
    dropout: 1.2500000000000001e-05
    emotion: {mean: -0.33333333333300003, sd: 0.10000000000000001}
    entry_weight: 1
  - id: buy
    stage: purchase
    channel: "web shop"
    dropout: 1.2500000000000001e-05
    emotion: {mean: -0.33333333333300003, sd: 0.10000000000000001}
transitions:
  - from: ad
    to: buy
    weight: 2.5
)";
  Diagnostics diagnostics;
  const std::optional<Scenario> scenario = parse_scenario(text, "fitted.yaml", diagnostics);
  ASSERT_TRUE(scenario) << diagnostics.to_string();
  EXPECT_EQ(scenario->name, "Fitted: retail #2");
  ASSERT_EQ(scenario->touchpoints.size(), 2u);
  EXPECT_EQ(scenario->touchpoints[1].channel, "web shop");
  EXPECT_DOUBLE_EQ(scenario->touchpoints[0].dropout, 1.25e-05);
  EXPECT_DOUBLE_EQ(scenario->touchpoints[0].emotion_mean, -0.333333333333);
  ASSERT_EQ(scenario->transitions.size(), 1u);
  EXPECT_DOUBLE_EQ(scenario->transitions[0].weight, 2.5);
}

TEST(ScenarioLoader, MissingFileCannotBeRead) {
  Diagnostics diagnostics;
  const std::string path = kData + "no_such_file.yaml";
  EXPECT_FALSE(load_scenario_file(path, diagnostics));
  ASSERT_EQ(diagnostics.all().size(), 1u);
  EXPECT_EQ(diagnostics.all()[0].where.file, path);
  EXPECT_EQ(diagnostics.all()[0].message, "cannot read file: No such file or directory");
}

TEST(ScenarioLoader, DirectoryCannotBeRead) {
  Diagnostics diagnostics;
  EXPECT_FALSE(load_scenario_file(kData, diagnostics));
  ASSERT_EQ(diagnostics.all().size(), 1u);
  EXPECT_EQ(diagnostics.all()[0].message, "cannot read file: it is a directory");
}

TEST(ScenarioLoader, EmptyFileIsAnError) {
  Diagnostics diagnostics;
  const std::string path = kData + "empty.yaml";
  EXPECT_FALSE(load_scenario_file(path, diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics, "the file holds no scenario", {path, 1, 1}));
}

TEST(ScenarioLoader, DocumentThatIsNotAMapIsAnError) {
  Diagnostics diagnostics;
  EXPECT_FALSE(parse_scenario("- a\n- b\n", "l.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics, "a scenario must be a map of keys", {"l.yaml", 1, 1}));
  EXPECT_TRUE(ReportsError(diagnostics, "got a list", {"l.yaml", 1, 1}));
}

TEST(ScenarioLoader, SecondYamlDocumentIsAnError) {
  Diagnostics diagnostics;
  const std::string text = with("---\nname: other\n");
  EXPECT_FALSE(parse_scenario(text, "two.yaml", diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics, "more than one YAML document",
                           place_of(text, "name: other", "two.yaml")));
}

TEST(ScenarioLoader, SeveralErrorsInOneFileAreAllReportedInFileOrder) {
  Diagnostics diagnostics;
  const std::string path = kData + "many_errors.yaml";
  EXPECT_FALSE(load_scenario_file(path, diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics, "unknown key 'colour' in the scenario", {path, 3, 1}));
  EXPECT_TRUE(ReportsError(diagnostics, "expected a number for entry_weight in touchpoint 'ad'",
                           {path, 8, 5}));
  EXPECT_TRUE(ReportsError(diagnostics, "missing required key 'channel' in touchpoint 'buy'",
                           {path, 9, 5}));
  EXPECT_TRUE(ReportsError(diagnostics, "dropout in touchpoint 'buy' must be a finite number",
                           {path, 11, 5}));
  EXPECT_TRUE(ReportsError(diagnostics, "did you mean 'weight'?", {path, 14, 25}));
  ASSERT_EQ(diagnostics.error_count(), 5u) << diagnostics.to_string();
  for (std::size_t i = 1; i < diagnostics.all().size(); ++i) {
    EXPECT_LE(diagnostics.all()[i - 1].where.line, diagnostics.all()[i].where.line);
  }
}

TEST(ScenarioLoader, EarlierDiagnosticsOfTheCallerAreKept) {
  Diagnostics diagnostics;
  diagnostics.warning({"other.yaml", 1, 1}, "something else");
  EXPECT_TRUE(parse_scenario(kMinimal, "m.yaml", diagnostics));
  ASSERT_EQ(diagnostics.all().size(), 1u);
  EXPECT_EQ(diagnostics.all()[0].message, "something else");
}

// The keys an "unknown key" message (or an "unknown change" one) lists as allowed, as a set.
std::set<std::string> allowed_keys_named_in(const Diagnostics& diagnostics) {
  std::set<std::string> keys;
  for (const Diagnostic& d : diagnostics.all()) {
    std::string_view intro = "allowed keys are: ";
    std::size_t at = d.message.find(intro);
    if (at == std::string::npos) {
      intro = "the kinds of change are: ";
      at = d.message.find(intro);
    }
    if (at == std::string::npos) continue;
    std::string_view list = std::string_view(d.message).substr(at + intro.size());
    while (!list.empty()) {
      const std::size_t comma = list.find(", ");
      keys.emplace(list.substr(0, comma));
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 2);
    }
  }
  return keys;
}

std::set<std::string> schema_keys(const nlohmann::json& object) {
  std::set<std::string> keys;
  for (const auto& [key, value] : object.at("properties").items()) keys.insert(key);
  return keys;
}

// A future state of tests/data/future/base.yaml with these lines under `changes:`.
std::string future(std::string_view changes) {
  return "name: F\nbase: base.yaml\nchanges:\n" + std::string(changes);
}

// The schema is documentation users and editors rely on: it must not drift from the loader.
TEST(ScenarioSchema, DocumentsExactlyTheKeysTheLoaderAccepts) {
  std::ifstream file(std::string(CJSIM_SOURCE_DIR) + "/scenarios/scenario.schema.json");
  const nlohmann::json schema = nlohmann::json::parse(file);
  const nlohmann::json& defs = schema.at("$defs");
  const struct {
    const char* what;
    std::string text;
    const nlohmann::json& object;
  } places[] = {
      {"scenario", with("zzz_unknown: 1\n"), schema},
      {"settings", with("settings: {zzz_unknown: 1}\n"), defs.at("settings")},
      {"touchpoint", with("    zzz_unknown: 1\n"), defs.at("touchpoint")},
      {"emotion", with("    emotion: {zzz_unknown: 1}\n"), defs.at("emotion")},
      {"transition", with("transitions:\n  - {from: buy, to: buy, zzz_unknown: 1}\n"),
       defs.at("transition")},
      {"persona", with("personas:\n  - {id: p, zzz_unknown: 1}\n"), defs.at("persona")},
      {"stage",
       "name: M\nstages:\n  - {name: purchase, zzz_unknown: 1}\ntouchpoints:\n  - {id: buy, "
       "stage: purchase, channel: web}\n",
       defs.at("stage")},
      {"change", future("  - zzz_unknown: 1\n"), defs.at("change")},
      {"reweight", future("  - reweight_transition: {from: ad, to: buy, zzz_unknown: 1}\n"),
       defs.at("reweight")},
  };
  for (const auto& place : places) {
    Diagnostics diagnostics;
    EXPECT_FALSE(
        parse_scenario(place.text, std::string(CJSIM_TEST_DATA) + "/future/k.yaml", diagnostics));
    const std::set<std::string> allowed = allowed_keys_named_in(diagnostics);
    EXPECT_FALSE(allowed.empty()) << place.what << ":\n" << diagnostics.to_string();
    EXPECT_EQ(allowed, schema_keys(place.object)) << place.what;
  }
}

}  // namespace
}  // namespace cjsim
