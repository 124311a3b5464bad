// An experiment made concrete: its base scenarios loaded, its design points listed (every
// design row for every base scenario), and every point's scenario validated, so that a sweep
// that starts can finish.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/diagnostic.h"
#include "scenarios/experiment.h"
#include "scenarios/scenario.h"

namespace cjsim {

struct SweepPoint {
  std::size_t scenario = 0;    // index into SweepPlan::bases
  std::vector<double> values;  // one per experiment parameter, in their order
};

struct SweepPlan {
  Experiment experiment;
  std::vector<Scenario> bases;     // as loaded (future states with their changes applied)
  std::vector<SweepPoint> points;  // base 0's design rows first, then base 1's, ...
  // Changes whenever the experiment file or any scenario file it builds on changes: results
  // stored under one fingerprint are never mixed with another's.
  std::string fingerprint;
};

// Loads the scenarios (warnings and errors go to `diagnostics`), checks every parameter path
// against every scenario, and validates the scenario of every design point; errors name the
// parameter, the point and its values. Returns the plan only when there was no error.
std::optional<SweepPlan> plan_sweep(Experiment experiment, Diagnostics& diagnostics);

// The scenario of one design point: its base with the point's values set.
Scenario point_scenario(const SweepPlan& plan, std::size_t point);

// "touchpoints.checkout.dropout = 0.1, settings.kappa = 2"
std::string describe_point(const SweepPlan& plan, std::size_t point);

}  // namespace cjsim
