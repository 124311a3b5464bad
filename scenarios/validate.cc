// The meaning checks on a Scenario, however it was built: the range of every number, the
// references between its parts, and the touchpoint graph (entries, reach, endless cycles).
#include "scenarios/validate.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/pending/queue.hpp>
#include <Eigen/Sparse>
#include <Eigen/SparseLU>
#include <deque>
#include <iterator>
#include <cctype>
#include <cmath>
#include <cstddef>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenarios/did_you_mean.h"
#include "scenarios/fields.h"
#include "scenarios/uncertain.h"
#include "scenarios/loader.h"
#include "scenarios/week_hours.h"

namespace cjsim {
namespace {

// Vertex i is touchpoint i; an edge per transition whose two ends name touchpoints.
using JourneyGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using Vertex = JourneyGraph::vertex_descriptor;
using Edge = JourneyGraph::edge_descriptor;

// Messages list the possible names only when there are this few.
constexpr std::size_t kMostListed = 12;

// Only these, so that ids are safe in file names, column headers and command lines.
bool is_valid_id(std::string_view id) {
  return std::all_of(id.begin(), id.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '_' || c == '-' || c == '.';
  });
}

std::string touchpoint_name(const Touchpoint& touchpoint, std::size_t index) {
  if (touchpoint.id.empty()) return fmt::format("touchpoint #{}", index + 1);
  return fmt::format("touchpoint '{}'", touchpoint.id);
}

std::string transition_name(const Transition& transition) {
  return fmt::format("transition '{}' -> '{}'", transition.from, transition.to);
}

std::string persona_name(const Persona& persona, std::size_t index) {
  if (persona.id.empty()) return fmt::format("persona #{}", index + 1);
  return fmt::format("persona '{}'", persona.id);
}

// "{a, b, c}"
std::string name_set(const std::vector<std::string>& names) {
  return "{" + join_names(names) + "}";
}

// "; the first is at line 12", when the first one's place is known.
std::string first_at(const SourceLocation& first) {
  if (first.line <= 0) return "";
  return fmt::format("; the first is at line {}", first.line);
}

// The vertices a breadth-first walk from `sources` reaches, in `graph` (the whole journey, or
// the part of it one persona can take).
template <typename Graph>
std::vector<bool> reached_from(const Graph& graph, const std::vector<Vertex>& sources) {
  const std::size_t count = boost::num_vertices(graph);
  std::vector<boost::default_color_type> colors(count, boost::white_color);
  auto color_map =
      boost::make_iterator_property_map(colors.begin(), boost::get(boost::vertex_index, graph));
  boost::queue<Vertex> buffer;
  boost::breadth_first_visit(graph, sources.begin(), sources.end(), buffer,
                             boost::default_bfs_visitor(), color_map);
  std::vector<bool> reached(count);
  for (std::size_t v = 0; v < count; ++v) reached[v] = colors[v] != boost::white_color;
  return reached;
}

// A transition's end that names no touchpoint (an error reported on its own).
constexpr std::size_t kNoTouchpoint = std::numeric_limits<std::size_t>::max();

// Each touchpoint's transitions out by index, in the scenario's order, those with an end that
// names no touchpoint left out.
struct TransitionsOut {
  std::vector<std::size_t> begin;        // per touchpoint, and one past the last
  std::vector<std::size_t> transitions;  // touchpoint v's: [begin[v], begin[v + 1])
  std::span<const std::size_t> of(std::size_t v) const {
    return std::span<const std::size_t>(transitions).subspan(begin[v], begin[v + 1] - begin[v]);
  }
};

}  // namespace

// What validation reads of a scenario's names alone (touchpoint ids, channels, stages, the
// transitions' ends): a design point has its base's, since its parameters change numbers only.
struct ValidationNames {
  std::map<std::string, std::size_t, std::less<>> index_of;  // id -> first touchpoint
  std::vector<std::string> ids;
  std::set<std::string, std::less<>> channels;
  // Sets, not scans: a journey may have a million touchpoints (and a hostile one as many stages).
  std::set<std::string, std::less<>> stage_set;
  std::set<std::string, std::less<>> used_stages;
  JourneyGraph graph;
  // Each transition's two touchpoints by index (kNoTouchpoint for an end that names none), and
  // each touchpoint's transitions out.
  std::vector<std::pair<std::size_t, std::size_t>> transition_ends;
  TransitionsOut transitions_out;
  // Every touchpoint's channel once ("" too), in the order first met, and each touchpoint's
  // place in that list: a persona's affinities are looked up per channel, not per touchpoint.
  std::vector<std::string> channel_list;
  std::vector<std::size_t> channel_index;
};

namespace {

std::shared_ptr<const ValidationNames> names_of(const Scenario& scenario) {
  auto names = std::make_shared<ValidationNames>();
  std::map<std::string_view, std::size_t> channel_places;
  for (std::size_t i = 0; i < scenario.touchpoints.size(); ++i) {
    const Touchpoint& touchpoint = scenario.touchpoints[i];
    const auto [place, added] =
        channel_places.try_emplace(touchpoint.channel, names->channel_list.size());
    if (added) names->channel_list.push_back(touchpoint.channel);
    names->channel_index.push_back(place->second);
    names->index_of.try_emplace(touchpoint.id, i);
    names->ids.push_back(touchpoint.id);
    if (!touchpoint.channel.empty()) names->channels.insert(touchpoint.channel);
    names->used_stages.insert(touchpoint.stage);
  }
  names->stage_set.insert(scenario.stages.begin(), scenario.stages.end());
  const std::size_t n = scenario.touchpoints.size();
  names->graph = JourneyGraph(n);
  std::vector<std::size_t>& begin = names->transitions_out.begin;
  begin.assign(n + 1, 0);
  names->transition_ends.reserve(scenario.transitions.size());
  for (const Transition& transition : scenario.transitions) {
    auto from = names->index_of.find(transition.from);
    auto to = names->index_of.find(transition.to);
    names->transition_ends.emplace_back(
        from == names->index_of.end() ? kNoTouchpoint : from->second,
        to == names->index_of.end() ? kNoTouchpoint : to->second);
    if (from == names->index_of.end() || to == names->index_of.end()) continue;
    boost::add_edge(from->second, to->second, names->graph);
    ++begin[from->second + 1];
  }
  for (std::size_t v = 0; v < n; ++v) begin[v + 1] += begin[v];
  std::vector<std::size_t> next(begin.begin(), begin.end() - 1);
  names->transitions_out.transitions.resize(begin[n]);
  for (std::size_t k = 0; k < scenario.transitions.size(); ++k) {
    const auto [from, to] = names->transition_ends[k];
    if (from == kNoTouchpoint || to == kNoTouchpoint) continue;
    names->transitions_out.transitions[next[from]++] = k;
  }
  return names;
}

// One validation pass: the scenario, where problems go, and how to place them in the file.
class Validation {
 public:
  // `read_problems`: the shape problems of a scenario read only in part, or nullptr.
  // `changed`: the only parts whose own checks run (see validate_changed), or nullptr.
  Validation(const Scenario& scenario, Diagnostics& diagnostics,
             const Diagnostics* read_problems = nullptr, const ChangedParts* changed = nullptr)
      : scenario_(scenario),
        diagnostics_(diagnostics),
        read_problems_(read_problems),
        changed_(changed),
        names_(changed && changed->names ? changed->names : names_of(scenario)),
        index_of_(names_->index_of),
        ids_(names_->ids),
        channels_(names_->channels),
        stage_set_(names_->stage_set),
        used_stages_(names_->used_stages),
        graph_(names_->graph) {}

  void run() {
    if (!changed_) check_stages();  // names only: a changed scenario has its base's
    check_settings();
    check_touchpoints();
    check_transitions();
    check_personas();
    check_calendar_parts();
    // What the whole journey does (where it starts, converts, loops) needs all of it read.
    if (scenario_.touchpoints.empty() || read_problems_) return;
    if (changed_) {
      check_changed_journey();
      return;
    }
    const bool has_entry = check_entries_and_conversions();
    if (has_entry) check_reach();
    check_dead_ends_after_removals();
    check_entry_removals();
    check_endless_cycles();
    check_certain_dropouts();
    check_walks_back_into_conversions();
    if (has_entry) {
      for (const Persona& persona : scenario_.personas) check_persona_paths(persona);
    }
  }

