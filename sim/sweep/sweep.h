// Running a sweep's design points through the engine, and the figures of every point. Every
// point runs with the experiment's seed (common random numbers: agent i of every point shares
// its persona, initial emotion and early draws, so differences between points are the
// parameters' doing, not noise) and replication r of a point is the engine's replication r.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

#include "scenarios/sweep_plan.h"
#include "sim/engine/aggregate.h"
#include "sim/engine/calendar.h"
#include "sim/engine/calendar_summary.h"
#include "sim/engine/engine.h"
#include "sim/engine/summary.h"
#include "sim/sweep/differences.h"
#include "sim/sweep/sensitivity.h"

namespace cjsim {

// The engine's options for a point: the experiment's agents, replications and seed, its
// agents tallied in agent_groups_for(agents) groups too, with the threads, progress and
// cancellation of `base`.
RunOptions point_run_options(const SweepPlan& plan, const RunOptions& base);

// The calendar driver's options for a point of a calendar journey: the experiment's
// replications, seed and warm-up, with the threads and cancellation of `base`.
CalendarOptions point_calendar_options(const SweepPlan& plan, const RunOptions& base);

// A calendar point's journey compiled with its calendar (the experiment's days, when it sets
// them, in place of calendar.days).
CompiledCalendar point_calendar(const SweepPlan& plan, const Scenario& scenario,
                                const CompiledJourney& journey);

// Whether the plan's journeys have a calendar (every base then has one: plan_sweep refuses a
// mix).
bool is_calendar_plan(const SweepPlan& plan);

// Runs one design point; throws RunCancelled when `base.cancel` is raised. A calendar point
// also gives its replications' totals in `calendar` when asked, a plain point its agent
// groups' figures in `groups` (replication by replication; nothing for a calendar point).
std::vector<Aggregate> run_sweep_point(const SweepPlan& plan, std::size_t point,
                                       const RunOptions& base,
                                       std::vector<CalendarTotals>* calendar = nullptr,
                                       std::vector<AgentGroupFigures>* groups = nullptr);

// The figures of each agent group of a run, replication by replication (RunResult::groups).
std::vector<AgentGroupFigures> agent_group_figures(
    std::span<const std::vector<OutcomeSums>> groups);

// How many design points run side by side on `threads` threads: 1 when a point's
// replications have at least as many blocks of agents as there are threads (it keeps them
// busy on its own), else one point per thread. A point's results do not depend on its thread
// count, so this changes the time a sweep takes, never its results.
std::size_t points_side_by_side(std::uint64_t agents, unsigned threads);

// How many design points of `agents` agents and `replications` replications a sweep runs
// in one round on `threads` threads: one when a point keeps the threads busy on its own; else
// enough small points, spread over the threads, for a round to be worth its fixed costs (about
// 2^20 agents' work), at least one per thread. A point's results do not depend on its round.
std::size_t points_per_round(std::uint64_t agents, std::uint32_t replications, unsigned threads);
// The same for a plan: calendar points (whose agents only their arrivals decide) run one per
// thread unless their replications keep the threads busy on their own.
std::size_t points_per_round(const SweepPlan& plan, unsigned threads);

// The scenarios and compiled journeys of design points one after another: a working copy of
// each base scenario takes each point's values (PointScenarios), and a journey compiled once
// per base takes the numbers they change (recompile_values), so that a point costs neither a
// copy of its base nor a compile from scratch; the journey is compile(point_scenario(plan, k)),
// to the bit. One per thread. Made `for_chains`, the journeys are only fit for the chain at
// neutral emotion (recompile_chain_values: what expected_journey_length reads), not for walks.
class PointJourneys {
 public:
  explicit PointJourneys(const SweepPlan& plan, bool for_chains = false)
      : plan_(plan), scenarios_(plan), journeys_(plan.bases.size()), for_chains_(for_chains) {}
  struct Point {
    const Scenario& scenario;
    const CompiledJourney& journey;
  };
  // Valid until the next call.
  Point at(std::size_t point);

