// Every design point of a sweep against a reference point, paired: the points run the same
// agents (agent i of replication r of every point has the same random streams), so a unit of
// the same agents gives a difference from the reference, and the interval is Student t across
// those differences. The units are agent groups in journeys without a calendar, whose agents
// are independent: each replication's agents split into fixed contiguous groups, every
// group's figures tallied apart (a one-replication sweep then has intervals). Calendar
// journeys' agents share queues and staff, so their groups are not independent: their units
// are the replications (the pairing of calendar comparisons, MODEL.md 2.9).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/sweep_plan.h"
#include "sim/engine/calendar_summary.h"
#include "sim/engine/figures.h"
#include "sim/engine/statistics.h"

namespace cjsim {

inline constexpr std::size_t kSweepFigureCount = kHeadlineFigures.size();
// One replication's (or one point's) headline figures, in kHeadlineFigures order.
using FigureValues = std::array<double, kSweepFigureCount>;
using FigureEstimates = std::array<Estimate, kSweepFigureCount>;

// How many groups a replication of `agents` agents is split into: min(kAgentGroups, agents).
// Twenty: enough degrees of freedom for a Student t interval (19 with one replication, whose
// quantile 2.09 is within 7% of the normal's), few enough that every group holds many agents
// at the sizes sweeps run (the linearised ratio below needs groups of more than a handful).
inline constexpr std::uint32_t kAgentGroups = 20;
std::uint32_t agent_groups_for(std::uint64_t agents);

// One group of a replication's agents: its headline figures, and what the ratio figures are
// over (agents, or customers for a figure over those that converted).
struct AgentGroupFigures {
  std::uint64_t agents = 0;
  std::uint64_t customers = 0;
  FigureValues values{};
  friend bool operator==(const AgentGroupFigures&, const AgentGroupFigures&) = default;
};

// The units the differences are paired over: [point][unit], each unit's headline figures.
struct PairedUnits {
  std::string method;       // kAgentGroupsMethod or kReplicationsMethod
  std::uint64_t groups = 0;  // agent groups per replication (0 for replications)
  std::vector<std::vector<FigureValues>> values;
};
inline constexpr const char* kAgentGroupsMethod = "agent groups";
inline constexpr const char* kReplicationsMethod = "replications";
// How the differences' intervals are computed, for people.
std::string pairing_description(const PairedUnits& units);
std::string pairing_description(std::string_view method, std::uint64_t groups,
                                std::uint64_t replications);

// How the sensitivity's intervals are computed with these units, for people.
std::string sensitivity_interval_description(std::string_view method, std::uint64_t groups,
                                             std::uint64_t replications);

// A point's agent groups (replication by replication, kAgentGroups or fewer each) as units:
// each figure is a ratio R = sum Y / sum X over the units (Y a group's figure times X, X its
// agents or customers), and a unit's value is R's linearisation (the delta method),
//   y_u = R + (Y_u - R X_u) / mean X,
// whose mean over the units is R itself and whose spread is the ratio's. Equal-sized groups
// would give each group's own ratio the same weight; these stay right when the sizes differ
// (agents not a multiple of the groups) and when a group has no customers. `overall` gives R.
std::vector<FigureValues> linearised_group_values(std::span<const AgentGroupFigures> groups,
                                                  const FigureEstimates& overall);

// The units of a sweep: agent groups when every point has them (`groups[k]`, as many per
// point), else the replications (`replications[k]`).
PairedUnits paired_units(std::span<const std::vector<FigureValues>> replications,
                         std::span<const std::vector<AgentGroupFigures>> groups,
                         std::span<const FigureEstimates> overall, std::uint64_t groups_per_replication);

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
  std::string method = kReplicationsMethod;  // the units paired (PairedUnits::method)
  std::uint64_t groups = 0;                  // agent groups per replication
  std::vector<FigureEstimates> difference;   // paired: Student t across the units
  // The half-width the same replications would give without the pairing (each point's own
  // interval and the reference's combined as if independent): what the pairing saves.
  std::vector<FigureValues> unpaired_half_width;
};

// `units.values[k][u]`: point k's figures in unit u (every point has the same number);
// `overall[k]`: point k's figures over its replications, with their intervals. The reference's
// difference from itself is 0 with a zero-width interval; with one unit other points'
// intervals are undefined (NaN): pairing needs two.
SweepDifferences paired_differences(const PairedUnits& units,
                                    std::span<const FigureEstimates> overall,
                                    SweepReference reference);
// The same paired by replication: `replications[k][r]`, point k's figures in replication r.
SweepDifferences paired_differences(std::span<const std::vector<FigureValues>> replications,
                                    std::span<const FigureEstimates> overall,
                                    SweepReference reference);

// `figure` of every point in unit (or replication) u, [u][point] (for the sensitivity's
// intervals).
std::vector<std::vector<double>> figure_by_replication(
    std::span<const std::vector<FigureValues>> replications, std::size_t figure);

// The figures of a calendar run a sweep stores per point, with their intervals (the resources'
// are kResourceColumns, sim/engine/calendar_summary.h).
using CalendarPointColumn = std::pair<const char*, Estimate CalendarSummary::*>;
inline constexpr std::array<CalendarPointColumn, 5> kCalendarPointColumns = {{
    {"staff_cost", &CalendarSummary::staff_cost},
    {"organic_agents_per_day", &CalendarSummary::organic_agents_per_day},
    {"referred_per_organic", &CalendarSummary::referred_per_organic},
    {"journeys_per_customer", &CalendarSummary::journeys_per_customer},
    {"lifetime_value", &CalendarSummary::lifetime_value},
}};

// A calendar point's figures in one replication alone: the run's (kCalendarPointColumns
// order) and each resource's (kResourceColumns order), by resource id.
struct CalendarReplicationValues {
  std::vector<double> run;
  std::vector<std::string> resource_ids;
  std::vector<std::vector<double>> resources;  // [resource][column]
};
// The values of a one-replication calendar summary.
CalendarReplicationValues calendar_replication_values(const CalendarSummary& replication);

// A calendar point's figures minus the reference point's, paired by replication (the agents of
// calendar journeys share queues and staff, so agent groups are not independent; replication r
// of every point runs with the same seed): Student t across the replications, none (NaN) with
// one. A resource the reference point lacks has NaN differences.
struct CalendarPointDifference {
  std::vector<Estimate> run;  // kCalendarPointColumns order
  std::vector<std::string> resource_ids;
  std::vector<std::vector<Estimate>> resources;  // [resource][kResourceColumns column]
};
// `replications[k][r]`: point k's values in replication r.
std::vector<CalendarPointDifference> paired_calendar_differences(
    std::span<const std::vector<CalendarReplicationValues>> replications, std::size_t reference);

}  // namespace cjsim
