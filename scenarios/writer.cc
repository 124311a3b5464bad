// The journey file format, written line by line. The format's shape is fixed (block mappings
// and lists, small flow mappings for pairs such as {mean, sd}), so the only part that needs
// care is a scalar holding a user's text: names come from users' data and may hold anything.
// No YAML emitter we tried writes every such text back faithfully (yaml-cpp 0.7 leaves a
// carriage return bare in a plain scalar and replaces Unicode noncharacters with U+FFFD;
// libfyaml 0.7's streaming emitter drops a leading blank), so each text is written here as a
// plain scalar when that is unambiguous and as an escaped double-quoted one otherwise, and a
// test reads every awkward text back through the loader. Which fields are written, in which
// order and under which keys comes from the field table (fields.h).
#include "scenarios/writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <span>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "scenarios/fields.h"
#include "scenarios/uncertain.h"
#include "scenarios/utf8.h"
#include "scenarios/week_hours.h"

namespace cjsim {
namespace {

// Shortest round-trip form: the loader reads back the same double.
std::string number(double x) { return fmt::format("{}", x); }

// A plain (unquoted) scalar only for text that every YAML reader takes as that same string in
// block and flow context: a letter or '_' first, then letters, digits and " _.-/()", no
// trailing blank, and not a word that YAML 1.1 reads as a boolean or null.
bool plain_is_safe(std::string_view text) {
  if (text.empty() || text.back() == ' ') return false;
  const auto first = static_cast<unsigned char>(text.front());
  if (!std::isalpha(first) && first != '_') return false;
  constexpr std::string_view kPunctuation = " _.-/()";
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool allowed = c < 0x80 && (std::isalnum(c) || kPunctuation.find(ch) != kPunctuation.npos);
    if (!allowed) return false;
  }
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* word : {"true", "false", "yes", "no", "on", "off", "y", "n", "null"}) {
    if (lower == word) return false;
  }
  return true;
}

// What YAML cannot hold literally inside double quotes (outside its printable set, or read as
// a line break or a byte-order mark): written as an escape.
bool needs_escape(char32_t c) {
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0x2028 || c == 0x2029 || c == 0xFEFF ||
         (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

// Text that is not UTF-8 cannot be written into a journey file (the loader rejects it): a
// program error, since every reader checks its input.
std::string double_quoted(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size();) {
    const auto decoded = decode_utf8(text, i);
    if (!decoded) {
      throw std::invalid_argument(
          fmt::format("writing a journey: the text '{}' is not UTF-8 at byte {}", text, i + 1));
    }
    const auto [code, length] = *decoded;
    switch (code) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (!needs_escape(code)) {
          out.append(text.substr(i, length));
        } else if (code <= 0xFF) {
          out += fmt::format("\\x{:02X}", static_cast<unsigned>(code));
        } else if (code <= 0xFFFF) {
          out += fmt::format("\\u{:04X}", static_cast<unsigned>(code));
        } else {
          out += fmt::format("\\U{:08X}", static_cast<unsigned>(code));
        }
    }
    i += length;
  }
  return out + "\"";
}

// A journey's text as a YAML scalar (plain text is ASCII, so only quoted text needs decoding).
std::string text(std::string_view value) {
  return plain_is_safe(value) ? std::string(value) : double_quoted(value);
}

// Lines of YAML under construction: `key: value` at an indentation, list items, flow maps.
class Lines {
 public:
  void field(int indent, std::string_view key, std::string_view value) {
    line(indent, fmt::format("{}: {}", key, value));
  }
  void key(int indent, std::string_view key) { line(indent, fmt::format("{}:", key)); }
  // A list item that is one scalar or flow collection: "  - {from: a, to: b}".
  void item_value(int indent, std::string_view value) {
    item_ = true;
    line(indent, value);
  }
  // The next field starts a list item ("- ") instead of indenting.
  void item() { item_ = true; }
  std::string str() && { return std::move(out_); }

 private:
  void line(int indent, std::string_view body) {
    // An item's "- " takes the place of the last two blanks of its first line's indentation.
    const std::string_view dash = item_ ? "- " : "";
    out_.append(static_cast<std::size_t>(std::max(indent - static_cast<int>(dash.size()), 0)), ' ');
    out_ += dash;
    item_ = false;
    out_ += body;
    out_ += '\n';
  }

  std::string out_;
  bool item_ = false;
};

// "{a: 1, b: 2}" from key, value pairs already written as scalars.
using Pairs = std::vector<std::pair<std::string, std::string>>;

