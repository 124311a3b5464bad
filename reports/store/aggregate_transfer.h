// Aggregates as bytes, to move them between processes (MPI) and merge them there: the same
// integer layout as a result file's raw/ group, so they come back bit for bit.
#pragma once

#include <span>
#include <vector>

#include "sim/engine/aggregate.h"
#include "sim/engine/comparison.h"

namespace cjsim {

// Every aggregate must be of the same journey.
std::vector<char> aggregates_to_bytes(std::span<const Aggregate> aggregates);
// Throws std::runtime_error when the bytes are not what aggregates_to_bytes made.
std::vector<Aggregate> aggregates_from_bytes(std::span<const char> bytes);

// A comparison's aggregates (every journey's replications and every future state's paired
// sums), and the merge of such bytes from another process into `into`, which must be a
// comparison of the same journeys with the same replications.
std::vector<char> comparison_to_bytes(const ComparisonRun& comparison);
void merge_comparison_bytes(ComparisonRun& into, std::span<const char> bytes);

}  // namespace cjsim
