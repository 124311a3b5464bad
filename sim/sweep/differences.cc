// Paired differences of a sweep's points from a reference point.
#include "sim/sweep/differences.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "scenarios/parameter_path.h"

namespace cjsim {

std::uint32_t agent_groups_for(std::uint64_t agents) {
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(kAgentGroups, agents));
}

std::string pairing_description(std::string_view method, std::uint64_t groups,
                                std::uint64_t replications) {
  if (method == kAgentGroupsMethod) {
    return fmt::format(
        "paired by agent group: each replication's agents split into {} fixed groups (the same "
        "agents at every point), each group's figure minus the reference point's on the same "
        "agents (a ratio figure linearised), Student t across the {} groups",
        groups, groups * replications);
  }
  return "paired by replication: each replication's figure minus the reference point's on the "
         "same agents, Student t across the replications";
}

std::string sensitivity_interval_description(std::string_view method, std::uint64_t groups,
                                             std::uint64_t replications) {
  if (method == kAgentGroupsMethod) {
    return fmt::format(
        "from the agent groups: the swing computed on each of the {} groups' figures alone (a "
        "ratio figure linearised), Student t across them; the coefficient's interval is the "
        "swing's scaled",
        groups * replications);
  }
  return "from the replications: the swing computed on each replication's figures alone, "
         "Student t across the replications; the coefficient's interval is the swing's scaled";
}

std::string pairing_description(const PairedUnits& units) {
  const std::size_t count = units.values.empty() ? 0 : units.values.front().size();
  return pairing_description(units.method, units.groups,
                             units.groups == 0 ? count : count / units.groups);
}

std::vector<FigureValues> linearised_group_values(std::span<const AgentGroupFigures> groups,
                                                  const FigureEstimates& overall) {
  // A sweep linearises every point's groups: each figure's mean of what it is over (agents or
  // customers) is one of two, summed once in the groups' order, and each group's row is
  // written whole.
  double total_agents = 0.0, total_customers = 0.0;
  for (const AgentGroupFigures& g : groups) {
    total_agents += static_cast<double>(g.agents);
    total_customers += static_cast<double>(g.customers);
  }
  const double units = static_cast<double>(groups.size());
  const double mean_agents = total_agents / units, mean_customers = total_customers / units;
  std::vector<FigureValues> out(groups.size());
  for (std::size_t u = 0; u < groups.size(); ++u) {
    const AgentGroupFigures& g = groups[u];
    const double agents = static_cast<double>(g.agents);
    const double customers = static_cast<double>(g.customers);
    for (std::size_t f = 0; f < kSweepFigureCount; ++f) {
      const bool over_customers = kHeadlineFigures[f].over == Over::customers;
      const double x = over_customers ? customers : agents;
      const double mean_over = over_customers ? mean_customers : mean_agents;
      const double ratio = overall[f].value;
      // A group with nothing to be over (no customers) adds nothing to the ratio's sums.
      const double y = x > 0.0 ? g.values[f] * x : 0.0;
      out[u][f] = mean_over > 0.0 ? ratio + (y - ratio * x) / mean_over : kNaN;
    }
  }
  return out;
}

PairedUnits paired_units(std::span<const std::vector<FigureValues>> replications,
                         std::span<const std::vector<AgentGroupFigures>> groups,
                         std::span<const FigureEstimates> overall,
                         std::uint64_t groups_per_replication) {
  if (replications.size() != overall.size()) {
    throw std::logic_error("paired_units: figures for every point are needed");
  }
  bool grouped = groups_per_replication > 0 && groups.size() == replications.size() &&
                 !groups.empty();
  for (std::size_t k = 0; k < groups.size() && grouped; ++k) {
    grouped = !groups[k].empty() &&
              groups[k].size() == replications[k].size() * groups_per_replication;
  }
  PairedUnits out;
  if (!grouped) {
    out.method = kReplicationsMethod;
    out.values.assign(replications.begin(), replications.end());
    return out;
  }
  out.method = kAgentGroupsMethod;
  out.groups = groups_per_replication;
  for (std::size_t k = 0; k < groups.size(); ++k) {
    out.values.push_back(linearised_group_values(groups[k], overall[k]));
  }
  return out;
}

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
  PairedUnits units;
  units.method = kReplicationsMethod;
  units.values.assign(replications.begin(), replications.end());
  return paired_differences(units, overall, reference);
}

