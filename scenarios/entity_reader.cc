// The readers of the parts of a scenario: numbers, touchpoints, transitions, personas and
// settings, each able to read a whole new part or an update on top of an existing one.
#include "scenarios/entity_reader.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <variant>

#include "scenarios/week_hours.h"

namespace cjsim::detail {
namespace {

// YAML's own spellings of infinity and not-a-number (.inf, -.Inf, .NaN, ...).
std::optional<double> yaml_special_number(std::string_view text) {
  double sign = 1.0;
  if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    if (text.front() == '-') sign = -1.0;
    text.remove_prefix(1);
  }
  if (text == ".inf" || text == ".Inf" || text == ".INF") {
    return sign * std::numeric_limits<double>::infinity();
  }
  if (text == ".nan" || text == ".NaN" || text == ".NAN") {
    return std::numeric_limits<double>::quiet_NaN();
  }
  return std::nullopt;
}

// The spellings of true and false of YAML 1.1 (y/n, yes/no, true/false, on/off), each in
// lower case, upper case or capitalised.
bool spelled_bool(std::string_view text, bool& out) {
  if (text.empty()) return false;
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::string capitalised = lower;
  capitalised[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(capitalised[0])));
  std::string upper = lower;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (text != lower && text != upper && text != capitalised) return false;
  for (const auto& [yes, no] :
       {std::pair{"y", "n"}, {"yes", "no"}, {"true", "false"}, {"on", "off"}}) {
    if (lower == yes) {
      out = true;
      return true;
    }
    if (lower == no) {
      out = false;
      return true;
    }
  }
  return false;
}

