// The calendar parts of the scenario format (sim/model/MODEL.md 2.1): reading, writing back,
// validation at the line and column of the field at fault, future-state changes, diff and
// parameter paths.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

#include "diagnostic_matchers.h"
#include "scenarios/changes.h"
#include "scenarios/diff.h"
#include "scenarios/loader.h"
#include "scenarios/parameter_path.h"
#include "scenarios/validate.h"
#include "scenarios/writer.h"
#include "tests/scratch.h"

namespace cjsim {
namespace {

using testing::ReportsError;

constexpr const char* kFile = "calendar.yaml";

constexpr std::string_view kJourney = R"(name: Desk
stages: [contact, done]
touchpoints:
  - id: phone
    stage: contact
    channel: phone
    duration: {exponential: 0.2}
    entry_weight: 1
    resource: agents
    patience_hours: 0.5
    wait_penalty: 0.3
    opening_hours: {weekdays: ["08:00-12:00", "13:00-18:00"], saturday: "09:00-12:30"}
  - id: solved
    stage: done
    channel: phone
    conversion: {value: 10}
transitions:
  - {from: phone, to: solved}
personas:
  - {id: calm, share: 2, patience: 2}
  - {id: busy, share: 1}
calendar:
  days: 14
  arrivals_per_day: 50
  weekday_profile: [2, 1, 1, 1, 1, 0.5, 0.5]
  start_weekday: wednesday
resources:
  - id: agents
    capacity: 3
    lane: backstage
    cost_per_hour: 25
    schedule:
      every_day: 1
      weekdays: [0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 3, 3, 3, 3, 3, 3, 2, 2, 0, 0, 0, 0, 0, 0]
      friday: 4
word_of_mouth:
  referrals_per_promoter: 0.5
  delay_days: 3
  entry: {phone: 1}
returns:
  retention: 0.4
  after_days: 10
)";

std::optional<Scenario> load(std::string_view text, Diagnostics& diagnostics) {
  std::optional<Scenario> scenario = parse_scenario(text, kFile, diagnostics);
  if (scenario) validate_scenario(*scenario, diagnostics);
  return scenario;
}

// The journey with `from` replaced by `to` (which must occur once).
std::string with(std::string_view from, std::string_view to) {
  std::string text(kJourney);
  const std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  text.replace(at, from.size(), to);
  return text;
}

SourceLocation place_of(std::string_view text, std::string_view needle) {
  return testing::find_place(text, needle, kFile);
}

TEST(CalendarScenario, ReadsEveryCalendarField) {
  Diagnostics diagnostics;
  const std::optional<Scenario> s = load(kJourney, diagnostics);
  ASSERT_TRUE(s) << diagnostics.to_string();
  EXPECT_FALSE(diagnostics.has_errors()) << diagnostics.to_string();
  ASSERT_TRUE(s->calendar);
  EXPECT_EQ(s->calendar->days, 14);
  EXPECT_EQ(s->calendar->arrivals_per_day, 50);
  EXPECT_EQ(s->calendar->weekday_profile.size(), 7u);
  EXPECT_EQ(s->calendar->start_weekday, "wednesday");
  ASSERT_EQ(s->resources.size(), 1u);
  const Resource& agents = s->resources[0];
  EXPECT_EQ(agents.capacity, 3);
  ASSERT_TRUE(agents.schedule);
  // A weekday's own key wins over weekdays, which wins over every_day.
  EXPECT_EQ((*(*agents.schedule)[0])[10], 3);  // Monday 10:00: weekdays
  EXPECT_EQ((*(*agents.schedule)[4])[10], 4);  // Friday: its own key
  EXPECT_EQ((*(*agents.schedule)[6])[10], 1);  // Sunday: every_day
  const Touchpoint& phone = s->touchpoints[0];
  EXPECT_EQ(phone.resource, "agents");
  EXPECT_EQ(phone.patience_hours, 0.5);
  EXPECT_EQ(phone.wait_penalty, 0.3);
  ASSERT_TRUE(phone.opening_hours);
  ASSERT_EQ((*phone.opening_hours)[0].size(), 2u);
  EXPECT_EQ((*phone.opening_hours)[0][1], (OpenSpan{13 * 60, 18 * 60}));
  EXPECT_EQ((*phone.opening_hours)[5], (std::vector<OpenSpan>{{9 * 60, 12 * 60 + 30}}));
  EXPECT_TRUE((*phone.opening_hours)[6].empty());  // not written: closed
  EXPECT_EQ(s->personas[0].patience, 2);
  ASSERT_TRUE(s->word_of_mouth && s->returns);
  EXPECT_EQ(s->word_of_mouth->entry.at("phone"), 1);
  EXPECT_EQ(s->returns->retention, 0.4);
}

TEST(CalendarScenario, WritesBackWhatItRead) {
  Diagnostics diagnostics;
  const std::optional<Scenario> s = load(kJourney, diagnostics);
  ASSERT_TRUE(s);
  const std::string written = scenario_yaml(*s);
  Diagnostics again;
  const std::optional<Scenario> read = load(written, again);
  ASSERT_TRUE(read) << again.to_string() << written;
  EXPECT_FALSE(again.has_errors()) << again.to_string();
  EXPECT_TRUE(diff_scenarios(*s, *read).empty())
      << format_differences(diff_scenarios(*s, *read)) << written;
  EXPECT_EQ(read->resources[0].schedule, s->resources[0].schedule);
  EXPECT_EQ(read->touchpoints[0].opening_hours, s->touchpoints[0].opening_hours);
}

TEST(CalendarScenario, AJourneyWithoutACalendarWritesNoCalendarKey) {
  Diagnostics diagnostics;
  const auto s = load_valid_scenario(std::string(CJSIM_TEST_DATA) + "/tiny.yaml", diagnostics);
  ASSERT_TRUE(s);
  const std::string written = scenario_yaml(*s);
  for (const char* key : {"calendar", "resources", "word_of_mouth", "returns", "patience"}) {
    EXPECT_EQ(written.find(key), std::string::npos) << key;
  }
}

TEST(CalendarScenario, ATouchpointUsingAnUnknownResourceIsAnErrorAtItsPlace) {
  const std::string text = with("resource: agents", "resource: agnets");
  Diagnostics diagnostics;
  load(text, diagnostics);
  EXPECT_TRUE(ReportsError(diagnostics, {"resource 'agnets'", "did you mean 'agents'"},
                           place_of(text, "resource: agnets")));
}

TEST(CalendarScenario, NegativeCapacityIsAnErrorAtItsPlace) {
  const std::string text = with("capacity: 3", "capacity: -2");
  Diagnostics diagnostics;
  load(text, diagnostics);
  EXPECT_TRUE(ReportsError(diagnostics, {"capacity in resource 'agents'", "got -2"},
                           place_of(text, "capacity")));
}

TEST(CalendarScenario, AResourceWithoutAnyServerIsAWarningAtItsCapacity) {
  const std::string text = with("capacity: 3", "capacity: 0");
  {
    Diagnostics diagnostics;
    load(text, diagnostics);
    EXPECT_FALSE(diagnostics.has_errors()) << diagnostics.to_string();  // the schedule has some
  }
  std::string unscheduled = text;
  const std::size_t start = unscheduled.find("    schedule:");
  const std::size_t end = unscheduled.find("word_of_mouth:");
  unscheduled.erase(start, end - start);
  Diagnostics diagnostics;
  load(unscheduled, diagnostics);
  EXPECT_TRUE(testing::Reports(diagnostics, Severity::warning,
                               {"resource 'agents' has no server at any hour"},
                               place_of(unscheduled, "capacity: 0")));
}

TEST(CalendarScenario, ANegativeScheduledCapacityIsAnErrorAtItsWeekday) {
  const std::string text = with("friday: 4", "friday: -1");
  Diagnostics diagnostics;
  load(text, diagnostics);
  EXPECT_TRUE(ReportsError(diagnostics, {"schedule.friday in resource 'agents'", "got -1"},
                           place_of(text, "friday")));
}

TEST(CalendarScenario, AScheduleOf25HoursIsAnErrorAtItsWeekday) {
  const std::string text = with("2, 2, 0, 0, 0, 0, 0, 0]", "2, 2, 0, 0, 0, 0, 0, 0, 0]");
  Diagnostics diagnostics;
  EXPECT_FALSE(parse_scenario(text, kFile, diagnostics));
  EXPECT_TRUE(ReportsError(diagnostics, {"schedule.weekdays", "has 25 hourly capacities", "24"},
                           place_of(text, "weekdays: [0")));
}

TEST(CalendarScenario, PatienceZeroIsAnErrorAtItsPlace) {
  {
    const std::string text = with("patience_hours: 0.5", "patience_hours: 0");
    Diagnostics diagnostics;
    load(text, diagnostics);
    EXPECT_TRUE(ReportsError(diagnostics,
                             {"patience_hours in touchpoint 'phone'", "greater than 0", "got 0"},
                             place_of(text, "patience_hours")));
  }
  {
    const std::string text = with("patience: 2}", "patience: 0}");
    Diagnostics diagnostics;
    load(text, diagnostics);
    EXPECT_TRUE(ReportsError(diagnostics, {"patience in persona 'calm'", "got 0"},
                             place_of(text, "patience: 0")));
  }
}

TEST(CalendarScenario, AReferralEntryNamingNoTouchpointIsAnErrorAtItsPlace) {
  const std::string text = with("entry: {phone: 1}", "entry: {phnoe: 1}");
  Diagnostics diagnostics;
  load(text, diagnostics);
  EXPECT_TRUE(ReportsError(
      diagnostics, {"entry.phnoe in word_of_mouth names no touchpoint", "did you mean 'phone'"},
      place_of(text, "phnoe")));
}

TEST(CalendarScenario, RetentionAboveOneIsAnErrorAtItsPlace) {
  const std::string text = with("retention: 0.4", "retention: 1.5");
  Diagnostics diagnostics;
  load(text, diagnostics);
  EXPECT_TRUE(ReportsError(diagnostics, {"retention in returns", "between 0 and 1", "got 1.5"},
                           place_of(text, "retention")));
}

TEST(CalendarScenario, ShapeMistakesAreErrorsAtTheirPlace) {
  struct Case {
    std::string_view from, to, needle, fragment;
  } cases[] = {
      {"weekday_profile: [2, 1, 1, 1, 1, 0.5, 0.5]", "weekday_profile: [2, 1, 1]",
       "weekday_profile", "has 3 factors; it needs 7"},
      {"saturday: \"09:00-12:30\"", "saturday: \"09:00-25:00\"", "\"09:00-25:00\"",
       "is not a span of the day"},
      {"saturday: \"09:00-12:30\"", "saturday: \"12:00-09:00\"", "\"12:00-09:00\"",
       "ends before it starts"},
      {"saturday: \"09:00-12:30\"", "satruday: \"09:00-12:30\"", "satruday",
       "did you mean 'saturday'"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.to));
    const std::string text = with(c.from, c.to);
    Diagnostics diagnostics;
    EXPECT_FALSE(parse_scenario(text, kFile, diagnostics));
    EXPECT_TRUE(ReportsError(diagnostics, c.fragment, place_of(text, c.needle)));
  }
}

