// Applying a future state's changes to its base: each change finds what it names, then adds,
// updates (with the same field readers as a whole file) or removes it.
#include "scenarios/changes.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "scenarios/did_you_mean.h"
#include "scenarios/entity_reader.h"

namespace cjsim {
namespace {

using detail::describe;
using detail::Fill;
using detail::MapReader;
using detail::Reading;
using detail::YamlNode;

constexpr std::string_view kEndKeys[] = {"from", "to"};
constexpr std::string_view kRemoveTouchpointKeys[] = {"id", "entry_traffic"};

std::string quoted_transition(std::string_view from, std::string_view to) {
  return fmt::format("'{}' -> '{}'", from, to);
}

// The changes of one file, applied one at a time to the scenario they change.
class ChangeList {
 public:
  ChangeList(Scenario& scenario, Reading& reading) : scenario_(scenario), reading_(reading) {}

  void apply(const YamlNode& item, std::size_t index) {
    number_ = index + 1;
    reading_.context = fmt::format("change {}: ", number_);
    const std::optional<std::size_t> kind = kind_of(item);
    if (!kind) return;
    reading_.context = fmt::format("change {} ({}): ", number_, kChangeKinds[*kind]);
    const YamlNode value = item.value(0);
    switch (*kind) {
      case 0:
        return add_touchpoint(value);
      case 1:
        return update_touchpoint(value);
      case 2:
        return remove_touchpoint(value);
      case 3:
        return add_transition(value);
      case 4:
        return update_transition(value);
      case 5:
        return reweight_transition(value);
      case 6:
        return remove_transition(value);
      case 7:
        return add_persona(value);
      case 8:
        return update_persona(value);
      case 9:
        return remove_persona(value);
      case 10:
        return update_settings(value);
      case 11:
        return update_calendar(value);
      case 12:
        return add_resource(value);
      case 13:
        return update_resource(value);
      case 14:
        return remove_resource(value);
      case 15:
        return update_word_of_mouth(value);
      case 16:
        return update_returns(value);
      case 17:
        return update_stage(value);
    }
  }

 private:
  static_assert(std::size(kChangeKinds) == 18, "apply() handles each kind of change by index");

  // The index in kChangeKinds of the one kind `item` names, after saying what is wrong if it
  // names none, an unknown one or several.
  std::optional<std::size_t> kind_of(const YamlNode& item) {
    const SourceLocation where = reading_.at(item);
    if (!item.is_map()) {
      reading_.error(where, fmt::format("expected one change as a map, such as "
                                        "'remove_touchpoint: ID' or 'update_touchpoint: {{id: "
                                        "ID, ...}}', got {}",
                                        describe(item)));
      return std::nullopt;
    }
    if (item.size() == 0) {
      reading_.error(where,
                     "the change is empty; write one kind of change, such as "
                     "'update_touchpoint: {id: ID, ...}'");
      return std::nullopt;
    }
    std::vector<std::string> kinds;
    for (std::size_t i = 0; i < item.size(); ++i) {
      const YamlNode key = item.key(i);
      kinds.push_back(key.is_scalar() ? std::string(key.text()) : describe(key));
    }
    if (kinds.size() > 1) {
      change_place_ = reading_.at(item.key(1));
      reading_.error(change_place_,
                     fmt::format("one change has two kinds, {}; write each change as its own "
                                 "list item, each starting with '-'",
                                 join_names(kinds, " and ")));
      return std::nullopt;
    }
    change_place_ = reading_.at(item.key(0));
    const auto found = std::find(std::begin(kChangeKinds), std::end(kChangeKinds), kinds.front());
    if (found == std::end(kChangeKinds)) {
      std::string message = fmt::format("unknown change '{}'", kinds.front());
      const std::string suggestion = did_you_mean(kinds.front(), kChangeKinds);
      message += suggestion.empty()
                     ? fmt::format("; the kinds of change are: {}", join_names(kChangeKinds))
                     : suggestion;
      reading_.error(change_place_, std::move(message));
      return std::nullopt;
    }
    return static_cast<std::size_t>(found - std::begin(kChangeKinds));
  }

  // --- finding what a change names ------------------------------------------------------------

