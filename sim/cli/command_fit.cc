// `cjsim fit DATA -o FITTED.yaml`: a journey learnt from observed data (or calibrated to a
// funnel), written as an ordinary scenario file, with goodness of fit on the fitted and held-out
// shares of the data. The workflow is fit_journey (models/fit/fit_journey.h); this reads the
// data, calls it, and writes and prints what it returns.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "models/fit/fit_journey.h"
#include "models/observed/funnel.h"
#include "reports/render/emotion_fit_report.h"
#include "reports/store/fit_report.h"
#include "scenarios/loader.h"
#include "sim/cli/commands.h"
#include "sim/cli/observed_flags.h"
#include "sim/cli/progress.h"
#include "sim/cli/resource_limits.h"
#include "sim/cli/run_support.h"

namespace cjsim {
namespace {

// The options bind to the request's fields where they are the same thing.
struct FitOptions {
  FitRequest request;
  std::string data;
  ObservedReadOptions read;
  std::string skeleton;
  bool funnel = false;
  std::string out;
  std::string report_out;
  std::optional<std::uint64_t> seed;
  bool json = false;
  bool force = false;
  bool allow_long = false;
};

// The fit's progress on stderr: a bar labelled `label` for the fit's own steps, then one for
// the simulation that checks it. The first call of a stage comes from the calling thread.
class FitProgress {
 public:
  explicit FitProgress(std::string label) : label_(std::move(label)) {}
  void operator()(std::size_t done, std::size_t total, const std::string& stage) {
    const bool checking = stage == kCheckingTheFit;
    if (!bar_ || checking != checking_) {
      finish();
      bar_ = checking ? std::make_unique<ProgressBar>(stage)
                      : std::make_unique<ProgressBar>(label_, "");
      checking_ = checking;
    }
    if (!checking) bar_->set_status(stage);
    bar_->update(done, total);
  }
  void finish() {
    if (bar_) bar_->finish();
  }

