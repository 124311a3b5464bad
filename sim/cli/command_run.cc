// `cjsim run`: load, validate and compile a journey, simulate it, print and store the results.
#include <iostream>
#include <memory>

#include "reports/html/html_report.h"
#include "reports/render/json_report.h"
#include "reports/render/text_report.h"
#include "reports/store/hdf5_results.h"
#include "reports/store/results_reader.h"
#include "sim/cli/commands.h"
#include "sim/cli/html_reports.h"
#include "sim/cli/resource_limits.h"
#include "sim/cli/run_support.h"
#include "sim/engine/engine.h"
#include "sim/engine/summary.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {
namespace {

struct RunCommandOptions {
  std::string scenario;
  SimulationFlags flags;
  bool agents_detail = false;
  bool paths = false;
  std::string report;  // HTML report to write
};

int run_command(const RunCommandOptions& o) {
  const SimulationFlags& flags = o.flags;
  const Scenario scenario = load_for_command(o.scenario);
  const CompiledJourney journey = compile(scenario);
  CommandOutputs outputs(overwrite_of(flags));
  add_scenario_inputs(outputs, scenario, o.scenario);
  outputs.add_standard_output();
  PendingFile* out = flags.out.empty() ? nullptr
                                       : &outputs.add("--out", flags.out, kLeastResultFileBytes);
  PendingFile* report = o.report.empty() ? nullptr : &outputs.add("--report", o.report);
  check_detail_memory(flags.agents, flags.replications, o.agents_detail || o.paths);
  check_journey_lengths({&journey, 1}, flags.agents, flags.replications, flags.allow_long);

  RunOptions options = run_options_from(flags, scenario);
  options.agent_records = o.agents_detail || o.paths;
  options.agent_paths = o.paths;
  share_run_over_processes(options, options.agent_records);
  check_run_memory({&journey, 1}, options);
  RunMonitor monitor("simulating", options);
  RunResult result = run(journey, options);
  monitor.finish();
  if (!gather_run_over_processes(result)) return 0;  // rank 0 alone reports
  const Summary summary = summarize(journey, result.replications);
  const RunMetadata metadata = metadata_for(scenario, o.scenario, options, result);

  if (out != nullptr) write_run_file(*out, journey, metadata, result, summary);
  if (report != nullptr) report->write(html_report(single_run_report(summary, metadata)));
  if (flags.json) {
    std::cout << summary_json(summary, result.seconds).dump(2) << "\n";
  } else {
    std::cout << text_report(summary, metadata);
  }
  outputs.commit();
  if (out != nullptr && !flags.json) std::cout << "\nResults written to " << flags.out << "\n";
  return 0;
}

}  // namespace

CommandAction add_run_command(CLI::App& command) {
  auto o = std::make_shared<RunCommandOptions>();
  command.add_option("scenario", o->scenario, "Journey file (YAML, or JSON)")->required();
  add_simulation_flags(command, o->flags, "Write the results to this HDF5 file",
                       "Print the summary as one JSON object instead of text");
  command.add_flag("--agents-detail", o->agents_detail,
                   "Store one row per agent in the HDF5 file (memory grows with the agents)");
  command.add_flag("--paths", o->paths,
                   "Store each agent's path of touchpoints too (implies --agents-detail)");
  command
      .add_option("--report", o->report,
                  "Write an HTML report of the results (charts, tables; opens offline)")
      ->check(file_name_check())
      ->check(html_reports_check());
  return [o] { return run_command(*o); };
}

}  // namespace cjsim
