// The fit workflow as one call, for every front end: observed paths to a fitted journey (the
// Markov chain, or a skeleton's emotion parameters and latent personas), checked against the
// data and a held-out share of it by simulation; or a skeleton calibrated to a funnel. It reads
// no file, writes none and prints nothing: the caller reads the data and writes the results.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "models/fit/arrival_fit.h"
#include "models/fit/calibration.h"
#include "models/fit/chain_mixture.h"
#include "models/fit/emotion_fit.h"
#include "models/fit/goodness_of_fit.h"
#include "models/fit/markov_fit.h"
#include "models/fit/markov_order.h"
#include "models/fit/parameter_uncertainty.h"
#include "models/fit/queue_fit.h"
#include "models/fit/segment_personas.h"
#include "models/observed/funnel.h"
#include "models/observed/observed_journeys.h"
#include "scenarios/diagnostic.h"
#include "scenarios/scenario.h"
#include "sim/engine/engine.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {

// The progress stage of the simulation that checks the fit (counted in agents); every other
// stage is a step of the fit itself ("start 1 of 4: EM iteration 2", "simulation 12: ...").
inline constexpr std::string_view kCheckingTheFit = "checking the fit";

// How latent personas (FitRequest::personas K > 1) are fitted (models/README.md, "Latent
// personas"). `chains`: a mixture of K Markov chains by EM on the Markov-fitted journey, each
// persona its own entry weights, dropouts and transition weights (chain_mixture.h); `odds`: K
// personas of the skeleton's (or the Markov-fitted journey's) numbers that differ in dropout
// odds and initial emotion, fitted by EM with gradients (emotion_fit.h).
enum class PersonaModel { chains, odds };

struct FitRequest {
  // Observed paths (any reader of models/observed), or a funnel, which calibrates the
  // skeleton by simulation and needs one.
  std::variant<ObservedJourneys, ObservedFunnel> data;
  std::string data_name;  // the data's file(s), as messages and notes name them
  // Observed paths fit it when it has every touchpoint of the data (by id): its emotion means,
  // biases, dropouts and weights by maximum likelihood; else the Markov chain is fitted, taking
  // the skeleton's stages (a note says so).
  std::optional<Scenario> skeleton;
  std::string skeleton_name;  // its file
  std::string name;           // the fitted journey's; empty: the skeleton's, or "Fitted journey"
  // The file the fitted journey will be written to: it is read back under this name.
  std::string out_name;
  unsigned personas = 1;  // latent personas fitted by EM; K > 1 without a skeleton: on the chain
  // Unset: `chains` on the Markov chain, `odds` on a skeleton (which `chains` cannot fit).
  std::optional<PersonaModel> persona_model;
  bool estimate_kappa = false;
  std::vector<std::string> calibrate;  // with a funnel: the parameters adjusted; empty: dropouts
  double holdout = 0.0;                // share of the customers kept out of the fit, to check it on
  // The fitted parameters written with their uncertainty (models/fit/parameter_uncertainty.h):
  // standard errors for every fit of paths, a bootstrap of the customers for the Markov chain.
  FitUncertainty uncertainty;
  // The Markov chain's order (markov_order.h): its states carry the last `order` touchpoints;
  // 0 chooses it by BIC among 1 to 3. With `compare_orders`, or order 0, the criteria of
  // orders 1 to max(order, 3) are computed and noted.
  int order = 1;
  bool compare_orders = false;
  // The Markov chain's touchpoint durations from the hours between visits (markov_fit.h).
  DurationFamily durations = DurationFamily::exponential;
  // Also fit a calendar journey's organic arrivals (models/fit/arrival_fit.h) from when the
  // customers first appear, and write them as the fitted journey's `calendar`; needs
  // timestamps. Data with lifecycle transitions (ObservedJourneys::lifecycle_events) give
  // queues too (models/fit/queue_fit.h): each queued touchpoint's resource, patience and
  // service time are written.
  bool calendar = false;
  // The data's segment column, when the data were read with one: each segment is fitted as a
  // persona of its own numbers (segment_personas.h) on the Markov chain; empty: not.
  std::string segment_column;
  std::size_t top_paths = 10;
  std::uint64_t agents = 100000;  // simulated to check the fit, or per calibration evaluation
  std::uint64_t seed = 1;         // of the holdout split, the fit's starts and the simulations
  unsigned threads = 0;           // 0: every core; results do not depend on it
  // `done` of `total` in `stage`; a stage's first call is made from the calling thread, later
  // ones (the check's) from worker threads too.
  std::function<void(std::size_t done, std::size_t total, const std::string& stage)> progress;
  // When raised, the call throws RunCancelled (sim/model/cancellation.h) at its next step.
  const std::atomic<bool>* cancel = nullptr;
  // Called with the fitted journey and the run's options before the check simulation: where a
  // front end bounds what that run will spend (it may throw to refuse, or warn).
  std::function<void(const CompiledJourney& journey, const RunOptions& options)> before_check;
};

struct FitResult {
  // Warnings, and the errors that stopped the fit; with errors nothing below is set, and
  // `refusal` says what could not be fitted ("DATA: the skeleton S cannot produce these data
  // (2 errors), nothing was written").
  Diagnostics diagnostics;
  std::string refusal;
  bool fitted() const { return !diagnostics.has_errors(); }

  std::vector<std::string> notes;  // what the workflow chose, for the user
  std::optional<MarkovFit> markov;
  int order = 1;                       // of the Markov chain fitted
  std::vector<OrderCriterion> orders;  // with FitRequest::compare_orders: each order's criteria
  std::optional<EmotionFit> emotion;
  std::optional<Calibration> calibration;  // a funnel's; then there is no check below
  std::optional<ArrivalFit> arrivals;      // with FitRequest::calendar
  std::vector<QueueFit> queues;            // likewise, for data with lifecycle transitions
  std::vector<SegmentFit> segments;        // with FitRequest::segment_column
  std::optional<ChainMixture> mixture;     // latent personas as a mixture of chains
  // The fitted journey as written (YAML), and as read back from it and validated: what `run`
  // will load.
  std::string scenario_yaml;
  Scenario scenario;

  // The data the fit is checked on, in the fitted journey's terms, and the fitted journey's
  // closed forms beside them (a Markov chain has them; `no_closed_forms` says why not).
  double data_conversion_rate = 0.0;
  double data_steps_per_customer = 0.0;
  bool has_closed_forms = false;
  std::string no_closed_forms;
  double fitted_conversion_probability = 0.0;
  double fitted_steps_per_customer = 0.0;
  // Simulated paths of the fitted journey against the fitted share of the data ("fitted") and,
  // with a holdout, the held-out share ("holdout").
  std::vector<std::pair<std::string, GoodnessOfFit>> checks;
};

// Throws std::runtime_error for data that hold nothing to fit (no customer, no conversion) and
// for a fitted journey over the size a scenario file may have; RunCancelled when cancelled.
FitResult fit_journey(const FitRequest& request);

}  // namespace cjsim
