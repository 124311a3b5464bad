// Runs and comparisons with uncertain inputs: the design, the draws, and what they say.
#include "sim/api/uncertainty.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "scenarios/did_you_mean.h"
#include "scenarios/parameter_path.h"
#include "scenarios/validate.h"

namespace cjsim {

namespace {

constexpr std::uint32_t kMostDraws = 100000;

// SplitMix64's finaliser: a well-mixed 64-bit word from any seed.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A context whose runs say nothing: the central run already gave every note and warning.
Context quiet(const Context& context) {
  Context out = context;
  out.notice = nullptr;
  out.diagnostics = nullptr;
  return out;
}

void check_draws(std::uint32_t draws, const std::vector<const Scenario*>& scenarios) {
  if (draws < 2 || draws > kMostDraws) {
    throw std::runtime_error(fmt::format(
        "--draws must be between 2 and {} (the draws give an interval; 32 or more is usual), "
        "got {}",
        kMostDraws, draws));
  }
  for (const Scenario* s : scenarios) {
    if (s->calendar) {
      throw std::runtime_error(
          "--draws does not take calendar journeys yet: it varies the inputs of plain "
          "journeys");
    }
  }
}

}  // namespace

std::uint64_t design_seed(std::uint64_t run_seed) {
  return mix(run_seed ^ 0x756e6365727461ULL);  // "uncerta"
}

UncertaintyDesign uncertainty_design(const std::vector<const Scenario*>& scenarios,
                                     std::uint32_t draws, std::uint64_t run_seed) {
  check_draws(draws, scenarios);
  UncertaintyDesign design;
  design.seed = design_seed(run_seed);
  for (const Scenario* s : scenarios) {
    for (const UncertainInput& input : uncertain_inputs(*s)) {
      if (std::find(design.paths.begin(), design.paths.end(), input.path) != design.paths.end()) {
        continue;
      }
      design.paths.push_back(input.path);
      design.distributions.push_back(uncertain_text(input.value));
    }
  }
  if (design.paths.empty()) {
    throw std::runtime_error(
        "--draws needs uncertain inputs, and no journey compared has one: write a number you "
        "are unsure of as a distribution, such as dropout: {triangular: [0.2, 0.33, 0.45]} "
        "(forms: " +
        uncertain_form_list() + ")");
  }
  const std::vector<Interval> unit(design.paths.size(), Interval{0.0, 1.0});
  design.quantiles = latin_hypercube(unit, draws, design.seed);
  return design;
}

std::string uncertain_means_note(const std::vector<const Scenario*>& scenarios) {
  std::size_t inputs = 0;
  for (const Scenario* s : scenarios) inputs += uncertain_inputs(*s).size();
  if (inputs == 0) return "";
  return fmt::format(
      "{} uncertain input{} ran at {} mean{}; --draws K (such as 32) draws them "
      "and reports how sure the figures are",
      inputs, inputs == 1 ? "" : "s", inputs == 1 ? "its" : "their", inputs == 1 ? "" : "s");
}

Scenario drawn_scenario(const Scenario& scenario, const UncertaintyDesign& design,
                        std::size_t draw) {
  Scenario out = scenario;
  std::vector<std::string> set;
  for (const UncertainInput& input : uncertain_inputs(scenario)) {
    const std::size_t j = static_cast<std::size_t>(
        std::find(design.paths.begin(), design.paths.end(), input.path) - design.paths.begin());
    const double u = design.quantiles[draw][j];
    const double value = uncertain_quantile(input.value, u, input.range);
    std::string error;
    const std::optional<ParameterPath> path = parse_parameter_path(input.path, error);
    if (!path) throw std::logic_error(error);
    if (std::optional<std::string> problem = set_parameter(out, *path, value)) {
      throw std::runtime_error(fmt::format("{}: {}", input.path, *problem));
    }
    set.push_back(fmt::format("{} = {:g}", input.path, value));
  }
  Diagnostics diagnostics;
  validate_scenario(out, diagnostics);
  if (diagnostics.has_errors()) {
    std::string first;
    for (const Diagnostic& d : diagnostics.all()) {
      if (d.severity == Severity::error) {
        first = format_diagnostic(d);
        break;
      }
    }
    throw std::runtime_error(fmt::format(
        "draw {} of {} makes {} invalid ({}): {}; narrow the distributions so that every "
        "value they reach gives a valid journey",
        draw + 1, design.quantiles.size(), scenario.name, join_names(set), first));
  }
  return out;
}

UncertainRunOutcome run_journey_with_draws(const Scenario& scenario, const std::string& path,
                                           const RunSettings& settings, std::uint32_t draws,
                                           const Context& context) {
  const RunOptions options = run_options(settings, scenario);
  const UncertaintyDesign design = uncertainty_design({&scenario}, draws, options.seed);
  UncertainRunOutcome outcome;
  outcome.central = run_journey(scenario, path, settings, context);
  RunSettings per_draw = settings;
  per_draw.seed = options.seed;
  per_draw.agent_records = per_draw.agent_paths = false;
  const Context silent = quiet(context);
  std::vector<std::vector<Summary>> summaries;
  for (std::size_t k = 0; k < draws; ++k) {
    const Scenario drawn = drawn_scenario(scenario, design, k);
    if (context.progress) {
      context.progress->status(fmt::format("draw {} of {}", k + 1, draws));
    }
    RunOutcome run = run_journey(drawn, path, per_draw, silent);
    if (run.summary) summaries.push_back({std::move(*run.summary)});
  }
  if (!outcome.central.summary) return outcome;
  UncertaintyReport& report = outcome.uncertainty.emplace();
  report.draws = draws;
  report.design_seed = design.seed;
  for (std::size_t j = 0; j < design.paths.size(); ++j) {
    report.inputs.push_back({design.paths[j], design.distributions[j]});
  }
  report.quantiles = design.quantiles;
  report.summaries = std::move(summaries);
  report.differences.assign(draws, {});
  report.rivals.assign(draws, {});
  rank_uncertain_inputs(report, "conversion_rate");
  return outcome;
}

UncertainCompareOutcome compare_journeys_with_draws(const CompiledJourneys& journeys,
                                                    const RunSettings& settings,
                                                    const std::string& rank_by, std::uint32_t draws,
                                                    const Context& context) {
  if (journeys.scenarios.empty()) {
    throw std::runtime_error("compare needs a current state and at least one future state");
  }
  const RunOptions options = run_options(settings, journeys.scenarios.front());
  std::vector<const Scenario*> scenarios;
  for (const Scenario& s : journeys.scenarios) scenarios.push_back(&s);
  const UncertaintyDesign design = uncertainty_design(scenarios, draws, options.seed);
  UncertainCompareOutcome outcome;
  outcome.central = compare_journeys(journeys, settings, rank_by, context);
  RunSettings per_draw = settings;
  per_draw.seed = options.seed;
  const Context silent = quiet(context);
  UncertaintyReport report;
  for (std::size_t k = 0; k < draws; ++k) {
    CompiledJourneys drawn;
    drawn.paths = journeys.paths;
    for (const Scenario& s : journeys.scenarios) {
      drawn.scenarios.push_back(drawn_scenario(s, design, k));
      drawn.journeys.push_back(compile(drawn.scenarios.back()));
    }
    if (context.progress) {
      context.progress->status(fmt::format("draw {} of {}", k + 1, draws));
    }
    CompareOutcome compared = compare_journeys(drawn, per_draw, rank_by, silent);
    if (!compared.report) continue;
    report.summaries.push_back(std::move(compared.report->summaries));
    report.differences.push_back(std::move(compared.report->differences));
    report.rivals.push_back(std::move(compared.report->rivals));
  }
  if (!outcome.central.report) return outcome;
  report.draws = draws;
  report.design_seed = design.seed;
  for (std::size_t j = 0; j < design.paths.size(); ++j) {
    report.inputs.push_back({design.paths[j], design.distributions[j]});
  }
  report.quantiles = design.quantiles;
  rank_uncertain_inputs(report, rank_by);
  outcome.uncertainty = std::move(report);
  return outcome;
}

}  // namespace cjsim