// Settings and transitions have no field with a form of its own.
std::optional<std::string> no_special(FieldForm) { return std::nullopt; }

std::string flow(const Pairs& pairs) {
  std::string out = "{";
  for (const auto& [key, value] : pairs) {
    if (out.size() > 1) out += ", ";
    out += fmt::format("{}: {}", key, value);
  }
  return out + "}";
}

// A number of a touchpoint's duration, or its distribution when uncertain.
std::string number_or_uncertain(double x, const UncertainFields& uncertain,
                                std::string_view name) {
  auto it = uncertain.find(name);
  return it == uncertain.end() ? number(x) : uncertain_yaml(it->second);
}

std::string duration(const Duration& d, const UncertainFields& u) {
  switch (d.kind) {
    case Duration::Kind::exponential:
      return flow({{"exponential", number_or_uncertain(d.hours, u, "duration.exponential")}});
    case Duration::Kind::lognormal:
      return flow({{"lognormal",
                    flow({{"median", number_or_uncertain(d.median, u, "duration.lognormal.median")},
                          {"sigma",
                           number_or_uncertain(d.sigma, u, "duration.lognormal.sigma")}})}});
    case Duration::Kind::fixed:
      break;
  }
  return number_or_uncertain(d.hours, u, "duration");
}

// A field's value as YAML.
std::string value_text(const FieldRef& ref) {
  struct Text {
    std::string operator()(double* x) const { return number(*x); }
    std::string operator()(std::int64_t* x) const { return std::to_string(*x); }
    std::string operator()(std::optional<double>* x) const { return number(x->value_or(0.0)); }
    std::string operator()(std::optional<std::uint64_t>* x) const {
      return std::to_string(x->value_or(0));
    }
    std::string operator()(std::string* x) const { return text(*x); }
    std::string operator()(TextList* x) const {
      std::string out;
      for (const std::string& item : *x) out += (out.empty() ? "" : ", ") + text(item);
      return "[" + out + "]";
    }
    std::string operator()(TextMap* x) const {
      Pairs pairs;
      for (const auto& [key, value] : *x) pairs.emplace_back(text(key), text(value));
      return flow(pairs);
    }
  };
  return std::visit(Text{}, ref);
}

// Whether a field holds what leaving it out would give: the same value as in `defaults`, no
// text, or no value at all.
struct IsDefault {
  const FieldRef& defaults;
  template <class T>
  bool operator()(T* x) const {
    return *x == *std::get<T*>(defaults);
  }
  bool operator()(std::optional<double>* x) const { return !x->has_value(); }
  bool operator()(std::optional<std::uint64_t>* x) const { return !x->has_value(); }
  bool operator()(std::string* x) const {
    return x->empty() || *x == *std::get<std::string*>(defaults);
  }
  bool operator()(TextList* x) const { return x->empty(); }
  bool operator()(TextMap* x) const { return x->empty(); }
};

// The keys of one part as YAML: each plain field in the table's order, a nested map (emotion)
// as one flow map written whole when any of its fields is not at its default, and the fields
// with forms of their own (duration, conversion, channel_affinity) as `special` writes them.
template <class Entity, class Special>
Pairs fields_of(const Entity& entity, const Entity& defaults, std::span<const Field<Entity>> table,
                Special special) {
  Pairs out;
  for (std::string_view key : keys_at<Entity>("")) {
    const Field<Entity>* first = nullptr;
    Pairs nested;
    bool written = false;
    for (const Field<Entity>& field : table) {
      const std::string_view name = field.name;
      if (name != key && !(name.starts_with(key) && name[key.size()] == '.')) continue;
      if (!first) first = &field;
      if (field.form != FieldForm::plain) break;
      const FieldRef ref = field_ref(field, entity);
      std::string text = value_text(ref);
      bool uncertain = false;
      if constexpr (requires { entity.uncertain; }) {
        auto it = entity.uncertain.find(name);
        if (it != entity.uncertain.end()) {
          text = uncertain_yaml(it->second);
          uncertain = true;
        }
      }
      written = written || uncertain || field.written == Written::always ||
                !std::visit(IsDefault{field_ref(field, defaults)}, ref);
      nested.emplace_back(name.substr(std::min(name.size(), key.size() + 1)), std::move(text));
    }
    if (first->form != FieldForm::plain) {
      if (std::optional<std::string> value = special(first->form)) {
        out.emplace_back(std::string(key), std::move(*value));
      }
      continue;
    }
    if (!written) continue;
    out.emplace_back(std::string(key), first->name == key ? nested.front().second : flow(nested));
  }
  return out;
}

