// A comparison as stored: what a comparison report shows (labels, how each scenario was run,
// its summary and the paired differences), and its HDF5 file: one group per scenario with the
// layout of a run, plus the table of differences.
#pragma once

#include <string>
#include <vector>

#include "reports/store/output_file.h"
#include "reports/store/run_metadata.h"
#include "sim/engine/comparison.h"
#include "sim/engine/summary.h"

namespace H5 {
class Group;
}

namespace cjsim {

// Everything a comparison report shows, assembled by the command.
struct ComparisonReport {
  std::vector<std::string> labels;  // per scenario: its name, or name and file when names repeat
  std::vector<RunMetadata> metadata;
  std::vector<Summary> summaries;
  std::vector<Difference> differences;
  std::vector<Difference> rivals;  // between future states, overall figures (rival_differences)
  std::string rank_by = "conversion_rate";
  std::string method;  // how the intervals were computed, for people
  double seconds = 0.0;
};

// Group "current" and groups "future_1", "future_2", ... with the layout of a run, and the
// "differences" table at the root; with two future states or more, the "rivals" table of their
// differences from each other (columns of "differences" and versus, versus_index).
void write_comparison_file(PendingFile& file, const ComparisonReport& report,
                           const std::vector<const CompiledJourney*>& journeys,
                           const ComparisonRun& comparison);
// The same content under `root` of a file being written (write_hdf5_file), for a file that
// holds more (the draws of uncertain inputs: draws_file.h).
void write_comparison(H5::Group& root, const ComparisonReport& report,
                      const std::vector<const CompiledJourney*>& journeys,
                      const ComparisonRun& comparison);

}  // namespace cjsim