 private:
  std::string label_;
  std::unique_ptr<ProgressBar> bar_;
  bool checking_ = false;
};

// A funnel's file read, or the command stopped with its errors; a funnel needs a skeleton,
// and takes none of the options for observed paths.
ObservedFunnel funnel_for_command(const FitOptions& o, bool has_skeleton, Diagnostics& read) {
  if (!has_skeleton) {
    throw std::runtime_error(fmt::format(
        "{} is a funnel, and a funnel calibrates a journey: give --skeleton JOURNEY.yaml", o.data));
  }
  const FitRequest& r = o.request;
  if (r.personas > 1 || r.estimate_kappa || r.holdout > 0.0 || !o.report_out.empty()) {
    throw std::runtime_error(
        "a funnel is calibrated by simulation: --personas, --estimate-kappa, --holdout and "
        "--report-out apply to observed paths only");
  }
  std::optional<ObservedFunnel> funnel = read_funnel_csv(o.data, read);
  if (funnel) return std::move(*funnel);
  std::cerr << read.to_string();
  std::cerr << fmt::format("cjsim: {}: {}, nothing was written\n", o.data,
                           counted(read.error_count(), "error"));
  throw ReportedError(kExitBadInput);
}

// What the calibration found, printed (the journey is written by then).
void print_calibration(const FitOptions& o, const Calibration& calibration,
                       CommandOutputs& outputs) {
  if (o.json) {
    std::cout << calibration_json(calibration).dump(2) << "\n";
    outputs.commit();
    return;
  }
  std::cout << fmt::format("Calibrated {} to the funnel {}\n", o.skeleton, o.data);
  std::cout << calibration_text(calibration);
  outputs.commit();
  std::cout << fmt::format("\nCalibrated journey written to {}\n", o.out);
}

// The goodness of fit written to --report-out and printed, with the notes and parameters.
void report_fit(const FitOptions& o, const FitResult& fit, CommandOutputs& outputs,
                PendingFile* report_out) {
  FitReport report;
  report.data = o.data;
  report.scenario_yaml = fit.scenario_yaml;
  report.command_line = command_line();
  report.has_closed_forms = fit.has_closed_forms;
  report.no_closed_forms = fit.no_closed_forms;
  report.fitted_conversion_probability = fit.fitted_conversion_probability;
  report.data_conversion_rate = fit.data_conversion_rate;
  report.fitted_steps_per_customer = fit.fitted_steps_per_customer;
  report.data_steps_per_customer = fit.data_steps_per_customer;
  report.checks = fit.checks;
  if (fit.emotion) report.parameters = fit.emotion->parameters;
  if (report_out != nullptr) write_fit_report(*report_out, report);
  if (o.json) {
    nlohmann::json json = fit_json(report);
    json["notes"] = fit.notes;
    if (fit.emotion) json["emotion_fit"] = emotion_fit_json(*fit.emotion);
    std::cout << json.dump(2) << "\n";
    outputs.commit();
    return;
  }
  for (const std::string& note : fit.notes) std::cout << note << "\n";
  std::cout << text_fit_report(report);
  if (fit.emotion) std::cout << "\n" << emotion_fit_text(*fit.emotion);
  outputs.commit();
  std::cout << fmt::format("\nFitted journey written to {} ({}, {})\n", o.out,
                           counted(fit.scenario.touchpoints.size(), "touchpoint"),
                           counted(fit.scenario.transitions.size(), "transition"));
  if (!o.report_out.empty()) std::cout << "Goodness of fit written to " << o.report_out << "\n";
}

int fit_command(const FitOptions& o) {
  if (o.out.empty()) throw std::runtime_error("name the fitted journey's file with -o FITTED.yaml");
  FitRequest request = o.request;
  if (!o.skeleton.empty()) request.skeleton = load_for_command(o.skeleton);
  CommandOutputs outputs(overwrite_if(o.force));
  outputs.add_input(o.data, "the data file");
  if (request.skeleton) add_scenario_inputs(outputs, *request.skeleton, o.skeleton);
  outputs.add_standard_output();
  PendingFile& out = outputs.add("-o", o.out);
  PendingFile* report_out = o.report_out.empty()
                                ? nullptr
                                : &outputs.add("--report-out", o.report_out, kLeastResultFileBytes);
  const bool funnel =
      o.funnel || (o.read.format == ObservedFormat::automatic && has_funnel_header(o.data));
  Diagnostics read;
  if (funnel) {
    request.data = funnel_for_command(o, request.skeleton.has_value(), read);
  } else {
    request.data = load_observed_for_command(o.data, o.read);
  }
  request.data_name = o.data;
  request.skeleton_name = o.skeleton;
  request.out_name = o.out;
  request.seed = o.seed.value_or(kDefaultSeed);
  FitProgress progress(funnel ? "calibrating" : "fitting");
  request.progress = [&progress](std::size_t done, std::size_t total, const std::string& stage) {
    progress(done, total, stage);
  };
  const InterruptGuard interrupt;
  request.cancel = &interrupt.flag();
  request.before_check = [&](const CompiledJourney& journey, const RunOptions& options) {
    progress.finish();
    check_detail_memory(options.agents, options.replications, true);
    check_journey_lengths({&journey, 1}, options.agents, options.replications, o.allow_long);
  };

  const FitResult fit = fit_journey(request);
  progress.finish();
  std::cerr << read.to_string() << fit.diagnostics.to_string();
  if (!fit.fitted()) {
    std::cerr << "cjsim: " << fit.refusal << "\n";
    throw ReportedError(kExitBadInput);
  }
  out.write(fit.scenario_yaml);
  if (fit.calibration) {
    print_calibration(o, *fit.calibration, outputs);
  } else {
    report_fit(o, fit, outputs, report_out);
  }
  return 0;
}

}  // namespace

CommandAction add_fit_command(CLI::App& command) {
  auto o = std::make_shared<FitOptions>();
  command
      .add_option("data", o->data,
                  "Observed journeys (an event log, a path table, XES) or a funnel (CSV)")
      ->required();
  command
      .add_option("-o,--out", o->out,
                  "The fitted journey's file (YAML), for run, compare and sweep")
      ->check(file_name_check());
  command.add_option(
      "--skeleton", o->skeleton,
      "A journey to fit: when it has every touchpoint of the data (by id), its emotion means, "
      "biases, dropouts and weights are fitted by maximum likelihood; else the Markov chain is "
      "fitted and takes only the skeleton's stages (the output says so). A funnel needs one");
  command
      .add_option("--personas", o->request.personas,
                  "Latent personas to fit by EM (1: the skeleton's first persona, or one neutral "
                  "persona); K > 1 without a skeleton fits them on the Markov-fitted journey")
      ->check(CLI::Range(1u, 64u))
      ->capture_default_str();
  command.add_option("--calibrate", o->request.calibrate,
                     "With a funnel: the parameters to adjust (touchpoints.ID.dropout, "
                     "touchpoints.ID.emotion.mean, settings.kappa); default every dropout");
  command.add_flag("--estimate-kappa", o->request.estimate_kappa,
                   "Estimate kappa too (else it holds the unit of emotion at the skeleton's)");
  command.add_option("--name", o->request.name,
                     "The fitted journey's name (default: the skeleton's, or 'Fitted journey')");
  command
      .add_option("--holdout", o->request.holdout,
                  "Share of the customers held out of the fit and used only to check it")
      ->check(CLI::Range(0.0, 0.9))
      ->capture_default_str();
  command
      .add_option("--report-out", o->report_out,
                  "Write the goodness-of-fit tables to this HDF5 file")
      ->check(file_name_check());
  command.add_option("--top-paths", o->request.top_paths, "Most common paths compared")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}))
      ->capture_default_str();
  command
      .add_option("-n,--agents", o->request.agents,
                  "Agents simulated from the fitted journey to check it")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{10000000}))
      ->capture_default_str();
  add_seed_option(command, o->seed, "Random seed of the holdout split and the check (default 1)");
  command.add_option("-t,--threads", o->request.threads, "Worker threads (default: every core)")
      ->check(CLI::Range(0u, 4096u));
  command.add_flag("--json", o->json,
                   "Print the goodness of fit and fitted parameters (or the calibration) as one "
                   "JSON object");
  command.add_flag("-f,--force", o->force, "Overwrite the output files if they exist");
  add_allow_long_flag(command, o->allow_long);
  add_observed_data_flags(command, o->read, &o->funnel);
  return [o] { return fit_command(*o); };
}

}  // namespace cjsim
