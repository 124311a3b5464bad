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
constexpr std::size_t kNoInput = static_cast<std::size_t>(-1);

// SplitMix64's finaliser: a well-mixed 64-bit word from any seed.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

void check_draws(std::uint32_t draws) {
  if (draws < 2 || draws > kMostDraws) {
    throw std::runtime_error(fmt::format(
        "--draws must be between 2 and {} (the draws give an interval; 32 or more is usual), "
        "got {}",
        kMostDraws, draws));
  }
}

// The plain draws run the plain driver, which knows no days, queues or returns: a calendar
// journey goes through calendar_draws.h instead, never through these without its calendar.
void refuse_calendar(const std::vector<const Scenario*>& scenarios) {
  for (const Scenario* s : scenarios) {
    if (s->calendar) {
      throw std::runtime_error(fmt::format(
          "{} has a calendar: its draws run the calendar's days, queues and returns "
          "(run_calendar_journey_with_draws, compare_calendar_journeys_with_draws; `cjsim run` "
          "and `cjsim compare --draws K`), not the plain driver",
          s->name));
    }
  }
}

}  // namespace

Context quiet_context(const Context& context) {
  Context out = context;
  out.notice = nullptr;
  out.diagnostics = nullptr;
  return out;
}

std::uint64_t design_seed(std::uint64_t run_seed) {
  return mix(run_seed ^ 0x756e6365727461ULL);  // "uncerta"
}

