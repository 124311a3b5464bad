// The emotion fit put together: the skeleton's graph and the data's paths (fit_graph), the
// exact likelihood (path_likelihood), the free parameters (fit_problem), EM over latent
// personas and L-BFGS (latent_personas, optimiser), the identifiability report and intervals
// (uncertainty), and the scenario written (fitted_scenario).
#include "models/fit/emotion_fit.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

#include "models/fit/fit_graph.h"
#include "models/fit/fit_problem.h"
#include "models/fit/fitted_scenario.h"
#include "models/fit/latent_personas.h"
#include "models/fit/optimiser.h"
#include "models/fit/path_likelihood.h"
#include "models/fit/uncertainty.h"
#include "sim/model/cancellation.h"

namespace cjsim {

using fit_detail::FitGraph;
using fit_detail::Likelihood;
using fit_detail::ModelValues;
using fit_detail::Problem;

namespace {

// The path likelihood reads the journey's entry weights, dropouts and transition weights, the
// same for every persona: a persona with numbers of its own (MODEL.md 1.12) is refused rather
// than evaluated as if it had none.
bool refuse_persona_overrides(const Scenario& scenario, const ObservedJourneys& data,
                              Diagnostics& diagnostics) {
  for (const Persona& p : scenario.personas) {
    if (!has_overrides(p)) continue;
    diagnostics.error(
        SourceLocation{data.source, 0, 0},
        fmt::format("persona '{}' has numbers of its own (entry, dropout or transitions), which "
                    "the path likelihood does not model; fit from a journey whose personas have "
                    "none",
                    p.id));
    return true;
  }
  return false;
}

// A fit on a skeleton replaces its personas by its own, which differ by multipliers (set_up,
// fitted_scenario): the skeleton's personas' numbers of their own (MODEL.md 1.12) are left out,
// with a warning, so that a journey fitted with such personas is a skeleton for its own data.
Scenario without_persona_numbers(const Scenario& skeleton, const ObservedJourneys& data,
                                 Diagnostics& diagnostics) {
  Scenario plain = skeleton;
  std::vector<std::string> ids;
  for (Persona& p : plain.personas) {
    if (!has_overrides(p)) continue;
    ids.push_back(fmt::format("'{}'", p.id));
    p.entry.clear();
    p.dropout.clear();
    p.transitions.clear();
  }
  if (!ids.empty()) {
    diagnostics.warning(
        SourceLocation{data.source, 0, 0},
        fmt::format("the skeleton's personas {} have entry weights, dropouts or transitions of "
                    "their own, which a fit on a skeleton does not fit: they are left out, and "
                    "the fitted personas differ by dropout odds (fit without --skeleton, with "
                    "--segment-column or --personas K, for personas of their own numbers)",
                    fmt::join(ids, ", ")));
  }
  return plain;
}

}  // namespace

std::optional<double> path_log_likelihood(const Scenario& scenario, const ObservedJourneys& data,
                                          Diagnostics& diagnostics) {
  if (refuse_persona_overrides(scenario, data, diagnostics)) return std::nullopt;
  const FitGraph graph(scenario);
  const std::vector<fit_detail::DistinctPath> paths =
      fit_detail::prepare_paths(graph, data, diagnostics);
  if (diagnostics.has_errors()) return std::nullopt;
  const Likelihood likelihood(graph, paths);
  return -likelihood.marginal(fit_detail::scenario_values(scenario, graph));
}

std::optional<EmotionFit> fit_emotion(const Scenario& given, const ObservedJourneys& data,
                                      const EmotionFitOptions& options, Diagnostics& diagnostics) {
  const SourceLocation where{data.source, 0, 0};
  const Scenario skeleton = without_persona_numbers(given, data, diagnostics);
  if (options.personas < 1) {
    diagnostics.error(
        where, fmt::format("the number of personas must be 1 or more, got {}", options.personas));
    return std::nullopt;
  }
  const FitGraph graph(skeleton);
  const std::vector<fit_detail::DistinctPath> paths =
      fit_detail::prepare_paths(graph, data, diagnostics);
  if (diagnostics.has_errors()) return std::nullopt;
  const Likelihood likelihood(graph, paths);

  Problem problem(skeleton, graph, likelihood);
  set_up(problem, options);
  if (!enough_paths_for_personas(problem, where, diagnostics)) return std::nullopt;
  const std::size_t n = problem.free.size();
  const std::size_t K = problem.base.personas.size();

  const std::size_t total_steps = fit_steps(problem, options);
  const auto report = [&](std::size_t done, const std::string& status) {
    if (is_cancelled(options.cancel)) throw RunCancelled();
    if (options.progress) options.progress(done, total_steps, status);
  };
  const fit_detail::Optimum best = best_of_starts(problem, options, report);
  ModelValues fitted;
  apply(problem.free, best.theta, graph, problem.base, fitted);

  std::vector<std::string> names;
  for (const fit_detail::FreeParameter& f : problem.free) {
    names.push_back(fit_detail::parameter_name(skeleton, f.kind, scenario_index(graph, f),
                                               problem.persona_ids));
  }
  report(total_steps - 1, fmt::format("standard errors ({} parameters)", n));
  const fit_detail::Objective marginal = [&](const std::vector<double>& x, std::vector<double>* g) {
    return problem.objective(x, nullptr, g);
  };
  const Eigen::MatrixXd information = fit_detail::hessian(marginal, best.theta);
  const fit_detail::Identification identified =
      identify(information, best.theta, problem.free, names, problem.customers,
               options.identifiability_threshold);

  EmotionFit fit;
  fit.scenario = fitted_scenario(problem, fitted);
  fit.log_likelihood = -best.negative_log_likelihood;
  fit.free_parameters = static_cast<int>(n);
  fit.aic = 2.0 * static_cast<double>(n) + 2.0 * best.negative_log_likelihood;
  fit.bic =
      static_cast<double>(n) * std::log(problem.customers) + 2.0 * best.negative_log_likelihood;
  fit.customers = static_cast<std::uint64_t>(problem.customers);
  fit.distinct_paths = paths.size();
  fit.em_iterations = K > 1 ? best.em_iterations : 0;
  fit.notes = problem.notes;
  fit.parameters =
      reported_parameters(problem, fit.scenario, fitted, best.theta, names, identified);
  return fit;
}

namespace detail {

double gradient_check(const Scenario& skeleton, const ObservedJourneys& data,
                      const EmotionFitOptions& options) {
  Diagnostics diagnostics;
  const FitGraph graph(skeleton);
  const std::vector<fit_detail::DistinctPath> paths =
      fit_detail::prepare_paths(graph, data, diagnostics);
  if (diagnostics.has_errors()) throw std::invalid_argument(diagnostics.to_string());
  const Likelihood likelihood(graph, paths);
  Problem problem(skeleton, graph, likelihood);
  set_up(problem, options);
  // Away from the starting values, with the personas apart, so that every term is exercised.
  std::mt19937_64 random(options.seed);
  std::uniform_real_distribution<double> jitter(-0.3, 0.3);
  std::vector<double> theta = theta_of(problem.free, graph, problem.base, problem.base);
  for (std::size_t i = 0; i < theta.size(); ++i) {
    theta[i] = std::clamp(theta[i] + jitter(random), problem.free[i].lower, problem.free[i].upper);
  }
  std::vector<double> gradient;
  problem.objective(theta, nullptr, &gradient);
  double worst = 0.0;
  for (std::size_t i = 0; i < theta.size(); ++i) {
    std::vector<double> x = theta;
    const double h = 1e-6;
    x[i] = theta[i] + h;
    const double up = problem.marginal(x);
    x[i] = theta[i] - h;
    const double down = problem.marginal(x);
    const double numeric = (up - down) / (2.0 * h);
    worst = std::max(worst, std::abs(numeric - gradient[i]) / std::max(1.0, std::abs(numeric)));
  }
  return worst;
}

}  // namespace detail

}  // namespace cjsim
