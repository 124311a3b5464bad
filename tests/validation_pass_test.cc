// Validation as a user meets it: problems of shape and of meaning in one pass, near-misses
// answered with the right form, and warnings for a walk back into a conversion and for a cycle
// that only the horizon or max_steps ends, saying how many journeys it takes.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "scenarios/loader.h"
#include "scenarios/validate.h"
#include "tests/diagnostic_matchers.h"
#include "tests/scratch.h"

namespace cjsim {
namespace {

using testing::ReportsError;
using testing::WarnsOf;

SourceLocation place_of(std::string_view text, std::string_view needle, const std::string& file,
                        int nth = 0) {
  return testing::find_place(text, needle, file, nth);
}

// What every command sees: the loader, then validation, as load_valid_scenario runs them.
Diagnostics check(std::string_view text, const std::string& path = "j.yaml") {
  Diagnostics diagnostics;
  std::optional<Scenario> scenario = parse_scenario(text, path, diagnostics);
  if (scenario) validate_scenario(*scenario, diagnostics);
  return diagnostics;
}

// --- one pass ---------------------------------------------------------------------------------

// The file of the report: a misspelt key, a dropout of 1.7 and a transition to a misspelt
// touchpoint. Before, the first pass named only the key.
constexpr std::string_view kThreeMistakes = R"(name: Three mistakes
stages: [apply, open]
touchpoints:
  - id: application
    stage: apply
    channel: app
    entry_weight: 1
    dropuot: 0.2
  - id: id_check
    stage: apply
    channel: app
    dropout: 1.7
  - id: account_opened
    stage: open
    channel: app
    conversion: {value: 180}
transitions:
  - {from: application, to: id_check}
  - {from: id_check, to: acount_opened}
)";

TEST(ValidationInOnePass, ShapeAndMeaningProblemsComeTogether) {
  const Diagnostics d = check(kThreeMistakes);
  EXPECT_EQ(d.error_count(), 3u) << d.to_string();
  EXPECT_TRUE(ReportsError(d, "unknown key 'dropuot' in touchpoint 'application'; did you mean "
                              "'dropout'?",
                           place_of(kThreeMistakes, "dropuot", "j.yaml")));
  EXPECT_TRUE(ReportsError(d, "dropout in touchpoint 'id_check' must be between 0 and 1, got 1.7",
                           place_of(kThreeMistakes, "dropout: 1.7", "j.yaml")));
  EXPECT_TRUE(ReportsError(d, "transition to unknown touchpoint 'acount_opened'; did you mean "
                              "'account_opened'?",
                           place_of(kThreeMistakes, "to: acount_opened", "j.yaml")));
  // In file order, as a reader fixes them.
  ASSERT_EQ(d.all().size(), 3u);
  EXPECT_LT(d.all()[0].where.line, d.all()[1].where.line);
  EXPECT_LT(d.all()[1].where.line, d.all()[2].where.line);
}

TEST(ValidationInOnePass, EveryLoaderReportsThemTogether) {
  const std::string path = cjsim::testing::scratch_directory() + "/three_mistakes.yaml";
  {
    std::ofstream out(path);
    out << kThreeMistakes;
  }
  Diagnostics d;
  EXPECT_FALSE(load_valid_scenario(path, d));
  EXPECT_EQ(d.error_count(), 3u) << d.to_string();
}

TEST(ValidationInOnePass, AProblemOfShapeIsNotReportedAgainAsOneOfMeaning) {
  // An id of the wrong type is not also "empty", references to it are not "unknown", and a
  // missing stage is not also "no stage".
  const std::string text = R"(name: J
stages: [s]
touchpoints:
  - id: [a]
    stage: s
    channel: web
    entry_weight: 1
    conversion: {value: 1}
  - id: b
    channel: web
transitions:
  - {from: b, to: a}
)";
  const Diagnostics d = check(text);
  EXPECT_EQ(d.error_count(), 2u) << d.to_string();
  EXPECT_TRUE(ReportsError(d, "expected a string for id in touchpoint #1",
                           place_of(text, "id: [a]", "j.yaml")));
  EXPECT_TRUE(ReportsError(d, "missing required key 'stage' in touchpoint 'b'",
                           place_of(text, "id: b", "j.yaml")));
  // No warnings about the graph of a journey read in part: it is not the journey meant.
  EXPECT_EQ(d.all().size(), d.error_count()) << d.to_string();
}

TEST(ValidationInOnePass, AnUnreadableFileStaysOneError) {
  const Diagnostics d = check("name: [unclosed\n");
  EXPECT_EQ(d.all().size(), 1u) << d.to_string();
}