 private:
  // A design point's whole-journey errors, in the order run() finds them; its base has none,
  // so they are looked for only when a changed number is one they read (a dropout, only as
  // whether it is above 0 and whether it is 1 or more). The warnings are left out.
  void check_changed_journey() {
    const auto same_sides = [&](const std::pair<std::size_t, double>& base) {
      const double dropout = scenario_.touchpoints[base.first].dropout;
      return (dropout > 0.0) == (base.second > 0.0) && (dropout >= 1.0) == (base.second >= 1.0);
    };
    if (!changed_->whole_journey &&
        std::all_of(changed_->dropouts.begin(), changed_->dropouts.end(), same_sides)) {
      return;
    }
    const bool has_entry = check_entries_and_conversions();
    check_entry_removals();
    check_endless_cycles();
    if (has_entry) {
      for (const Persona& persona : scenario_.personas) check_persona_paths(persona);
    }
  }

  // Where `field` was written; else the nearest enclosing field ("duration" for
  // "duration.lognormal.median"); else `fallback`, the entity itself.
  SourceLocation at(const FieldLocations& fields, std::string_view field,
                    const SourceLocation& fallback) const {
    std::string_view name = field;
    while (true) {
      auto it = fields.find(name);
      if (it != fields.end()) return in_file(it->second);
      const std::size_t dot = name.rfind('.');
      if (dot == std::string_view::npos) break;
      name = name.substr(0, dot);
    }
    return in_file(fallback);
  }

  SourceLocation top(std::string_view key) const {
    return at(scenario_.fields, key, SourceLocation{});
  }

  SourceLocation in_file(SourceLocation where) const {
    if (where.file.empty()) where.file = scenario_.source_path;
    return where;
  }

  void error(SourceLocation where, std::string message) {
    if (read_problems_ && !independent_of_reading(where)) return;
    diagnostics_.error(std::move(where), std::move(message));
  }
  void warning(SourceLocation where, std::string message) {
    if (read_problems_) return;
    diagnostics_.warning(std::move(where), std::move(message));
  }

  // In a scenario read in part, an error at no place (a required part that is missing) or at
  // the place of a shape problem is that problem's consequence, already reported.
  bool independent_of_reading(const SourceLocation& where) const {
    if (where.line <= 0) return false;
    const auto& problems = read_problems_->all();
    return std::none_of(problems.begin(), problems.end(), [&](const Diagnostic& d) {
      return d.where.line == where.line && d.where.column == where.column &&
             d.where.file == where.file;
    });
  }

  // Whether touchpoint i's own checks run: always, unless only changed parts are checked.
  bool checks_touchpoint(std::size_t i) const { return !changed_ || changed_->touchpoints[i]; }

  // A touchpoint whose id could not be read leaves references to it unresolved.
  bool some_id_unread() const {
    if (!read_problems_) return false;
    return std::any_of(scenario_.touchpoints.begin(), scenario_.touchpoints.end(),
                       [](const Touchpoint& t) { return t.id.empty(); });
  }

  // "dropout in touchpoint 'checkout' must be between 0 and 1, got 1.5"
  // A probability written as a percentage (dropout: 30) gets the fraction it meant.
  void check_range(double value, const FieldRange& range, std::string_view field,
                   std::string_view owner, const FieldLocations& fields,
                   const SourceLocation& owner_where, std::string_view unit = {}) {
    if (range.holds(value)) return;
    const SourceLocation where = at(fields, field, owner_where);
    if (!std::isfinite(value)) {
      error(where, fmt::format("{} in {} must be a finite number, got {}", field, owner, value));
      return;
    }
    std::string message =
        fmt::format("{} in {} must be {}, got {}", field, owner, range.words(), value);
    if (unit == "probability" && value > 1.0 && value <= 100.0) {
      message += fmt::format("; a probability is a fraction: for {:g}% write {:g}", value,
                             value / 100.0);
    }
    error(where, std::move(message));
  }

  // Every numeric field of the table that applies to `entity`: text is checked on its own, a
  // seed cannot be out of range, and an absent horizon holds no value.
  template <class Entity>
  void check_numbers(const Entity& entity, std::span<const Field<Entity>> table,
                     std::string_view owner, const FieldLocations& fields,
                     const SourceLocation& where) {
    for (const Field<Entity>& field : table) {
      if (field.ref == nullptr || !field_applies(field, entity)) continue;
      const FieldRef ref = field_ref(field, entity);
      if (!is_number(ref) || std::holds_alternative<std::optional<std::uint64_t>*>(ref)) {
        continue;
      }
      const auto* optional = std::get_if<std::optional<double>*>(&ref);
      if (optional && !(*optional)->has_value()) continue;
      if constexpr (requires { entity.uncertain; }) {
        auto it = entity.uncertain.find(field.name);
        if (it != entity.uncertain.end()) {
          // The field holds the distribution's mean, which lies in range when its support does.
          if (std::optional<std::string> problem =
                  uncertain_support_problem(it->second, field.range, field.unit)) {
            error(at(fields, field.name, where),
                  fmt::format("{} in {}: {}", field.name, owner, *problem));
          }
          continue;
        }
      }
      check_range(number_in(ref), field.range, field.name, owner, fields, where, field.unit);
    }
  }

  void check_stages() {
    const SourceLocation list_where = top("stages");
    if (scenario_.stages.empty()) {
      error(list_where, "the journey has no stages; list them, in order, under 'stages'");
      return;
    }
    if (scenario_.stages.size() > kMostStages) {
      error(at(scenario_.fields, fmt::format("stages[{}]", kMostStages), list_where),
            fmt::format("at most {} stages are allowed, got {}", kMostStages,
                        scenario_.stages.size()));
    }
    std::map<std::string_view, SourceLocation> first;
    for (std::size_t i = 0; i < scenario_.stages.size(); ++i) {
      const std::string& stage = scenario_.stages[i];
      const SourceLocation where = at(scenario_.fields, fmt::format("stages[{}]", i), list_where);
      if (stage.empty()) {
        error(where, "a stage name cannot be empty");
        continue;
      }
      auto [it, inserted] = first.try_emplace(stage, where);
      if (!inserted) {
        error(where, fmt::format("stage '{}' is listed twice{}", stage, first_at(it->second)));
        continue;
      }
      check_stage_used(stage, where);
    }
  }

  void check_stage_used(const std::string& stage, const SourceLocation& where) {
    if (used_stages_.count(stage) == 0) {
      warning(where, fmt::format("stage '{}' has no touchpoint", stage));
    }
  }

  void check_settings() {
    const Settings& settings = scenario_.settings;
    const SourceLocation where = top("settings");
    const FieldLocations& fields = settings.fields;
    check_numbers(settings, settings_fields(), "settings", fields, where);
    if (settings.detractor_threshold > settings.promoter_threshold) {
      error(at(fields, "detractor_threshold", where),
            fmt::format("detractor_threshold in settings ({}) must not be above "
                        "promoter_threshold ({})",
                        settings.detractor_threshold, settings.promoter_threshold));
    }
  }

  void check_touchpoints() {
    if (scenario_.touchpoints.empty()) {
      error(top("touchpoints"), "the journey has no touchpoints");
      return;
    }
    std::map<std::string_view, SourceLocation> first;
    for (std::size_t i = 0; i < scenario_.touchpoints.size(); ++i) {
      if (!checks_touchpoint(i)) continue;
      const Touchpoint& touchpoint = scenario_.touchpoints[i];
      check_touchpoint_id(touchpoint, i, first);
      check_touchpoint_labels(touchpoint, i);
      check_touchpoint_lane(touchpoint, i);
      check_touchpoint_numbers(touchpoint, touchpoint_name(touchpoint, i));
    }
  }

  void check_touchpoint_id(const Touchpoint& touchpoint, std::size_t index,
                           std::map<std::string_view, SourceLocation>& first) {
    const SourceLocation where = at(touchpoint.fields, "id", touchpoint.where);
    if (touchpoint.id.empty()) {
      error(where, fmt::format("touchpoint #{} has an empty id", index + 1));
      return;
    }
    if (!is_valid_id(touchpoint.id)) {
      error(where, fmt::format("touchpoint id '{}' may use only letters, digits, '_', '-' and '.'",
                               touchpoint.id));
    }
    auto [it, inserted] = first.try_emplace(touchpoint.id, where);
    if (!inserted) {
      error(where,
            fmt::format("duplicate touchpoint id '{}'{}", touchpoint.id, first_at(it->second)));
    }
  }