void write_settings(Lines& out, const Settings& s) {
  out.key(0, "settings");
  for (const auto& [key, value] : fields_of(s, Settings{}, settings_fields(), no_special)) {
    out.field(2, key, value);
  }
}

// A map by weekday, from each weekday's value as YAML: {every_day: X} when all seven are
// alike, else one key per weekday written (`skip` leaves a weekday out).
template <class DayText>
std::string week_map(DayText day_text) {
  std::array<std::optional<std::string>, kWeekdays> days;
  for (int d = 0; d < kWeekdays; ++d) days[d] = day_text(d);
  if (std::all_of(days.begin(), days.end(), [&](const auto& day) { return day == days[0]; }) &&
      days[0]) {
    return flow({{"every_day", *days[0]}});
  }
  Pairs pairs;
  for (int d = 0; d < kWeekdays; ++d) {
    if (days[d]) pairs.emplace_back(std::string(kWeekdayNames[d]), *days[d]);
  }
  return flow(pairs);
}

std::string opening_hours(const WeekOpening& opening) {
  return week_map([&](int d) -> std::optional<std::string> {
    std::string spans;
    for (const OpenSpan& span : opening[d]) {
      spans += fmt::format("{}\"{}\"", spans.empty() ? "" : ", ", open_span_text(span));
    }
    return "[" + spans + "]";
  });
}

std::string schedule(const WeekSchedule& week) {
  return week_map([&](int d) -> std::optional<std::string> {
    if (!week[d]) return std::nullopt;
    const DayServers& day = *week[d];
    if (std::all_of(day.begin(), day.end(), [&](std::int64_t x) { return x == day[0]; })) {
      return std::to_string(day[0]);
    }
    std::string hours;
    for (const std::int64_t servers : day) {
      hours += fmt::format("{}{}", hours.empty() ? "" : ", ", servers);
    }
    return "[" + hours + "]";
  });
}

std::string entry_weights(const EntryWeights& entry) {
  Pairs pairs;
  for (const auto& [id, weight] : entry) pairs.emplace_back(text(id), number(weight));
  return flow(pairs);
}

std::string profile(const std::vector<double>& factors) {
  std::string out;
  for (const double x : factors) out += fmt::format("{}{}", out.empty() ? "" : ", ", number(x));
  return "[" + out + "]";
}

void write_touchpoint(Lines& out, const Touchpoint& t) {
  Touchpoint defaults;
  defaults.name = t.id;
  const auto special = [&](FieldForm form) -> std::optional<std::string> {
    if (form == FieldForm::duration) {
      if (t.duration.kind == Duration::Kind::fixed && t.duration.hours == 0.0 &&
          !t.uncertain.contains("duration")) {
        return {};
      }
      return duration(t.duration, t.uncertain);
    }
    if (form == FieldForm::opening_hours) {
      if (!t.opening_hours) return {};
      return opening_hours(*t.opening_hours);
    }
    if (!t.conversion) return {};
    return flow({{"value", number_or_uncertain(t.value, t.uncertain, "conversion.value")}});
  };
  out.item();
  for (const auto& [key, value] : fields_of(t, defaults, touchpoint_fields(), special)) {
    out.field(4, key, value);
  }
}

std::string transition(const Transition& t) {
  return flow(fields_of(t, Transition{}, transition_fields(), no_special));
}

// A persona's own weights of transitions: a flow list of {from, to, weight}.
std::string persona_transitions(const std::vector<PersonaTransition>& transitions) {
  std::string out;
  for (const PersonaTransition& t : transitions) {
    out += fmt::format("{}{}", out.empty() ? "" : ", ",
                       flow({{"from", text(t.from)}, {"to", text(t.to)}, {"weight", number(t.weight)}}));
  }
  return "[" + out + "]";
}

void write_persona(Lines& out, const Persona& p) {
  const auto affinities = [&](FieldForm form) -> std::optional<std::string> {
    if (form == FieldForm::entry_weights) {
      if (p.entry.empty()) return {};
      return entry_weights(p.entry);
    }
    if (form == FieldForm::dropouts) {
      if (p.dropout.empty()) return {};
      Pairs pairs;
      for (const auto& [id, dropout] : p.dropout) pairs.emplace_back(text(id), number(dropout));
      return flow(pairs);
    }
    if (form == FieldForm::transition_weights) {
      if (p.transitions.empty()) return {};
      return persona_transitions(p.transitions);
    }
    if (p.channel_affinity.empty()) return {};
    Pairs pairs;
    for (const auto& [channel, affinity] : p.channel_affinity) {
      auto it = p.uncertain.find(std::string(kAffinityPrefix) + channel);
      pairs.emplace_back(text(channel),
                         it == p.uncertain.end() ? number(affinity) : uncertain_yaml(it->second));
    }
    return flow(pairs);
  };
  Persona defaults;
  defaults.words.name = p.id;
  out.item();
  for (const auto& [key, value] : fields_of(p, defaults, persona_fields(), affinities)) {
    out.field(4, key, value);
  }
}

