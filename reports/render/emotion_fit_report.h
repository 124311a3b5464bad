// What fitting returns, for people and for tools: the emotion fit and a funnel calibration as
// text tables and as JSON (key names are a published interface: add keys, never rename them).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "models/fit/calibration.h"
#include "models/fit/emotion_fit.h"
#include "models/fit/fit_journey.h"
#include "reports/store/fit_report.h"

namespace cjsim {

// Parameters with value, standard error and interval (or why there is none), the
// log-likelihood, AIC, BIC, and the fit's notes.
std::string emotion_fit_text(const EmotionFit& fit);
nlohmann::json emotion_fit_json(const EmotionFit& fit);

// Parameters from start to value, the distance, and each funnel row observed against simulated.
std::string calibration_text(const Calibration& calibration);
nlohmann::json calibration_json(const Calibration& calibration);
// The queues fitted from lifecycle transitions (`fit --calendar`): per queued touchpoint the
// waits, abandonment, patience with its interval (or why there is none), service and servers.
std::string queue_fit_text(const std::vector<QueueFit>& queues);
nlohmann::json queue_fit_json(const QueueFit& fit);

// What `cjsim fit --json` prints for a funnel: calibration_json and the workflow's notes.
nlohmann::json calibration_result_json(const FitResult& fit);

// The arrivals fitted for a calendar journey (`fit --calendar`): arrivals per day with its
// interval, the weekday and hour factors beside the counts behind them, and whether one hour
// profile fits every weekday.
std::string arrival_fit_text(const ArrivalFit& fit);
nlohmann::json arrival_fit_json(const ArrivalFit& fit);

// The queues fitted from lifecycle transitions (`fit --calendar`): per queued touchpoint the
// waits, abandonment, patience with its interval (or why there is none), service and servers.
std::string queue_fit_text(const std::vector<QueueFit>& queues);
nlohmann::json queue_fit_json(const QueueFit& fit);

// Latent personas as a mixture of Markov chains (`persona_mixture`): the fit's log-likelihood,
// by iteration and by start, AIC and BIC against one chain's, each persona's share and
// conversion, and whether they collapsed (`personas_collapse`, as an emotion fit says it).
nlohmann::json chain_mixture_json(const ChainMixture& mixture);
nlohmann::json persona_collapse_json(const PersonaCollapse& collapse);

// What `cjsim fit --json` prints: the goodness of fit (fit_json), the workflow's notes and, for
// an emotion fit, its parameters; with --calendar, the arrivals (`arrivals`) and, for data
// with lifecycle transitions, the queues (`queues`, one object per queued touchpoint); with
// --segment-column, the segments (`segments`); with latent personas as a mixture of chains,
// `persona_mixture`.
nlohmann::json fit_result_json(const FitReport& report, const FitResult& fit);

}  // namespace cjsim
