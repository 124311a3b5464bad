// A current state and future states on the same agents (common random numbers), with paired
// differences of every figure: what `cjsim compare` and the other front ends call.
#pragma once

#include <string>
#include <vector>

#include "reports/store/comparison_file.h"
#include "sim/api/run.h"
#include "sim/engine/comparison.h"

namespace cjsim {

// Journeys read and compiled one at a time, each scenario keeping only what results record
// (release_compiled_parts), so that many large files fit in memory together; with
// `keep_parts`, whole (a comparison with draws sets their uncertain inputs draw by draw).
struct CompiledJourneys {
  std::vector<std::string> paths;
  std::vector<Scenario> scenarios;
  std::vector<CompiledJourney> journeys;
};
CompiledJourneys load_journeys(const std::vector<std::string>& paths, const Context& context,
                               bool keep_parts = false);

struct CompareOutcome {
  RunOptions options;
  ComparisonRun comparison;
  // Summaries, differences, labels and metadata: only where Context::reports().
  std::optional<ComparisonReport> report;
};

// Simulates the journeys (the current state first, at least two) on the same agents and ranks
// the future states by `rank_by`, after checking their expected length and the memory.
// Journeys are labelled by their names, and by their files too where two share a name.
CompareOutcome compare_journeys(const CompiledJourneys& journeys, const RunSettings& settings,
                                const std::string& rank_by, const Context& context);

// Labels for results: scenario names, with the file where two scenarios share a name.
std::vector<std::string> journey_labels(const std::vector<std::string>& names,
                                        const std::vector<std::string>& paths);

}  // namespace cjsim
