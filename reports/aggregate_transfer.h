// Aggregates as bytes, to move them between processes (MPI) and merge them there: the same
// integer layout as a result file's raw/ group, so they come back bit for bit.
#pragma once

#include <span>
#include <vector>

#include "sim/aggregate.h"

namespace cjsim {

// Every aggregate must be of the same journey.
std::vector<char> aggregates_to_bytes(std::span<const Aggregate> aggregates);
// Throws std::runtime_error when the bytes are not what aggregates_to_bytes made.
std::vector<Aggregate> aggregates_from_bytes(std::span<const char> bytes);

}  // namespace cjsim
