// Future states as changes: each change does what it says to the base journey, every mistake
// is reported naming the change, the problem and its place, and what a removal cuts is warned
// about by validation.
#include "diagnostic_matchers.h"
#include "scenarios/changes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "scenarios/diagnostic.h"
#include "scenarios/loader.h"
#include "scenarios/scenario.h"
#include "scenarios/validate.h"

namespace cjsim {
namespace {

using testing::ReportsError;
using testing::WarnsOf;
using testing::Reports;

const std::string kFuture = std::string(CJSIM_TEST_DATA) + "/future/";
const std::string kExamples = std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/";
// In-memory future states are named as if they sat beside base.yaml, so that `base:` finds it.
const std::string kInline = kFuture + "inline.yaml";

SourceLocation place_of(std::string_view text, std::string_view needle,
                        const std::string& file = kInline, int nth = 0) {
  return testing::find_place(text, needle, file, nth);
}

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Scenario load(const std::string& path) {
  Diagnostics diagnostics;
  std::optional<Scenario> scenario = load_scenario_file(path, diagnostics);
  EXPECT_TRUE(scenario) << diagnostics.to_string();
  return scenario ? *scenario : Scenario{};
}

// base.yaml with `changes` (the lines after "changes:") applied; fails the test on errors.
Scenario changed(const std::string& changes) {
  const std::string text = "name: Changed\nbase: base.yaml\nchanges:\n" + changes;
  Diagnostics diagnostics;
  std::optional<Scenario> scenario = parse_scenario(text, kInline, diagnostics);
  EXPECT_TRUE(scenario) << diagnostics.to_string();
  return scenario ? *scenario : Scenario{};
}

// The problems of a future state that should not load.
Diagnostics problems_of(const std::string& text) {
  Diagnostics diagnostics;
  EXPECT_FALSE(parse_scenario(text, kInline, diagnostics)) << "expected it not to load";
  return diagnostics;
}

const Touchpoint* touchpoint(const Scenario& s, std::string_view id) {
  auto it = std::find_if(s.touchpoints.begin(), s.touchpoints.end(),
                         [&](const Touchpoint& t) { return t.id == id; });
  return it == s.touchpoints.end() ? nullptr : &*it;
}

const Transition* transition(const Scenario& s, std::string_view from, std::string_view to) {
  auto it = std::find_if(s.transitions.begin(), s.transitions.end(),
                         [&](const Transition& t) { return t.from == from && t.to == to; });
  return it == s.transitions.end() ? nullptr : &*it;
}

const Persona* persona(const Scenario& s, std::string_view id) {
  auto it = std::find_if(s.personas.begin(), s.personas.end(),
                         [&](const Persona& p) { return p.id == id; });
  return it == s.personas.end() ? nullptr : &*it;
}

// --- each change ------------------------------------------------------------------------------

TEST(Changes, RemoveTouchpointTakesEveryTransitionIntoAndOutOfIt) {
  const Scenario s = changed("  - remove_touchpoint: signup\n");
  EXPECT_EQ(touchpoint(s, "signup"), nullptr);
  EXPECT_EQ(s.touchpoints.size(), 4u);
  EXPECT_EQ(transition(s, "basket", "signup"), nullptr);
  EXPECT_EQ(transition(s, "signup", "checkout"), nullptr);
  EXPECT_EQ(s.transitions.size(), 3u);
  ASSERT_EQ(s.removals.size(), 1u);
  EXPECT_EQ(s.removals[0].what, "'signup'");
  EXPECT_EQ(s.removals[0].lost_way_in, std::vector<std::string>{"checkout"});
  EXPECT_TRUE(s.removals[0].lost_way_on.empty());  // the basket still goes to the checkout
}

TEST(Changes, UpdateTouchpointChangesOnlyTheFieldsWrittenAndPointsThemAtTheChange) {
  const std::string changes =
      "  - update_touchpoint: {id: checkout, dropout: 0.01, emotion: {mean: 0.5}}\n";
  const Scenario s = changed(changes);
  const Touchpoint* checkout = touchpoint(s, "checkout");
  ASSERT_NE(checkout, nullptr);
  EXPECT_EQ(checkout->dropout, 0.01);
  EXPECT_EQ(checkout->emotion_mean, 0.5);
  EXPECT_EQ(checkout->emotion_sd, 0.1);  // kept from the base
  EXPECT_EQ(checkout->value, 80.0);
  EXPECT_EQ(checkout->duration.kind, Duration::Kind::lognormal);
  EXPECT_EQ(checkout->fields.at("dropout").file, kInline);
  EXPECT_EQ(checkout->fields.at("dropout").line, 4);
  EXPECT_EQ(checkout->fields.at("emotion.mean").file, kInline);
  EXPECT_EQ(checkout->fields.at("emotion.sd").file, kFuture + "base.yaml");
  EXPECT_EQ(checkout->fields.at("id").file, kFuture + "base.yaml");
  EXPECT_EQ(checkout->where.file, kFuture + "base.yaml");
}

TEST(Changes, UpdateTouchpointReplacesTheDurationWhole) {
  const Scenario s = changed("  - update_touchpoint: {id: checkout, duration: {exponential: 2}}\n");
  const Touchpoint* checkout = touchpoint(s, "checkout");
  ASSERT_NE(checkout, nullptr);
  EXPECT_EQ(checkout->duration.kind, Duration::Kind::exponential);
  EXPECT_EQ(checkout->duration.hours, 2.0);
  EXPECT_EQ(checkout->duration.median, 0.0);
  EXPECT_EQ(checkout->fields.count("duration.lognormal.median"), 0u);
}

TEST(Changes, AddTouchpointAppendsAWholeTouchpointWrittenInTheFutureFile) {
  const Scenario s = changed(
      "  - add_touchpoint: {id: one_click, stage: purchase, channel: web, conversion: {value: "
      "85}}\n");
  ASSERT_EQ(s.touchpoints.size(), 6u);
  const Touchpoint& added = s.touchpoints.back();
  EXPECT_EQ(added.id, "one_click");
  EXPECT_EQ(added.name, "one_click");
  EXPECT_TRUE(added.conversion);
  EXPECT_EQ(added.value, 85.0);
  EXPECT_EQ(added.dropout, 0.0);
  EXPECT_EQ(added.where.file, kInline);
  EXPECT_EQ(added.where.line, 4);
}

TEST(Changes, AddTransitionConnectsTouchpointsAddedEarlier) {
  const Scenario s = changed(
      "  - add_touchpoint: {id: chat, stage: service, channel: chat}\n"
      "  - add_transition: {from: help, to: chat, weight: 3, emotion_bias: -1}\n");
  const Transition* added = transition(s, "help", "chat");
  ASSERT_NE(added, nullptr);
  EXPECT_EQ(added->weight, 3.0);
  EXPECT_EQ(added->emotion_bias, -1.0);
  EXPECT_EQ(added->where.file, kInline);
}

TEST(Changes, UpdateTransitionChangesOnlyTheFieldsWritten) {
  const Scenario s = changed("  - update_transition: {from: basket, to: checkout, weight: 4}\n");
  const Transition* updated = transition(s, "basket", "checkout");
  ASSERT_NE(updated, nullptr);
  EXPECT_EQ(updated->weight, 4.0);
  EXPECT_EQ(updated->emotion_bias, 0.5);
  EXPECT_EQ(updated->fields.at("weight").file, kInline);
  EXPECT_EQ(updated->fields.at("from").file, kFuture + "base.yaml");
}

TEST(Changes, ReweightTransitionMultipliesByAFactorOrSetsTheWeight) {
  const Scenario s = changed(
      "  - reweight_transition: {from: ad, to: basket, factor: 0.25}\n"
      "  - reweight_transition: {from: basket, to: signup, weight: 7}\n");
  EXPECT_EQ(transition(s, "ad", "basket")->weight, 0.5);
  EXPECT_EQ(transition(s, "basket", "signup")->weight, 7.0);
  EXPECT_EQ(transition(s, "ad", "basket")->fields.at("weight").line, 4);
}

TEST(Changes, RemoveTransitionTakesOnlyThatTransition) {
  const Scenario s = changed("  - remove_transition: {from: basket, to: signup}\n");
  EXPECT_EQ(transition(s, "basket", "signup"), nullptr);
  EXPECT_EQ(s.transitions.size(), 4u);
  EXPECT_NE(touchpoint(s, "signup"), nullptr);
  ASSERT_EQ(s.removals.size(), 1u);
  EXPECT_EQ(s.removals[0].what, "the transition 'basket' -> 'signup'");
}

TEST(Changes, PersonasAreAddedUpdatedAndRemoved) {
  const Scenario s = changed(
      "  - add_persona: {id: student, share: 0.5, sensitivity: 1.3}\n"
      "  - update_persona: {id: bargain_hunter, share: 2, channel_affinity: {social: 0.5}}\n"
      "  - remove_persona: regular\n");
  ASSERT_EQ(s.personas.size(), 2u);
  EXPECT_EQ(persona(s, "regular"), nullptr);
  const Persona* hunter = persona(s, "bargain_hunter");
  ASSERT_NE(hunter, nullptr);
  EXPECT_EQ(hunter->share, 2.0);
  EXPECT_EQ(hunter->dropout_odds, 1.5);
  // An update of channel_affinity changes the channels written and keeps the others.
  EXPECT_EQ(hunter->channel_affinity.at("social"), 0.5);
  EXPECT_EQ(hunter->channel_affinity.at("web"), 1.2);
  const Persona* student = persona(s, "student");
  ASSERT_NE(student, nullptr);
  EXPECT_EQ(student->sensitivity, 1.3);
  EXPECT_EQ(student->dropout_odds, 1.0);
}

TEST(Changes, UpdateSettingsKeepsTheSettingsNotWritten) {
  const Scenario s = changed("  - update_settings: {kappa: 2, horizon_hours: 48}\n");
  EXPECT_EQ(s.settings.kappa, 2.0);
  EXPECT_EQ(s.settings.horizon_hours, 48.0);
  EXPECT_EQ(s.settings.memory, 0.7);
  EXPECT_EQ(s.settings.max_steps, 100);
}

TEST(Changes, ApplyInOrderSoALaterChangeSeesAnEarlierOne) {
  const Scenario s = changed(
      "  - remove_touchpoint: help\n"
      "  - add_touchpoint: {id: help, stage: service, channel: chat, cost: 1}\n"
      "  - update_touchpoint: {id: help, cost: 2}\n"
      "  - add_transition: {from: checkout, to: help}\n");
  const Touchpoint* help = touchpoint(s, "help");
  ASSERT_NE(help, nullptr);
  EXPECT_EQ(help->channel, "chat");
  EXPECT_EQ(help->cost, 2.0);
  EXPECT_EQ(transition(s, "checkout", "help")->weight, 1.0);
}

TEST(FutureState, NameDescriptionAndStagesReplaceTheBasesAndTheRestIsInherited) {
  const Scenario nested = load(kFuture + "nested.yaml");
  EXPECT_EQ(nested.name, "Nested");
  EXPECT_EQ(nested.description, "The current state.");  // inherited through one_of_each.yaml
  EXPECT_EQ(nested.stages,
            (std::vector<std::string>{"awareness", "purchase", "service", "loyalty"}));
  EXPECT_EQ(nested.fields.at("stages[3]").file, kFuture + "nested.yaml");
}

TEST(FutureState, KeepsItsOwnTextAndRecordsEveryBaseNearestFirst) {
  const Scenario nested = load(kFuture + "nested.yaml");
  EXPECT_EQ(nested.source_path, kFuture + "nested.yaml");
  EXPECT_EQ(nested.source_text, file_text(kFuture + "nested.yaml"));
  ASSERT_EQ(nested.base_sources.size(), 2u);
  EXPECT_EQ(nested.base_sources[0].path, kFuture + "one_of_each.yaml");
  EXPECT_EQ(nested.base_sources[0].text, file_text(kFuture + "one_of_each.yaml"));
  EXPECT_EQ(nested.base_sources[1].path, kFuture + "base.yaml");
  EXPECT_EQ(nested.base_sources[1].text, file_text(kFuture + "base.yaml"));
}

TEST(FutureState, NestedBasesApplyTheirChangesInOrder) {
  const Scenario nested = load(kFuture + "nested.yaml");
  EXPECT_EQ(touchpoint(nested, "signup"), nullptr);           // one_of_each.yaml
  EXPECT_EQ(touchpoint(nested, "one_click")->dropout, 0.02);  // changed again by nested
  EXPECT_EQ(touchpoint(nested, "one_click")->fields.at("stage").file, kFuture + "one_of_each.yaml");
  EXPECT_NE(transition(nested, "help", "loyalty_club"), nullptr);
  EXPECT_EQ(nested.settings.kappa, 2.0);
}

void ExpectSameContent(const Scenario& a, const Scenario& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.stages, b.stages);
  ASSERT_EQ(a.touchpoints.size(), b.touchpoints.size());
  for (std::size_t i = 0; i < a.touchpoints.size(); ++i) {
    const Touchpoint& x = a.touchpoints[i];
    const Touchpoint& y = b.touchpoints[i];
    EXPECT_EQ(std::tie(x.id, x.name, x.stage, x.channel, x.emotion_mean, x.emotion_sd, x.dropout,
                       x.cost, x.entry_weight, x.conversion, x.value),
              std::tie(y.id, y.name, y.stage, y.channel, y.emotion_mean, y.emotion_sd, y.dropout,
                       y.cost, y.entry_weight, y.conversion, y.value));
    EXPECT_EQ(std::tie(x.duration.kind, x.duration.hours, x.duration.median, x.duration.sigma),
              std::tie(y.duration.kind, y.duration.hours, y.duration.median, y.duration.sigma));
  }
  ASSERT_EQ(a.transitions.size(), b.transitions.size());
  for (std::size_t i = 0; i < a.transitions.size(); ++i) {
    const Transition& x = a.transitions[i];
    const Transition& y = b.transitions[i];
    EXPECT_EQ(std::tie(x.from, x.to, x.weight, x.emotion_bias),
              std::tie(y.from, y.to, y.weight, y.emotion_bias));
  }
  ASSERT_EQ(a.personas.size(), b.personas.size());
  for (std::size_t i = 0; i < a.personas.size(); ++i) {
    const Persona& x = a.personas[i];
    const Persona& y = b.personas[i];
    EXPECT_EQ(std::tie(x.id, x.share, x.sensitivity, x.dropout_odds, x.initial_emotion_mean,
                       x.initial_emotion_sd, x.value_multiplier, x.channel_affinity),
              std::tie(y.id, y.share, y.sensitivity, y.dropout_odds, y.initial_emotion_mean,
                       y.initial_emotion_sd, y.value_multiplier, y.channel_affinity));
  }
  const Settings& x = a.settings;
  const Settings& y = b.settings;
  EXPECT_EQ(std::tie(x.memory, x.kappa, x.max_steps, x.horizon_hours, x.seed, x.promoter_threshold,
                     x.detractor_threshold),
            std::tie(y.memory, y.kappa, y.max_steps, y.horizon_hours, y.seed, y.promoter_threshold,
                     y.detractor_threshold));
}

TEST(FutureState, AnEmptyChangeListGivesTheBaseJourney) {
  const Scenario base = load(kFuture + "base.yaml");
  const Scenario same = load(kFuture + "no_changes.yaml");
  ExpectSameContent(base, same);
  EXPECT_TRUE(same.removals.empty());
  EXPECT_EQ(same.source_text, file_text(kFuture + "no_changes.yaml"));
}

// --- mistakes in a change ---------------------------------------------------------------------

TEST(ChangeErrors, UnknownTouchpointNamesTheChangeAndSuggestsTheNearest) {
  const std::string text =
      "name: F\nbase: base.yaml\nchanges:\n  - remove_touchpoint: help\n"
      "  - update_touchpoint: {id: chekout, dropout: 0.1}\n";
  const Diagnostics d = problems_of(text);
  EXPECT_TRUE(ReportsError(d,
                           {"change 2 (update_touchpoint): no touchpoint 'chekout' in the base "
                            "journey; did you mean 'checkout'?"},
                           place_of(text, "id: chekout")));
}

TEST(ChangeErrors, TouchpointRemovedByAnEarlierChangeSaysWhichChange) {
  const std::string text =
      "name: F\nbase: base.yaml\nchanges:\n  - remove_touchpoint: help\n"
      "  - update_touchpoint: {id: help, cost: 1}\n";
  const Diagnostics d = problems_of(text);
  EXPECT_TRUE(
      ReportsError(d, {"change 2 (update_touchpoint)", "no touchpoint 'help': change 1 removed it"},
                   place_of(text, "id: help")));
}

TEST(ChangeErrors, AddingATouchpointThatExistsPointsAtBothPlaces) {
  const std::string text =
      "name: F\nbase: base.yaml\nchanges:\n"
      "  - add_touchpoint: {id: basket, stage: purchase, channel: web}\n";
  const Diagnostics d = problems_of(text);
  EXPECT_TRUE(ReportsError(d,
                           {"change 1 (add_touchpoint): touchpoint 'basket' already exists",
                            "base.yaml:14", "use update_touchpoint"},
                           place_of(text, "id: basket")));
}

TEST(ChangeErrors, AddingATransitionThatExistsOrToAnUnknownTouchpoint) {
  const std::string text =
      "name: F\nbase: base.yaml\nchanges:\n"
      "  - add_transition: {from: ad, to: basket}\n"
      "  - add_transition: {from: ad, to: chekout}\n";
  const Diagnostics d = problems_of(text);
  EXPECT_TRUE(
      ReportsError(d, {"change 1 (add_transition): transition 'ad' -> 'basket' already exists"},
                   place_of(text, "{from: ad, to: basket}")));
  EXPECT_TRUE(ReportsError(
      d, {"change 2 (add_transition): no touchpoint 'chekout'", "did you mean 'checkout'?"},
      place_of(text, "to: chekout")));
}

TEST(ChangeErrors, AddingAPersonaThatExists) {
  const std::string text = "name: F\nbase: base.yaml\nchanges:\n  - add_persona: {id: regular}\n";
  const Diagnostics d = problems_of(text);
  EXPECT_TRUE(ReportsError(d, {"change 1 (add_persona): persona 'regular' already exists"},
                           place_of(text, "id: regular")));
}

TEST(ChangeErrors, RemovingWhatIsNotThere) {
  const std::string text =
      "name: F\nbase: base.yaml\nchanges:\n"
      "  - remove_touchpoint: nowhere\n"
      "  - remove_transition: {from: ad, to: checkout}\n"
      "  - remove_persona: student\n";
  const Diagnostics d = problems_of(text);
  EXPECT_TRUE(ReportsError(d, {"change 1 (remove_touchpoint): no touchpoint 'nowhere'"},
                           place_of(text, "nowhere")));
  EXPECT_TRUE(ReportsError(d,
                           {"change 2 (remove_transition): no transition 'ad' -> 'checkout' in "
                            "the base journey",
                            "the transitions out of 'ad' go to basket"},
                           place_of(text, "to: checkout")));
  EXPECT_TRUE(ReportsError(d,
                           {"change 3 (remove_persona): no persona 'student'",
                            "the personas are: regular, bargain_hunter"},
                           place_of(text, "student")));
  EXPECT_EQ(d.error_count(), 3u);
}

TEST(ChangeErrors, UpdatingATransitionThatIsNotThereSuggestsTheNearest) {
  const std::string text =
      "name: F\nbase: base.yaml\nchanges:\n"
      "  - update_transition: {from: basket, to: signpu, weight: 2}\n";
  const Diagnostics d = problems_of(text);
  EXPECT_TRUE(ReportsError(
      d, {"change 1 (update_transition): no touchpoint 'signpu'", "did you mean 'signup'?"},
      place_of(text, "to: signpu")));
}

TEST(ChangeErrors, UnknownKindOfChangeSuggestsTheNearest) {
  const std::string text =
      "name: F\nbase: base.yaml\nchanges:\n  - updte_touchpoint: {id: basket}\n"
      "  - rename_touchpoint: {id: basket}\n";
  const Diagnostics d = problems_of(text);
  EXPECT_TRUE(ReportsError(d,
                           {"change 1: unknown change 'updte_touchpoint'; did you mean "
                            "'update_touchpoint'?"},
                           place_of(text, "updte_touchpoint")));
  EXPECT_TRUE(ReportsError(d,
                           {"change 2: unknown change 'rename_touchpoint'",
                            "the kinds of change are: add_touchpoint, update_touchpoint"},
                           place_of(text, "rename_touchpoint")));
}

TEST(ChangeErrors, AChangeWithTwoKinds) {
  const std::string text =
      "name: F\nbase: base.yaml\nchanges:\n"
      "  - remove_touchpoint: help\n    remove_persona: regular\n";
  const Diagnostics d = problems_of(text);
  EXPECT_TRUE(ReportsError(d,
                           {"change 1: one change has two kinds, remove_touchpoint and "
                            "remove_persona",
                            "its own list item"},
                           place_of(text, "remove_persona")));
}

TEST(ChangeErrors, AChangeThatIsNotAMap) {
  const std::string text = "name: F\nbase: base.yaml\nchanges:\n  - remove_touchpoint help\n";
  const Diagnostics d = problems_of(text);
  EXPECT_TRUE(ReportsError(d, {"change 1: expected one change as a map"},
                           place_of(text, "remove_touchpoint help")));
}

TEST(ChangeErrors, BadFieldValuesAreReportedByTheSameReadersAsAWholeFile) {
  const std::string text =
      "name: F\nbase: base.yaml\nchanges:\n"
      "  - update_touchpoint: {id: basket, dropout: lots}\n"
      "  - update_persona: {id: regular, shaer: 2}\n"
      "  - update_settings: {kappa: \"2\"}\n";
  const Diagnostics d = problems_of(text);
  EXPECT_TRUE(ReportsError(d,
                           {"change 1 (update_touchpoint): expected a number for dropout in "
                            "touchpoint 'basket', got 'lots'"},
                           place_of(text, "dropout")));
  EXPECT_TRUE(ReportsError(d,
                           {"change 2 (update_persona): unknown key 'shaer' in persona "
                            "'regular'; did you mean 'share'?"},
                           place_of(text, "shaer")));
  EXPECT_TRUE(ReportsError(
      d, {"change 3 (update_settings): expected a number for kappa", "remove the quotes"},
      place_of(text, "kappa")));
}

TEST(ChangeErrors, AnUpdateNeedsTheIdOfWhatItChanges) {
  const std::string text =
      "name: F\nbase: base.yaml\nchanges:\n  - update_touchpoint: {dropout: 0.2}\n";
  const Diagnostics d = problems_of(text);
  EXPECT_TRUE(ReportsError(d,
                           {"change 1 (update_touchpoint): missing required key 'id': which "
                            "touchpoint to change"},
                           place_of(text, "{dropout")));
}

TEST(ChangeErrors, AddNeedsTheRequiredKeysOfAWholeEntity) {
  const std::string text =
      "name: F\nbase: base.yaml\nchanges:\n  - add_touchpoint: {id: chat, stage: service}\n";
  const Diagnostics d = problems_of(text);
  EXPECT_TRUE(ReportsError(d,
                           {"change 1 (add_touchpoint): missing required key 'channel' in "
                            "touchpoint 'chat'"},
                           place_of(text, "{id: chat")));
}

TEST(ChangeErrors, ReweightNeedsOnePositiveFactorOrAWeight) {
  const std::string text =
      "name: F\nbase: base.yaml\nchanges:\n"
      "  - reweight_transition: {from: ad, to: basket, factor: -1}\n"
      "  - reweight_transition: {from: ad, to: basket}\n"
      "  - reweight_transition: {from: ad, to: basket, factor: 2, weight: 1}\n";
  const Diagnostics d = problems_of(text);
  EXPECT_TRUE(ReportsError(d,
                           {"change 1 (reweight_transition): factor must be greater than 0, got "
                            "-1",
                            "use remove_transition"},
                           place_of(text, "factor: -1")));
  EXPECT_TRUE(ReportsError(d, {"change 2 (reweight_transition): missing 'factor'"},
                           place_of(text, "reweight_transition", kInline, 1)));
  EXPECT_TRUE(ReportsError(d,
                           {"change 3 (reweight_transition): give a factor or a weight, not both"},
                           place_of(text, "reweight_transition", kInline, 2)));
}

TEST(ChangeErrors, ARangeErrorInAnUpdateIsReportedAtTheChange) {
  const std::string text =
      "name: F\nbase: base.yaml\nchanges:\n  - update_touchpoint: {id: basket, dropout: 1.5}\n";
  Diagnostics d;
  const std::optional<Scenario> s = parse_scenario(text, kInline, d);
  ASSERT_TRUE(s) << d.to_string();
  validate_scenario(*s, d);
  EXPECT_TRUE(ReportsError(d, {"dropout in touchpoint 'basket' must be between 0 and 1, got 1.5"},
                           place_of(text, "dropout")));
}

TEST(ChangeErrors, WholeJourneyPartsCannotBeWrittenOutInAFutureState) {
  const std::string text = "name: F\nbase: base.yaml\nsettings: {kappa: 2}\ntouchpoints: []\n";
  const Diagnostics d = problems_of(text);
  EXPECT_TRUE(
      ReportsError(d, {"'settings' cannot be written out in a future state", "update_settings"},
                   place_of(text, "settings")));
  EXPECT_TRUE(ReportsError(d, {"'touchpoints' cannot be written out", "add_touchpoint"},
                           place_of(text, "touchpoints")));
}

TEST(ChangeErrors, ChangesNeedABase) {
  const std::string text =
      "name: F\nstages: [a]\ntouchpoints: [{id: t, stage: a, channel: web}]\n"
      "changes: [{remove_touchpoint: t}]\n";
  const Diagnostics d = problems_of(text);
  EXPECT_TRUE(ReportsError(d, {"'changes' needs a 'base'"}, place_of(text, "changes")));
}

// --- bases ------------------------------------------------------------------------------------

TEST(Bases, AMissingBaseNamesTheResolvedPathAtTheBaseLine) {
  Diagnostics d;
  EXPECT_FALSE(load_scenario_file(kFuture + "missing_base.yaml", d));
  const std::string text = file_text(kFuture + "missing_base.yaml");
  EXPECT_TRUE(ReportsError(d,
                           {"cannot read the base journey 'no_such_journey.yaml' (resolved as " +
                                kFuture + "no_such_journey.yaml)",
                            "No such file"},
                           place_of(text, "base:", kFuture + "missing_base.yaml")));
}

TEST(Bases, ErrorsOfMeaningInTheBaseAreReportedInTheBaseFile) {
  Diagnostics d;
  EXPECT_FALSE(load_scenario_file(kFuture + "on_broken_base.yaml", d));
  const std::string base_text = file_text(kFuture + "broken_base.yaml");
  const std::string text = file_text(kFuture + "on_broken_base.yaml");
  EXPECT_TRUE(ReportsError(d, {"dropout in touchpoint 'buy' must be between 0 and 1"},
                           place_of(base_text, "dropout:", kFuture + "broken_base.yaml")));
  EXPECT_TRUE(ReportsError(d, {"the base journey 'broken_base.yaml'", "has 1 error"},
                           place_of(text, "base:", kFuture + "on_broken_base.yaml")));
}

TEST(Bases, ErrorsOfShapeInTheBaseAreReportedInTheBaseFile) {
  const std::string text = "name: F\nbase: ../scenarios/many_errors.yaml\n";
  const Diagnostics d = problems_of(text);
  const std::string resolved = std::string(CJSIM_TEST_DATA) + "/scenarios/many_errors.yaml";
  EXPECT_TRUE(
      ReportsError(d, {"unknown key 'wieght'"}, place_of(file_text(resolved), "wieght", resolved)));
  EXPECT_TRUE(ReportsError(d, {"has 5 errors"}, place_of(text, "base:")));
}

TEST(Bases, ACycleOfBasesIsAnErrorThatListsTheCycle) {
  Diagnostics d;
  EXPECT_FALSE(load_scenario_file(kFuture + "cycle_a.yaml", d));
  const std::string b = kFuture + "cycle_b.yaml";
  EXPECT_TRUE(ReportsError(d,
                           {"the bases form a cycle: " + kFuture + "cycle_a.yaml -> " + b + " -> " +
                            kFuture + "cycle_a.yaml"},
                           place_of(file_text(b), "base:", b)));
}

TEST(Bases, AFileThatIsItsOwnBaseIsACycle) {
  Diagnostics d;
  const std::string self = kFuture + "self_base.yaml";
  EXPECT_FALSE(load_scenario_file(self, d));
  EXPECT_TRUE(ReportsError(d, {"the bases form a cycle: " + self + " -> " + self},
                           place_of(file_text(self), "base:", self)));
}

// --- what removals cut ------------------------------------------------------------------------

TEST(RemovalWarnings, ATouchpointLeftWithNoWayOnIsReportedNamingTheRemoval) {
  const std::string path = kFuture + "dead_end.yaml";
  Diagnostics d;
  ASSERT_TRUE(load_valid_scenario(path, d)) << d.to_string();
  const SourceLocation removal = place_of(file_text(path), "remove_touchpoint", path);
  EXPECT_TRUE(WarnsOf(d,
                      {"after removing 'checkout', 'signup' has no transition left: journeys "
                       "now complete there"},
                      removal));
  EXPECT_TRUE(WarnsOf(d,
                      {"after removing 'checkout', touchpoint 'help' cannot be reached from any "
                       "entry touchpoint"},
                      removal));
}

TEST(RemovalWarnings, EverythingDownstreamOfTheCutIsNamedWithTheRemoval) {
  const std::string path = kFuture + "nested.yaml";
  Diagnostics d;
  ASSERT_TRUE(load_valid_scenario(path, d)) << d.to_string();
  const std::string base = kFuture + "one_of_each.yaml";
  const SourceLocation removal = place_of(file_text(base), "remove_transition", base);
  EXPECT_TRUE(WarnsOf(d,
                      {"after removing the transition 'checkout' -> 'help', touchpoint "
                       "'loyalty_club' cannot be reached"},
                      removal));
}

TEST(RemovalWarnings, AWayOnAddedLaterSilencesTheWarning) {
  const Scenario s = changed(
      "  - remove_touchpoint: checkout\n"
      "  - add_touchpoint: {id: pay, stage: purchase, channel: web, conversion: {value: 1}}\n"
      "  - add_transition: {from: signup, to: pay}\n"
      "  - add_transition: {from: basket, to: pay}\n"
      "  - add_transition: {from: pay, to: help}\n");
  Diagnostics d;
  validate_scenario(s, d);
  EXPECT_FALSE(d.has_errors()) << d.to_string();
  EXPECT_TRUE(d.all().empty()) << d.to_string();
}

// --- the shipped future states ----------------------------------------------------------------

TEST(FutureStateExamples, ValidateWithoutErrorsOrWarnings) {
  for (const char* name : {"retail_one_click_checkout.yaml", "retail_proactive_delivery.yaml",
                           "retail_store_push.yaml", "airline_delay_care.yaml",
                           "bank_current_account_guided_id.yaml",
                           "bank_current_account_overdraft_alert.yaml"}) {
    Diagnostics d;
    const std::optional<Scenario> s = load_valid_scenario(kExamples + name, d);
    EXPECT_TRUE(s) << name << ":\n" << d.to_string();
    EXPECT_TRUE(d.all().empty()) << name << ":\n" << d.to_string();
    if (s) {
      EXPECT_EQ(s->base_sources.size(), 1u) << name;
    }
  }
}

}  // namespace
}  // namespace cjsim
