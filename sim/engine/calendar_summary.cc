// Calendar figures from the replications' tallies.
#include "sim/engine/calendar_summary.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

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

CalendarSummary summarize_calendar(const CompiledJourney& journey, const CompiledCalendar& calendar,
                                   const CalendarRunResult& result) {
  CalendarSummary s;
  std::vector<Aggregate> aggregates;
  for (const CalendarReplication& r : result.replications) aggregates.push_back(r.aggregate);
  s.plain = summarize(journey, aggregates);
  // Waiting costs emotion (MODEL.md, the calendar model): a journey whose touchpoints leave none
  // still has some when a queue has a wait penalty.
  if (std::ranges::any_of(calendar.wait_penalty, [](double p) { return p != 0.0; })) {
    std::erase(s.plain.notes, emotionless_note(journey));
  }
  s.days = result.days;
  s.warmup_days = result.warmup_days;
  for (const CalendarReplication& r : result.replications) {
    s.organic_agents += r.organic_agents;
    s.referred_agents += r.referred_agents;
    s.journeys += r.journeys;
    s.returning_journeys += r.returning_journeys;
    s.deterred += r.deterred;
    s.referrals_made += r.referrals_made;
    s.customers += r.customers;
    s.abandoned += r.aggregate.overall().abandoned;
  }
  if (!result.replications.empty()) {
    s.traced = result.replications.front().traced;
    s.trace = result.replications.front().trace;
  }
  const double measured_days = static_cast<double>(result.days - result.warmup_days);
  s.organic_agents_per_day = over_replications(result, [&](const CalendarReplication& r) {
    return ratio_or_nan(static_cast<double>(r.organic_agents), measured_days);
  });
  s.referred_per_organic = over_defined(result, [](const CalendarReplication& r) {
    return ratio_or_nan(static_cast<double>(r.referred_agents), static_cast<double>(r.organic_agents));
  });
  s.journeys_per_customer = over_defined(result, [](const CalendarReplication& r) {
    return ratio_or_nan(static_cast<double>(r.customer_journeys), static_cast<double>(r.customers));
  });
  s.lifetime_value = over_defined(result, [](const CalendarReplication& r) {
    return ratio_or_nan(r.customer_revenue, static_cast<double>(r.customers));
  });
  s.staff_cost = over_replications(result, [&](const CalendarReplication& r) {
    double cost = 0.0;
    for (std::size_t k = 0; k < r.resources.size(); ++k) {
      cost += r.resources[k].offered_hours * calendar.resources[k].cost_per_hour;
    }
    return cost;
  });

  for (std::size_t k = 0; k < calendar.resources.size(); ++k) {
    ResourceFigures f;
    f.id = calendar.resources[k].id;
    f.lane = calendar.resources[k].lane;
    for (const CalendarReplication& r : result.replications) {
      f.arrivals += r.resources[k].arrivals;
      f.served += r.resources[k].served;
      f.abandoned += r.resources[k].abandoned;
    }
    const auto tally = [k](const CalendarReplication& r) -> const ResourceTally& {
      return r.resources[k];
    };
    f.utilisation = over_defined(result, [&](const CalendarReplication& r) {
      return ratio_or_nan(tally(r).busy_hours, tally(r).offered_hours);
    });
    f.mean_wait_hours = over_defined(result, [&](const CalendarReplication& r) {
      return ratio_or_nan(tally(r).wait_hours, static_cast<double>(tally(r).served + tally(r).abandoned));
    });
    f.p90_wait_hours = over_defined(result, [&](const CalendarReplication& r) {
      return wait_percentile_hours(tally(r).wait_minutes, 0.9);
    });
    f.mean_queue = over_replications(result, [&](const CalendarReplication& r) {
      return tally(r).queue_hours / result.measured_hours();
    });
    f.abandonment_rate = over_defined(result, [&](const CalendarReplication& r) {
      return ratio_or_nan(static_cast<double>(tally(r).abandoned),
                   static_cast<double>(tally(r).served + tally(r).abandoned));
    });
    const double cost = calendar.resources[k].cost_per_hour;
    f.staff_cost = over_replications(
        result, [&](const CalendarReplication& r) { return tally(r).offered_hours * cost; });
    f.offered_hours = over_replications(
        result, [&](const CalendarReplication& r) { return tally(r).offered_hours; });
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
    s.resources.push_back(std::move(f));
  }

  HourOfWeekTally visits;
  for (const CalendarReplication& r : result.replications) visits.merge(r.hour_of_week);
  s.hour_of_week = hour_of_week_rows(journey, visits);

  s.day_figures = series(result, &CalendarReplication::days);
  s.hour_figures = series(result, &CalendarReplication::hours);
  return s;
}

}  // namespace cjsim
