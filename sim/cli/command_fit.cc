// `cjsim fit DATA -o FITTED.yaml`: a journey learnt from observed data (or calibrated to a
// funnel), written as an ordinary scenario file, with goodness of fit on the fitted and held-out
// shares of the data. The workflow is the library's fit (sim/api/fit.h); this calls it and
// writes and prints what it returns.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <utility>
#include <vector>

#include "reports/render/emotion_fit_report.h"
#include "reports/store/fit_report.h"
#include "sim/api/fit.h"
#include "sim/api/run.h"
#include "sim/cli/commands.h"
#include "sim/cli/observed_flags.h"
#include "sim/cli/run_support.h"

namespace cjsim {
namespace {

// The options bind to the request's fields where they are the same thing.
struct FitOptions {
  FitCall call;
  std::string skeleton;
  std::string out;
  std::string report_out;
  std::string uncertainty = "none";
  std::string durations = "exponential";
  std::string persona_model;
  std::string order;
  std::optional<std::uint64_t> seed;
  bool json = false;
  bool force = false;
};

// What the calibration found, printed (the journey is written by then).
void print_calibration(const FitOptions& o, const FitResult& fit, CommandOutputs& outputs) {
  if (o.json) {
    std::cout << calibration_result_json(fit).dump(2) << "\n";
  } else {
    std::cout << fmt::format("Calibrated {} to the funnel {}\n", o.skeleton, o.call.data_file);
    std::cout << calibration_text(*fit.calibration);
    for (const std::string& note : fit.notes) std::cout << "note: " << note << "\n";
  }
  commit_and_announce(outputs);
}

// The goodness of fit written to --report-out and printed, with the notes and parameters.
void report_fit(const FitOptions& o, const FitResult& fit, CommandOutputs& outputs,
                PendingFile* report_out, const Context& context) {
  const FitReport report = fit_report_of(fit, o.call.data_file, context.command_line);
  if (report_out != nullptr) write_fit_report(*report_out, report);
  if (o.json) {
    std::cout << fit_result_json(report, fit).dump(2) << "\n";
  } else {
    for (const std::string& note : fit.notes) std::cout << note << "\n";
    std::cout << text_fit_report(report);
    if (fit.emotion) std::cout << "\n" << emotion_fit_text(*fit.emotion);
    if (fit.arrivals) std::cout << "\n" << arrival_fit_text(*fit.arrivals);
    if (!fit.queues.empty()) std::cout << "\n" << queue_fit_text(fit.queues);
    std::cout << fmt::format("\nThe fitted journey has {} and {}.\n",
                             counted(fit.scenario.touchpoints.size(), "touchpoint"),
                             counted(fit.scenario.transitions.size(), "transition"));
  }
  commit_and_announce(outputs);
}

int fit_command(const FitOptions& o, const Context& context) {
  if (o.out.empty()) throw std::runtime_error("name the fitted journey's file with -o FITTED.yaml");
  FitCall call = o.call;
  call.request.uncertainty = fit_uncertainty_from_text(o.uncertainty);
  if (!o.order.empty()) {
    call.request.compare_orders = true;
    call.request.order = o.order == "bic" ? 0 : std::stoi(o.order);
  }
  call.request.durations =
      o.durations == "best" ? DurationFamily::best : DurationFamily::exponential;
  if (!o.persona_model.empty()) {
    call.request.persona_model =
        o.persona_model == "odds" ? PersonaModel::odds : PersonaModel::chains;
  }
  if (!o.skeleton.empty()) call.request.skeleton = load_journey(o.skeleton, context);
  CommandOutputs outputs(overwrite_if(o.force));
  outputs.add_input(call.data_file, "the data file");
  if (call.request.skeleton) add_scenario_inputs(outputs, *call.request.skeleton, o.skeleton);
  outputs.add_standard_output();
  PendingFile& out = outputs.add("--output", o.out, 1);
  PendingFile* report_out = o.report_out.empty()
                                ? nullptr
                                : &outputs.add("--report-out", o.report_out, kLeastResultFileBytes);
  if (report_out != nullptr && call.request.skeleton && fits_a_funnel(call)) {
    throw std::runtime_error(
        "a funnel is calibrated by simulation: --personas, --estimate-kappa, --holdout and "
        "--report-out apply to observed paths only");
  }
  // A segment column named on the command line: each segment is fitted as a persona.
  if (call.read.events.given.contains("--segment-column")) {
    call.request.segment_column = call.read.events.segment;
  }
  call.request.skeleton_name = o.skeleton;
  call.request.out_name = o.out;
  call.request.seed = o.seed.value_or(kDefaultSeed);
  const InterruptGuard interrupt;
  const FitResult fit = cjsim::fit(std::move(call), context);
  out.write(fit.scenario_yaml);
  if (fit.calibration) {
    print_calibration(o, fit, outputs);
  } else {
    report_fit(o, fit, outputs, report_out, context);
  }
  return 0;
}

}  // namespace

CommandAction add_fit_command(CLI::App& command) {
  auto o = std::make_shared<FitOptions>();
  command
      .add_option("data", o->call.data_file,
                  "Observed journeys (an event log, a path table, XES) or a funnel (CSV)")
      ->required();
  command
      .add_option("-o,--output,--out", o->out,
                  "The fitted journey's file (YAML), for run, compare and sweep")
      ->check(file_name_check());
  command.add_option(
      "--skeleton", o->skeleton,
      "A journey to fit (touchpoints matched by id, by name, or by the data's name made an "
      "id): when it has every touchpoint of the data, its emotion means, biases, dropouts and "
      "weights are fitted by maximum likelihood; with half or more, the Markov chain is fitted "
      "and takes only the skeleton's stages (the output says so); with fewer, an error. A "
      "funnel needs one");
  command
      .add_option("--personas", o->call.request.personas,
                  "Latent personas to fit by EM (1: the skeleton's first persona, or one neutral "
                  "persona); K > 1 without a skeleton fits them on the Markov-fitted journey")
      ->check(whole_number(1, 64))
      ->capture_default_str();
  command
      .add_option("--persona-model", o->persona_model,
                  "How latent personas (--personas K > 1) are fitted: 'chains', a mixture of K "
                  "Markov chains by EM on the Markov-fitted journey (each persona its own entry "
                  "weights, dropouts and transition weights); 'odds', personas that differ in "
                  "dropout odds and initial emotion (by gradient, with emotion). Default: chains "
                  "without a skeleton, odds on a skeleton")
      ->check(CLI::IsMember({"chains", "odds"}));
  command.add_option("--calibrate", o->call.request.calibrate,
                     "With a funnel: the parameters to adjust (touchpoints.ID.dropout, "
                     "touchpoints.ID.emotion.mean, settings.kappa); default every dropout");
  command.add_flag("--estimate-kappa", o->call.request.estimate_kappa,
                   "Estimate kappa too (else it holds the unit of emotion at the skeleton's)");
  command.add_option("--name", o->call.request.name,
                     "The fitted journey's name (default: the skeleton's, or 'Fitted journey')");
  command
      .add_option("--holdout", o->call.request.holdout,
                  "Share of the customers held out of the fit and used only to check it")
      ->check(number_between(0.0, 0.9))
      ->capture_default_str();
  command
      .add_option("--uncertainty", o->uncertainty,
                  "Write the fitted parameters with their uncertainty, as distributions (a beta "
                  "for a probability, a normal otherwise) that run and compare --draws K carry: "
                  "standard-errors (the fit's), bootstrap[:N] (N resamples of the customers, "
                  "default 200; the Markov chain only), or none")
      ->capture_default_str();
  command
      .add_option("--order", o->order,
                  "The Markov chain's order, 1 to 5: its touchpoints carry the last K "
                  "touchpoints ('a > b'); bic chooses it among 1 to 3. Either way the "
                  "log-likelihood, AIC and BIC of orders 1 to max(K, 3) are printed")
      ->check(CLI::IsMember({"1", "2", "3", "4", "5", "bic"}));
  command
      .add_option("--durations", o->durations,
                  "The Markov chain's touchpoint durations from the hours between visits: "
                  "exponential (of their mean), or best (fixed, exponential or lognormal, each "
                  "touchpoint's by AIC)")
      ->check(CLI::IsMember({"exponential", "best"}))
      ->capture_default_str();
  command.add_flag(
      "--calendar", o->call.request.calendar,
      "Fit a calendar journey's organic arrivals too (arrivals per day, weekday and hour "
      "profiles, from each customer's first timestamp on the data's own clock) and write them "
      "as the fitted journey's calendar; needs timestamps. With lifecycle transitions "
      "(schedule, start, complete), each queued touchpoint's waits, abandonment, patience and "
      "servers by weekday and hour too, written as a resource");
  command
      .add_option("--report-out", o->report_out,
                  "Write the goodness-of-fit tables to this HDF5 file")
      ->check(file_name_check());
  command.add_option("--top-paths", o->call.request.top_paths, "Most common paths compared")
      ->check(whole_number(1, 1000))
      ->capture_default_str();
  command
      .add_option("-n,--agents", o->call.request.agents,
                  "Agents simulated from the fitted journey to check it")
      ->check(whole_number(1, 10000000))
      ->capture_default_str();
  add_seed_option(command, o->seed, "Random seed of the holdout split and the check (default 1)");
  add_threads_option(command, o->call.request.threads);
  command.add_flag("--json", o->json,
                   "Print the goodness of fit and fitted parameters (or the calibration) as one "
                   "JSON object");
  command.add_flag("-f,--force", o->force, "Overwrite the output files if they exist");
  add_allow_long_flag(command, o->call.allow_long);
  add_observed_data_flags(command, o->call.read, &o->call.funnel);
  return [o](const Context& context) { return fit_command(*o, context); };
}

}  // namespace cjsim
