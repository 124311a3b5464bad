// Attribution through the library API: observed paths, or a journey's simulated paths and
// its removal effects.
#include "sim/api/attribute.h"

#include <fmt/format.h>

#include <map>
#include <stdexcept>

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
  const ObservedJourneys simulated = observed_from_simulation(journey, *result.detail);

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

  // Removal of each channel (touchpoint) from the journey itself.
  std::vector<TouchpointGroup> groups(paths.channels.size());
  for (std::size_t c = 0; c < paths.channels.size(); ++c) groups[c].name = paths.channels[c];
  std::map<std::string, std::size_t> group_of;
  for (std::size_t c = 0; c < paths.channels.size(); ++c) group_of[paths.channels[c]] = c;
  for (const Touchpoint& t : scenario.touchpoints) {
    const auto it = group_of.find(o.by_touchpoint ? t.id : t.channel);
    if (it != group_of.end()) groups[it->second].touchpoints.insert(t.id);
  }
  if (why_not_markov(journey).empty()) {
    const ExactRemovals exact = exact_removal_effects(scenario, groups);
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
    options.agent_paths = false;
    options.agent_records = false;
    const SimulatedRemovals simulated_removals =
        simulated_removal_effects(scenario, groups, options);
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
