// Sweep results as HDF5 (layout in reports/README.md, "The sweep file"): a table with one row
// per (design point, replication), one row per point with intervals, the sensitivity ranking,
// and every point's raw aggregates; and the per-point part files that make a sweep resumable.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "reports/store/output_file.h"
#include "scenarios/sweep_plan.h"
#include "sim/engine/aggregate.h"
#include "sim/engine/calendar_summary.h"
#include "sim/engine/statistics.h"
#include "sim/engine/summary.h"
#include "sim/sweep/sweep.h"

namespace cjsim {

// Finished design points committed together (a batch): its file appears whole or not at all.
// A sweep stores its finished points in batches every few seconds rather than one file per
// point, so that a point costs no file, rename and flush of its own.
struct SweepPart {
  std::string fingerprint;                          // the plan's, to refuse mixing experiments
  std::vector<std::uint64_t> points;                // the design points, in the order stored
  std::vector<std::vector<Aggregate>> replications;  // [j]: point points[j]'s replications
  // Calendar journeys: [j], point points[j]'s replications' calendar totals; empty otherwise.
  std::vector<std::vector<CalendarTotals>> calendar;
  // Plain journeys: [j], point points[j]'s agent groups, replication by replication (empty in
  // a part of a cjsim before agent groups).
  std::vector<std::vector<AgentGroupFigures>> groups;
};

// "batch-000042.h5", the part numbered `sequence`.
std::string sweep_part_name(std::uint64_t sequence);
// Whether `name` (a file name in a parts directory) is a part: a batch, or a single point
// ("point-000042.h5") as a cjsim of sweep format 2 stored them.
bool is_sweep_part_name(std::string_view name);

// The part as the bytes of its file (what another process sends to the one that writes).
// Points of differently shaped journeys (several base scenarios) may share a part.
std::vector<char> sweep_part_image(const SweepPart& part);
// The same from points kept elsewhere (not moved into a SweepPart): [j] is point points[j]'s,
// `calendar` empty unless the journeys have a calendar, `groups` empty or one per point.
struct SweepPartView {
  std::string_view fingerprint;
  std::span<const std::uint64_t> points;
  std::span<const std::vector<Aggregate>* const> replications;
  std::span<const std::vector<CalendarTotals>* const> calendar;
  std::span<const std::vector<AgentGroupFigures>* const> groups;
};
std::vector<char> sweep_part_image(const SweepPartView& part);
// Writes those bytes as the part's file: under a temporary name, flushed to disk, renamed.
void write_sweep_part_image(const std::string& path, std::span<const char> image);
// Throws std::runtime_error naming the file when it is not a readable part.
SweepPart read_sweep_part(const std::string& path);
// The same from the bytes sweep_part_image made (sent by another process); `what` names them.
SweepPart read_sweep_part_image(std::span<const char> image, const std::string& what);

// How the file was made; these attributes describe the last invocation only (they are the
// only content that differs between a resumed sweep and a straight one).
struct SweepInvocation {
  std::string command_line;
  std::string created;
  double seconds = 0.0;
  unsigned threads = 0;
  unsigned processes = 1;
};

// Writes the whole sweep file (through write_hdf5_file): the figures as sim/sweep made them
// (sweep_figures) and the raw aggregates they came from, `results[k]` point k's replications.
// `calendar[k]`, for a calendar sweep, point k's replications' calendar totals.
void write_sweep_file(PendingFile& file, const SweepPlan& plan, const SweepFigures& figures,
                      std::span<const std::vector<Aggregate>> results,
                      const SweepInvocation& invocation,
                      std::span<const std::vector<CalendarTotals>> calendar = {});

// A calendar sweep's figures of one point (the tables calendar_points and calendar_resources):
// a value per kCalendarPointColumns entry and per resource a value per kResourceColumns
// entry, each with its interval, and the summed counts.
struct StoredCalendarResource {
  std::string id;
  std::string lane;
  std::uint64_t arrivals = 0, served = 0, abandoned = 0;
  std::vector<Estimate> figures;  // in kResourceColumns' order
};
struct StoredCalendarPoint {
  std::uint64_t journeys = 0, organic_agents = 0, referred_agents = 0, deterred = 0;
  std::uint64_t customers = 0, abandoned = 0;
  std::vector<Estimate> figures;  // in kCalendarPointColumns' order
  std::vector<StoredCalendarResource> resources;
};

// What --summary and the reports read back.
struct StoredSweep {
  std::string experiment_name;
  std::string experiment_path;
  std::string design;
  std::string metric;  // the experiment's
  std::string fingerprint;
  std::uint64_t agents = 0;
  std::uint64_t replications = 0;
  std::uint64_t seed = 0;
  std::vector<std::string> parameters;  // paths, the design's columns
  std::vector<std::string> scenarios;   // the base scenarios' names
  std::vector<std::uint64_t> scenario_of_point;
  std::vector<std::vector<double>> values;                             // [point][parameter]
  std::vector<std::array<Estimate, kHeadlineFigures.size()>> figures;  // [point][figure]
  // [point]: agents lost at an entry the point's future state removed (MODEL.md 1.11), over
  // its replications; empty when no point lost any (the points table then has no `lost`).
  std::vector<std::uint64_t> lost;
  std::vector<std::vector<FigureValues>> replication_figures;          // [point][replication]
  // Every point's paired difference from the reference point, as the file stores it (nothing
  // in a file of a cjsim before differences: then differences.difference is empty).
  SweepDifferences differences;
  // [point]: the agent groups the differences are paired over, replication by replication
  // (the table agent_groups; empty when they are paired by replication).
  std::vector<std::vector<AgentGroupFigures>> agent_groups;
  std::uint64_t groups_per_replication = 0;
  std::int64_t days = 0;  // calendar sweeps: the days every point ran, when the experiment set them
  std::int64_t warmup_days = 0;
  std::vector<StoredCalendarPoint> calendar;  // [point], calendar sweeps only
  // [point]: calendar sweeps' paired differences of the calendar figures from the reference
  // point (the tables calendar_differences and calendar_resource_differences; empty in a file
  // of a cjsim before them).
  std::vector<CalendarPointDifference> calendar_differences;
  bool checksummed = true;  // false for a file of an older cjsim, which has no checksums
};

// The figures of a calendar run a sweep stores per point: kCalendarPointColumns
// (sim/sweep/differences.h).

// Whether `path` is a readable HDF5 file written by `cjsim sweep` (false for anything else).
bool is_sweep_file(const std::string& path);

// Throws std::runtime_error naming the file and what is missing or wrong.
StoredSweep read_sweep_file(const std::string& path);
// The same from a file this process has just written and not yet put in place: its bytes,
// checksummed as they were sealed, are not read through again for the whole file's checksum,
// and its agent groups (a third of a small-point sweep's file) are not read back either:
// they are `groups` and `groups_per_replication`, the SweepFigures the file was written from
// (empty when it has none).
StoredSweep read_written_sweep_file(const std::string& path,
                                    std::vector<std::vector<AgentGroupFigures>> groups,
                                    std::uint64_t groups_per_replication);

// Reads the whole file, every checksum verified, and every design point's raw aggregates:
// what a resumed sweep checks before it trusts a finished file. Throws std::runtime_error
// naming the file and the damage; returns false for a file of an older cjsim, which has no
// checksums (and so could be damaged unnoticed).
bool verify_sweep_file(const std::string& path);

}  // namespace cjsim
