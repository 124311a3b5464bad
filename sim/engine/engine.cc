// Parallel execution of agents over oneTBB, block by block.
#include "sim/engine/engine.h"

#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "sim/engine/block_runner.h"
#include "sim/model/agent.h"

namespace cjsim {
namespace {

// Records the agent's path besides aggregating.
class DetailRecorder {
 public:
  DetailRecorder(AggregateRecorder& aggregate, AgentDetail& detail, bool paths, bool hours)
      : aggregate_(aggregate), detail_(detail), paths_(paths), hours_(paths && hours) {}
  void start(std::uint32_t persona) {
    aggregate_.start(persona);
    if (paths_) detail_.path_offsets.push_back(detail_.path_touchpoints.size());
  }
  void visit(std::uint32_t touchpoint, double emotion) {
    aggregate_.visit(touchpoint, emotion);
    if (paths_) detail_.path_touchpoints.push_back(touchpoint);
  }
  void visit_began(double hours) {
    if (hours_) detail_.path_hours.push_back(hours);
  }
  void convert(std::uint32_t touchpoint) { aggregate_.convert(touchpoint); }
  void transition(std::uint32_t index) { aggregate_.transition(index); }
  void finish(const AgentOutcome& outcome) { aggregate_.finish(outcome); }

 private:
  AggregateRecorder& aggregate_;
  AgentDetail& detail_;
  bool paths_;
  bool hours_;
};

void append_detail(AgentDetail& into, AgentDetail&& block) {
  const std::uint64_t base = into.path_touchpoints.size();
  into.records.insert(into.records.end(), block.records.begin(), block.records.end());
  for (std::uint64_t offset : block.path_offsets) into.path_offsets.push_back(base + offset);
  into.path_touchpoints.insert(into.path_touchpoints.end(), block.path_touchpoints.begin(),
                               block.path_touchpoints.end());
  into.path_hours.insert(into.path_hours.end(), block.path_hours.begin(), block.path_hours.end());
}

}  // namespace

void simulate_block(const CompiledJourney& journey, std::uint64_t seed, std::uint32_t replication,
                    std::uint64_t first, std::uint64_t count, Aggregate& into,
                    const std::atomic<bool>* cancel) {
  AgentScratch scratch(journey);
  AggregateRecorder recorder(journey, into);
  for (std::uint64_t agent = first; agent < first + count; ++agent) {
    simulate_agent(journey, seed, replication, agent, scratch, recorder, cancel);
  }
}

void simulate_block_detailed(const CompiledJourney& journey, std::uint64_t seed,
                             std::uint32_t replication, std::uint64_t first, std::uint64_t count,
                             Aggregate& into, AgentDetail& detail, bool paths, bool path_hours,
                             const std::atomic<bool>* cancel) {
  AgentScratch scratch(journey);
  AggregateRecorder aggregate(journey, into);
  DetailRecorder recorder(aggregate, detail, paths, path_hours);
  for (std::uint64_t agent = first; agent < first + count; ++agent) {
    AgentOutcome outcome =
        simulate_agent(journey, seed, replication, agent, scratch, recorder, cancel);
    detail.records.push_back({agent, replication, outcome});
  }
}

namespace {

// Feeds the aggregate and tallies each agent's counts into its group's; when done, moves the
// first moments the aggregate staged for the group's agents into the group's sums too (the
// aggregate's recorder holds none staged from other agents when given).
class GroupRecorder {
 public:
  GroupRecorder(const CompiledJourney& journey, AggregateRecorder& aggregate, OutcomeSums& group)
      : journey_(journey), aggregate_(aggregate), group_(group) {}
  GroupRecorder(const GroupRecorder&) = delete;
  GroupRecorder& operator=(const GroupRecorder&) = delete;
  ~GroupRecorder() { aggregate_.flush_first_moments(group_); }

  void start(std::uint32_t persona) { aggregate_.start(persona); }
  void visit(std::uint32_t touchpoint, double emotion) { aggregate_.visit(touchpoint, emotion); }
  void convert(std::uint32_t touchpoint) { aggregate_.convert(touchpoint); }
  void transition(std::uint32_t index) { aggregate_.transition(index); }
  void finish(const AgentOutcome& outcome) {
    aggregate_.finish(outcome);
    group_.add_counts(outcome, journey_.promoter_threshold, journey_.detractor_threshold);
  }

