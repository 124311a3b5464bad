// `cjsim attribute DATA-or-SCENARIO`: conversions and value shared among channels by Markov
// removal effects (orders 1..k, exact) and the first-touch, last-touch and linear heuristics;
// on a journey file, also by removal measured in simulation on common random numbers.
#include <fmt/format.h>

#include <iostream>
#include <map>
#include <memory>
#include <stdexcept>

#include "models/attribution/attribution.h"
#include "models/attribution/removal_effects.h"
#include "models/fit/simulated_journeys.h"
#include "reports/html/html_report.h"
#include "reports/render/attribution_report.h"
#include "sim/cli/commands.h"
#include "sim/cli/observed_flags.h"
#include "sim/cli/resource_limits.h"
#include "sim/cli/run_support.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/markov.h"

namespace cjsim {
namespace {

struct AttributeOptions {
  std::string input;
  ObservedReadOptions read;
  std::string level = "channel";
  int order = 1;
  std::string csv;
  bool json = false;
  bool no_simulation = false;
  SimulationFlags flags;
};

bool is_journey_file(const std::string& path) {
  for (const char* suffix : {".yaml", ".yml", ".json"}) {
    const std::string_view s(suffix);
    if (path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0)
      return true;
  }
  return false;
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

AttributionTable attribute_data(const AttributeOptions& o) {
  const ObservedJourneys data = load_observed_for_command(o.input, o.read);
  const ChannelPaths paths = channel_paths(
      data, o.level == "channel" ? AttributionLevel::channel : AttributionLevel::touchpoint);
  if (paths.conversions() == 0.0) {
    throw std::runtime_error(
        fmt::format("{}: no path converted: there is nothing to attribute", o.input));
  }
  AttributionTable table;
  table.source = o.input;
  table.level = o.level;
  check_attribution_size(paths, o.order, o.flags.allow_long);
  add_path_columns(table, paths, o.order);
  return table;
}

AttributionTable attribute_journey(const AttributeOptions& o) {
  const Scenario scenario = load_for_command(o.input);
  const CompiledJourney journey = compile(scenario);
  RunOptions options = run_options_from(o.flags, scenario);
  options.agent_paths = true;
  options.agent_records = true;
  check_detail_memory(options.agents, options.replications, true);
  check_journey_lengths({&journey, 1}, options.agents, options.replications, o.flags.allow_long);
  RunMonitor monitor("simulating paths", options);
  const RunResult result = run(journey, options);
  const ObservedJourneys simulated = observed_from_simulation(journey, *result.detail);

  AttributionTable table;
  table.source = o.input;
  table.level = o.level;
  const ChannelPaths paths = channel_paths(
      simulated, o.level == "channel" ? AttributionLevel::channel : AttributionLevel::touchpoint);
  if (paths.conversions() == 0.0) {
    throw std::runtime_error(
        fmt::format("{}: no simulated agent converted: there is nothing to attribute", o.input));
  }
  check_attribution_size(paths, o.order, o.flags.allow_long);
  add_path_columns(table, paths, o.order);
  table.notes.push_back(fmt::format(
      "Heuristics and Markov columns are computed on {} simulated agents' paths.", options.agents));

  // Removal of each channel (touchpoint) from the journey itself.
  std::vector<TouchpointGroup> groups(paths.channels.size());
  for (std::size_t c = 0; c < paths.channels.size(); ++c) groups[c].name = paths.channels[c];
  std::map<std::string, std::size_t> group_of;
  for (std::size_t c = 0; c < paths.channels.size(); ++c) group_of[paths.channels[c]] = c;
  for (const Touchpoint& t : scenario.touchpoints) {
    const auto it = group_of.find(o.level == "channel" ? t.channel : t.id);
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
  if (!o.no_simulation) {
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
  monitor.finish();
  return table;
}

int attribute_command(const AttributeOptions& o) {
  CommandOutputs outputs(overwrite_of(o.flags));
  outputs.add_input(o.input, is_journey_file(o.input) ? "the journey file" : "the data file");
  outputs.add_standard_output();
  PendingFile* csv = o.csv.empty() ? nullptr : &outputs.add("--csv", o.csv);
  const AttributionTable table =
      is_journey_file(o.input) ? attribute_journey(o) : attribute_data(o);
  if (csv != nullptr) csv->write(attribution_csv(table));
  if (o.json) {
    std::cout << attribution_json(table).dump(2) << "\n";
  } else {
    std::cout << attribution_text(table);
  }
  outputs.commit();
  if (csv != nullptr && !o.json) std::cout << "\nTable written to " << o.csv << "\n";
  return 0;
}

}  // namespace

CommandAction add_attribute_command(CLI::App& command) {
  auto o = std::make_shared<AttributeOptions>();
  command
      .add_option("input", o->input,
                  "Observed journeys (an event log or a path table, CSV) or a journey file "
                  "(.yaml, .yml, .json) to simulate")
      ->required();
  command.add_option("--by", o->level, "Attribute to channels or to touchpoints")
      ->check(CLI::IsMember({"channel", "touchpoint"}))
      ->capture_default_str();
  command.add_option("-k,--order", o->order, "Highest Markov order (1: first order)")
      ->check(CLI::Range(1, 6))
      ->capture_default_str();
  command.add_option("--csv", o->csv, "Write the table as CSV to this file")
      ->check(file_name_check());
  command.add_flag("--json", o->json, "Print the table as one JSON object");
  command.add_flag("--no-simulation", o->no_simulation,
                   "On a journey file, skip the removal effects measured by simulation");
  command.add_option("-n,--agents", o->flags.agents, "On a journey file: agents simulated")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{10000000}))
      ->capture_default_str();
  add_seed_option(command, o->flags.seed, "On a journey file: random seed");
  command.add_option("-t,--threads", o->flags.threads, "Worker threads (default: every core)")
      ->check(CLI::Range(0u, 4096u));
  command.add_flag("-f,--force", o->flags.force, "Overwrite the --csv file if it exists");
  add_allow_long_flag(command, o->flags.allow_long);
  add_observed_data_flags(command, o->read);
  return [o] { return attribute_command(*o); };
}

}  // namespace cjsim