std::optional<std::int64_t> spelled_whole_number(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<double> spelled_number(std::string_view text) {
  if (auto special = yaml_special_number(text)) return special;
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (end != text.data() + text.size()) return std::nullopt;
  if (error == std::errc::result_out_of_range) return std::numeric_limits<double>::infinity();
  if (error != std::errc()) return std::nullopt;
  return value;
}

// How a value looks to the user, for "expected a number, got ...".
std::string describe(const YamlNode& node) {
  switch (node.kind()) {
    case YamlKind::list:
      return "a list";
    case YamlKind::map:
      return "a map";
    case YamlKind::scalar:
      if (node.is_quoted()) return fmt::format("the text \"{}\"", node.text());
      return fmt::format("'{}'", node.text());
    case YamlKind::null:
      break;
  }
  return "nothing";
}

bool is_text(const YamlNode& node) { return node.is_scalar() && node.is_quoted(); }

// The finite number `value` holds, or nullopt after saying what is wrong with it. `field`
// names it in messages ("dropout in touchpoint 'checkout'").
std::optional<double> read_number(Reading& reading, const YamlNode& value,
                                  const SourceLocation& where, const std::string& field) {
  std::optional<double> number;
  if (value.is_scalar() && !is_text(value)) number = spelled_number(value.text());
  if (!number) {
    std::string message = fmt::format("expected a number for {}, got {}", field, describe(value));
    if (is_text(value) && spelled_number(value.text())) message += "; remove the quotes";
    reading.error(where, std::move(message));
    return std::nullopt;
  }
  if (!std::isfinite(*number)) {
    reading.error(where, fmt::format("{} must be a finite number, got {}", field, value.text()));
    return std::nullopt;
  }
  return number;
}

bool is_uncertain_form(const YamlNode& value) {
  return value.is_map() && value.size() == 1 && value.key(0).is_scalar() &&
         uncertain_form(value.key(0).text()).has_value();
}

std::optional<UncertainValue> read_uncertain(Reading& reading, const YamlNode& value,
                                             const SourceLocation& where,
                                             const std::string& field) {
  UncertainValue out;
  out.form = *uncertain_form(value.key(0).text());
  out.where = where;
  const char* name = uncertain_form_name(out.form);
  const std::size_t count = uncertain_parameter_count(out.form);
  const YamlNode numbers = value.value(0);
  if (!numbers.is_list() || numbers.size() != count) {
    reading.error(where, fmt::format("expected {} numbers [{}] for the {} of {}, got {}; write "
                                     "{{{}: [{}]}}",
                                     count, uncertain_parameter_words(out.form), name, field,
                                     numbers.is_list()
                                         ? fmt::format("a list of {}", numbers.size())
                                         : describe(numbers),
                                     name, uncertain_parameter_words(out.form)));
    return std::nullopt;
  }
  for (std::size_t i = 0; i < count; ++i) {
    const YamlNode item = numbers.item(i);
    const std::optional<double> number = read_number(
        reading, item, reading.at(item), fmt::format("item {} of the {} of {}", i + 1, name, field));
    if (!number) return std::nullopt;
    out.parameters.push_back(*number);
  }
  if (std::optional<std::string> problem = uncertain_parameter_problem(out)) {
    reading.error(where, fmt::format("the {} of {}: {}", name, field, *problem));
    return std::nullopt;
  }
  return out;
}

std::optional<std::int64_t> read_whole_number(Reading& reading, const YamlNode& value,
                                              const SourceLocation& where,
                                              const std::string& field) {
  std::optional<std::int64_t> number;
  if (value.is_scalar() && !is_text(value)) number = spelled_whole_number(value.text());
  if (!number) {
    reading.error(where,
                  fmt::format("expected a whole number for {}, got {}", field, describe(value)));
  }
  return number;
}

// A seed cannot be negative: the type that holds it has no room for a sign.
std::optional<std::uint64_t> read_seed(Reading& reading, const YamlNode& value,
                                       const SourceLocation& where, const std::string& field) {
  if (value.is_scalar() && !is_text(value)) {
    std::string_view spelled = value.text();
    if (!spelled.empty() && spelled.front() == '+') spelled.remove_prefix(1);
    std::uint64_t seed = 0;
    const auto [end, error] =
        std::from_chars(spelled.data(), spelled.data() + spelled.size(), seed);
    if (error == std::errc() && end == spelled.data() + spelled.size()) return seed;
  }
  reading.error(where, fmt::format("expected a non-negative whole number for {}, got {}", field,
                                   describe(value)));
  return std::nullopt;
}

std::string key_elsewhere(std::string_view key, KeyList here) {
  const auto in = [&](KeyList keys) { return std::find(keys.begin(), keys.end(), key) != keys.end(); };
  // Slips with a form of their own.
  const bool touchpoint = here.data() == keys_at<Touchpoint>("").data();
  if (touchpoint && (key == "value" || key == "revenue")) {
    return fmt::format("; a conversion's {} is written conversion: {{value: V}}", key);
  }
  if (here.data() == keys_at<Persona>("").data() && key == "patience_hours") {
    return "; 'patience_hours' belongs in a touchpoint: a persona's 'patience' multiplies it";
  }
  if (touchpoint && (key == "dropout_rate" || key == "abandonment")) {
    return "; the probability of abandoning here is written dropout: P (between 0 and 1)";
  }
  const std::pair<const char*, KeyList> parts[] = {
      {"a touchpoint", keys_at<Touchpoint>("")}, {"a transition", keys_at<Transition>("")},
      {"a persona", keys_at<Persona>("")},       {"settings", keys_at<Settings>("")},
      {"the calendar", keys_at<Calendar>("")},   {"a resource", keys_at<Resource>("")},
      {"word_of_mouth", keys_at<WordOfMouth>("")}, {"returns", keys_at<Returns>("")},
      {"a stage", keys_at<JourneyStage>("")}};
  std::vector<std::string> owners;
  for (const auto& [owner, keys] : parts) {
    if (keys.data() == here.data() || !in(keys)) continue;
    owners.emplace_back(owner);
  }
  if (owners.empty()) return "";
  // A key every part has (an id, a description) says nothing about where it belongs.
  if (owners.size() > 2) return "";
  return fmt::format("; '{}' belongs in {}", key, join_names(owners, " or "));
}

// "touchpoint 'checkout'" when the id can be seen, "touchpoint #3" when it cannot.
std::string owner_name(std::string_view kind, const YamlNode& node, std::size_t index) {
  if (node.is_map()) {
    const YamlNode id = node.find("id");
    if (id.is_scalar() && !id.text().empty()) {
      return fmt::format("{} '{}'", kind, id.text());
    }
  }
  return fmt::format("{} #{}", kind, index + 1);
}

std::string transition_name(const YamlNode& node, std::size_t index) {
  if (node.is_map()) {
    const YamlNode from = node.find("from");
    const YamlNode to = node.find("to");
    if (from.is_scalar() && to.is_scalar()) {
      return fmt::format("transition '{}' -> '{}'", from.text(), to.text());
    }
  }
  return fmt::format("transition #{}", index + 1);
}

namespace {

// Hours as a plain number (fixed), {exponential: MEAN} or {lognormal: {median, sigma}}. A
// duration is always written whole, so an update replaces every part of the one before.
void read_duration(MapReader& touchpoint, Duration& duration) {
  if (!touchpoint.has("duration")) return;
  duration = Duration{};
  touchpoint.forget_nested("duration");
  const YamlNode value = touchpoint.value("duration");
  if (value.is_scalar() || is_uncertain_form(value)) {
    duration.kind = Duration::Kind::fixed;
    touchpoint.number("duration", duration.hours);
    return;
  }
  if (!value.is_map()) {
    touchpoint.error("duration",
                     fmt::format("expected hours (a number), {{exponential: MEAN}} or "
                                 "{{lognormal: {{median: M, sigma: S}}}} for {}, got {}",
                                 touchpoint.field("duration"), describe(value)));
    return;
  }
  std::optional<MapReader> form = touchpoint.nested("duration", keys_at<Touchpoint>("duration."));
  if (form->known_key_count() > 1) {
    touchpoint.error("duration", fmt::format("{} must have one form, exponential or lognormal, "
                                             "not both",
                                             touchpoint.field("duration")));
    return;
  }
  if (form->key_count() == 0) {
    touchpoint.error("duration", fmt::format("{} is an empty map; write hours (a number), "
                                             "{{exponential: MEAN}} or {{lognormal: ...}}",
                                             touchpoint.field("duration")));
    return;
  }
  if (form->has("exponential")) {
    duration.kind = Duration::Kind::exponential;
    form->number("exponential", duration.hours);
    return;
  }
  std::optional<MapReader> lognormal =
      form->nested("lognormal", keys_at<Touchpoint>("duration.lognormal."));
  if (!lognormal) return;
  duration.kind = Duration::Kind::lognormal;
  if (lognormal->require("median")) lognormal->number("median", duration.median);
  if (lognormal->require("sigma")) lognormal->number("sigma", duration.sigma);
}

// `conversion: {value: V}` marks a conversion touchpoint; `conversion: false` unmarks one (in
// an update). `conversion: true` once stood for a conversion worth 0, which a strategist
// writing it never means: it is refused with the form that says what a conversion earns.
void read_conversion(MapReader& map, Touchpoint& touchpoint) {
  if (!map.has("conversion")) return;
  const YamlNode value = map.value("conversion");
  bool flag = false;
  if (value.is_scalar() && !is_text(value) && spelled_bool(value.text(), flag)) {
    if (!flag) {
      touchpoint.conversion = false;
      return;
    }
    map.error("conversion",
              fmt::format("{}: {} does not say what a conversion here earns; write conversion: "
                          "{{value: V}} with the revenue of one conversion (conversion: {{value: "
                          "0}} if it truly earns nothing)",
                          map.field("conversion"), value.text()));
    return;
  }
  if (value.is_scalar() || value.is_list()) {
    std::string message = fmt::format("expected {{value: V}} for {}, got {}",
                                      map.field("conversion"), describe(value));
    if (value.is_scalar() && spelled_number(value.text())) {
      message += fmt::format("; write conversion: {{value: {}}}", value.text());
    } else {
      message += "; write conversion: {value: V} with the revenue of one conversion";
    }
    map.error("conversion", std::move(message));
    return;
  }
  touchpoint.conversion = true;
  std::optional<MapReader> conversion =
      map.nested("conversion", keys_at<Touchpoint>("conversion."));
  conversion->number("value", touchpoint.value);
}

// A map of name -> number under `key` (a persona's channel_affinity, dropout or entry): a
// value that is not a map, a key that is not a name and a name written twice are errors at
// their place; `read` gets each name, its value and where the name was written. `name_word`:
// "channel" or "touchpoint" (`name_noun`: "a channel name", "a touchpoint id"), `value_word`
// what the numbers are.
template <class Read>
void read_named_numbers(Reading& reading, MapReader& map, std::string_view key,
                        std::string_view name_word, std::string_view name_noun,
                        std::string_view value_word, Read read) {
  const YamlNode values = map.value(key);
  if (values.is_null()) return;
  if (!values.is_map()) {
    map.error(key, fmt::format("expected a map of {}: {} for {}, got {}", name_word, value_word,
                               map.field(key), describe(values)));
    return;
  }
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const YamlNode name = values.key(i);
    const SourceLocation where = reading.at(name);
    if (!name.is_scalar()) {
      reading.error(where, fmt::format("expected {} in {}, got {}", name_noun, map.field(key),
                                       describe(name)));
      continue;
    }
    const std::string text(name.text());
    if (!seen.insert(text).second) {
      reading.error(where,
                    fmt::format("{} '{}' appears twice in {}", name_word, text, map.field(key)));
      continue;
    }
    read(text, values.value(i), where);
  }
}

// channel -> multiplier; the channels are the user's own labels, so any key is allowed.
void read_affinities(Reading& reading, MapReader& persona_map, Persona& persona) {
  if (!persona_map.has("channel_affinity")) return;
  read_named_numbers(
      reading, persona_map, "channel_affinity", "channel", "a channel name", "multiplier",
      [&](const std::string& channel, const YamlNode& value, const SourceLocation& where) {
        const std::string field =
            fmt::format("channel_affinity.{} in {}", channel, persona_map.owner());
        const std::string name = std::string(kAffinityPrefix) + channel;
        // A distribution ({uniform: [low, high]}, ...): the affinity holds its mean, as any
        // uncertain number; a known value written over it (an update) makes it known.
        if (is_uncertain_form(value)) {
          std::optional<UncertainValue> uncertain = read_uncertain(reading, value, where, field);
          if (!uncertain) return;
          persona.channel_affinity[channel] = uncertain_mean(*uncertain);
          persona.uncertain[name] = std::move(*uncertain);
          persona.fields[name] = where;
          return;
        }
        const std::optional<double> multiplier = read_number(reading, value, where, field);
        if (!multiplier) return;
        persona.channel_affinity[channel] = *multiplier;
        persona.uncertain.erase(name);
        persona.fields[name] = where;
      });
}

// touchpoint -> dropout, the persona's own (MODEL.md 1.12); an update sets the touchpoints it
// writes and keeps the others, as channel_affinity does.
void read_persona_dropouts(Reading& reading, MapReader& persona_map, Persona& persona) {
  if (!persona_map.has("dropout")) return;
  read_named_numbers(
      reading, persona_map, "dropout", "touchpoint", "a touchpoint id", "dropout",
      [&](const std::string& id, const YamlNode& value, const SourceLocation& where) {
        const std::optional<double> dropout = read_number(
            reading, value, where, fmt::format("dropout.{} in {}", id, persona_map.owner()));
        if (!dropout) return;
        persona.dropout[id] = *dropout;
        persona.fields[std::string(kPersonaDropoutPrefix) + id] = where;
      });
}

// A list of {from, to, weight}, the persona's own weights of the journey's transitions
// (MODEL.md 1.12); an update sets the transitions it writes and keeps the others.
void read_persona_transitions(Reading& reading, MapReader& persona_map, Persona& persona) {
  constexpr std::string_view kKeys[] = {"from", "to", "weight"};
  std::set<std::pair<std::string, std::string>> seen;
  for (const YamlNode& item : persona_map.list("transitions", false)) {
    FieldLocations places;
    PersonaTransition t;
    t.where = reading.at(item);
    MapReader map(reading, item, fmt::format("a transition of {}", persona_map.owner()), kKeys,
                  places, "", MapReader::Empty::refused);
    const bool from = map.required_text("from", t.from);
    const bool to = map.required_text("to", t.to);
    const bool weight = map.require("weight") && map.number("weight", t.weight);
    if (!from || !to || !weight) continue;
    if (!seen.insert({t.from, t.to}).second) {
      reading.error(t.where, fmt::format("the transition '{}' -> '{}' appears twice in "
                                         "transitions of {}",
                                         t.from, t.to, persona_map.owner()));
      continue;
    }
    auto same = std::find_if(persona.transitions.begin(), persona.transitions.end(),
                             [&](const PersonaTransition& x) {
                               return x.from == t.from && x.to == t.to;
                             });
    if (same == persona.transitions.end()) {
      persona.transitions.push_back(std::move(t));
    } else {
      *same = std::move(t);
    }
  }
}

// A map by weekday (week_hours.h): each key's value is read once by `parse` (a value, or
// nullopt after saying what is wrong) and given to every weekday the key covers, the most
// specific key last. Where each weekday's value was written is kept as "<key>.<weekday>".
template <class Day, class Parse, class Assign>
void read_week(Reading& reading, MapReader& owner_map, FieldLocations& locations,
               std::string_view key, std::string_view what, Parse parse, Assign assign) {
  const YamlNode map = owner_map.value(key);
  if (!map.is_map()) {
    owner_map.error(key, fmt::format("expected a map of weekday: {} for {} (keys monday ... "
                                     "sunday, weekdays, weekend, every_day), got {}",
                                     what, owner_map.field(key), describe(map)));
    return;
  }
  struct Entry {
    WeekKey covers;
    Day value;
    SourceLocation where;
  };
  std::vector<Entry> entries;
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < map.size(); ++i) {
    const YamlNode name = map.key(i);
    const SourceLocation where = reading.at(name);
    const std::string field = fmt::format("{} in {}", owner_map.path(key), owner_map.owner());
    if (!name.is_scalar()) {
      reading.error(where, fmt::format("expected a weekday in {}, got {}", field, describe(name)));
      continue;
    }
    const std::optional<WeekKey> covers = week_key(name.text());
    if (!covers) {
      std::string message = fmt::format("unknown key '{}' in {}", name.text(), field);
      const std::string suggestion = did_you_mean(name.text(), kWeekKeys);
      message += suggestion.empty()
                     ? fmt::format("; allowed keys are: {}", join_names(kWeekKeys))
                     : suggestion;
      reading.error(where, std::move(message));
      continue;
    }
    if (!seen.insert(std::string(name.text())).second) {
      reading.error(where, fmt::format("key '{}' appears twice in {}", name.text(), field));
      continue;
    }
    const std::string day_field =
        fmt::format("{}.{} in {}", owner_map.path(key), name.text(), owner_map.owner());
    // A wrong value is reported at its weekday's key, as every field's is at its key.
    std::optional<Day> value = parse(map.value(i), where, day_field);
    if (value) entries.push_back({*covers, std::move(*value), where});
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.covers.precedence < b.covers.precedence;
  });
  for (const Entry& entry : entries) {
    for (int d = 0; d < kWeekdays; ++d) {
      if (!entry.covers.days[d]) continue;
      assign(d, entry.value);
      locations[fmt::format("{}.{}", owner_map.path(key), kWeekdayNames[d])] = entry.where;
    }
  }
}