// Values of the wrong shape anywhere in the calendar parts: each refused at its place, with
// what was expected, never read as a default.
TEST(CalendarScenario, WrongShapesAreRefusedAtTheirPlace) {
  struct Case {
    std::string_view from, to, needle, fragment;
  } cases[] = {
      {"days: 14", "days: 1.5", "days: 1.5", "expected a whole number for days"},
      {"weekday_profile: [2, 1, 1, 1, 1, 0.5, 0.5]", "weekday_profile: 3", "weekday_profile",
       "expected a list of 7 factors"},
      {"weekday_profile: [2, 1, 1, 1, 1, 0.5, 0.5]", "weekday_profile: [2, 1, 1, x, 1, 0.5, 0.5]",
       "x, 1", "expected a number for weekday_profile[3]"},
      {"    schedule:\n", "    schedule: [1, 2]\n    old_schedule:\n", "schedule: [1, 2]",
       "expected a map of weekday"},
      {"friday: 4", "friday: {servers: 4}", "friday", "expected servers for the whole day"},
      {"friday: 4",
       "friday: [1, 2, three, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, "
       "19, 20, 21, 22, 23, 24]",
       "three", "hour 2 of schedule.friday"},
      {"friday: 4", "friday: 4\n      friday: 5", "friday: 5", "appears twice"},
      {"opening_hours: {weekdays", "opening_hours: 9\n    closing_hours: {weekdays",
       "opening_hours", "expected a map of weekday"},
      {"saturday: \"09:00-12:30\"", "saturday: [{from: 9}]", "{from", "expected a span"},
      {"saturday: \"09:00-12:30\"", "saturday: [\"09:00-11:00\", \"10:00-12:00\"]",
       "\"10:00-12:00\"", "starts before the one before it ends"},
      {"entry: {phone: 1}", "entry: [phone]", "entry: [phone]", "expected a map of touchpoint"},
      {"entry: {phone: 1}", "entry: {phone: lots}", "phone: lots", "expected a number"},
      {"returns:\n", "returns: [0.4]\nold_returns:\n", "[0.4]", "expected a map"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.to));
    const std::string text = with(c.from, c.to);
    Diagnostics diagnostics;
    EXPECT_FALSE(parse_scenario(text, kFile, diagnostics));
    EXPECT_TRUE(ReportsError(diagnostics, c.fragment, place_of(text, c.needle)));
  }
}

