// `cjsim compare`: a current state and future states on the same agents, with paired
// differences of every figure.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include "reports/html/html_report.h"
#include "reports/render/calendar_report.h"
#include "reports/render/compare_report.h"
#include "sim/cli/commands.h"
#include "sim/cli/resource_limits.h"
#include "sim/cli/run_support.h"
#include "sim/dist/process_group.h"
#include "sim/engine/calendar.h"
#include "sim/engine/calendar_comparison.h"
#include "sim/engine/calendar_summary.h"
#include "sim/engine/comparison.h"
#include "sim/engine/summary.h"
#include "sim/model/compiled_calendar.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {
namespace {

struct CompareOptions {
  std::vector<std::string> scenarios;
  SimulationFlags flags;
  std::string rank_by = "conversion_rate";
  std::string report;  // HTML report to write
  std::int64_t days = 0;         // calendar journeys: overrides calendar.days
  std::int64_t warmup_days = 0;  // calendar journeys: days left out of the figures
  const CLI::Option* agents_option = nullptr;
};

// Scenario names label the results; when two scenarios share a name, their files tell them apart.
std::vector<std::string> labels_for(const std::vector<Scenario>& scenarios,
                                    const std::vector<std::string>& paths) {
  std::map<std::string, int> uses;
  for (const Scenario& s : scenarios) ++uses[s.name];
  std::vector<std::string> labels;
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    const std::string& name = scenarios[k].name;
    labels.push_back(uses[name] > 1 ? fmt::format("{} ({})", name, paths[k]) : name);
  }
  return labels;
}

// Calendar journeys (sim/model/MODEL.md Part 2), each run with the same seed and replications,
// and compared replication by replication (sim/engine/calendar_comparison.h).
int compare_calendar_command(const CompareOptions& o, const std::vector<Scenario>& scenarios) {
  const SimulationFlags& flags = o.flags;
  if (o.agents_option->count() > 0) {
    throw std::runtime_error("--agents does not apply to calendar journeys: their arrivals decide "
                             "how many agents there are");
  }
  if (!flags.out.empty() || !o.report.empty()) {
    throw std::runtime_error("--out and --report do not take calendar journeys yet; use --json");
  }
  const RunOptions plain = run_options_from(flags, scenarios.front());
  CalendarOptions options;
  options.seed = plain.seed;
  options.replications = plain.replications;
  options.threads = plain.threads;
  options.warmup_days = o.warmup_days;
  InterruptGuard interrupt;
  options.cancel = &interrupt.flag();
  std::vector<CompiledJourney> journeys;
  std::vector<CompiledCalendar> calendars;
  std::vector<CalendarRunResult> runs;
  CalendarComparisonReport report;
  report.names = labels_for(scenarios, o.scenarios);
  report.replications = options.replications;
  for (const Scenario& scenario : scenarios) {
    journeys.push_back(compile(scenario));
    calendars.push_back(compile_calendar(scenario, journeys.back(), o.days));
    if (o.warmup_days >= calendars.back().days) {
      throw std::runtime_error(fmt::format(
          "--warmup-days {} leaves nothing of a run of {} days to measure", o.warmup_days,
          calendars.back().days));
    }
    runs.push_back(run_calendar(journeys.back(), calendars.back(), options));
    report.seconds += runs.back().seconds;
    report.summaries.push_back(summarize_calendar(journeys.back(), calendars.back(), runs.back()));
  }
  for (std::size_t k = 1; k < runs.size(); ++k) {
    report.differences.push_back(
        calendar_differences(runs.front(), calendars.front(), runs[k], calendars[k]));
  }
  if (flags.json) {
    std::cout << calendar_comparison_json(report).dump(2) << "\n";
  } else {
    std::cout << calendar_comparison_text(report);
  }
  return 0;
}

