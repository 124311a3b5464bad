// Funnel calibration: chosen parameters of a journey (touchpoint dropouts, emotion means,
// kappa) adjusted until the simulated reach of each funnel step matches an observed funnel,
// by a derivative-free NLopt search over simulations with one fixed seed (common random
// numbers, so that the distance is a deterministic, nearly smooth function of the parameters).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "models/observed/funnel.h"
#include "scenarios/diagnostic.h"
#include "scenarios/scenario.h"

namespace cjsim {

struct CalibrationOptions {
  // What is adjusted, by name: "touchpoints.<id>.dropout", "touchpoints.<id>.emotion.mean",
  // "settings.kappa". Empty: the dropout of every touchpoint with a way on.
  std::vector<std::string> parameters;
  std::uint64_t agents = 20000;  // simulated per evaluation
  std::uint64_t seed = 1;
  unsigned threads = 0;  // 0: every core; results do not depend on it
  int max_evaluations = 400;
  double tolerance = 1e-4;  // on the parameters, absolute
  // Called after each simulation of the search: `done` of at most `total` (the search may
  // end sooner), and the deviance reached.
  std::function<void(std::size_t done, std::size_t total, const std::string& status)> progress;
  // When raised, the calibration stops at its next simulation block and throws RunCancelled
  // (sim/model/cancellation.h).
  const std::atomic<bool>* cancel = nullptr;
};

struct CalibratedParameter {
  std::string name;
  double start = 0.0;
  double value = 0.0;
  double lower = 0.0;  // the bounds searched
  double upper = 0.0;
};

// One funnel row: the observed and simulated share of the segment's customers reaching it.
struct FunnelRowFit {
  std::string segment;
  std::string step;
  std::uint64_t reached = 0;
  std::uint64_t entered = 0;
  double observed = 0.0;
  double simulated = 0.0;
  double deviance = 0.0;  // this row's part of the distance
};

struct Calibration {
  Scenario scenario;  // the start with the calibrated values; it validates
  std::vector<CalibratedParameter> parameters;
  // Binomial deviance between the observed counts and the simulated shares, summed over rows:
  // about chi-square with degrees_of_freedom when the journey fits (simulation noise adds a
  // little, the more so the fewer agents simulated).
  double distance = 0.0;
  double start_distance = 0.0;
  int degrees_of_freedom = 0;
  int evaluations = 0;
  std::vector<FunnelRowFit> rows;
};

// Calibrates `start` (a validated scenario) to `funnel`. Funnel steps are matched to the
// journey's stages and touchpoints, segments to its personas; every step, segment or parameter
// name the journey does not have is an error in `diagnostics` (nullopt then).
std::optional<Calibration> calibrate(const Scenario& start, const ObservedFunnel& funnel,
                                     const CalibrationOptions& options, Diagnostics& diagnostics);

}  // namespace cjsim
