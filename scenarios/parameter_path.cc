// Parameter paths: parsing, checking against a scenario, reading and setting the field.
#include "scenarios/parameter_path.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <set>
#include <variant>
#include <vector>

#include "scenarios/did_you_mean.h"
#include "scenarios/fields.h"

namespace cjsim {
namespace {

constexpr std::string_view kForms =
    "a path is touchpoints.<id>.<field>, transitions.<from>-><to>.<field>, "
    "personas.<id>.<field>, settings.<field>, or for a calendar journey calendar.<field>, "
    "resources.<id>.<field>, word_of_mouth.<field> or returns.<field>";

// The names a path may end with for one part: its sweepable fields' names, and their older
// spellings when `aliases` (so that experiment files written with them still run).
template <class Entity>
std::vector<std::string> sweepable(std::span<const Field<Entity>> table, bool aliases) {
  std::vector<std::string> names;
  for (const Field<Entity>& field : table) {
    // A map or list of numbers (channel_affinity, a persona's own numbers) is named entry by
    // entry, with a prefix of its own.
    if (!field.sweepable || field.ref == nullptr) continue;
    names.emplace_back(field.name);
    if (aliases && !field.alias.empty()) names.emplace_back(field.alias);
  }
  return names;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

// Splits "<name>.<field>" where the field is one of `fields` (which may hold dots, and so may
// the name): the longest field that ends the text wins.
template <class Fields>
bool split_field(std::string_view rest, const Fields& fields, std::string& name,
                 std::string& field) {
  std::size_t best = 0;
  for (std::string_view f : fields) {
    if (rest.size() > f.size() + 1 && rest.ends_with(f) &&
        rest[rest.size() - f.size() - 1] == '.' && f.size() > best) {
      best = f.size();
    }
  }
  if (best == 0) return false;
  name = std::string(rest.substr(0, rest.size() - best - 1));
  field = std::string(rest.substr(rest.size() - best));
  return true;
}

std::string field_error(std::string_view entity, std::string_view rest,
                        const std::vector<std::string>& fields) {
  const std::size_t dot = rest.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? rest : rest.substr(dot + 1);
  return fmt::format("no {} field at the end of '{}'{} (the fields are {})", entity, rest,
                     did_you_mean(last, fields), join_names(fields));
}

Touchpoint* find_touchpoint(Scenario& s, std::string_view id) {
  for (Touchpoint& t : s.touchpoints) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

Persona* find_persona(Scenario& s, std::string_view id) {
  for (Persona& p : s.personas) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

// The value a path names, or why the scenario has none.
struct Target {
  std::optional<FieldRef> ref;
  std::string error;
};

// The field `name` of `entity`; a path built in code may name a field the table lacks.
template <class Entity>
Target field_target(std::span<const Field<Entity>> table, std::string_view name, Entity& entity) {
  const Field<Entity>* field = find_field(table, name);
  if (field == nullptr || field->ref == nullptr) {
    return {std::nullopt, fmt::format("'{}' is no field that a path can vary", name)};
  }
  return {field->ref(entity), ""};
}

// Why a touchpoint's duration (or conversion) field means nothing for it, or "" when it does.
// A path "duration" names the hours of a fixed duration or, as it always has, the mean of an
// exponential one.
std::string why_not(const Touchpoint& t, const Field<Touchpoint>& field) {
  using Kind = Duration::Kind;
  if (field_applies(field, t)) return "";
  if (field.form == FieldForm::conversion) {
    return fmt::format("touchpoint '{}' is not a conversion touchpoint, so it has no {}", t.id,
                       field.name);
  }
  if (t.duration.kind == Kind::lognormal) {
    return fmt::format(
        "touchpoint '{}' has a lognormal duration; vary duration.lognormal.median or "
        "duration.lognormal.sigma",
        t.id);
  }
  if (field.name.starts_with("duration.lognormal.")) {
    return fmt::format(
        "touchpoint '{}' has no lognormal duration, so no {}; vary duration (its hours, or the "
        "exponential mean)",
        t.id, field.name);
  }
  return fmt::format("touchpoint '{}' has a fixed duration, so no {}; vary duration (its hours)",
                     t.id, field.name);
}

Target touchpoint_target(Scenario& s, const ParameterPath& p) {
  Touchpoint* v = find_touchpoint(s, p.id);
  if (v == nullptr) {
    std::vector<std::string> ids;
    for (const Touchpoint& x : s.touchpoints) ids.push_back(x.id);
    return {std::nullopt,
            fmt::format("no touchpoint '{}' in the scenario{}", p.id, did_you_mean(p.id, ids))};
  }
  std::string_view name = p.field;
  if (name == "duration" && v->duration.kind == Duration::Kind::exponential) {
    name = "duration.exponential";
  }
  const Field<Touchpoint>* field = find_field(touchpoint_fields(), name);
  if (field != nullptr) {
    if (std::string why = why_not(*v, *field); !why.empty()) return {std::nullopt, why};
  }
  return field_target(touchpoint_fields(), name, *v);
}

Target transition_target(Scenario& s, const ParameterPath& p) {
  for (Transition& e : s.transitions) {
    if (e.from == p.from && e.to == p.to) {
      return field_target(transition_fields(), p.field, e);
    }
  }
  std::vector<std::string> pairs;
  for (const Transition& e : s.transitions) pairs.push_back(e.from + "->" + e.to);
  return {std::nullopt, fmt::format("no transition '{}' -> '{}' in the scenario{}", p.from, p.to,
                                    did_you_mean(p.from + "->" + p.to, pairs))};
}

// One of the persona's own numbers (MODEL.md 1.12): "entry.<touchpoint>",
// "dropout.<touchpoint>" or "transitions.<from>-><to>", which the persona must already have
// (giving a persona one changes what its other numbers mean: its entry weights replace the
// journey's whole), or nullopt when the field is none of these.
std::optional<Target> persona_own_target(Persona& q, const std::string& field) {
  const auto missing = [&](std::string_view what, std::vector<std::string> names) {
    return Target{std::nullopt,
                  fmt::format("persona '{}' has no {} of its own{} (its own: {}); write it in the "
                              "persona first",
                              q.id, what, did_you_mean(field, names),
                              names.empty() ? std::string("none") : join_names(names))};
  };
  if (field.starts_with(kPersonaEntryPrefix)) {
    const std::string id = field.substr(kPersonaEntryPrefix.size());
    auto it = q.entry.find(id);
    if (it != q.entry.end()) return Target{&it->second, ""};
    std::vector<std::string> names;
    for (const auto& [name, weight] : q.entry) names.push_back("entry." + name);
    return missing(fmt::format("entry weight for '{}'", id), names);
  }
  if (field.starts_with(kPersonaDropoutPrefix)) {
    const std::string id = field.substr(kPersonaDropoutPrefix.size());
    auto it = q.dropout.find(id);
    if (it != q.dropout.end()) return Target{&it->second, ""};
    std::vector<std::string> names;
    for (const auto& [name, dropout] : q.dropout) names.push_back("dropout." + name);
    return missing(fmt::format("dropout at '{}'", id), names);
  }
  if (field.starts_with(kPersonaTransitionPrefix)) {
    const std::string pair = field.substr(kPersonaTransitionPrefix.size());
    std::vector<std::string> names;
    for (PersonaTransition& t : q.transitions) {
      if (t.from + "->" + t.to == pair) return Target{&t.weight, ""};
      names.push_back("transitions." + t.from + "->" + t.to);
    }
    return missing(fmt::format("weight for the transition '{}'", pair), names);
  }
  return std::nullopt;
}

// For channel_affinity.<channel>, a persona without an entry gets one (the default, 1).
Target persona_target(Scenario& s, const ParameterPath& p) {
  Persona* q = find_persona(s, p.id);
  if (q == nullptr) {
    std::vector<std::string> ids;
    for (const Persona& x : s.personas) ids.push_back(x.id);
    return {std::nullopt, fmt::format("no persona '{}' in the scenario{} (its personas: {})", p.id,
                                      did_you_mean(p.id, ids), join_names(ids))};
  }
  if (std::optional<Target> own = persona_own_target(*q, p.field)) return *own;
  if (!p.field.starts_with(kAffinityPrefix)) {
    return field_target(persona_fields(), p.field, *q);
  }
  const std::string channel = p.field.substr(kAffinityPrefix.size());
  std::set<std::string> channels;
  for (const Touchpoint& v : s.touchpoints) channels.insert(v.channel);
  if (!channels.contains(channel)) {
    return {std::nullopt,
            fmt::format("no touchpoint has the channel '{}'{} (the channels: {})", channel,
                        did_you_mean(channel, channels), join_names(channels))};
  }
  return {&q->channel_affinity.try_emplace(channel, 1.0).first->second, ""};
}

Target resource_target(Scenario& s, const ParameterPath& p) {
  std::vector<std::string> ids;
  for (Resource& r : s.resources) {
    if (r.id == p.id) return field_target(resource_fields(), p.field, r);
    ids.push_back(r.id);
  }
  return {std::nullopt,
          fmt::format("no resource '{}' in the scenario{}", p.id, did_you_mean(p.id, ids))};
}

// A part a journey may lack: the path names nothing there until the journey has it.
template <class Entity>
Target optional_target(std::optional<Entity>& part, std::span<const Field<Entity>> table,
                       const ParameterPath& p, std::string_view key) {
  if (!part) return {std::nullopt, fmt::format("the scenario has no {}", key)};
  return field_target(table, p.field, *part);
}

Target target_of(Scenario& s, const ParameterPath& p) {
  switch (p.entity) {
    case ParameterPath::Entity::touchpoint:
      return touchpoint_target(s, p);
    case ParameterPath::Entity::transition:
      return transition_target(s, p);
    case ParameterPath::Entity::persona:
      return persona_target(s, p);
    case ParameterPath::Entity::settings:
      return field_target(settings_fields(), p.field, s.settings);
    case ParameterPath::Entity::calendar:
      return optional_target(s.calendar, calendar_fields(), p, "calendar");
    case ParameterPath::Entity::resource:
      return resource_target(s, p);
    case ParameterPath::Entity::word_of_mouth:
      return optional_target(s.word_of_mouth, word_of_mouth_fields(), p, "word_of_mouth");
    case ParameterPath::Entity::returns:
      return optional_target(s.returns, returns_fields(), p, "returns");
  }
  return {};
}

// Whether `name` in `table` is a field of whole numbers, as a default part's member shows.
template <class Entity>
bool whole_number_field(std::span<const Field<Entity>> table, std::string_view name) {
  const Field<Entity>* field = find_field(table, name);
  if (field == nullptr) return false;
  Entity part{};
  const FieldRef ref = field->ref(part);
  return std::holds_alternative<std::int64_t*>(ref) ||
         std::holds_alternative<std::optional<std::uint64_t>*>(ref);
}

// `visit(table)` with the field table of the part `path` names.
template <class Visit>
auto visit_field_table(const ParameterPath& path, Visit visit) {
  switch (path.entity) {
    case ParameterPath::Entity::touchpoint:
      return visit(touchpoint_fields());
    case ParameterPath::Entity::transition:
      return visit(transition_fields());
    case ParameterPath::Entity::persona:
      return visit(persona_fields());
    case ParameterPath::Entity::calendar:
      return visit(calendar_fields());
    case ParameterPath::Entity::resource:
      return visit(resource_fields());
    case ParameterPath::Entity::word_of_mouth:
      return visit(word_of_mouth_fields());
    case ParameterPath::Entity::returns:
      return visit(returns_fields());
    case ParameterPath::Entity::settings:
      break;
  }
  return visit(settings_fields());
}

}  // namespace

bool is_whole_number_parameter(const ParameterPath& path) {
  return visit_field_table(path, [&](auto table) { return whole_number_field(table, path.field); });
}

std::string_view parameter_unit(const ParameterPath& path) {
  // channel_affinity.<channel> is one field of the table, whatever the channel; so are a
  // persona's own entry.<touchpoint>, dropout.<touchpoint> and transitions.<from>-><to>.
  std::string_view name = path.field;
  if (path.entity == ParameterPath::Entity::persona) {
    for (std::string_view prefix : {kAffinityPrefix, kPersonaEntryPrefix, kPersonaDropoutPrefix,
                                    kPersonaTransitionPrefix}) {
      if (path.field.starts_with(prefix)) name = prefix.substr(0, prefix.size() - 1);
    }
  }
  return visit_field_table(path, [&](auto table) {
    const auto* field = find_field(table, name);
    return field == nullptr ? std::string_view() : field->unit;
  });
}

std::string touchpoint_path(std::string_view id, std::string_view field) {
  return fmt::format("touchpoints.{}.{}", id, field);
}

std::string transition_path(std::string_view from, std::string_view to, std::string_view field) {
  return fmt::format("transitions.{}->{}.{}", from, to, field);
}

std::string persona_path(std::string_view id, std::string_view field) {
  return fmt::format("personas.{}.{}", id, field);
}

std::string settings_path(std::string_view field) { return fmt::format("settings.{}", field); }

std::optional<ParameterPath> parse_parameter_path(std::string_view text, std::string& error) {
  ParameterPath p;
  p.text = std::string(text);
  const std::size_t dot = text.find('.');
  if (dot == std::string_view::npos || dot + 1 == text.size()) {
    error = fmt::format("'{}' is not a parameter path: {}", text, kForms);
    return std::nullopt;
  }
  const std::string_view head = text.substr(0, dot);
  const std::string_view rest = text.substr(dot + 1);
  using Entity = ParameterPath::Entity;
  if (head == "touchpoints") {
    p.entity = Entity::touchpoint;
    if (!split_field(rest, sweepable(touchpoint_fields(), true), p.id, p.field)) {
      error = field_error("touchpoint", rest, sweepable(touchpoint_fields(), false));
      return std::nullopt;
    }
    p.field = find_field(touchpoint_fields(), p.field)->name;
  } else if (head == "transitions") {
    p.entity = Entity::transition;
    std::string pair;
    if (!split_field(rest, sweepable(transition_fields(), true), pair, p.field)) {
      error = field_error("transition", rest, sweepable(transition_fields(), false));
      return std::nullopt;
    }
    const std::size_t arrow = pair.find("->");
    if (arrow == std::string::npos) {
      error = fmt::format(
          "'{}' names no transition: write it as <from>-><to>, as in "
          "transitions.cart->checkout.weight",
          pair);
      return std::nullopt;
    }
    p.from = std::string(trim(std::string_view(pair).substr(0, arrow)));
    p.to = std::string(trim(std::string_view(pair).substr(arrow + 2)));
    if (p.from.empty() || p.to.empty()) {
      error = fmt::format("'{}' names no transition: both ends of <from>-><to> are needed", pair);
      return std::nullopt;
    }
  } else if (head == "personas") {
    p.entity = Entity::persona;
    // A field whose name goes on after a prefix: channel_affinity.<channel>, and the persona's
    // own entry.<touchpoint>, dropout.<touchpoint> and transitions.<from>-><to>.
    std::size_t at = std::string_view::npos;
    for (std::string_view prefix : {kAffinityPrefix, kPersonaEntryPrefix, kPersonaDropoutPrefix,
                                    kPersonaTransitionPrefix}) {
      const std::size_t found = rest.find(std::string(".") + std::string(prefix));
      if (found != std::string_view::npos && found + 1 + prefix.size() < rest.size() &&
          found < at) {
        at = found;
      }
    }
    if (at != std::string_view::npos) {
      p.id = std::string(rest.substr(0, at));
      p.field = std::string(rest.substr(at + 1));
    } else if (!split_field(rest, sweepable(persona_fields(), true), p.id, p.field)) {
      std::vector<std::string> fields = sweepable(persona_fields(), false);
      fields.emplace_back("channel_affinity.<channel>");
      fields.emplace_back("entry.<touchpoint>");
      fields.emplace_back("dropout.<touchpoint>");
      fields.emplace_back("transitions.<from>-><to>");
      error = field_error("persona", rest, fields);
      return std::nullopt;
    }
  } else if (head == "settings") {
    p.entity = Entity::settings;
    p.field = std::string(rest);
    const std::vector<std::string> fields = sweepable(settings_fields(), false);
    if (std::find(fields.begin(), fields.end(), p.field) == fields.end()) {
      error = fmt::format("no numeric setting '{}'{} (the settings that can vary: {})", rest,
                          did_you_mean(rest, fields), join_names(fields));
      return std::nullopt;
    }
  } else if (head == "resources") {
    p.entity = Entity::resource;
    if (!split_field(rest, sweepable(resource_fields(), false), p.id, p.field)) {
      error = field_error("resource", rest, sweepable(resource_fields(), false));
      return std::nullopt;
    }
  } else if (head == "calendar" || head == "word_of_mouth" || head == "returns") {
    p.field = std::string(rest);
    std::vector<std::string> fields;
    if (head == "calendar") {
      p.entity = Entity::calendar;
      fields = sweepable(calendar_fields(), false);
    } else if (head == "word_of_mouth") {
      p.entity = Entity::word_of_mouth;
      fields = sweepable(word_of_mouth_fields(), false);
    } else {
      p.entity = Entity::returns;
      fields = sweepable(returns_fields(), false);
    }
    if (std::find(fields.begin(), fields.end(), p.field) == fields.end()) {
      error = fmt::format("no numeric field '{}' in {}{} (the fields that can vary: {})", rest,
                          head, did_you_mean(rest, fields), join_names(fields));
      return std::nullopt;
    }
  } else {
    const std::array<std::string, 8> heads = {"touchpoints", "transitions",   "personas",
                                              "settings",    "calendar",      "resources",
                                              "word_of_mouth", "returns"};
    error = fmt::format(
        "'{}' does not start with touchpoints, transitions, personas, settings, calendar, "
        "resources, word_of_mouth or returns{}; {}",
        text, did_you_mean(head, heads), kForms);
    return std::nullopt;
  }
  return p;
}

std::optional<std::string> check_parameter_path(const Scenario& scenario,
                                                const ParameterPath& path) {
  Scenario copy = scenario;  // target_of may add a channel affinity entry
  const Target t = target_of(copy, path);
  if (!t.error.empty()) return t.error;
  return std::nullopt;
}

double parameter_value(const Scenario& scenario, const ParameterPath& path) {
  // Only a channel affinity's target can change the scenario (it adds the entry, at 1); any
  // other field is read in place, since a sweep reads every point's values (sweep_reference).
  const bool adds = path.entity == ParameterPath::Entity::persona &&
                    path.field.starts_with(kAffinityPrefix);
  std::optional<Scenario> copy;
  if (adds) copy = scenario;
  const Target t = target_of(adds ? *copy : const_cast<Scenario&>(scenario), path);
  return t.ref ? number_in(*t.ref) : std::numeric_limits<double>::quiet_NaN();
}

std::optional<std::string> set_parameter(Scenario& scenario, const ParameterPath& path,
                                         double value) {
  const Target t = target_of(scenario, path);
  if (!t.error.empty()) return t.error;
  if (auto* number = std::get_if<double*>(&*t.ref)) {
    **number = value;
  } else if (auto* optional = std::get_if<std::optional<double>*>(&*t.ref)) {
    **optional = value;
  } else if (auto* whole = std::get_if<std::int64_t*>(&*t.ref)) {
    // 2^53: every integer below it is exact as a double.
    if (!std::isfinite(value) || value != std::floor(value) || std::fabs(value) > 0x1.0p53) {
      return fmt::format("{} must be a whole number, not {}", path.text, value);
    }
    **whole = static_cast<std::int64_t>(value);
  }
  return std::nullopt;
}

}  // namespace cjsim