  // The text of `key` in the map `value`, the id of the entity an update changes; after saying
  // what is missing when there is none.
  std::optional<std::string> identity(const YamlNode& value, std::string_view key,
                                      std::string_view entity, SourceLocation& where) {
    where = reading_.at(value);
    if (!value.is_map()) {
      reading_.error(change_place_,
                     fmt::format("expected a map with the {}'s {} and the fields to change, got {}",
                                 entity, key, describe(value)));
      return std::nullopt;
    }
    for (std::size_t i = 0; i < value.size(); ++i) {
      const YamlNode name = value.key(i);
      const YamlNode spelled = value.value(i);
      if (!name.is_scalar() || name.text() != key) continue;
      where = reading_.at(name);
      if (!spelled.is_scalar() || spelled.text().empty()) {
        reading_.error(where, fmt::format("expected the {}'s {} for '{}', got {}", entity, key, key,
                                          describe(spelled)));
        return std::nullopt;
      }
      return std::string(spelled.text());
    }
    reading_.error(where,
                   fmt::format("missing required key '{}': which {} to change", key, entity));
    return std::nullopt;
  }

  Touchpoint* find_touchpoint(std::string_view id) {
    auto& all = scenario_.touchpoints;
    auto it = std::find_if(all.begin(), all.end(), [&](const Touchpoint& t) { return t.id == id; });
    return it == all.end() ? nullptr : &*it;
  }

  Persona* find_persona(std::string_view id) {
    auto& all = scenario_.personas;
    auto it = std::find_if(all.begin(), all.end(), [&](const Persona& p) { return p.id == id; });
    return it == all.end() ? nullptr : &*it;
  }

  Transition* find_transition(std::string_view from, std::string_view to) {
    auto& all = scenario_.transitions;
    auto it = std::find_if(all.begin(), all.end(),
                           [&](const Transition& t) { return t.from == from && t.to == to; });
    return it == all.end() ? nullptr : &*it;
  }

  bool has_way_on(std::string_view id) const {
    return std::any_of(scenario_.transitions.begin(), scenario_.transitions.end(),
                       [&](const Transition& t) { return t.from == id; });
  }

  // "no touchpoint 'web_chekout' in the base journey; did you mean 'web_checkout'?"
  std::string no_touchpoint(const std::string& id) const {
    if (auto removed = removed_touchpoints_.find(id); removed != removed_touchpoints_.end()) {
      return fmt::format("no touchpoint '{}': change {} removed it", id, removed->second);
    }
    std::vector<std::string> ids;
    for (const Touchpoint& t : scenario_.touchpoints) ids.push_back(t.id);
    return fmt::format("no touchpoint '{}' in the base journey{}", id, did_you_mean(id, ids));
  }

  std::string no_persona(const std::string& id) const {
    if (auto removed = removed_personas_.find(id); removed != removed_personas_.end()) {
      return fmt::format("no persona '{}': change {} removed it", id, removed->second);
    }
    std::vector<std::string> ids;
    for (const Persona& p : scenario_.personas) ids.push_back(p.id);
    std::string suggestion = did_you_mean(id, ids);
    if (suggestion.empty()) suggestion = fmt::format("; the personas are: {}", join_names(ids));
    return fmt::format("no persona '{}' in the base journey{}", id, suggestion);
  }

  std::string no_transition(const std::string& from, const std::string& to) {
    if (!find_touchpoint(from)) return no_touchpoint(from);
    if (!find_touchpoint(to)) return no_touchpoint(to);
    std::vector<std::string> targets;
    for (const Transition& t : scenario_.transitions) {
      if (t.from == from) targets.push_back(t.to);
    }
    std::string message =
        fmt::format("no transition {} in the base journey", quoted_transition(from, to));
    if (targets.empty()) return message + fmt::format("; '{}' has no transition out", from);
    const std::optional<std::string> nearest = nearest_name(to, targets);
    if (nearest)
      return message + fmt::format("; did you mean {}?", quoted_transition(from, *nearest));
    return message +
           fmt::format("; the transitions out of '{}' go to {}", from, join_names(targets));
  }

  // The transition a {from, to, ...} change names, or nullptr after saying why there is none.
  Transition* named_transition(MapReader& map) {
    std::string from, to;
    const bool has_from = map.required_text("from", from);
    const bool has_to = map.required_text("to", to);
    if (!has_from || !has_to) return nullptr;
    Transition* transition = find_transition(from, to);
    if (!transition) reading_.error(map.where("to"), no_transition(from, to));
    return transition;
  }

  // --- touchpoints ----------------------------------------------------------------------------

