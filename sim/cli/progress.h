// A progress bar on stderr for long runs: shown only when stderr is a terminal and the work
// has lasted long enough to be worth watching; updates are cheap and thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

namespace cjsim {

class ProgressBar {
 public:
  // `rate_unit` names what `update` counts, for the rate shown ("M agents/s"); empty: no
  // rate is shown (the units are steps of uneven work).
  explicit ProgressBar(std::string label, std::string rate_unit = "agents");
  ~ProgressBar();

  // From any thread: `done` of `total` units finished.
  void update(std::uint64_t done, std::uint64_t total);
  // Clears the bar's line if it was drawn.
  void finish();
  // A few words drawn after the bar ("point 3 of 20"); from any thread.
  void set_status(std::string status);

 private:
  std::string label_;
  std::string rate_unit_;
  bool enabled_;
  std::chrono::steady_clock::time_point started_;
  std::atomic<std::int64_t> next_draw_ns_{0};
  std::mutex draw_mutex_;
  bool drawn_ = false;
  std::string status_;
};

}  // namespace cjsim
