// Per-agent detail in a result file: the `agents` table (one row per agent, compressed) and,
// when recorded, the paths under agent_paths/. Private to reports/.
#pragma once

#include <H5Cpp.h>

#include <optional>

#include "sim/engine/engine.h"

namespace cjsim::hdf5 {

void write_agent_detail(H5::Group& run, const AgentDetail& detail);

// Nothing when the run was written without detail. Throws std::runtime_error naming what is
// malformed.
std::optional<AgentDetail> read_agent_detail(const H5::Group& run);

}  // namespace cjsim::hdf5
