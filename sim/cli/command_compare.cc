// `cjsim compare`: a current state and future states on the same agents, with paired
// differences of every figure.
#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <string_view>

#include "reports/html/calendar_html.h"
#include "reports/html/html_report.h"
#include "reports/render/calendar_report.h"
#include "reports/render/compare_report.h"
#include "reports/render/uncertainty_report.h"
#include "reports/store/draws_file.h"
#include "scenarios/did_you_mean.h"
#include "sim/api/calendar.h"
#include "sim/api/calendar_draws.h"
#include "sim/api/compare.h"
#include "sim/api/uncertainty.h"
#include "sim/cli/commands.h"
#include "sim/cli/html_reports.h"
#include "sim/cli/run_support.h"
#include "sim/engine/calendar_comparison.h"
#include "sim/engine/figures.h"

namespace cjsim {
namespace {

// --rank-by names a plain comparison's figure, or a calendar comparison's: a run's figure
// ("staff_cost") or a resource's as RESOURCE.FIGURE ("desks.p90_wait_hours"), as `sweep
// --summary` ranks. Whether the journeys give it is known once they are loaded.
std::string unknown_rank_by(const std::string& name) {
  const std::vector<std::string> plain = rankable_figure_names();
  const std::vector<std::string> run = calendar_run_difference_names();
  const std::vector<std::string> resource = calendar_resource_difference_names();
  const auto has = [](const std::vector<std::string>& names, std::string_view n) {
    return std::find(names.begin(), names.end(), n) != names.end();
  };
  const RankedFigure ranked = ranked_figure(name);
  if (ranked.resource.empty() ? has(plain, name) || has(run, name)
                              : has(resource, ranked.figure)) {
    return "";
  }
  return fmt::format(
      "no figure '{}' to rank by: journeys without a calendar rank by {}; calendar journeys "
      "by {}, or per resource by RESOURCE.{}",
      name, join_names(plain), join_names(run), join_names(resource, "|"));
}

// Journeys without a calendar rank by a plain figure only.
void check_plain_rank_by(const std::string& rank_by) {
  const std::vector<std::string> plain = rankable_figure_names();
  if (std::find(plain.begin(), plain.end(), rank_by) != plain.end()) return;
  throw std::runtime_error(fmt::format(
      "--rank-by {} is a calendar journey's figure; these journeys have no calendar: rank by "
      "one of {}",
      rank_by, join_names(plain)));
}

struct CompareOptions {
  std::vector<std::string> scenarios;
  SimulationFlags flags;
  std::string rank_by = "conversion_rate";
  std::string report;  // HTML report to write
  CalendarFlags calendar;
  DrawSettings draws;  // parameter sets of the uncertain inputs; 0: none
};

// Uncertain inputs drawn `draws` times, every draw comparing the states on the same agents.
int compare_draws_command(const CompareOptions& o, const CompiledJourneys& journeys,
                          const Context& context) {
  ResultOutputs files(o.flags, o.report, journeys.scenarios, o.scenarios);
  auto& [outputs, out, report_file] = files;
  const InterruptGuard interrupt;
  const UncertainCompareOutcome compared = compare_journeys_with_draws(
      journeys, run_settings(o.flags), o.rank_by, o.draws, context);
  if (!compared.central.report || !compared.uncertainty) return 0;  // rank 0 alone reports
  const ComparisonReport& report = *compared.central.report;
  if (out != nullptr) {
    std::vector<const CompiledJourney*> pointers;
    for (const CompiledJourney& j : journeys.journeys) pointers.push_back(&j);
    write_comparison_file_with_draws(*out, report, pointers, compared.central.comparison,
                                     *compared.uncertainty);
  }
  if (report_file != nullptr) {
    const DrawsDigest digest =
        digest_draws(report.summaries, *compared.uncertainty, report.rank_by);
    report_file->write(html_report(report, &digest));
  }
  if (o.flags.json) {
    nlohmann::json json = comparison_json(report);
    add_comparison_uncertainty_json(json, report, *compared.uncertainty);
    std::cout << json.dump(2) << "\n";
  } else {
    std::cout << text_comparison(report)
              << comparison_uncertainty_text(report, *compared.uncertainty);
  }
  commit_and_announce(outputs);
  return 0;
}

// Calendar journeys (sim/model/MODEL.md Part 2), each run with the same seed and replications,
// and compared replication by replication.
int compare_calendar_command(const CompareOptions& o, const CompiledJourneys& journeys,
                             const Context& context) {
  const CalendarSettings settings = calendar_settings(o.flags, o.calendar);
  ResultOutputs files(o.flags, o.report, journeys.scenarios, o.scenarios);
  auto& [outputs, out, report] = files;
  const InterruptGuard interrupt;
  const std::optional<CalendarCompareOutcome> compared =
      compare_calendar_journeys(journeys, settings, context);
  if (!compared) return 0;  // the first process alone runs and reports
  check_calendar_rank_by(compared->report, o.rank_by);
  if (out != nullptr) {
    write_calendar_comparison_file(*out, compared->report, compared->data(journeys));
  }
  if (report != nullptr) report->write(calendar_html_report(compared->report));
  if (o.flags.json) {
    std::cout << calendar_comparison_json(compared->report).dump(2) << "\n";
  } else {
    std::cout << calendar_comparison_text(compared->report);
  }
  commit_and_announce(outputs);
  return 0;
}

// Calendar journeys with uncertain inputs: each draw compares them through the calendar's
// engine, paired replication by replication.
int compare_calendar_draws_command(const CompareOptions& o, const CompiledJourneys& journeys,
                                   const Context& context) {
  const CalendarSettings settings = calendar_settings(o.flags, o.calendar);
  ResultOutputs files(o.flags, o.report, journeys.scenarios, o.scenarios);
  auto& [outputs, out, report_file] = files;
  const InterruptGuard interrupt;
  const std::optional<UncertainCalendarCompareOutcome> compared =
      compare_calendar_journeys_with_draws(journeys, settings, o.rank_by, o.draws, context);
  if (!compared) return 0;  // the first process alone runs and reports
  const CalendarComparisonReport& report = compared->central.report;
  const CalendarDrawsDigest digest = calendar_draws_digest(*compared, o.rank_by);
  if (out != nullptr) {
    write_calendar_comparison_file_with_draws(*out, report, compared->central.data(journeys),
                                              o.rank_by, compared->uncertainty,
                                              draw_summaries(*compared), digest);
  }
  if (report_file != nullptr) report_file->write(calendar_html_report(report, &digest));
  if (o.flags.json) {
    nlohmann::json json = calendar_comparison_json(report);
    add_calendar_comparison_uncertainty_json(json, report.names, digest);
    std::cout << json.dump(2) << "\n";
  } else {
    std::cout << calendar_comparison_text(report) << calendar_uncertainty_text(report, digest);
  }
  commit_and_announce(outputs);
  return 0;
}

int compare_command(const CompareOptions& o, const Context& context) {
  if (o.scenarios.size() < 2) {
    throw std::runtime_error("compare needs a current state and at least one future state");
  }
  const CompiledJourneys journeys = load_journeys(o.scenarios, context, o.draws.draws > 0);
  bool calendar = false;
  for (const Scenario& s : journeys.scenarios) calendar = calendar || s.calendar.has_value();
  if (calendar) {
    for (const Scenario& s : journeys.scenarios) {
      if (!s.calendar) {
        throw std::runtime_error(
            "compare takes calendar journeys only with calendar journeys: "
            "give every state a calendar, or none");
      }
    }
    return o.draws.draws > 0 ? compare_calendar_draws_command(o, journeys, context)
                             : compare_calendar_command(o, journeys, context);
  }
  refuse_calendar_flags(o.calendar);
  check_plain_rank_by(o.rank_by);
  if (o.draws.draws > 0) return compare_draws_command(o, journeys, context);
  const SimulationFlags& flags = o.flags;
  ResultOutputs files(flags, o.report, journeys.scenarios, o.scenarios);
  auto& [outputs, out, report_file] = files;

  const InterruptGuard interrupt;
  const CompareOutcome compared =
      compare_journeys(journeys, run_settings(flags), o.rank_by, context);
  if (!compared.report) return 0;  // rank 0 alone reports
  const ComparisonReport& report = *compared.report;

  if (out != nullptr) {
    std::vector<const CompiledJourney*> pointers;
    for (const CompiledJourney& j : journeys.journeys) pointers.push_back(&j);
    write_comparison_file(*out, report, pointers, compared.comparison);
  }
  if (report_file != nullptr) report_file->write(html_report(report));
  if (flags.json) {
    std::cout << comparison_json(report).dump(2) << "\n";
  } else {
    std::cout << text_comparison(report);
  }
  commit_and_announce(outputs);
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
  command
      .add_option("--rank-by", o->rank_by,
                  "The figure whose difference ranks the future states: an overall figure, or "
                  "for calendar journeys also one of the run's (staff_cost) or a resource's as "
                  "RESOURCE.FIGURE (desks.p90_wait_hours)")
      ->check(CLI::Validator(
          [](std::string& name) { return unknown_rank_by(name); }, "FIGURE", "figure"))
      ->capture_default_str();
  command
      .add_option("--report", o->report,
                  "Write an HTML report of the comparison (charts, tables; opens offline)")
      ->check(file_name_check())
      ->check(html_reports_check());
  add_calendar_flags(command, o->calendar);
  add_draws_option(command, o->draws);
  return [o](const Context& context) { return compare_command(*o, context); };
}

}  // namespace cjsim
