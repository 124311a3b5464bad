// A comparison of a current state with future states, for people (text), for tools (JSON) and
// for Python (HDF5: one group per scenario, plus the table of differences).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "reports/output_file.h"
#include "reports/run_metadata.h"
#include "sim/comparison.h"
#include "sim/summary.h"

namespace cjsim {

// Everything a comparison report shows, assembled by the command.
struct ComparisonReport {
  std::vector<std::string> labels;  // per scenario: its name, or name and file when names repeat
  std::vector<RunMetadata> metadata;
  std::vector<Summary> summaries;
  std::vector<Difference> differences;
  std::string rank_by = "conversion_rate";
  std::string method;  // how the intervals were computed, for people
  double seconds = 0.0;
};

// The future states ordered best first by the difference of `rank_by` (overall scope):
// scenario indices.
std::vector<std::size_t> rank_future_states(const ComparisonReport& report);

std::string text_comparison(const ComparisonReport& report);
nlohmann::json comparison_json(const ComparisonReport& report);

// Group "current" and groups "future_1", "future_2", ... with the layout of a run, and the
// "differences" table at the root.
void write_comparison_file(PendingFile& file, const ComparisonReport& report,
                           const std::vector<const CompiledJourney*>& journeys,
                           const ComparisonRun& comparison);

// The interval method of a comparison with this many replications.
std::string comparison_method(std::uint32_t replications);

}  // namespace cjsim
