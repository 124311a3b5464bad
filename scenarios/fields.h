// The table of scenario fields: for settings, touchpoints, transitions and personas, every
// field a file can hold, by the one dotted name files, diffs, sweep paths and changes use
// ("dropout", "emotion.mean", "conversion.value"), with the Scenario member it maps to, its
// range, unit, whether sweeps and calibration may vary it, and what it means. The reader,
// writer, validation, diff, parameter paths and the schema test all read it.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "scenarios/scenario.h"

namespace cjsim {

// The values a field may take. An open end excludes its bound; an infinite bound is no
// bound, and every value must be finite anyway.
struct FieldRange {
  double low = -std::numeric_limits<double>::infinity();
  double high = std::numeric_limits<double>::infinity();
  bool low_open = false;
  bool high_open = false;
  const char* unit_words = "";  // after the upper bound in messages: " hours"

  bool holds(double value) const {
    if (!std::isfinite(value)) return false;
    if (high_open ? value >= high : value > high) return false;
    return low_open ? value > low : value >= low;
  }
  // How messages state it: "between 0 and 1", "0 or more", "greater than 0".
  std::string words() const;
};

// The largest amounts, durations and spreads a journey may hold, so that every exact sum a run
// keeps (sim/model/exact_sum.h: up to 1.7e38, squares included) stays in range: a cost per
// visit and a conversion value of 1e9 (times a value_multiplier of 1000 at most) give a
// journey of 100 touchpoints a squared cost of 1e26 per agent, so 10^12 agent journeys fit.
// A lognormal sigma of 4 keeps the mean square of a duration (median^2 e^(2 sigma^2)) at
// 8e13 median^2. A run past these (a longer journey, more agents) reports an interval it could
// not compute as n/a with the reason.
inline constexpr double kMostAmount = 1e9;           // cost per visit, conversion value
inline constexpr double kMostValueMultiplier = 1e3;  // persona value_multiplier
inline constexpr double kMostHours = 1e5;            // a duration, its mean or its median
inline constexpr double kMostLognormalSigma = 4.0;

inline constexpr double kUnbounded = std::numeric_limits<double>::infinity();
inline constexpr FieldRange kAnyNumber{};
inline constexpr FieldRange kProbability{0.0, 1.0};
inline constexpr FieldRange kValence{-1.0, 1.0};
inline constexpr FieldRange kNonNegative{0.0, kUnbounded};
inline constexpr FieldRange kPositive{0.0, kUnbounded, true};
inline constexpr FieldRange kScore{0.0, 10.0};
inline constexpr FieldRange kAtLeastOne{1.0, kUnbounded};
inline constexpr FieldRange kAmount{0.0, kMostAmount};
inline constexpr FieldRange kValueMultiplier{0.0, kMostValueMultiplier};
inline constexpr FieldRange kHours{0.0, kMostHours, false, false, " hours"};
inline constexpr FieldRange kPositiveHours{0.0, kMostHours, true, false, " hours"};
inline constexpr FieldRange kLognormalSigma{0.0, kMostLognormalSigma};
inline constexpr FieldRange kSeedRange{0.0, 18446744073709551615.0};
// Calendar journeys: a run of up to a hundred years, servers per resource, days of delay.
inline constexpr double kMostDays = 36500;
inline constexpr double kMostServers = 1e6;
inline constexpr FieldRange kDays{1.0, kMostDays, false, false, " days"};
inline constexpr FieldRange kPositiveDays{0.0, kMostDays, true, false, " days"};
inline constexpr FieldRange kArrivalsPerDay{0.0, 1e9, true};
inline constexpr FieldRange kServers{0.0, kMostServers, false, false, " servers"};
inline constexpr FieldRange kPatienceMultiplier{0.0, 1e3, true};
inline constexpr FieldRange kMeanCount{0.0, 1e3};

// Where a field's value lives in a Scenario part: one member of one of these types.
// Text, lists of text (TextList) and maps of text (TextMap) are the journey map's words.
using FieldRef = std::variant<double*, std::int64_t*, std::optional<double>*,
                              std::optional<std::uint64_t>*, std::string*, TextList*, TextMap*>;

// How a field is written in a file. Plain fields are a key (or a key of a nested map, such as
// emotion's mean); the others share a key that has forms of its own, read and written by
// code of their own: `duration` (hours, {exponential: MEAN} or {lognormal: {median, sigma}}),
// `conversion` ({value: V}, or false) and `channel_affinity` (a map of the user's channels);
// for calendar journeys `profile` (a list of factors), `schedule` (servers by weekday and
// hour), `opening_hours` (spans "HH:MM-HH:MM" by weekday) and `entry_weights` (touchpoint ->
// weight). A persona's own numbers (MODEL.md 1.12) are `entry` (entry_weights), `dropout`
// (touchpoint -> dropout) and `transitions` (a list of {from, to, weight}). The range of a
// profile, an entry weight, a dropout or a transition's weight is that of each number in it.
enum class FieldForm : std::uint8_t {
  plain,
  duration,
  conversion,
  channel_affinity,
  profile,
  schedule,
  opening_hours,
  entry_weights,
  dropouts,
  transition_weights
};

// When the writer writes a field: always, or only when it differs from the part's default.
enum class Written : std::uint8_t { always, unless_default };

template <class Entity>
struct Field {
  using Part = Entity;

