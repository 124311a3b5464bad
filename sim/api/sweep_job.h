// A sweep as a resumable job: finished design points are committed together as part files in
// OUT.parts/ every few seconds (SweepRequest::checkpoint_seconds) and when the job stops, so
// that a cancel loses no finished point, a crash or a kill at most the last few seconds' work,
// and a resumed job runs only the missing points; then OUT is assembled from the parts alone
// (a resumed sweep and a straight one build the same file) and put in place.
// Spread over a Context's processes, the missing points are dealt round-robin and rank 0,
// alone, writes.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "reports/store/hdf5_sweep.h"
#include "scenarios/sweep_plan.h"
#include "sim/api/context.h"

namespace cjsim {

struct SweepRequest {
  std::string experiment;    // the experiment file (YAML)
  std::string out;           // default: the experiment's name with .h5, here
  bool resume = false;       // finish an interrupted sweep: run only the points missing
  bool force = false;        // overwrite OUT, and discard the parts of an interrupted sweep
  bool allow_long = false;   // run past the expected-length bound
  unsigned threads = 0;      // 0: every core
  // Finished points are stored at least this often (and when the job ends or stops): the
  // most work a kill or a crash of the machine can lose. 0 stores after every round of points.
  double checkpoint_seconds = 3.0;
  bool results_printed = false;  // the front end prints results: standard output is an output
  // In place of the experiment's agents, replications and seed (the results are then those of
  // the experiment file with these values written in: a resume must give the same ones).
  std::optional<std::uint64_t> agents;
  std::optional<std::uint32_t> replications;
  std::optional<std::uint64_t> seed;
  // The design point every point's paired difference is taken from (default: the point with
  // the base scenario's own values, else point 0). Only the file's differences depend on it.
  std::optional<std::uint64_t> reference;
  // Calendar journeys: the days every point runs (in place of calendar.days), and the first
  // days left out of every figure. --agents is refused for them: arrivals decide the agents.
  std::optional<std::int64_t> days;
  std::optional<std::int64_t> warmup_days;
  // One job of a Slurm array (or any set of independent jobs): with shard_count n > 0, runs
  // only the points k with k % n == shard_index, keeping them in OUT.shard-I-of-N.parts/ and
  // writing no OUT; `merge` then gathers every shard's parts and assembles OUT, the same file
  // as one process makes.
  std::uint32_t shard_index = 0;
  std::uint32_t shard_count = 0;
  bool merge = false;
};

class SweepJob {
 public:
  // Loads the experiment and plans every point (on every process; diagnostics go to
  // context.diagnostics on the reporting one). Throws InvalidInput.
  SweepJob(SweepRequest request, const Context& context);
  ~SweepJob();
  SweepJob(const SweepJob&) = delete;
  SweepJob& operator=(const SweepJob&) = delete;

  const SweepPlan& plan() const { return *plan_; }
  const std::string& out() const { return out_; }
  std::string parts_directory() const;

  // Checks the output and the parts, runs the missing points, and assembles the sweep file
  // under a temporary name; returns it as read back (to print before commit()). Nothing when
  // a resumed sweep had already finished (a notice says so) and on processes that do not
  // report. Throws Interrupted (finished points kept, with the command that resumes),
  // FailedElsewhere on the quiet processes, or std::runtime_error.
  std::optional<StoredSweep> run();

  // Puts the assembled file in place and removes the parts.
  void commit();

 private:
  struct Output;
  std::vector<std::size_t> prepare_output(bool& complete);
  std::set<std::size_t> stored_points();
  void store_part(std::vector<std::uint64_t>& pending);
  void gather_shards();
  bool sharded() const { return request_.shard_count > 0; }
  void lock_parts();

  SweepRequest request_;
  const Context& context_;
  std::string out_;
  std::optional<SweepPlan> plan_;
  std::unique_ptr<Output> output_;
  int lock_ = -1;  // the parts directory's lock, held until the job ends
  std::uint64_t next_part_ = 0;  // the number of the next part file
  std::vector<std::string> shard_directories_;  // gathered by a merge, removed by commit()
  // The points this job finished, by design point, from the round they finish in: the parts
  // it writes are made from them, and the file assembled from them and the parts it did not
  // write (its own parts hold exactly these values, so they are not read back).
  struct Committed {
    std::vector<std::vector<Aggregate>> results;
    std::vector<std::vector<CalendarTotals>> calendar;
    std::vector<std::vector<AgentGroupFigures>> groups;
    std::set<std::string> parts;  // the file names of the parts holding them
  };
  Committed committed_;
};

// The design as a table for the terminal: one row per point, its number, its base scenario
// (when there are several) and its parameter values; nothing runs.
std::string design_points_text(const SweepPlan& plan);

// The sweep file of an experiment when no --out names one: its name with .h5.
std::string default_sweep_output(const std::string& experiment);

// Reads a sweep file for printing; a file of an older cjsim (no checksums) gets a notice.
StoredSweep read_sweep_for_summary(const std::string& path, const Context& context);

// Throws std::runtime_error listing the figures when `metric` is not one a sweep can be ranked
// by (reports/render/sweep_report.h: a headline figure, or a calendar sweep's figure).
void check_sweep_metric(const std::string& metric);
// The same, and throws when `metric` is no figure of the plan's points (a calendar figure of a
// sweep of plain journeys, a resource some base scenario lacks): checked before a sweep runs.
void check_sweep_metric(const std::string& metric, const SweepPlan& plan);

}  // namespace cjsim