 private:
  const CompiledJourney& journey_;
  AggregateRecorder& aggregate_;
  OutcomeSums& group_;
};

// One thread's share of a replication with agent groups: the aggregate of its agents, and
// each group's counts and first moments.
struct GroupedPartial {
  Aggregate aggregate;
  std::vector<OutcomeSums> groups;
};

// Agents [first, first + count) of a replication, added to the aggregate and their counts
// and first moments to their group's (`into.groups[g]`, groups as agent_group_first draws them).
void simulate_block_in_groups(const CompiledJourney& journey, const RunOptions& options,
                              std::uint32_t replication, std::uint64_t first, std::uint64_t count,
                              GroupedPartial& into) {
  const std::uint64_t groups = into.groups.size();
  const auto first_of = [&](std::uint64_t g) {
    return agent_group_first(options.agents, groups, g);
  };
  // The group holding `first`: its first agent is at most `first`.
  std::uint64_t g = first * groups / options.agents;
  while (g > 0 && first_of(g) > first) --g;
  while (g + 1 < groups && first_of(g + 1) <= first) ++g;
  AgentScratch scratch(journey);
  AggregateRecorder aggregate(journey, into.aggregate);
  for (std::uint64_t agent = first; agent < first + count; ++g) {
    const std::uint64_t end = std::min(first + count, first_of(g + 1));
    GroupRecorder recorder(journey, aggregate, into.groups[g]);
    for (; agent < end; ++agent) {
      simulate_agent(journey, options.seed, replication, agent, scratch, recorder,
                     options.cancel);
    }
  }
}

}  // namespace

Aggregate RunResult::pooled() const {
  Aggregate total;
  for (const Aggregate& a : replications) total.merge(a);
  return total;
}

RunResult run(const CompiledJourney& journey, const RunOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  BlockRunner runner(options);
  RunResult result;
  result.agents = options.agents;
  result.seed = options.seed;
  result.threads = runner.threads();
  const bool paths = options.agent_paths || options.agent_path_hours;
  const bool detailed = options.agent_records || paths;
  if (detailed) result.detail.emplace();
  const std::uint64_t groups = std::min<std::uint64_t>(options.agent_groups, options.agents);
  if (detailed && groups > 0) {
    throw std::invalid_argument("run: agent groups are not tallied with agent records");
  }

  for (std::uint32_t r = 0; r < options.replications && groups > 0; ++r) {
    // On one thread every block adds to the one share, made here rather than looked up per
    // block (what the merge below would give of one share, as it is).
    if (runner.threads() == 1) {
      GroupedPartial only{Aggregate::for_journey(journey), std::vector<OutcomeSums>(groups)};
      runner.for_each_block([&](std::uint64_t, std::uint64_t first, std::uint64_t count) {
        simulate_block_in_groups(journey, options, r, first, count, only);
      });
      result.groups.push_back(std::move(only.groups));
      result.replications.push_back(std::move(only.aggregate));
      continue;
    }
    tbb::enumerable_thread_specific<GroupedPartial> partial([&] {
      return GroupedPartial{Aggregate::for_journey(journey), std::vector<OutcomeSums>(groups)};
    });
    runner.for_each_block([&](std::uint64_t, std::uint64_t first, std::uint64_t count) {
      simulate_block_in_groups(journey, options, r, first, count, partial.local());
    });
    // One thread's share is the replication's: merged into empty sums it would come out the
    // same (counts and exact sums), so it is taken as it is.
    if (partial.size() == 1) {
      GroupedPartial& only = *partial.begin();
      result.groups.push_back(std::move(only.groups));
      result.replications.push_back(std::move(only.aggregate));
      continue;
    }
    std::vector<OutcomeSums>& merged = result.groups.emplace_back(groups);
    Aggregate replication = Aggregate::for_journey(journey);
    for (const GroupedPartial& local : partial) {
      replication.merge(local.aggregate);
      for (std::uint64_t g = 0; g < groups; ++g) merged[g].merge(local.groups[g]);
    }
    result.replications.push_back(std::move(replication));
  }
  for (std::uint32_t r = 0; r < options.replications && groups == 0; ++r) {
    tbb::enumerable_thread_specific<Aggregate> partial(
        [&] { return Aggregate::for_journey(journey); });
    std::vector<AgentDetail> block_detail(detailed ? runner.blocks() : 0);
    runner.for_each_block([&](std::uint64_t block, std::uint64_t first, std::uint64_t count) {
      if (detailed) {
        simulate_block_detailed(journey, options.seed, r, first, count, partial.local(),
                                block_detail[block], paths, options.agent_path_hours,
                                options.cancel);
      } else {
        simulate_block(journey, options.seed, r, first, count, partial.local(), options.cancel);
      }
    });
    if (partial.size() == 1) {
      result.replications.push_back(std::move(*partial.begin()));
    } else {
      Aggregate replication = Aggregate::for_journey(journey);
      for (const Aggregate& a : partial) replication.merge(a);
      result.replications.push_back(std::move(replication));
    }
    for (AgentDetail& d : block_detail) append_detail(*result.detail, std::move(d));
  }
  if (detailed && paths) {
    result.detail->path_offsets.push_back(result.detail->path_touchpoints.size());
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace cjsim
