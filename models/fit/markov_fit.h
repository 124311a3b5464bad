// The Markov fit: observed journeys to an ordinary scenario whose touchpoints, transitions,
// dropouts, entry weights and conversion values are the maximum-likelihood estimates of a
// first-order chain (kappa 0, no emotion, one neutral persona). Its closed forms
// (sim/model/markov.h) give back the data's visits per customer exactly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/observed/observed_journeys.h"
#include "scenarios/scenario.h"

namespace cjsim {

// How a touchpoint's duration is learnt from the hours between a visit and the next one:
// `exponential` (their mean), or `best`: the family of the format (fixed, exponential,
// lognormal) with the lowest AIC, a fixed duration when every gap is the same.
enum class DurationFamily { exponential, best };

struct MarkovFitOptions {
  std::string name = "Fitted journey";
  DurationFamily durations = DurationFamily::exponential;
  // A journey whose stages (and, for touchpoints of the same id, stage and channel) the fit
  // takes when the data name no stage; nullptr for none.
  const Scenario* skeleton = nullptr;
};

struct MarkovFit {
  Scenario scenario;
  // Per touchpoint of the data: its touchpoint in the scenario for a visit before the path's
  // conversion (or on a path that did not convert), for the conversion itself, and for a
  // visit after it; -1 when it has none. A touchpoint visited in more than one of these ways
  // becomes several: '<id>', '<id>-converted' (a conversion touchpoint: the model converts on
  // every first visit to one) and '<id>-after'. So no walk of the chain reaches a conversion
  // touchpoint twice, and its conversion probability is the data's conversion rate.
  std::vector<std::int64_t> plain_state;
  std::vector<std::int64_t> converted_state;
  std::vector<std::int64_t> after_state;
  // Touchpoints whose duration was fitted, by the family chosen.
  std::size_t fixed_durations = 0;
  std::size_t exponential_durations = 0;
  std::size_t lognormal_durations = 0;
};

// Estimates from the data's counts (see models/README.md, "The Markov chain"): entry weight = first
// visits; transition weight = moves v -> w; dropout = customers whose path stops at v / visits of
// v, for a v that some customer leaves (one that no customer leaves ends journeys as completed);
// conversion value = mean value of the conversions there; duration exponential with the mean hours
// to the next visit, when the data have timestamps. Stages: the data's (ordered by their mean
// position in the paths), else the skeleton's, else one stage 'journey'.
// Throws std::invalid_argument when the data hold no customer or no conversion.
MarkovFit fit_markov(const ObservedJourneys& data, const MarkovFitOptions& options = {});

// The data in the fitted scenario's terms: touchpoints named by the scenario's ids, converting
// visits on their conversion touchpoints, stages the scenario's; `data` shares the fitted
// data's touchpoint table (a held-out share of it, say). Touchpoints the fit never saw keep
// their names. What goodness of fit compares simulated journeys with.
ObservedJourneys in_fitted_terms(const ObservedJourneys& data, const MarkovFit& fit);

// A scenario id made from a free name: letters, digits, '_', '-', '.' kept, the rest '_'.
std::string id_from_name(std::string_view name);

}  // namespace cjsim
