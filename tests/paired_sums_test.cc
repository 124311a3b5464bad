// The split paired sums of a touchpoint's figures (sim/engine/paired_sums.h) against adding
// each figure's pair to its 14 moments one by one: equal to the bit, over random agents.
#include "sim/engine/paired_sums.h"

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <utility>

namespace cjsim {
namespace {

// One agent at one touchpoint, on each side: visits, summed emotion after them, whether it
// dropped out there, and whether it had converted before.
struct Side {
  double visits = 0, emotion = 0, dropped = 0, left = 0;
};

Side random_side(std::mt19937_64& rng) {
  Side s;
  s.visits = static_cast<double>(std::uniform_int_distribution<int>(0, 4)(rng));
  if (s.visits == 0) return s;
  std::uniform_real_distribution<double> emotion(-1.0, 1.0);
  // Emotions of mixed magnitudes, so that the order of addition shows in the last bits; now
  // and then exactly 0.
  for (int v = 0; v < s.visits; ++v) {
    if (rng() % 7 != 0) s.emotion += std::ldexp(emotion(rng), static_cast<int>(rng() % 40) - 20);
  }
  s.dropped = rng() % 5 == 0 ? 1 : 0;
  s.left = s.dropped != 0 && rng() % 3 == 0 ? 1 : 0;
  return s;
}

void expect_same_bits(const std::array<double, 14>& plain, const std::array<double, 14>& split,
                      const char* figure) {
  for (int k = 0; k < 14; ++k) {
    EXPECT_EQ(std::bit_cast<std::uint64_t>(plain[k]), std::bit_cast<std::uint64_t>(split[k]))
        << figure << ", moment " << k << ": " << plain[k] << " against " << split[k];
  }
}

TEST(PairedSums, SharedSplitSumsEqualEachFiguresOwnSumsToTheBit) {
  std::mt19937_64 rng(17);
  // Each figure's moments added pair by pair, as for any figure.
  std::array<double, 14> visits{}, emotion{}, dropout{}, gave_up{}, left{};
  // The same from the shared sums: counts once, emotions once, dropouts when one dropped out.
  CountSums visit_sums;
  RatioSums emotion_sums, dropout_sums, gave_up_sums, left_sums;
  int agents = 0, dropouts = 0;
  while (agents < 20000) {
    const Side c = random_side(rng), f = random_side(rng);
    if (c.visits == 0 && f.visits == 0) continue;  // the touchpoint is not touched
    ++agents;
    add_paired_moments(visits, {c.visits, 0, f.visits, 0});
    add_paired_moments(emotion, {c.emotion, c.visits, f.emotion, f.visits});
    add_paired_moments(dropout, {c.dropped, c.visits, f.dropped, f.visits});
    add_paired_moments(gave_up, {c.dropped - c.left, c.visits, f.dropped - f.left, f.visits});
    add_paired_moments(left, {c.left, c.visits, f.left, f.visits});

    visit_sums.add(c.visits, f.visits);
    emotion_sums.add(c.emotion, c.visits, f.emotion, f.visits);
    if (c.dropped == 0 && f.dropped == 0) continue;
    ++dropouts;
    dropout_sums.add(c.dropped, c.visits, f.dropped, f.visits);
    gave_up_sums.add(c.dropped - c.left, c.visits, f.dropped - f.left, f.visits);
    left_sums.add(c.left, c.visits, f.left, f.visits);
  }
  ASSERT_GT(dropouts, 1000);
  ASSERT_LT(dropouts, agents);
  expect_same_bits(visits, per_agent_moments(visit_sums), "visits");
  expect_same_bits(emotion, paired_moments(emotion_sums, visit_sums), "emotion");
  expect_same_bits(dropout, paired_moments(dropout_sums, visit_sums), "dropout");
  expect_same_bits(gave_up, paired_moments(gave_up_sums, visit_sums), "gave up");
  expect_same_bits(left, paired_moments(left_sums, visit_sums), "left");
}

// The check above can fail: the emotions' sums depend on the order of the agents, so the
// split sums must keep it. Summed in another order, they differ in the last bits.
TEST(PairedSums, EmotionSumsDependOnTheAgentsOrder) {
  std::mt19937_64 rng(5);
  std::array<Side, 2000> current, future;
  for (std::size_t a = 0; a < current.size(); ++a) {
    current[a] = random_side(rng);
    future[a] = random_side(rng);
  }
  std::array<double, 14> forward{};
  RatioSums backward;
  CountSums counts;
  for (std::size_t a = 0; a < current.size(); ++a) {
    add_paired_moments(
        forward, {current[a].emotion, current[a].visits, future[a].emotion, future[a].visits});
    const std::size_t b = current.size() - 1 - a;
    backward.add(current[b].emotion, current[b].visits, future[b].emotion, future[b].visits);
    counts.add(current[b].visits, future[b].visits);
  }
  const std::array<double, 14> split = paired_moments(backward, counts);
  int differing = 0;
  for (int k = 0; k < 14; ++k) differing += forward[k] != split[k];
  EXPECT_GT(differing, 0);
  // The counts are integers, whose sums do not depend on the order.
  EXPECT_EQ(forward[1], split[1]);
  EXPECT_EQ(forward[4 + kPairedProduct[1][3]], split[4 + kPairedProduct[1][3]]);
}

TEST(PairedSums, MeanOverAgentsHasOnlyItsAMoments) {
  CountSums a;
  std::array<double, 14> plain{};
  for (const auto& [c, f] : {std::pair{0.5, 0.0}, std::pair{-2.0, 3.0}, std::pair{0.0, 1.25}}) {
    a.add(c, f);
    add_paired_moments(plain, {c, 0, f, 0});
  }
  expect_same_bits(plain, per_agent_moments(a), "mean over agents");
  EXPECT_EQ(per_agent_moments(a)[1], 0.0);
  EXPECT_EQ(per_agent_moments(a)[4 + kPairedProduct[0][2]], 0.5 * 0.0 + -2.0 * 3.0);
}

}  // namespace
}  // namespace cjsim