 private:
  const SweepPlan& plan_;
  PointScenarios scenarios_;
  std::vector<std::optional<CompiledJourney>> journeys_;
  bool for_chains_ = false;
};

// Runs `points` (any number of them) side by side on base.threads threads
// (0: every core): result j holds point points[j]'s replications, or nothing when base.cancel
// stopped it (the others' are kept). base.progress gets the agents done over all of them.
struct PointFigures {
  HeadlineFigures overall;                    // over the replications, with their intervals
  std::vector<HeadlineFigures> replications;  // each replication on its own
  // A calendar journey's figures of the run and of each resource (no series by day).
  std::optional<CalendarSummary> calendar;
  // A calendar journey's figures in each replication alone, for the paired differences.
  std::vector<CalendarReplicationValues> calendar_replications;
};

// `figures`, when given, gets point points[j]'s figures as point_figures computes them (from
// the journey the point ran, which spares compiling it again), or nothing when it was stopped.
// `journeys`, when given, makes the journey of a round of one point (on the calling thread):
// kept by the caller from round to round, its working copies of the bases spare copying and
// compiling a base for every point. A round of several points makes a working copy per thread.
// `calendar`, when given, gets point points[j]'s replications' calendar totals (empty for a
// plain journey); `groups`, when given, its agent groups' figures (empty for a calendar journey).
std::vector<std::vector<Aggregate>> run_sweep_points(
    const SweepPlan& plan, std::span<const std::size_t> points, const RunOptions& base,
    std::vector<std::optional<PointFigures>>* figures = nullptr,
    PointJourneys* journeys = nullptr,
    std::vector<std::vector<CalendarTotals>>* calendar = nullptr,
    std::vector<std::vector<AgentGroupFigures>>* groups = nullptr);

// The figures of a point from its replications' aggregates (as run_sweep_point returned them).
PointFigures point_figures(const SweepPlan& plan, std::size_t point,
                           std::span<const Aggregate> replications);
// The same with the point's journey compiled already.
PointFigures point_figures(const CompiledJourney& journey,
                           std::span<const Aggregate> replications);
// A calendar point's, from its replications' aggregates and calendar totals: the figures
// `cjsim run` gives of the point's scenario with the same seed, replications and days.
PointFigures calendar_point_figures(const SweepPlan& plan, const CompiledJourney& journey,
                                    const CompiledCalendar& calendar,
                                    std::span<const Aggregate> replications,
                                    std::span<const CalendarTotals> totals);

// What a sweep file stores beside the raw aggregates: every point's figures, every point's
// paired difference from the reference point and, per base scenario, the sensitivity of the
// experiment's metric to each parameter.
struct SweepFigures {
  std::vector<PointFigures> points;
  std::vector<ScenarioSensitivity> sensitivity;
  SweepDifferences differences;
  // [point]: the agent groups' figures the differences and the sensitivity's intervals are
  // paired over; empty when they are paired by replication (calendar journeys, or points of
  // an older cjsim's parts).
  std::vector<std::vector<AgentGroupFigures>> agent_groups;
  std::uint64_t groups_per_replication = 0;
  // Calendar sweeps: [point], the calendar figures' paired differences from the reference.
  std::vector<CalendarPointDifference> calendar_differences;
};
// `results[k]` holds point k's replications; `known[k]`, when there, point k's figures as
// computed already (run_sweep_points), which are then not computed again; `calendar[k]` a
// calendar point's replications' totals (a calendar plan needs them for every point).
// `reference` names the point the differences are taken from (default: sweep_reference's).
// `groups[k]`, point k's agent groups' figures (run_sweep_points): with them for every point
// of a plain journey, the differences and intervals are paired by agent group, else by
// replication; the figures then keep them (`agent_groups`), moved, not copied.
SweepFigures sweep_figures(const SweepPlan& plan, std::span<const std::vector<Aggregate>> results,
                           std::span<const std::optional<PointFigures>> known = {},
                           std::span<const std::vector<CalendarTotals>> calendar = {},
                           std::optional<std::uint64_t> reference = {},
                           std::vector<std::vector<AgentGroupFigures>> groups = {});

// A point's headline figures in kHeadlineFigures order: each replication's values, and the
// figures over the replications.
std::vector<FigureValues> replication_values(const PointFigures& point);
FigureEstimates overall_estimates(const PointFigures& point);

// The headline figure named `metric` (a kHeadlineFigures name); nullptr when there is none.
const NamedFigure* find_headline_figure(std::string_view metric);

}  // namespace cjsim
