// Arrivals fitted for a calendar journey from when customers first appear: the closed-form
// maximum likelihood on hand-counted cases, recovery of known profiles from a simulated
// Poisson process, the test of one hour profile for every weekday, and the data's own clock.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <sstream>
#include <vector>

#include "models/fit/arrival_fit.h"
#include "models/observed/event_log.h"

namespace cjsim {
namespace {

constexpr double kDay = 86400.0;
// 2024-01-01, a Monday, in days since 1970-01-01.
constexpr double kMonday = 19723.0;

double at(double day, double hour) { return (kMonday + day) * kDay + hour * 3600.0; }

TEST(ArrivalFit, HandCountedTwoWeeksGiveTheClosedForm) {
  // 14 days from a Monday: each weekday twice. Mondays 10 arrivals at 09:00 in all, Sundays 4
  // at 15:00, no one on the other days but one Wednesday arrival at 09:30 and one at 23:59.
  std::vector<double> arrivals;
  for (int i = 0; i < 10; ++i) arrivals.push_back(at(i < 6 ? 0 : 7, 9.0));
  for (int i = 0; i < 4; ++i) arrivals.push_back(at(i < 1 ? 6 : 13, 15.0));
  arrivals.push_back(at(2, 9.5));
  arrivals.push_back(at(9, 23.99));
  Diagnostics diagnostics;
  const auto fit = fit_arrivals(arrivals, "log.csv", diagnostics);
  ASSERT_TRUE(fit) << diagnostics.to_string();
  EXPECT_EQ(fit->customers, 16u);
  EXPECT_EQ(fit->days, 14);
  EXPECT_EQ(fit->start_weekday, 0);
  for (int d = 0; d < 7; ++d) EXPECT_EQ(fit->weekday_days[d], 2u) << d;
  EXPECT_EQ(fit->weekday_arrivals[0], 10u);
  EXPECT_EQ(fit->weekday_arrivals[2], 2u);
  EXPECT_EQ(fit->weekday_arrivals[6], 4u);
  // Per day: Monday 5, Wednesday 1, Sunday 2, the rest 0; A is their mean over the week.
  const double A = (5.0 + 1.0 + 2.0) / 7.0;
  EXPECT_DOUBLE_EQ(fit->arrivals_per_day, A);
  EXPECT_DOUBLE_EQ(fit->weekday_profile[0], 5.0 / A);
  EXPECT_DOUBLE_EQ(fit->weekday_profile[1], 0.0);
  EXPECT_DOUBLE_EQ(fit->weekday_profile[2], 1.0 / A);
  EXPECT_DOUBLE_EQ(fit->weekday_profile[6], 2.0 / A);
  // Hours: 11 at 09:00-10:00, 4 at 15:00, 1 at 23:00; h[k] = 24 n_k / N.
  EXPECT_DOUBLE_EQ(fit->hour_profile[9], 24.0 * 11.0 / 16.0);
  EXPECT_DOUBLE_EQ(fit->hour_profile[15], 24.0 * 4.0 / 16.0);
  EXPECT_DOUBLE_EQ(fit->hour_profile[23], 24.0 * 1.0 / 16.0);
  EXPECT_DOUBLE_EQ(fit->hour_profile[0], 0.0);
  // Poisson: Var(A) = sum_d n_d / D_d^2 / 49.
  EXPECT_DOUBLE_EQ(fit->arrivals_per_day_se, std::sqrt((10.0 + 2.0 + 4.0) / 4.0) / 7.0);
  // Mondays, Wednesdays and Sundays arrive at different hours. G^2 by hand over the cells
  // seen, each expected as its weekday's arrivals shared out as the hours' are (of 16): on
  // (3 - 1) (3 - 1) degrees of freedom, and said in a note.
  const double g2 = 2.0 * (10.0 * std::log(10.0 / (10.0 * 11.0 / 16.0)) +
                           1.0 * std::log(1.0 / (2.0 * 11.0 / 16.0)) +
                           1.0 * std::log(1.0 / (2.0 * 1.0 / 16.0)) +
                           4.0 * std::log(4.0 / (4.0 * 4.0 / 16.0)));
  EXPECT_NEAR(fit->separable_g2, g2, 1e-12);
  EXPECT_EQ(fit->separable_df, 4);
  EXPECT_NEAR(fit->separable_p, std::exp(-g2 / 2.0) * (1.0 + g2 / 2.0), 1e-12);  // chi2(4)
  ASSERT_EQ(fit->notes.size(), 1u);
  EXPECT_NE(fit->notes[0].find("differ by weekday"), std::string::npos);

  const Calendar calendar = calendar_of(*fit);
  EXPECT_EQ(calendar.days, 14);
  EXPECT_EQ(calendar.start_weekday, "monday");
  ASSERT_EQ(calendar.weekday_profile.size(), 7u);
  ASSERT_EQ(calendar.hour_profile.size(), 24u);
  EXPECT_NEAR(calendar.arrivals_per_day, A, 1e-5 * A);
}

TEST(ArrivalFit, UnderAWeekTheMissingWeekdaysTakeTheOthersMeanWithANote) {
  // Thursday to Saturday of the first week: 3 days, 6, 3 and 0 arrivals.
  std::vector<double> arrivals;
  for (int i = 0; i < 6; ++i) arrivals.push_back(at(3, 10.0));
  for (int i = 0; i < 3; ++i) arrivals.push_back(at(4, 11.0));
  arrivals.push_back(at(5, 23.5));
  Diagnostics diagnostics;
  const auto fit = fit_arrivals(arrivals, "log.csv", diagnostics);
  ASSERT_TRUE(fit);
  EXPECT_EQ(fit->days, 3);
  EXPECT_EQ(fit->start_weekday, 3);
  EXPECT_EQ(fit->weekday_days[0], 0u);
  EXPECT_EQ(fit->weekday_days[3], 1u);
  EXPECT_EQ(fit->weekday_days[5], 1u);
  // The covered days' mean (6 + 3 + 1) / 3 stands for the four missing weekdays: A is it.
  EXPECT_DOUBLE_EQ(fit->arrivals_per_day, 10.0 / 3.0);
  EXPECT_DOUBLE_EQ(fit->weekday_profile[0], 1.0);
  EXPECT_DOUBLE_EQ(fit->weekday_profile[3], 6.0 / (10.0 / 3.0));
  ASSERT_EQ(fit->notes.size(), 1u);
  EXPECT_NE(fit->notes[0].find("monday, tuesday, wednesday, sunday"), std::string::npos)
      << fit->notes[0];
}

TEST(ArrivalFit, NoTimestampsIsAnError) {
  Diagnostics diagnostics;
  EXPECT_FALSE(fit_arrivals({}, "paths.csv", diagnostics));
  EXPECT_NE(diagnostics.to_string().find("paths.csv"), std::string::npos);
  EXPECT_NE(diagnostics.to_string().find("timestamps"), std::string::npos);
}

// Arrivals of MODEL.md 2.2's process: hour by hour, a Poisson count of mean
// (A / 24) w[weekday] h[hour] (profiles of mean 1), spread uniformly in the hour.
std::vector<double> simulate(double A, const std::vector<double>& w, const std::vector<double>& h,
                             int days, int start_weekday, bool hours_by_weekday,
                             std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> within(0.0, 1.0);
  std::vector<double> arrivals;
  for (int day = 0; day < days; ++day) {
    const int weekday = (start_weekday + day) % 7;
    for (int hour = 0; hour < 24; ++hour) {
      // With hours_by_weekday, weekends arrive 12 hours later than weekdays do.
      const int shifted = hours_by_weekday && weekday >= 5 ? (hour + 12) % 24 : hour;
      std::poisson_distribution<int> count(A / 24.0 * w[weekday] * h[shifted]);
      for (int n = count(rng); n > 0; --n) {
        arrivals.push_back(at(start_weekday + day, hour + within(rng)));
      }
    }
  }
  return arrivals;
}

std::vector<double> mean_one(std::vector<double> x) {
  double mean = 0.0;
  for (double v : x) mean += v / static_cast<double>(x.size());
  for (double& v : x) v /= mean;
  return x;
}

TEST(ArrivalFit, RecoversTheProfilesOfASimulatedProcess) {
  const std::vector<double> w = mean_one({1.3, 1.2, 1.1, 1.0, 1.4, 0.6, 0.4});
  std::vector<double> h(24);
  for (int k = 0; k < 24; ++k) h[k] = 0.2 + std::exp(-0.5 * std::pow((k - 13.0) / 3.5, 2.0));
  h = mean_one(h);
  const double A = 400.0;
  const int days = 140;  // 20 weeks, from a Wednesday
  const std::vector<double> arrivals = simulate(A, w, h, days, 2, false, 7);
  Diagnostics diagnostics;
  const auto fit = fit_arrivals(arrivals, "simulated", diagnostics);
  ASSERT_TRUE(fit);
  EXPECT_EQ(fit->days, days);
  EXPECT_EQ(fit->start_weekday, 2);
  // Within 4 of its standard errors (about sqrt(A / 140): 1.7 arrivals a day).
  EXPECT_NEAR(fit->arrivals_per_day, A, 4.0 * fit->arrivals_per_day_se);
  // A weekday's factor rests on 20 days of about 400 w arrivals (relative error about
  // 1 / sqrt(8000 w)); an hour's on 56,000 h / 24 arrivals: within 4 of those.
  for (int d = 0; d < 7; ++d) {
    EXPECT_NEAR(fit->weekday_profile[d], w[d], 4.0 * w[d] / std::sqrt(20.0 * A * w[d])) << d;
  }
  for (int k = 0; k < 24; ++k) {
    const double expected_count = static_cast<double>(days) * A * h[k] / 24.0;
    EXPECT_NEAR(fit->hour_profile[k], h[k], 4.0 * h[k] / std::sqrt(expected_count)) << k;
  }
  // The process is one weekday profile times one hour profile: the test does not reject it
  // (at the 0.1% level, which a correct model fails one time in a thousand).
  EXPECT_GT(fit->separable_p, 0.001) << fit->separable_g2 << " on " << fit->separable_df;
  EXPECT_EQ(fit->separable_df, 6 * 23);
}

TEST(ArrivalFit, HoursThatDifferByWeekdayAreSaid) {
  std::vector<double> h(24);
  for (int k = 0; k < 24; ++k) h[k] = 0.2 + std::exp(-0.5 * std::pow((k - 10.0) / 2.5, 2.0));
  h = mean_one(h);
  const std::vector<double> flat(7, 1.0);
  const std::vector<double> arrivals = simulate(300.0, flat, h, 28, 0, true, 11);
  Diagnostics diagnostics;
  const auto fit = fit_arrivals(arrivals, "simulated", diagnostics);
  ASSERT_TRUE(fit);
  EXPECT_LT(fit->separable_p, 1e-6);
  ASSERT_EQ(fit->notes.size(), 1u);
  EXPECT_NE(fit->notes[0].find("differ by weekday"), std::string::npos);
}

TEST(ArrivalFit, AnEventLogGivesEachCustomersFirstVisitOnItsOwnClock) {
  // Written in UTC+02:00: the first customer's first visit is 08:30 on its clock (06:30 UTC),
  // whatever order the rows come in.
  std::istringstream log(
      "customer,touchpoint,timestamp\n"
      "a,search,2024-01-01T09:00:00+02:00\n"
      "a,ad,2024-01-01T08:30:00+02:00\n"
      "b,ad,1704103200\n");
  Diagnostics diagnostics;
  const auto data = read_event_log(log, "log.csv", EventLogColumns{}, diagnostics);
  ASSERT_TRUE(data) << diagnostics.to_string();
  ASSERT_EQ(data->first_visits.size(), 2u);
  EXPECT_EQ(data->first_visits[0], at(0, 8.5));
  EXPECT_EQ(data->first_visits[1], 1704103200.0);  // epoch seconds: UTC is the clock
  const auto clock = parse_timestamp_and_clock("2024-01-01T08:30:00+02:00");
  ASSERT_TRUE(clock);
  EXPECT_EQ(clock->seconds, at(0, 6.5));
  EXPECT_EQ(clock->clock, at(0, 8.5));
}

}  // namespace
}  // namespace cjsim