// A number of servers all day, or 24 numbers, hour 0 first.
std::optional<DayServers> parse_day_servers(Reading& reading, const YamlNode& value,
                                            const SourceLocation& where,
                                            const std::string& field) {
  DayServers day{};
  if (value.is_scalar()) {
    const std::optional<std::int64_t> servers = read_whole_number(reading, value, where, field);
    if (!servers) return std::nullopt;
    day.fill(*servers);
    return day;
  }
  if (!value.is_list()) {
    reading.error(where, fmt::format("expected servers for the whole day (a number) or 24 "
                                     "numbers, hour 0 first, for {}, got {}",
                                     field, describe(value)));
    return std::nullopt;
  }
  if (value.size() != kHoursPerDay) {
    reading.error(where, fmt::format("{} has {} hourly capacities; a day has 24 (hour 0 is "
                                     "00:00-01:00)",
                                     field, value.size()));
    return std::nullopt;
  }
  for (std::size_t h = 0; h < kHoursPerDay; ++h) {
    const YamlNode item = value.item(h);
    const std::optional<std::int64_t> servers = read_whole_number(
        reading, item, reading.at(item), fmt::format("hour {} of {}", h, field));
    if (!servers) return std::nullopt;
    day[h] = *servers;
  }
  return day;
}

// Spans "HH:MM-HH:MM" in order and apart; one span may stand alone; an empty list or
// `closed` closes the day.
std::optional<std::vector<OpenSpan>> parse_day_opening(Reading& reading, const YamlNode& value,
                                                       const SourceLocation& where,
                                                       const std::string& field) {
  std::vector<OpenSpan> spans;
  std::vector<YamlNode> items;
  if (value.is_scalar() && value.text() == "closed") return spans;
  if (value.is_scalar()) {
    items.push_back(value);
  } else if (value.is_list()) {
    for (std::size_t i = 0; i < value.size(); ++i) items.push_back(value.item(i));
  } else if (!value.is_null()) {
    reading.error(where, fmt::format("expected spans \"HH:MM-HH:MM\" (a list), or closed, for "
                                     "{}, got {}",
                                     field, describe(value)));
    return std::nullopt;
  }
  for (const YamlNode& item : items) {
    const SourceLocation at = reading.at(item);
    if (!item.is_scalar()) {
      reading.error(at, fmt::format("expected a span \"HH:MM-HH:MM\" in {}, got {}", field,
                                    describe(item)));
      return std::nullopt;
    }
    std::string why;
    const std::optional<OpenSpan> span = parse_open_span(item.text(), why);
    if (!span) {
      reading.error(at, fmt::format("{}: {}", field, why));
      return std::nullopt;
    }
    if (!spans.empty() && span->start_minute < spans.back().end_minute) {
      reading.error(at, fmt::format("{}: the span '{}' starts before the one before it ends; "
                                    "list the spans in order, apart",
                                    field, item.text()));
      return std::nullopt;
    }
    spans.push_back(*span);
  }
  return spans;
}

