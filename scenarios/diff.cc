// Comparing two journeys part by part: each entity is turned into its list of fields (name,
// value) by the field table (fields.h), and two lists are compared field by field, so that
// what is compared, and under which name, is what files, sweeps and changes call it.
#include "scenarios/diff.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <set>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "scenarios/did_you_mean.h"
#include "scenarios/fields.h"
#include "scenarios/uncertain.h"
#include "scenarios/week_hours.h"

namespace cjsim {
namespace {

// One field of an entity and its value, as compared.
struct FieldValue {
  std::string name;
  DiffValue value;
};
using Fields = std::vector<FieldValue>;

std::string duration_text(const Duration& duration) {
  switch (duration.kind) {
    case Duration::Kind::fixed:
      return fmt::format("{:g} h", duration.hours);
    case Duration::Kind::exponential:
      return fmt::format("exponential (mean {:g} h)", duration.hours);
    case Duration::Kind::lognormal:
      return fmt::format("lognormal (median {:g} h, sigma {:g})", duration.median, duration.sigma);
  }
  return "";
}

// --- each kind of entity as fields, in the table's order (the order a file writes them) -----

// A field's value for comparing: none for an absent optional.
DiffValue diff_value(const FieldRef& ref) {
  if (const auto* text = std::get_if<std::string*>(&ref)) {
    if ((*text)->empty()) return std::monostate{};  // no resource, no lane
    return **text;
  }
  if (const auto* list = std::get_if<TextList*>(&ref)) {
    if ((*list)->empty()) return std::monostate{};
    return **list;
  }
  if (const auto* map = std::get_if<TextMap*>(&ref)) {
    if ((*map)->empty()) return std::monostate{};
    std::vector<std::string> pairs;
    for (const auto& [key, value] : **map) pairs.push_back(fmt::format("{}: {}", key, value));
    return pairs;
  }
  const double number = number_in(ref);
  if (std::isnan(number)) return std::monostate{};
  return number;
}

// The plain fields of the table, by name, then what the fields with forms of their own add at
// their place (`special`).
template <class Entity, class Special>
Fields fields_of(const Entity& entity, std::span<const Field<Entity>> table, Special special) {
  Fields fields;
  const Field<Entity>* previous = nullptr;
  for (const Field<Entity>& field : table) {
    if (field.identity) continue;
    if (field.form == FieldForm::plain) {
      fields.push_back({std::string(field.name), diff_value(field_ref(field, entity))});
    } else if (!previous || previous->form != field.form) {
      special(field.form, fields);
    }
    previous = &field;
  }
  // An uncertain number is compared as its distribution ("triangular [0.2, 0.33, 0.45]"); a
  // duration's, inside the duration's one text.
  if constexpr (requires { entity.uncertain; }) {
    for (FieldValue& f : fields) {
      if (f.name == "duration") {
        for (const auto& [name, value] : entity.uncertain) {
          if (!name.starts_with("duration")) continue;
          const Field<Entity>* field = find_field(table, name);
          if (field == nullptr || !field_applies(*field, entity)) continue;
          f.value = fmt::format("{} ({}: {})", std::get<std::string>(f.value), name,
                                uncertain_text(value));
        }
        continue;
      }
      auto it = entity.uncertain.find(f.name);
      if (it != entity.uncertain.end() && !std::holds_alternative<std::monostate>(f.value)) {
        f.value = uncertain_text(it->second);
      }
    }
  }
  return fields;
}

// "mon-fri 09:00-17:00; sat 10:00-13:00; sun closed": weekdays alike are written once.
template <class Day, class DayText>
std::string week_text(const std::array<Day, kWeekdays>& week, DayText day_text) {
  std::string out;
  int first = 0;
  for (int d = 1; d <= kWeekdays; ++d) {
    if (d < kWeekdays && week[d] == week[first]) continue;
    const std::string days =
        d - 1 == first ? std::string(kWeekdayNames[first].substr(0, 3))
                       : fmt::format("{}-{}", kWeekdayNames[first].substr(0, 3),
                                     kWeekdayNames[d - 1].substr(0, 3));
    out += fmt::format("{}{} {}", out.empty() ? "" : "; ", days, day_text(week[first]));
    first = d;
  }
  return out;
}

std::string opening_text(const std::optional<WeekOpening>& opening) {
  if (!opening) return "always open";
  return week_text(*opening, [](const std::vector<OpenSpan>& spans) {
    std::string out;
    for (const OpenSpan& span : spans) {
      out += fmt::format("{}{}", out.empty() ? "" : " ", open_span_text(span));
    }
    return out.empty() ? std::string("closed") : out;
  });
}

// One day's servers: a number when constant, else its runs ("08-10 2, 10-16 3, ...").
std::string day_servers_text(const std::optional<DayServers>& day) {
  if (!day) return "capacity";
  std::string out;
  int start = 0;
  for (int h = 1; h <= kHoursPerDay; ++h) {
    if (h < kHoursPerDay && (*day)[h] == (*day)[start]) continue;
    if (start == 0 && h == kHoursPerDay) return fmt::format("{}", (*day)[0]);
    out += fmt::format("{}{:02}-{:02} {}", out.empty() ? "" : ", ", start, h, (*day)[start]);
    start = h;
  }
  return out;
}

std::string schedule_text(const std::optional<WeekSchedule>& schedule) {
  if (!schedule) return "capacity throughout";
  return week_text(*schedule, day_servers_text);
}

std::string weights_text(const EntryWeights& entry) {
  if (entry.empty()) return "the journey's entries";
  std::string out;
  for (const auto& [id, weight] : entry) {
    out += fmt::format("{}{} {:g}", out.empty() ? "" : ", ", id, weight);
  }
  return out;
}

std::string profile_text(const std::vector<double>& profile) {
  if (profile.empty()) return "flat";
  std::string out;
  for (const double x : profile) out += fmt::format("{}{:g}", out.empty() ? "" : " ", x);
  return out;
}

// A duration is compared whole, as one text: a change of its kind is one change. So are the
// opening hours.
Fields fields_of_touchpoint(const Touchpoint& t) {
  Fields fields = fields_of(t, touchpoint_fields(), [&](FieldForm form, Fields& out) {
    if (form == FieldForm::duration) {
      out.push_back({"duration", duration_text(t.duration)});
      return;
    }
    if (form == FieldForm::opening_hours) {
      out.push_back({"opening_hours", t.opening_hours ? DiffValue{opening_text(t.opening_hours)}
                                                      : DiffValue{}});
      return;
    }
    out.push_back({"conversion.value", t.conversion ? DiffValue{t.value} : DiffValue{}});
  });
  // The name is the id unless the file gives another.
  for (FieldValue& field : fields) {
    if (field.name == "name" && t.name == t.id) field.value = std::monostate{};
  }
  return fields;
}

Fields fields_of_stage(const JourneyStage& s) {
  return fields_of(s, stage_fields(), [](FieldForm, Fields&) {});
}

Fields fields_of_transition(const Transition& t) {
  return fields_of(t, transition_fields(), [](FieldForm, Fields&) {});
}

// A persona compared with `other`: the channels either has an affinity for (one not in the
// persona's map is 1), and the persona's own numbers (MODEL.md 1.12) either has, each as one
// field ("dropout.checkout", "transitions.cart->checkout"; its entry weights whole as "entry"),
// none where the persona keeps the journey's.
Fields fields_of_persona(const Persona& p, const Persona& other) {
  std::set<std::string, std::less<>> channels, dropouts, transitions;
  for (const Persona* q : {&p, &other}) {
    for (const auto& [channel, multiplier] : q->channel_affinity) channels.insert(channel);
    for (const auto& [id, dropout] : q->dropout) dropouts.insert(id);
    for (const PersonaTransition& t : q->transitions) transitions.insert(t.from + "->" + t.to);
  }
  Fields fields = fields_of(p, persona_fields(), [&](FieldForm form, Fields& out) {
    if (form == FieldForm::entry_weights) {
      out.push_back({"entry", p.entry.empty() ? DiffValue{} : DiffValue{weights_text(p.entry)}});
      return;
    }
    if (form == FieldForm::dropouts) {
      for (const std::string& id : dropouts) {
        auto it = p.dropout.find(id);
        out.push_back({std::string(kPersonaDropoutPrefix) + id,
                       it == p.dropout.end() ? DiffValue{} : DiffValue{it->second}});
      }
      return;
    }
    if (form == FieldForm::transition_weights) {
      for (const std::string& pair : transitions) {
        DiffValue value;
        for (const PersonaTransition& t : p.transitions) {
          if (t.from + "->" + t.to == pair) value = t.weight;
        }
        out.push_back({std::string(kPersonaTransitionPrefix) + pair, value});
      }
      return;
    }
    for (const std::string& channel : channels) {
      auto it = p.channel_affinity.find(channel);
      out.push_back({std::string(kAffinityPrefix) + channel,
                     it == p.channel_affinity.end() ? 1.0 : it->second});
    }
  });
  // The name is the id unless the file gives another.
  for (FieldValue& field : fields) {
    if (field.name == "name" && p.words.name == p.id) field.value = std::monostate{};
  }
  return fields;
}

Fields fields_of_settings(const Settings& s) {
  return fields_of(s, settings_fields(), [](FieldForm, Fields&) {});
}

// Calendar journeys: each part's profiles, schedule and entry weights compared whole.
Fields fields_of_calendar(const std::optional<Calendar>& c) {
  if (!c) return {};
  return fields_of(*c, calendar_fields(), [&](FieldForm, Fields& out) {
    // Called once for the two profiles, which sit side by side in the table.
    out.push_back({"weekday_profile", profile_text(c->weekday_profile)});
    out.push_back({"hour_profile", profile_text(c->hour_profile)});
  });
}

Fields fields_of_resource(const Resource& r) {
  return fields_of(r, resource_fields(), [&](FieldForm, Fields& out) {
    out.push_back({"schedule", r.schedule ? DiffValue{schedule_text(r.schedule)} : DiffValue{}});
  });
}

template <class Entity>
Fields fields_with_entry(const std::optional<Entity>& part,
                         std::span<const Field<Entity>> table) {
  if (!part) return {};
  return fields_of(*part, table, [&](FieldForm, Fields& out) {
    out.push_back({"entry", weights_text(part->entry)});
  });
}

Fields word_of_mouth_fields_of(const std::optional<WordOfMouth>& w) {
  return fields_with_entry(w, word_of_mouth_fields());
}
Fields returns_fields_of(const std::optional<Returns>& r) {
  return fields_with_entry(r, returns_fields());
}

// One of the optional parts (calendar, word of mouth, returns): added, removed or changed.
template <class Entity>
void diff_optional_part(const std::optional<Entity>& current, const std::optional<Entity>& future,
                        JourneyDifference::Part part,
                        Fields (*to_fields)(const std::optional<Entity>&),
                        std::vector<JourneyDifference>& out) {
  if (!current && !future) return;
  JourneyDifference d;
  d.part = part;
  if (!current) {
    d.change = JourneyDifference::Change::added;
    d.fields = written_fields(to_fields(future), {}, /*added=*/true);
  } else if (!future) {
    d.change = JourneyDifference::Change::removed;
    d.fields = written_fields(to_fields(current), {}, /*added=*/false);
  } else {
    d.fields = changed_fields(to_fields(current), to_fields(future));
    if (d.fields.empty()) return;
  }
  out.push_back(std::move(d));
}

Fields journey_fields(const Scenario& s) {
  const auto words = [](const std::string& text) -> DiffValue {
    if (text.empty()) return std::monostate{};
    return text;
  };
  return {{"name", s.name},
          {"description", words(s.description)},
          {"notes", words(s.notes)},
          {"stages", join_names(s.stages)}};
}

std::vector<FieldChange> changed_fields(const Fields& before, const Fields& after);

// The words of each stage both journeys have that differ.
void diff_stage_words(const Scenario& current, const Scenario& future,
                      std::vector<JourneyDifference>& out) {
  const auto stage_of = [](const Scenario& s, const std::string& name) {
    auto it = s.stage_words.find(name);
    return it == s.stage_words.end() ? JourneyStage{} : it->second;
  };
  const std::set<std::string_view> current_stages(current.stages.begin(), current.stages.end());
  std::set<std::string_view> seen;
  for (const std::string& name : future.stages) {
    if (!current_stages.contains(name) || !seen.insert(name).second) continue;
    std::vector<FieldChange> fields = changed_fields(fields_of_stage(stage_of(current, name)),
                                                     fields_of_stage(stage_of(future, name)));
    if (fields.empty()) continue;
    JourneyDifference d;
    d.part = JourneyDifference::Part::stage;
    d.id = name;
    d.fields = std::move(fields);
    out.push_back(std::move(d));
  }
}

// The fields whose values differ; both lists name the same fields in the same order.
std::vector<FieldChange> changed_fields(const Fields& before, const Fields& after) {
  std::vector<FieldChange> changes;
  for (std::size_t i = 0; i < before.size() && i < after.size(); ++i) {
    if (before[i].value != after[i].value) {
      changes.push_back({before[i].name, before[i].value, after[i].value});
    }
  }
  return changes;
}

// An added (or removed) entity's fields that are not what the file would get by leaving them
// out, as changes from (or to) none.
std::vector<FieldChange> written_fields(const Fields& fields, const Fields& defaults, bool added) {
  std::vector<FieldChange> out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const bool is_default = i < defaults.size() && fields[i].value == defaults[i].value;
    if (is_default || std::holds_alternative<std::monostate>(fields[i].value)) continue;
    if (added) {
      out.push_back({fields[i].name, std::monostate{}, fields[i].value});
    } else {
      out.push_back({fields[i].name, fields[i].value, std::monostate{}});
    }
  }
  return out;
}

// Hashes a key of an entity: an id, or a transition's two ends.
struct KeyHash {
  std::size_t operator()(const std::string& id) const { return std::hash<std::string>{}(id); }
  std::size_t operator()(const std::pair<std::string, std::string>& ends) const {
    const std::size_t from = std::hash<std::string>{}(ends.first);
    return from ^ (std::hash<std::string>{}(ends.second) + 0x9e3779b97f4a7c15 + (from << 6) +
                   (from >> 2));
  }
};

// The first entity of `entities` with each key, so that matching is linear in the journeys'
// sizes (a search of the other list per entity took minutes at 10^5 touchpoints).
template <typename Entity, typename Key>
auto index_by_key(const std::vector<Entity>& entities, Key key) {
  using KeyType = std::decay_t<std::invoke_result_t<Key, const Entity&>>;
  std::unordered_map<KeyType, const Entity*, KeyHash> index;
  index.reserve(entities.size());
  for (const Entity& e : entities) index.try_emplace(key(e), &e);
  return index;
}

// Removed, added and changed entities of one kind, matched by `key`.
template <typename Entity, typename Key, typename ToFields, typename Name>
void diff_entities(const std::vector<Entity>& current, const std::vector<Entity>& future,
                   JourneyDifference::Part part, Key key, ToFields to_fields,
                   const Fields& defaults, Name name, std::vector<JourneyDifference>& out) {
  const auto current_index = index_by_key(current, key);
  const auto future_index = index_by_key(future, key);
  auto find = [&](const auto& index, const Entity& like) -> const Entity* {
    auto it = index.find(key(like));
    return it == index.end() ? nullptr : it->second;
  };
  for (const Entity& before : current) {
    if (find(future_index, before)) continue;
    JourneyDifference d = name(before);
    d.part = part;
    d.change = JourneyDifference::Change::removed;
    d.fields = written_fields(to_fields(before, before), defaults, /*added=*/false);
    out.push_back(std::move(d));
  }
  std::vector<JourneyDifference> changed;
  for (const Entity& after : future) {
    const Entity* before = find(current_index, after);
    JourneyDifference d = name(after);
    d.part = part;
    if (!before) {
      d.change = JourneyDifference::Change::added;
      d.fields = written_fields(to_fields(after, after), defaults, /*added=*/true);
      out.push_back(std::move(d));
      continue;
    }
    d.change = JourneyDifference::Change::changed;
    d.fields = changed_fields(to_fields(*before, after), to_fields(after, *before));
    if (!d.fields.empty()) changed.push_back(std::move(d));
  }
  std::move(changed.begin(), changed.end(), std::back_inserter(out));
}

JourneyDifference named(std::string id) {
  JourneyDifference d;
  d.id = std::move(id);
  return d;
}

// --- text ------------------------------------------------------------------------------------

// How a field is named in a sentence: "emotion mean", "affinity for app", "conversion".
std::string label(std::string_view field) {
  if (field.starts_with(kAffinityPrefix)) {
    return fmt::format("affinity for {}", field.substr(kAffinityPrefix.size()));
  }
  if (field == "conversion.value") return "conversion";
  if (field == "horizon_hours") return "horizon";
  std::string words(field);
  std::replace(words.begin(), words.end(), '_', ' ');
  std::replace(words.begin(), words.end(), '.', ' ');
  return words;
}

std::string number_text(std::string_view field, double value) {
  if (field == "dropout") return fmt::format("{:.4g}%", value * 100.0);
  if (field == "horizon_hours") return fmt::format("{:g} h", value);
  const bool signed_valence = field.ends_with("emotion.mean") || field == "emotion_bias";
  if (!signed_valence) return fmt::format("{:g}", value);
  const double hundredths = value * 100.0;
  if (std::abs(hundredths - std::round(hundredths)) < 1e-9) return fmt::format("{:+.2f}", value);
  return fmt::format("{:+g}", value);
}

// Words whose change is told as "rewritten" rather than quoted whole: they run to sentences.
bool is_prose(std::string_view field) {
  return field == "description" || field == "customer_action" || field == "quote" ||
         field == "notes";
}

std::string value_text(std::string_view field, const DiffValue& value) {
  if (std::holds_alternative<std::monostate>(value)) return "none";
  if (const double* number = std::get_if<double>(&value)) return number_text(field, *number);
  if (const auto* list = std::get_if<std::vector<std::string>>(&value)) {
    std::vector<std::string> quoted;
    for (const std::string& item : *list) quoted.push_back(fmt::format("\"{}\"", item));
    return join_names(quoted);
  }
  const std::string& text = std::get<std::string>(value);
  if (field == "name" || is_prose(field)) return fmt::format("\"{}\"", text);
  return text;
}

const std::vector<std::string>& items_of(const DiffValue& value) {
  static const std::vector<std::string> kNone;
  const auto* list = std::get_if<std::vector<std::string>>(&value);
  return list ? *list : kNone;
}

// A list of words changed: "pain points + \"Long wait\", - \"Forms twice\"".
std::string list_change_text(const FieldChange& f) {
  const std::vector<std::string>& before = items_of(f.before);
  const std::vector<std::string>& after = items_of(f.after);
  std::vector<std::string> shown;
  for (const std::string& item : after) {
    if (std::find(before.begin(), before.end(), item) == before.end()) {
      shown.push_back(fmt::format("+ \"{}\"", item));
    }
  }
  for (const std::string& item : before) {
    if (std::find(after.begin(), after.end(), item) == after.end()) {
      shown.push_back(fmt::format("- \"{}\"", item));
    }
  }
  if (shown.empty()) return fmt::format("{} reordered", label(f.field));
  return fmt::format("{} {}", label(f.field), join_names(shown));
}

const DiffValue* find_value(const JourneyDifference& d, std::string_view field, bool after) {
  for (const FieldChange& f : d.fields) {
    if (f.field == field) return after ? &f.after : &f.before;
  }
  return nullptr;
}

// "(purchase, web)" for a touchpoint, "(weight 2)" for a transition, "(share 0.3)" for a persona.
std::string essentials(const JourneyDifference& d) {
  const bool after = d.change == JourneyDifference::Change::added;
  std::vector<std::string> shown;
  auto show = [&](std::string_view field, bool with_label) {
    const DiffValue* value = find_value(d, field, after);
    if (!value) return;
    const std::string text = value_text(field, *value);
    shown.push_back(with_label ? fmt::format("{} {}", label(field), text) : text);
  };
  switch (d.part) {
    case JourneyDifference::Part::touchpoint:
      show("stage", false);
      show("channel", false);
      break;
    case JourneyDifference::Part::transition:
      if (!find_value(d, "weight", after)) shown.push_back("weight 1");
      show("weight", true);
      break;
    case JourneyDifference::Part::persona:
      if (!find_value(d, "share", after)) shown.push_back("share 1");
      show("share", true);
      break;
    default:
      break;
  }
  if (!d.note.empty()) shown.push_back(d.note);
  if (shown.empty()) return "";
  return " (" + join_names(shown) + ")";
}

// An added entity's other fields: "conversion 85, dropout 1%".
std::string added_details(const JourneyDifference& d) {
  std::vector<std::string> shown;
  for (const FieldChange& f : d.fields) {
    const bool in_essentials =
        f.field == "stage" || f.field == "channel" ||
        (d.part == JourneyDifference::Part::transition && f.field == "weight") ||
        (d.part == JourneyDifference::Part::persona && f.field == "share");
    if (in_essentials || f.field == "name") continue;
    if (is_prose(f.field)) {
      shown.push_back(label(f.field));
      continue;
    }
    if (const auto* list = std::get_if<std::vector<std::string>>(&f.after)) {
      shown.push_back(fmt::format("{} {}", label(f.field), list->size()));
      continue;
    }
    shown.push_back(fmt::format("{} {}", label(f.field), value_text(f.field, f.after)));
  }
  if (shown.empty()) return "";
  return ": " + join_names(shown);
}

std::string changed_details(const JourneyDifference& d) {
  std::vector<std::string> shown;
  for (const FieldChange& f : d.fields) {
    if (is_prose(f.field)) {
      const bool written_before = !std::holds_alternative<std::monostate>(f.before);
      const bool written_after = !std::holds_alternative<std::monostate>(f.after);
      shown.push_back(fmt::format("{} {}", label(f.field),
                                  !written_before ? "written"
                                  : written_after ? "rewritten"
                                                  : "removed"));
      continue;
    }
    if (std::holds_alternative<std::vector<std::string>>(f.before) ||
        std::holds_alternative<std::vector<std::string>>(f.after)) {
      shown.push_back(list_change_text(f));
      continue;
    }
    shown.push_back(fmt::format("{} {} -> {}", label(f.field), value_text(f.field, f.before),
                                value_text(f.field, f.after)));
  }
  return join_names(shown);
}

std::string line_for(const JourneyDifference& d) {
  const std::string subject = d.id.empty() ? "" : d.id;
  switch (d.change) {
    case JourneyDifference::Change::removed:
      return fmt::format("  - removed  {}{}\n", subject, essentials(d));
    case JourneyDifference::Change::added:
      return fmt::format("  + added    {}{}{}\n", subject, essentials(d), added_details(d));
    case JourneyDifference::Change::changed:
      if (subject.empty()) return fmt::format("  ~ changed  {}\n", changed_details(d));
      return fmt::format("  ~ changed  {}: {}\n", subject, changed_details(d));
  }
  return "";
}

const char* heading(JourneyDifference::Part part) {
  switch (part) {
    case JourneyDifference::Part::journey:
      return "Journey";
    case JourneyDifference::Part::settings:
      return "Settings";
    case JourneyDifference::Part::touchpoint:
      return "Touchpoints";
    case JourneyDifference::Part::transition:
      return "Transitions";
    case JourneyDifference::Part::persona:
      return "Personas";
    case JourneyDifference::Part::calendar:
      return "Calendar";
    case JourneyDifference::Part::resource:
      return "Resources";
    case JourneyDifference::Part::word_of_mouth:
      return "Word of mouth";
    case JourneyDifference::Part::returns:
      return "Returns";
    case JourneyDifference::Part::stage:
      return "Stages";
  }
  return "";
}

nlohmann::json value_json(const DiffValue& value) {
  if (const double* number = std::get_if<double>(&value)) return *number;
  if (const auto* list = std::get_if<std::vector<std::string>>(&value)) return *list;
  if (const std::string* text = std::get_if<std::string>(&value)) return *text;
  return nullptr;
}

// What became of a removed touchpoint's arrivals (MODEL.md 1.11): "its 18% of arrivals lost",
// or "its 18% of arrivals start at the other entries"; "" for a touchpoint nobody starts at.
std::string removed_entry_note(const Scenario& current, const Scenario& future,
                               const Touchpoint& removed) {
  if (!(removed.entry_weight > 0.0)) return "";
  double total = 0.0;
  for (const Touchpoint& t : current.touchpoints) total += t.entry_weight;
  for (const LostEntry& e : current.lost_entries) total += e.entry_weight;
  const bool lost = std::any_of(future.lost_entries.begin(), future.lost_entries.end(),
                                [&](const LostEntry& e) { return e.id == removed.id; });
  return fmt::format("its {:.3g}% of arrivals {}", 100.0 * removed.entry_weight / total,
                     lost ? "lost" : "start at the other entries");
}

}  // namespace

