// Calendar figures from the replications' tallies.
#include "sim/engine/calendar_summary.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>

namespace cjsim {
namespace {

// The mean of per-replication values, with a t interval from two replications on.
Estimate across(const std::vector<double>& values) {
  Estimate e = replication_interval(values);
  if (values.size() < 2) e.low = e.high = kNaN;
  return e;
}

template <class Value>
Estimate over_replications(const CalendarRunResult& result, Value value) {
  std::vector<double> values;
  for (const CalendarReplication& r : result.replications) values.push_back(value(r));
  return across(values);
}

// Like over_replications, leaving out replications where the figure is undefined.
template <class Value>
Estimate over_defined(const CalendarRunResult& result, Value value) {
  std::vector<double> values;
  for (const CalendarReplication& r : result.replications) {
    const double x = value(r);
    if (std::isfinite(x)) values.push_back(x);
  }
  if (values.empty()) return {kNaN, kNaN, kNaN};
  return across(values);
}

// The figures of one series of bins (days or hours), bin by bin across replications.
std::vector<DayFigures> series(const CalendarRunResult& result,
                               std::vector<CalendarDay> CalendarReplication::*bins) {
  std::vector<DayFigures> out;
  const std::size_t count = result.replications.empty() ? 0 : (result.replications[0].*bins).size();
  for (std::size_t d = 0; d < count; ++d) {
    DayFigures f;
    f.day = (result.replications[0].*bins)[d].day;
    f.hour = (result.replications[0].*bins)[d].hour;
    const auto bin = [&](const CalendarReplication& r) -> const CalendarDay& {
      return (r.*bins)[d];
    };
    const auto count_of = [&](std::uint64_t CalendarDay::*member) {
      return over_replications(result, [&](const CalendarReplication& r) {
        return static_cast<double>(bin(r).*member);
      });
    };
    f.arrivals_organic = count_of(&CalendarDay::arrivals_organic);
    f.arrivals_referred = count_of(&CalendarDay::arrivals_referred);
    f.arrivals_returning = count_of(&CalendarDay::arrivals_returning);
    f.deterred = count_of(&CalendarDay::deterred);
    f.conversions = count_of(&CalendarDay::conversions);
    f.repeat_purchases = count_of(&CalendarDay::repeat_purchases);
    f.abandoned = count_of(&CalendarDay::abandoned);
    f.revenue =
        over_replications(result, [&](const CalendarReplication& r) { return bin(r).revenue; });
    f.mean_wait_hours = over_defined(result, [&](const CalendarReplication& r) {
      return ratio_or_nan(bin(r).wait_hours, static_cast<double>(bin(r).waits));
    });
    f.nps = over_defined(result, [&](const CalendarReplication& r) {
      const CalendarDay& day = bin(r);
      return ratio_or_nan(
          100.0 * (static_cast<double>(day.promoters) - static_cast<double>(day.detractors)),
          static_cast<double>(day.customers_ended));
    });
    out.push_back(f);
  }
  return out;
}

}  // namespace

std::uint64_t HourOfWeekRow::total() const {
  std::uint64_t n = 0;
  for (const std::uint64_t v : visits) n += v;
  return n;
}

std::vector<HourOfWeekRow> hour_of_week_rows(const CompiledJourney& journey,
                                             const HourOfWeekTally& tally) {
  std::vector<HourOfWeekRow> rows;
  if (tally.touchpoints == 0) return rows;
  const std::size_t pairs = tally.visits.size() / kHoursOfWeek;
  for (std::size_t pair = 0; pair < pairs; ++pair) {
    HourOfWeekRow row;
    row.persona = static_cast<std::uint32_t>(pair / tally.touchpoints);
    row.touchpoint = static_cast<std::uint32_t>(pair % tally.touchpoints);
    row.persona_id = journey.personas.at(row.persona).id;
    row.touchpoint_id = journey.touchpoint_ids.at(row.touchpoint);
    for (std::size_t h = 0; h < kHoursOfWeek; ++h) {
      const std::size_t c = pair * kHoursOfWeek + h;
      row.visits[h] = tally.visits[c];
      row.mean_emotion[h] = ratio_or_nan(tally.emotion[c].value(), static_cast<double>(tally.visits[c]));
    }
    if (row.total() > 0) rows.push_back(row);
  }
  return rows;
}

double wait_percentile_hours(const std::vector<std::uint64_t>& minutes, double fraction) {
  std::uint64_t total = 0;
  for (const std::uint64_t n : minutes) total += n;
  if (total == 0) return kNaN;
  const double target = fraction * static_cast<double>(total);
  double below = 0.0;
  for (std::size_t b = 0; b < minutes.size(); ++b) {
    const auto n = static_cast<double>(minutes[b]);
    if (below + n >= target && n > 0) {
      return (static_cast<double>(b) + (target - below) / n) / 60.0;
    }
    below += n;
  }
  return static_cast<double>(minutes.size()) / 60.0;
}

CalendarTotals calendar_totals(const CalendarReplication& r) {
  CalendarTotals t;
  t.organic_agents = static_cast<double>(r.organic_agents);
  t.referred_agents = static_cast<double>(r.referred_agents);
  t.journeys = static_cast<double>(r.journeys);
  t.returning_journeys = static_cast<double>(r.returning_journeys);
  t.deterred = static_cast<double>(r.deterred);
  t.referrals_made = static_cast<double>(r.referrals_made);
  t.customers = static_cast<double>(r.customers);
  t.customer_journeys = static_cast<double>(r.customer_journeys);
  t.customer_revenue = r.customer_revenue;
  for (const ResourceTally& tally : r.resources) {
    CalendarResourceTotals k;
    k.arrivals = static_cast<double>(tally.arrivals);
    k.served = static_cast<double>(tally.served);
    k.abandoned = static_cast<double>(tally.abandoned);
    k.offered_hours = tally.offered_hours;
    k.busy_hours = tally.busy_hours;
    k.queue_hours = tally.queue_hours;
    k.wait_hours = tally.wait_hours;
    k.p90_wait_hours = wait_percentile_hours(tally.wait_minutes, 0.9);
    t.resources.push_back(k);
  }
  return t;
}

CalendarSummary summarize_calendar_totals(const CompiledJourney& journey,
                                          const CompiledCalendar& calendar, std::int64_t days,
                                          std::int64_t warmup_days,
                                          std::span<const Aggregate> aggregates,
                                          std::span<const CalendarTotals> totals) {
  if (aggregates.size() != totals.size()) {
    throw std::logic_error("summarize_calendar_totals: an aggregate and totals per replication");
  }
  for (const CalendarTotals& t : totals) {
    if (t.resources.size() != calendar.resources.size()) {
      throw std::logic_error("summarize_calendar_totals: totals of another calendar's resources");
    }
  }
  const auto count = [](double x) { return static_cast<std::uint64_t>(x); };
  // The mean of a value of every replication's totals (undefined ones left out when `defined`).
  const auto over = [&](auto value, bool defined) {
    std::vector<double> values;
    for (const CalendarTotals& t : totals) {
      const double x = value(t);
      if (!defined || std::isfinite(x)) values.push_back(x);
    }
    if (defined && values.empty()) return Estimate{kNaN, kNaN, kNaN};
    return across(values);
  };
  CalendarSummary s;
  s.plain = summarize(journey, aggregates);
  // Waiting costs emotion (MODEL.md, the calendar model): a journey whose touchpoints leave none
  // still has some when a queue has a wait penalty.
  if (std::ranges::any_of(calendar.wait_penalty, [](double p) { return p != 0.0; })) {
    std::erase(s.plain.notes, emotionless_note(journey));
  }
  s.days = days;
  s.warmup_days = warmup_days;
  for (std::size_t r = 0; r < totals.size(); ++r) {
    const CalendarTotals& t = totals[r];
    s.organic_agents += count(t.organic_agents);
    s.referred_agents += count(t.referred_agents);
    s.journeys += count(t.journeys);
    s.returning_journeys += count(t.returning_journeys);
    s.deterred += count(t.deterred);
    s.referrals_made += count(t.referrals_made);
    s.customers += count(t.customers);
    s.abandoned += aggregates[r].overall().abandoned;
  }
  const double measured_days = static_cast<double>(days - warmup_days);
  const double measured_hours = measured_days * 24.0;
  s.organic_agents_per_day = over(
      [&](const CalendarTotals& t) { return ratio_or_nan(t.organic_agents, measured_days); },
      false);
  s.referred_per_organic = over(
      [](const CalendarTotals& t) { return ratio_or_nan(t.referred_agents, t.organic_agents); },
      true);
  s.journeys_per_customer = over(
      [](const CalendarTotals& t) { return ratio_or_nan(t.customer_journeys, t.customers); },
      true);
  s.lifetime_value = over(
      [](const CalendarTotals& t) { return ratio_or_nan(t.customer_revenue, t.customers); },
      true);
  s.staff_cost = over(
      [&](const CalendarTotals& t) {
        double cost = 0.0;
        for (std::size_t k = 0; k < t.resources.size(); ++k) {
          cost += t.resources[k].offered_hours * calendar.resources[k].cost_per_hour;
        }
        return cost;
      },
      false);

  for (std::size_t k = 0; k < calendar.resources.size(); ++k) {
    ResourceFigures f;
    f.id = calendar.resources[k].id;
    f.lane = calendar.resources[k].lane;
    for (const CalendarTotals& t : totals) {
      f.arrivals += count(t.resources[k].arrivals);
      f.served += count(t.resources[k].served);
      f.abandoned += count(t.resources[k].abandoned);
    }
    const auto of = [&](auto value, bool defined) {
      return over([&](const CalendarTotals& t) { return value(t.resources[k]); }, defined);
    };
    using R = const CalendarResourceTotals&;
    f.utilisation = of([](R r) { return ratio_or_nan(r.busy_hours, r.offered_hours); }, true);
    f.mean_wait_hours =
        of([](R r) { return ratio_or_nan(r.wait_hours, r.served + r.abandoned); }, true);
    f.p90_wait_hours = of([](R r) { return r.p90_wait_hours; }, true);
    f.mean_queue = of([&](R r) { return r.queue_hours / measured_hours; }, false);
    f.abandonment_rate =
        of([](R r) { return ratio_or_nan(r.abandoned, r.served + r.abandoned); }, true);
    const double cost = calendar.resources[k].cost_per_hour;
    f.staff_cost = of([&](R r) { return r.offered_hours * cost; }, false);
    f.offered_hours = of([](R r) { return r.offered_hours; }, false);
    s.resources.push_back(std::move(f));
  }
  return s;
}

CalendarSummary summarize_calendar(const CompiledJourney& journey, const CompiledCalendar& calendar,
                                   const CalendarRunResult& result) {
  std::vector<Aggregate> aggregates;
  std::vector<CalendarTotals> totals;
  for (const CalendarReplication& r : result.replications) {
    aggregates.push_back(r.aggregate);
    totals.push_back(calendar_totals(r));
  }
  CalendarSummary s = summarize_calendar_totals(journey, calendar, result.days,
                                                result.warmup_days, aggregates, totals);
  if (!result.replications.empty()) {
    s.traced = result.replications.front().traced;
    s.trace = result.replications.front().trace;
  }
  for (std::size_t k = 0; k < calendar.resources.size(); ++k) {
    ResourceFigures& f = s.resources[k];
    const auto tally = [k](const CalendarReplication& r) -> const ResourceTally& {
      return r.resources[k];
    };
    const double cost = calendar.resources[k].cost_per_hour;
    const std::size_t day_count =
        result.replications.empty() ? 0 : result.replications[0].days.size();
    for (std::size_t d = 0; d < day_count; ++d) {
      ResourceDayFigures day;
      day.day = result.replications[0].days[d].day;
      const auto on = [&](const CalendarReplication& r) -> const ResourceDay& {
        return tally(r).days[d];
      };
      day.utilisation = over_defined(result, [&](const CalendarReplication& r) {
        return ratio_or_nan(on(r).busy_hours, on(r).offered_hours);
      });
      day.mean_queue = over_replications(
          result, [&](const CalendarReplication& r) { return on(r).queue_hours / 24.0; });
      day.mean_wait_hours = over_defined(result, [&](const CalendarReplication& r) {
        return ratio_or_nan(on(r).wait_hours, static_cast<double>(on(r).waits));
      });
      day.abandoned = over_replications(result, [&](const CalendarReplication& r) {
        return static_cast<double>(on(r).abandoned);
      });
      day.staff_cost = over_replications(
          result, [&](const CalendarReplication& r) { return on(r).offered_hours * cost; });
      f.days.push_back(day);
    }
  }

  HourOfWeekTally visits;
  for (const CalendarReplication& r : result.replications) visits.merge(r.hour_of_week);
  s.hour_of_week = hour_of_week_rows(journey, visits);

  s.day_figures = series(result, &CalendarReplication::days);
  s.hour_figures = series(result, &CalendarReplication::hours);
  return s;
}

}  // namespace cjsim
