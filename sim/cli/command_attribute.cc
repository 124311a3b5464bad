// `cjsim attribute DATA-or-SCENARIO`: conversions and value shared among channels by Markov
// removal effects (orders 1..k, exact) and the first-touch, last-touch and linear heuristics;
// on a journey file, also by removal measured in simulation on common random numbers.
#include <iostream>
#include <memory>

#include "reports/render/attribution_report.h"
#include "sim/api/attribute.h"
#include "sim/cli/commands.h"
#include "sim/cli/observed_flags.h"
#include "sim/cli/run_support.h"

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
  std::string entry_traffic;
  SimulationFlags flags;
};

int attribute_command(const AttributeOptions& o, const Context& context) {
  CommandOutputs outputs(overwrite_of(o.flags));
  outputs.add_input(o.input, is_journey_file(o.input) ? "the journey file" : "the data file");
  outputs.add_standard_output();
  PendingFile* csv = o.csv.empty() ? nullptr : &outputs.add("--output", o.csv);
  AttributeRequest request;
  request.input = o.input;
  request.read = o.read;
  request.by_touchpoint = o.level == "touchpoint";
  request.order = o.order;
  request.simulate_removals = !o.no_simulation;
  request.run = run_settings(o.flags);
  if (!o.entry_traffic.empty()) request.entry_traffic = entry_traffic_from_name(o.entry_traffic);
  const InterruptGuard interrupt;
  const AttributionTable table = attribute(request, context);
  if (csv != nullptr) csv->write(attribution_csv(table));
  if (o.json) {
    std::cout << attribution_json(table).dump(2) << "\n";
  } else {
    std::cout << attribution_text(table);
  }
  commit_and_announce(outputs);
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
      ->check(whole_number(1, 6))
      ->capture_default_str();
  command.add_option("-o,--output,--csv", o->csv, "Write the table as CSV to this file")
      ->check(file_name_check());
  command.add_flag("--json", o->json, "Print the table as one JSON object");
  command
      .add_option("--entry-traffic", o->entry_traffic,
                  "On a journey file: removing a touchpoint where journeys start loses its "
                  "customers (lost, the default: the removal-effect convention) or starts them "
                  "at the other entries (redistributed)")
      ->check(CLI::IsMember({"lost", "redistributed"}));
  command.add_flag("--no-simulation", o->no_simulation,
                   "On a journey file, skip the removal effects measured by simulation");
  command.add_option("-n,--agents", o->flags.agents, "On a journey file: agents simulated")
      ->check(whole_number(1, 10000000))
      ->capture_default_str();
  add_seed_option(command, o->flags.seed, "On a journey file: random seed");
  add_threads_option(command, o->flags.threads);
  command.add_flag("-f,--force", o->flags.force, "Overwrite the output file if it exists");
  add_allow_long_flag(command, o->flags.allow_long);
  add_observed_data_flags(command, o->read);
  return [o](const Context& context) { return attribute_command(*o, context); };
}

}  // namespace cjsim