  void check_touchpoint_labels(const Touchpoint& touchpoint, std::size_t index) {
    const std::string name = touchpoint_name(touchpoint, index);
    if (touchpoint.channel.empty()) {
      error(at(touchpoint.fields, "channel", touchpoint.where),
            fmt::format("{} has no channel", name));
    }
    const SourceLocation where = at(touchpoint.fields, "stage", touchpoint.where);
    if (touchpoint.stage.empty()) {
      error(where, fmt::format("{} has no stage", name));
      return;
    }
    if (stage_set_.count(touchpoint.stage) > 0) return;
    const auto& stages = scenario_.stages;
    std::string message =
        fmt::format("stage '{}' of {} is not one of the stages", touchpoint.stage, name);
    const std::string suggestion = did_you_mean(touchpoint.stage, stages);
    if (suggestion.empty() && stages.size() <= kMostStages) {
      message += fmt::format(" ({})", join_names(stages));
    }
    message += suggestion;
    error(where, std::move(message));
  }

  // The lane is a word of the journey map, but one of a fixed few: a blueprint draws a row
  // for each, and a misspelt lane would draw a row of its own.
  void check_touchpoint_lane(const Touchpoint& touchpoint, std::size_t index) {
    const std::string& lane = touchpoint.words.lane;
    if (lane.empty() || std::find(std::begin(kLanes), std::end(kLanes), lane) != std::end(kLanes)) {
      return;
    }
    const std::vector<std::string> lanes(std::begin(kLanes), std::end(kLanes));
    std::string message = fmt::format("lane '{}' of {} is not one of the lanes ({})", lane,
                                      touchpoint_name(touchpoint, index), join_names(lanes));
    message += did_you_mean(lane, lanes);
    error(at(touchpoint.fields, "lane", touchpoint.where), std::move(message));
  }

  void check_touchpoint_numbers(const Touchpoint& touchpoint, const std::string& name) {
    check_numbers(touchpoint, touchpoint_fields(), name, touchpoint.fields, touchpoint.where);
  }

  void check_transitions() {
    std::map<std::pair<std::string_view, std::string_view>, SourceLocation> first;
    for (std::size_t i = 0; i < scenario_.transitions.size(); ++i) {
      if (changed_ && !changed_->transitions[i]) continue;
      const Transition& transition = scenario_.transitions[i];
      const std::string name = transition_name(transition);
      check_end(transition, "from", transition.from, i);
      check_end(transition, "to", transition.to, i);
      auto [it, inserted] = first.try_emplace(
          std::pair(std::string_view(transition.from), std::string_view(transition.to)),
          in_file(transition.where));
      if (!inserted) {
        error(in_file(transition.where), fmt::format("duplicate {}{}", name, first_at(it->second)));
      }
      check_numbers(transition, transition_fields(), name, transition.fields, transition.where);
    }
  }

  // One end ("from" or "to") of a transition must name a touchpoint.
  void check_end(const Transition& transition, std::string_view end, const std::string& id,
                 std::size_t index) {
    const SourceLocation where = at(transition.fields, end, transition.where);
    if (id.empty()) {
      error(where, fmt::format("transition #{} has no '{}' touchpoint", index + 1, end));
      return;
    }
    if (index_of_.count(id) > 0 || some_id_unread()) return;
    std::string message = fmt::format("transition {} unknown touchpoint '{}'", end, id);
    std::string suggestion = did_you_mean(id, ids_);
    if (suggestion.empty() && ids_.size() <= kMostListed) {
      suggestion = fmt::format("; the touchpoints are: {}", join_names(ids_));
    }
    error(where, message + suggestion);
  }

  void check_personas() {
    if (scenario_.personas.empty()) {
      error(top("personas"),
            "the scenario has no persona; a file that names none gets one neutral persona");
      return;
    }
    std::map<std::string_view, SourceLocation> first;
    bool any_share = false;
    for (std::size_t i = 0; i < scenario_.personas.size(); ++i) {
      const Persona& persona = scenario_.personas[i];
      any_share = any_share || persona.share > 0.0;
      if (changed_ && !changed_->personas[i]) continue;
      check_persona_id(persona, i, first);
      check_persona_numbers(persona, persona_name(persona, i));
      check_persona_channels(persona, persona_name(persona, i));
      check_persona_overrides(persona, persona_name(persona, i));
    }
    if (!any_share) {
      const Persona& persona = scenario_.personas.front();
      error(at(persona.fields, "share", persona.where),
            "every persona has share 0; at least one needs a share above 0");
    }
  }

  void check_persona_id(const Persona& persona, std::size_t index,
                        std::map<std::string_view, SourceLocation>& first) {
    const SourceLocation where = at(persona.fields, "id", persona.where);
    if (persona.id.empty()) {
      error(where, fmt::format("persona #{} has an empty id", index + 1));
      return;
    }
    auto [it, inserted] = first.try_emplace(persona.id, where);
    if (!inserted) {
      error(where, fmt::format("duplicate persona id '{}'{}", persona.id, first_at(it->second)));
    }
  }

  void check_persona_numbers(const Persona& persona, const std::string& name) {
    const FieldLocations& fields = persona.fields;
    check_numbers(persona, persona_fields(), name, fields, persona.where);
    const Field<Persona>& affinity_field = *find_field(persona_fields(), "channel_affinity");
    const FieldRange& affinity = affinity_field.range;
    for (const auto& [channel, multiplier] : persona.channel_affinity) {
      const std::string key = std::string(kAffinityPrefix) + channel;
      auto it = persona.uncertain.find(key);
      if (it == persona.uncertain.end()) {
        check_range(multiplier, affinity, key, name, fields, persona.where);
      } else if (std::optional<std::string> problem =
                     uncertain_support_problem(it->second, affinity, affinity_field.unit)) {
        error(at(fields, key, persona.where), fmt::format("{} in {}: {}", key, name, *problem));
      }
    }
  }

  // The persona's own numbers (MODEL.md 1.12): each names a touchpoint or an existing
  // transition, and each is in its field's range.
  void check_persona_overrides(const Persona& persona, const std::string& name) {
    check_entry_weights(persona.entry, persona_fields(), name, persona.fields, persona.where);
    const FieldRange& dropout = find_field(persona_fields(), "dropout")->range;
    for (const auto& [id, value] : persona.dropout) {
      const std::string field = std::string(kPersonaDropoutPrefix) + id;
      check_range(value, dropout, field, name, persona.fields, persona.where, "probability");
      if (index_of_.count(id) == 0) no_touchpoint(field, name, id, at(persona.fields, field, persona.where));
    }
    const FieldRange& weight = find_field(persona_fields(), "transitions")->range;
    for (const PersonaTransition& t : persona.transitions) {
      const std::string field = fmt::format("the weight of '{}' -> '{}'", t.from, t.to);
      if (!weight.holds(t.weight)) {
        error(in_file(t.where), fmt::format("{} in transitions of {} must be {}, got {}", field,
                                            name, weight.words(), t.weight));
      }
      const bool exists = std::any_of(
          scenario_.transitions.begin(), scenario_.transitions.end(),
          [&](const Transition& x) { return x.from == t.from && x.to == t.to; });
      if (exists) continue;
      std::vector<std::string> pairs;
      for (const Transition& x : scenario_.transitions) pairs.push_back(x.from + "->" + x.to);
      error(in_file(t.where),
            fmt::format("transitions of {} name '{}' -> '{}', which is no transition of the "
                        "journey: a persona can reweight the journey's transitions, not add "
                        "any{}",
                        name, t.from, t.to, did_you_mean(t.from + "->" + t.to, pairs)));
    }
  }

  void no_touchpoint(const std::string& field, const std::string& owner, const std::string& id,
                     const SourceLocation& where) {
    std::string message =
        fmt::format("{} in {} names no touchpoint: there is no '{}'", field, owner, id);
    std::string suggestion = did_you_mean(id, ids_);
    if (suggestion.empty() && ids_.size() <= kMostListed) {
      suggestion = fmt::format("; the touchpoints are: {}", join_names(ids_));
    }
    error(where, message + suggestion);
  }

  // An affinity for a channel no touchpoint uses does nothing: most likely a typo.
  void check_persona_channels(const Persona& persona, const std::string& name) {
    for (const auto& [channel, multiplier] : persona.channel_affinity) {
      if (channels_.count(channel) > 0) continue;
      std::string message = fmt::format(
          "{} has an affinity for channel '{}', which no touchpoint uses", name, channel);
      const std::string suggestion = did_you_mean(channel, channels_);
      if (suggestion.empty() && channels_.size() <= kMostListed) {
        message += fmt::format("; the channels are: {}", join_names(channels_));
      }
      message += suggestion;
      warning(at(persona.fields, "channel_affinity." + channel, persona.where), std::move(message));
    }
  }

  // --- calendar journeys (sim/model/MODEL.md Part 2) -------------------------------------------

