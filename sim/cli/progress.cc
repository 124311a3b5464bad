// Progress bar drawing.
#include "sim/cli/progress.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace cjsim {
namespace {

constexpr std::int64_t kFirstDrawNs = 500'000'000;  // quiet for short runs
constexpr std::int64_t kRedrawNs = 100'000'000;

}  // namespace

ProgressBar::ProgressBar(std::string label, std::string rate_unit)
    : label_(std::move(label)),
      rate_unit_(std::move(rate_unit)),
      enabled_(isatty(STDERR_FILENO) == 1),
      started_(std::chrono::steady_clock::now()),
      next_draw_ns_(kFirstDrawNs) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(std::uint64_t done, std::uint64_t total) {
  if (!enabled_ || total == 0) return;
  const std::int64_t now = std::chrono::duration_cast<std::chrono::nanoseconds>(
                               std::chrono::steady_clock::now() - started_)
                               .count();
  std::int64_t due = next_draw_ns_.load(std::memory_order_relaxed);
  if (now < due) return;
  if (!next_draw_ns_.compare_exchange_strong(due, now + kRedrawNs)) return;
  std::unique_lock lock(draw_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return;
  const double fraction = static_cast<double>(done) / static_cast<double>(total);
  const double seconds = static_cast<double>(now) * 1e-9;
  const double rate = static_cast<double>(done) / seconds;
  const double left = rate > 0 ? static_cast<double>(total - done) / rate : 0.0;
  constexpr int width = 30;
  const int filled = static_cast<int>(fraction * width);
  const std::string rate_text =
      rate_unit_.empty() ? "" : fmt::format("{:.2f} M {}/s  ", rate / 1e6, rate_unit_);
  std::fprintf(stderr, "\r%s [%s%s] %5.1f%%  %s%.0f s left %s", label_.c_str(),
               std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(),
               100.0 * fraction, rate_text.c_str(), left, status_.c_str());
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::set_status(std::string status) {
  std::lock_guard lock(draw_mutex_);
  status_ = std::move(status);
}

void ProgressBar::finish() {
  std::lock_guard lock(draw_mutex_);
  if (!drawn_) return;
  std::fprintf(stderr, "\r%*s\r", 90 + static_cast<int>(status_.size()), "");
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace cjsim
