// Queues from lifecycle transitions: waits, service, abandonment, patience and busy servers
// (models/fit/queue_fit.h).
#include "models/fit/queue_fit.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <cmath>
#include <deque>
#include <map>
#include <numeric>
#include <tuple>

namespace cjsim {
namespace {

constexpr double kSecondsPerHour = 3600.0;

// 1970-01-01 was a Thursday: Monday-first weekday 3 (as arrival_fit.cc counts them).
int weekday_of_day(std::int64_t day) { return static_cast<int>(((day + 3) % 7 + 7) % 7); }

// Hours since 1970-01-01 on the data's clock, and the hour of the week such an hour falls in.
std::int64_t hour_of(double clock) {
  return static_cast<std::int64_t>(std::floor(clock / kSecondsPerHour));
}
int hour_of_week(std::int64_t hour) {
  const std::int64_t day = hour >= 0 ? hour / 24 : (hour - 23) / 24;
  return weekday_of_day(day) * kHoursPerDay + static_cast<int>(hour - day * 24);
}

// The smallest value with at least `level` of `values` at or below it (sorts them).
double quantile(std::vector<double>& values, double level) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<std::size_t>(std::ceil(level * static_cast<double>(values.size())));
  return values[std::clamp<std::size_t>(rank, 1, values.size()) - 1];
}

struct Tally {
  std::vector<double> served_waits;  // hours
  double abandoned_hours = 0.0;
  std::vector<std::pair<double, double>> services;  // clock seconds: start, complete
};

// One customer's events of one activity instance, in time order: queued instances, open
// services and what they came to.
void pair_instance(const std::vector<const LifecycleEvent*>& events, double customer_last,
                   QueueFit& fit, Tally& tally) {
  std::deque<double> queued;  // seconds at which each waiting instance was queued
  std::deque<double> open;    // clock seconds at which each open service started
  const auto abandon = [&](double at) {
    const double hours = std::max(0.0, (at - queued.front()) / kSecondsPerHour);
    queued.pop_front();
    ++fit.abandoned;
    tally.abandoned_hours += hours;
  };
  for (const LifecycleEvent* e : events) {
    switch (e->transition) {
      case LifecycleTransition::assign:
        if (!queued.empty()) break;  // assigned while already queued: the same wait
        [[fallthrough]];
      case LifecycleTransition::schedule:
        queued.push_back(e->seconds);
        ++fit.queued;
        break;
      case LifecycleTransition::start:
        if (!queued.empty()) {
          tally.served_waits.push_back(
              std::max(0.0, (e->seconds - queued.front()) / kSecondsPerHour));
          queued.pop_front();
          ++fit.served;
        }
        open.push_back(e->clock);
        break;
      case LifecycleTransition::complete:
        if (open.empty()) break;
        tally.services.emplace_back(open.front(), std::max(open.front(), e->clock));
        open.pop_front();
        break;
      case LifecycleTransition::withdraw:
        if (!queued.empty()) abandon(e->seconds);
        break;
      case LifecycleTransition::other:
        break;
    }
  }
  while (!queued.empty()) abandon(std::max(customer_last, queued.front()));
}

// Patience by maximum likelihood from the censored waits, with its 95% interval: the
// abandonment rate's likelihood is a Poisson one in the abandonments over the hours waited,
// whose exact (Garwood) interval is inverted for the mean.
void fit_patience(QueueFit& fit) {
  if (fit.abandoned == 0) {
    fit.patience_note = fmt::format(
        "no instance of the {} queued was abandoned: the patience is unbounded as far as the "
        "data tell, and none is written",
        fit.queued);
    return;
  }
  if (fit.total_wait_hours <= 0.0) {
    fit.patience_note =
        "no instance queued waited any time (the abandoned left the moment they were queued): "
        "the patience is not identified, and none is written";
    return;
  }
  const double d = static_cast<double>(fit.abandoned);
  const double w = fit.total_wait_hours;
  fit.patience_fitted = true;
  fit.patience_hours = w / d;
  fit.patience_se = fit.patience_hours / std::sqrt(d);
  const boost::math::chi_squared lower(2.0 * d), upper(2.0 * d + 2.0);
  const double rate_low = boost::math::quantile(lower, 0.025) / (2.0 * w);
  const double rate_high = boost::math::quantile(upper, 0.975) / (2.0 * w);
  fit.patience_low = 1.0 / rate_high;
  fit.patience_high = 1.0 / rate_low;
}

// Servers busy by hour of the week from the service intervals, over the span of the data.
void fit_servers(QueueFit& fit, const std::vector<std::pair<double, double>>& services,
                 std::int64_t first_hour, std::int64_t last_hour) {
  const auto hours = static_cast<std::size_t>(last_hour - first_hour + 1);
  std::vector<double> concurrent(hours, 0.0);  // per hour of the span: service-hours in it
  for (const auto& [start, complete] : services) {
    const std::int64_t from = hour_of(start), to = hour_of(complete);
    for (std::int64_t h = from; h <= to; ++h) {
      const double begin = std::max(start, static_cast<double>(h) * kSecondsPerHour);
      const double end = std::min(complete, static_cast<double>(h + 1) * kSecondsPerHour);
      concurrent[static_cast<std::size_t>(h - first_hour)] += (end - begin) / kSecondsPerHour;
    }
  }
  std::vector<double> starts(hours, 0.0);  // per hour of the span: services started in it
  for (const auto& [start, complete] : services) {
    starts[static_cast<std::size_t>(hour_of(start) - first_hour)] += 1.0;
  }
  std::array<std::vector<double>, kHoursPerWeek> by_slot, starts_by_slot;
  for (std::size_t k = 0; k < hours; ++k) {
    const int slot = hour_of_week(first_hour + static_cast<std::int64_t>(k));
    by_slot[slot].push_back(concurrent[k]);
    starts_by_slot[slot].push_back(starts[k]);
  }
  for (int slot = 0; slot < kHoursPerWeek; ++slot) {
    std::vector<double>& values = by_slot[slot];
    if (values.empty()) continue;
    fit.busy[slot] =
        std::accumulate(values.begin(), values.end(), 0.0) / static_cast<double>(values.size());
    // Staffed when work starts at this hour in at least 10% of its weeks: a service left open
    // overnight is not a server on duty at night.
    if (quantile(starts_by_slot[slot], 0.9) < 1.0) continue;
    fit.servers[slot] = std::max<std::int64_t>(
        1, static_cast<std::int64_t>(std::ceil(quantile(values, 0.9) - 1e-9)));
  }
  fit.capacity = *std::max_element(fit.servers.begin(), fit.servers.end());
}

}  // namespace

