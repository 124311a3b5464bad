// Spreading a run or a comparison over the processes of a Context (an MPI job) and gathering
// every share on rank 0. A process alone keeps everything.
#pragma once

#include "sim/api/context.h"
#include "sim/engine/comparison.h"
#include "sim/engine/engine.h"

namespace cjsim {

// Gives this process its share of the agent blocks. Per-agent records are refused then.
void share_over_processes(RunOptions& options, const Context& context);

// Merges every process's share into rank 0's result (collective); true where
// context.reports(), false on the other ranks.
bool gather_over_processes(RunResult& result, const Context& context);
bool gather_over_processes(ComparisonRun& comparison, const Context& context);

}  // namespace cjsim
