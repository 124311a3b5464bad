// The fitted parameters written with their uncertainty (sim/model/MODEL.md 1.10, "From data"):
// as the uncertain forms of a scenario, a beta for a probability and a normal otherwise, from
// the fit's standard errors or from a bootstrap of the customers, so that `run` and `compare`
// with --draws on a fitted journey carry what the data leave open.
#pragma once

#include <cstdint>
#include <string_view>

#include "models/fit/emotion_fit.h"
#include "models/fit/markov_fit.h"
#include "models/observed/observed_journeys.h"

namespace cjsim {

enum class FitUncertaintyMethod { none, standard_errors, bootstrap };

struct FitUncertainty {
  FitUncertaintyMethod method = FitUncertaintyMethod::none;
  std::uint32_t resamples = 200;  // bootstrap only
};

inline constexpr std::uint32_t kMostResamples = 100000;

// "none", "standard-errors", "bootstrap" or "bootstrap:N" (2 <= N <= kMostResamples); throws
// std::invalid_argument naming what is accepted.
FitUncertainty fit_uncertainty_from_text(std::string_view text);

// Writes the Markov-fitted journey's dropouts, transition and entry weights, exponential
// durations and (bootstrap) conversion values as uncertain forms, from `data`, the paths it was
// fitted to (MODEL.md 1.10 says how). A parameter the data fix (a single way out, a dropout
// of 0) stays a known number. Returns how many fields became uncertain. The bootstrap's
// stream is a std::mt19937_64 seeded from `seed`, so the same seed writes the same file.
std::size_t add_markov_uncertainty(MarkovFit& fit, const ObservedJourneys& data,
                                   const FitUncertainty& uncertainty, std::uint64_t seed);

// Writes every identified parameter of an emotion fit with its standard error as an uncertain
// form of the fitted scenario (marginals: the fit's correlations are not carried). Returns how
// many fields became uncertain.
std::size_t add_emotion_uncertainty(EmotionFit& fit);

}  // namespace cjsim
