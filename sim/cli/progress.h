// A progress bar on stderr for long runs: shown only when stderr is a terminal and the work
// has lasted long enough to be worth watching; updates are cheap and thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "sim/api/context.h"

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

// The library's Progress (sim/api/context.h) as a ProgressBar per stage.
class TerminalProgress final : public Progress {
 public:
  void start(std::string_view stage, std::string_view rate_unit) override {
    bar_.emplace(std::string(stage), std::string(rate_unit));
  }
  void update(std::uint64_t done, std::uint64_t total) override {
    if (bar_) bar_->update(done, total);
  }
  void status(std::string_view words) override {
    if (bar_) bar_->set_status(std::string(words));
  }
  void finish() override {
    if (bar_) bar_->finish();
  }

 private:
  std::optional<ProgressBar> bar_;
};

}  // namespace cjsim
