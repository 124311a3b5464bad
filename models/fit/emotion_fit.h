// Maximum-likelihood fit of a journey skeleton's parameters (emotion means, emotion biases,
// kappa, dropouts, transition and entry weights) to observed paths, with K latent personas
// fitted by EM, standard errors from the observed information and an identifiability report.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/observed/observed_journeys.h"
#include "scenarios/diagnostic.h"
#include "scenarios/scenario.h"

namespace cjsim {

// What a fitted parameter is, on the model's own scale (sim/model/MODEL.md). Ratios are used
// where the model fixes one normalisation: a transition's weight relative to the first
// transition out of the same touchpoint (file order), an entry weight relative to the first
// entry touchpoint, a persona's dropout odds relative to the first persona's.
enum class FitParameterKind {
  emotion_mean,       // touchpoint `index`
  kappa,              // the journey's
  emotion_bias,       // transition `index` (Scenario::transitions order)
  dropout,            // touchpoint `index`, for the first persona
  transition_weight,  // transition `index`, relative
  entry_weight,       // touchpoint `index`, relative
  persona_share,      // persona `index`, normalised
  initial_emotion,    // persona `index`
  dropout_odds,       // persona `index`, relative
};

struct FittedParameter {
  std::string name;  // "touchpoints.checkout.emotion.mean", "personas.p2.dropout_odds", ...
  FitParameterKind kind = FitParameterKind::emotion_mean;
  std::uint32_t index = 0;
  double value = 0.0;
  // NaN (no interval) when the data cannot identify the parameter; `why_not` then says why.
  double standard_error = 0.0;
  double low = 0.0;  // 95% interval, on the model's scale
  double high = 0.0;
  bool identifiable = true;
  std::string why_not;
};

// The value a parameter has in any scenario with the skeleton's touchpoints and transitions
// (the fitted one, or the journey data were simulated from), on the scale the fit reports.
double parameter_value(const Scenario& scenario, const FittedParameter& parameter);

struct EmotionFitOptions {
  // Latent personas, fitted by EM; 1 fits the skeleton's first persona alone.
  int personas = 1;
  // Emotion's scale is only identified through the clamp at -1 and 1: by default kappa is held
  // at the skeleton's value and sets the unit of emotion (see models/README.md, "Emotion
  // parameters from paths"). With this, kappa is estimated too, and the identifiability report
  // says whether the data pin it down.
  bool estimate_kappa = false;
  // EM starts (K > 1); the best final log-likelihood wins.
  int starts = 4;
  std::uint64_t seed = 1;  // for the starts' random persona parameters
  // Scaled information eigenvalues below this mark near-null directions.
  double identifiability_threshold = 1e-4;
  // Called as the fit goes: `done` of `total` steps (EM iterations, each start's final
  // optimisation, the standard errors; EM may end early, so steps are uneven) and what runs.
  std::function<void(std::size_t done, std::size_t total, const std::string& status)> progress;
  // Looked at at each step of progress; when raised, the fit throws RunCancelled
  // (sim/model/cancellation.h).
  const std::atomic<bool>* cancel = nullptr;
};

// Whether the latent personas of a fit (K > 1) came out as one (persona_collapse.h).
struct PersonaCollapse {
  bool checked = false;    // a fit of K > 1 personas
  bool collapsed = false;  // some pair coincides, or K personas gain too little over one
  std::vector<std::pair<std::string, std::string>> coinciding;  // persona ids, pair by pair
  // Of the best single persona (the Markov chain the personas were fitted on), when known
  // (NaN otherwise), and what the K personas gain over it against BIC's threshold for their
  // extra parameters.
  double one_persona_log_likelihood = std::numeric_limits<double>::quiet_NaN();
  double log_likelihood_gain = std::numeric_limits<double>::quiet_NaN();
  int extra_parameters = 0;
  double gain_threshold = std::numeric_limits<double>::quiet_NaN();
  std::string criterion;  // in words
};

struct EmotionFit {
  // The skeleton with the fitted values (emotion sd 0, K personas): it validates, and part of
  // it (durations, costs, values, affinities) is the skeleton's, which paths do not inform.
  Scenario scenario;
  std::vector<FittedParameter> parameters;  // every estimated parameter, and the shares
  double log_likelihood = 0.0;
  int free_parameters = 0;
  double aic = 0.0;
  double bic = 0.0;
  std::uint64_t customers = 0;
  std::uint64_t distinct_paths = 0;
  int em_iterations = 0;  // of the best start; 0 with one persona
  PersonaCollapse collapse;  // with K > 1 personas, checked by the fit's caller
  // Assumptions the fit made that the user should know (emotion sd set to 0, the horizon
  // assumed not to bind, what holds the emotion scale).
  std::vector<std::string> notes;
};

// Fits `skeleton` (a validated scenario) to `data`, whose touchpoints are matched to the
// skeleton's by id. Paths the skeleton cannot produce (an unknown touchpoint, a missing
// transition, an entry without entry weight, a path longer than max_steps) are errors in
// `diagnostics`, each naming the path; nothing is fitted then. The fit's personas replace the
// skeleton's: their numbers of their own (MODEL.md 1.12) are left out, with a warning.
std::optional<EmotionFit> fit_emotion(const Scenario& skeleton, const ObservedJourneys& data,
                                      const EmotionFitOptions& options, Diagnostics& diagnostics);

// Log-likelihood of `data` under `scenario` exactly as the engine simulates it, when every
// touchpoint's emotion sd and every persona's initial emotion sd is 0 (personas latent:
// their shares mix). nullopt, with errors, when a path is impossible in the scenario's graph.
std::optional<double> path_log_likelihood(const Scenario& scenario, const ObservedJourneys& data,
                                          Diagnostics& diagnostics);

namespace detail {
// The largest difference between the fit's analytic gradient of the negative log-likelihood
// and central differences (relative, or absolute below 1), at jittered starting values: the
// check that the derivatives the optimiser and the information matrix use are right.
double gradient_check(const Scenario& skeleton, const ObservedJourneys& data,
                      const EmotionFitOptions& options);
}  // namespace detail

}  // namespace cjsim