void read_schedule(Reading& reading, MapReader& map, Resource& resource) {
  if (!map.has("schedule")) return;
  map.forget_nested("schedule");
  if (map.value("schedule").is_null()) {
    resource.schedule.reset();
    return;
  }
  // A weekday the schedule does not name keeps no hours: it has the resource's capacity, as
  // it stands when the journey runs (a later change of capacity reaches it).
  WeekSchedule schedule;
  read_week<DayServers>(
      reading, map, resource.fields, "schedule", "servers",
      [&](const YamlNode& value, const SourceLocation& where, const std::string& field) {
        return parse_day_servers(reading, value, where, field);
      },
      [&](int d, const DayServers& servers) { schedule[d] = servers; });
  resource.schedule = schedule;
}

void read_opening_hours(Reading& reading, MapReader& map, Touchpoint& touchpoint) {
  if (!map.has("opening_hours")) return;
  map.forget_nested("opening_hours");
  if (map.value("opening_hours").is_null()) {
    touchpoint.opening_hours.reset();
    return;
  }
  WeekOpening opening;
  read_week<std::vector<OpenSpan>>(
      reading, map, touchpoint.fields, "opening_hours", "spans \"HH:MM-HH:MM\"",
      [&](const YamlNode& value, const SourceLocation& where, const std::string& field) {
        return parse_day_opening(reading, value, where, field);
      },
      [&](int d, const std::vector<OpenSpan>& spans) { opening[d] = spans; });
  touchpoint.opening_hours = opening;
}