SweepDifferences paired_differences(const PairedUnits& units,
                                    std::span<const FigureEstimates> overall,
                                    SweepReference reference) {
  const std::vector<std::vector<FigureValues>>& replications = units.values;
  if (replications.size() != overall.size() || reference.point >= overall.size()) {
    throw std::logic_error("paired_differences: a reference among the points is needed");
  }
  SweepDifferences out;
  out.reference = reference;
  out.method = units.method;
  out.groups = units.groups;
  const std::vector<FigureValues>& base = replications[reference.point];
  const FigureEstimates& base_overall = overall[reference.point];
  out.difference.reserve(replications.size());
  out.unpaired_half_width.reserve(replications.size());
  std::vector<double> d;  // one figure's differences, unit by unit (reused)
  d.reserve(base.size());
  for (std::size_t k = 0; k < replications.size(); ++k) {
    if (replications[k].size() != base.size()) {
      throw std::logic_error("paired_differences: points with different replications");
    }
    FigureEstimates difference;
    FigureValues unpaired;
    for (std::size_t f = 0; f < kSweepFigureCount; ++f) {
      d.clear();
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

CalendarReplicationValues calendar_replication_values(const CalendarSummary& replication) {
  CalendarReplicationValues out;
  for (const auto& [name, member] : kCalendarPointColumns) {
    out.run.push_back((replication.*member).value);
  }
  for (const ResourceFigures& r : replication.resources) {
    out.resource_ids.push_back(r.id);
    std::vector<double>& values = out.resources.emplace_back();
    for (const auto& [name, member] : kResourceColumns) values.push_back((r.*member).value);
  }
  return out;
}

namespace {

// Student t across the replications' differences `a[r] - b[r]` (values of replication r);
// exactly 0 with [0, 0] where they are the same, no interval from one replication.
Estimate paired(std::span<const double> a, std::span<const double> b, bool itself) {
  std::vector<double> d;
  for (std::size_t r = 0; r < a.size(); ++r) d.push_back(a[r] - b[r]);
  Estimate e = replication_interval(d);
  if (!itself && a.size() < 2) e.low = e.high = kNaN;
  return e;
}

}  // namespace

std::vector<CalendarPointDifference> paired_calendar_differences(
    std::span<const std::vector<CalendarReplicationValues>> replications, std::size_t reference) {
  if (reference >= replications.size()) {
    throw std::logic_error("paired_calendar_differences: a reference among the points is needed");
  }
  const std::vector<CalendarReplicationValues>& base = replications[reference];
  std::vector<CalendarPointDifference> out;
  for (std::size_t k = 0; k < replications.size(); ++k) {
    const std::vector<CalendarReplicationValues>& mine = replications[k];
    if (mine.size() != base.size() || mine.empty()) {
      throw std::logic_error("paired_calendar_differences: points with different replications");
    }
    const bool itself = k == reference;
    CalendarPointDifference& d = out.emplace_back();
    const auto column = [](const std::vector<CalendarReplicationValues>& point, auto value) {
      std::vector<double> values;
      for (const CalendarReplicationValues& r : point) values.push_back(value(r));
      return values;
    };
    for (std::size_t c = 0; c < kCalendarPointColumns.size(); ++c) {
      const auto run = [c](const CalendarReplicationValues& r) { return r.run.at(c); };
      d.run.push_back(paired(column(mine, run), column(base, run), itself));
    }
    d.resource_ids = mine.front().resource_ids;
    for (std::size_t i = 0; i < d.resource_ids.size(); ++i) {
      const auto& ids = base.front().resource_ids;
      const auto found = std::find(ids.begin(), ids.end(), d.resource_ids[i]);
      std::vector<Estimate>& resource = d.resources.emplace_back();
      for (std::size_t c = 0; c < kResourceColumns.size(); ++c) {
        if (found == ids.end()) {
          resource.push_back({kNaN, kNaN, kNaN});
          continue;
        }
        const auto at = static_cast<std::size_t>(found - ids.begin());
        const auto of_mine = [&](const CalendarReplicationValues& r) { return r.resources.at(i).at(c); };
        const auto of_base = [&](const CalendarReplicationValues& r) { return r.resources.at(at).at(c); };
        resource.push_back(paired(column(mine, of_mine), column(base, of_base), itself));
      }
    }
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
