// `cjsim fit DATA -o FITTED.yaml`: a journey learnt from observed data, written as an ordinary
// scenario file, with goodness of fit on the fitted and held-out shares of the data.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>

#include "models/goodness_of_fit.h"
#include "models/markov.h"
#include "models/markov_fit.h"
#include "models/simulated_journeys.h"
#include "reports/fit_report.h"
#include "reports/html_report.h"
#include "scenarios/loader.h"
#include "scenarios/validate.h"
#include "scenarios/writer.h"
#include "sim/commands.h"
#include "sim/compiled_journey.h"
#include "sim/observed_flags.h"
#include "sim/run_support.h"

namespace cjsim {
namespace {

struct FitOptions {
  std::string data;
  ObservedReadOptions read;
  std::string skeleton;
  unsigned personas = 1;
  std::string name = "Fitted journey";
  std::string out;
  std::string report_out;
  double holdout = 0.0;
  std::size_t top_paths = 10;
  SimulationFlags flags;
};

// The fitter: the Markov chain MLE. A skeleton journey lends its stages here; emotion
// parameters on a skeleton and latent personas (--personas K > 1) are fitted by maximum
// likelihood elsewhere and come in at this point.
MarkovFit fit_journey(const ObservedJourneys& data, const FitOptions& o,
                      const std::optional<Scenario>& skeleton) {
  if (o.personas > 1) {
    throw std::runtime_error(
        "--personas K > 1 needs the latent-persona fit, which this build does not have yet; "
        "fit one persona (the Markov chain) without --personas");
  }
  MarkovFitOptions options;
  options.name = o.name;
  options.skeleton = skeleton ? &*skeleton : nullptr;
  try {
    return fit_markov(data, options);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(fmt::format("{}: {}", o.data, e.what()));
  }
}

// The fitted scenario as the file says it: written, then read back and validated, so that
// what is checked is what `run` will load.
Scenario written_and_read_back(const std::string& yaml, const std::string& name) {
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

int fit_command(const FitOptions& o) {
  if (o.out.empty()) throw std::runtime_error("name the fitted journey's file with -o FITTED.yaml");
  check_output_path(o.out, o.flags.force);
  if (!o.report_out.empty()) check_output_path(o.report_out, o.flags.force);
  const ObservedJourneys data = load_observed_for_command(o.data, o.read);
  std::optional<Scenario> skeleton;
  if (!o.skeleton.empty()) skeleton = load_for_command(o.skeleton);

  const std::uint64_t seed = o.flags.seed.value_or(kDefaultSeed);
  const auto [kept, held] = split_holdout(data, o.holdout, seed);
  const MarkovFit fit = fit_journey(kept, o, skeleton);
  const std::string yaml = scenario_yaml(fit.scenario);
  const Scenario scenario = written_and_read_back(yaml, o.out);
  const CompiledJourney journey = compile(scenario);

  FitReport report;
  report.data = o.data;
  report.scenario_yaml = yaml;
  report.command_line = command_line();
  const ObservedJourneys fitted_data = in_fitted_terms(kept, fit);
  report.data_conversion_rate = conversion_rate(fitted_data);
  report.data_steps_per_customer = steps_per_customer(fitted_data);
  const MarkovAnalysis closed = analyse_markov(journey);
  report.fitted_conversion_probability = closed.conversion_probability;
  report.fitted_steps_per_customer = closed.expected_steps;

  RunOptions options = run_options_from(o.flags, scenario);
  options.seed = seed;
  options.agent_paths = true;
  options.agent_records = true;
  check_detail_size(options.agents, options.replications, true);
  RunMonitor monitor("checking the fit", options);
  const RunResult result = run(journey, options);
  monitor.finish();
  const ObservedJourneys simulated = observed_from_simulation(journey, *result.detail);
  report.checks.emplace_back("fitted",
                             goodness_of_fit(fitted_data, simulated, scenario.stages, o.top_paths));
  if (o.holdout > 0.0) {
    report.checks.emplace_back("holdout", goodness_of_fit(in_fitted_terms(held, fit), simulated,
                                                          scenario.stages, o.top_paths));
  }

  write_report_file(o.out, yaml);
  if (!o.report_out.empty()) write_fit_report(o.report_out, report);
  if (o.flags.json) {
    std::cout << fit_json(report).dump(2) << "\n";
    return 0;
  }
  std::cout << text_fit_report(report);
  std::cout << fmt::format("\nFitted journey written to {} ({} touchpoints, {} transitions)\n",
                           o.out, scenario.touchpoints.size(), scenario.transitions.size());
  if (!o.report_out.empty()) std::cout << "Goodness of fit written to " << o.report_out << "\n";
  return 0;
}

}  // namespace

CommandAction add_fit_command(CLI::App& command) {
  auto o = std::make_shared<FitOptions>();
  command.add_option("data", o->data, "Observed journeys: an event log or a path table (CSV)")
      ->required();
  command.add_option("-o,--out", o->out,
                     "The fitted journey's file (YAML), for run, compare and sweep");
  command.add_option("--skeleton", o->skeleton,
                     "A journey whose stages (and touchpoints' stages) the fit takes when the data "
                     "name none");
  command.add_option("--personas", o->personas, "Latent personas to fit (1: one neutral persona)")
      ->check(CLI::Range(1u, 64u))
      ->capture_default_str();
  command.add_option("--name", o->name, "The fitted journey's name")->capture_default_str();
  command
      .add_option("--holdout", o->holdout,
                  "Share of the customers held out of the fit and used only to check it")
      ->check(CLI::Range(0.0, 0.9))
      ->capture_default_str();
  command.add_option("--report-out", o->report_out,
                     "Write the goodness-of-fit tables to this HDF5 file");
  command.add_option("--top-paths", o->top_paths, "Most common paths compared")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1000}))
      ->capture_default_str();
  command
      .add_option("-n,--agents", o->flags.agents,
                  "Agents simulated from the fitted journey to check it")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{10000000}))
      ->capture_default_str();
  command.add_option("-s,--seed", o->flags.seed,
                     "Random seed of the holdout split and the check (default 1)");
  command.add_option("-t,--threads", o->flags.threads, "Worker threads (default: every core)")
      ->check(CLI::Range(0u, 4096u));
  command.add_flag("--json", o->flags.json, "Print the goodness of fit as one JSON object");
  command.add_flag("-f,--force", o->flags.force, "Overwrite the output files if they exist");
  add_observed_data_flags(command, o->read);
  return [o] { return fit_command(*o); };
}

}  // namespace cjsim