std::vector<JourneyDifference> diff_scenarios(const Scenario& current, const Scenario& future) {
  std::vector<JourneyDifference> out;
  std::vector<FieldChange> journey =
      changed_fields(journey_fields(current), journey_fields(future));
  if (!journey.empty())
    out.push_back({JourneyDifference::Part::journey, JourneyDifference::Change::changed, "", "", "",
                   std::move(journey), ""});
  diff_stage_words(current, future, out);
  std::vector<FieldChange> settings =
      changed_fields(fields_of_settings(current.settings), fields_of_settings(future.settings));
  if (!settings.empty())
    out.push_back({JourneyDifference::Part::settings, JourneyDifference::Change::changed, "", "",
                   "", std::move(settings), ""});

  auto ids_of = [](const Scenario& s) {
    std::unordered_set<std::string_view> ids;
    ids.reserve(s.touchpoints.size());
    for (const Touchpoint& t : s.touchpoints) ids.insert(t.id);
    return ids;
  };
  const std::unordered_set<std::string_view> current_ids = ids_of(current);
  const std::unordered_set<std::string_view> future_ids = ids_of(future);

  Touchpoint default_touchpoint;
  diff_entities(
      current.touchpoints, future.touchpoints, JourneyDifference::Part::touchpoint,
      [](const Touchpoint& t) -> const std::string& { return t.id; },
      [](const Touchpoint& t, const Touchpoint&) { return fields_of_touchpoint(t); },
      fields_of_touchpoint(default_touchpoint),
      [&](const Touchpoint& t) {
        JourneyDifference d = named(t.id);
        if (current_ids.contains(t.id) && !future_ids.contains(t.id)) {
          d.note = removed_entry_note(current, future, t);
        }
        return d;
      },
      out);
  diff_entities(
      current.transitions, future.transitions, JourneyDifference::Part::transition,
      [](const Transition& t) { return std::pair(t.from, t.to); },
      [](const Transition& t, const Transition&) { return fields_of_transition(t); },
      fields_of_transition(Transition{}),
      [&](const Transition& t) {
        JourneyDifference d = named(fmt::format("{} -> {}", t.from, t.to));
        d.from = t.from;
        d.to = t.to;
        // A transition that went with one of its touchpoints says so.
        for (const std::string& end : {t.from, t.to}) {
          if (current_ids.contains(end) && !future_ids.contains(end) && d.note.empty()) {
            d.note = fmt::format("with {}", end);
          }
        }
        return d;
      },
      out);

  diff_entities(
      current.personas, future.personas, JourneyDifference::Part::persona,
      [](const Persona& p) -> const std::string& { return p.id; },
      [](const Persona& p, const Persona& other) { return fields_of_persona(p, other); },
      fields_of_persona(Persona{}, Persona{}), [](const Persona& p) { return named(p.id); }, out);

  diff_optional_part(current.calendar, future.calendar, JourneyDifference::Part::calendar,
                     &fields_of_calendar, out);
  diff_entities(
      current.resources, future.resources, JourneyDifference::Part::resource,
      [](const Resource& r) -> const std::string& { return r.id; },
      [](const Resource& r, const Resource&) { return fields_of_resource(r); },
      fields_of_resource(Resource{}), [](const Resource& r) { return named(r.id); }, out);
  diff_optional_part(current.word_of_mouth, future.word_of_mouth,
                     JourneyDifference::Part::word_of_mouth, &word_of_mouth_fields_of, out);
  diff_optional_part(current.returns, future.returns, JourneyDifference::Part::returns,
                     &returns_fields_of, out);
  return out;
}

