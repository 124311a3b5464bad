// A journey exactly as the user wrote it: plain data, names not indices, with the place in
// the file each part came from. Loading fills it, validation checks it, and the engine
// compiles it into flat arrays (sim/model/compiled_journey.h).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/diagnostic.h"

namespace cjsim {

// Where each field of an entity was written, by field name ("dropout", "emotion.mean"),
// so that checks made after loading can still point at the line.
using FieldLocations = std::map<std::string, SourceLocation, std::less<>>;

// A number the user is unsure of, written as a distribution instead of a value
// ({triangular: [low, likely, high]}, ...): the forms of sim/model/MODEL.md, "Uncertain
// inputs". The field itself holds the distribution's mean, the value a plain run uses; a run
// with draws (sim/api/uncertainty.h) replaces it draw by draw. scenarios/uncertain.h reads,
// checks and draws them.
struct UncertainValue {
  enum class Form { uniform, triangular, normal, beta };
  Form form = Form::uniform;
  std::vector<double> parameters;  // as written: [low, high], [low, likely, high], [mean, sd],
                                   // [alpha, beta]
  SourceLocation where;

  friend bool operator==(const UncertainValue& a, const UncertainValue& b) {
    return a.form == b.form && a.parameters == b.parameters;
  }
};
// By field name, as FieldLocations: "dropout", "emotion.mean", "duration.exponential".
using UncertainFields = std::map<std::string, UncertainValue, std::less<>>;

struct Duration {
  enum class Kind { fixed, exponential, lognormal };
  Kind kind = Kind::fixed;
  double hours = 0.0;   // fixed: the duration; exponential: the mean
  double median = 0.0;  // lognormal only
  double sigma = 0.0;   // lognormal only: sd of the log

  double mean() const;  // expected hours, whatever the kind
};

// Calendar journeys (sim/model/MODEL.md Part 2). Weekdays are numbered from Monday (0) to
// Sunday (6); hours from 0 (00:00-01:00) to 23.
inline constexpr int kWeekdays = 7;
inline constexpr int kHoursPerDay = 24;

// A resource's servers by weekday and hour (shifts); a weekday without hours has the
// resource's capacity all day.
using DayServers = std::array<std::int64_t, kHoursPerDay>;
using WeekSchedule = std::array<std::optional<DayServers>, kWeekdays>;

// When a touchpoint is open on one weekday: spans [start, end) in minutes from 00:00, in
// order and apart (end 1440 is midnight at the end of the day).
struct OpenSpan {
  int start_minute = 0;
  int end_minute = 0;
  friend bool operator==(const OpenSpan&, const OpenSpan&) = default;
};
using WeekOpening = std::array<std::vector<OpenSpan>, kWeekdays>;

// Touchpoint -> weight: where referred or returning customers start.
using EntryWeights = std::map<std::string, double, std::less<>>;

// The words of a journey map: what a strategist writes beside the numbers. Every one is
// optional, and none reaches the engine's numbers; the compiled journey carries them
// (sim/model/compiled_journey.h) so that reports can show them beside the touchpoints' names.
using TextList = std::vector<std::string>;
using TextMap = std::map<std::string, std::string, std::less<>>;  // key -> value, in key order

// The service-blueprint lanes a touchpoint may sit in, from the customer's side inward: what
// the customer sees, what staff do out of sight, and the systems and processes behind them.
// Resources (calendar journeys) name their lane with the same words.
inline constexpr const char* kLanes[] = {"frontstage", "backstage", "support"};

struct TouchpointWords {
  std::string description;      // what the touchpoint is
  std::string customer_action;  // what the customer does there
  TextList thoughts;            // what the customer thinks and asks there
  TextList pain_points;
  TextList opportunities;
  std::string lane;   // one of kLanes, or "" (not said)
  std::string owner;  // the team or role responsible

  friend bool operator==(const TouchpointWords&, const TouchpointWords&) = default;
};

struct PersonaWords {
  std::string name;  // a label for reports; the id when not given
  std::string description;
  TextList goals;
  std::string quote;  // in the persona's own voice
  TextMap attributes;  // age band, occupation, channels used, ...: free key -> text

  friend bool operator==(const PersonaWords&, const PersonaWords&) = default;
};

struct StageWords {
  std::string description;
  TextList goals;  // what the customer wants to achieve in the stage

