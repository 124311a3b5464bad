// Paired differences of a sweep's points from a reference point.
#include "sim/sweep/differences.h"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "scenarios/parameter_path.h"

namespace cjsim {

SweepReference sweep_reference(const SweepPlan& plan, std::optional<std::uint64_t> named) {
  if (named) {
    if (*named >= plan.points.size()) {
      throw std::runtime_error(fmt::format(
          "--reference {}: there is no such design point (points 0 to {})", *named,
          plan.points.size() - 1));
    }
    return {static_cast<std::size_t>(*named), "named"};
  }
  const auto& parameters = plan.experiment.parameters;
  for (std::size_t k = 0; k < plan.points.size(); ++k) {
    const SweepPoint& point = plan.points[k];
    if (point.scenario != 0) break;
    bool base = true;
    for (std::size_t j = 0; j < parameters.size() && base; ++j) {
      base = point.values[j] == parameter_value(plan.bases[0], parameters[j].path);
    }
    if (base) return {k, "base"};
  }
  return {0, "first point"};
}

SweepDifferences paired_differences(std::span<const std::vector<FigureValues>> replications,
                                    std::span<const FigureEstimates> overall,
                                    SweepReference reference) {
  if (replications.size() != overall.size() || reference.point >= overall.size()) {
    throw std::logic_error("paired_differences: a reference among the points is needed");
  }
  SweepDifferences out;
  out.reference = reference;
  const std::vector<FigureValues>& base = replications[reference.point];
  const FigureEstimates& base_overall = overall[reference.point];
  for (std::size_t k = 0; k < replications.size(); ++k) {
    if (replications[k].size() != base.size()) {
      throw std::logic_error("paired_differences: points with different replications");
    }
    FigureEstimates difference;
    FigureValues unpaired;
    for (std::size_t f = 0; f < kSweepFigureCount; ++f) {
      std::vector<double> d;
      for (std::size_t r = 0; r < base.size(); ++r) d.push_back(replications[k][r][f] - base[r][f]);
      difference[f] = replication_interval(d);
      const Estimate& e = overall[k][f];
      const Estimate& b = base_overall[f];
      const double point_half = (e.high - e.low) / 2, base_half = (b.high - b.low) / 2;
      unpaired[f] = std::sqrt(point_half * point_half + base_half * base_half);
      if (k == reference.point) {
        unpaired[f] = std::isfinite(difference[f].value) ? unpaired[f] : kNaN;
      } else if (base.size() < 2) {
        // One difference tells nothing of its noise (replication_interval gives it zero width).
        difference[f].low = difference[f].high = kNaN;
        unpaired[f] = kNaN;
      }
    }
    out.difference.push_back(difference);
    out.unpaired_half_width.push_back(unpaired);
  }
  return out;
}

std::vector<std::vector<double>> figure_by_replication(
    std::span<const std::vector<FigureValues>> replications, std::size_t figure) {
  std::vector<std::vector<double>> out;
  if (replications.empty()) return out;
  out.assign(replications.front().size(), std::vector<double>(replications.size()));
  for (std::size_t k = 0; k < replications.size(); ++k) {
    for (std::size_t r = 0; r < replications[k].size() && r < out.size(); ++r) {
      out[r][k] = replications[k][r][figure];
    }
  }
  return out;
}

}  // namespace cjsim
