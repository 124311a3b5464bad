// The earth mover's distance over variants: hand-worked values, its properties, and the
// optimum of every transport plan enumerated on small random cases.
#include "models/fit/variant_distance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <vector>

namespace cjsim {
namespace {

using Path = std::vector<std::uint32_t>;
constexpr std::uint32_t a = 0, b = 1, c = 2;

// The result is the optimum with ground distances rounded to multiples of 2^-30.
constexpr double kRounding = 1.0 / (1 << 30);

TEST(VariantDistance, NormalisedLevenshteinIsEditsOverTheLongerLength) {
  // kitten -> sitting: two substitutions and one insertion, over 7.
  const Path kitten = {10, 11, 12, 12, 13, 14}, sitting = {15, 11, 12, 12, 11, 14, 16};
  EXPECT_DOUBLE_EQ(normalised_levenshtein(kitten, sitting), 3.0 / 7.0);
  EXPECT_DOUBLE_EQ(normalised_levenshtein(sitting, kitten), 3.0 / 7.0);
  EXPECT_EQ(normalised_levenshtein(Path{a, b}, Path{a, b}), 0.0);
  EXPECT_EQ(normalised_levenshtein(Path{a, b}, Path{b, a}), 1.0);  // no transpositions
  EXPECT_EQ(normalised_levenshtein(Path{a}, Path{}), 1.0);
  EXPECT_EQ(normalised_levenshtein(Path{}, Path{}), 0.0);
  EXPECT_DOUBLE_EQ(normalised_levenshtein(Path{a, b, c}, Path{c}), 2.0 / 3.0);
}

TEST(VariantDistance, IdenticalDistributionsAreAtDistanceZero) {
  const std::vector<VariantCount> one = {{{a, b}, 3}, {{c}, 5}, {{a, b, c, a}, 1}};
  // The same shares from ten times the customers, listed in another order and split.
  const std::vector<VariantCount> other = {{{c}, 20}, {{a, b, c, a}, 10}, {{a, b}, 30}, {{c}, 30}};
  const VariantDistance d = variant_distance(one, other);
  EXPECT_EQ(d.distance, 0.0);
  EXPECT_EQ(d.observed_variants, 3u);
  EXPECT_EQ(d.simulated_variants, 3u);
  EXPECT_EQ(d.compared_variants, 3u);
  EXPECT_EQ(d.pooled_observed, 0.0);
  // Pooled too: the pooled variants hold the same shares on both sides.
  const VariantDistance pooled = variant_distance(one, other, 1);
  EXPECT_EQ(pooled.distance, 0.0);
  EXPECT_EQ(pooled.compared_variants, 1u);
  EXPECT_DOUBLE_EQ(pooled.pooled_observed, 4.0 / 9.0);  // all but c
  EXPECT_DOUBLE_EQ(pooled.pooled_simulated, 4.0 / 9.0);
}

// Observed: half a > b > c, half a; simulated: half a > b, half c. Moving a > b > c to a > b
// (1/3) and a to c (1) costs (1/3 + 1) / 2 = 2/3; a > b > c to c (2/3) and a to a > b (1/2)
// costs (2/3 + 1/2) / 2 = 7/12, the optimum (every plan mixes these two), though the nearest
// pair is a > b > c and a > b.
TEST(VariantDistance, HandWorkedThreeVariantsTakeTheCheaperPlanNotTheNearestPair) {
  const std::vector<VariantCount> observed = {{{a, b, c}, 1}, {{a}, 1}};
  const std::vector<VariantCount> simulated = {{{a, b}, 2}, {{c}, 2}};
  EXPECT_NEAR(variant_distance(observed, simulated).distance, 7.0 / 12.0, kRounding);
  // Two customers against one: a > b and c against a > b > c, 2/3 * 1/3 + 1/3 * 2/3 = 4/9.
  const std::vector<VariantCount> two = {{{a, b}, 2}, {{c}, 1}};
  const std::vector<VariantCount> one = {{{a, b, c}, 1}};
  EXPECT_NEAR(variant_distance(two, one).distance, 4.0 / 9.0, kRounding);
  // Disjoint variants at distance 1 from each other: the distance is 1.
  EXPECT_NEAR(
      variant_distance(std::vector<VariantCount>{{{a}, 4}}, std::vector<VariantCount>{{{b, c}, 3}})
          .distance,
      1.0, kRounding);
}

// Random variants over three touchpoints, of 1 to 4 visits.
std::vector<VariantCount> random_side(std::mt19937_64& generator, std::uint64_t customers,
                                      std::size_t variants) {
  std::uniform_int_distribution<std::uint32_t> touchpoint(0, 2);
  std::uniform_int_distribution<std::size_t> length(1, 4);
  std::vector<VariantCount> side(variants);
  for (VariantCount& v : side) {
    v.touchpoints.resize(length(generator));
    for (std::uint32_t& t : v.touchpoints) t = touchpoint(generator);
  }
  // Every variant one customer, the rest spread at random.
  for (VariantCount& v : side) v.customers = 1;
  std::uniform_int_distribution<std::size_t> pick(0, variants - 1);
  for (std::uint64_t k = variants; k < customers; ++k) ++side[pick(generator)].customers;
  return side;
}

// The least cost over every whole-customer transport plan between two sides of `customers`
// each: with whole supplies, the transport problem has a whole optimum (its constraint matrix
// is totally unimodular), so this is the exact distance.
double brute_force_distance(const std::vector<VariantCount>& from,
                            const std::vector<VariantCount>& to, std::uint64_t customers) {
  std::vector<std::uint64_t> left_to_send, left_to_take;
  for (const VariantCount& v : from) left_to_send.push_back(v.customers);
  for (const VariantCount& v : to) left_to_take.push_back(v.customers);
  double best = std::numeric_limits<double>::infinity();
  std::function<void(std::size_t, std::size_t, double)> place = [&](std::size_t i, std::size_t j,
                                                                    double cost) {
    if (i == from.size()) {
      best = std::min(best, cost);
      return;
    }
    if (j + 1 == to.size()) {  // the last column takes what the row has left
      const std::uint64_t q = left_to_send[i];
      if (q > left_to_take[j]) return;
      left_to_take[j] -= q;
      place(i + 1, 0,
            cost + static_cast<double>(q) *
                       normalised_levenshtein(from[i].touchpoints, to[j].touchpoints));
      left_to_take[j] += q;
      return;
    }
    for (std::uint64_t q = 0; q <= std::min(left_to_send[i], left_to_take[j]); ++q) {
      left_to_send[i] -= q;
      left_to_take[j] -= q;
      place(i, j + 1,
            cost + static_cast<double>(q) *
                       normalised_levenshtein(from[i].touchpoints, to[j].touchpoints));
      left_to_send[i] += q;
      left_to_take[j] += q;
    }
  };
  place(0, 0, 0.0);
  return best / static_cast<double>(customers);
}

TEST(VariantDistance, EqualsTheBestOfEveryTransportPlanOnSmallRandomCasesAndIsSymmetric) {
  std::mt19937_64 generator(20261207);
  for (int trial = 0; trial < 60; ++trial) {
    const std::uint64_t customers = 7;
    const std::vector<VariantCount> observed =
        random_side(generator, customers, 1 + static_cast<std::size_t>(trial % 4));
    const std::vector<VariantCount> simulated =
        random_side(generator, customers, 1 + static_cast<std::size_t>((trial / 4) % 4));
    const double d = variant_distance(observed, simulated).distance;
    // Random variants may repeat on a side: the brute force sees them as separate rows, which
    // changes no optimum.
    EXPECT_NEAR(d, brute_force_distance(observed, simulated, customers), kRounding)
        << "trial " << trial;
    EXPECT_EQ(d, variant_distance(simulated, observed).distance) << "trial " << trial;
  }
}

// With more variants than it compares one by one, the distance pools the rest; pm4py's
// distance is then at most the pooled one plus the smaller pooled share (the pooled customers
// matched among themselves at no cost might cost up to 1 apiece), which this checks on random
// cases, and the pooled shares are those of the variants left out.
TEST(VariantDistance, PoolingTheRareVariantsBoundsTheDistance) {
  std::mt19937_64 generator(7);
  for (int trial = 0; trial < 20; ++trial) {
    const std::vector<VariantCount> observed = random_side(generator, 200, 30);
    const std::vector<VariantCount> simulated = random_side(generator, 300, 30);
    const VariantDistance full = variant_distance(observed, simulated);
    const VariantDistance pooled = variant_distance(observed, simulated, 5);
    ASSERT_EQ(pooled.compared_variants, 5u);
    EXPECT_GT(pooled.pooled_observed + pooled.pooled_simulated, 0.0);
    EXPECT_LE(
        full.distance,
        pooled.distance + std::min(pooled.pooled_observed, pooled.pooled_simulated) + 2 * kRounding)
        << "trial " << trial;
    EXPECT_EQ(full.pooled_observed, 0.0);
    EXPECT_EQ(full.pooled_simulated, 0.0);
  }
  // Three variants, two compared: a and b (observed plus simulated share 1/4 + 1/2 each) rank
  // before c (1/2 + 0), which is pooled.
  const std::vector<VariantCount> observed = {{{a}, 1}, {{b}, 1}, {{c}, 2}};
  const std::vector<VariantCount> simulated = {{{a}, 2}, {{b}, 2}};
  const VariantDistance d = variant_distance(observed, simulated, 2);
  EXPECT_EQ(d.pooled_observed, 0.5);
  EXPECT_EQ(d.pooled_simulated, 0.0);
  // a and b keep their 1/4 each; the pooled 1/2 moves to them at distance 1.
  EXPECT_NEAR(d.distance, 0.5, kRounding);
}

TEST(VariantDistance, NoCustomersOnASideIsDistanceZero) {
  const std::vector<VariantCount> some = {{{a}, 3}};
  const VariantDistance d = variant_distance(some, std::vector<VariantCount>{});
  EXPECT_EQ(d.distance, 0.0);
  EXPECT_EQ(d.observed_variants, 1u);
  EXPECT_EQ(d.simulated_variants, 0u);
}

}  // namespace
}  // namespace cjsim