  std::string_view name;  // as written in files, nested maps joined by '.'
  FieldRef (*ref)(Entity&);
  FieldRange range = kAnyNumber;
  std::string_view unit = {};  // "probability", "valence", "hours", "money", "" (a pure number)
  bool sweepable = false;      // a sweep may vary it (parameter paths)
  bool calibratable = false;   // `cjsim fit --funnel` may adjust it
  std::string_view description = {};
  FieldForm form = FieldForm::plain;
  Written written = Written::unless_default;
  bool required = false;  // a whole part must write it
  bool identity = false;  // names the part (id, from, to): an update leaves it as it is
  // Whether the field means anything for this part (a lognormal median only in a lognormal
  // duration); nullptr: always.
  bool (*applies)(const Entity&) = nullptr;
  std::string_view alias = {};  // an older spelling parameter paths still accept, or ""
};

std::span<const Field<Settings>> settings_fields();
std::span<const Field<Touchpoint>> touchpoint_fields();
std::span<const Field<Transition>> transition_fields();
std::span<const Field<Persona>> persona_fields();
std::span<const Field<Calendar>> calendar_fields();
std::span<const Field<Resource>> resource_fields();
std::span<const Field<WordOfMouth>> word_of_mouth_fields();
std::span<const Field<Returns>> returns_fields();
std::span<const Field<JourneyStage>> stage_fields();

// A field's value read through its reference; the part is only read.
template <class Entity>
FieldRef field_ref(const Field<Entity>& field, const Entity& entity) {
  // ref() takes a mutable part so that one accessor serves reading and writing.
  return field.ref(const_cast<Entity&>(entity));
}

template <class Entity>
bool field_applies(const Field<Entity>& field, const Entity& entity) {
  return field.applies == nullptr || field.applies(entity);
}

// A numeric field's value as a double: NaN when an optional one is absent or the field is text.
double number_in(const FieldRef& ref);

// Whether the field holds a number (or an optional one), rather than words.
bool is_number(const FieldRef& ref);

// The field named `name` (or its alias) in `fields`, or nullptr.
template <class Entity>
const Field<Entity>* find_field(std::span<const Field<Entity>> fields, std::string_view name) {
  for (const Field<Entity>& field : fields) {
    if (field.name == name || (!field.alias.empty() && field.alias == name)) return &field;
  }
  return nullptr;
}

// The keys a map of this part may hold at `prefix` ("" for the part itself, "emotion." for a
// nested map), in the table's order, each once.
template <class Entity>
std::span<const std::string_view> keys_at(std::string_view prefix);

// The prefix of the channel_affinity entries: "channel_affinity.<channel>".
inline constexpr std::string_view kAffinityPrefix = "channel_affinity.";
// The prefixes of a persona's own numbers, as parameter paths and diffs name them:
// "entry.<touchpoint>", "dropout.<touchpoint>", "transitions.<from>-><to>" (MODEL.md 1.12).
inline constexpr std::string_view kPersonaEntryPrefix = "entry.";
inline constexpr std::string_view kPersonaDropoutPrefix = "dropout.";
inline constexpr std::string_view kPersonaTransitionPrefix = "transitions.";

}  // namespace cjsim
