// Parallel execution of agents over oneTBB, block by block.
#include "sim/engine/engine.h"

#include <tbb/enumerable_thread_specific.h>

#include <chrono>

#include "sim/engine/block_runner.h"
#include "sim/model/agent.h"

namespace cjsim {
namespace {

// Records the agent's path besides aggregating.
class DetailRecorder {
 public:
  DetailRecorder(AggregateRecorder& aggregate, AgentDetail& detail, bool paths)
      : aggregate_(aggregate), detail_(detail), paths_(paths) {}
  void start(std::uint32_t persona) {
    aggregate_.start(persona);
    if (paths_) detail_.path_offsets.push_back(detail_.path_touchpoints.size());
  }
  void visit(std::uint32_t touchpoint, double emotion) {
    aggregate_.visit(touchpoint, emotion);
    if (paths_) detail_.path_touchpoints.push_back(touchpoint);
  }
  void convert(std::uint32_t touchpoint) { aggregate_.convert(touchpoint); }
  void transition(std::uint32_t index) { aggregate_.transition(index); }
  void finish(const AgentOutcome& outcome) { aggregate_.finish(outcome); }

 private:
  AggregateRecorder& aggregate_;
  AgentDetail& detail_;
  bool paths_;
};

void append_detail(AgentDetail& into, AgentDetail&& block) {
  const std::uint64_t base = into.path_touchpoints.size();
  into.records.insert(into.records.end(), block.records.begin(), block.records.end());
  for (std::uint64_t offset : block.path_offsets) into.path_offsets.push_back(base + offset);
  into.path_touchpoints.insert(into.path_touchpoints.end(), block.path_touchpoints.begin(),
                               block.path_touchpoints.end());
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
                             Aggregate& into, AgentDetail& detail, bool paths,
                             const std::atomic<bool>* cancel) {
  AgentScratch scratch(journey);
  AggregateRecorder aggregate(journey, into);
  DetailRecorder recorder(aggregate, detail, paths);
  for (std::uint64_t agent = first; agent < first + count; ++agent) {
    AgentOutcome outcome =
        simulate_agent(journey, seed, replication, agent, scratch, recorder, cancel);
    detail.records.push_back({agent, replication, outcome});
  }
}

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
  const bool detailed = options.agent_records || options.agent_paths;
  if (detailed) result.detail.emplace();

  for (std::uint32_t r = 0; r < options.replications; ++r) {
    tbb::enumerable_thread_specific<Aggregate> partial(
        [&] { return Aggregate::for_journey(journey); });
    std::vector<AgentDetail> block_detail(detailed ? runner.blocks() : 0);
    runner.for_each_block([&](std::uint64_t block, std::uint64_t first, std::uint64_t count) {
      if (detailed) {
        simulate_block_detailed(journey, options.seed, r, first, count, partial.local(),
                                block_detail[block], options.agent_paths, options.cancel);
      } else {
        simulate_block(journey, options.seed, r, first, count, partial.local(), options.cancel);
      }
    });
    Aggregate replication = Aggregate::for_journey(journey);
    for (const Aggregate& a : partial) replication.merge(a);
    result.replications.push_back(std::move(replication));
    for (AgentDetail& d : block_detail) append_detail(*result.detail, std::move(d));
  }
  if (detailed && options.agent_paths) {
    result.detail->path_offsets.push_back(result.detail->path_touchpoints.size());
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace cjsim
