// Stages of progress.
#include "sim/api/stage.h"

namespace cjsim {

Stage::Stage(const Context& context, std::string_view name, std::string_view rate_unit)
    : progress_(context.progress) {
  if (progress_ != nullptr) progress_->start(name, rate_unit);
}

Stage::Stage(const Context& context, std::string_view name, std::string_view rate_unit,
             RunOptions& options)
    : Stage(context, name, rate_unit) {
  if (progress_ != nullptr) {
    options.progress = [progress = progress_](std::uint64_t done, std::uint64_t total) {
      progress->update(done, total);
    };
  }
  options.cancel = context.cancel;
}

Stage::~Stage() {
  if (progress_ != nullptr) progress_->finish();
}

}  // namespace cjsim
