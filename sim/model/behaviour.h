// The behaviour of the reference model (sim/model/MODEL.md), as small inline functions that the
// engine's hot loop calls and that fitting and the closed forms reuse: emotion, dropout,
// advocacy. Kept free of engine types so that every user of the model shares one definition.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>

namespace cjsim::model {

// Step 2.1: e = clamp(lambda * e + sensitivity * (mu + sigma * z), -1, 1).
inline double experience(double emotion, double memory, double sensitivity, double mean,
                         double sd, double z) {
  return std::clamp(memory * emotion + sensitivity * (mean + sd * z), -1.0, 1.0);
}

// The fixed part of the dropout log-odds, logit(dropout) + ln(dropout_odds), with the
// model's edge cases folded in: -inf when the touchpoint's dropout is 0 or the persona's
// odds are 0 (nobody leaves), +inf when the dropout is 1 (everybody leaves).
inline double dropout_log_odds(double dropout, double dropout_odds) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  if (dropout >= 1.0) return inf;
  if (dropout <= 0.0 || dropout_odds <= 0.0) return -inf;
  return std::log(dropout) - std::log1p(-dropout) + std::log(dropout_odds);
}

inline double logistic(double x) { return 1.0 / (1.0 + std::exp(-x)); }

// Step 2.5: q = logistic(log_odds - kappa * e); exactly 0 or 1 at infinite log-odds.
inline double dropout_probability(double log_odds, double kappa, double emotion) {
  return logistic(log_odds - kappa * emotion);
}

// The dropout probability when emotion has no effect (kappa = 0): the touchpoint's own
// probability when the persona's odds are neutral, so that closed forms hold to the bit.
inline double static_dropout_probability(double dropout, double dropout_odds) {
  if (dropout_odds == 1.0 || dropout <= 0.0 || dropout >= 1.0) return std::clamp(dropout, 0.0, 1.0);
  return logistic(dropout_log_odds(dropout, dropout_odds));
}

// Step 3: the peak-end score and the 0-10 likelihood to recommend.
inline double peak_end(double peak, double final_emotion) { return 0.5 * (peak + final_emotion); }
inline double likelihood_to_recommend(double peak_end_score) { return 5.0 * (peak_end_score + 1.0); }

}  // namespace cjsim::model
