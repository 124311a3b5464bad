// Statistics over the draws of a run with uncertain inputs (sim/model/MODEL.md, "Uncertain
// inputs"): the interval a figure spans over the draws, the probability that a difference is
// an improvement, and variance-based sensitivity (first-order Sobol indices from the draws
// themselves, total indices from Jansen's pick-freeze draws, each with its bootstrap error).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/engine/comparison.h"
#include "sim/engine/summary.h"

namespace cjsim {

// The central 95% of a figure's values over the draws: the 2.5% and 97.5% empirical quantiles
// (linear between order statistics). Undefined draws (NaN) are left out; none left: NaN.
// All values equal: exactly that value at both ends.
struct DrawInterval {
  double low = 0.0;
  double high = 0.0;
};
DrawInterval interval_over_draws(std::span<const double> values, double level = 0.95);

// The mean over the draws (NaN draws left out), computed from the first defined value so that
// equal values give that value exactly.
double mean_over_draws(std::span<const double> values);

// What the draws say of one difference (a future state minus the current state, or minus
// another future state): its expected value, the interval of its values, and the share of the
// draws in which it is an improvement (higher, or lower for a figure where lower is better;
// a draw with no change counts half; NaN draws left out).
struct DifferenceUncertainty {
  double expected = 0.0;
  DrawInterval interval;
  double probability_better = 0.0;
  std::size_t draws = 0;  // draws in which it was defined
};
DifferenceUncertainty difference_uncertainty(std::span<const double> differences,
                                             bool lower_is_better);

// The same for every difference of a comparison: `per_draw[k]` holds the differences of draw
// k, all draws listing the same differences in the same order.
std::vector<DifferenceUncertainty> differences_uncertainty(
    std::span<const std::vector<Difference>> per_draw);

// First-order Sobol index of each input, from given data: the draws are sorted by the input
// and cut into M classes of equal size (M = round(sqrt(K)), at least 2), and the index is the
// variance of the class means of the output over its total variance (the correlation ratio),
// less the share (M - 1) / (K - 1) that classes of independent noise would show. Its error is
// the standard deviation of the index over `resamples` bootstrap resamples of the draws
// (a std::mt19937_64 on `seed`, so the same draws give the same errors everywhere).
struct SensitivityIndex {
  std::size_t input = 0;        // column of the inputs
  double first_order = 0.0;     // share of the output's variance, 0 to 1 (may fall below 0
                                // by estimation error when the input does not matter)
  double standard_error = 0.0;  // bootstrap
  // Total index (the share of the variance the input explains alone and with the others;
  // 0 to 1, may exceed 1 by estimation error), and its bootstrap error: NaN unless the
  // pick-freeze draws were run (total_sobol).
  double total = kNaN;
  double total_error = kNaN;
};
struct SobolResult {
  std::vector<SensitivityIndex> ranked;  // largest first_order first
  std::size_t classes = 0;               // M
  std::size_t draws = 0;                 // draws used (output defined)
  double variance = 0.0;                 // of the output over the draws
};
// `inputs[k][j]` is input j at draw k, `output[k]` the figure (NaN: left out).
SobolResult first_order_sobol(std::span<const std::vector<double>> inputs,
                              std::span<const double> output, std::uint64_t seed,
                              std::size_t resamples = 200);

// Jansen's estimator of total Sobol indices (Jansen 1999; Saltelli et al. 2010, table 2):
// with A the draws and A_B^j the draws that take input j from a second, independent design B,
//   total_j = (1 / 2K) sum_k (f(A)_k - f(A_B^j)_k)^2 / Var f(A),
// unbiased for the numerator; its error is the standard deviation over `resamples` bootstrap
// resamples of the draws k (numerator and variance resampled together; a std::mt19937_64 on
// `seed`). `frozen[j][k]` is f(A_B^j)_k; a draw with either value NaN is left out. Fills
// `total` and `total_error` of each index of `result` (from first_order_sobol on `output`).
void add_total_sobol(SobolResult& result, std::span<const double> output,
                     std::span<const std::vector<double>> frozen, std::uint64_t seed,
                     std::size_t resamples = 200);

// What a run or comparison with draws reports beside its central results: the design, every
// draw's summaries and differences, and the sensitivity of the decision to each input.
struct UncertainInputReport {
  std::string path;          // "touchpoints.id_check.dropout"
  std::string distribution;  // "triangular [0.2, 0.33, 0.45]" (of the first scenario with it)
};
struct SensitivityOf {
  std::string figure;        // the figure ranked on: conversion_rate, or rank_by's difference
  std::size_t scenario = 0;  // 0: the run's figure; k >= 1: future state k's gain over current
  SobolResult result;
};
struct UncertaintyReport {
  std::size_t draws = 0;
  std::uint64_t design_seed = 0;
  std::vector<UncertainInputReport> inputs;
  std::vector<std::vector<double>> quantiles;        // [draw][input], in (0, 1)
  std::vector<std::vector<double>> values;           // [draw][input]: the value drawn (of the first
                                                     // scenario with the input)
  std::vector<std::vector<Summary>> summaries;       // [draw][scenario]
  std::vector<std::vector<Difference>> differences;  // [draw], as the central differences
  std::vector<std::vector<Difference>> rivals;       // [draw]
  std::vector<SensitivityOf> sensitivity;
  std::string estimator;  // the sensitivity estimator and its error, for people
  // With total effects (pick-freeze): the second design B ([draw][input] quantiles), and for
  // input j and draw k the ranked outputs (ranked_outputs) of the draw that is A's row k with
  // input j from B: frozen[j][k][target]. Empty without total effects.
  std::vector<std::vector<double>> second_quantiles;
  std::vector<std::vector<std::vector<double>>> frozen;
};

// The values sensitivity ranks in one draw, in the order of report.sensitivity: for a run (one
// scenario) the figure; else each future state's overall difference of `figure` from the
// current state (NaN when the comparison lacks it).
std::vector<double> ranked_outputs(const std::vector<Summary>& summaries,
                                   const std::vector<Difference>& differences,
                                   std::string_view figure);

// The values of `figure` (a headline figure's name) over the draws, for scenario `scenario`.
std::vector<double> figure_over_draws(const UncertaintyReport& report, std::size_t scenario,
                                      std::string_view figure);
// The overall difference of `figure` of future state `scenario` from `versus` (0 the current
// state) over the draws; empty when the comparison lacks it.
std::vector<double> difference_over_draws(const UncertaintyReport& report, std::size_t scenario,
                                          std::size_t versus, std::string_view figure);

// The probability over the draws that future state `scenario` does better on `figure` than
// scenario `versus` (0: the current state; else another future state), from the draws'
// differences: rivals hold the later state minus the earlier. NaN when no draw has it.
double probability_beats(const UncertaintyReport& report, std::size_t scenario, std::size_t versus,
                         std::string_view figure);

// Fills report.sensitivity: of `figure` for a run (one scenario), else of each future state's
// difference of `figure` from the current state; with report.frozen, total indices too.
void rank_uncertain_inputs(UncertaintyReport& report, std::string_view figure);

}  // namespace cjsim
