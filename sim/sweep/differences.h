// Every design point of a sweep against a reference point, paired: the points run the same
// agents (replication r of every point is the engine's replication r, with the same seed), so
// each replication gives a difference from the reference on the same agents, and the interval
// is Student t across those differences (the pairing of calendar comparisons, MODEL.md 2.9).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "scenarios/sweep_plan.h"
#include "sim/engine/figures.h"
#include "sim/engine/statistics.h"

namespace cjsim {

inline constexpr std::size_t kSweepFigureCount = kHeadlineFigures.size();
// One replication's (or one point's) headline figures, in kHeadlineFigures order.
using FigureValues = std::array<double, kSweepFigureCount>;
using FigureEstimates = std::array<Estimate, kSweepFigureCount>;

// The point a sweep's differences are taken from, and why that one.
struct SweepReference {
  std::size_t point = 0;
  std::string why;  // "named", "base" (the base scenario's own values), "first point"
};

// The reference of a plan: `named` when given (std::runtime_error when it is not a design
// point), else the first point of the first base scenario whose values are the scenario's own
// (the base as written), else point 0.
SweepReference sweep_reference(const SweepPlan& plan, std::optional<std::uint64_t> named);

// Every point's figures minus the reference's, [point][figure].
struct SweepDifferences {
  SweepReference reference;
  std::vector<FigureEstimates> difference;  // paired: Student t across the replications
  // The half-width the same replications would give without the pairing (each point's own
  // interval and the reference's combined as if independent): what the pairing saves.
  std::vector<FigureValues> unpaired_half_width;
};

// `replications[k][r]`: point k's figures in replication r (every point has the same number);
// `overall[k]`: point k's figures over its replications, with their intervals. The reference's
// difference from itself is 0 with a zero-width interval; with one replication other points'
// intervals are undefined (NaN): pairing by replication needs two.
SweepDifferences paired_differences(std::span<const std::vector<FigureValues>> replications,
                                    std::span<const FigureEstimates> overall,
                                    SweepReference reference);

// `figure` of every point in replication r, [r][point] (for the sensitivity's intervals).
std::vector<std::vector<double>> figure_by_replication(
    std::span<const std::vector<FigureValues>> replications, std::size_t figure);

}  // namespace cjsim
