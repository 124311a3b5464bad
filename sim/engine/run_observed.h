// Running agents for any observer that can be merged: what `run` does for the Aggregate,
// done for whatever an analysis needs to count (funnel reach, paths of a few agents, ...),
// without recording every agent. The observer sees each agent's steps (the interface in
// sim/model/agent.h) and must merge exactly (counts, exact sums): workers' observers are
// merged in no fixed order, so an inexact merge would make results depend on the threads.
#pragma once

#include <tbb/enumerable_thread_specific.h>

#include <cstdint>
#include <vector>

#include "sim/engine/block_runner.h"
#include "sim/engine/engine.h"
#include "sim/model/agent.h"

namespace cjsim {

// One observer per replication, each the merge of every agent's observations. `make()` gives
// an empty observer; Observer has merge(const Observer&). Throws RunCancelled like run().
template <class Observer, class Make>
std::vector<Observer> run_observed(const CompiledJourney& journey, const RunOptions& options,
                                   Make make) {
  BlockRunner runner(options);
  std::vector<Observer> out;
  out.reserve(options.replications);
  for (std::uint32_t r = 0; r < options.replications; ++r) {
    tbb::enumerable_thread_specific<Observer> partial(make);
    runner.for_each_block([&](std::uint64_t, std::uint64_t first, std::uint64_t count) {
      Observer& observer = partial.local();
      AgentScratch scratch(journey);
      for (std::uint64_t agent = first; agent < first + count; ++agent) {
        simulate_agent(journey, options.seed, r, agent, scratch, observer, options.cancel);
      }
    });
    Observer merged = make();
    for (const Observer& o : partial) merged.merge(o);
    out.push_back(std::move(merged));
  }
  return out;
}

}  // namespace cjsim
