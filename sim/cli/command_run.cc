// `cjsim run`: load, validate and compile a journey, simulate it, print and store the results.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "reports/html/html_report.h"
#include "reports/render/calendar_report.h"
#include "reports/render/json_report.h"
#include "reports/render/text_report.h"
#include "reports/store/hdf5_results.h"
#include "reports/store/results_reader.h"
#include "sim/cli/commands.h"
#include "sim/cli/resource_limits.h"
#include "sim/cli/run_support.h"
#include "sim/engine/calendar.h"
#include "sim/engine/calendar_summary.h"
#include "sim/engine/engine.h"
#include "sim/dist/process_group.h"
#include "sim/engine/summary.h"
#include "sim/model/compiled_calendar.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {
namespace {

struct RunCommandOptions {
  std::string scenario;
  SimulationFlags flags;
  bool agents_detail = false;
  bool paths = false;
  std::string report;  // HTML report to write
  std::int64_t days = 0;         // calendar journeys: overrides calendar.days
  std::int64_t warmup_days = 0;  // calendar journeys: days left out of the figures
  const CLI::Option* agents_option = nullptr;
};

[[noreturn]] void refuse(const std::string& message) {
  std::cerr << fmt::format("cjsim: run: {}\n", message);
  throw ReportedError(kExitBadInput);
}

// A calendar journey (sim/model/MODEL.md Part 2): arrivals decide how many agents there are.
int run_calendar_command(const RunCommandOptions& o, const Scenario& scenario,
                         const CompiledJourney& journey) {
  if (o.agents_option->count() > 0) {
    refuse(fmt::format("--agents does not apply to '{}', a calendar journey: its arrivals decide "
                       "how many agents there are; change calendar.arrivals_per_day or give "
                       "--days",
                       o.scenario));
  }
  if (!o.flags.out.empty() || !o.report.empty() || o.agents_detail || o.paths) {
    refuse("--out, --report, --agents-detail and --paths do not take a calendar journey yet; "
           "use --json");
  }
  // Replications are not yet spread over MPI processes: the first runs them all, with the
  // results of a single process, and alone prints them.
  if (!ProcessGroup::world().root()) return 0;
  const CompiledCalendar calendar = compile_calendar(scenario, journey, o.days);
  if (o.warmup_days >= calendar.days) {
    refuse(fmt::format("--warmup-days {} leaves nothing of a run of {} days to measure",
                       o.warmup_days, calendar.days));
  }
  const RunOptions plain = run_options_from(o.flags, scenario);
  CalendarOptions options;
  options.seed = plain.seed;
  options.replications = plain.replications;
  options.threads = plain.threads;
  options.warmup_days = o.warmup_days;
  InterruptGuard interrupt;
  options.cancel = &interrupt.flag();
  const CalendarRunResult result = run_calendar(journey, calendar, options);
  const CalendarSummary summary = summarize_calendar(journey, calendar, result);
  if (o.flags.json) {
    std::cout << calendar_summary_json(summary, result.seconds).dump(2) << "\n";
    return 0;
  }
  RunMetadata metadata;
  metadata.seed = result.seed;
  metadata.replications = options.replications;
  metadata.threads = result.threads;
  metadata.seconds = result.seconds;
  std::cout << calendar_text_report(summary, metadata);
  return 0;
}

int run_command(const RunCommandOptions& o) {
  const SimulationFlags& flags = o.flags;
  const Scenario scenario = load_for_command(o.scenario);
  const CompiledJourney journey = compile(scenario);
  if (scenario.calendar) return run_calendar_command(o, scenario, journey);
  if (o.days > 0 || o.warmup_days > 0) {
    refuse(fmt::format("--days and --warmup-days take a calendar journey; '{}' has no calendar",
                       o.scenario));
  }
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
      ->check(file_name_check());
  command
      .add_option("--days", o->days,
                  "Calendar journeys: the days the run covers (overrides calendar.days)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{36500}));
  command
      .add_option("--warmup-days", o->warmup_days,
                  "Calendar journeys: the first days, left out of every figure")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{36500}));
  o->agents_option = command.get_option("--agents");
  return [o] { return run_command(*o); };
}

}  // namespace cjsim