TEST(CalendarScenario, MeaningMistakesAreErrorsAtTheirPlace) {
  struct Case {
    std::string_view from, to, needle, fragment;
  } cases[] = {
      {"start_weekday: wednesday", "start_weekday: wensday", "start_weekday",
       "did you mean 'wednesday'"},
      {"days: 14", "days: 0", "days: 0", "days in the calendar must be between 1 and 36500"},
      {"arrivals_per_day: 50", "arrivals_per_day: 0", "arrivals_per_day", "must be greater than 0"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.to));
    const std::string text = with(c.from, c.to);
    Diagnostics diagnostics;
    load(text, diagnostics);
    EXPECT_TRUE(ReportsError(diagnostics, c.fragment, place_of(text, c.needle)));
  }
}

TEST(CalendarScenario, CalendarPartsNeedACalendar) {
  std::string text(kJourney);
  const std::size_t start = text.find("calendar:");
  const std::size_t end = text.find("resources:");
  text.erase(start, end - start);
  Diagnostics diagnostics;
  load(text, diagnostics);
  EXPECT_TRUE(
      ReportsError(diagnostics, "'resources' needs a calendar", place_of(text, "resources:")));
  EXPECT_TRUE(ReportsError(diagnostics, "'returns' needs a calendar", place_of(text, "returns:")));
}

