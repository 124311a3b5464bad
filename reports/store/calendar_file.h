// Calendar runs and comparisons as HDF5 (layout in reports/README.md, "Calendar journeys"): a
// run is the plain run's layout (the per-journey figures and raw aggregates) with a group
// `calendar` beside it: tables per day, per resource, per resource and day, per replication,
// each column's unit in the table's `units` attribute, and the raw tallies the figures are
// recomputed from, bit for bit.
#pragma once

#include <string>
#include <vector>

#include "reports/store/output_file.h"
#include "reports/store/run_metadata.h"
#include "sim/engine/calendar.h"
#include "sim/engine/calendar_comparison.h"
#include "sim/engine/calendar_summary.h"
#include "sim/model/compiled_calendar.h"
#include "sim/model/compiled_journey.h"

namespace H5 {
class Group;
}

namespace cjsim {

// Calendar journeys compared: the first is the current state, each other a future state with
// its differences from it. A run is a report of one journey and no differences.
struct CalendarComparisonReport {
  std::vector<std::string> names;                            // as labelled for people
  std::vector<RunMetadata> metadata;                         // one per journey
  std::vector<CalendarSummary> summaries;                    // one per journey
  std::vector<std::vector<CalendarDifference>> differences;  // one list per future state
  std::uint32_t replications = 1;
  double seconds = 0.0;
};

// One calendar run as simulated, what a file stores of it.
struct CalendarRunData {
  const CompiledJourney* journey = nullptr;
  const CompiledCalendar* calendar = nullptr;
  const CalendarRunResult* result = nullptr;
  const CalendarSummary* summary = nullptr;
};

// A whole file for one calendar run.
void write_calendar_run_file(PendingFile& file, const RunMetadata& metadata,
                             const CalendarRunData& run);

// A whole file for calendar journeys compared: groups "current", "future_1", ... with the
// layout of a run and a `label` attribute, and the root table "differences".
void write_calendar_comparison_file(PendingFile& file, const CalendarComparisonReport& report,
                                    const std::vector<CalendarRunData>& runs);

// The same content under `root` of a file being written (write_hdf5_file), for a file that
// holds more (the draws of uncertain inputs: draws_file.h).
void write_calendar_run(H5::Group& root, const RunMetadata& metadata, const CalendarRunData& run);
void write_calendar_comparison(H5::Group& root, const CalendarComparisonReport& report,
                               const std::vector<CalendarRunData>& runs);

// Whether the run stored at `group_path` of the file has a calendar.
bool has_calendar(const std::string& path, const std::string& group_path = "/");

// A stored calendar run or comparison, its figures and differences recomputed from the raw
// tallies with the journeys rebuilt from the scenario texts stored in the file: exactly what
// `run` and `compare` printed. `warnings` gets a line for a file without checksums. Throws
// std::runtime_error naming the file and what is missing or malformed.
CalendarComparisonReport read_calendar_file(const std::string& path,
                                            std::vector<std::string>& warnings);

}  // namespace cjsim