  void check_calendar_parts() {
    const bool calendar = scenario_.calendar.has_value();
    if (calendar) check_calendar(*scenario_.calendar);
    for (const auto& [key, present] :
         {std::pair{"resources", !scenario_.resources.empty()},
          {"word_of_mouth", scenario_.word_of_mouth.has_value()},
          {"returns", scenario_.returns.has_value()}}) {
      if (present && !calendar) {
        error(top(key), fmt::format("'{}' needs a calendar: add 'calendar' with days and "
                                    "arrivals_per_day, or take '{}' out",
                                    key, key));
      }
    }
    check_resources();
    for (std::size_t i = 0; i < scenario_.touchpoints.size(); ++i) {
      if (!checks_touchpoint(i)) continue;
      check_touchpoint_calendar(scenario_.touchpoints[i], i, calendar);
    }
    if (scenario_.word_of_mouth) {
      const WordOfMouth& w = *scenario_.word_of_mouth;
      const SourceLocation where = top("word_of_mouth");
      check_numbers(w, word_of_mouth_fields(), "word_of_mouth", w.fields, where);
      check_entry_weights(w.entry, word_of_mouth_fields(), "word_of_mouth", w.fields, where);
    }
    if (scenario_.returns) {
      const Returns& r = *scenario_.returns;
      const SourceLocation where = top("returns");
      check_numbers(r, returns_fields(), "returns", r.fields, where);
      check_entry_weights(r.entry, returns_fields(), "returns", r.fields, where);
    }
  }

  void check_calendar(const Calendar& c) {
    const SourceLocation where = top("calendar");
    check_numbers(c, calendar_fields(), "the calendar", c.fields, where);
    for (const auto& [key, profile] :
         {std::pair{"weekday_profile", &c.weekday_profile}, {"hour_profile", &c.hour_profile}}) {
      const FieldRange& range = find_field(calendar_fields(), key)->range;
      bool any = profile->empty();
      for (std::size_t i = 0; i < profile->size(); ++i) {
        check_range((*profile)[i], range, fmt::format("{}[{}]", key, i), "the calendar",
                    c.fields, where);
        any = any || (*profile)[i] > 0.0;
      }
      if (!any) {
        error(at(c.fields, key, where),
              fmt::format("every factor of {} in the calendar is 0: no agent would ever arrive; "
                          "give at least one a factor above 0",
                          key));
      }
    }
    if (!weekday_index(c.start_weekday)) {
      error(at(c.fields, "start_weekday", where),
            fmt::format("start_weekday in the calendar must be a weekday (monday ... sunday), "
                        "got '{}'{}",
                        c.start_weekday, did_you_mean(c.start_weekday, kWeekdayNames)));
    }
  }

  void check_resources() {
    std::map<std::string_view, SourceLocation> first;
    const FieldRange& servers = find_field(resource_fields(), "capacity")->range;
    for (std::size_t i = 0; i < scenario_.resources.size(); ++i) {
      const Resource& r = scenario_.resources[i];
      const std::string name =
          r.id.empty() ? fmt::format("resource #{}", i + 1) : fmt::format("resource '{}'", r.id);
      const SourceLocation where = at(r.fields, "id", r.where);
      if (r.id.empty()) {
        error(where, fmt::format("{} has an empty id", name));
      } else if (!is_valid_id(r.id)) {
        error(where,
              fmt::format("resource id '{}' may use only letters, digits, '_', '-' and '.'", r.id));
      } else if (auto [it, inserted] = first.try_emplace(r.id, where); !inserted) {
        error(where, fmt::format("duplicate resource id '{}'{}", r.id, first_at(it->second)));
      }
      check_numbers(r, resource_fields(), name, r.fields, r.where);
      check_resource_has_servers(r, name);
      check_resource_lane(r, name);
      if (!r.schedule) continue;
      for (int d = 0; d < kWeekdays; ++d) {
        if (!(*r.schedule)[d]) continue;
        for (int h = 0; h < kHoursPerDay; ++h) {
          const auto value = static_cast<double>((*(*r.schedule)[d])[h]);
          if (servers.holds(value)) continue;
          const std::string field = fmt::format("schedule.{}", kWeekdayNames[d]);
          error(at(r.fields, field, r.where),
                fmt::format("{} in {} must be {} at every hour, got {} at hour {}", field, name,
                            servers.words(), value, h));
          break;
        }
      }
    }
  }

  // A resource's lane is a free label, but a blueprint puts it in the touchpoints' rows only
  // when it uses their words.
  void check_resource_lane(const Resource& r, const std::string& name) {
    if (r.lane.empty() || std::find(std::begin(kLanes), std::end(kLanes), r.lane) != std::end(kLanes)) {
      return;
    }
    const std::vector<std::string> lanes(std::begin(kLanes), std::end(kLanes));
    warning(at(r.fields, "lane", r.where),
            fmt::format("lane '{}' of {} is not one of the touchpoints' lanes ({}), so a service "
                        "blueprint shows it in a row of its own{}",
                        r.lane, name, join_names(lanes), did_you_mean(r.lane, lanes)));
  }

  // A resource with no server at any hour starts no visit: its touchpoints' agents wait for
  // ever, or all give up.
  void check_resource_has_servers(const Resource& r, const std::string& name) {
    bool any = false;
    for (int d = 0; d < kWeekdays && !any; ++d) {
      const auto& day = r.schedule ? (*r.schedule)[d] : std::nullopt;
      if (!day) {
        any = r.capacity > 0;
        continue;
      }
      any = std::any_of(day->begin(), day->end(), [](std::int64_t x) { return x > 0; });
    }
    if (any) return;
    warning(at(r.fields, r.schedule ? "schedule" : "capacity", r.where),
            fmt::format("{} has no server at any hour: no visit of a touchpoint using it ever "
                        "starts, and its agents wait until they give up (or for ever)",
                        name));
  }

  void check_touchpoint_calendar(const Touchpoint& t, std::size_t index, bool calendar) {
    const std::string name = touchpoint_name(t, index);
    if (!t.resource.empty()) {
      const auto& resources = scenario_.resources;
      const bool known = std::any_of(resources.begin(), resources.end(),
                                     [&](const Resource& r) { return r.id == t.resource; });
      if (!known) {
        std::vector<std::string> ids;
        for (const Resource& r : resources) ids.push_back(r.id);
        std::string message =
            fmt::format("resource '{}' of {} is not one of the resources", t.resource, name);
        std::string suggestion = did_you_mean(t.resource, ids);
        if (suggestion.empty()) {
          suggestion = ids.empty() ? "; the journey lists no resources"
                                   : fmt::format(" ({})", join_names(ids));
        }
        error(at(t.fields, "resource", t.where), message + suggestion);
      }
    }
    if (t.opening_hours) {
      const bool ever_open = std::any_of(t.opening_hours->begin(), t.opening_hours->end(),
                                         [](const auto& spans) { return !spans.empty(); });
      if (!ever_open) {
        error(at(t.fields, "opening_hours", t.where),
              fmt::format("{} is never open: its opening_hours give no span on any weekday",
                          name));
      }
    }
    if (calendar) return;
    for (const char* field : {"resource", "patience_hours", "wait_penalty", "opening_hours"}) {
      if (t.fields.count(field) == 0) continue;
      warning(at(t.fields, field, t.where),
              fmt::format("{} of {} does nothing in a journey without a calendar", field, name));
    }
  }

  // touchpoint -> weight: each names a touchpoint, each weight in range, one above 0.
  template <class Entity>
  void check_entry_weights(const EntryWeights& entry, std::span<const Field<Entity>> table,
                           std::string_view owner, const FieldLocations& fields,
                           const SourceLocation& where) {
    if (entry.empty()) return;
    const FieldRange& range = find_field(table, "entry")->range;
    bool any = false;
    for (const auto& [id, weight] : entry) {
      const std::string field = "entry." + id;
      check_range(weight, range, field, owner, fields, where);
      any = any || weight > 0.0;
      if (index_of_.count(id) > 0) continue;
      std::string message = fmt::format("{} in {} names no touchpoint: there is no '{}'", field,
                                        owner, id);
      std::string suggestion = did_you_mean(id, ids_);
      if (suggestion.empty() && ids_.size() <= kMostListed) {
        suggestion = fmt::format("; the touchpoints are: {}", join_names(ids_));
      }
      error(at(fields, field, where), message + suggestion);
    }
    if (!any) {
      error(at(fields, "entry", where),
            fmt::format("every weight of entry in {} is 0; give at least one touchpoint a "
                        "weight above 0, or leave entry out to use the journey's entries",
                        owner));
    }
  }