  void add_touchpoint(const YamlNode& value) {
    const std::size_t errors = reading_.diagnostics.error_count();
    Touchpoint touchpoint;
    read_touchpoint(reading_, value, detail::owner_name("touchpoint", value, 0), Fill::whole,
                    touchpoint);
    if (reading_.diagnostics.error_count() > errors) return;
    if (const Touchpoint* existing = find_touchpoint(touchpoint.id)) {
      reading_.error(touchpoint.fields["id"],
                     fmt::format("touchpoint '{}' already exists{}; use update_touchpoint to "
                                 "change it",
                                 touchpoint.id, written_at(existing->where)));
      return;
    }
    removed_touchpoints_.erase(touchpoint.id);
    scenario_.touchpoints.push_back(std::move(touchpoint));
  }

  void update_touchpoint(const YamlNode& value) {
    SourceLocation where;
    const std::optional<std::string> id = identity(value, "id", "touchpoint", where);
    if (!id) return;
    Touchpoint* touchpoint = find_touchpoint(*id);
    if (!touchpoint) {
      reading_.error(where, no_touchpoint(*id));
      return;
    }
    read_touchpoint(reading_, value, fmt::format("touchpoint '{}'", *id), Fill::onto, *touchpoint);
  }

  // The touchpoint a remove_touchpoint change names, written bare (`remove_touchpoint: ID`) or
  // as a map (`{id: ID, entry_traffic: lost | redistributed}`), and what becomes of its entry
  // traffic: lost unless the change says redistributed. nullopt after saying what is wrong.
  struct TouchpointRemoval {
    std::string id;
    SourceLocation where;      // of the id
    bool entry_lost = true;
    bool entry_traffic_written = false;
  };
  std::optional<TouchpointRemoval> touchpoint_removal(const YamlNode& value) {
    TouchpointRemoval removal;
    removal.where = reading_.at(value);
    if (value.is_scalar() && !value.text().empty()) {
      removal.id = value.text();
      return removal;
    }
    if (!value.is_map()) {
      reading_.error(removal.where,
                     fmt::format("expected the id of the touchpoint to remove (remove_touchpoint: "
                                 "ID, or {{id: ID, entry_traffic: lost | redistributed}}), got {}",
                                 describe(value)));
      return std::nullopt;
    }
    FieldLocations places;
    MapReader map(reading_, value, "the touchpoint to remove", kRemoveTouchpointKeys, places, "",
                  MapReader::Empty::refused);
    const bool has_id = map.required_text("id", removal.id);
    removal.where = map.where("id");
    std::string traffic;
    if (map.text("entry_traffic", traffic)) {
      if (traffic != "lost" && traffic != "redistributed") {
        map.error("entry_traffic",
                  fmt::format("entry_traffic must be lost (the agents who would start at the "
                              "touchpoint leave at once) or redistributed (they start at the "
                              "other entries), got '{}'",
                              traffic));
        return std::nullopt;
      }
      removal.entry_lost = traffic == "lost";
      removal.entry_traffic_written = true;
    } else if (map.has("entry_traffic")) {
      return std::nullopt;
    }
    if (!has_id) return std::nullopt;
    return removal;
  }

  // The sum of the entry weights the entry draw sees: the touchpoints' and the lost entries'.
  double entry_weight_total() const {
    double total = 0.0;
    for (const Touchpoint& t : scenario_.touchpoints) total += t.entry_weight;
    for (const LostEntry& lost : scenario_.lost_entries) total += lost.entry_weight;
    return total;
  }

  // Keeps the lost entries' places in the entry draw's order when the touchpoint at `index`
  // goes; a lost entry of its own goes in at its place, after the lost entries that stood
  // before the touchpoint and before those that stood after it.
  void remove_from_entry_order(std::size_t index, std::optional<LostEntry> lost) {
    auto& all = scenario_.lost_entries;
    auto after = std::find_if(all.begin(), all.end(),
                              [&](const LostEntry& e) { return e.position > index; });
    for (auto it = after; it != all.end(); ++it) --it->position;
    if (lost) all.insert(after, std::move(*lost));
  }

