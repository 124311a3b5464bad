// The engine: runs N agents of a compiled journey, in parallel, for R replications. Every
// command (run, compare, sweep, fit, attribute) calls this API; none loops over agents itself.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "sim/engine/aggregate.h"
#include "sim/model/cancellation.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/outcome.h"

namespace cjsim {

// One row per agent, when asked for (memory then grows with the number of agents).
struct AgentRecord {
  std::uint64_t agent = 0;
  std::uint32_t replication = 0;
  AgentOutcome outcome;
};

struct AgentDetail {
  std::vector<AgentRecord> records;  // ordered by (replication, agent)
  // Paths, when asked for: the touchpoints of record k are
  // path_touchpoints[path_offsets[k] .. path_offsets[k+1]).
  std::vector<std::uint64_t> path_offsets;
  std::vector<std::uint32_t> path_touchpoints;
  // Hours from the journey's start to the start of each visit, beside path_touchpoints (the
  // first visit's is 0), when RunOptions::agent_path_hours asked; else empty.
  std::vector<double> path_hours;
};

struct RunOptions {
  std::uint64_t agents = 100000;
  std::uint64_t seed = 1;
  std::uint32_t replications = 1;
  unsigned threads = 0;  // 0: every core
  bool agent_records = false;
  bool agent_paths = false;  // implies agent_records
  // And when each visit began (AgentDetail::path_hours); implies agent_paths.
  bool agent_path_hours = false;
  // Called from worker threads after each block with the agents done so far (of all
  // replications) and the total; must be thread-safe and cheap.
  std::function<void(std::uint64_t done, std::uint64_t total)> progress;
  // When set and turned true, the run stops (RunCancelled): blocks not yet started are not
  // started, and a journey under way stops within kStepsBetweenCancelChecks steps.
  const std::atomic<bool>* cancel = nullptr;
  // One process's share of a run spread over several (sim/dist/process_group.h): only agent blocks
  // b with b % processes == process are simulated. Merging every share's aggregates gives the
  // whole run's, to the bit.
  std::uint32_t process = 0;
  std::uint32_t processes = 1;
  // When more than 0: each replication's agents' counts and first moments are also tallied in
  // this many fixed groups (agent_group_first; at most one per agent), RunResult::groups. The
  // replications' aggregates are the same to the bit as without groups, and their counts and
  // first moments (overall()) are the merge of their groups'. Not with agent records.
  std::uint32_t agent_groups = 0;
};

struct RunResult {
  std::vector<Aggregate> replications;  // one per replication
  std::optional<AgentDetail> detail;
  // [replication][group]: each agent group's counts and first moments, when
  // RunOptions::agent_groups asked: the sums its headline figures' values read
  // (OutcomeSums::kFirstMoments); the sums of squares, which only their intervals read, are 0.
  std::vector<std::vector<OutcomeSums>> groups;
  std::uint64_t agents = 0;  // per replication
  std::uint64_t seed = 0;
  unsigned threads = 0;
  double seconds = 0.0;

  Aggregate pooled() const;  // every replication merged
};

// The first agent of group `group` when `agents` agents are split into `groups` contiguous
// groups whose sizes differ by at most one (group `groups` gives `agents`).
constexpr std::uint64_t agent_group_first(std::uint64_t agents, std::uint64_t groups,
                                          std::uint64_t group) {
  return agents / groups * group + std::min(group, agents % groups);
}

// The unit of work for threads, processes and batches: agents [first, first + count) of one
// replication, added to `into`. Any split of the agents into blocks gives the same merged
// aggregate, to the bit.
void simulate_block(const CompiledJourney& journey, std::uint64_t seed, std::uint32_t replication,
                    std::uint64_t first, std::uint64_t count, Aggregate& into,
                    const std::atomic<bool>* cancel = nullptr);

// The same with per-agent records (and paths when `paths`, with their visits' start hours
// when `path_hours` too), appended in agent order.
void simulate_block_detailed(const CompiledJourney& journey, std::uint64_t seed,
                             std::uint32_t replication, std::uint64_t first, std::uint64_t count,
                             Aggregate& into, AgentDetail& detail, bool paths, bool path_hours,
                             const std::atomic<bool>* cancel = nullptr);

RunResult run(const CompiledJourney& journey, const RunOptions& options);

}  // namespace cjsim
