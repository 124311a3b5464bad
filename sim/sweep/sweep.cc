// Sweep points through the one engine API.
#include "sim/sweep/sweep.h"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <stdexcept>

#include "sim/engine/block_runner.h"
#include "sim/model/compiled_calendar.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {

RunOptions point_run_options(const SweepPlan& plan, const RunOptions& base) {
  RunOptions options;
  options.agents = plan.experiment.agents;
  options.replications = plan.experiment.replications;
  options.seed = plan.experiment.seed;
  options.agent_groups = agent_groups_for(plan.experiment.agents);
  options.threads = base.threads;
  options.progress = base.progress;
  options.cancel = base.cancel;
  return options;
}

CalendarOptions point_calendar_options(const SweepPlan& plan, const RunOptions& base) {
  CalendarOptions options;
  options.seed = plan.experiment.seed;
  options.replications = plan.experiment.replications;
  options.threads = base.threads;
  options.warmup_days = plan.experiment.warmup_days;
  options.cancel = base.cancel;
  return options;
}

CompiledCalendar point_calendar(const SweepPlan& plan, const Scenario& scenario,
                                const CompiledJourney& journey) {
  return compile_calendar(scenario, journey, plan.experiment.days);
}

bool is_calendar_plan(const SweepPlan& plan) {
  return !plan.bases.empty() && plan.bases.front().calendar.has_value();
}

namespace {

// Runs a point's scenario (a plain or a calendar journey) with the point's options; a
// calendar point's totals go to `calendar`.
std::vector<Aggregate> run_point_scenario(const SweepPlan& plan, const Scenario& scenario,
                                          const CompiledJourney& journey, const RunOptions& base,
                                          std::vector<CalendarTotals>* calendar,
                                          std::optional<PointFigures>* figures,
                                          std::vector<AgentGroupFigures>* groups) {
  if (!scenario.calendar) {
    RunResult result = run(journey, point_run_options(plan, base));
    if (figures != nullptr) *figures = point_figures(journey, result.replications);
    if (groups != nullptr) *groups = agent_group_figures(result.groups);
    return std::move(result.replications);
  }
  const CompiledCalendar compiled = point_calendar(plan, scenario, journey);
  CalendarRunResult result = run_calendar(journey, compiled, point_calendar_options(plan, base));
  std::vector<Aggregate> replications;
  std::vector<CalendarTotals> totals;
  for (CalendarReplication& r : result.replications) {
    totals.push_back(calendar_totals(r));
    replications.push_back(std::move(r.aggregate));
  }
  if (figures != nullptr) {
    *figures = calendar_point_figures(plan, journey, compiled, replications, totals);
  }
  if (calendar != nullptr) *calendar = std::move(totals);
  return replications;
}

}  // namespace

std::vector<AgentGroupFigures> agent_group_figures(
    std::span<const std::vector<OutcomeSums>> groups) {
  std::vector<AgentGroupFigures> out;
  for (const std::vector<OutcomeSums>& replication : groups) {
    for (const OutcomeSums& group : replication) {
      const HeadlineFigures h = headline_figures(group);
      AgentGroupFigures& g = out.emplace_back();
      g.agents = h.agents;
      g.customers = h.conversions;
      for (std::size_t f = 0; f < kSweepFigureCount; ++f) {
        g.values[f] = (h.*kHeadlineFigures[f].member).value;
      }
    }
  }
  return out;
}

std::vector<Aggregate> run_sweep_point(const SweepPlan& plan, std::size_t point,
                                       const RunOptions& base,
                                       std::vector<CalendarTotals>* calendar,
                                       std::vector<AgentGroupFigures>* groups) {
  const Scenario scenario = point_scenario(plan, point);
  const CompiledJourney journey = compile(scenario);
  return run_point_scenario(plan, scenario, journey, base, calendar, nullptr, groups);
}

PointJourneys::Point PointJourneys::at(std::size_t point) {
  const Scenario& scenario = scenarios_.at(point);
  std::optional<CompiledJourney>& journey = journeys_.at(plan_.points.at(point).scenario);
  if (journey && for_chains_) {
    recompile_chain_values(scenario, *journey);
  } else if (journey) {
    recompile_values(scenario, *journey);
  } else {
    journey = compile(scenario);
  }
  return {scenario, *journey};
}

std::size_t points_side_by_side(std::uint64_t agents, unsigned threads) {
  return BlockRunner::blocks_for(agents) >= threads ? 1 : threads;
}

