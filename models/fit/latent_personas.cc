// EM over latent personas from several starts, and how many personas the data can carry.
#include "models/fit/latent_personas.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "models/fit/optimiser.h"

namespace cjsim::fit_detail {
namespace {

bool reference_is_largest(const ModelValues& v) {
  for (const PersonaValues& p : v.personas) {
    if (p.log_share > v.personas[0].log_share) return false;
  }
  return true;
}

// Canonical optima (reference persona the largest) first, then the likelihood.
bool better(const Optimum& a, const Optimum& b) {
  if (b.theta.empty()) return !a.theta.empty();  // anything found beats nothing found
  if (a.reference_is_largest != b.reference_is_largest) return a.reference_is_largest;
  if (std::isnan(b.negative_log_likelihood)) return !std::isnan(a.negative_log_likelihood);
  return a.negative_log_likelihood < b.negative_log_likelihood;
}

// EM over the latent personas from one start: responsibilities per distinct path
// (log-sum-exp), shares in closed form, the other parameters by a few L-BFGS steps on the
// expected complete log-likelihood (a generalised EM step), until the likelihood stalls.
constexpr int kEmIterations = 25;  // at most, per start

Optimum fit_from(const Problem& problem, std::vector<double> theta,
                 const std::function<void(int iteration)>& on_iteration) {
  const std::size_t n = problem.free.size();
  const std::size_t K = problem.base.personas.size();
  std::vector<std::size_t> not_shares;
  for (std::size_t i = 0; i < n; ++i) {
    if (problem.free[i].kind != FitParameterKind::persona_share) not_shares.push_back(i);
  }
  Optimum out;
  if (K > 1) {
    std::vector<double> ll, responsibility;
    double previous = kInf;
    ModelValues v;
    for (int iteration = 0; iteration < kEmIterations; ++iteration) {
      on_iteration(iteration);
      apply(problem.free, theta, problem.graph, problem.base, v);
      problem.likelihood.per_persona(v, ll);
      const std::vector<double> shares = Likelihood::log_shares(v);
      const std::size_t paths = problem.likelihood.path_count();
      responsibility.assign(paths * K, 0.0);
      std::vector<double> weight(K, 0.0), terms(K);
      double marginal = 0.0;
      for (std::size_t i = 0; i < paths; ++i) {
        for (std::size_t k = 0; k < K; ++k) terms[k] = shares[k] + ll[i * K + k];
        const double total = log_sum_exp(terms.data(), K);
        const double count = problem.likelihood.path(i).count;
        marginal -= count * total;
        for (std::size_t k = 0; k < K; ++k) {
          responsibility[i * K + k] = std::exp(terms[k] - total);
          weight[k] += count * responsibility[i * K + k];
        }
      }
      out.em_iterations = iteration + 1;
      if (previous - marginal < 1e-6 * std::max(1.0, std::abs(marginal))) break;
      previous = marginal;
      for (std::size_t i = 0; i < n; ++i) {
        const FreeParameter& f = problem.free[i];
        if (f.kind != FitParameterKind::persona_share) continue;
        theta[i] =
            std::clamp(std::log(std::max(weight[f.index], 1e-300) / std::max(weight[0], 1e-300)),
                       f.lower, f.upper);
      }
      const Objective complete = [&](const std::vector<double>& x, std::vector<double>* g) {
        return problem.objective(x, &responsibility, g);
      };
      minimise(complete, theta, problem.free, not_shares, 15);
    }
  }
  out.negative_log_likelihood = problem.marginal(theta);
  out.theta = std::move(theta);
  return out;
}

}  // namespace

std::size_t fit_steps(const Problem& problem, const EmotionFitOptions& options) {
  const std::size_t K = problem.base.personas.size();
  const int starts = K > 1 ? std::max(1, options.starts) : 1;
  const std::size_t per_start = K > 1 ? kEmIterations + 1 : 1;
  return static_cast<std::size_t>(starts) * per_start + 1;
}

Optimum best_of_starts(Problem& problem, const EmotionFitOptions& options,
                       const StepReport& report) {
  const FitGraph& graph = problem.graph;
  const std::size_t n = problem.free.size();
  const std::size_t K = problem.base.personas.size();
  std::mt19937_64 random(options.seed);
  std::vector<std::size_t> all(n);
  for (std::size_t i = 0; i < n; ++i) all[i] = i;
  const Objective marginal = [&](const std::vector<double>& x, std::vector<double>* g) {
    return problem.objective(x, nullptr, g);
  };
  Optimum best;
  const int starts = K > 1 ? std::max(1, options.starts) : 1;
  const std::size_t per_start = K > 1 ? kEmIterations + 1 : 1;
  for (int start = 0; start < starts; ++start) {
    const std::size_t start_steps = static_cast<std::size_t>(start) * per_start;
    ModelValues v = problem.base;
    for (std::size_t k = 0; k < K && K > 1; ++k) {
      PersonaValues& p = v.personas[k];
      if (start == 0) {
        p.initial_emotion =
            std::clamp(-0.5 + static_cast<double>(k) / static_cast<double>(K - 1), -0.9, 0.9);
        p.odds = problem.base.personas[0].odds * std::exp(0.5 * static_cast<double>(k));
      } else if (k > 0) {
        std::uniform_real_distribution<double> unit(-1.0, 1.0);
        p.initial_emotion = 0.8 * unit(random);
        p.odds = problem.base.personas[0].odds * std::exp(1.5 * unit(random));
        p.log_share = 0.7 * unit(random);
      }
    }
    // Then L-BFGS on the marginal likelihood itself, so that the optimum is the
    // maximum-likelihood estimate to the optimiser's precision.
    Optimum candidate =
        fit_from(problem, theta_of(problem.free, graph, problem.base, v), [&](int iteration) {
          report(start_steps + static_cast<std::size_t>(iteration),
                 fmt::format("start {} of {}: EM iteration {}", start + 1, starts, iteration + 1));
        });
    report(start_steps + per_start - 1,
           starts > 1 ? fmt::format("start {} of {}: maximising the likelihood", start + 1, starts)
                      : std::string("maximising the likelihood"));
    candidate.negative_log_likelihood =
        minimise(marginal, candidate.theta, problem.free, all, 3000);
    // The reference persona holds emotion's zero, so relabelling the personas is not a
    // symmetry of the fit: a mixture has one optimum per choice of reference. The one whose
    // reference is the largest persona is reported (when a start found it).
    ModelValues candidate_values;
    apply(problem.free, candidate.theta, graph, problem.base, candidate_values);
    candidate.reference_is_largest = reference_is_largest(candidate_values);
    if (better(candidate, best)) best = std::move(candidate);
  }
  if (K > 1 && !best.reference_is_largest) {
    problem.notes.push_back(
        "no start found the optimum whose first persona is the largest: the personas are "
        "reported as found");
  }
  return best;
}

bool enough_paths_for_personas(const Problem& problem, const SourceLocation& where,
                               Diagnostics& diagnostics) {
  const std::size_t K = problem.base.personas.size();
  if (K < 2) return true;
  const std::size_t persona_parameters = static_cast<std::size_t>(
      std::count_if(problem.free.begin(), problem.free.end(), [](const FreeParameter& f) {
        return f.kind == FitParameterKind::persona_share ||
               f.kind == FitParameterKind::initial_emotion ||
               f.kind == FitParameterKind::dropout_odds;
      }));
  const std::size_t distinct = problem.likelihood.path_count();
  const std::size_t shares = distinct > 0 ? distinct - 1 : 0;
  if (persona_parameters <= shares) return true;
  const std::size_t per_persona = persona_parameters / (K - 1);
  const std::size_t most = 1 + shares / per_persona;
  diagnostics.error(
      where, fmt::format("{} latent personas have {} parameters of their own ({} for each persona "
                         "past the first), but {} on {} can pin down at most {}: fit {}",
                         K, persona_parameters, per_persona,
                         counted(static_cast<std::size_t>(problem.customers), "customer"),
                         counted(distinct, "distinct path"), shares,
                         most == 1 ? std::string("one persona")
                                   : fmt::format("at most {} personas", most)));
  return false;
}

}  // namespace cjsim::fit_detail
