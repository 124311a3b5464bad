// Confidence intervals: known values and the edge cases where the normal interval fails.
#include "sim/engine/statistics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace cjsim {
namespace {

TEST(Statistics, WilsonIntervalMatchesTextbookValue) {
  // 81 successes in 263 trials: Wilson 95% interval [0.2553, 0.3662] (Newcombe 1998).
  const Estimate e = wilson_interval(81, 263);
  EXPECT_NEAR(e.value, 81.0 / 263, 1e-12);
  EXPECT_NEAR(e.low, 0.2553, 5e-4);
  EXPECT_NEAR(e.high, 0.3662, 5e-4);
}

TEST(Statistics, WilsonIntervalIsProperAtZeroAndOne) {
  const Estimate none = wilson_interval(0, 50);
  EXPECT_EQ(none.low, 0.0);
  EXPECT_GT(none.high, 0.05);  // not the degenerate [0, 0] of the normal interval
  const Estimate all = wilson_interval(50, 50);
  EXPECT_EQ(all.high, 1.0);
  EXPECT_LT(all.low, 0.95);
}

TEST(Statistics, NoTrialsGiveAnUndefinedEstimate) {
  EXPECT_TRUE(std::isnan(wilson_interval(0, 0).value));
  EXPECT_TRUE(std::isnan(mean_interval(0, 0, 0).value));
  EXPECT_TRUE(std::isnan(nps_interval(0, 0, 0).value));
}

TEST(Statistics, MeanIntervalUsesTheSampleVariance) {
  // Values 1, 2, 3, 4: mean 2.5, sample variance 5/3.
  const Estimate e = mean_interval(10, 30, 4);
  EXPECT_DOUBLE_EQ(e.value, 2.5);
  EXPECT_NEAR(e.high - e.value, kZ95 * std::sqrt(5.0 / 3.0 / 4.0), 1e-12);
}

TEST(Statistics, AnOverflowedSumOfSquaresGivesNoIntervalRatherThanAZeroWidthOne) {
  // An exact sum that left its range reads as NaN; max(0, NaN) made the variance 0.
  const Estimate e = mean_interval(10, NAN, 4);
  EXPECT_DOUBLE_EQ(e.value, 2.5);
  EXPECT_TRUE(std::isnan(e.low));
  EXPECT_TRUE(std::isnan(e.high));
}

TEST(Statistics, AnOverflowedProductGivesNoPairedIntervalAndNoSignificance) {
  PairedMoments m;
  m.n = 1000;
  m.sum = {1000, 1000, 900, 1000};
  m.product = {NAN, 1000, 900, 1000, 1000, 900, 1000, 810, 900, 1000};
  const PairedDifference d = paired_ratio_difference(m);
  EXPECT_DOUBLE_EQ(d.difference.value, -0.1);
  EXPECT_TRUE(std::isnan(d.difference.low));
  EXPECT_TRUE(std::isnan(d.paired_half_width));
}

TEST(Statistics, ReplicationIntervalUsesStudentT) {
  const std::vector<double> values = {1.0, 2.0, 3.0};
  const Estimate e = replication_interval(values);
  EXPECT_DOUBLE_EQ(e.value, 2.0);
  // t(0.975, 2) = 4.302653; sd = 1, n = 3.
  EXPECT_NEAR(e.high - e.value, 4.302653 / std::sqrt(3.0), 1e-5);
}

TEST(Statistics, NpsIsPromotersMinusDetractorsInPoints) {
  const Estimate e = nps_interval(50, 20, 100);
  EXPECT_DOUBLE_EQ(e.value, 30.0);
  EXPECT_LT(e.low, 30.0);
  EXPECT_GT(e.high, 30.0);
  const Estimate all = nps_interval(10, 0, 10);
  EXPECT_DOUBLE_EQ(all.value, 100.0);
  EXPECT_LE(all.high, 100.0);
}

}  // namespace
}  // namespace cjsim
