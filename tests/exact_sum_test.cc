// ExactSum and BoundedSum: order-free, exact accumulation.
#include "sim/exact_sum.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace cjsim {
namespace {

std::vector<double> mixed_values() {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> mantissa(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-30, 30);
  std::vector<double> values;
  for (int i = 0; i < 5000; ++i) values.push_back(std::ldexp(mantissa(rng), exponent(rng)));
  return values;
}

TEST(ExactSum, ResultDoesNotDependOnOrderOrGrouping) {
  std::vector<double> values = mixed_values();
  ExactSum forward;
  for (double v : values) forward.add(v);

  std::reverse(values.begin(), values.end());
  ExactSum left, right;
  for (std::size_t i = 0; i < values.size(); ++i) (i % 3 == 0 ? left : right).add(values[i]);
  right.merge(left);
  EXPECT_EQ(forward, right);
  EXPECT_EQ(forward.value(), right.value());
}

TEST(ExactSum, CancellationIsExactWhereDoublesLoseEverything) {
  ExactSum sum;
  sum.add(1e20);
  sum.add(1.0);
  sum.add(-1e20);
  EXPECT_EQ(sum.value(), 1.0);  // a double accumulator gives 0 here
}

TEST(ExactSum, NegativeTotalsAndSmallTermsAreRight) {
  ExactSum sum;
  for (int i = 0; i < 1000; ++i) sum.add(-0.001);
  EXPECT_NEAR(sum.value(), -1.0, 1e-15);
  ExactSum tiny;
  tiny.add(std::ldexp(1.0, -100));
  EXPECT_EQ(tiny.value(), std::ldexp(1.0, -100));
}

TEST(ExactSum, NonFiniteTermMakesTheSumInvalid) {
  ExactSum sum;
  sum.add(1.0);
  sum.add(std::nan(""));
  EXPECT_TRUE(sum.invalid());
  EXPECT_TRUE(std::isnan(sum.value()));
}

TEST(ExactSum, OverflowIsDetectedNotWrapped) {
  ExactSum sum;
  sum.add(1e300);
  EXPECT_TRUE(sum.invalid());
  ExactSum big;
  for (int i = 0; i < 4; ++i) big.add(5e37);
  EXPECT_TRUE(big.invalid());
}

TEST(BoundedSum, MergeEqualsSequentialSum) {
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  BoundedSum all, a, b;
  double reference = 0.0;
  for (int i = 0; i < 10000; ++i) {
    const double x = u(rng);
    all.add(x);
    (i % 2 ? a : b).add(x);
    reference += x;
  }
  a.merge(b);
  EXPECT_EQ(all, a);
  EXPECT_NEAR(all.value(), reference, 1e-9);
}

}  // namespace
}  // namespace cjsim
