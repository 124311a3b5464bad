// A stage of long work as the Context's Progress sees it, for as long as it lives: started on
// construction, finished on destruction; with RunOptions, the engine's progress and cancel
// hooks point at it.
#pragma once

#include <string_view>

#include "sim/api/context.h"
#include "sim/engine/engine.h"

namespace cjsim {

class Stage {
 public:
  Stage(const Context& context, std::string_view name, std::string_view rate_unit);
  // Also attaches the engine's progress and cancellation to `options` (for the stage's life).
  Stage(const Context& context, std::string_view name, std::string_view rate_unit,
        RunOptions& options);
  ~Stage();
  Stage(const Stage&) = delete;
  Stage& operator=(const Stage&) = delete;

  void update(std::uint64_t done, std::uint64_t total) const {
    if (progress_ != nullptr) progress_->update(done, total);
  }
  void status(std::string_view words) const {
    if (progress_ != nullptr) progress_->status(words);
  }

 private:
  Progress* progress_;
};

}  // namespace cjsim