void write_calendar_parts(Lines& out, const Scenario& s) {
  if (s.calendar) {
    const Calendar& c = *s.calendar;
    const auto profiles = [&](FieldForm) -> std::optional<std::string> { return {}; };
    out.key(0, "calendar");
    for (const auto& [key, value] : fields_of(c, Calendar{}, calendar_fields(), profiles)) {
      out.field(2, key, value);
    }
    if (!c.weekday_profile.empty()) out.field(2, "weekday_profile", profile(c.weekday_profile));
    if (!c.hour_profile.empty()) out.field(2, "hour_profile", profile(c.hour_profile));
  }
  if (!s.resources.empty()) {
    out.key(0, "resources");
    for (const Resource& r : s.resources) {
      const auto special = [&](FieldForm) -> std::optional<std::string> {
        if (!r.schedule) return {};
        return schedule(*r.schedule);
      };
      out.item();
      for (const auto& [key, value] : fields_of(r, Resource{}, resource_fields(), special)) {
        out.field(4, key, value);
      }
    }
  }
  if (s.word_of_mouth) {
    const WordOfMouth& w = *s.word_of_mouth;
    const auto entry = [&](FieldForm) -> std::optional<std::string> {
      if (w.entry.empty()) return {};
      return entry_weights(w.entry);
    };
    out.key(0, "word_of_mouth");
    for (const auto& [key, value] : fields_of(w, WordOfMouth{}, word_of_mouth_fields(), entry)) {
      out.field(2, key, value);
    }
  }
  if (s.returns) {
    const Returns& r = *s.returns;
    const auto entry = [&](FieldForm) -> std::optional<std::string> {
      if (r.entry.empty()) return {};
      return entry_weights(r.entry);
    };
    out.key(0, "returns");
    for (const auto& [key, value] : fields_of(r, Returns{}, returns_fields(), entry)) {
      out.field(2, key, value);
    }
  }
}

// A flow list of names, or, when some stage has words, one item a stage: its name, or a map
// with its name and words.
void write_stages(Lines& out, const Scenario& s) {
  const auto words_of = [&](const std::string& stage) -> const JourneyStage* {
    auto it = s.stage_words.find(stage);
    if (it == s.stage_words.end()) return nullptr;
    const JourneyStage& stage_entry = it->second;
    return stage_entry.words == StageWords{} ? nullptr : &stage_entry;
  };
  const bool any_words = std::any_of(s.stages.begin(), s.stages.end(),
                                     [&](const std::string& stage) { return words_of(stage); });
  if (!any_words) {
    std::string stages;
    for (const std::string& stage : s.stages) {
      stages += fmt::format("{}{}", stages.empty() ? "" : ", ", text(stage));
    }
    out.field(0, "stages", "[" + stages + "]");
    return;
  }
  out.key(0, "stages");
  for (const std::string& stage : s.stages) {
    const JourneyStage* words = words_of(stage);
    if (!words) {
      out.item_value(4, text(stage));
      continue;
    }
    JourneyStage named = *words;
    named.name = stage;
    out.item();
    for (const auto& [key, value] : fields_of(named, JourneyStage{}, stage_fields(), no_special)) {
      out.field(4, key, value);
    }
  }
}

}  // namespace

std::string scenario_yaml(const Scenario& s) {
  Lines out;
  out.field(0, "name", text(s.name));
  if (!s.description.empty()) out.field(0, "description", text(s.description));
  if (!s.notes.empty()) out.field(0, "notes", text(s.notes));
  write_stages(out, s);
  write_settings(out, s.settings);
  out.key(0, "touchpoints");
  for (const Touchpoint& t : s.touchpoints) write_touchpoint(out, t);
  if (!s.transitions.empty()) {
    out.key(0, "transitions");
    for (const Transition& t : s.transitions) out.item_value(4, transition(t));
  }
  if (!s.personas.empty()) {
    out.key(0, "personas");
    for (const Persona& p : s.personas) write_persona(out, p);
  }
  write_calendar_parts(out, s);
  return std::move(out).str();
}

}  // namespace cjsim
