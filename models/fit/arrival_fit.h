// A calendar journey's organic arrivals fitted from when customers first appear in the data:
// the mean arrivals per day and the weekday and hour-of-day profiles of sim/model/MODEL.md 2.2,
// by maximum likelihood, with how well one weekday profile times one hour profile describes
// the data.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "scenarios/diagnostic.h"
#include "scenarios/scenario.h"

namespace cjsim {

struct ArrivalFit {
  std::uint64_t customers = 0;  // arrivals counted: each customer's first visit
  // The whole days from the first arrival's to the last's, and the weekday of the first.
  std::int64_t days = 0;
  int start_weekday = 0;  // 0 Monday ... 6 Sunday
  // A: mean arrivals on a day, averaged over the weekdays (MODEL.md 2.2: a day of weekday d
  // expects A * w[d]); its standard error and 95% interval under the Poisson model.
  double arrivals_per_day = 0.0;
  double arrivals_per_day_se = 0.0;
  std::array<double, 7> weekday_profile{};  // w, mean 1, Monday first
  std::array<double, 24> hour_profile{};    // h, mean 1, hour 0 (00:00-01:00) first
  std::array<std::uint64_t, 7> weekday_days{};      // days of each weekday in the span
  std::array<std::uint64_t, 7> weekday_arrivals{};  // arrivals on them
  std::array<std::uint64_t, 24> hour_arrivals{};
  // The profiles' product against the full weekday-by-hour table: the likelihood-ratio
  // statistic G^2, its degrees of freedom and p-value (chi-square). A small p-value says the
  // hours differ by weekday, which one hour profile for every day averages out.
  double separable_g2 = 0.0;
  int separable_df = 0;
  double separable_p = 1.0;
  std::vector<std::string> notes;  // what the data could not pin down, for the user
};

// Fits the arrivals from each customer's first visit on the data's wall clock (seconds since
// 1970-01-01: ObservedJourneys::first_visits). The profiles' MLE has a closed form: w[d] is
// proportional to the mean arrivals per day of weekday d, h[k] to the arrivals in hour k.
// Weekdays the span does not cover (under a week of data) take the mean of the others, with a
// note. An error (at `source`) when there is no arrival to fit.
std::optional<ArrivalFit> fit_arrivals(std::span<const double> first_visits,
                                       const std::string& source, Diagnostics& diagnostics);

// The calendar the fit gives: the data's days from its first weekday, its arrivals per day and
// profiles, as fitted (written as every fitted number is, to the bit).
Calendar calendar_of(const ArrivalFit& fit);

}  // namespace cjsim