  // Returns whether some touchpoint can start a journey.
  bool check_entries_and_conversions() {
    const auto& touchpoints = scenario_.touchpoints;
    const bool has_entry = !entries().empty();
    const bool has_conversion = std::any_of(touchpoints.begin(), touchpoints.end(),
                                            [](const Touchpoint& t) { return t.conversion; });
    if (!has_entry) {
      error(top("touchpoints"),
            "no entry touchpoint: every entry_weight is 0, so no journey can start; give the "
            "touchpoints where journeys begin an entry_weight above 0");
    }
    if (!has_conversion) {
      error(top("touchpoints"),
            "no conversion touchpoint: mark where customers convert with "
            "'conversion: {value: ...}'");
    }
    return has_entry;
  }

  // Where journeys start: the touchpoints with an entry weight, and those a persona's own entry
  // weights start it at (MODEL.md 1.12).
  std::vector<Vertex> entries() const {
    std::vector<Vertex> sources;
    for (std::size_t i = 0; i < scenario_.touchpoints.size(); ++i) {
      const bool persona_entry = std::any_of(
          scenario_.personas.begin(), scenario_.personas.end(), [&](const Persona& p) {
            return persona_entry_weight(p, scenario_.touchpoints[i]) > 0.0;
          });
      if (scenario_.touchpoints[i].entry_weight > 0.0 || persona_entry) sources.push_back(i);
    }
    return sources;
  }

  void check_reach() {
    const std::vector<bool> reached = reached_from(graph_, entries());
    const std::vector<const Removal*> cut_off_by = removals_that_cut_off(reached);
    for (std::size_t i = 0; i < scenario_.touchpoints.size(); ++i) {
      if (reached[i]) continue;
      const Touchpoint& touchpoint = scenario_.touchpoints[i];
      // A removal that cut the way in is what the reader has to look at, not the touchpoint.
      const Removal* removal = cut_off_by[i];
      const std::string after =
          removal ? fmt::format("after removing {}, ", removal->what) : std::string();
      if (touchpoint.conversion) {
        warning(removal ? in_file(removal->where)
                        : at(touchpoint.fields, "conversion", touchpoint.where),
                fmt::format("{}conversion touchpoint '{}' cannot be reached from any entry "
                            "touchpoint, so no journey converts there",
                            after, touchpoint.id));
        continue;
      }
      warning(in_file(removal ? removal->where : touchpoint.where),
              fmt::format("{}touchpoint '{}' cannot be reached from any entry touchpoint", after,
                          touchpoint.id));
    }
  }

  // For each touchpoint no entry reaches, the first removal whose cut leads to it: one that
  // took away a transition into it, or into a touchpoint from which it is reached.
  std::vector<const Removal*> removals_that_cut_off(const std::vector<bool>& reached) const {
    std::vector<const Removal*> cut_off_by(scenario_.touchpoints.size(), nullptr);
    for (const Removal& removal : scenario_.removals) {
      std::vector<Vertex> cut;
      for (const std::string& id : removal.lost_way_in) {
        auto it = index_of_.find(id);
        if (it != index_of_.end() && !reached[it->second]) cut.push_back(it->second);
      }
      if (cut.empty()) continue;
      const std::vector<bool> downstream = reached_from(graph_, cut);
      for (std::size_t v = 0; v < cut_off_by.size(); ++v) {
        if (downstream[v] && !reached[v] && !cut_off_by[v]) cut_off_by[v] = &removal;
      }
    }
    return cut_off_by;
  }

  // A removal that took the last transition out of a touchpoint turns it into an end of the
  // journey: legal, but seldom what the change meant.
  void check_dead_ends_after_removals() {
    for (const Removal& removal : scenario_.removals) {
      for (const std::string& id : removal.lost_way_on) {
        auto it = index_of_.find(id);
        if (it == index_of_.end() || boost::out_degree(it->second, graph_) > 0) continue;
        warning(in_file(removal.where),
                fmt::format("after removing {}, '{}' has no transition left: journeys now "
                            "complete there",
                            removal.what, id));
      }
    }
  }

  // A removed entry whose traffic is lost by default says so, with how much it loses and how to
  // keep it (scenarios/README.md "Future states as changes"). A calendar journey cannot lose
  // arrivals yet (sim/model/MODEL.md 1.11): its referrals and returns draw their entries too.
  void check_entry_removals() {
    for (const Removal& removal : scenario_.removals) {
      if (!removal.entry_lost) continue;
      if (scenario_.calendar) {
        error(in_file(removal.where),
              fmt::format("removing {} would lose its entry traffic, which a calendar journey "
                          "cannot do; write remove_touchpoint: {{id: {}, entry_traffic: "
                          "redistributed}} to send its arrivals to the other entries",
                          removal.what, removal.what.substr(1, removal.what.size() - 2)));
        continue;
      }
      if (removal.entry_traffic_written) continue;
      warning(in_file(removal.where),
              fmt::format("removing {} loses its {:.3g}% of arrivals (they count as agents and "
                          "end lost); write entry_traffic: redistributed to send them to the "
                          "other entries",
                          removal.what, removal.entry_share * 100.0));
    }
  }

  // A closed strongly connected component (no transition leaves it) that holds a cycle and no
  // dropout keeps every journey that enters it walking until max_steps. A cycle that no entry
  // reaches harms nobody; it already has its "cannot be reached" warning.
  void check_endless_cycles() {
    const std::size_t count = scenario_.touchpoints.size();
    const std::vector<bool> reached = reached_from(graph_, entries());
    std::vector<std::size_t> component(count);
    const std::size_t component_count = boost::strong_components(
        graph_, boost::make_iterator_property_map(component.begin(),
                                                  boost::get(boost::vertex_index, graph_)));
    std::vector<bool> leaves(component_count, false);
    std::vector<bool> loops(component_count, false);
    for (auto [edge, end] = boost::edges(graph_); edge != end; ++edge) {
      const Vertex from = boost::source(*edge, graph_);
      const Vertex to = boost::target(*edge, graph_);
      if (component[from] != component[to]) leaves[component[from]] = true;
      if (from == to) loops[component[from]] = true;
    }
    std::vector<std::vector<std::size_t>> members(component_count);
    for (std::size_t v = 0; v < count; ++v) members[component[v]].push_back(v);
    for (std::size_t c = 0; c < component_count; ++c) {
      const bool has_cycle = members[c].size() > 1 || loops[c];
      if (has_cycle && !leaves[c] && reached[members[c].front()]) check_closed_cycle(members[c]);
    }
  }

  void check_closed_cycle(const std::vector<std::size_t>& members) {
    const auto& touchpoints = scenario_.touchpoints;
    // With personas' own dropouts (MODEL.md 1.12), every persona that can arrive needs one.
    const auto has_dropout_for = [&](const Persona* persona) {
      return std::any_of(members.begin(), members.end(), [&](std::size_t v) {
        return (persona ? persona_dropout(*persona, touchpoints[v]) : touchpoints[v].dropout) > 0.0;
      });
    };
    const bool has_dropout =
        scenario_.personas.empty()
            ? has_dropout_for(nullptr)
            : std::all_of(scenario_.personas.begin(), scenario_.personas.end(),
                          [&](const Persona& p) { return !(p.share > 0.0) || has_dropout_for(&p); });
    if (has_dropout) return;
    std::vector<std::string> ids;
    for (std::size_t v : members) ids.push_back(touchpoints[v].id);
    const SourceLocation where = in_file(touchpoints[members.front()].where);
    const std::optional<double>& horizon = scenario_.settings.horizon_hours;
    const bool takes_time = std::any_of(members.begin(), members.end(), [&](std::size_t v) {
      return touchpoints[v].duration.mean() > 0.0;
    });
    if (horizon && takes_time) {
      warning(where, fmt::format("journeys that enter {} never end on their own: no touchpoint "
                                 "in this cycle has a dropout and no transition leaves it. {} "
                                 "Give a touchpoint in the cycle a dropout or a way out",
                                 name_set(ids), what_ends_cycle(members, *horizon)));
      return;
    }
    error(where, fmt::format("journeys that enter {} can never end: no touchpoint in this cycle "
                             "has a dropout and no transition leaves it; only max_steps would "
                             "stop them",
                             name_set(ids)));
  }