  // Takes the touchpoint away with every transition into or out of it; an entry's traffic is
  // lost (recorded in scenario.lost_entries) unless the change says redistributed.
  void remove_touchpoint(const YamlNode& value) {
    const std::optional<TouchpointRemoval> asked = touchpoint_removal(value);
    if (!asked) return;
    const std::string& id = asked->id;
    const Touchpoint* touchpoint = find_touchpoint(id);
    if (!touchpoint) {
      reading_.error(asked->where, no_touchpoint(id));
      return;
    }
    // A persona's own entry weights are a whole distribution of its own: removing one of its
    // entries would say nothing of where that traffic goes (MODEL.md 1.12).
    for (const Persona& p : scenario_.personas) {
      auto own = p.entry.find(id);
      if (own == p.entry.end() || !(own->second > 0.0)) continue;
      reading_.error(asked->where,
                     fmt::format("'{}' is an entry of persona '{}' (its own entry weights): "
                                 "write update_persona: {{id: {}, entry: {{...}}}} without it "
                                 "before removing it",
                                 id, p.id, p.id));
      return;
    }
    Removal removal{fmt::format("'{}'", id), change_place_, {}, {}, 0.0, false, false};
    const std::size_t index = static_cast<std::size_t>(touchpoint - scenario_.touchpoints.data());
    std::optional<LostEntry> lost;
    if (touchpoint->entry_weight > 0.0) {
      removal.entry_share = touchpoint->entry_weight / entry_weight_total();
      removal.entry_lost = asked->entry_lost;
      removal.entry_traffic_written = asked->entry_traffic_written;
      if (asked->entry_lost) {
        lost = LostEntry{id, touchpoint->channel, touchpoint->entry_weight, index, change_place_};
      }
    }
    std::vector<std::string> sources;
    for (const Transition& t : scenario_.transitions) {
      if (t.to == id && t.from != id) sources.push_back(t.from);
      if (t.from == id && t.to != id) removal.lost_way_in.push_back(t.to);
    }
    std::erase_if(scenario_.transitions,
                  [&](const Transition& t) { return t.from == id || t.to == id; });
    // The personas' own numbers there go with it.
    for (Persona& p : scenario_.personas) {
      p.entry.erase(id);
      p.dropout.erase(id);
      std::erase_if(p.transitions,
                    [&](const PersonaTransition& t) { return t.from == id || t.to == id; });
    }
    scenario_.touchpoints.erase(scenario_.touchpoints.begin() +
                                static_cast<std::ptrdiff_t>(index));
    remove_from_entry_order(index, std::move(lost));
    for (const std::string& source : sources) {
      const bool listed = std::find(removal.lost_way_on.begin(), removal.lost_way_on.end(),
                                    source) != removal.lost_way_on.end();
      if (!listed && !has_way_on(source)) removal.lost_way_on.push_back(source);
    }
    removed_touchpoints_[id] = number_;
    scenario_.removals.push_back(std::move(removal));
  }

  // --- transitions ----------------------------------------------------------------------------

  void add_transition(const YamlNode& value) {
    const std::size_t errors = reading_.diagnostics.error_count();
    Transition transition;
    read_transition(reading_, value, detail::transition_name(value, 0), Fill::whole, transition);
    if (reading_.diagnostics.error_count() > errors) return;
    bool ends_exist = true;
    for (const auto& [end, id] : {std::pair{"from", &transition.from}, {"to", &transition.to}}) {
      if (find_touchpoint(*id)) continue;
      reading_.error(transition.fields[end], no_touchpoint(*id));
      ends_exist = false;
    }
    if (!ends_exist) return;
    if (const Transition* existing = find_transition(transition.from, transition.to)) {
      reading_.error(transition.where,
                     fmt::format("transition {} already exists{}; use update_transition or "
                                 "reweight_transition to change it",
                                 quoted_transition(transition.from, transition.to),
                                 written_at(existing->where)));
      return;
    }
    scenario_.transitions.push_back(std::move(transition));
  }

  void update_transition(const YamlNode& value) {
    SourceLocation from_where, to_where;
    const std::optional<std::string> from = identity(value, "from", "transition", from_where);
    if (!from) return;
    const std::optional<std::string> to = identity(value, "to", "transition", to_where);
    if (!to) return;
    Transition* transition = find_transition(*from, *to);
    if (!transition) {
      reading_.error(to_where, no_transition(*from, *to));
      return;
    }
    read_transition(reading_, value, fmt::format("transition {}", quoted_transition(*from, *to)),
                    Fill::onto, *transition);
  }

