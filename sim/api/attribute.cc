// Attribution through the library API: observed paths, or a journey's simulated paths and
// its removal effects.
#include "sim/api/attribute.h"

#include <fmt/format.h>

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/attribution/attribution.h"
#include "models/attribution/removal_effects.h"
#include "models/fit/simulated_journeys.h"
#include "sim/api/limits.h"
#include "sim/api/observed.h"
#include "sim/api/stage.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/markov.h"

namespace cjsim {

bool is_journey_file(const std::string& path) {
  for (const char* suffix : {".yaml", ".yml", ".json"}) {
    const std::string_view s(suffix);
    if (path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0)
      return true;
  }
  return false;
}

namespace {

AttributionLevel level_of(const AttributeRequest& o) {
  return o.by_touchpoint ? AttributionLevel::touchpoint : AttributionLevel::channel;
}

// Heuristics and Markov orders 1..k on channel paths, as table columns.
void add_path_columns(AttributionTable& table, const ChannelPaths& paths, int max_order) {
  table.channels = paths.channels;
  table.totals.emplace_back("conversions", paths.conversions());
  table.totals.emplace_back("conversion_value", paths.value());
  double customers = 0.0;
  for (const ChannelPaths::Path& p : paths.paths) customers += p.conversions + p.nulls;
  table.totals.emplace_back("customers", customers);
  const HeuristicAttribution h = heuristic_attribution(paths);
  table.columns.emplace_back("first_touch_conversions", h.first_touch_conversions);
  table.columns.emplace_back("first_touch_value", h.first_touch_value);
  table.columns.emplace_back("last_touch_conversions", h.last_touch_conversions);
  table.columns.emplace_back("last_touch_value", h.last_touch_value);
  table.columns.emplace_back("linear_conversions", h.linear_conversions);
  table.columns.emplace_back("linear_value", h.linear_value);
  for (int k = 1; k <= max_order; ++k) {
    const MarkovAttribution m = markov_attribution(paths, k);
    table.columns.emplace_back(fmt::format("markov_{}_removal_effect", k), m.removal_effect);
    table.columns.emplace_back(fmt::format("markov_{}_conversions", k), m.conversions);
    table.columns.emplace_back(fmt::format("markov_{}_value_removal_effect", k),
                               m.value_removal_effect);
    table.columns.emplace_back(fmt::format("markov_{}_value", k), m.value);
    table.totals.emplace_back(fmt::format("markov_{}_states", k), static_cast<double>(m.states));
    table.totals.emplace_back(fmt::format("markov_{}_conversion_probability", k),
                              m.conversion_probability);
  }
  table.notes.push_back(
      "Markov removal effects are exact (absorbing-chain closed forms), not simulated; "
      "repeated consecutive states are merged and attributed conversions are the removal "
      "effects normalised to the total, as in ChannelAttribution's markov_model.");
}

AttributionTable attribute_data(const AttributeRequest& o, const Context& context) {
  if (o.entry_traffic) {
    throw std::runtime_error(fmt::format(
        "{}: --entry-traffic applies to a journey file; removal effects on observed paths "
        "follow Markov attribution, where the customers of a removed entry are lost",
        o.input));
  }
  const ObservedJourneys data = load_observed(o.input, o.read, context);
  const ChannelPaths paths = channel_paths(
      data, level_of(o));
  if (paths.conversions() == 0.0) {
    throw std::runtime_error(
        fmt::format("{}: no path converted: there is nothing to attribute", o.input));
  }
  AttributionTable table;
  table.source = o.input;
  table.level = o.by_touchpoint ? "touchpoint" : "channel";
  check_attribution_size(paths, o.order, o.run.allow_long, context);
  add_path_columns(table, paths, o.order);
  return table;
}

// A conversion with no way on (converting, no transition out: the `conversion` touchpoint a
// fitted journey ends with, or a journey's final purchase) is the conversion itself, as the
// conversion a path-table reader appends is: every converting path would end there, so it
// would take all of last touch and a removal effect of 1 without telling anything. Its visits
// leave the paths (the conversion moves to the visit before); returns the ids left out.
std::vector<std::string> leave_out_conversion_events(const CompiledJourney& journey,
                                                     ObservedJourneys& paths) {
  std::vector<std::uint8_t> event(journey.touchpoint_count(), 0);
  std::vector<std::string> ids;
  for (std::size_t v = 0; v < journey.touchpoint_count(); ++v) {
    if (journey.is_conversion[v] && journey.out_begin[v + 1] == journey.out_begin[v]) {
      event[v] = 1;
      ids.push_back(journey.touchpoint_ids[v]);
    }
  }
  if (ids.empty()) return ids;
  for (ObservedPath& path : paths.paths) {
    std::size_t kept = 0;
    std::int64_t conversion_step = -1;
    for (std::size_t i = 0; i < path.touchpoints.size(); ++i) {
      const bool is_event = event[path.touchpoints[i]] != 0;
      if (static_cast<std::int64_t>(i) == path.conversion_step) {
        conversion_step = static_cast<std::int64_t>(is_event ? kept : kept + 1) - 1;
      }
      if (!is_event) path.touchpoints[kept++] = path.touchpoints[i];
    }
    path.touchpoints.resize(kept);
    // Converted on entering at the event itself: no touchpoint before it to credit.
    if (path.conversion_step >= 0 && conversion_step < 0) path.count = 0;
    path.conversion_step = conversion_step;
  }
  return ids;
}

// Which removals take away a touchpoint where journeys start, and what then becomes of its
// customers: said whenever it applies, since the two readings differ (a lost entry costs its
// whole traffic; a redistributed one only what its own path added).
void add_entry_traffic_note(AttributionTable& table, const Scenario& scenario,
                            const std::vector<TouchpointGroup>& groups, EntryTraffic entries) {
  std::string removals;
  std::size_t count = 0;
  for (const TouchpointGroup& group : groups) {
    const std::vector<std::string> ids = removed_entries(scenario, group.touchpoints);
    if (ids.empty()) continue;
    ++count;
    if (count <= 5) removals += (removals.empty() ? "'" : ", '") + group.name + "'";
  }
  if (count == 0) return;
  if (count > 5) removals += fmt::format(" and {} more", count - 5);
  table.notes.push_back(
      entries == EntryTraffic::lost
          ? fmt::format("Removing {} removes where journeys start: the customers who would start "
                        "there are lost (--entry-traffic lost, the removal-effect convention); "
                        "--entry-traffic redistributed starts them at the other entries instead.",
                        removals)
          : fmt::format("Removing {} removes where journeys start: the customers who would start "
                        "there start at the other entries instead, in proportion to their entry "
                        "weights (--entry-traffic redistributed).",
                        removals));
}

AttributionTable attribute_journey(const AttributeRequest& o, const Context& context) {
  const Scenario scenario = load_journey(o.input, context);
  const CompiledJourney journey = compile(scenario);
  RunOptions options = run_options(o.run, scenario);
  options.agent_paths = true;
  options.agent_records = true;
  check_detail_memory(options.agents, options.replications, true);
  check_journey_lengths({&journey, 1}, options.agents, options.replications, o.run.allow_long,
                        context);
  const Stage stage(context, "simulating paths", "agents", options);
  const RunResult result = run(journey, options);
  ObservedJourneys simulated = observed_from_simulation(journey, *result.detail);
  const std::vector<std::string> events = leave_out_conversion_events(journey, simulated);

  AttributionTable table;
  table.source = o.input;
  table.level = o.by_touchpoint ? "touchpoint" : "channel";
  const ChannelPaths paths = channel_paths(
      simulated, level_of(o));
  if (paths.conversions() == 0.0) {
    throw std::runtime_error(
        fmt::format("{}: no simulated agent converted: there is nothing to attribute", o.input));
  }
  check_attribution_size(paths, o.order, o.run.allow_long, context);
  add_path_columns(table, paths, o.order);
  table.notes.push_back(fmt::format(
      "Heuristics and Markov columns are computed on {} simulated agents' paths.", options.agents));
  if (!events.empty()) {
    std::string quoted;
    for (const std::string& id : events) quoted += (quoted.empty() ? "'" : ", '") + id + "'";
    table.notes.push_back(fmt::format(
        "{} {} with no way on: the conversion itself, not a touchpoint that earns credit, so "
        "left out of the paths.",
        events.size() == 1 ? "Touchpoint " + quoted : "Touchpoints " + quoted,
        events.size() == 1 ? "converts" : "convert"));
  }

  // Removal of each channel (touchpoint) from the journey itself.
  std::vector<TouchpointGroup> groups(paths.channels.size());
  for (std::size_t c = 0; c < paths.channels.size(); ++c) groups[c].name = paths.channels[c];
  std::map<std::string, std::size_t> group_of;
  for (std::size_t c = 0; c < paths.channels.size(); ++c) group_of[paths.channels[c]] = c;
  for (const Touchpoint& t : scenario.touchpoints) {
    const auto it = group_of.find(o.by_touchpoint ? t.id : t.channel);
    if (it != group_of.end()) groups[it->second].touchpoints.insert(t.id);
  }
  const EntryTraffic entries = o.entry_traffic.value_or(EntryTraffic::lost);
  add_entry_traffic_note(table, scenario, groups, entries);
  if (why_not_markov(journey).empty()) {
    const ExactRemovals exact = exact_removal_effects(scenario, groups, entries);
    std::vector<double> conversion, value;
    for (const ExactRemoval& r : exact.groups) {
      conversion.push_back(r.conversion_effect);
      value.push_back(r.value_effect);
    }
    table.columns.emplace_back("journey_removal_effect", conversion);
    table.columns.emplace_back("journey_value_removal_effect", value);
    table.totals.emplace_back("journey_conversion_probability", exact.conversion_probability);
  } else {
    table.notes.push_back("The journey is not a Markov chain (" + why_not_markov(journey) +
                          "): its removal effects are measured by simulation only.");
  }
  if (o.simulate_removals) {
    options.agent_paths = options.agent_path_hours = false;
    options.agent_records = false;
    const SimulatedRemovals simulated_removals =
        simulated_removal_effects(scenario, groups, options, entries);
    std::vector<double> effect, value_effect, loss, low, high;
    for (const SimulatedRemoval& r : simulated_removals.groups) {
      effect.push_back(r.conversion_effect);
      value_effect.push_back(r.value_effect);
      loss.push_back(r.conversion_loss.value);
      low.push_back(r.conversion_loss.low);
      high.push_back(r.conversion_loss.high);
    }
    table.columns.emplace_back("simulated_removal_effect", effect);
    table.columns.emplace_back("simulated_value_removal_effect", value_effect);
    table.columns.emplace_back("simulated_conversion_loss", loss);
    table.columns.emplace_back("simulated_conversion_loss_low", low);
    table.columns.emplace_back("simulated_conversion_loss_high", high);
    table.totals.emplace_back("simulated_conversion_rate",
                              simulated_removals.conversion_rate.value);
    table.notes.push_back(
        "Simulated removal: the journey and each removal run on the same agents (common random "
        "numbers); the loss of conversion rate has a 95% interval from the paired agents.");
  }
  return table;
}

}  // namespace

AttributionTable attribute(const AttributeRequest& request, const Context& context) {
  return is_journey_file(request.input) ? attribute_journey(request, context)
                                        : attribute_data(request, context);
}

}  // namespace cjsim