  // How many journeys a closed cycle traps, and what ends them: the horizon (censored) or,
  // when visits there are short, max_steps first (capped).
  std::string what_ends_cycle(const std::vector<std::size_t>& members, double horizon) const {
    const auto& touchpoints = scenario_.touchpoints;
    double shortest = std::numeric_limits<double>::infinity();
    double longest = 0.0;
    for (std::size_t v : members) {
      shortest = std::min(shortest, touchpoints[v].duration.mean());
      longest = std::max(longest, touchpoints[v].duration.mean());
    }
    const double steps = static_cast<double>(scenario_.settings.max_steps);
    std::string ends;
    if (steps * longest < horizon) {
      ends = fmt::format("max_steps ({}) stops them, as capped, before the horizon ({:g} hours): "
                         "a visit there takes at most {:.3g} hours",
                         scenario_.settings.max_steps, horizon, longest);
    } else if (steps * shortest >= horizon) {
      ends = fmt::format("the horizon ({:g} hours) stops them, as censored", horizon);
    } else {
      ends = fmt::format("the horizon ({:g} hours) or max_steps ({}) stops them, as censored or "
                         "capped",
                         horizon, scenario_.settings.max_steps);
    }
    const std::optional<double> share = share_entering(members);
    if (!share) return fmt::format("Each journey that enters it walks it until {}.", ends);
    const std::string how_many =
        *share < 1e-4 ? std::string("Fewer than 0.01% of journeys")
                      : fmt::format("About {:.3g}% of journeys", *share * 100.0);
    const bool exact = scenario_.settings.kappa == 0.0 &&
                       std::none_of(scenario_.transitions.begin(), scenario_.transitions.end(),
                                    [](const Transition& t) { return t.emotion_bias != 0.0; });
    return fmt::format("{} enter it ({}) and walk it until {}.", how_many,
                       exact ? "from the journey's Markov chain"
                             : "from the journey's Markov chain at neutral emotion",
                       ends);
  }

  // The probability that a journey reaches one of `members`, mixed over the personas by share:
  // the absorbing chain of each persona at neutral emotion (sim/model/MODEL.md: dropout odds
  // times the persona's dropout_odds, transitions by weight times the channel affinity of
  // their target), solved with a sparse LU. nullopt when some other part of the journey has
  // no way out either (the chain is then singular) or no persona can start.
  std::optional<double> share_entering(const std::vector<std::size_t>& members) const {
    const auto& touchpoints = scenario_.touchpoints;
    const auto n = static_cast<Eigen::Index>(touchpoints.size());
    std::vector<char> trap(touchpoints.size(), 0);
    for (std::size_t v : members) trap[v] = 1;
    double total_share = 0.0;
    double entering = 0.0;
    for (const Persona& persona : scenario_.personas) {
      if (!(persona.share > 0.0)) continue;
      std::vector<double> affinity(touchpoints.size());
      std::vector<double> out_weight(touchpoints.size(), 0.0);
      for (std::size_t v = 0; v < touchpoints.size(); ++v) {
        affinity[v] = channel_affinity(persona, touchpoints[v].channel);
      }
      for (std::size_t k = 0; k < scenario_.transitions.size(); ++k) {
        const auto [from, to] = ends_of(k);
        if (from == kNoTouchpoint || to == kNoTouchpoint) continue;
        const double weight = persona_transition_weight(persona, scenario_.transitions[k]);
        out_weight[from] += weight * affinity[to];
      }
      // (I - Q) h = b over every touchpoint, a trap's row pinned to h = 1.
      std::vector<Eigen::Triplet<double>> entries;
      Eigen::VectorXd b = Eigen::VectorXd::Zero(n);
      for (Eigen::Index v = 0; v < n; ++v) {
        entries.emplace_back(v, v, 1.0);
        if (trap[static_cast<std::size_t>(v)]) b[v] = 1.0;
      }
      for (std::size_t k = 0; k < scenario_.transitions.size(); ++k) {
        const Transition& t = scenario_.transitions[k];
        const auto [from, to] = ends_of(k);
        if (from == kNoTouchpoint || to == kNoTouchpoint) continue;
        if (trap[from] || !(out_weight[from] > 0.0)) continue;
        const double d = persona_dropout(persona, touchpoints[from]);
        const double odds = persona.dropout_odds;
        const double stay = d >= 1.0 ? 0.0 : (1.0 - d) / (1.0 - d + odds * d);
        const double p = stay * persona_transition_weight(persona, t) * affinity[to] / out_weight[from];
        entries.emplace_back(static_cast<Eigen::Index>(from), static_cast<Eigen::Index>(to), -p);
      }
      Eigen::SparseMatrix<double> system(n, n);
      system.setFromTriplets(entries.begin(), entries.end());
      Eigen::SparseLU<Eigen::SparseMatrix<double>> solver;
      solver.compute(system);
      if (solver.info() != Eigen::Success) return std::nullopt;
      const Eigen::VectorXd hit = solver.solve(b);
      if (solver.info() != Eigen::Success) return std::nullopt;
      double start_total = 0.0;
      double start_hit = 0.0;
      for (std::size_t v = 0; v < touchpoints.size(); ++v) {
        const double start = persona_entry_weight(persona, touchpoints[v]) * affinity[v];
        start_total += start;
        start_hit += start * hit[static_cast<Eigen::Index>(v)];
      }
      if (!(start_total > 0.0)) return std::nullopt;
      total_share += persona.share;
      entering += persona.share * start_hit / start_total;
    }
    if (!(total_share > 0.0)) return std::nullopt;
    return std::clamp(entering / total_share, 0.0, 1.0);
  }

  // A journey converts at most once (sim/model/MODEL.md 1.3). A touchpoint that sits after the
  // sale in the map (a later stage than the first conversion's) and yet is reached before
  // converting is shared by both sides, such as a call-centre queue that stuck applicants and
  // customers both call; when a way from a conversion touchpoint leads through it back into a
  // conversion touchpoint, customers who have converted walk through a sale that earns nothing
  // and count as visits to it. Warned once per touchpoint walked back into, with the shortest
  // such way, found by one breadth-first walk over (touchpoint, shared one passed) from every
  // conversion touchpoint. A way back through no shared touchpoint (a repeat visit that starts
  // a new round of browsing) is the modeller's choice and is not warned about.
  void check_walks_back_into_conversions() {
    const auto& touchpoints = scenario_.touchpoints;
    const std::size_t n = touchpoints.size();
    const TransitionsOut& out = transitions_out();
    const std::vector<std::size_t> stage = stage_indices();
    std::size_t sale_stage = std::numeric_limits<std::size_t>::max();
    for (std::size_t v = 0; v < n; ++v) {
      if (touchpoints[v].conversion) sale_stage = std::min(sale_stage, stage[v]);
    }
    // Reached before converting: from the entries, never through a conversion touchpoint.
    std::vector<char> before_sale(n, 0);
    std::deque<std::size_t> queue;
    for (Vertex v : entries()) {
      before_sale[v] = 1;
      queue.push_back(v);
    }
    while (!queue.empty()) {
      const std::size_t v = queue.front();
      queue.pop_front();
      if (touchpoints[v].conversion || touchpoints[v].dropout >= 1.0) continue;
      for (std::size_t k : out.of(v)) {
        const std::size_t w = ends_of(k).second;
        if (!before_sale[w]) {
          before_sale[w] = 1;
          queue.push_back(w);
        }
      }
    }
    const auto shared = [&](std::size_t v) {
      return before_sale[v] && !touchpoints[v].conversion && stage[v] > sale_stage;
    };
    // State 2v + s: at touchpoint v, having passed a shared touchpoint (s = 1) or not.
    constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
    Walk walk{std::vector<std::size_t>(2 * n, kNone), std::vector<std::size_t>(2 * n, kNone)};
    const auto visit = [&](std::size_t w, std::size_t k, std::size_t from_state) {
      const std::size_t flag = from_state == kNone ? 0 : (from_state & 1);
      const std::size_t state = 2 * w + (flag | (shared(w) ? 1 : 0));
      if (walk.via[state] != kNone) return;
      walk.via[state] = k;
      walk.previous[state] = from_state;
      queue.push_back(state);
    };
    const std::vector<bool> reached = reached_from(graph_, entries());
    for (std::size_t v = 0; v < n; ++v) {
      if (!touchpoints[v].conversion || !reached[v] || touchpoints[v].dropout >= 1.0) continue;
      for (std::size_t k : out.of(v)) visit(ends_of(k).second, k, kNone);
    }
    std::vector<char> warned(n, 0);
    while (!queue.empty()) {
      const std::size_t state = queue.front();
      queue.pop_front();
      const std::size_t v = state / 2;
      if (touchpoints[v].conversion) {
        if ((state & 1) && !warned[v]) {
          warned[v] = 1;
          warn_walk_back(state, walk, shared);
        }
        continue;  // the walk on from it starts there anyway
      }
      if (touchpoints[v].dropout >= 1.0) continue;
      for (std::size_t k : out.of(v)) visit(ends_of(k).second, k, state);
    }
  }