// Writes the journey as calendar.yaml in a temporary directory, for future states to name as
// their base; returns the path a future state there has.
std::string write_base() {
  const std::string dir = cjsim::testing::scratch_directory();
  std::ofstream(dir + "/calendar.yaml") << kJourney;
  return dir + "/future.yaml";
}

// A future state adds, changes and removes resources, changes a schedule and the arrivals.
TEST(CalendarScenario, FutureStatesChangeResourcesSchedulesAndArrivals) {
  Diagnostics diagnostics;
  const std::optional<Scenario> base = load(kJourney, diagnostics);
  ASSERT_TRUE(base);
  const std::string future_text = R"(name: Desk with call-backs
base: calendar.yaml
changes:
  - update_calendar: {arrivals_per_day: 80, hour_profile: [0, 0, 0, 0, 0, 0, 0, 1, 2, 2, 2, 2,
                                                           2, 2, 2, 2, 2, 1, 0, 0, 0, 0, 0, 0]}
  - update_resource: {id: agents, capacity: 5, schedule: {weekdays: 6}}
  - add_resource: {id: callbacks, capacity: 2, lane: support systems}
  - update_touchpoint: {id: solved, resource: callbacks}
  - update_returns: {retention: 0.6}
)";
  Diagnostics change_diagnostics;
  const auto tree_scenario = parse_scenario(future_text, write_base(), change_diagnostics);
  ASSERT_TRUE(tree_scenario) << change_diagnostics.to_string();
  validate_scenario(*tree_scenario, change_diagnostics);
  EXPECT_FALSE(change_diagnostics.has_errors()) << change_diagnostics.to_string();
  EXPECT_EQ(tree_scenario->calendar->arrivals_per_day, 80);
  EXPECT_EQ(tree_scenario->calendar->days, 14);  // kept
  EXPECT_EQ(tree_scenario->resources[0].capacity, 5);
  EXPECT_EQ((*(*tree_scenario->resources[0].schedule)[4])[3], 6);  // replaced whole
  EXPECT_FALSE((*tree_scenario->resources[0].schedule)[6]);
  ASSERT_EQ(tree_scenario->resources.size(), 2u);
  EXPECT_EQ(tree_scenario->returns->retention, 0.6);
  EXPECT_EQ(tree_scenario->returns->after_days, 10);  // kept

  const auto differences = diff_scenarios(*base, *tree_scenario);
  const std::string text = format_differences(differences);
  EXPECT_NE(text.find("Calendar\n  ~ changed  arrivals per day 50 -> 80"), std::string::npos)
      << text;
  EXPECT_NE(text.find("+ added    callbacks"), std::string::npos) << text;
  EXPECT_NE(text.find("~ changed  agents: capacity 3 -> 5, schedule mon-thu 00-08 0, 08-10 2, "
                      "10-16 3, 16-18 2, 18-24 0; fri 4; sat-sun 1 -> mon-fri 6; sat-sun "
                      "capacity"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Returns\n  ~ changed  retention 0.4 -> 0.6"), std::string::npos) << text;
  EXPECT_NE(text.find("solved: resource none -> callbacks"), std::string::npos) << text;
}

TEST(CalendarScenario, RemovingAResourceStillInUseIsAnError) {
  const std::string future_text = "base: calendar.yaml\nchanges:\n  - remove_resource: agents\n";
  Diagnostics diagnostics;
  const auto s = parse_scenario(future_text, write_base(), diagnostics);
  ASSERT_TRUE(s) << diagnostics.to_string();
  validate_scenario(*s, diagnostics);
  EXPECT_TRUE(diagnostics.has_errors());
  EXPECT_NE(diagnostics.to_string().find("resource 'agents' of touchpoint 'phone' is not one"),
            std::string::npos)
      << diagnostics.to_string();
}

TEST(CalendarScenario, ParameterPathsReachTheCalendarParts) {
  Diagnostics diagnostics;
  const std::optional<Scenario> base = load(kJourney, diagnostics);
  ASSERT_TRUE(base);
  const struct {
    const char* path;
    double before, after;
  } cases[] = {{"calendar.arrivals_per_day", 50, 75},
               {"calendar.days", 14, 21},
               {"resources.agents.capacity", 3, 6},
               {"resources.agents.cost_per_hour", 25, 30},
               {"word_of_mouth.referrals_per_promoter", 0.5, 0.8},
               {"returns.retention", 0.4, 0.7},
               {"touchpoints.phone.patience_hours", 0.5, 0.25},
               {"touchpoints.phone.wait_penalty", 0.3, 0.6},
               {"personas.calm.patience", 2, 3}};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path);
    std::string error;
    const auto path = parse_parameter_path(c.path, error);
    ASSERT_TRUE(path) << error;
    EXPECT_EQ(check_parameter_path(*base, *path), std::nullopt);
    EXPECT_EQ(parameter_value(*base, *path), c.before);
    Scenario changed = *base;
    ASSERT_EQ(set_parameter(changed, *path, c.after), std::nullopt);
    EXPECT_EQ(parameter_value(changed, *path), c.after);
    EXPECT_EQ(diff_scenarios(*base, changed).size(), 1u);
  }
  std::string error;
  EXPECT_FALSE(parse_parameter_path("calendar.start_weekday", error));
  EXPECT_NE(error.find("the fields that can vary"), std::string::npos) << error;
  const auto missing = parse_parameter_path("resources.desks.capacity", error);
  ASSERT_TRUE(missing);
  EXPECT_NE(check_parameter_path(*base, *missing)->find("no resource 'desks'"), std::string::npos);
}