  friend bool operator==(const StageWords&, const StageWords&) = default;
};

// A stage written as a map in the journey's list: its name, and what the map says of it.
struct JourneyStage {
  std::string name;
  StageWords words;

  SourceLocation where;
  FieldLocations fields;
};

struct Touchpoint {
  std::string id;
  std::string name;  // label for reports; the id when not given
  std::string stage;
  std::string channel;
  double emotion_mean = 0.0;
  double emotion_sd = 0.0;
  double dropout = 0.0;
  Duration duration;
  double cost = 0.0;
  double entry_weight = 0.0;
  bool conversion = false;
  double value = 0.0;  // revenue of a conversion here
  // Calendar journeys only.
  std::string resource;                  // "" : no shared capacity
  std::optional<double> patience_hours;  // mean patience while waiting; none: for ever
  double wait_penalty = 0.0;             // emotion lost per hour waited
  std::optional<WeekOpening> opening_hours;  // none: always open
  TouchpointWords words;

  SourceLocation where;
  FieldLocations fields;
  UncertainFields uncertain;
};

struct Transition {
  std::string from;
  std::string to;
  double weight = 1.0;
  double emotion_bias = 0.0;

  SourceLocation where;
  FieldLocations fields;
  UncertainFields uncertain;
};

// A persona's own weight for one of the journey's transitions (sim/model/MODEL.md 1.12): it
// replaces the transition's weight for that persona; 0 closes the transition to it.
struct PersonaTransition {
  std::string from;
  std::string to;
  double weight = 0.0;

  SourceLocation where;

  friend bool operator==(const PersonaTransition& a, const PersonaTransition& b) {
    return a.from == b.from && a.to == b.to && a.weight == b.weight;
  }
};

struct Persona {
  std::string id;
  double share = 1.0;
  double sensitivity = 1.0;
  double dropout_odds = 1.0;
  double initial_emotion_mean = 0.0;
  double initial_emotion_sd = 0.0;
  double value_multiplier = 1.0;
  std::map<std::string, double, std::less<>> channel_affinity;  // channel -> multiplier, default 1
  double patience = 1.0;  // multiplies the touchpoints' patience_hours (calendar journeys)
  // The persona's own numbers where its behaviour differs from the journey's (MODEL.md 1.12);
  // all empty (the default) keeps the journey's. Where each was written: "entry.<touchpoint>",
  // "dropout.<touchpoint>" in `fields`, and each transition's `where`.
  EntryWeights entry;                                  // replaces the journey's entry weights
  std::map<std::string, double, std::less<>> dropout;  // touchpoint -> dropout, replacing it
  std::vector<PersonaTransition> transitions;          // weights replacing those transitions'
  PersonaWords words;

  SourceLocation where;
  FieldLocations fields;
  UncertainFields uncertain;
};

struct Settings {
  double memory = 0.8;  // lambda
  double kappa = 0.0;
  std::int64_t max_steps = 1000;
  std::optional<double> horizon_hours;
  std::optional<std::uint64_t> seed;
  double promoter_threshold = 9.0;   // likelihood to recommend >= this: promoter
  double detractor_threshold = 7.0;  // likelihood to recommend < this: detractor

  FieldLocations fields;
  UncertainFields uncertain;
};

// The run length and organic arrivals of a calendar journey.
struct Calendar {
  std::int64_t days = 0;
  double arrivals_per_day = 0.0;
  std::vector<double> weekday_profile;  // 7 factors, Monday first; empty: all 1
  std::vector<double> hour_profile;     // 24 factors, hour 0 first; empty: all 1
  std::string start_weekday = "monday";

  FieldLocations fields;
};

// Shared capacity behind touchpoints: staff, desks, licences.
struct Resource {
  std::string id;
  std::int64_t capacity = 0;               // servers when no schedule says otherwise
  std::optional<WeekSchedule> schedule;    // servers by weekday and hour
  double cost_per_hour = 0.0;              // per server-hour offered
  std::string lane;                        // the blueprint lane, a label for reports

  SourceLocation where;
  FieldLocations fields;
};

struct WordOfMouth {
  double referrals_per_promoter = 0.0;
  double delay_days = 7.0;
  EntryWeights entry;  // empty: the journey's entry weights
  double homophily = 1.0;
  double deterred_per_detractor = 0.0;

