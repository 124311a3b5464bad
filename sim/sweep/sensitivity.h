// Which parameter of a sweep moves a figure most, measured in a way that fits the design:
// main effects for grids (each parameter's levels compared with the others averaged over,
// which a full grid balances exactly), standardised regression coefficients for Latin
// hypercubes and lists (the points are scattered, so a linear fit separates the parameters).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cjsim {

enum class SensitivityMethod { main_effect, standardised_regression };

struct ParameterSensitivity {
  std::size_t parameter = 0;  // column of the design
  // What ranks the parameters. Main effect: the spread (largest minus smallest) of the mean
  // figure over the parameter's levels. Regression: |coefficient| in standard deviations of
  // the figure per standard deviation of the parameter.
  double importance = 0.0;
  // The change of the figure from the parameter's lowest to its highest value: the mean at
  // the highest level minus the mean at the lowest, or the fitted slope times the range.
  double swing = 0.0;
  // The swing's 95% interval from the replications: the swing computed on each replication's
  // figures alone (every point runs the same agents, so the noise common to all points cancels),
  // Student t across the replications. NaN with one replication.
  double swing_low = NAN, swing_high = NAN;
  // Regression only (NaN for main effects): the standardised coefficient with its sign, and
  // its interval, the swing's scaled by the same factor (sd of the parameter / (sd of the
  // figure x the parameter's range)).
  double coefficient = NAN, coefficient_low = NAN, coefficient_high = NAN;
  // Whether the swing's interval excludes 0: the parameter moves the figure beyond the noise.
  bool beyond_noise() const { return swing_low > 0 || swing_high < 0; }
};

struct Sensitivity {
  SensitivityMethod method = SensitivityMethod::main_effect;
  std::vector<ParameterSensitivity> ranked;  // most important first
  double r_squared = 0.0;  // regression only: the share of the variance the fit explains
  std::size_t points = 0;  // points used (those where the figure is defined)
  std::string note;        // why nothing could be ranked, when so
};

const char* method_name(SensitivityMethod method);

// `design[k][j]` is parameter j at point k, `figure[k]` the figure there (NaN: undefined, the
// point is left out).
Sensitivity main_effects(std::span<const std::vector<double>> design,
                         std::span<const double> figure);
Sensitivity standardised_regression(std::span<const std::vector<double>> design,
                                    std::span<const double> figure);

// Sets the intervals of `s` (made by main_effects or standardised_regression on `design`) from
// `replication_figure[r][k]`, the figure at point k in replication r alone; nothing with fewer
// than two replications.
void add_replication_intervals(Sensitivity& s, std::span<const std::vector<double>> design,
                               std::span<const std::vector<double>> replication_figure);

}  // namespace cjsim

namespace cjsim {

// The sensitivity of a sweep's figure, one ranking per base scenario (points of different
// scenarios are not pooled: the scenarios differ in more than the parameters). Grids get main
// effects, other designs standardised regression. `replication_figure[r][k]`, when given, is
// the figure at point k in replication r alone, for the intervals.
struct ScenarioSensitivity {
  std::size_t scenario = 0;
  Sensitivity sensitivity;
};
std::vector<ScenarioSensitivity> sweep_sensitivity(std::string_view design,
                                                   std::span<const std::uint64_t> scenario_of_point,
                                                   std::span<const std::vector<double>> values,
                                                   std::span<const double> figure,
                                                   std::size_t scenarios,
                                                   std::span<const std::vector<double>>
                                                       replication_figure = {});

}  // namespace cjsim