  // Multiplies the weight by `factor`, or sets it to `weight`.
  void reweight_transition(const YamlNode& value) {
    FieldLocations places;
    MapReader map(reading_, value, "the transition to reweight", kReweightKeys, places, "",
                  MapReader::Empty::refused);
    Transition* transition = named_transition(map);
    if (!transition) return;
    if (map.has("factor") == map.has("weight")) {
      reading_.error(change_place_, map.has("factor")
                                        ? "give a factor or a weight, not both"
                                        : "missing 'factor' (multiplies the weight) or 'weight' "
                                          "(replaces it)");
      return;
    }
    if (map.has("weight")) {
      if (map.number("weight", transition->weight))
        transition->fields["weight"] = map.where("weight");
      return;
    }
    double factor = 0.0;
    if (!map.number("factor", factor)) return;
    if (factor <= 0.0) {
      map.error("factor", fmt::format("factor must be greater than 0, got {}; to take the "
                                      "transition away, use remove_transition",
                                      factor));
      return;
    }
    transition->weight *= factor;
    transition->fields["weight"] = map.where("factor");
  }

  void remove_transition(const YamlNode& value) {
    FieldLocations places;
    MapReader map(reading_, value, "the transition to remove", kEndKeys, places, "",
                  MapReader::Empty::refused);
    const Transition* transition = named_transition(map);
    if (!transition) return;
    const std::string from = transition->from;
    const std::string to = transition->to;
    std::erase_if(scenario_.transitions,
                  [&](const Transition& t) { return t.from == from && t.to == to; });
    for (Persona& p : scenario_.personas) {
      std::erase_if(p.transitions,
                    [&](const PersonaTransition& t) { return t.from == from && t.to == to; });
    }
    Removal removal{
        fmt::format("the transition {}", quoted_transition(from, to)),
        change_place_, {}, {to}, 0.0, false, false};
    if (!has_way_on(from)) removal.lost_way_on.push_back(from);
    scenario_.removals.push_back(std::move(removal));
  }

  // --- personas and settings ------------------------------------------------------------------

  void add_persona(const YamlNode& value) {
    const std::size_t errors = reading_.diagnostics.error_count();
    Persona persona;
    read_persona(reading_, value, detail::owner_name("persona", value, 0), Fill::whole, persona);
    if (reading_.diagnostics.error_count() > errors) return;
    if (const Persona* existing = find_persona(persona.id)) {
      reading_.error(persona.fields["id"],
                     fmt::format("persona '{}' already exists{}; use update_persona to change it",
                                 persona.id, written_at(existing->where)));
      return;
    }
    removed_personas_.erase(persona.id);
    scenario_.personas.push_back(std::move(persona));
  }

  void update_persona(const YamlNode& value) {
    SourceLocation where;
    const std::optional<std::string> id = identity(value, "id", "persona", where);
    if (!id) return;
    Persona* persona = find_persona(*id);
    if (!persona) {
      reading_.error(where, no_persona(*id));
      return;
    }
    read_persona(reading_, value, fmt::format("persona '{}'", *id), Fill::onto, *persona);
  }

  void remove_persona(const YamlNode& value) {
    const SourceLocation where = reading_.at(value);
    if (!value.is_scalar() || value.text().empty()) {
      reading_.error(where, fmt::format("expected the id of the persona to remove "
                                        "(remove_persona: ID), got {}",
                                        describe(value)));
      return;
    }
    const std::string id(value.text());
    if (!find_persona(id)) {
      reading_.error(where, no_persona(id));
      return;
    }
    std::erase_if(scenario_.personas, [&](const Persona& p) { return p.id == id; });
    removed_personas_[id] = number_;
  }

  void update_settings(const YamlNode& value) {
    detail::read_settings(reading_, value, scenario_.settings);
  }

  // A stage's words (description, goals); the stages themselves change with `stages:`.
  void update_stage(const YamlNode& value) {
    SourceLocation where;
    const std::optional<std::string> name = identity(value, "name", "stage", where);
    if (!name) return;
    const auto& stages = scenario_.stages;
    if (std::find(stages.begin(), stages.end(), *name) == stages.end()) {
      reading_.error(where, fmt::format("no stage '{}' in the base journey{}", *name,
                                        did_you_mean(*name, stages)));
      return;
    }
    auto [it, added] = scenario_.stage_words.try_emplace(*name);
    if (added) it->second.name = *name;
    detail::read_stage(reading_, value, fmt::format("stage '{}'", *name), Fill::onto, it->second);
  }

  // --- calendar journeys ---------------------------------------------------------------------

