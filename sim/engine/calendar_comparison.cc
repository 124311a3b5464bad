// Paired differences of calendar figures, replication by replication.
#include "sim/engine/calendar_comparison.h"

#include <cmath>
#include <functional>
#include <limits>

#include "sim/engine/calendar_figures.h"
#include "sim/engine/calendar_summary.h"

namespace cjsim {
namespace {

using CalendarFigure = std::function<double(const CalendarReplication&)>;

struct Moments {
  double mean = kNaN;
  double variance = kNaN;  // sample variance
  std::size_t n = 0;
};

Moments moments(const std::vector<double>& xs) {
  Moments m;
  m.n = xs.size();
  if (xs.empty()) return m;
  double sum = 0.0;
  for (const double x : xs) sum += x;
  m.mean = sum / static_cast<double>(xs.size());
  if (xs.size() < 2) return m;
  double squares = 0.0;
  for (const double x : xs) squares += (x - m.mean) * (x - m.mean);
  m.variance = squares / static_cast<double>(xs.size() - 1);
  return m;
}

Estimate with_half_width(double mean, double half) { return {mean, mean - half, mean + half}; }

// The replications where both figures are defined.
CalendarDifference compare(const std::string& name, const std::string& resource,
                           const std::vector<CalendarReplication>& current,
                           const CalendarFigure& current_figure,
                           const std::vector<CalendarReplication>& future,
                           const CalendarFigure& future_figure) {
  std::vector<double> c, f, d;
  for (std::size_t r = 0; r < current.size() && r < future.size(); ++r) {
    const double x = current_figure(current[r]);
    const double y = future_figure(future[r]);
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    c.push_back(x);
    f.push_back(y);
    d.push_back(y - x);
  }
  CalendarDifference out;
  out.figure = name;
  out.resource = resource;
  const Moments mc = moments(c), mf = moments(f), md = moments(d);
  const double n = static_cast<double>(md.n);
  const double t = md.n >= 2 ? student_t95(n - 1) : kNaN;
  out.paired_half_width = t * std::sqrt(md.variance / n);
  out.independent_half_width =
      md.n >= 2 ? student_t95(2 * n - 2) * std::sqrt((mc.variance + mf.variance) / n) : kNaN;
  out.current = with_half_width(mc.mean, t * std::sqrt(mc.variance / n));
  out.future = with_half_width(mf.mean, t * std::sqrt(mf.variance / n));
  out.difference = with_half_width(md.mean, out.paired_half_width);
  return out;
}

// The run's figures, per replication: rates per journey, counts, money.
std::vector<std::pair<std::string, CalendarFigure>> run_figures(const CompiledCalendar& calendar) {
  const auto overall = [](const CalendarReplication& r) { return r.aggregate.overall(); };
  return {
      {"conversion_rate",
       [=](const CalendarReplication& r) {
         const OutcomeSums o = overall(r);
         return ratio_or_nan(static_cast<double>(o.conversions), static_cast<double>(o.agents));
       }},
      {"revenue_per_journey",
       [=](const CalendarReplication& r) {
         const OutcomeSums o = overall(r);
         return ratio_or_nan(o.revenue.value(), static_cast<double>(o.agents));
       }},
      {"abandonment_rate",
       [=](const CalendarReplication& r) {
         const OutcomeSums o = overall(r);
         return ratio_or_nan(static_cast<double>(o.abandoned), static_cast<double>(o.agents));
       }},
      // Journeys that dropped out before converting (not those that gave up waiting).
      {"gave_up_rate",
       [=](const CalendarReplication& r) {
         const OutcomeSums o = overall(r);
         if (!o.split_known) return kNaN;
         const std::uint64_t dropped = o.ended[static_cast<int>(Ending::dropped)];
         return ratio_or_nan(static_cast<double>(dropped - o.left_after_converting),
                             static_cast<double>(o.agents));
       }},
      {"nps",
       [=](const CalendarReplication& r) {
         const OutcomeSums o = overall(r);
         return ratio_or_nan(
             100.0 * (static_cast<double>(o.promoters) - static_cast<double>(o.detractors)),
             static_cast<double>(o.conversions));
       }},
      {"journeys", [](const CalendarReplication& r) { return static_cast<double>(r.journeys); }},
      {"organic_agents",
       [](const CalendarReplication& r) { return static_cast<double>(r.organic_agents); }},
      {"referred_agents",
       [](const CalendarReplication& r) { return static_cast<double>(r.referred_agents); }},
      {"deterred", [](const CalendarReplication& r) { return static_cast<double>(r.deterred); }},
      {"journeys_per_customer",
       [](const CalendarReplication& r) {
         return ratio_or_nan(static_cast<double>(r.customer_journeys), static_cast<double>(r.customers));
       }},
      {"lifetime_value",
       [](const CalendarReplication& r) {
         return ratio_or_nan(r.customer_revenue, static_cast<double>(r.customers));
       }},
      {"staff_cost",
       [&calendar](const CalendarReplication& r) {
         double cost = 0.0;
         for (std::size_t k = 0; k < r.resources.size(); ++k) {
           cost += r.resources[k].offered_hours * calendar.resources[k].cost_per_hour;
         }
         return cost;
       }},
  };
}

// One resource's figures, per replication, for the resource at `index` of its journey.
std::vector<std::pair<std::string, CalendarFigure>> resource_figures(const CompiledCalendar& calendar,
                                                             std::size_t index,
                                                             double measured_hours) {
  const auto tally = [index](const CalendarReplication& r) -> const ResourceTally& {
    return r.resources[index];
  };
  const double cost = calendar.resources[index].cost_per_hour;
  return {
      {"utilisation",
       [=](const CalendarReplication& r) {
         return ratio_or_nan(tally(r).busy_hours, tally(r).offered_hours);
       }},
      {"mean_wait_hours",
       [=](const CalendarReplication& r) {
         return ratio_or_nan(tally(r).wait_hours,
                      static_cast<double>(tally(r).served + tally(r).abandoned));
       }},
      {"p90_wait_hours",
       [=](const CalendarReplication& r) {
         return wait_percentile_hours(tally(r).wait_minutes, 0.9);
       }},
      {"mean_queue",
       [=](const CalendarReplication& r) { return tally(r).queue_hours / measured_hours; }},
      {"abandoned",
       [=](const CalendarReplication& r) { return static_cast<double>(tally(r).abandoned); }},
      {"staff_cost", [=](const CalendarReplication& r) { return tally(r).offered_hours * cost; }},
  };
}

}  // namespace

std::vector<CalendarDifference> calendar_differences(const CalendarRunResult& current,
                                                     const CompiledCalendar& current_calendar,
                                                     const CalendarRunResult& future,
                                                     const CompiledCalendar& future_calendar) {
  std::vector<CalendarDifference> out;
  const auto current_figures = run_figures(current_calendar);
  const auto future_figures = run_figures(future_calendar);
  for (std::size_t k = 0; k < current_figures.size(); ++k) {
    out.push_back(compare(current_figures[k].first, "", current.replications,
                          current_figures[k].second, future.replications,
                          future_figures[k].second));
  }
  for (std::size_t a = 0; a < current_calendar.resources.size(); ++a) {
    for (std::size_t b = 0; b < future_calendar.resources.size(); ++b) {
      if (current_calendar.resources[a].id != future_calendar.resources[b].id) continue;
      const auto before = resource_figures(current_calendar, a, current.measured_hours());
      const auto after = resource_figures(future_calendar, b, future.measured_hours());
      for (std::size_t k = 0; k < before.size(); ++k) {
        out.push_back(compare(before[k].first, current_calendar.resources[a].id,
                              current.replications, before[k].second, future.replications,
                              after[k].second));
      }
    }
  }
  return out;
}

std::vector<Difference> plain_differences(const std::vector<CalendarDifference>& differences,
                                          std::size_t scenario, std::size_t versus) {
  std::vector<Difference> out;
  for (const CalendarDifference& d : differences) {
    Difference p;
    p.metric = d.figure;
    p.scope = d.resource.empty() ? "overall" : "resource " + d.resource;
    p.scenario = scenario;
    p.versus = versus;
    p.current = d.current;
    p.future = d.future;
    p.difference = d.difference;
    p.paired_half_width = d.paired_half_width;
    p.independent_half_width = d.independent_half_width;
    p.significant =
        std::isfinite(d.difference.low) && (d.difference.low > 0.0 || d.difference.high < 0.0);
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<std::string> calendar_run_difference_names() {
  std::vector<std::string> out;
  for (const auto& [name, figure] : run_figures(CompiledCalendar{})) out.push_back(name);
  return out;
}

std::vector<std::string> calendar_resource_difference_names() {
  CompiledCalendar one;  // the figures are the same for every resource
  one.resources.emplace_back();
  std::vector<std::string> out;
  for (const auto& [name, figure] : resource_figures(one, 0, 0.0)) out.push_back(name);
  return out;
}

RankedFigure ranked_figure(std::string_view name) {
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || dot == 0 ||
      find_calendar_figure(name.substr(dot + 1)) == nullptr) {
    return {"", name};
  }
  return {name.substr(0, dot), name.substr(dot + 1)};
}

bool ranked_lower_is_better(std::string_view name) {
  return any_lower_is_better(ranked_figure(name).figure);
}

bool is_difference_of(const Difference& d, std::string_view name) {
  const RankedFigure r = ranked_figure(name);
  if (d.metric != r.figure) return false;
  if (r.resource.empty()) return d.scope == "overall";
  constexpr std::string_view kResource = "resource ";
  return d.scope.size() == kResource.size() + r.resource.size() &&
         d.scope.starts_with(kResource) && d.scope.ends_with(r.resource);
}

}  // namespace cjsim
