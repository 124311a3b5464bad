// `cjsim run`: load, validate and compile a journey, simulate it, print and store the results.
#include <fmt/format.h>

#include <iostream>
#include <memory>

#include "reports/html/calendar_html.h"
#include "reports/html/html_report.h"
#include "reports/render/calendar_report.h"
#include "reports/render/json_report.h"
#include "reports/render/text_report.h"
#include "reports/render/uncertainty_report.h"
#include "reports/store/draws_file.h"
#include "reports/store/hdf5_results.h"
#include "reports/store/results_reader.h"
#include "sim/api/calendar.h"
#include "sim/api/calendar_draws.h"
#include "sim/api/run.h"
#include "sim/api/uncertainty.h"
#include "sim/cli/commands.h"
#include "sim/cli/html_reports.h"
#include "sim/cli/run_support.h"

namespace cjsim {
namespace {

struct RunCommandOptions {
  std::string scenario;
  SimulationFlags flags;
  bool agents_detail = false;
  bool paths = false;
  std::string report;  // HTML report to write
  CalendarFlags calendar;
  DrawSettings draws;  // parameter sets of the uncertain inputs; 0: none
};

// Uncertain inputs drawn `draws` times (sim/model/MODEL.md, "Uncertain inputs"): the central
// run's figures, each with its interval over the draws, and which input matters most.
int run_draws_command(const RunCommandOptions& o, const Scenario& scenario,
                      const Context& context) {
  if (o.agents_detail || o.paths) {
    throw std::runtime_error("--draws does not store agents' details (--agents-detail, "
                             "--paths): run without --draws for those");
  }
  ResultOutputs files(o.flags, o.report, {&scenario, 1}, {&o.scenario, 1});
  auto& [outputs, out, report] = files;
  const InterruptGuard interrupt;
  const UncertainRunOutcome run =
      run_journey_with_draws(scenario, o.scenario, run_settings(o.flags), o.draws, context);
  if (!run.central.summary || !run.uncertainty) return 0;  // rank 0 alone reports
  const Summary& summary = *run.central.summary;
  if (out != nullptr) {
    write_run_file_with_draws(*out, run.central.journey, run.central.metadata, run.central.result,
                              summary, *run.uncertainty);
  }
  if (report != nullptr) {
    const DrawsDigest digest = digest_draws({summary}, *run.uncertainty, "conversion_rate");
    report->write(html_report(single_run_report(summary, run.central.metadata), &digest));
  }
  if (o.flags.json) {
    nlohmann::json json = summary_json(summary, run.central.result.seconds);
    put_run_identity(json, run.central.metadata);
    add_run_uncertainty_json(json, *run.uncertainty);
    std::cout << json.dump(2) << "\n";
  } else {
    std::cout << text_report(summary, run.central.metadata)
              << run_uncertainty_text(summary, *run.uncertainty);
  }
  commit_and_announce(outputs);
  return 0;
}

// A calendar journey (sim/model/MODEL.md Part 2): arrivals decide how many agents there are.
int run_calendar_command(const RunCommandOptions& o, const Scenario& scenario,
                         const Context& context) {
  const CalendarSettings settings = calendar_settings(o.flags, o.calendar);
  if (o.agents_detail || o.paths) {
    throw std::runtime_error(
        "--agents-detail and --paths do not take a calendar journey yet; use --output and "
        "`cjsim report FILE.h5 -o FILE.md` (or .csv), or --json");
  }
  ResultOutputs files(o.flags, o.report, {&scenario, 1}, {&o.scenario, 1});
  auto& [outputs, out, report] = files;
  const InterruptGuard interrupt;
  const std::optional<CalendarOutcome> run =
      run_calendar_journey(scenario, o.scenario, settings, context);
  if (!run) return 0;  // the first process alone runs and reports
  if (out != nullptr) write_calendar_run_file(*out, run->metadata, run->data());
  if (report != nullptr) report->write(calendar_html_report(run->report()));
  if (o.flags.json) {
    nlohmann::json json = calendar_summary_json(run->summary, run->result.seconds);
    put_run_identity(json, run->metadata);
    std::cout << json.dump(2) << "\n";
  } else {
    std::cout << calendar_text_report(run->summary, run->metadata);
  }
  commit_and_announce(outputs);
  return 0;
}

// A calendar journey with uncertain inputs drawn `draws` times: each draw runs the calendar's
// days, queues and returns; every figure gains its interval over the draws.
int run_calendar_draws_command(const RunCommandOptions& o, const Scenario& scenario,
                               const Context& context) {
  const CalendarSettings settings = calendar_settings(o.flags, o.calendar);
  if (o.agents_detail || o.paths) {
    throw std::runtime_error(
        "--draws does not store agents' details (--agents-detail, "
        "--paths): run without --draws for those");
  }
  ResultOutputs files(o.flags, o.report, {&scenario, 1}, {&o.scenario, 1});
  auto& [outputs, out, report] = files;
  const InterruptGuard interrupt;
  const std::optional<UncertainCalendarRunOutcome> run =
      run_calendar_journey_with_draws(scenario, o.scenario, settings, o.draws, context);
  if (!run) return 0;  // the first process alone runs and reports
  const CalendarOutcome& central = run->central;
  const CalendarDrawsDigest digest = calendar_draws_digest(*run);
  if (out != nullptr) {
    write_calendar_run_file_with_draws(*out, central.metadata, central.data(), run->uncertainty,
                                       draw_summaries(*run), digest);
  }
  if (report != nullptr) report->write(calendar_html_report(central.report(), &digest));
  if (o.flags.json) {
    nlohmann::json json = calendar_summary_json(central.summary, central.result.seconds);
    put_run_identity(json, central.metadata);
    add_calendar_run_uncertainty_json(json, digest);
    std::cout << json.dump(2) << "\n";
  } else {
    std::cout << calendar_text_report(central.summary, central.metadata)
              << calendar_uncertainty_text(central.report(), digest);
  }
  commit_and_announce(outputs);
  return 0;
}

int run_command(const RunCommandOptions& o, const Context& context) {
  const SimulationFlags& flags = o.flags;
  const Scenario scenario = load_journey(o.scenario, context);
  if (scenario.calendar) {
    return o.draws.draws > 0 ? run_calendar_draws_command(o, scenario, context)
                             : run_calendar_command(o, scenario, context);
  }
  refuse_calendar_flags(o.calendar);
  if (o.draws.draws > 0) return run_draws_command(o, scenario, context);
  ResultOutputs files(flags, o.report, {&scenario, 1}, {&o.scenario, 1});
  auto& [outputs, out, report] = files;

  RunSettings settings = run_settings(flags);
  settings.agent_records = o.agents_detail || o.paths;
  settings.agent_paths = o.paths;
  const InterruptGuard interrupt;
  const RunOutcome run = run_journey(scenario, o.scenario, settings, context);
  if (!run.summary) return 0;  // rank 0 alone reports
  if (const std::string note = uncertain_means_note({&scenario}); !note.empty()) {
    context.note(note);
  }

  if (out != nullptr) write_run_file(*out, run.journey, run.metadata, run.result, *run.summary);
  if (report != nullptr) report->write(html_report(single_run_report(*run.summary, run.metadata)));
  if (flags.json) {
    nlohmann::json json = summary_json(*run.summary, run.result.seconds);
    put_run_identity(json, run.metadata);
    std::cout << json.dump(2) << "\n";
  } else {
    std::cout << text_report(*run.summary, run.metadata);
  }
  commit_and_announce(outputs);
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
  add_calendar_flags(command, o->calendar);
  add_draws_option(command, o->draws);
  return [o](const Context& context) { return run_command(*o, context); };
}

}  // namespace cjsim
