// `cjsim sweep`: run every design point of an experiment as a resumable job (sim/api/sweep_job.h:
// finished points are kept in FILE.h5.parts/ and --resume runs only the missing ones), then
// print the table and sensitivity ranking. `cjsim sweep --summary FILE.h5` prints a sweep file.
#include <fmt/format.h>

#include <iostream>
#include <limits>
#include <memory>

#include "reports/render/sweep_report.h"
#include "scenarios/experiment.h"
#include "sim/api/sweep_job.h"
#include "sim/cli/commands.h"
#include "sim/cli/run_support.h"

namespace cjsim {
namespace {

struct SweepCommandOptions {
  SweepRequest request;
  std::string summary;  // a sweep file to print instead of running
  std::string metric;   // ranking figure for the printed table
  std::size_t top = 20;
  bool json = false;         // print the summary as JSON
  bool list_points = false;  // print the design and run nothing
  std::string shard;         // "I/N"
};

// "I/N" with 0 <= I < N, into the request; throws naming --shard otherwise.
void parse_shard(const std::string& text, SweepRequest& request) {
  const std::size_t slash = text.find('/');
  const auto whole = [&](std::string_view digits, std::uint32_t& into) {
    if (digits.empty() || digits.size() > 9 ||
        digits.find_first_not_of("0123456789") != std::string_view::npos) {
      return false;
    }
    into = static_cast<std::uint32_t>(std::stoul(std::string(digits)));
    return true;
  };
  std::uint32_t index = 0, count = 0;
  if (slash == std::string::npos || !whole(std::string_view(text).substr(0, slash), index) ||
      !whole(std::string_view(text).substr(slash + 1), count) || count == 0 || index >= count) {
    throw std::runtime_error(fmt::format(
        "--shard {}: give I/N, this job's number I from 0 to N - 1 of N jobs (a Slurm array: "
        "--shard $SLURM_ARRAY_TASK_ID/N with --array=0-(N-1))",
        text));
  }
  request.shard_index = index;
  request.shard_count = count;
}

void print_summary(const StoredSweep& sweep, const SweepCommandOptions& o) {
  const std::string metric = o.metric.empty() ? sweep.metric : o.metric;
  check_sweep_metric(metric);
  if (o.json) {
    std::cout << sweep_summary_json(sweep, metric, o.top, o.request.reference).dump(2) << "\n";
  } else {
    std::cout << sweep_summary_text(sweep, metric, o.top, o.request.reference);
  }
}

int sweep_command(const SweepCommandOptions& o, const Context& context) {
  if (!o.metric.empty()) check_sweep_metric(o.metric);
  if (!o.summary.empty()) {
    if (!o.request.experiment.empty()) {
      throw std::runtime_error("give either an experiment file to run or --summary FILE.h5");
    }
    if (o.list_points) {
      throw std::runtime_error("--list-points needs an experiment file, not --summary");
    }
    print_summary(read_sweep_for_summary(o.summary, context), o);
    return 0;
  }
  if (o.request.experiment.empty()) {
    throw std::runtime_error("name an experiment file to run (or --summary FILE.h5 to print one)");
  }
  SweepRequest request = o.request;
  request.results_printed = true;
  if (!o.shard.empty()) parse_shard(o.shard, request);
  const InterruptGuard interrupt;
  SweepJob job(request, context);
  // A metric the points will not have is refused before they run, not after.
  if (!o.metric.empty()) check_sweep_metric(o.metric, job.plan());
  if (o.list_points) {
    if (context.reports()) std::cout << design_points_text(job.plan());
    return 0;
  }
  const std::optional<StoredSweep> stored = job.run();
  if (!stored) return 0;  // already complete, or not the reporting process
  print_summary(*stored, o);
  job.commit();
  std::cerr << "cjsim: wrote " << job.out() << "\n";
  return 0;
}

}  // namespace

CommandAction add_sweep_command(CLI::App& command) {
  auto o = std::make_shared<SweepCommandOptions>();
  command.add_option("experiment", o->request.experiment,
                     "Experiment file (YAML): base scenario, parameters to vary, design");
  command
      .add_option("-o,--output,--out", o->request.out,
                  "The HDF5 file of results (default: the experiment's name with .h5)")
      ->check(file_name_check());
  command.add_flag("--resume", o->request.resume,
                   "Finish an interrupted sweep: run only the points missing from FILE.h5.parts");
  command.add_flag("-f,--force", o->request.force,
                   "Overwrite the output file and discard the parts of an interrupted sweep");
  command
      .add_option("--checkpoint", o->request.checkpoint_seconds,
                  "Seconds between stores of finished points in FILE.h5.parts: the most work a "
                  "kill can lose (0: after every round of points)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  add_allow_long_flag(command, o->request.allow_long);
  add_threads_option(command, o->request.threads);
  command.add_option("--summary", o->summary,
                     "Print the table and the sensitivity ranking of a sweep file; run nothing");
  command.add_option("--metric", o->metric,
                     "The headline figure that ranks points and parameters (default: the "
                     "experiment's metric, conversion_rate unless it names another)");
  command.add_option("--top", o->top, "Points listed, best first (0: all)")->capture_default_str();
  command.add_flag("--json", o->json,
                   "Print the summary (best points, sensitivity) as JSON, with --summary or after "
                   "a sweep");
  command.add_option("--shard", o->shard,
                     "Run only this job's share I/N of the points (one job of N, e.g. a Slurm "
                     "array), kept in FILE.h5.shard-I-of-N.parts; then --merge");
  command.add_flag("--merge", o->request.merge,
                   "Gather the parts of every shard and write FILE.h5, the same file as one "
                   "process writes");
  command.add_flag("--list-points", o->list_points,
                   "Print the design points (number, scenario, parameter values); run nothing");
  command
      .add_option("-n,--agents", o->request.agents,
                  "Agents per replication and design point, in place of the experiment's")
      ->check(whole_number(1, kMostExperimentAgents));
  command
      .add_option("-r,--replications", o->request.replications,
                  "Replications of every design point, in place of the experiment's")
      ->check(whole_number(1, kMostExperimentReplications));
  command.add_option("--reference", o->request.reference,
                     "The design point (its number, as --list-points shows) every point's paired "
                     "difference is taken from (default: the point with the base scenario's own "
                     "values, else point 0); with --summary, or stored in the file by a sweep")
      ->check(whole_number(0, std::numeric_limits<std::uint32_t>::max()));
  add_seed_option(command, o->request.seed,
                  "The seed of every design point, in place of the experiment's");
  command
      .add_option("--days", o->request.days,
                  "Calendar journeys: the days every design point runs (in place of "
                  "calendar.days)")
      ->check(whole_number(1, 36500));
  command
      .add_option("--warmup-days", o->request.warmup_days,
                  "Calendar journeys: the first days, left out of every figure")
      ->check(whole_number(0, 36500));
  return [o](const Context& context) { return sweep_command(*o, context); };
}

}  // namespace cjsim