// A list of factors of a fixed length (7 weekdays, 24 hours).
void read_profile(Reading& reading, MapReader& map, std::string_view key, std::size_t length,
                  std::string_view first, std::vector<double>& profile) {
  if (!map.has(key)) return;
  const YamlNode value = map.value(key);
  if (value.is_null()) {
    profile.clear();
    return;
  }
  if (!value.is_list()) {
    map.error(key, fmt::format("expected a list of {} factors, {} first, for {}, got {}", length,
                               first, map.field(key), describe(value)));
    return;
  }
  if (value.size() != length) {
    map.error(key, fmt::format("{} has {} factors; it needs {}, {} first", map.field(key),
                               value.size(), length, first));
    return;
  }
  std::vector<double> factors;
  for (std::size_t i = 0; i < length; ++i) {
    const YamlNode item = value.item(i);
    const std::optional<double> factor = read_number(
        reading, item, reading.at(item), fmt::format("{}[{}] in {}", key, i, map.owner()));
    if (!factor) return;
    factors.push_back(*factor);
  }
  profile = std::move(factors);
}

// touchpoint -> weight, each entry's place kept as "entry.<touchpoint>"; written, it replaces
// the map before it whole.
void read_entry_weights(Reading& reading, MapReader& map, FieldLocations& locations,
                        EntryWeights& entry) {
  if (!map.has("entry")) return;
  map.forget_nested("entry");
  entry.clear();
  read_named_numbers(
      reading, map, "entry", "touchpoint", "a touchpoint id", "weight",
      [&](const std::string& id, const YamlNode& value, const SourceLocation& where) {
        const std::optional<double> weight =
            read_number(reading, value, where, fmt::format("entry.{} in {}", id, map.owner()));
        if (!weight) return;
        entry[id] = *weight;
        locations["entry." + id] = where;
      });
}

