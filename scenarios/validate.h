// The meaning checks on a Scenario, whoever built it (a file, a list of changes, a fit):
// references, ranges, and the touchpoint graph itself.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "scenarios/diagnostic.h"
#include "scenarios/scenario.h"

namespace cjsim {

// A journey has at most this many stages (each agent's stages seen fit in 64 bits).
inline constexpr std::size_t kMostStages = 64;

// The largest amounts, durations and spreads a journey may hold, so that every exact sum a run
// keeps (sim/model/exact_sum.h: up to 1.7e38, squares included) stays in range: a cost per
// visit and a conversion value of 1e9 (times a value_multiplier of 1000 at most) give a
// journey of 100 touchpoints a squared cost of 1e26 per agent, so 10^12 agent journeys fit.
// A lognormal sigma of 4 keeps the mean square of a duration (median^2 e^(2 sigma^2)) at
// 8e13 median^2. A run past these (a longer journey, more agents) reports an interval it could
// not compute as n/a with the reason.
inline constexpr double kMostAmount = 1e9;           // cost per visit, conversion value
inline constexpr double kMostValueMultiplier = 1e3;  // persona value_multiplier
inline constexpr double kMostHours = 1e5;            // a duration, its mean or its median
inline constexpr double kMostLognormalSigma = 4.0;

// Adds every problem found to `diagnostics` (errors block a run; warnings do not).
void validate_scenario(const Scenario& scenario, Diagnostics& diagnostics);

// Loads and validates in one go: the form every command uses. Returns the Scenario when
// there was no error; warnings are left in `diagnostics` for the caller to print.
std::optional<Scenario> load_valid_scenario(const std::string& path, Diagnostics& diagnostics);

}  // namespace cjsim
