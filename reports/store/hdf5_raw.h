// The raw aggregates of a run's replications, group raw/ of a result file: integer arrays with
// a leading replication dimension, from which the Aggregates are read back bit for bit.
// Private to reports/.
#pragma once

#include <H5Cpp.h>

#include <span>
#include <vector>

#include "sim/engine/aggregate.h"

namespace cjsim::hdf5 {

// Creates the group raw/ under `run`. Every replication must be of the same journey.
void write_raw_aggregates(H5::Group& run, std::span<const Aggregate> replications);
// The same from replications kept apart (the points of a sweep, each its own vector).
void write_raw_aggregates(H5::Group& run, std::span<const Aggregate* const> replications);

// Throws std::runtime_error("dataset raw/visits missing") and the like.
std::vector<Aggregate> read_raw_aggregates(const H5::Group& run);

}  // namespace cjsim::hdf5