  // The scenario's k-th transition's two touchpoints by index (kNoTouchpoint for an end that
  // names none), and each touchpoint's transitions out: found with the names, once per
  // validation, or once per base for every design point of a sweep.
  std::pair<std::size_t, std::size_t> ends_of(std::size_t k) const {
    return names_->transition_ends[k];
  }
  const TransitionsOut& transitions_out() const { return names_->transitions_out; }

  // Each touchpoint's stage as its place in the list (past the end: not one of them).
  std::vector<std::size_t> stage_indices() const {
    std::map<std::string_view, std::size_t> place;
    for (std::size_t i = 0; i < scenario_.stages.size(); ++i) place.try_emplace(scenario_.stages[i], i);
    std::vector<std::size_t> stage;
    for (const Touchpoint& t : scenario_.touchpoints) {
      auto it = place.find(t.stage);
      stage.push_back(it == place.end() ? scenario_.stages.size() : it->second);
    }
    return stage;
  }

  // The breadth-first walk over states 2v + s: the transition that first reached each state and
  // the state it came from (none for the first step out of a conversion touchpoint).
  struct Walk {
    std::vector<std::size_t> via;
    std::vector<std::size_t> previous;
  };

  // `state` (2v + 1) reached conversion touchpoint v through a shared touchpoint: the way back
  // to the conversion touchpoint it started at, one transition at a time.
  template <class Shared>
  void warn_walk_back(std::size_t state, const Walk& walk, const Shared& shared) {
    constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
    const auto& transitions = scenario_.transitions;
    const auto& touchpoints = scenario_.touchpoints;
    const std::size_t again = state / 2;
    std::deque<std::string> path{touchpoints[again].id};
    std::vector<std::string> shared_ids;
    for (std::size_t current = state; current != kNone; current = walk.previous[current]) {
      const Transition& t = transitions[walk.via[current]];
      path.push_front(t.from);
      const std::size_t from = index_of_.find(t.from)->second;  // walked, so it is there
      if (shared(from) && std::find(shared_ids.begin(), shared_ids.end(), t.from) == shared_ids.end()) {
        shared_ids.insert(shared_ids.begin(), t.from);
      }
    }
    constexpr std::size_t kMostShown = 12;
    std::string way;
    for (std::size_t i = 0; i < path.size(); ++i) {
      if (path.size() > kMostShown && i == kMostShown - 2) {
        way += " -> ...";
        i = path.size() - 2;
        continue;
      }
      way += fmt::format("{}{}", i == 0 ? "" : " -> ", path[i]);
    }
    std::vector<std::string> quoted;
    for (const std::string& id : shared_ids) quoted.push_back("'" + id + "'");
    const Transition& into = transitions[walk.via[state]];
    warning(at(into.fields, "to", into.where),
            fmt::format("customers who converted at '{}' can walk back into conversion touchpoint "
                        "'{}' ({}) through {}, which journeys also reach before converting; a "
                        "journey converts only once, so they pass the sale again earning nothing, "
                        "counted as visits to it. Give the after-sale contact touchpoints of its "
                        "own",
                        path.front(), touchpoints[again].id, way, join_names(quoted, " and ")));
  }

  void check_certain_dropouts() {
    for (std::size_t v = 0; v < scenario_.touchpoints.size(); ++v) {
      const Touchpoint& touchpoint = scenario_.touchpoints[v];
      if (touchpoint.dropout != 1.0 || boost::out_degree(v, graph_) == 0) continue;
      std::set<std::string> targets;
      for (auto [edge, end] = boost::out_edges(v, graph_); edge != end; ++edge) {
        targets.insert(scenario_.touchpoints[boost::target(*edge, graph_)].id);
      }
      warning(at(touchpoint.fields, "dropout", touchpoint.where),
              fmt::format("every journey ends at '{}' (dropout 1), so its transitions to {} "
                          "are never taken",
                          touchpoint.id, join_names(targets)));
    }
  }

  // A persona whose affinities (or own numbers, MODEL.md 1.12) rule out every entry, or every
  // way out of a touchpoint it can reach, cannot be simulated as written.
  void check_persona_paths(const Persona& persona) {
    const auto& touchpoints = scenario_.touchpoints;
    const std::size_t n = touchpoints.size();
    std::vector<double> channel_affinities(names_->channel_list.size());
    for (std::size_t c = 0; c < channel_affinities.size(); ++c) {
      channel_affinities[c] = channel_affinity(persona, names_->channel_list[c]);
    }
    std::vector<double> affinity(n);
    for (std::size_t v = 0; v < n; ++v) affinity[v] = channel_affinities[names_->channel_index[v]];
    std::vector<Vertex> starts;
    for (std::size_t v = 0; v < n; ++v) {
      if (persona_entry_weight(persona, touchpoints[v]) > 0.0 && affinity[v] > 0.0) {
        starts.push_back(v);
      }
    }
    if (starts.empty()) {
      report_persona_cannot_start(persona);
      return;
    }
    // The transitions out of each touchpoint, and the targets of those this persona can take
    // (touchpoint v's: open_to[open_begin[v]] to open_to[open_begin[v + 1] - 1]).
    const TransitionsOut& out = transitions_out();
    std::vector<std::size_t> open_begin(n + 1, 0);
    std::vector<std::size_t> open_to;
    open_to.reserve(out.transitions.size());
    for (std::size_t v = 0; v < n; ++v) {
      open_begin[v] = open_to.size();
      for (std::size_t k : out.of(v)) {
        const Transition& t = scenario_.transitions[k];
        const std::size_t to = ends_of(k).second;
        // A journey weight of 0 is an error of its own (weights are above 0); a persona's own 0
        // closes the transition for it.
        const double weight = persona_transition_weight(persona, t);
        if (affinity[to] > 0.0 && (weight > 0.0 || weight == t.weight)) open_to.push_back(to);
      }
    }
    open_begin[n] = open_to.size();
    const auto open_of = [&](std::size_t v) {
      return std::span<const std::size_t>(open_to).subspan(open_begin[v],
                                                           open_begin[v + 1] - open_begin[v]);
    };
    std::vector<char> reached(n, 0);
    // Breadth first: `queue` holds the touchpoints reached, in order, from `head` on unvisited.
    std::vector<std::size_t> queue(starts.begin(), starts.end());
    for (std::size_t v : starts) reached[v] = 1;
    for (std::size_t head = 0; head < queue.size(); ++head) {
      for (std::size_t w : open_of(queue[head])) {
        if (!reached[w]) {
          reached[w] = 1;
          queue.push_back(w);
        }
      }
    }
    for (std::size_t v = 0; v < n; ++v) {
      if (!reached[v] || persona_dropout(persona, touchpoints[v]) >= 1.0) continue;
      if (out.of(v).empty() || !open_of(v).empty()) continue;
      report_persona_cannot_leave(persona, v, out.of(v));
    }
    if (!has_overrides(persona)) return;
    std::vector<std::vector<std::size_t>> open(n);
    for (std::size_t v = 0; v < n; ++v) open[v].assign(open_of(v).begin(), open_of(v).end());
    check_persona_cycles(persona, reached, open);
  }

