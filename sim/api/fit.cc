// Fitting from files through the Context.
#include "sim/api/fit.h"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <stdexcept>

#include "models/observed/funnel.h"
#include "sim/api/errors.h"
#include "sim/api/limits.h"
#include "sim/api/observed.h"

namespace cjsim {
namespace {

// The fit's progress as stages of the Context's Progress: the fit's own steps under `label`
// (their names as the status), then the simulation that checks it, counted in agents.
class FitStages {
 public:
  FitStages(Progress* progress, std::string label) : progress_(progress), label_(std::move(label)) {}
  ~FitStages() { finish(); }
  void operator()(std::size_t done, std::size_t total, const std::string& stage) {
    if (progress_ == nullptr) return;
    const bool checking = stage == kCheckingTheFit;
    if (!started_ || checking != checking_) {
      finish();
      progress_->start(checking ? stage : label_, checking ? "agents" : "");
      started_ = true;
      checking_ = checking;
    }
    if (!checking) progress_->status(stage);
    progress_->update(done, total);
  }
  void finish() {
    if (progress_ != nullptr && started_) progress_->finish();
    started_ = false;
  }

 private:
  Progress* progress_;
  std::string label_;
  bool started_ = false;
  bool checking_ = false;
};

ObservedFunnel read_funnel(const FitCall& call, const Context& context) {
  const FitRequest& r = call.request;
  if (!r.skeleton) {
    throw std::runtime_error(fmt::format(
        "{} is a funnel, and a funnel calibrates a journey: give --skeleton JOURNEY.yaml",
        call.data_file));
  }
  if (r.personas > 1 || r.estimate_kappa || r.holdout > 0.0 ||
      r.uncertainty.method != FitUncertaintyMethod::none || r.order != 1 || r.compare_orders ||
      r.durations != DurationFamily::exponential) {
    throw std::runtime_error(
        "a funnel is calibrated by simulation: --personas, --estimate-kappa, --holdout, "
        "--uncertainty, --order, --durations and --report-out apply to observed paths only");
  }
  Diagnostics read;
  std::optional<ObservedFunnel> funnel = read_funnel_csv(call.data_file, read);
  if (context.diagnostics) context.diagnostics(call.data_file, read);
  if (!funnel) throw InvalidInput(call.data_file, read.error_count(), "nothing was written");
  return std::move(*funnel);
}

}  // namespace

bool fits_a_funnel(const FitCall& call) {
  return call.funnel ||
         (call.read.format == ObservedFormat::automatic && has_funnel_header(call.data_file));
}

FitResult fit(FitCall call, const Context& context) {
  FitRequest& request = call.request;
  const bool funnel = fits_a_funnel(call);
  if (funnel) {
    request.data = read_funnel(call, context);
  } else {
    // A calendar fit learns queues from the lifecycle transitions too (models/fit/queue_fit.h),
    // unless a classifier names each transition its own touchpoint (no wait pairs up then).
    const EventLogColumns& events = call.read.events;
    call.read.events.lifecycle_events =
        request.calendar && std::find(events.classifier.begin(), events.classifier.end(),
                                      events.lifecycle) == events.classifier.end();
    request.data = load_observed(call.data_file, call.read, context);
  }
  if (request.data_name.empty()) request.data_name = call.data_file;
  FitStages stages(context.progress, funnel ? "calibrating" : "fitting");
  request.progress = [&stages](std::size_t done, std::size_t total, const std::string& stage) {
    stages(done, total, stage);
  };
  request.cancel = context.cancel;
  request.before_check = [&](const CompiledJourney& journey, const RunOptions& options) {
    stages.finish();
    check_detail_memory(options.agents, options.replications, true);
    check_journey_lengths({&journey, 1}, options.agents, options.replications, call.allow_long,
                          context);
  };
  FitResult result = fit_journey(request);
  stages.finish();
  if (context.diagnostics) context.diagnostics(call.data_file, result.diagnostics);
  if (!result.fitted()) throw InvalidInput(call.data_file, result.refusal);
  return result;
}

}  // namespace cjsim