// An update finds its entity by the identifying keys (id, from, to) and leaves them as they
// are, and the places they were first written too: this keeps those places over a read.
class KeptPlaces {
 public:
  KeptPlaces(Fill fill, FieldLocations& fields, KeyList keys) : fields_(fields) {
    if (fill == Fill::whole) return;
    for (std::string_view key : keys) {
      auto it = fields_.find(key);
      if (it != fields_.end()) kept_.emplace_back(it->first, it->second);
    }
  }
  ~KeptPlaces() {
    for (auto& [key, where] : kept_) fields_[key] = where;
  }
  KeptPlaces(const KeptPlaces&) = delete;
  KeptPlaces& operator=(const KeptPlaces&) = delete;

 private:
  FieldLocations& fields_;
  std::vector<std::pair<std::string, SourceLocation>> kept_;
};

// One plain field into the member the table maps it to, read as the member's type asks.
template <class Entity>
void read_field(MapReader& map, std::string_view key, const Field<Entity>& field, Fill fill,
                Entity& entity) {
  struct Read {
    MapReader& map;
    std::string_view key;
    bool required;
    void operator()(double* x) const { map.number(key, *x); }
    void operator()(std::int64_t* x) const { map.whole_number(key, *x); }
    void operator()(std::optional<double>* x) const { map.optional_number(key, *x); }
    void operator()(std::optional<std::uint64_t>* x) const { map.seed(key, *x); }
    void operator()(TextList* x) const { map.text_list(key, *x); }
    void operator()(TextMap* x) const { map.text_map(key, *x); }
    void operator()(std::string* x) const {
      if (required) {
        map.required_text(key, *x);
      } else {
        map.text(key, *x);
      }
    }
  };
  std::visit(Read{map, key, field.required && fill == Fill::whole}, field.ref(entity));
}