std::size_t points_per_round(std::uint64_t agents, std::uint32_t replications, unsigned threads) {
  if (points_side_by_side(agents, threads) == 1) return 1;
  // A round is where finished points can be stored (every --checkpoint seconds): 2^18 agents
  // take a few hundredths of a second on a core, so a kill loses little beyond the checkpoint,
  // and the round's results stay small in memory.
  constexpr std::uint64_t kRoundAgents = std::uint64_t{1} << 18;
  constexpr std::uint64_t kMostPointsPerRound = 4096;  // bounds the round's results in memory
  const std::uint64_t per_point = std::max<std::uint64_t>(agents * replications, 1);
  const std::uint64_t points = std::clamp<std::uint64_t>((kRoundAgents + per_point - 1) / per_point,
                                                         threads, kMostPointsPerRound);
  return static_cast<std::size_t>(points);
}

std::size_t points_per_round(const SweepPlan& plan, unsigned threads) {
  if (!is_calendar_plan(plan)) {
    return points_per_round(plan.experiment.agents, plan.experiment.replications, threads);
  }
  return plan.experiment.replications >= threads ? 1 : threads;
}

std::vector<std::vector<Aggregate>> run_sweep_points(
    const SweepPlan& plan, std::span<const std::size_t> points, const RunOptions& base,
    std::vector<std::optional<PointFigures>>* figures, PointJourneys* journeys,
    std::vector<std::vector<CalendarTotals>>* calendar,
    std::vector<std::vector<AgentGroupFigures>>* groups) {
  const unsigned threads = BlockRunner::threads_for(base.threads);
  const std::size_t count = points.size();
  std::vector<std::vector<Aggregate>> results(count);
  if (figures != nullptr) figures->assign(count, std::nullopt);
  if (calendar != nullptr) calendar->assign(count, {});
  if (groups != nullptr) groups->assign(count, {});
  // Each point reports its own agents done; the sum goes to base.progress.
  std::vector<std::atomic<std::uint64_t>> reported(count);
  std::atomic<std::uint64_t> done_over_all{0};
  const std::uint64_t total = plan.experiment.agents * plan.experiment.replications * count;
  const auto run_one = [&](std::size_t j, PointJourneys& journeys) {
    RunOptions options = base;
    options.threads = count > 1 ? 1 : threads;
    if (base.progress) {
      options.progress = [&, j](std::uint64_t done, std::uint64_t) {
        base.progress(done_over_all += done - reported[j].exchange(done), total);
      };
    }
    // Once cancelled, the round's points not yet started are not started.
    if (is_cancelled(base.cancel)) return;
    try {
      const PointJourneys::Point point = journeys.at(points[j]);
      results[j] = run_point_scenario(plan, point.scenario, point.journey, options,
                                      calendar != nullptr ? &(*calendar)[j] : nullptr,
                                      figures != nullptr ? &(*figures)[j] : nullptr,
                                      groups != nullptr ? &(*groups)[j] : nullptr);
    } catch (const RunCancelled&) {
      // results[j] stays empty: the point was stopped.
    }
  };
  if (count == 1) {
    if (journeys != nullptr) {
      run_one(0, *journeys);
    } else {
      PointJourneys own(plan);
      run_one(0, own);
    }
  } else if (count > 1) {
    const ThreadAllowance allowance(threads);
    tbb::task_arena arena(static_cast<int>(threads));
    // A working copy of the bases per thread, not a copy per point.
    tbb::enumerable_thread_specific<PointJourneys> per_thread(
        [&] { return PointJourneys(plan); });
    arena.execute([&] {
      tbb::parallel_for(std::size_t{0}, count,
                        [&](std::size_t j) { run_one(j, per_thread.local()); });
    });
  }
  return results;
}

PointFigures calendar_point_figures(const SweepPlan& plan, const CompiledJourney& journey,
                                    const CompiledCalendar& calendar,
                                    std::span<const Aggregate> replications,
                                    std::span<const CalendarTotals> totals) {
  const std::int64_t warmup = std::min(plan.experiment.warmup_days, calendar.days);
  PointFigures out;
  out.calendar =
      summarize_calendar_totals(journey, calendar, calendar.days, warmup, replications, totals);
  out.overall = out.calendar->plain.overall;
  for (std::size_t r = 0; r < replications.size(); ++r) {
    const CalendarSummary alone = summarize_calendar_totals(
        journey, calendar, calendar.days, warmup, replications.subspan(r, 1), totals.subspan(r, 1));
    out.replications.push_back(summarize_overall(journey, replications.subspan(r, 1)));
    out.calendar_replications.push_back(calendar_replication_values(alone));
  }
  return out;
}

PointFigures point_figures(const SweepPlan& plan, std::size_t point,
                           std::span<const Aggregate> replications) {
  return point_figures(compile(point_scenario(plan, point)), replications);
}

