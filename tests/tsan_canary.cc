// Proves that the ThreadSanitizer build sees a race in cjsim's code when TBB's threads run it:
// the blocks of a run add to one counter with nothing to order them. ctest expects TSan's
// report of that race, at this file's line, so a build in which TSan went blind (an
// uninstrumented TBB, or suppressions that hide cjsim's frames) fails.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include "sim/engine/block_runner.h"

int main() {
  cjsim::RunOptions options;
  options.threads = 2;
  options.agents = 64 * cjsim::BlockRunner::kBlockAgents;
  cjsim::BlockRunner runner(options);
  // Each block waits (up to 10 s) until a second thread has joined, so both threads run
  // blocks. Relaxed atomics order nothing, for TSan as for the machine.
  std::atomic<int> threads_seen{0};
  std::uint64_t agents = 0;
  runner.for_each_block([&](std::uint64_t, std::uint64_t, std::uint64_t count) {
    thread_local bool seen = false;
    if (!seen) {
      seen = true;
      threads_seen.fetch_add(1, std::memory_order_relaxed);
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (threads_seen.load(std::memory_order_relaxed) < 2 &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    agents += count;  // the race
  });
  return agents == options.agents ? 0 : 1;
}