// The keys an "unknown key" message lists as allowed.
std::set<std::string> allowed_keys_named_in(const Diagnostics& diagnostics) {
  std::set<std::string> keys;
  for (const Diagnostic& d : diagnostics.all()) {
    const std::string_view intro = "allowed keys are: ";
    const std::size_t at = d.message.find(intro);
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

// The schema documents exactly the keys the loader accepts in every calendar part.
TEST(CalendarScenario, TheSchemaDocumentsExactlyTheKeysTheLoaderAccepts) {
  std::ifstream file(std::string(CJSIM_SOURCE_DIR) + "/scenarios/scenario.schema.json");
  const nlohmann::json schema = nlohmann::json::parse(file);
  const nlohmann::json& defs = schema.at("$defs");
  const struct {
    const char* what;
    std::string text;
    const nlohmann::json& object;
  } places[] = {
      {"calendar", with("start_weekday: wednesday", "zzz_unknown: 1"), defs.at("calendar")},
      {"resource", with("lane: backstage", "zzz_unknown: 1"), defs.at("resource")},
      {"word_of_mouth", with("delay_days: 3", "zzz_unknown: 1"), defs.at("word_of_mouth")},
      {"returns", with("after_days: 10", "zzz_unknown: 1"), defs.at("returns")},
      {"schedule", with("friday: 4", "zzz_unknown: 4"),
       defs.at("resource").at("properties").at("schedule")},
      {"opening_hours", with("saturday: \"09:00", "zzz_unknown: \"09:00"),
       defs.at("touchpoint").at("properties").at("opening_hours")},
  };
  for (const auto& place : places) {
    Diagnostics diagnostics;
    EXPECT_FALSE(parse_scenario(place.text, kFile, diagnostics));
    const std::set<std::string> allowed = allowed_keys_named_in(diagnostics);
    std::set<std::string> documented;
    for (const auto& [key, value] : place.object.at("properties").items()) documented.insert(key);
    EXPECT_EQ(allowed, documented) << place.what << ":\n" << diagnostics.to_string();
  }
}

TEST(CalendarScenario, TheBankExamplesAreValid) {
  for (const char* name : {"bank_call_centre", "bank_call_centre_peak_staff"}) {
    SCOPED_TRACE(name);
    Diagnostics diagnostics;
    const auto s = load_valid_scenario(
        std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/" + name + ".yaml", diagnostics);
    ASSERT_TRUE(s) << diagnostics.to_string();
    EXPECT_TRUE(diagnostics.all().empty()) << diagnostics.to_string();
    EXPECT_TRUE(s->calendar && s->word_of_mouth && s->returns);
  }
}

}  // namespace
}  // namespace cjsim