// Every plain field of the table, each from its key, or from its key in a nested map
// ("emotion.mean": the key mean of the map emotion). An update leaves the identifying fields
// to the caller, which used them to find the entity.
template <class Entity>
void read_plain_fields(MapReader& map, std::span<const Field<Entity>> table, Fill fill,
                       Entity& entity) {
  std::map<std::string_view, std::optional<MapReader>> nested;  // by the nested map's key
  for (const Field<Entity>& field : table) {
    if (field.form != FieldForm::plain || (field.identity && fill == Fill::onto)) continue;
    const std::size_t dot = field.name.find('.');
    if (dot == std::string_view::npos) {
      read_field(map, field.name, field, fill, entity);
      continue;
    }
    const std::string_view group = field.name.substr(0, dot);
    auto it = nested.find(group);
    if (it == nested.end()) {
      it = nested.emplace(group, map.nested(group, keys_at<Entity>(field.name.substr(0, dot + 1))))
               .first;
    }
    if (it->second) read_field(*it->second, field.name.substr(dot + 1), field, fill, entity);
  }
}

constexpr std::string_view kIdKeys[] = {"id"};
constexpr std::string_view kTransitionEnds[] = {"from", "to"};

}  // namespace

void read_touchpoint(Reading& reading, const YamlNode& node, const std::string& owner, Fill fill,
                     Touchpoint& touchpoint) {
  if (fill == Fill::whole) touchpoint.where = reading.at(node);
  const KeptPlaces kept(fill, touchpoint.fields, kIdKeys);
  MapReader map(reading, node, owner, keys_at<Touchpoint>(""), touchpoint.fields, "",
                MapReader::Empty::refused, &touchpoint.uncertain);
  read_plain_fields(map, touchpoint_fields(), fill, touchpoint);
  if (fill == Fill::whole && !map.has("name")) touchpoint.name = touchpoint.id;
  read_duration(map, touchpoint.duration);
  read_conversion(map, touchpoint);
  read_opening_hours(reading, map, touchpoint);
}

