// `cjsim report`: a result file of `run`, `compare` or `sweep` as an HTML page, Markdown or CSV.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "reports/html/calendar_html.h"
#include "reports/html/html_report.h"
#include "reports/render/calendar_report.h"
#include "reports/render/calendar_tables.h"
#include "reports/render/sweep_report.h"
#include "reports/render/uncertainty_report.h"
#include "reports/store/hdf5_sweep.h"
#include "reports/store/results_reader.h"
#include "sim/api/sweep_job.h"
#include "sim/cli/commands.h"
#include "sim/cli/run_support.h"
#include "sim/sweep/sweep.h"

namespace cjsim {
namespace {

struct ReportOptions {
  std::string results;
  std::string output;
  std::string format;
  std::string metric;  // sweeps: the figure that ranks points and parameters
  bool force = false;
};

// The format asked for, or the one the output's extension names (HTML otherwise).
std::string format_of(const ReportOptions& o) {
  if (!o.format.empty()) return o.format;
  if (o.output.ends_with(".md")) return "md";
  if (o.output.ends_with(".csv")) return "csv";
  if (o.output.ends_with(".txt")) return "text";
  return "html";
}

void sweep_report(const ReportOptions& o, PendingFile& output, const Context& context) {
  const StoredSweep sweep = read_sweep_for_summary(o.results, context);
  const std::string metric = o.metric.empty() ? sweep.metric : o.metric;
  // A headline figure, or a calendar sweep's own (staff_cost, RESOURCE.p90_wait_hours, ...).
  if (const std::string problem = unknown_sweep_metric(metric); !problem.empty()) {
    throw std::runtime_error("--metric: " + problem);
  }
  const std::string format = format_of(o);
  const std::string text = format == "md"    ? sweep_table_markdown(sweep, metric)
                           : format == "csv" ? sweep_table_csv(sweep, metric)
                                             : html_sweep_report(sweep, metric);
  output.write(text);
}

// A calendar run or comparison: its HTML page (the same as `run`/`compare --report` wrote,
// with what its draws say when it has them), Markdown, CSV or text of every calendar table.
std::string calendar_report(const CalendarComparisonReport& r, const CalendarDrawsDigest* draws,
                            const std::string& format) {
  if (format == "md") return calendar_markdown(r, draws);
  if (format == "csv") return calendar_csv(r, draws);
  if (format == "text") {
    const std::string text = r.summaries.size() > 1
                                 ? calendar_comparison_text(r)
                                 : calendar_text_report(r.summaries.front(), r.metadata.front());
    return draws != nullptr ? text + calendar_uncertainty_text(r, *draws) : text;
  }
  return calendar_html_report(r, draws);
}

void run_report(const ReportOptions& o, PendingFile& output, const Context& context) {
  const ReportedResults results = read_results_file(o.results);
  for (const std::string& warning : results.warnings) context.note("warning: " + warning);
  const std::string format = format_of(o);
  if (results.calendar) {
    const CalendarDrawsDigest* draws =
        results.calendar_draws ? &*results.calendar_draws : nullptr;
    output.write(calendar_report(*results.calendar, draws, format));
    return;
  }
  if (format == "text") {
    throw std::runtime_error("--format text takes calendar results; give html, md or csv");
  }
  const DrawsDigest* draws = results.draws ? &*results.draws : nullptr;
  const std::string text = format == "md"    ? markdown_report(results.report, draws)
                           : format == "csv" ? csv_report(results.report, draws)
                                             : html_report(results.report, draws);
  output.write(text);
}

int report_command(const ReportOptions& o, const Context& context) {
  CommandOutputs outputs(overwrite_if(o.force));
  outputs.add_input(o.results, "the result file");
  PendingFile& output = outputs.add("-o", o.output);
  if (is_sweep_file(o.results)) {
    sweep_report(o, output, context);
  } else {
    run_report(o, output, context);
  }
  commit_and_announce(outputs);
  return 0;
}

}  // namespace

CommandAction add_report_command(CLI::App& command) {
  auto o = std::make_shared<ReportOptions>();
  command
      .add_option("results", o->results,
                  "Result file of `cjsim run --out`, `cjsim compare --out` or `cjsim sweep --out`")
      ->required();
  command.add_option("-o,--output,--out", o->output, "The report file to write")
      ->required()
      ->check(file_name_check());
  command
      .add_option("--format", o->format,
                  "html (one self-contained page with charts), md (Markdown tables), csv (one "
                  "table, a row per figure) or text (calendar results: what run and compare "
                  "print); by default from the output's extension (.md, .csv, .txt), else html")
      ->check(CLI::IsMember({"html", "md", "csv", "text"}));
  command.add_option("--metric", o->metric,
                     "For a sweep file: the headline figure that ranks the points and the "
                     "parameters, or a calendar sweep's (staff_cost, RESOURCE.p90_wait_hours, "
                     "...) (default: the experiment's)");
  command.add_flag("--force", o->force, "Overwrite the output if it exists");
  return [o](const Context& context) { return report_command(*o, context); };
}

}  // namespace cjsim
