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
// parameter, the point and its values. Returns the plan only when there was no error. The
// points are validated on `threads` threads; the diagnostics are the same for any number.
std::optional<SweepPlan> plan_sweep(Experiment experiment, Diagnostics& diagnostics,
                                    unsigned threads = 1);

// The scenario of one design point: its base with the point's values set.
Scenario point_scenario(const SweepPlan& plan, std::size_t point);

// The scenarios of design points one after another without copying a base for each: a working
// copy of each base (made when first needed) takes each point's values in turn. Every point
// sets the same fields, so the scenario it gives is point_scenario's. One per thread.
class PointScenarios {
 public:
  explicit PointScenarios(const SweepPlan& plan) : plan_(plan), working_(plan.bases.size()) {}
  // Valid until the next call.
  const Scenario& at(std::size_t point);

 private:
  const SweepPlan& plan_;
  std::vector<std::optional<Scenario>> working_;
};

// "touchpoints.checkout.dropout = 0.1, settings.kappa = 2"
std::string describe_point(const SweepPlan& plan, std::size_t point);

}  // namespace cjsim