int compare_command(const CompareOptions& o) {
  if (o.scenarios.size() < 2) {
    throw std::runtime_error("compare needs a current state and at least one future state");
  }
  std::vector<Scenario> scenarios;
  std::vector<CompiledJourney> journeys;
  for (const std::string& path : o.scenarios) {
    scenarios.push_back(load_for_command(path));
    if (scenarios.back().calendar) continue;  // compiled with its calendar, below
    journeys.push_back(compile(scenarios.back()));
    release_compiled_parts(scenarios.back());  // seven 31 MiB files held 13.7 GB
  }
  const auto calendars = std::count_if(scenarios.begin(), scenarios.end(),
                                       [](const Scenario& s) { return s.calendar.has_value(); });
  if (calendars > 0) {
    if (calendars != static_cast<std::ptrdiff_t>(scenarios.size())) {
      throw std::runtime_error("compare takes calendar journeys only with calendar journeys: "
                               "give every state a calendar, or none");
    }
    // The first process runs them, as for cjsim run.
    if (!ProcessGroup::world().root()) return 0;
    return compare_calendar_command(o, scenarios);
  }
  if (o.days > 0 || o.warmup_days > 0) {
    throw std::runtime_error("--days and --warmup-days take calendar journeys; these have no "
                             "calendar");
  }
  const SimulationFlags& flags = o.flags;
  check_journey_lengths(journeys, flags.agents, flags.replications, flags.allow_long);
  CommandOutputs outputs(overwrite_of(flags));
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    add_scenario_inputs(outputs, scenarios[k], o.scenarios[k]);
  }
  outputs.add_standard_output();
  PendingFile* out = flags.out.empty() ? nullptr
                                       : &outputs.add("--out", flags.out, kLeastResultFileBytes);
  PendingFile* report_file = o.report.empty() ? nullptr : &outputs.add("--report", o.report);

  RunOptions options = run_options_from(flags, scenarios.front());
  share_run_over_processes(options, false);
  check_run_memory(journeys, options);
  RunMonitor monitor("comparing", options);
  ComparisonRun comparison = run_comparison(journeys, options);
  monitor.finish();
  if (!gather_comparison_over_processes(comparison)) return 0;  // rank 0 alone reports

  ComparisonReport report;
  report.labels = labels_for(scenarios, o.scenarios);
  report.rank_by = o.rank_by;
  report.method = comparison_method(flags.replications);
  report.seconds = comparison.seconds;
  report.differences = differences(comparison);
  for (std::size_t k = 0; k < journeys.size(); ++k) {
    report.summaries.push_back(summarize(journeys[k], comparison.runs[k].replications));
    report.metadata.push_back(metadata_for(scenarios[k], o.scenarios[k], options, comparison.runs[k]));
  }

  if (out != nullptr) {
    std::vector<const CompiledJourney*> pointers;
    for (const CompiledJourney& j : journeys) pointers.push_back(&j);
    write_comparison_file(*out, report, pointers, comparison);
  }
  if (report_file != nullptr) report_file->write(html_report(report));
  if (flags.json) {
    std::cout << comparison_json(report).dump(2) << "\n";
  } else {
    std::cout << text_comparison(report);
  }
  outputs.commit();
  if (out != nullptr && !flags.json) std::cout << "\nResults written to " << flags.out << "\n";
  return 0;
}

}  // namespace

CommandAction add_compare_command(CLI::App& command) {
  auto o = std::make_shared<CompareOptions>();
  command.add_option("scenarios", o->scenarios,
                     "The current state's journey file, then one or more future states")
      ->required()
      ->expected(2, -1);
  add_simulation_flags(command, o->flags,
                       "Write every scenario's results and the differences to this HDF5 file",
                       "Print one JSON object (scenarios, differences, ranking)");
  command.add_option("--rank-by", o->rank_by,
                     "The overall figure whose difference ranks the future states")
      ->check(CLI::IsMember({"conversion_rate", "revenue_per_agent", "cost_per_agent",
                             "margin_per_agent", "steps_per_agent", "hours_to_convert", "nps"}))
      ->capture_default_str();
  command
      .add_option("--report", o->report,
                  "Write an HTML report of the comparison (charts, tables; opens offline)")
      ->check(file_name_check());
  command
      .add_option("--days", o->days,
                  "Calendar journeys: the days each run covers (overrides calendar.days)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{36500}));
  command
      .add_option("--warmup-days", o->warmup_days,
                  "Calendar journeys: the first days, left out of every figure")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{36500}));
  o->agents_option = command.get_option("--agents");
  return [o] { return compare_command(*o); };
}

}  // namespace cjsim
