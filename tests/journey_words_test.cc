// The journey map's words (descriptions, customer actions, thoughts, pain points,
// opportunities, lanes, owners; stages' descriptions and goals; personas' names, goals, quotes
// and attributes; notes): read with their places, written back, compared by `diff`, changed by
// future states, carried to the compiled journey for reports, and never in a number.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "scenarios/diff.h"
#include "scenarios/loader.h"
#include "scenarios/validate.h"
#include "scenarios/writer.h"
#include "sim/engine/engine.h"
#include "sim/model/compiled_journey.h"
#include "tests/diagnostic_matchers.h"
#include "tests/scratch.h"

namespace cjsim {
namespace {

using testing::ReportsError;

SourceLocation place_of(std::string_view text, std::string_view needle, const std::string& file,
                        int nth = 0) {
  return testing::find_place(text, needle, file, nth);
}

// A small journey with every word written.
constexpr std::string_view kWorded = R"(name: Worded
notes: From twelve interviews; the emotions are the least certain numbers.
stages:
  - name: discover
    description: The customer hears of us.
    goals: [Find something cheap]
  - buy
touchpoints:
  - id: ad
    stage: discover
    channel: social
    dropout: 0.3
    entry_weight: 1
    description: A short video advert.
    customer_action: Taps through.
    thoughts: [Is it free?, "Who are they: a bank?"]
    pain_points: [Small print]
    opportunities: [Show the price]
    lane: frontstage
    owner: Marketing
  - id: checkout
    stage: buy
    channel: web
    conversion: {value: 50}
    lane: support
transitions:
  - {from: ad, to: checkout}
personas:
  - id: maya
    name: Maya, the switcher
    description: Moves her salary for a better app.
    goals: [Open in one sitting]
    quote: "If I have to phone, I have lost interest."
    attributes: {age_band: 25-34, occupation: manager}
  - id: graham
    share: 0.5
)";

Scenario load(std::string_view text, const std::string& path = "w.yaml") {
  Diagnostics diagnostics;
  std::optional<Scenario> scenario = parse_scenario(text, path, diagnostics);
  EXPECT_TRUE(scenario) << diagnostics.to_string();
  if (!scenario) return {};
  validate_scenario(*scenario, diagnostics);
  EXPECT_FALSE(diagnostics.has_errors()) << diagnostics.to_string();
  return *scenario;
}

TEST(JourneyWords, EveryWordLandsInItsField) {
  const Scenario s = load(kWorded);
  EXPECT_EQ(s.notes, "From twelve interviews; the emotions are the least certain numbers.");
  ASSERT_EQ(s.stages, (std::vector<std::string>{"discover", "buy"}));
  ASSERT_EQ(s.stage_words.count("discover"), 1u);
  EXPECT_EQ(s.stage_words.at("discover").words.description, "The customer hears of us.");
  EXPECT_EQ(s.stage_words.at("discover").words.goals, TextList{"Find something cheap"});
  EXPECT_EQ(s.stage_words.count("buy"), 0u);
  const TouchpointWords& ad = s.touchpoints[0].words;
  EXPECT_EQ(ad.description, "A short video advert.");
  EXPECT_EQ(ad.customer_action, "Taps through.");
  EXPECT_EQ(ad.thoughts, (TextList{"Is it free?", "Who are they: a bank?"}));
  EXPECT_EQ(ad.pain_points, TextList{"Small print"});
  EXPECT_EQ(ad.opportunities, TextList{"Show the price"});
  EXPECT_EQ(ad.lane, "frontstage");
  EXPECT_EQ(ad.owner, "Marketing");
  const PersonaWords& maya = s.personas[0].words;
  EXPECT_EQ(maya.name, "Maya, the switcher");
  EXPECT_EQ(maya.goals, TextList{"Open in one sitting"});
  EXPECT_EQ(maya.quote, "If I have to phone, I have lost interest.");
  EXPECT_EQ(maya.attributes, (TextMap{{"age_band", "25-34"}, {"occupation", "manager"}}));
  EXPECT_EQ(s.personas[1].words.name, "graham");  // the id when no name is given
  // Places are kept for later checks, as for every field.
  EXPECT_EQ(s.touchpoints[0].fields.at("pain_points").line,
            place_of(kWorded, "pain_points", "w.yaml").line);
}

TEST(JourneyWords, RoundTripThroughTheWriterKeepsEveryWord) {
  const Scenario s = load(kWorded);
  const std::string written = scenario_yaml(s);
  const Scenario read = load(written, "written.yaml");
  EXPECT_TRUE(diff_scenarios(s, read).empty()) << written;
  EXPECT_EQ(read.touchpoints[0].words, s.touchpoints[0].words);
  EXPECT_EQ(read.personas[0].words, s.personas[0].words);
  EXPECT_EQ(read.stage_words.at("discover").words, s.stage_words.at("discover").words);
  EXPECT_EQ(read.notes, s.notes);
  // And a journey without words is written as before: stages as a flow list, no word keys.
  const Scenario plain = load("name: P\nstages: [a]\ntouchpoints:\n  - {id: x, stage: a, channel: "
                              "web, entry_weight: 1, conversion: {value: 1}}\n");
  const std::string plain_written = scenario_yaml(plain);
  EXPECT_NE(plain_written.find("stages: [a]"), std::string::npos) << plain_written;
  EXPECT_EQ(plain_written.find("name: everyone"), std::string::npos) << plain_written;
}

TEST(JourneyWords, WordsOfTheWrongShapeAreErrorsAtTheirPlace) {
  struct Case {
    std::string from, to, message, place;
  } cases[] = {
      {"pain_points: [Small print]", "pain_points: Small print",
       "expected a list of texts for pain_points in touchpoint 'ad', got 'Small print'; write it "
       "as a list",
       "pain_points:"},
      {"thoughts: [Is it free?, \"Who are they: a bank?\"]", "thoughts: [[nested]]",
       "expected a text as item 1 of thoughts in touchpoint 'ad'", "[nested]"},
      {"attributes: {age_band: 25-34, occupation: manager}", "attributes: [25-34]",
       "expected a map of name: text for attributes in persona 'maya'", "attributes:"},
      {"lane: frontstage", "lane: frontstgae",
       "lane 'frontstgae' of touchpoint 'ad' is not one of the lanes (frontstage, backstage, "
       "support); did you mean 'frontstage'?",
       "lane: frontstgae"},
      {"    goals: [Find something cheap]", "    goals: Find something cheap",
       "expected a list of texts for goals in stage 'discover'", "goals: Find"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.to);
    std::string changed(kWorded);
    changed.replace(changed.find(c.from), c.from.size(), c.to);
    Diagnostics diagnostics;
    std::optional<Scenario> s = parse_scenario(changed, "w.yaml", diagnostics);
    if (s) validate_scenario(*s, diagnostics);
    EXPECT_TRUE(ReportsError(diagnostics, c.message, place_of(changed, c.place, "w.yaml")));
  }
}

TEST(JourneyWords, WordsNeverChangeANumber) {
  const Scenario worded = load(kWorded);
  Scenario bare = worded;
  bare.notes.clear();
  bare.stage_words.clear();
  for (Touchpoint& t : bare.touchpoints) t.words = {};
  for (Persona& p : bare.personas) p.words = {};
  RunOptions options;
  options.agents = 2000;
  options.seed = 5;
  options.replications = 1;
  options.threads = 1;
  const RunResult a = run(compile(worded), options);
  const RunResult b = run(compile(bare), options);
  ASSERT_EQ(a.replications.size(), 1u);
  EXPECT_GT(a.replications[0].overall().conversions, 0u);
  EXPECT_TRUE(a.replications == b.replications);  // every count and exact sum, to the bit
}

TEST(JourneyWords, TheCompiledJourneyCarriesTheWordsBesideTheNames) {
  const CompiledJourney j = compile(load(kWorded));
  ASSERT_EQ(j.touchpoint_words.size(), j.touchpoint_count());
  EXPECT_EQ(j.touchpoint_words[0].pain_points, TextList{"Small print"});
  EXPECT_EQ(j.touchpoint_words[1].lane, "support");
  ASSERT_EQ(j.stage_words.size(), j.stage_count());
  EXPECT_EQ(j.stage_words[0].goals, TextList{"Find something cheap"});
  EXPECT_TRUE(j.stage_words[1].goals.empty());
  ASSERT_EQ(j.persona_words.size(), j.persona_count());
  EXPECT_EQ(j.persona_words[0].name, "Maya, the switcher");
  EXPECT_EQ(j.persona_words[1].name, "graham");
  EXPECT_EQ(j.notes, "From twelve interviews; the emotions are the least certain numbers.");
}

TEST(JourneyWords, DiffShowsChangedWords) {
  const Scenario before = load(kWorded);
  Scenario after = before;
  after.touchpoints[0].words.pain_points = {"Small print", "Slow page"};
  after.touchpoints[0].words.description = "A longer video advert.";
  after.touchpoints[0].words.owner = "Growth";
  after.personas[0].words.quote = "";
  after.personas[0].words.attributes["occupation"] = "director";
  after.stage_words["discover"].words.goals = {"Find something good"};
  after.notes = "Revised after the pilot.";
  const auto differences = diff_scenarios(before, after);
  const std::string text = format_differences(differences);
  EXPECT_NE(text.find("notes rewritten"), std::string::npos) << text;
  EXPECT_NE(text.find("Stages\n  ~ changed  discover: goals + \"Find something good\", - \"Find "
                      "something cheap\""),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("~ changed  ad: description rewritten, pain points + \"Slow page\", owner "
                      "Marketing -> Growth"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("~ changed  maya: quote removed, attributes + \"occupation: director\", - "
                      "\"occupation: manager\""),
            std::string::npos)
      << text;
  const nlohmann::json json = differences_to_json(differences);
  bool found_list = false;
  for (const auto& d : json) {
    for (const auto& f : d.at("fields")) {
      if (f.at("field") == "pain_points") {
        EXPECT_EQ(f.at("after"), nlohmann::json({"Small print", "Slow page"}));
        found_list = true;
      }
    }
  }
  EXPECT_TRUE(found_list) << json.dump(2);
}

TEST(JourneyWords, FutureStatesChangeWords) {
  const std::string dir = cjsim::testing::scratch_directory();
  {
    std::ofstream base(dir + "/worded.yaml");
    base << kWorded;
  }
  const std::string future_text = R"(name: Worded, redesigned
notes: After the redesign.
base: worded.yaml
changes:
  - update_touchpoint: {id: ad, pain_points: [], opportunities: [Show the price, Add a calculator],
                        lane: backstage}
  - update_persona: {id: maya, name: "Maya, switched", goals: [Never phone]}
  - update_stage: {name: discover, description: The customer finds us., goals: [Find it fast]}
  - update_stage: {name: buy, goals: [Pay in one tap]}
)";
  {
    std::ofstream future(dir + "/worded_future.yaml");
    future << future_text;
  }
  Diagnostics diagnostics;
  const std::optional<Scenario> s = load_valid_scenario(dir + "/worded_future.yaml", diagnostics);
  ASSERT_TRUE(s) << diagnostics.to_string();
  EXPECT_EQ(s->notes, "After the redesign.");
  EXPECT_TRUE(s->touchpoints[0].words.pain_points.empty());
  EXPECT_EQ(s->touchpoints[0].words.opportunities,
            (TextList{"Show the price", "Add a calculator"}));
  EXPECT_EQ(s->touchpoints[0].words.lane, "backstage");
  EXPECT_EQ(s->touchpoints[0].words.owner, "Marketing");  // not written: kept
  EXPECT_EQ(s->personas[0].words.name, "Maya, switched");
  EXPECT_EQ(s->personas[0].words.quote, "If I have to phone, I have lost interest.");
  EXPECT_EQ(s->stage_words.at("discover").words.description, "The customer finds us.");
  EXPECT_EQ(s->stage_words.at("buy").words.goals, TextList{"Pay in one tap"});

  // A stage that is not there is named with a suggestion, at the change.
  const std::string bad_text = std::string("base: worded.yaml\nchanges:\n") +
                               "  - update_stage: {name: discovr, goals: [x]}\n";
  {
    std::ofstream bad(dir + "/worded_bad.yaml");
    bad << bad_text;
  }
  Diagnostics bad_diagnostics;
  EXPECT_FALSE(load_valid_scenario(dir + "/worded_bad.yaml", bad_diagnostics));
  EXPECT_TRUE(ReportsError(bad_diagnostics,
                           "change 1 (update_stage): no stage 'discovr' in the base journey; did "
                           "you mean 'discover'?",
                           place_of(bad_text, "name: discovr", dir + "/worded_bad.yaml")));
}

TEST(JourneyWords, AFutureStateListingStagesBareKeepsTheirWords) {
  const std::string dir = cjsim::testing::scratch_directory();
  {
    std::ofstream base(dir + "/worded2.yaml");
    base << kWorded;
  }
  {
    std::ofstream future(dir + "/worded2_future.yaml");
    future << "base: worded2.yaml\nstages: [discover, buy, advocacy]\n";
  }
  Diagnostics diagnostics;
  const std::optional<Scenario> s = load_valid_scenario(dir + "/worded2_future.yaml", diagnostics);
  ASSERT_TRUE(s) << diagnostics.to_string();
  EXPECT_EQ(s->stage_words.at("discover").words.goals, TextList{"Find something cheap"});
}

// A report that holds only a result (its metadata: the text as run and its bases' texts) reaches
// the words the same way: the journey rebuilt from what was recorded, with no file read.
TEST(JourneyWords, AJourneyRebuiltFromWhatAResultRecordsHasItsWords) {
  const std::string dir = cjsim::testing::scratch_directory() + "/recorded";
  std::filesystem::create_directories(dir);
  const std::string examples = std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/";
  for (const char* name : {"bank_current_account.yaml", "bank_current_account_guided_id.yaml"}) {
    std::filesystem::copy_file(examples + name, dir + "/" + name,
                               std::filesystem::copy_options::overwrite_existing);
  }
  Diagnostics diagnostics;
  const std::optional<Scenario> loaded =
      load_valid_scenario(dir + "/bank_current_account_guided_id.yaml", diagnostics);
  ASSERT_TRUE(loaded) << diagnostics.to_string();
  std::filesystem::remove_all(dir);
  const std::optional<Scenario> rebuilt = parse_recorded_scenario(
      loaded->source_text, loaded->source_path, loaded->base_sources, diagnostics);
  ASSERT_TRUE(rebuilt) << diagnostics.to_string();
  EXPECT_TRUE(diff_scenarios(*loaded, *rebuilt).empty());
  const CompiledJourney j = compile(*rebuilt);
  const std::int64_t chat = j.find_touchpoint("id_help_chat");
  ASSERT_GE(chat, 0);
  EXPECT_EQ(j.touchpoint_words[static_cast<std::size_t>(chat)].owner, "Contact centre");
  EXPECT_EQ(j.persona_words[0].name, "Maya, the app-first switcher");

  // A base the result does not record is named, not read from the disk.
  Diagnostics missing;
  EXPECT_FALSE(parse_recorded_scenario(loaded->source_text, loaded->source_path, {}, missing));
  EXPECT_NE(missing.to_string().find("the result does not record it"), std::string::npos)
      << missing.to_string();
}

}  // namespace
}  // namespace cjsim