PointFigures point_figures(const CompiledJourney& journey,
                           std::span<const Aggregate> replications) {
  // A point stored by a cjsim that did not split dropouts: the journey decides the split
  // where only one of giving up and leaving after converting could happen (in a copy; the
  // points this cjsim ran have it, and are summarised as they are).
  std::vector<Aggregate> copy;
  std::span<const Aggregate> filled = replications;
  if (!std::all_of(replications.begin(), replications.end(),
                   [](const Aggregate& a) { return a.split_known(); })) {
    copy.assign(replications.begin(), replications.end());
    for (Aggregate& a : copy) fill_split_from_journey(journey, a);
    filled = copy;
  }
  PointFigures out;
  out.overall = summarize_overall(journey, filled);
  if (filled.size() == 1) {
    out.replications.push_back(out.overall);  // the same call: summarised once
    return out;
  }
  for (const Aggregate& a : filled) {
    out.replications.push_back(summarize_overall(journey, std::span(&a, 1)));
  }
  return out;
}

const NamedFigure* find_headline_figure(std::string_view metric) {
  for (const NamedFigure& f : kHeadlineFigures) {
    if (metric == f.name) return &f;
  }
  return nullptr;
}

std::vector<FigureValues> replication_values(const PointFigures& point) {
  std::vector<FigureValues> out;
  for (const HeadlineFigures& h : point.replications) {
    FigureValues v;
    for (std::size_t f = 0; f < kSweepFigureCount; ++f) v[f] = (h.*kHeadlineFigures[f].member).value;
    out.push_back(v);
  }
  return out;
}

FigureEstimates overall_estimates(const PointFigures& point) {
  FigureEstimates out;
  for (std::size_t f = 0; f < kSweepFigureCount; ++f) {
    out[f] = point.overall.*kHeadlineFigures[f].member;
  }
  return out;
}

SweepFigures sweep_figures(const SweepPlan& plan, std::span<const std::vector<Aggregate>> results,
                           std::span<const std::optional<PointFigures>> known,
                           std::span<const std::vector<CalendarTotals>> calendar,
                           std::optional<std::uint64_t> reference,
                           std::vector<std::vector<AgentGroupFigures>> groups) {
  if (results.size() != plan.points.size() || (!known.empty() && known.size() != results.size())) {
    throw std::logic_error("sweep_figures: a result per design point is needed");
  }
  const bool calendar_plan = is_calendar_plan(plan);
  if (calendar_plan && calendar.size() != results.size()) {
    throw std::logic_error("sweep_figures: calendar totals per design point are needed");
  }
  SweepFigures figures;
  figures.points.resize(plan.points.size());
  // Computed here: the points of a resumed sweep's parts, and of other processes.
  PointJourneys journeys(plan);
  for (std::size_t k = 0; k < plan.points.size(); ++k) {
    if (!known.empty() && known[k]) {
      figures.points[k] = *known[k];
      continue;
    }
    const auto [scenario, journey] = journeys.at(k);
    figures.points[k] =
        calendar_plan ? calendar_point_figures(plan, journey, point_calendar(plan, scenario, journey),
                                               results[k], calendar[k])
                      : point_figures(journey, results[k]);
  }
  const NamedFigure* metric = find_headline_figure(plan.experiment.metric);
  if (metric == nullptr) {
    throw std::logic_error("sweep_figures: the experiment's metric is not a headline figure");
  }
  std::vector<double> y;
  std::vector<std::uint64_t> scenario_of_point;
  std::vector<std::vector<double>> values;
  for (std::size_t k = 0; k < figures.points.size(); ++k) {
    y.push_back((figures.points[k].overall.*metric->member).value);
    scenario_of_point.push_back(plan.points[k].scenario);
    values.push_back(plan.points[k].values);
  }
  std::vector<std::vector<FigureValues>> replications;
  std::vector<FigureEstimates> overall;
  for (const PointFigures& p : figures.points) {
    replications.push_back(replication_values(p));
    overall.push_back(overall_estimates(p));
  }
  // Calendar journeys' agents interact (queues, staff): their groups would not be independent.
  const std::uint64_t per_replication = agent_groups_for(plan.experiment.agents);
  const PairedUnits units =
      paired_units(replications,
                   calendar_plan ? std::span<const std::vector<AgentGroupFigures>>{} : groups,
                   overall, calendar_plan ? 0 : per_replication);
  if (units.method == kAgentGroupsMethod) {
    figures.agent_groups = std::move(groups);
    figures.groups_per_replication = per_replication;
  }
  const std::size_t metric_index = static_cast<std::size_t>(metric - kHeadlineFigures.data());
  figures.sensitivity =
      sweep_sensitivity(design_name(plan.experiment.design), scenario_of_point, values, y,
                        plan.bases.size(), figure_by_replication(units.values, metric_index));
  figures.differences = paired_differences(units, overall, sweep_reference(plan, reference));
  if (calendar_plan) {
    std::vector<std::vector<CalendarReplicationValues>> calendar_values;
    for (const PointFigures& p : figures.points) calendar_values.push_back(p.calendar_replications);
    figures.calendar_differences =
        paired_calendar_differences(calendar_values, figures.differences.reference.point);
  }
  return figures;
}

}  // namespace cjsim