UncertaintyDesign uncertainty_design(const std::vector<const Scenario*>& scenarios,
                                     const DrawSettings& settings, std::uint64_t run_seed) {
  const std::uint32_t draws = settings.draws;
  check_draws(draws);
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
  if (settings.total_effects) design.second = latin_hypercube(unit, draws, mix(design.seed));
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

namespace {

// `scenario` with its uncertain inputs at the quantiles `row` (one per input of the design),
// validated; `which` names the draw in an error.
Scenario scenario_at(const Scenario& scenario, const UncertaintyDesign& design,
                     const std::vector<double>& row, const std::string& which) {
  Scenario out = scenario;
  std::vector<std::string> set;
  for (const UncertainInput& input : uncertain_inputs(scenario)) {
    const std::size_t j = static_cast<std::size_t>(
        std::find(design.paths.begin(), design.paths.end(), input.path) - design.paths.begin());
    const double value = uncertain_quantile(input.value, row[j], input.range);
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
    throw std::runtime_error(
        fmt::format("{} makes {} invalid ({}): {}; narrow the distributions so that every "
                    "value they reach gives a valid journey",
                    which, scenario.name, join_names(set), first));
  }
  return out;
}

}  // namespace

Scenario drawn_scenario(const Scenario& scenario, const UncertaintyDesign& design,
                        std::size_t draw) {
  return scenario_at(scenario, design, design.quantiles[draw],
                     fmt::format("draw {} of {}", draw + 1, design.quantiles.size()));
}

Scenario frozen_scenario(const Scenario& scenario, const UncertaintyDesign& design,
                         std::size_t draw, std::size_t input) {
  std::vector<double> row = design.quantiles[draw];
  row[input] = design.second[draw][input];
  return scenario_at(scenario, design, row,
                     fmt::format("draw {} of {} with {} from the second design (total effects)",
                                 draw + 1, design.quantiles.size(), design.paths[input]));
}

Scenario scenario_at_point(const Scenario& scenario, const UncertaintyDesign& design,
                           const DrawPoint& point) {
  return point.frozen_input ? frozen_scenario(scenario, design, point.draw, *point.frozen_input)
                            : drawn_scenario(scenario, design, point.draw);
}

std::vector<std::vector<double>> drawn_values(const std::vector<const Scenario*>& scenarios,
                                              const UncertaintyDesign& design) {
  std::vector<std::vector<double>> out(design.quantiles.size(),
                                       std::vector<double>(design.paths.size(), kNaN));
  std::vector<bool> done(design.paths.size(), false);
  for (const Scenario* s : scenarios) {
    for (const UncertainInput& input : uncertain_inputs(*s)) {
      const std::size_t j = static_cast<std::size_t>(
          std::find(design.paths.begin(), design.paths.end(), input.path) - design.paths.begin());
      if (j == design.paths.size() || done[j]) continue;
      done[j] = true;
      for (std::size_t k = 0; k < out.size(); ++k) {
        out[k][j] = uncertain_quantile(input.value, design.quantiles[k][j], input.range);
      }
    }
  }
  return out;
}

namespace {

void describe_design(UncertaintyReport& report, const UncertaintyDesign& design,
                     const std::vector<const Scenario*>& scenarios) {
  report.draws = design.quantiles.size();
  report.design_seed = design.seed;
  for (std::size_t j = 0; j < design.paths.size(); ++j) {
    report.inputs.push_back({design.paths[j], design.distributions[j]});
  }
  report.quantiles = design.quantiles;
  report.values = drawn_values(scenarios, design);
  report.second_quantiles = design.second;
}

std::string progress_text(const UncertaintyDesign& design, std::size_t draw, std::size_t input) {
  const std::size_t draws = design.quantiles.size();
  if (design.second.empty()) return fmt::format("draw {} of {}", draw + 1, draws);
  const std::size_t runs = draws * (design.paths.size() + 1);
  const std::size_t before = input == kNoInput ? 0 : (input + 1) * draws;
  return fmt::format("draw {} of {} (with total effects)", before + draw + 1, runs);
}

}  // namespace

std::optional<UncertaintyReport> simulate_draws(const UncertaintyDesign& design,
                                                const std::vector<const Scenario*>& scenarios,
                                                std::string_view figure, const Context& context,
                                                const DrawSimulation& simulate) {
  const std::size_t draws = design.quantiles.size();
  UncertaintyReport report;
  bool reported = true;
  for (std::size_t k = 0; k < draws; ++k) {
    if (context.progress) context.progress->status(progress_text(design, k, kNoInput));
    std::optional<DrawFigures> figures = simulate({k, std::nullopt});
    if (!figures) {
      reported = false;
      continue;
    }
    report.summaries.push_back(std::move(figures->summaries));
    report.differences.push_back(std::move(figures->differences));
    report.rivals.push_back(std::move(figures->rivals));
  }
  if (!design.second.empty()) report.frozen.resize(design.paths.size());
  for (std::size_t j = 0; j < report.frozen.size(); ++j) {
    for (std::size_t k = 0; k < draws; ++k) {
      if (context.progress) context.progress->status(progress_text(design, k, j));
      const std::optional<DrawFigures> figures = simulate({k, j});
      if (!figures) continue;
      report.frozen[j].push_back(ranked_outputs(figures->summaries, figures->differences, figure));
    }
  }
  if (!reported) return std::nullopt;
  describe_design(report, design, scenarios);
  rank_uncertain_inputs(report, figure);
  return report;
}

UncertainRunOutcome run_journey_with_draws(const Scenario& scenario, const std::string& path,
                                           const RunSettings& settings, const DrawSettings& draws,
                                           const Context& context) {
  refuse_calendar({&scenario});
  const RunOptions options = run_options(settings, scenario);
  const UncertaintyDesign design = uncertainty_design({&scenario}, draws, options.seed);
  UncertainRunOutcome outcome;
  outcome.central = run_journey(scenario, path, settings, context);
  RunSettings per_draw = settings;
  per_draw.seed = options.seed;
  per_draw.agent_records = per_draw.agent_paths = false;
  const Context silent = quiet_context(context);
  std::optional<UncertaintyReport> report =
      simulate_draws(design, {&scenario}, "conversion_rate", context,
                     [&](const DrawPoint& point) -> std::optional<DrawFigures> {
                       RunOutcome run = run_journey(scenario_at_point(scenario, design, point),
                                                    path, per_draw, silent);
                       if (!run.summary) return std::nullopt;
                       return DrawFigures{{std::move(*run.summary)}, {}, {}};
                     });
  if (outcome.central.summary) outcome.uncertainty = std::move(report);
  return outcome;
}

UncertainCompareOutcome compare_journeys_with_draws(const CompiledJourneys& journeys,
                                                    const RunSettings& settings,
                                                    const std::string& rank_by,
                                                    const DrawSettings& draws,
                                                    const Context& context) {
  if (journeys.scenarios.empty()) {
    throw std::runtime_error("compare needs a current state and at least one future state");
  }
  const RunOptions options = run_options(settings, journeys.scenarios.front());
  std::vector<const Scenario*> scenarios;
  for (const Scenario& s : journeys.scenarios) scenarios.push_back(&s);
  refuse_calendar(scenarios);
  const UncertaintyDesign design = uncertainty_design(scenarios, draws, options.seed);
  UncertainCompareOutcome outcome;
  outcome.central = compare_journeys(journeys, settings, rank_by, context);
  RunSettings per_draw = settings;
  per_draw.seed = options.seed;
  const Context silent = quiet_context(context);
  std::optional<UncertaintyReport> report =
      simulate_draws(design, scenarios, rank_by, context,
                     [&](const DrawPoint& point) -> std::optional<DrawFigures> {
                       CompiledJourneys drawn;
                       drawn.paths = journeys.paths;
                       for (const Scenario& s : journeys.scenarios) {
                         drawn.scenarios.push_back(scenario_at_point(s, design, point));
                         drawn.journeys.push_back(compile(drawn.scenarios.back()));
                       }
                       CompareOutcome compared = compare_journeys(drawn, per_draw, rank_by, silent);
                       if (!compared.report) return std::nullopt;
                       return DrawFigures{std::move(compared.report->summaries),
                                          std::move(compared.report->differences),
                                          std::move(compared.report->rivals)};
                     });
  if (outcome.central.report) outcome.uncertainty = std::move(report);
  return outcome;
}

}  // namespace cjsim