std::string format_differences(const std::vector<JourneyDifference>& differences) {
  if (differences.empty()) return "No differences.\n";
  std::string out;
  const JourneyDifference::Part parts[] = {
      JourneyDifference::Part::journey, JourneyDifference::Part::stage,
      JourneyDifference::Part::settings,
      JourneyDifference::Part::touchpoint, JourneyDifference::Part::transition,
      JourneyDifference::Part::persona, JourneyDifference::Part::calendar,
      JourneyDifference::Part::resource, JourneyDifference::Part::word_of_mouth,
      JourneyDifference::Part::returns};
  for (JourneyDifference::Part part : parts) {
    std::string lines;
    for (const JourneyDifference& d : differences) {
      if (d.part == part) lines += line_for(d);
    }
    if (lines.empty()) continue;
    out += heading(part);
    out += '\n';
    out += lines;
  }
  return out;
}

nlohmann::json differences_to_json(const std::vector<JourneyDifference>& differences) {
  nlohmann::json list = nlohmann::json::array();
  for (const JourneyDifference& d : differences) {
    nlohmann::json item = {{"part", part_name(d.part)}, {"change", change_name(d.change)}};
    if (!d.id.empty()) item["id"] = d.id;
    if (d.part == JourneyDifference::Part::transition) {
      item["from"] = d.from;
      item["to"] = d.to;
    }
    nlohmann::json fields = nlohmann::json::array();
    for (const FieldChange& f : d.fields) {
      fields.push_back(
          {{"field", f.field}, {"before", value_json(f.before)}, {"after", value_json(f.after)}});
    }
    item["fields"] = std::move(fields);
    if (!d.note.empty()) item["note"] = d.note;
    list.push_back(std::move(item));
  }
  return list;
}

const char* part_name(JourneyDifference::Part part) {
  switch (part) {
    case JourneyDifference::Part::journey:
      return "journey";
    case JourneyDifference::Part::settings:
      return "settings";
    case JourneyDifference::Part::touchpoint:
      return "touchpoint";
    case JourneyDifference::Part::transition:
      return "transition";
    case JourneyDifference::Part::persona:
      return "persona";
    case JourneyDifference::Part::calendar:
      return "calendar";
    case JourneyDifference::Part::resource:
      return "resource";
    case JourneyDifference::Part::word_of_mouth:
      return "word_of_mouth";
    case JourneyDifference::Part::returns:
      return "returns";
    case JourneyDifference::Part::stage:
      return "stage";
  }
  return "";
}

const char* change_name(JourneyDifference::Change change) {
  switch (change) {
    case JourneyDifference::Change::removed:
      return "removed";
    case JourneyDifference::Change::added:
      return "added";
    case JourneyDifference::Change::changed:
      return "changed";
  }
  return "";
}

}  // namespace cjsim
