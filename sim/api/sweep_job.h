// A sweep as a resumable job: every design point of an experiment runs and is committed as a
// part file in OUT.parts/ as soon as it finishes, so that a crash, a kill or a cancel loses no
// finished point and a resumed job runs only the missing ones; then OUT is assembled from the
// parts alone (a resumed sweep and a straight one build the same file) and put in place.
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
  bool results_printed = false;  // the front end prints results: standard output is an output
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
  std::string parts_directory() const { return out_ + ".parts"; }

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
  std::set<std::size_t> stored_points() const;
  void lock_parts();

  SweepRequest request_;
  const Context& context_;
  std::string out_;
  std::optional<SweepPlan> plan_;
  std::unique_ptr<Output> output_;
  int lock_ = -1;  // the parts directory's lock, held until the job ends
};

// The sweep file of an experiment when no --out names one: its name with .h5.
std::string default_sweep_output(const std::string& experiment);

// Reads a sweep file for printing; a file of an older cjsim (no checksums) gets a notice.
StoredSweep read_sweep_for_summary(const std::string& path, const Context& context);

// Throws std::runtime_error listing the headline figures when `metric` is not one of them.
void check_sweep_metric(const std::string& metric);

}  // namespace cjsim
