// Arrival rates by weekday and hour from when customers first appear (models/fit/arrival_fit.h).
#include "models/fit/arrival_fit.h"

#include <boost/math/distributions/chi_squared.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "scenarios/week_hours.h"

namespace cjsim {
namespace {

constexpr double kSecondsPerDay = 86400.0;

// 1970-01-01 was a Thursday: Monday-first weekday 3.
int weekday_of(std::int64_t day) { return static_cast<int>(((day + 3) % 7 + 7) % 7); }

}  // namespace

std::optional<ArrivalFit> fit_arrivals(std::span<const double> first_visits,
                                       const std::string& source, Diagnostics& diagnostics) {
  if (first_visits.empty()) {
    diagnostics.error({source, 0, 0},
                      "arrivals are fitted from timestamps, and the data have none (a path "
                      "table, or XES without time:timestamp)");
    return std::nullopt;
  }
  ArrivalFit fit;
  fit.customers = first_visits.size();
  const auto [lowest, highest] = std::minmax_element(first_visits.begin(), first_visits.end());
  const auto first_day = static_cast<std::int64_t>(std::floor(*lowest / kSecondsPerDay));
  const auto last_day = static_cast<std::int64_t>(std::floor(*highest / kSecondsPerDay));
  fit.days = last_day - first_day + 1;
  fit.start_weekday = weekday_of(first_day);
  for (std::int64_t day = first_day; day <= last_day && day < first_day + 7; ++day) {
    // Every weekday in the first week, then whole weeks: days / 7 each, one more for the rest.
    fit.weekday_days[weekday_of(day)] = static_cast<std::uint64_t>(
        fit.days / 7 + ((day - first_day) < fit.days % 7 ? 1 : 0));
  }
  std::array<std::array<std::uint64_t, 24>, 7> table{};
  for (double seconds : first_visits) {
    const auto day = static_cast<std::int64_t>(std::floor(seconds / kSecondsPerDay));
    const double into_day = seconds - static_cast<double>(day) * kSecondsPerDay;
    const int hour = std::clamp(static_cast<int>(into_day / 3600.0), 0, 23);
    ++table[weekday_of(day)][hour];
  }
  for (int d = 0; d < 7; ++d) {
    for (int k = 0; k < 24; ++k) {
      fit.weekday_arrivals[d] += table[d][k];
      fit.hour_arrivals[k] += table[d][k];
    }
  }

  // w[d] proportional to weekday d's mean arrivals per day; A the mean of those means.
  std::array<double, 7> per_day{};
  double covered_sum = 0.0, variance = 0.0;
  int covered = 0;
  for (int d = 0; d < 7; ++d) {
    if (fit.weekday_days[d] == 0) continue;
    const double days = static_cast<double>(fit.weekday_days[d]);
    per_day[d] = static_cast<double>(fit.weekday_arrivals[d]) / days;
    covered_sum += per_day[d];
    variance += static_cast<double>(fit.weekday_arrivals[d]) / (days * days);
    ++covered;
  }
  const double covered_mean = covered_sum / covered;
  std::vector<std::string> missing;
  for (int d = 0; d < 7; ++d) {
    if (fit.weekday_days[d] > 0) continue;
    per_day[d] = covered_mean;
    missing.emplace_back(kWeekdayNames[d]);
  }
  fit.arrivals_per_day = std::accumulate(per_day.begin(), per_day.end(), 0.0) / 7.0;
  fit.arrivals_per_day_se = std::sqrt(variance) / covered;
  for (int d = 0; d < 7; ++d) fit.weekday_profile[d] = per_day[d] / fit.arrivals_per_day;
  const double customers = static_cast<double>(fit.customers);
  for (int k = 0; k < 24; ++k) {
    fit.hour_profile[k] = 24.0 * static_cast<double>(fit.hour_arrivals[k]) / customers;
  }
  if (!missing.empty()) {
    fit.notes.push_back(fmt::format(
        "the data span {} day{}, so {} ha{} no day in them: {} take{} the other weekdays' mean "
        "arrivals (weekday factor from their mean)",
        fit.days, fit.days == 1 ? "" : "s", fmt::join(missing, ", "),
        missing.size() == 1 ? "s" : "ve", missing.size() == 1 ? "it" : "they",
        missing.size() == 1 ? "s" : ""));
  }

  // G^2 of the product of the two profiles against the full table, over the weekdays covered:
  // the expected count of (d, k) is weekday d's arrivals shared out as the hours' are.
  double g2 = 0.0;
  for (int d = 0; d < 7; ++d) {
    for (int k = 0; k < 24; ++k) {
      const double n = static_cast<double>(table[d][k]);
      if (n == 0.0) continue;
      const double expected = static_cast<double>(fit.weekday_arrivals[d]) *
                              static_cast<double>(fit.hour_arrivals[k]) / customers;
      g2 += 2.0 * n * std::log(n / expected);
    }
  }
  const auto active_days = std::count_if(fit.weekday_arrivals.begin(), fit.weekday_arrivals.end(),
                                         [](std::uint64_t n) { return n > 0; });
  const auto active_hours = std::count_if(fit.hour_arrivals.begin(), fit.hour_arrivals.end(),
                                          [](std::uint64_t n) { return n > 0; });
  fit.separable_g2 = std::max(g2, 0.0);
  fit.separable_df = static_cast<int>((active_days - 1) * (active_hours - 1));
  if (fit.separable_df > 0) {
    const boost::math::chi_squared distribution(fit.separable_df);
    fit.separable_p = boost::math::cdf(boost::math::complement(distribution, fit.separable_g2));
    if (fit.separable_p < 0.001) {
      fit.notes.push_back(fmt::format(
          "the hours of arrival differ by weekday (G^2 {:.1f} on {} degrees of freedom, p < "
          "0.001): the calendar model takes one hour profile for every day, which averages them",
          fit.separable_g2, fit.separable_df));
    }
  }
  return fit;
}

Calendar calendar_of(const ArrivalFit& fit) {
  Calendar calendar;
  calendar.days = fit.days;
  calendar.arrivals_per_day = fit.arrivals_per_day;
  calendar.weekday_profile.assign(fit.weekday_profile.begin(), fit.weekday_profile.end());
  calendar.hour_profile.assign(fit.hour_profile.begin(), fit.hour_profile.end());
  calendar.start_weekday = std::string(kWeekdayNames[fit.start_weekday]);
  return calendar;
}

}  // namespace cjsim