std::vector<QueueFit> fit_queues(const ObservedJourneys& data) {
  const std::vector<LifecycleEvent>& events = data.lifecycle_events;
  if (events.empty()) return {};
  // Each customer's last event (seconds): when an instance still queued was last seen waiting.
  std::vector<double> last;
  for (const LifecycleEvent& e : events) {
    if (e.customer >= last.size()) last.resize(e.customer + 1, -HUGE_VAL);
    last[e.customer] = std::max(last[e.customer], e.seconds);
  }
  // Events by (activity, customer, instance), in file order, then by time (stable).
  std::map<std::tuple<std::uint32_t, std::uint32_t, std::string>,
           std::vector<const LifecycleEvent*>>
      instances;
  for (const LifecycleEvent& e : events)
    instances[{e.activity, e.customer, e.instance}].push_back(&e);
  std::vector<QueueFit> fits(data.lifecycle_activities.size());
  std::vector<Tally> tallies(fits.size());
  for (std::size_t a = 0; a < fits.size(); ++a) fits[a].touchpoint = data.lifecycle_activities[a];
  for (auto& [key, list] : instances) {
    std::stable_sort(
        list.begin(), list.end(),
        [](const LifecycleEvent* x, const LifecycleEvent* y) { return x->seconds < y->seconds; });
    const auto [activity, customer, instance] = key;
    pair_instance(list, last[customer], fits[activity], tallies[activity]);
  }
  double first_clock = HUGE_VAL, last_clock = -HUGE_VAL;
  for (const LifecycleEvent& e : events) {
    first_clock = std::min(first_clock, e.clock);
    last_clock = std::max(last_clock, e.clock);
  }
  const auto first_day = static_cast<std::int64_t>(std::floor(first_clock / 86400.0));
  const auto last_day = static_cast<std::int64_t>(std::floor(last_clock / 86400.0));

  std::vector<QueueFit> out;
  for (std::size_t a = 0; a < fits.size(); ++a) {
    QueueFit& fit = fits[a];
    if (fit.queued == 0) continue;  // no queue signal: service alone says nothing of waits
    Tally& tally = tallies[a];
    fit.abandonment_share = static_cast<double>(fit.abandoned) / static_cast<double>(fit.queued);
    const double served_hours =
        std::accumulate(tally.served_waits.begin(), tally.served_waits.end(), 0.0);
    if (!tally.served_waits.empty()) {
      fit.mean_wait_hours = served_hours / static_cast<double>(tally.served_waits.size());
      fit.p90_wait_hours = quantile(tally.served_waits, 0.9);
    }
    fit.total_wait_hours = served_hours + tally.abandoned_hours;
    fit_patience(fit);
    fit.services = tally.services.size();
    double service_hours = 0.0;
    for (const auto& [start, complete] : tally.services) {
      service_hours += (complete - start) / kSecondsPerHour;
    }
    if (fit.services > 0)
      fit.mean_service_hours = service_hours / static_cast<double>(fit.services);
    fit.span_days = static_cast<std::uint64_t>(last_day - first_day + 1);
    fit_servers(fit, tally.services, first_day * 24, last_day * 24 + 23);
    out.push_back(std::move(fit));
  }
  return out;
}

Resource resource_of(const QueueFit& fit, const std::string& id) {
  Resource resource;
  resource.id = id;
  resource.capacity = fit.capacity;
  WeekSchedule schedule;
  for (int d = 0; d < kWeekdays; ++d) {
    DayServers day{};
    for (int h = 0; h < kHoursPerDay; ++h) day[h] = fit.servers[d * kHoursPerDay + h];
    schedule[d] = day;
  }
  resource.schedule = schedule;
  return resource;
}

}  // namespace cjsim