// --- near-misses -------------------------------------------------------------------------------

constexpr std::string_view kSmall = R"(name: Small
stages: [s]
touchpoints:
  - id: start
    stage: s
    channel: web
    entry_weight: 1
  - id: buy
    stage: s
    channel: web
    conversion: {value: 10}
transitions:
  - {from: start, to: buy}
personas:
  - id: p
)";

std::string small_with(std::string_view from, std::string_view to) {
  std::string text(kSmall);
  text.replace(text.find(from), from.size(), to);
  return text;
}

TEST(NearMisses, ConversionTrueShowsTheFormThatSaysWhatItEarns) {
  const std::string text = small_with("conversion: {value: 10}", "conversion: true");
  const Diagnostics d = check(text);
  EXPECT_TRUE(ReportsError(d, "conversion in touchpoint 'buy': true does not say what a "
                              "conversion here earns; write conversion: {value: V}",
                           place_of(text, "conversion:", "j.yaml")));
  // And it is not also "no conversion touchpoint".
  EXPECT_EQ(d.error_count(), 1u) << d.to_string();
}

TEST(NearMisses, ConversionAsTextShowsTheRightForm) {
  const std::string text = small_with("conversion: {value: 10}", "conversion: \"yes please\"");
  EXPECT_TRUE(ReportsError(check(text), "write conversion: {value: V} with the revenue",
                           place_of(text, "conversion:", "j.yaml")));
}

TEST(NearMisses, ValueOnATouchpointPointsAtConversion) {
  const std::string text = small_with("conversion: {value: 10}", "value: 10");
  EXPECT_TRUE(ReportsError(check(text), "unknown key 'value' in touchpoint 'buy'; a conversion's "
                                        "value is written conversion: {value: V}",
                           place_of(text, "value: 10", "j.yaml")));
}

TEST(NearMisses, AKeyOfAnotherPartSaysWhereItBelongs) {
  const std::string persona = small_with("  - id: p\n", "  - id: p\n    patience_hours: 0.5\n");
  EXPECT_TRUE(ReportsError(check(persona), "unknown key 'patience_hours' in persona 'p'; "
                                           "'patience_hours' belongs in a touchpoint: a "
                                           "persona's 'patience' multiplies it",
                           place_of(persona, "patience_hours", "j.yaml")));
  const std::string touchpoint = small_with("    entry_weight: 1\n",
                                            "    entry_weight: 1\n    kappa: 2\n");
  EXPECT_TRUE(ReportsError(check(touchpoint), "unknown key 'kappa' in touchpoint 'start'; "
                                              "'kappa' belongs in settings",
                           place_of(touchpoint, "kappa", "j.yaml")));
  const std::string top = std::string(kSmall) + "horizon_hours: 100\n";
  EXPECT_TRUE(ReportsError(check(top), "unknown key 'horizon_hours' in the scenario; "
                                       "'horizon_hours' belongs in settings",
                           place_of(top, "horizon_hours", "j.yaml")));
}

TEST(NearMisses, ANumberForAnEmotionShowsTheMap) {
  const std::string text = small_with("    entry_weight: 1\n", "    entry_weight: 1\n    emotion: 0.3\n");
  EXPECT_TRUE(ReportsError(check(text), "expected a map {mean, sd} for emotion in touchpoint "
                                        "'start', got '0.3'; write emotion: {mean: 0.3}",
                           place_of(text, "emotion:", "j.yaml")));
}

TEST(NearMisses, APercentageForAProbabilityShowsTheFraction) {
  const std::string text = small_with("    entry_weight: 1\n", "    entry_weight: 1\n    dropout: 30\n");
  EXPECT_TRUE(ReportsError(check(text), "dropout in touchpoint 'start' must be between 0 and 1, "
                                        "got 30; a probability is a fraction: for 30% write 0.3",
                           place_of(text, "dropout:", "j.yaml")));
}

// --- warnings ----------------------------------------------------------------------------------