  // Changes the days or the arrivals (rate, profiles, start weekday); on a journey without a
  // calendar it adds one, which then needs days and arrivals_per_day.
  void update_calendar(const YamlNode& value) {
    const Fill fill = scenario_.calendar ? Fill::onto : Fill::whole;
    if (!scenario_.calendar) scenario_.calendar.emplace();
    detail::read_calendar(reading_, value, fill, *scenario_.calendar);
  }

  Resource* find_resource(std::string_view id) {
    auto& all = scenario_.resources;
    auto it = std::find_if(all.begin(), all.end(), [&](const Resource& r) { return r.id == id; });
    return it == all.end() ? nullptr : &*it;
  }

  std::string no_resource(const std::string& id) const {
    if (auto removed = removed_resources_.find(id); removed != removed_resources_.end()) {
      return fmt::format("no resource '{}': change {} removed it", id, removed->second);
    }
    std::vector<std::string> ids;
    for (const Resource& r : scenario_.resources) ids.push_back(r.id);
    std::string suggestion = did_you_mean(id, ids);
    if (suggestion.empty() && !ids.empty()) {
      suggestion = fmt::format("; the resources are: {}", join_names(ids));
    }
    return fmt::format("no resource '{}' in the base journey{}", id, suggestion);
  }

  void add_resource(const YamlNode& value) {
    const std::size_t errors = reading_.diagnostics.error_count();
    Resource resource;
    read_resource(reading_, value, detail::owner_name("resource", value, 0), Fill::whole,
                  resource);
    if (reading_.diagnostics.error_count() > errors) return;
    if (const Resource* existing = find_resource(resource.id)) {
      reading_.error(resource.fields["id"],
                     fmt::format("resource '{}' already exists{}; use update_resource to "
                                 "change it",
                                 resource.id, written_at(existing->where)));
      return;
    }
    removed_resources_.erase(resource.id);
    scenario_.resources.push_back(std::move(resource));
  }

  // Capacity, cost, lane, or the schedule (replaced whole: the shifts of the future state).
  void update_resource(const YamlNode& value) {
    SourceLocation where;
    const std::optional<std::string> id = identity(value, "id", "resource", where);
    if (!id) return;
    Resource* resource = find_resource(*id);
    if (!resource) {
      reading_.error(where, no_resource(*id));
      return;
    }
    read_resource(reading_, value, fmt::format("resource '{}'", *id), Fill::onto, *resource);
  }

  // Takes the resource away; touchpoints that still use it are validation's to report.
  void remove_resource(const YamlNode& value) {
    const SourceLocation where = reading_.at(value);
    if (!value.is_scalar() || value.text().empty()) {
      reading_.error(where, fmt::format("expected the id of the resource to remove "
                                        "(remove_resource: ID), got {}",
                                        describe(value)));
      return;
    }
    const std::string id(value.text());
    if (!find_resource(id)) {
      reading_.error(where, no_resource(id));
      return;
    }
    std::erase_if(scenario_.resources, [&](const Resource& r) { return r.id == id; });
    removed_resources_[id] = number_;
  }

  void update_word_of_mouth(const YamlNode& value) {
    if (!scenario_.word_of_mouth) scenario_.word_of_mouth.emplace();
    detail::read_word_of_mouth(reading_, value, *scenario_.word_of_mouth);
  }

  void update_returns(const YamlNode& value) {
    if (!scenario_.returns) scenario_.returns.emplace();
    detail::read_returns(reading_, value, *scenario_.returns);
  }

  // " (at retail.yaml:120)", where an entity that is already there was written.
  static std::string written_at(const SourceLocation& where) {
    if (where.line <= 0) return "";
    return fmt::format(" (at {}:{})", where.file, where.line);
  }

  Scenario& scenario_;
  Reading& reading_;
  std::size_t number_ = 0;       // of the change being applied, from 1
  SourceLocation change_place_;  // where its kind is written
  std::map<std::string, std::size_t, std::less<>> removed_touchpoints_;  // id -> change number
  std::map<std::string, std::size_t, std::less<>> removed_personas_;
  std::map<std::string, std::size_t, std::less<>> removed_resources_;
};

}  // namespace

void apply_changes(std::span<const YamlNode> changes, const std::string& path, Scenario& scenario,
                   Diagnostics& diagnostics) {
  Reading reading{path, diagnostics, ""};
  ChangeList list(scenario, reading);
  for (std::size_t i = 0; i < changes.size(); ++i) list.apply(changes[i], i);
}

}  // namespace cjsim
