// The emotion fit's free parameters: what each is, its range on the optimiser's scale (logits
// and log ratios), the map between a parameter vector and the model's values, and the names
// parameters are reported by.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/fit/emotion_fit.h"
#include "models/fit/fit_graph.h"
#include "models/fit/path_likelihood.h"
#include "scenarios/scenario.h"

namespace cjsim::fit_detail {

// Transitions are indexed in compiled order (fit_graph.h); scenario_index gives the file's.
struct FreeParameter {
  FitParameterKind kind;
  std::uint32_t index;
  double lower, upper;
};

inline constexpr double kLogitBound = 12.0;

// Sets the free parameters' model values from theta; `base` holds everything else.
void apply(const std::vector<FreeParameter>& free, const std::vector<double>& theta,
           const FitGraph& graph, const ModelValues& base, ModelValues& v);

// The inverse of apply, clamped into the bounds.
std::vector<double> theta_of(const std::vector<FreeParameter>& free, const FitGraph& graph,
                             const ModelValues& base, const ModelValues& v);

// The model-scale value of free parameter f at optimiser value x (increasing in x).
double model_scale(const FreeParameter& f, double x);

// The parameter's index as FittedParameter has it (transitions in Scenario::transitions order).
std::uint32_t scenario_index(const FitGraph& graph, const FreeParameter& f);

// Named as sweeps and calibration name them (parameter paths); the weights and the dropout
// odds are estimated relative to the first of theirs, which the name says. `index` is the
// scenario's (scenario_index).
std::string parameter_name(const Scenario& s, FitParameterKind kind, std::uint32_t index,
                           const std::vector<std::string>& persona_ids);

}  // namespace cjsim::fit_detail
