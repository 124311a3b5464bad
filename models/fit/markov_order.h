// Higher-order Markov chains from observed paths: each visit becomes a state carrying the last
// k touchpoints ("a > b > c"), so that the first-order fit of those states (markov_fit.h) is
// the order-k chain, written as a journey the engine runs; and the choice of order by an
// information criterion.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "models/observed/observed_journeys.h"

namespace cjsim {

inline constexpr int kMostFitOrder = 5;

// The data with each visit named by its window of the last `order` touchpoints (fewer at a
// path's start), joined by " > "; a window's channel and stage are its last touchpoint's.
// Counts, conversions, values, hours and segments are kept. Order 1 gives the data's own names.
ObservedJourneys windows_of_order(const ObservedJourneys& data, int order);

// How well the order-k chain (maximum likelihood, the states of windows_of_order with the
// conversion phases the Markov fit keeps apart) explains the paths: the log-likelihood of
// every path (its entry, each move, its end), the free parameters (per state, its outcomes
// seen less one; the entries less one), AIC = 2 p - 2 L and BIC = p ln(customers) - 2 L.
struct OrderCriterion {
  int order = 1;
  std::size_t states = 0;
  double log_likelihood = 0.0;
  std::size_t parameters = 0;
  double aic = 0.0;
  double bic = 0.0;
  // On held-out customers (held_out_scores): the log-likelihood per customer of the paths every
  // compared order explains, and how many held-out customers this order cannot explain (a
  // start, a move or an end its fitted share never saw has probability 0).
  double held_out_log_likelihood = 0.0;
  double held_out_unexplained = 0.0;
};
OrderCriterion order_criterion(const ObservedJourneys& data, int order);

// "best" order of `criteria` by BIC (the lowest; ties: the lower order).
int order_by_bic(const std::vector<OrderCriterion>& criteria);

// Scores each order's chain, fitted to `fitted` (maximum likelihood, as order_criterion), on
// the `held` customers: fills held_out_log_likelihood and held_out_unexplained of every
// criterion. The log-likelihood is over the customers that every order explains, so that the
// orders are compared on the same paths (a path a higher order explains, a lower one does
// too). Returns how many customers that is.
double held_out_scores(const ObservedJourneys& fitted, const ObservedJourneys& held,
                       std::vector<OrderCriterion>& criteria);

// The order whose held-out log-likelihood is highest (ties: the lower order).
int order_by_held_out(const std::vector<OrderCriterion>& criteria);

}  // namespace cjsim