void read_transition(Reading& reading, const YamlNode& node, const std::string& owner, Fill fill,
                     Transition& transition) {
  if (fill == Fill::whole) transition.where = reading.at(node);
  const KeptPlaces kept(fill, transition.fields, kTransitionEnds);
  MapReader map(reading, node, owner, keys_at<Transition>(""), transition.fields, "",
                MapReader::Empty::refused, &transition.uncertain);
  read_plain_fields(map, transition_fields(), fill, transition);
}

void read_persona(Reading& reading, const YamlNode& node, const std::string& owner, Fill fill,
                  Persona& persona) {
  if (fill == Fill::whole) persona.where = reading.at(node);
  const KeptPlaces kept(fill, persona.fields, kIdKeys);
  MapReader map(reading, node, owner, keys_at<Persona>(""), persona.fields, "",
                MapReader::Empty::refused, &persona.uncertain);
  read_plain_fields(map, persona_fields(), fill, persona);
  if (fill == Fill::whole && !map.has("name")) persona.words.name = persona.id;
  read_affinities(reading, map, persona);
  read_entry_weights(reading, map, persona.fields, persona.entry);
  read_persona_dropouts(reading, map, persona);
  read_persona_transitions(reading, map, persona);
}

void read_stage(Reading& reading, const YamlNode& node, const std::string& owner, Fill fill,
                JourneyStage& stage) {
  if (fill == Fill::whole) stage.where = reading.at(node);
  constexpr std::string_view kNameKeys[] = {"name"};
  const KeptPlaces kept(fill, stage.fields, kNameKeys);
  MapReader map(reading, node, owner, keys_at<JourneyStage>(""), stage.fields, "",
                MapReader::Empty::refused);
  read_plain_fields(map, stage_fields(), fill, stage);
}

void read_settings(Reading& reading, const YamlNode& node, Settings& settings) {
  MapReader map(reading, node, "settings", keys_at<Settings>(""), settings.fields, "",
                MapReader::Empty::allowed, &settings.uncertain);
  read_plain_fields(map, settings_fields(), Fill::whole, settings);
}

void read_calendar(Reading& reading, const YamlNode& node, Fill fill, Calendar& calendar) {
  MapReader map(reading, node, "the calendar", keys_at<Calendar>(""), calendar.fields);
  read_plain_fields(map, calendar_fields(), fill, calendar);
  read_profile(reading, map, "weekday_profile", kWeekdays, "Monday", calendar.weekday_profile);
  read_profile(reading, map, "hour_profile", kHoursPerDay, "hour 0 (00:00-01:00)",
               calendar.hour_profile);
}

void read_resource(Reading& reading, const YamlNode& node, const std::string& owner, Fill fill,
                   Resource& resource) {
  if (fill == Fill::whole) resource.where = reading.at(node);
  const KeptPlaces kept(fill, resource.fields, kIdKeys);
  MapReader map(reading, node, owner, keys_at<Resource>(""), resource.fields, "",
                MapReader::Empty::refused);
  read_plain_fields(map, resource_fields(), fill, resource);
  read_schedule(reading, map, resource);
}

void read_word_of_mouth(Reading& reading, const YamlNode& node, WordOfMouth& word_of_mouth) {
  MapReader map(reading, node, "word_of_mouth", keys_at<WordOfMouth>(""), word_of_mouth.fields);
  read_plain_fields(map, word_of_mouth_fields(), Fill::whole, word_of_mouth);
  read_entry_weights(reading, map, word_of_mouth.fields, word_of_mouth.entry);
}

void read_returns(Reading& reading, const YamlNode& node, Returns& returns) {
  MapReader map(reading, node, "returns", keys_at<Returns>(""), returns.fields);
  read_plain_fields(map, returns_fields(), Fill::whole, returns);
  read_entry_weights(reading, map, returns.fields, returns.entry);
}

}  // namespace cjsim::detail
