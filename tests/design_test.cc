// Designs of experiments: grid sizes and combinations, lists, and Latin hypercube strata.
#include "scenarios/design.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

namespace cjsim {
namespace {

TEST(Design, GridHoldsEveryCombinationOfLevelsOnce) {
  const std::vector<std::vector<double>> levels = {{1, 2, 3}, {10, 20}, {0.5, 0.25, 0.125, 0}};
  const DesignRows rows = grid_design(levels);
  ASSERT_EQ(rows.size(), 3u * 2u * 4u);
  std::set<std::vector<double>> distinct(rows.begin(), rows.end());
  EXPECT_EQ(distinct.size(), rows.size());
  for (const auto& row : rows) {
    ASSERT_EQ(row.size(), 3u);
    for (std::size_t j = 0; j < 3; ++j) {
      EXPECT_NE(std::find(levels[j].begin(), levels[j].end(), row[j]), levels[j].end());
    }
  }
  // The last parameter varies fastest.
  EXPECT_EQ(rows[0], (std::vector<double>{1, 10, 0.5}));
  EXPECT_EQ(rows[1], (std::vector<double>{1, 10, 0.25}));
  EXPECT_EQ(rows[4], (std::vector<double>{1, 20, 0.5}));
}

TEST(Design, EvenlySpacedLevelsIncludeBothEndsExactly) {
  const std::vector<double> levels = evenly_spaced(0.1, 0.7, 7);
  ASSERT_EQ(levels.size(), 7u);
  EXPECT_EQ(levels.front(), 0.1);
  EXPECT_EQ(levels.back(), 0.7);
  for (std::size_t k = 1; k < levels.size(); ++k)
    EXPECT_NEAR(levels[k] - levels[k - 1], 0.1, 1e-12);
  EXPECT_EQ(evenly_spaced(2, 5, 1), (std::vector<double>{2}));
}

TEST(Design, ListTakesTheKthValueOfEachParameter) {
  const std::vector<std::vector<double>> values = {{1, 2, 3}, {4, 5, 6}};
  const DesignRows rows = list_design(values);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1], (std::vector<double>{2, 5}));
  const std::vector<std::vector<double>> uneven = {{1, 2}, {3}};
  EXPECT_THROW(list_design(uneven), std::invalid_argument);
}

TEST(Design, LatinHypercubePutsOnePointInEveryStratumOfEveryParameter) {
  const std::vector<Interval> ranges = {{0, 1}, {-5, 5}, {100, 101}};
  for (std::uint64_t points : {1u, 2u, 37u, 500u}) {
    const DesignRows rows = latin_hypercube(ranges, points, 7);
    ASSERT_EQ(rows.size(), points);
    for (std::size_t j = 0; j < ranges.size(); ++j) {
      std::vector<int> in_stratum(points, 0);
      for (const auto& row : rows) {
        const double u = (row[j] - ranges[j].low) / (ranges[j].high - ranges[j].low);
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        ++in_stratum[static_cast<std::size_t>(std::floor(u * static_cast<double>(points)))];
      }
      for (int count : in_stratum) EXPECT_EQ(count, 1) << points << " points, parameter " << j;
    }
  }
}

TEST(Design, AWholeIntervalTakesEveryWholeNumberEquallyOftenInStratumOrder) {
  // 30 points over 5..10 (six whole numbers): each number five times, and the continuous
  // column beside it is what it would be without the whole one (the same draws).
  const std::vector<Interval> ranges = {{5, 10, true}, {0, 1}};
  const DesignRows rows = latin_hypercube(ranges, 30, 4);
  const std::vector<Interval> continuous = {{5, 10}, {0, 1}};
  const DesignRows plain = latin_hypercube(continuous, 30, 4);
  std::vector<int> count(6, 0);
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const double level = rows[k][0];
    ASSERT_EQ(level, std::floor(level)) << k;
    ASSERT_GE(level, 5.0);
    ASSERT_LE(level, 10.0);
    ++count[static_cast<std::size_t>(level - 5.0)];
    EXPECT_EQ(rows[k][1], plain[k][1]);
    // The same stratum's order: a higher continuous place never gets a lower whole level.
    for (std::size_t m = 0; m < rows.size(); ++m) {
      if (plain[m][0] > plain[k][0]) {
        EXPECT_GE(rows[m][0], level);
      }
    }
  }
  for (int c : count) EXPECT_EQ(c, 5);
}

TEST(Design, LatinHypercubeIsAFunctionOfItsSeed) {
  const std::vector<Interval> ranges = {{0, 1}, {0, 1}};
  EXPECT_EQ(latin_hypercube(ranges, 50, 11), latin_hypercube(ranges, 50, 11));
  EXPECT_NE(latin_hypercube(ranges, 50, 11), latin_hypercube(ranges, 50, 12));
}

TEST(Design, LatinHypercubePairsStrataIndependentlyAcrossParameters) {
  // With independent permutations the two columns are uncorrelated: over 2,000 points the
  // sample correlation lies within +-0.1 (4.5 standard errors) unless pairing is broken.
  const std::vector<Interval> ranges = {{0, 1}, {0, 1}};
  const DesignRows rows = latin_hypercube(ranges, 2000, 3);
  double sx = 0, sy = 0, sxy = 0, sxx = 0, syy = 0;
  for (const auto& r : rows) {
    sx += r[0];
    sy += r[1];
    sxy += r[0] * r[1];
    sxx += r[0] * r[0];
    syy += r[1] * r[1];
  }
  const double n = 2000;
  const double correlation =
      (sxy - sx * sy / n) / std::sqrt((sxx - sx * sx / n) * (syy - sy * sy / n));
  EXPECT_LT(std::fabs(correlation), 0.1);
}

}  // namespace
}  // namespace cjsim
