// ExactSum and BoundedSum: order-free, exact accumulation.
#include "sim/model/exact_sum.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
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

// Terms over the whole double range the fast path covers and beyond it: zeros, subnormals,
// terms below the resolution, large ones, both signs; 5000 of them, so the columns fold
// several times.
std::vector<double> wide_values() {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> mantissa(-1.0, 1.0);
  std::uniform_int_distribution<int> exponent(-140, 120);
  std::vector<double> values;
  for (int i = 0; i < 5000; ++i) {
    switch (i % 50) {
      case 0: values.push_back(0.0); break;
      case 1: values.push_back(-0.0); break;
      case 2: values.push_back(4.9e-324); break;
      case 3: values.push_back(-1e-300); break;
      default: values.push_back(std::ldexp(mantissa(rng), exponent(rng)));
    }
  }
  return values;
}

TEST(DeferredExactSum, HasTheSameLimbsAsExactSumTermByTerm) {
  for (const std::vector<double>& values : {mixed_values(), wide_values()}) {
    ExactSum direct;
    DeferredExactSum deferred;
    for (double v : values) {
      direct.add(v);
      deferred.add(v);
    }
    const ExactSum taken = deferred.take();
    EXPECT_EQ(taken.limbs(), direct.limbs());
    EXPECT_FALSE(taken.invalid());
    EXPECT_EQ(taken.value(), direct.value());
    EXPECT_EQ(deferred.take(), ExactSum()) << "take() leaves the buffer empty";
  }
}

TEST(DeferredExactSum, TakenInPiecesAndMergedEqualsTheWhole) {
  const std::vector<double> values = wide_values();
  ExactSum whole;
  for (double v : values) whole.add(v);
  DeferredExactSum deferred;
  ExactSum merged;
  for (std::size_t i = 0; i < values.size(); ++i) {
    deferred.add(values[i]);
    if (i % 777 == 0) merged.merge(deferred.take());
  }
  merged.merge(deferred.take());
  EXPECT_EQ(merged, whole);
}

// The largest mantissa at every place in a column, of one sign, as many times as a column
// holds between folds and more: the columns must fold before they overflow, whether the sum
// counts its terms (add) or its caller does (add_unfolded, then fold every kFoldEvery).
TEST(DeferredExactSum, FullColumnsOfOneSignFoldBeforeTheyOverflow) {
  for (const int exponent : {-73, -72, -71, -70, 0, 1, 2, 3, 60, 61, 62, 63}) {
    for (const double sign : {1.0, -1.0}) {
      const double x = sign * std::ldexp(2.0 - 0x1.0p-52, exponent);
      ExactSum direct;
      DeferredExactSum deferred;
      DeferredExactSum unfolded;
      for (unsigned i = 1; i <= 3 * DeferredExactSum::kFoldEvery + 5; ++i) {
        direct.add(x);
        deferred.add(x);
        unfolded.add_unfolded(x);
        if (i % DeferredExactSum::kFoldEvery == 0) unfolded.fold();
      }
      EXPECT_EQ(deferred.take(), direct) << x;
      EXPECT_EQ(unfolded.take(), direct) << x;
      EXPECT_FALSE(direct.invalid());
    }
  }
}

TEST(DeferredExactSum, NonFiniteAndOverflowMakeTheSumInvalid) {
  DeferredExactSum nan_sum;
  nan_sum.add(1.0);
  nan_sum.add(std::nan(""));
  EXPECT_TRUE(nan_sum.take().invalid());
  DeferredExactSum big;
  for (int i = 0; i < 4; ++i) big.add(5e37);
  EXPECT_TRUE(big.take().invalid());
  DeferredExactSum negative_big;
  for (int i = 0; i < 4; ++i) negative_big.add(-5e37);
  EXPECT_TRUE(negative_big.take().invalid());
}

// value() is the limbs' magnitude, limb i weighed 2^(64 i - 128), summed from the top limb
// down and signed: as computed with ldexp, to the bit, for limbs of every size and both signs.
TEST(ExactSum, ValueIsTheLimbsWeighedByTheirPowersOfTwoToTheBit) {
  std::mt19937_64 rng(11);
  for (int k = 0; k < 20000; ++k) {
    std::array<std::uint64_t, 4> limbs{};
    for (std::uint64_t& limb : limbs) {
      limb = rng() >> (rng() % 64);  // small and large limbs alike
      if (rng() % 4 == 0) limb = 0;
    }
    const ExactSum sum = ExactSum::from_limbs(limbs, false);
    std::array<std::uint64_t, 4> magnitude = limbs;
    const bool negative = (magnitude[3] >> 63) != 0;
    if (negative) {  // two's complement: invert, add one
      bool carry = true;
      for (std::uint64_t& word : magnitude) {
        word = ~word + (carry ? 1 : 0);
        carry = carry && word == 0;
      }
    }
    double expected = 0.0;
    for (int i = 3; i >= 0; --i) {
      expected += std::ldexp(static_cast<double>(magnitude[i]), 64 * i - 128);
    }
    if (negative) expected = -expected;
    ASSERT_EQ(std::bit_cast<std::uint64_t>(sum.value()), std::bit_cast<std::uint64_t>(expected))
        << k << ": " << sum.value() << " against " << expected;
  }
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