  // A cycle the persona's own numbers close (MODEL.md 1.12): every way out of it weighted 0 for
  // the persona, or every dropout in it 0 for the persona, where the journey's own numbers
  // leave it (the journey's own closed cycles have their error already).
  void check_persona_cycles(const Persona& persona, const std::vector<char>& reached,
                            const std::vector<std::vector<std::size_t>>& open) {
    const auto& touchpoints = scenario_.touchpoints;
    const std::size_t n = touchpoints.size();
    JourneyGraph graph(n);
    for (std::size_t v = 0; v < n; ++v) {
      for (std::size_t w : open[v]) boost::add_edge(v, w, graph);
    }
    std::vector<std::size_t> component(n);
    const std::size_t count = boost::strong_components(
        graph, boost::make_iterator_property_map(component.begin(),
                                                 boost::get(boost::vertex_index, graph)));
    std::vector<char> leaves(count, 0), loops(count, 0), leaves_in_journey(count, 0);
    for (std::size_t v = 0; v < n; ++v) {
      for (std::size_t w : open[v]) {
        if (component[v] != component[w]) leaves[component[v]] = 1;
        if (v == w) loops[component[v]] = 1;
      }
    }
    for (auto [edge, end] = boost::edges(graph_); edge != end; ++edge) {
      const std::size_t from = boost::source(*edge, graph_), to = boost::target(*edge, graph_);
      if (component[from] != component[to]) leaves_in_journey[component[from]] = 1;
    }
    std::vector<std::vector<std::size_t>> members(count);
    for (std::size_t v = 0; v < n; ++v) members[component[v]].push_back(v);
    for (std::size_t c = 0; c < count; ++c) {
      const std::vector<std::size_t>& m = members[c];
      if ((m.size() < 2 && !loops[c]) || leaves[c] || !reached[m.front()]) continue;
      const bool persona_drops = std::any_of(m.begin(), m.end(), [&](std::size_t v) {
        return persona_dropout(persona, touchpoints[v]) > 0.0;
      });
      if (persona_drops) continue;
      const bool journey_drops = std::any_of(m.begin(), m.end(), [&](std::size_t v) {
        return touchpoints[v].dropout > 0.0;
      });
      if (!leaves_in_journey[c] && !journey_drops) continue;  // the journey's own error
      std::vector<std::string> ids;
      for (std::size_t v : m) ids.push_back(touchpoints[v].id);
      const SourceLocation where = persona.transitions.empty()
                                       ? at(persona.fields, "dropout", persona.where)
                                       : in_file(persona.transitions.front().where);
      error(where, fmt::format("persona '{}' can never end a journey that enters {}: its own "
                               "numbers leave no dropout and no way out of this cycle; only "
                               "max_steps would stop it",
                               persona.id, name_set(ids)));
    }
  }

  // Every transition out of `v` is closed for the persona: by a weight of its own, or by an
  // affinity of 0 for its target's channel. Said at the first the persona's own numbers close.
  void report_persona_cannot_leave(const Persona& persona, std::size_t v,
                                   std::span<const std::size_t> out) {
    const auto& touchpoints = scenario_.touchpoints;
    for (std::size_t k : out) {
      const Transition& t = scenario_.transitions[k];
      for (const PersonaTransition& own : persona.transitions) {
        if (own.from != t.from || own.to != t.to || own.weight > 0.0) continue;
        error(in_file(own.where),
              fmt::format("persona '{}' can never leave '{}': its transitions give every way out "
                          "of it weight 0{}; each touchpoint with transitions out must keep a "
                          "positive total weight",
                          persona.id, touchpoints[v].id,
                          has_overrides(persona) && !persona.channel_affinity.empty()
                              ? " (or lead to a channel with affinity 0)"
                              : ""));
        return;
      }
    }
    const std::size_t first_target = index_of_.find(scenario_.transitions[out.front()].to)->second;
    error(at(persona.fields, "channel_affinity." + touchpoints[first_target].channel,
             persona.where),
          fmt::format("persona '{}' can never leave '{}': every transition out of it goes to a "
                      "channel with affinity 0",
                      persona.id, touchpoints[v].id));
  }

  void report_persona_cannot_start(const Persona& persona) {
    if (!persona.entry.empty()) {
      // An entry that names no touchpoint has its error already.
      for (const auto& [id, weight] : persona.entry) {
        if (index_of_.count(id) == 0) return;
      }
      error(at(persona.fields, "entry", persona.where),
            fmt::format("persona '{}' can never start a journey: every touchpoint of its entry is "
                        "on a channel with affinity 0 for it",
                        persona.id));
      return;
    }
    std::set<std::string> channels;
    for (Vertex v : entries()) channels.insert(scenario_.touchpoints[v].channel);
    error(at(persona.fields, "channel_affinity", persona.where),
          fmt::format("persona '{}' can never start a journey: every entry touchpoint is on a "
                      "channel with affinity 0 for it ({})",
                      persona.id, join_names(channels)));
  }

  const Scenario& scenario_;
  Diagnostics& diagnostics_;
  const Diagnostics* read_problems_ = nullptr;
  const ChangedParts* changed_ = nullptr;
  // The scenario's names, or its base's (shared by every design point of that base).
  std::shared_ptr<const ValidationNames> names_;
  const std::map<std::string, std::size_t, std::less<>>& index_of_;
  const std::vector<std::string>& ids_;
  const std::set<std::string, std::less<>>& channels_;
  const std::set<std::string, std::less<>>& stage_set_;
  const std::set<std::string, std::less<>>& used_stages_;
  const JourneyGraph& graph_;
};

}  // namespace

void validate_scenario(const Scenario& scenario, Diagnostics& diagnostics) {
  Validation(scenario, diagnostics).run();
}

namespace {

// The touchpoint numbers that the whole journey's checks never read (entries, endless cycles,
// persona paths: they read entry weights, dropouts and durations).
constexpr std::string_view kTouchpointNumbersUnread[] = {
    "emotion.mean", "emotion.sd", "cost", "conversion.value", "patience_hours", "wait_penalty"};

// Notes in `changed` what of the whole journey's error checks parameter `p` can change.
void note_whole_journey_reads(const Scenario& base, const ParameterPath& p,
                              ChangedParts& changed) {
  switch (p.entity) {
    case ParameterPath::Entity::touchpoint: {
      if (std::ranges::find(kTouchpointNumbersUnread, p.field) !=
          std::end(kTouchpointNumbersUnread)) {
        return;
      }
      const auto found = std::find_if(base.touchpoints.begin(), base.touchpoints.end(),
                                      [&](const Touchpoint& t) { return t.id == p.id; });
      if (p.field == "dropout" && found != base.touchpoints.end()) {
        changed.dropouts.emplace_back(
            static_cast<std::size_t>(found - base.touchpoints.begin()), found->dropout);
        return;
      }
      changed.whole_journey = true;
      return;
    }
    case ParameterPath::Entity::transition:
      if (p.field != "emotion_bias") changed.whole_journey = true;
      return;
    case ParameterPath::Entity::persona:
      changed.whole_journey = true;  // shares, affinities, their own entries and dropouts
      return;
    case ParameterPath::Entity::settings:
      if (p.field == "horizon_hours") changed.whole_journey = true;
      return;
    default:
      return;  // the calendar's parts: no whole-journey check reads them
  }
}

}  // namespace

ChangedParts changed_parts(const Scenario& base, std::span<const ParameterPath> paths) {
  ChangedParts changed;
  changed.touchpoints.assign(base.touchpoints.size(), false);
  changed.transitions.assign(base.transitions.size(), false);
  changed.personas.assign(base.personas.size(), false);
  changed.names = names_of(base);
  // The first part of each id, as set_parameter finds it.
  const auto mark = [](std::vector<bool>& marks, const auto& parts, const auto& names_it) {
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (!names_it(parts[i])) continue;
      marks[i] = true;
      return;
    }
  };
  for (const ParameterPath& p : paths) {
    switch (p.entity) {
      case ParameterPath::Entity::touchpoint:
        mark(changed.touchpoints, base.touchpoints, [&](const Touchpoint& t) { return t.id == p.id; });
        break;
      case ParameterPath::Entity::transition:
        mark(changed.transitions, base.transitions,
             [&](const Transition& e) { return e.from == p.from && e.to == p.to; });
        break;
      case ParameterPath::Entity::persona:
        mark(changed.personas, base.personas, [&](const Persona& q) { return q.id == p.id; });
        break;
      default:
        break;  // settings and the calendar's parts are checked whole
    }
    note_whole_journey_reads(base, p, changed);
  }
  return changed;
}

void validate_changed(const Scenario& scenario, const ChangedParts& changed,
                      Diagnostics& diagnostics) {
  if (changed.touchpoints.size() != scenario.touchpoints.size() ||
      changed.transitions.size() != scenario.transitions.size() ||
      changed.personas.size() != scenario.personas.size()) {
    validate_scenario(scenario, diagnostics);  // not the base's shape: check it all
    return;
  }
  Validation(scenario, diagnostics, nullptr, &changed).run();
}

void validate_partly_read(const Scenario& scenario, const Diagnostics& read_problems,
                          Diagnostics& diagnostics) {
  Validation(scenario, diagnostics, &read_problems).run();
}

std::optional<Scenario> load_valid_scenario(const std::string& path, Diagnostics& diagnostics) {
  // Errors the caller collected before this call are not this scenario's.
  const std::size_t errors_before = diagnostics.error_count();
  std::optional<Scenario> scenario = load_scenario_file(path, diagnostics);
  if (!scenario) return std::nullopt;
  validate_scenario(*scenario, diagnostics);
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  return scenario;
}

}  // namespace cjsim