TEST(Warnings, AWalkBackIntoAConversionNamesThePath) {
  // A shared call-centre queue after the account is opened leads into the ID check, and on to
  // the opening again.
  const std::string text = R"(name: Shared queue
stages: [apply, use]
touchpoints:
  - {id: apply, stage: apply, channel: app, entry_weight: 1}
  - {id: id_check, stage: apply, channel: app, dropout: 0.1}
  - {id: opened, stage: apply, channel: app, conversion: {value: 100}}
  - {id: usage, stage: use, channel: app, dropout: 0.2}
  - {id: call_queue, stage: use, channel: phone, dropout: 0.3}
transitions:
  - {from: apply, to: id_check}
  - {from: id_check, to: opened}
  - {from: id_check, to: call_queue}
  - {from: opened, to: usage}
  - {from: usage, to: call_queue}
  - {from: call_queue, to: id_check}
)";
  const Diagnostics d = check(text);
  EXPECT_FALSE(d.has_errors()) << d.to_string();
  EXPECT_TRUE(WarnsOf(d, "customers who converted at 'opened' can walk back into conversion "
                         "touchpoint 'opened' (opened -> usage -> call_queue -> id_check -> "
                         "opened) through 'call_queue', which journeys also reach before "
                         "converting; a journey converts only once",
                      place_of(text, "to: opened", "j.yaml")));
  ASSERT_EQ(d.all().size(), 1u) << d.to_string();

  // A repeat visit that starts a new round of browsing passes no touchpoint shared with the
  // way to the sale: the modeller's choice, not warned about.
  std::string repeat = text;
  repeat.replace(repeat.find("{from: usage, to: call_queue}"), 29, "{from: usage, to: apply}");
  repeat.replace(repeat.find("{id: call_queue, stage: use"), 27, "{id: call_queue, stage: apply");
  const Diagnostics quiet = check(repeat);
  EXPECT_TRUE(quiet.all().empty()) << quiet.to_string();
}

TEST(Warnings, NoWalkBackWarningWhenNothingLeadsBack) {
  const Diagnostics d = check(kSmall);
  EXPECT_TRUE(d.all().empty()) << d.to_string();
}

// A closed cycle without dropout under a horizon: half the journeys enter it. Visits there take
// 0.01 hours, so max_steps (1000 visits, 10 hours) ends them long before the 2160-hour horizon.
constexpr std::string_view kTrap = R"(name: Trap
stages: [s]
settings: {horizon_hours: 2160}
touchpoints:
  - {id: start, stage: s, channel: web, entry_weight: 1}
  - {id: buy, stage: s, channel: web, conversion: {value: 10}}
  - {id: loop_a, stage: s, channel: web, duration: 0.01}
  - {id: loop_b, stage: s, channel: web, duration: 0.01}
transitions:
  - {from: start, to: buy}
  - {from: start, to: loop_a}
  - {from: loop_a, to: loop_b}
  - {from: loop_b, to: loop_a}
)";

TEST(Warnings, ACycleUnderAHorizonSaysHowManyJourneysItTakesAndWhatEndsThem) {
  const Diagnostics d = check(kTrap);
  EXPECT_FALSE(d.has_errors()) << d.to_string();
  EXPECT_TRUE(WarnsOf(d,
                      {"journeys that enter {loop_a, loop_b} never end on their own",
                       "About 50% of journeys enter it (from the journey's Markov chain)",
                       "max_steps (1000) stops them, as capped, before the horizon (2160 hours)"},
                      place_of(kTrap, "{id: loop_a", "j.yaml")));
}

TEST(Warnings, TheShareEnteringACycleFollowsDropoutsAndAffinities) {
  // A dropout of 0.5 before the fork halves the share; a persona with no affinity for the
  // cycle's channel never enters it, and it holds a third of the agents.
  std::string text(kTrap);
  text.replace(text.find("entry_weight: 1}"), 16, "entry_weight: 1, dropout: 0.5}");
  for (const char* id : {"loop_a", "loop_b"}) {
    const std::string from = std::string("{id: ") + id + ", stage: s, channel: web";
    text.replace(text.find(from), from.size(),
                 std::string("{id: ") + id + ", stage: s, channel: phone");
  }
  text += "personas:\n  - {id: caller, share: 2}\n  - {id: never, share: 1, channel_affinity: "
          "{phone: 0}}\n";
  const Diagnostics d = check(text);
  EXPECT_FALSE(d.has_errors()) << d.to_string();
  // 2/3 x 0.5 x 1/2 = 1/6.
  EXPECT_TRUE(WarnsOf(d, "About 16.7% of journeys enter it", place_of(text, "{id: loop_a", "j.yaml")));
}

TEST(Warnings, ACycleWhoseVisitsTakeLongIsStoppedByTheHorizon) {
  std::string text(kTrap);
  for (int i = 0; i < 2; ++i) text.replace(text.find("duration: 0.01"), 14, "duration: 24");
  EXPECT_TRUE(WarnsOf(check(text), "the horizon (2160 hours) stops them, as censored",
                      place_of(text, "{id: loop_a", "j.yaml")));
}

}  // namespace
}  // namespace cjsim
