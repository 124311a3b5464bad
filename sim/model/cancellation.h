// Stopping work that is under way: a flag a front end raises (Ctrl-C, a cancel button), which
// drivers look at between blocks of agents and inside long journeys, and the exception that
// unwinds the run.
#pragma once

#include <atomic>
#include <exception>

namespace cjsim {

struct RunCancelled : std::exception {
  const char* what() const noexcept override { return "run cancelled"; }
};

inline bool is_cancelled(const std::atomic<bool>* cancel) {
  return cancel != nullptr && cancel->load(std::memory_order_relaxed);
}

}  // namespace cjsim
