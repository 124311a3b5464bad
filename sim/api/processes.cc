// Shares and gathers over a process group.
#include "sim/api/processes.h"

#include <stdexcept>

#include "reports/store/aggregate_transfer.h"
#include "sim/dist/process_group.h"

namespace cjsim {

void share_over_processes(RunOptions& options, const Context& context) {
  if (context.process_count() == 1) return;
  if (options.agent_records || options.agent_paths || options.agent_path_hours) {
    throw std::runtime_error("per-agent records (--agents-detail, --paths) are not gathered from "
                             "several MPI processes; run with one process");
  }
  options.process = static_cast<std::uint32_t>(context.processes->rank());
  options.processes = static_cast<std::uint32_t>(context.processes->size());
}

bool gather_over_processes(RunResult& result, const Context& context) {
  if (context.process_count() == 1) return true;
  ProcessGroup& group = *context.processes;
  const std::vector<std::vector<char>> shares = group.gather(aggregates_to_bytes(result.replications));
  if (!group.root()) return false;
  for (std::size_t rank = 1; rank < shares.size(); ++rank) {
    const std::vector<Aggregate> share = aggregates_from_bytes(shares[rank]);
    if (share.size() != result.replications.size()) {
      throw std::runtime_error("an MPI process returned a different number of replications");
    }
    for (std::size_t r = 0; r < share.size(); ++r) result.replications[r].merge(share[r]);
  }
  return true;
}

bool gather_over_processes(ComparisonRun& comparison, const Context& context) {
  if (context.process_count() == 1) return true;
  ProcessGroup& group = *context.processes;
  const std::vector<std::vector<char>> shares = group.gather(comparison_to_bytes(comparison));
  if (!group.root()) return false;
  for (std::size_t rank = 1; rank < shares.size(); ++rank) {
    merge_comparison_bytes(comparison, shares[rank]);
  }
  return true;
}

}  // namespace cjsim
