// Spreads the agents of one replication over worker threads in fixed blocks, reporting
// progress and stopping between blocks on cancellation: the parallel loop that every kind of
// run (plain, paired) shares. Blocks never straddle the same agents differently, whatever the
// thread count, so per-block work is deterministic. TBB's join orders every block's work
// before the caller's merge.
#pragma once

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <optional>

#include "sim/engine/engine.h"

namespace cjsim {

// TBB's default pool has a worker fewer than the machine has cores: a run asking for more
// threads than that gets them while this lives (and no warning from TBB that it cannot).
class ThreadAllowance {
 public:
  explicit ThreadAllowance(unsigned threads) {
    if (threads > static_cast<unsigned>(tbb::info::default_concurrency())) {
      control_.emplace(tbb::global_control::max_allowed_parallelism, threads);
    }
  }

 private:
  std::optional<tbb::global_control> control_;
};

class BlockRunner {
 public:
  // Agents per block: large enough to amortise scheduling, small enough to balance two cores
  // and to report progress often.
  static constexpr std::uint64_t kBlockAgents = 16384;

  explicit BlockRunner(const RunOptions& options)
      : options_(options),
        threads_(threads_for(options.threads)),
        allowance_(threads_),
        blocks_(blocks_for(options.agents)),
        total_(options.agents * options.replications / std::max(options.processes, 1u)),
        arena_(static_cast<int>(threads_)) {}

  // The threads a run asking for `requested` gets: every core when 0.
  static unsigned threads_for(unsigned requested) {
    return requested == 0 ? static_cast<unsigned>(tbb::info::default_concurrency()) : requested;
  }

  // The blocks a replication of `agents` agents is split into.
  static std::uint64_t blocks_for(std::uint64_t agents) {
    return (agents + kBlockAgents - 1) / kBlockAgents;
  }

  unsigned threads() const { return threads_; }
  std::uint64_t blocks() const { return blocks_; }

  // Calls work(block, first_agent, agent_count) for every block of a replication, on the
  // worker threads. Throws RunCancelled once the options' cancel flag is set.
  template <class Work>
  void for_each_block(Work&& work) {
    std::atomic<bool> cancelled{false};
    arena_.execute([&] {
      tbb::parallel_for(tbb::blocked_range<std::uint64_t>(0, blocks_, 1),
                        [&](const tbb::blocked_range<std::uint64_t>& range) {
                          for (std::uint64_t b = range.begin(); b != range.end(); ++b) {
                            if (b % options_.processes != options_.process) continue;
                            if (cancel_requested()) {
                              cancelled.store(true);
                              return;
                            }
                            const std::uint64_t first = b * kBlockAgents;
                            const std::uint64_t count = std::min(kBlockAgents, options_.agents - first);
                            work(b, first, count);
                            report(count);
                          }
                        });
    });
    if (cancelled.load()) throw RunCancelled();
  }

 private:
  bool cancel_requested() const {
    return is_cancelled(options_.cancel);
  }
  void report(std::uint64_t count) {
    const std::uint64_t now = done_.fetch_add(count, std::memory_order_relaxed) + count;
    if (options_.progress) options_.progress(now, total_);
  }

  const RunOptions& options_;
  unsigned threads_;
  ThreadAllowance allowance_;
  std::uint64_t blocks_;
  std::uint64_t total_;
  std::atomic<std::uint64_t> done_{0};
  tbb::task_arena arena_;
};

}  // namespace cjsim
