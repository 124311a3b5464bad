// `cjsim fit DATA -o FITTED.yaml`: a journey learnt from observed data (or calibrated to a
// funnel), written as an ordinary scenario file, with goodness of fit on the fitted and held-out
// shares of the data.
#include <fmt/format.h>

#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include "models/fit/calibration.h"
#include "models/fit/emotion_fit.h"
#include "models/fit/goodness_of_fit.h"
#include "models/fit/markov_fit.h"
#include "models/fit/simulated_journeys.h"
#include "models/observed/funnel.h"
#include "reports/html/html_report.h"
#include "reports/render/emotion_fit_report.h"
#include "reports/store/fit_report.h"
#include "scenarios/loader.h"
#include "scenarios/validate.h"
#include "scenarios/writer.h"
#include "sim/api/limits.h"
#include "sim/api/observed.h"
#include "sim/api/run.h"
#include "sim/api/stage.h"
#include "sim/cli/commands.h"
#include "sim/cli/observed_flags.h"
#include "sim/cli/progress.h"
#include "sim/cli/run_support.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/markov.h"

namespace cjsim {
namespace {

struct FitOptions {
  std::string data;
  ObservedReadOptions read;
  std::string skeleton;
  unsigned personas = 1;
  bool estimate_kappa = false;
  bool funnel = false;
  std::vector<std::string> calibrate;  // parameters a funnel adjusts; empty: every dropout
  std::string name;  // empty: the skeleton's name, or "Fitted journey"
  std::string out;
  std::string report_out;
  double holdout = 0.0;
  std::size_t top_paths = 10;
  SimulationFlags flags;
};

// The Markov chain MLE; a skeleton lends its stages.
MarkovFit fit_markov_chain(const ObservedJourneys& data, const FitOptions& o,
                           const std::optional<Scenario>& skeleton) {
  MarkovFitOptions options;
  if (!o.name.empty()) options.name = o.name;
  options.skeleton = skeleton ? &*skeleton : nullptr;
  try {
    return fit_markov(data, options);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(fmt::format("{}: {}", o.data, e.what()));
  }
}

// The data's touchpoints that `skeleton` has no touchpoint for (by id), in order of appearance.
std::vector<std::string> touchpoints_not_in(const ObservedJourneys& data,
                                            const Scenario& skeleton) {
  std::set<std::string> known;
  for (const Touchpoint& t : skeleton.touchpoints) known.insert(t.id);
  std::vector<std::string> missing;
  std::set<std::string> seen;
  for (const std::string& id : data.touchpoints) {
    if (!known.contains(id) && seen.insert(id).second) missing.push_back(id);
  }
  return missing;
}

// The data with the skeleton's stage for each touchpoint whose stage the data do not name, so
// that stage reach compares like with like.
ObservedJourneys with_skeleton_stages(ObservedJourneys data, const Scenario& skeleton) {
  data.stages.resize(data.touchpoints.size());
  for (std::size_t t = 0; t < data.touchpoints.size(); ++t) {
    if (!data.stages[t].empty()) continue;
    for (const Touchpoint& s : skeleton.touchpoints) {
      if (s.id == data.touchpoints[t]) data.stages[t] = s.stage;
    }
  }
  return data;
}

std::string listed(const std::vector<std::string>& names) {
  constexpr std::size_t shown = 5;
  std::string out;
  for (std::size_t k = 0; k < names.size() && k < shown; ++k) {
    out += (k ? ", '" : "'") + names[k] + "'";
  }
  if (names.size() > shown) out += fmt::format(" and {} more", names.size() - shown);
  return out;
}

// A fit's progress (steps done of a total, and what runs) drawn on `bar`.
std::function<void(std::size_t, std::size_t, const std::string&)> shown_on(ProgressBar& bar) {
  return [&bar](std::size_t done, std::size_t total, const std::string& status) {
    bar.set_status(status);
    bar.update(done, total);
  };
}

// The maximum-likelihood fit of `base`'s emotion parameters, weights, dropouts and (K > 1)
// latent personas; paths `base` cannot produce are reported and nothing is written.
EmotionFit fit_on_skeleton(const Scenario& base, const std::string& base_name,
                           const ObservedJourneys& data, const FitOptions& o, std::uint64_t seed) {
  EmotionFitOptions options;
  options.personas = static_cast<int>(o.personas);
  options.estimate_kappa = o.estimate_kappa;
  options.seed = seed;
  ProgressBar progress("fitting", "");
  options.progress = shown_on(progress);
  Diagnostics diagnostics;
  std::optional<EmotionFit> fit = fit_emotion(base, data, options, diagnostics);
  progress.finish();
  std::cerr << diagnostics.to_string();
  if (!fit) {
    std::cerr << fmt::format(
        "cjsim: {}: {} cannot produce these data ({}), nothing was written\n", o.data,
        base_name, counted(diagnostics.error_count(), "error"));
    throw ReportedError(kExitBadInput);
  }
  return std::move(*fit);
}

// The fitted scenario as the file says it: written, then read back and validated, so that
// what is checked is what `run` will load.
Scenario written_and_read_back(const std::string& yaml, const std::string& name) {
  // A file over the loader's limit would be written and then refused by every command.
  if (yaml.size() > kMostScenarioBytes) {
    throw std::runtime_error(fmt::format(
        "{}: the fitted journey would take {:.1f} MiB, over the {} MiB a scenario file may hold, "
        "so nothing was written: shorten the data's touchpoint, channel and stage names, or "
        "group rare touchpoints",
        name, static_cast<double>(yaml.size()) / (1 << 20), kMostScenarioBytes >> 20));
  }
  Diagnostics diagnostics;
  std::optional<Scenario> loaded = parse_scenario(yaml, name, diagnostics);
  if (loaded) validate_scenario(*loaded, diagnostics);
  if (!loaded || diagnostics.has_errors()) {
    std::cerr << diagnostics.to_string();
    throw std::runtime_error("the fitted journey does not load back as a valid scenario (a bug)");
  }
  return *loaded;
}

double steps_per_customer(const ObservedJourneys& data) {
  double steps = 0.0, customers = 0.0;
  for (const ObservedPath& p : data.paths) {
    steps += static_cast<double>(p.count) * static_cast<double>(p.touchpoints.size());
    customers += static_cast<double>(p.count);
  }
  return customers > 0 ? steps / customers : 0.0;
}

double conversion_rate(const ObservedJourneys& data) {
  double converted = 0.0, customers = 0.0;
  for (const ObservedPath& p : data.paths) {
    if (p.conversion_step >= 0) converted += static_cast<double>(p.count);
    customers += static_cast<double>(p.count);
  }
  return customers > 0 ? converted / customers : 0.0;
}

// A funnel calibrates the skeleton's dropouts by simulation (models/fit/calibration.h).
int calibrate_command(const FitOptions& o, const std::optional<Scenario>& skeleton,
                      CommandOutputs& outputs, PendingFile& out) {
  if (!skeleton) {
    throw std::runtime_error(fmt::format(
        "{} is a funnel, and a funnel calibrates a journey: give --skeleton JOURNEY.yaml", o.data));
  }
  if (o.personas > 1 || o.estimate_kappa || o.holdout > 0.0 || !o.report_out.empty()) {
    throw std::runtime_error(
        "a funnel is calibrated by simulation: --personas, --estimate-kappa, --holdout and "
        "--report-out apply to observed paths only");
  }
  Diagnostics diagnostics;
  const std::optional<ObservedFunnel> funnel = read_funnel_csv(o.data, diagnostics);
  std::optional<Calibration> calibration;
  if (funnel) {
    CalibrationOptions options;
    options.agents = o.flags.agents;
    options.seed = o.flags.seed.value_or(kDefaultSeed);
    options.threads = o.flags.threads;
    options.parameters = o.calibrate;
    ProgressBar progress("calibrating", "");
    options.progress = shown_on(progress);
    calibration = calibrate(*skeleton, *funnel, options, diagnostics);
    progress.finish();
    if (calibration && calibration->degrees_of_freedom <= 0) {
      diagnostics.warning(
          {o.data, 0, 0},
          fmt::format("{} parameters calibrated to {} funnel rows: more parameters than the "
                      "funnel can pin down, so the calibration is one of many that fit; name "
                      "fewer with --calibrate",
                      calibration->parameters.size(), calibration->rows.size()));
    }
  }
  std::cerr << diagnostics.to_string();
  if (!calibration) {
    std::cerr << fmt::format("cjsim: {}: {}, nothing was written\n", o.data,
                             counted(diagnostics.error_count(), "error"));
    throw ReportedError(kExitBadInput);
  }
  Scenario calibrated = calibration->scenario;
  if (!o.name.empty()) calibrated.name = o.name;
  const std::string yaml = scenario_yaml(calibrated);
  written_and_read_back(yaml, o.out);
  out.write(yaml);
  if (o.flags.json) {
    std::cout << calibration_json(*calibration).dump(2) << "\n";
    outputs.commit();
    return 0;
  }
  std::cout << fmt::format("Calibrated {} to the funnel {}\n", o.skeleton, o.data);
  std::cout << calibration_text(*calibration);
  outputs.commit();
  std::cout << fmt::format("\nCalibrated journey written to {}\n", o.out);
  return 0;
}

int fit_command(const FitOptions& o, const Context& context) {
  if (o.out.empty()) throw std::runtime_error("name the fitted journey's file with -o FITTED.yaml");
  std::optional<Scenario> skeleton;
  if (!o.skeleton.empty()) skeleton = load_journey(o.skeleton, context);
  CommandOutputs outputs(overwrite_of(o.flags));
  outputs.add_input(o.data, "the data file");
  if (skeleton) add_scenario_inputs(outputs, *skeleton, o.skeleton);
  outputs.add_standard_output();
  PendingFile& out = outputs.add("-o", o.out);
  PendingFile* report_out = o.report_out.empty()
                                ? nullptr
                                : &outputs.add("--report-out", o.report_out, kLeastResultFileBytes);
  if (o.funnel || (o.read.format == ObservedFormat::automatic && has_funnel_header(o.data))) {
    return calibrate_command(o, skeleton, outputs, out);
  }
  const ObservedJourneys data = load_observed(o.data, o.read, context);

  const std::uint64_t seed = o.flags.seed.value_or(kDefaultSeed);
  const auto [kept, held] = split_holdout(data, o.holdout, seed);
  // The skeleton itself is fitted when it has every touchpoint of the data; else the Markov
  // chain is, with the skeleton's stages, and latent personas (K > 1) on that chain.
  std::vector<std::string> notes;
  std::optional<MarkovFit> markov;
  std::optional<EmotionFit> emotion;
  ObservedJourneys fitted_data, held_data;
  const std::vector<std::string> missing =
      skeleton ? touchpoints_not_in(data, *skeleton) : std::vector<std::string>{};
  if (skeleton && missing.empty()) {
    fitted_data = with_skeleton_stages(kept, *skeleton);
    held_data = with_skeleton_stages(held, *skeleton);
    emotion = fit_on_skeleton(*skeleton, "the skeleton " + o.skeleton, kept, o, seed);
  } else {
    if (skeleton) {
      notes.push_back(fmt::format(
          "The skeleton {} has no touchpoint {} of the data: the Markov chain is fitted, "
          "taking the skeleton's stages",
          o.skeleton, listed(missing)));
    }
    markov = fit_markov_chain(kept, o, skeleton);
    fitted_data = in_fitted_terms(kept, *markov);
    held_data = in_fitted_terms(held, *markov);
    if (o.personas > 1) {
      notes.push_back(
          fmt::format("{} latent personas are fitted on the Markov-fitted journey", o.personas));
      emotion =
          fit_on_skeleton(markov->scenario, "the Markov-fitted journey", fitted_data, o, seed);
    } else if (o.estimate_kappa) {
      notes.push_back(
          "--estimate-kappa applies to a fit on a skeleton or with --personas K > 1; "
          "the Markov chain has no emotion");
    }
  }
  Scenario fitted = emotion ? emotion->scenario : markov->scenario;
  if (!o.name.empty()) fitted.name = o.name;
  const std::string yaml = scenario_yaml(fitted);
  const Scenario scenario = written_and_read_back(yaml, o.out);
  const CompiledJourney journey = compile(scenario);

  FitReport report;
  report.data = o.data;
  report.scenario_yaml = yaml;
  report.command_line = context.command_line;
  report.data_conversion_rate = conversion_rate(fitted_data);
  report.data_steps_per_customer = steps_per_customer(fitted_data);
  report.no_closed_forms = why_not_markov(journey);
  report.has_closed_forms = report.no_closed_forms.empty();
  if (report.has_closed_forms) {
    const MarkovAnalysis closed = analyse_markov(journey);
    report.fitted_conversion_probability = closed.conversion_probability;
    report.fitted_steps_per_customer = closed.expected_steps;
  }
  if (emotion) report.parameters = emotion->parameters;

  RunOptions options = run_options(run_settings(o.flags), scenario);
  options.seed = seed;
  options.agent_paths = true;
  options.agent_records = true;
  check_detail_memory(options.agents, options.replications, true);
  check_journey_lengths({&journey, 1}, options.agents, options.replications, o.flags.allow_long,
                        context);
  const InterruptGuard interrupt;
  const RunResult result = [&] {
    const Stage stage(context, "checking the fit", "agents", options);
    return run(journey, options);
  }();
  const ObservedJourneys simulated = observed_from_simulation(journey, *result.detail);
  report.checks.emplace_back("fitted",
                             goodness_of_fit(fitted_data, simulated, scenario.stages, o.top_paths));
  if (o.holdout > 0.0) {
    report.checks.emplace_back("holdout",
                               goodness_of_fit(held_data, simulated, scenario.stages, o.top_paths));
  }

  out.write(yaml);
  if (report_out != nullptr) write_fit_report(*report_out, report);
  if (o.flags.json) {
    nlohmann::json json = fit_json(report);
    json["notes"] = notes;
    if (emotion) json["emotion_fit"] = emotion_fit_json(*emotion);
    std::cout << json.dump(2) << "\n";
    outputs.commit();
    return 0;
  }
  for (const std::string& note : notes) std::cout << note << "\n";
  std::cout << text_fit_report(report);
  if (emotion) std::cout << "\n" << emotion_fit_text(*emotion);
  outputs.commit();
  std::cout << fmt::format("\nFitted journey written to {} ({}, {})\n", o.out,
                           counted(scenario.touchpoints.size(), "touchpoint"),
                           counted(scenario.transitions.size(), "transition"));
  if (!o.report_out.empty()) std::cout << "Goodness of fit written to " << o.report_out << "\n";
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
      .add_option("-o,--out", o->out, "The fitted journey's file (YAML), for run, compare and sweep")
      ->check(file_name_check());
  command.add_option(
      "--skeleton", o->skeleton,
      "A journey to fit: when it has every touchpoint of the data (by id), its emotion means, "
      "biases, dropouts and weights are fitted by maximum likelihood; else the Markov chain is "
      "fitted and takes only the skeleton's stages (the output says so). A funnel needs one");
  command
      .add_option("--personas", o->personas,
                  "Latent personas to fit by EM (1: the skeleton's first persona, or one neutral "
                  "persona); K > 1 without a skeleton fits them on the Markov-fitted journey")
      ->check(CLI::Range(1u, 64u))
      ->capture_default_str();
  command.add_option("--calibrate", o->calibrate,
                     "With a funnel: the parameters to adjust (touchpoints.ID.dropout, "
                     "touchpoints.ID.emotion.mean, settings.kappa); default every dropout");
  command.add_flag("--estimate-kappa", o->estimate_kappa,
                   "Estimate kappa too (else it holds the unit of emotion at the skeleton's)");
  command.add_option("--name", o->name,
                     "The fitted journey's name (default: the skeleton's, or 'Fitted journey')");
  command
      .add_option("--holdout", o->holdout,
                  "Share of the customers held out of the fit and used only to check it")
      ->check(CLI::Range(0.0, 0.9))
      ->capture_default_str();
  command
      .add_option("--report-out", o->report_out,
                  "Write the goodness-of-fit tables to this HDF5 file")
      ->check(file_name_check());
  command.add_option("--top-paths", o->top_paths, "Most common paths compared")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}))
      ->capture_default_str();
  command
      .add_option("-n,--agents", o->flags.agents,
                  "Agents simulated from the fitted journey to check it")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{10000000}))
      ->capture_default_str();
  add_seed_option(command, o->flags.seed,
                  "Random seed of the holdout split and the check (default 1)");
  command.add_option("-t,--threads", o->flags.threads, "Worker threads (default: every core)")
      ->check(CLI::Range(0u, 4096u));
  command.add_flag("--json", o->flags.json,
                   "Print the goodness of fit and fitted parameters (or the calibration) as one "
                   "JSON object");
  command.add_flag("-f,--force", o->flags.force, "Overwrite the output files if they exist");
  add_allow_long_flag(command, o->flags.allow_long);
  add_observed_data_flags(command, o->read, &o->funnel);
  return [o](const Context& context) { return fit_command(*o, context); };
}

}  // namespace cjsim
