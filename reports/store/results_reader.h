// Reading a result file back for the reports: a run (`cjsim run --out`) or a comparison
// (`cjsim compare --out`), as the ComparisonReport every report format prints. The figures are
// recomputed from the stored raw aggregates by summarize(), with the journey rebuilt from the
// scenario text stored in the file, so a report never re-simulates and shows exactly the
// figures `run` and `compare` printed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reports/store/calendar_file.h"
#include "reports/store/comparison_file.h"
#include "reports/store/draws_file.h"
#include "reports/store/hdf5_results.h"
#include "scenarios/scenario.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {

// What a result file held. For a run, one scenario and no differences.
struct ReportedResults {
  bool comparison = false;
  ComparisonReport report;
  // A calendar run or comparison: its report (report above is then empty).
  std::optional<CalendarComparisonReport> calendar;
  std::vector<std::string> warnings;  // e.g. a file of an older cjsim, without checksums
  // A run or comparison with uncertain inputs drawn (--draws): what its draws say.
  std::optional<DrawsDigest> draws;
  // The same of a calendar run or comparison: what its page shows of the draws.
  std::optional<CalendarDrawsDigest> calendar_draws;
};

// Throws std::runtime_error naming the file and what is wrong with it.
ReportedResults read_results_file(const std::string& path);

// The journey a stored run was made from, rebuilt from the texts in its metadata (the scenario
// file and, for a future state, every base it builds on); no file outside the result is read.
CompiledJourney journey_of(const RunMetadata& metadata);
// The same journey as its validated scenario (a calendar's keys included).
Scenario scenario_of(const RunMetadata& metadata);

// The root table `name` of a comparison file: "differences" (each future state against the
// current state) or "rivals" (future states against each other; empty when there is none).
std::vector<Difference> read_differences(const std::string& path, const std::string& name);

// A run's results as a report of one scenario.
ComparisonReport single_run_report(const Summary& summary, const RunMetadata& metadata);

}  // namespace cjsim