  FieldLocations fields;
};

struct Returns {
  double retention = 0.0;
  double retention_emotion = 0.0;
  double after_days = 30.0;
  EntryWeights entry;  // empty: the journey's entry weights

  FieldLocations fields;
};

// A file a scenario was built from, kept whole so that results can say what was run.
struct SourceFile {
  std::string path;  // as resolved when it was read
  std::string text;
};

// A touchpoint or transition that a future state removed, with what the removal cut, so
// that validation can name the removal that left a touchpoint unreachable or without a way on.
struct Removal {
  std::string what;       // "'account_signup'", "the transition 'basket' -> 'basket_reminder'"
  SourceLocation where;   // the change that removed it
  std::vector<std::string> lost_way_on;  // touchpoints whose last transition out it removed
  std::vector<std::string> lost_way_in;  // touchpoints a removed transition led to
  // A removed entry touchpoint: its share of the entry weights when it was removed, and
  // whether its traffic is lost (false: redistributed to the other entries); whether the change
  // said so (`entry_traffic:`), or took the default.
  double entry_share = 0.0;
  bool entry_lost = false;
  bool entry_traffic_written = false;
};

// An entry touchpoint that a future state removed with its entry traffic lost (the default of
// `remove_touchpoint`, scenarios/README.md "Future states as changes"; sim/model/MODEL.md 1.11):
// the agents whose entry draw picks it, among the entry weights in the base's order, are lost
// at once. It keeps the base's entry weight (a known number: a distribution's mean) and channel
// (for the personas' affinities), and its place among the touchpoints, so that the entry draw
// of a future state picks exactly as the base's does.
struct LostEntry {
  std::string id;
  std::string channel;
  double entry_weight = 0.0;  // > 0
  // How many of the scenario's touchpoints come before it: it sits between touchpoints
  // position - 1 and position in the entry draw's order. Kept up to date by later removals.
  std::size_t position = 0;
  SourceLocation where;  // the change that removed it
};

struct Scenario {
  std::string name;
  std::string description;
  std::string notes;  // the journey map's notes: sources, assumptions, open questions
  std::vector<std::string> stages;
  // The stages' words, by stage name: only the stages written as maps with words have one.
  std::map<std::string, JourneyStage, std::less<>> stage_words;
  Settings settings;
  std::vector<Touchpoint> touchpoints;
  std::vector<Transition> transitions;
  std::vector<Persona> personas;  // when the file names none, one neutral persona
  // A calendar journey (sim/model/MODEL.md Part 2) has a calendar; the rest is optional.
  std::optional<Calendar> calendar;
  std::vector<Resource> resources;
  std::optional<WordOfMouth> word_of_mouth;
  std::optional<Returns> returns;

  std::string source_path;  // the file it was loaded from, "" when built in code
  std::string source_text;  // its text, kept so that results can say what was run
  FieldLocations fields;    // top-level keys ("stages", "touchpoints", ...)

  // A future state (a file with `base:` and `changes:`) is its base with the changes applied.
  // Its source_text is the future file's text; these are the bases it was built on, the
  // nearest first, so that the journey as run can be rebuilt from what a result records.
  std::vector<SourceFile> base_sources;
  std::vector<Removal> removals;  // in the order the changes made them, bases' first
  // Entries removed with their traffic lost, in the base's order of the touchpoints (ties of
  // position in the order they stood); empty for a whole file.
  std::vector<LostEntry> lost_entries;
};

// The persona used when a journey declares none: share 1, every other field neutral.
Persona neutral_persona();

// A persona's multiplier for a channel's entry weights: its channel_affinity, 1 when not given.
double channel_affinity(const Persona& persona, std::string_view channel);

// The journey's numbers as a persona sees them before its affinities (MODEL.md 1.12): its own
// entry weights when it has any (a touchpoint not among them: 0), its own dropout, its own
// weight of a transition; the journey's where it has none.
double persona_entry_weight(const Persona& persona, const Touchpoint& touchpoint);
double persona_dropout(const Persona& persona, const Touchpoint& touchpoint);
double persona_transition_weight(const Persona& persona, const Transition& transition);
// Whether it has any number of its own: a journey whose personas have none runs as it always has.
bool has_overrides(const Persona& persona);

}  // namespace cjsim
