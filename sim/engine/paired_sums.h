// A block's paired moments of one compared figure, summed in doubles in agent order, split so
// that figures of one touchpoint or stage share what they have in common (comparison.cc).
#pragma once

#include <array>

namespace cjsim {

// Index of x_j x_k (j <= k) among the ten products of PairedMoments (sim/engine/statistics.h).
inline constexpr int kPairedProduct[4][4] = {
    {0, 1, 2, 3}, {1, 4, 5, 6}, {2, 5, 7, 8}, {3, 6, 8, 9}};

// Adds one agent's pair x = (a_current, b_current, a_future, b_future) to the 4 sums and 10
// products of `m` (sums first, then products), skipping the components that are 0. The plain
// way, which the split sums below reproduce to the bit.
inline void add_paired_moments(std::array<double, 14>& m, const std::array<double, 4>& x) {
  for (int j = 0; j < 4; ++j) {
    if (x[j] == 0) continue;
    m[j] += x[j];
    for (int k = j; k < 4; ++k) m[4 + kPairedProduct[j][k]] += x[j] * x[k];
  }
}

// The moments of x that involve only the b-components (sums of b_c, b_f and the products
// b_c b_c, b_c b_f, b_f b_f). Figures that divide by the same count (a touchpoint's visits, a
// stage's reach) add the same terms to these in the same order, so one sum serves them all.
// As (a_c, a_f) of a figure with b = 0 (a mean over all agents), the same five sums are its
// whole moments.
struct CountSums {
  double c = 0, f = 0, cc = 0, cf = 0, ff = 0;

  [[gnu::always_inline]] void add(double current, double future) {
    c += current;
    f += future;
    cc += current * current;
    cf += current * future;
    ff += future * future;
  }
};

// The moments of x that involve an a-component: sums of a_c, a_f and the products a_c a_c,
// a_c b_c, a_c a_f, a_c b_f, b_c a_f, a_f a_f, a_f b_f. An agent whose a_c and a_f are both 0
// adds nothing here, so a figure that is 0 for most agents (a dropout) is added for the
// others alone.
struct RatioSums {
  std::array<double, 9> sums{};

  [[gnu::always_inline]] void add(double a_current, double b_current, double a_future,
                                  double b_future) {
    sums[0] += a_current;
    sums[1] += a_future;
    sums[2] += a_current * a_current;
    sums[3] += a_current * b_current;
    sums[4] += a_current * a_future;
    sums[5] += a_current * b_future;
    sums[6] += b_current * a_future;
    sums[7] += a_future * a_future;
    sums[8] += a_future * b_future;
  }
};

// Why these equal add_paired_moments' sums to the bit: each of the 14 sums gets the same
// nonzero terms in the same (agent) order; they differ only in the terms that are 0 (a
// component that is 0, or a product with one), and adding +0 or -0 leaves a sum of finite
// doubles as it is (a sum that starts at +0 never becomes -0). The components must be finite.

// The 14 moments of a ratio figure x = (a_c, b_c, a_f, b_f): its a-sums and its b-sums.
inline std::array<double, 14> paired_moments(const RatioSums& a, const CountSums& b) {
  const auto& s = a.sums;
  std::array<double, 14> m{};
  m[0] = s[0];
  m[1] = b.c;
  m[2] = s[1];
  m[3] = b.f;
  m[4 + kPairedProduct[0][0]] = s[2];
  m[4 + kPairedProduct[0][1]] = s[3];
  m[4 + kPairedProduct[0][2]] = s[4];
  m[4 + kPairedProduct[0][3]] = s[5];
  m[4 + kPairedProduct[1][1]] = b.cc;
  m[4 + kPairedProduct[1][2]] = s[6];
  m[4 + kPairedProduct[1][3]] = b.cf;
  m[4 + kPairedProduct[2][2]] = s[7];
  m[4 + kPairedProduct[2][3]] = s[8];
  m[4 + kPairedProduct[3][3]] = b.ff;
  return m;
}

// The 14 moments of a mean over all agents, x = (a_c, 0, a_f, 0), from the sums of its a.
inline std::array<double, 14> per_agent_moments(const CountSums& a) {
  std::array<double, 14> m{};
  m[0] = a.c;
  m[2] = a.f;
  m[4 + kPairedProduct[0][0]] = a.cc;
  m[4 + kPairedProduct[0][2]] = a.cf;
  m[4 + kPairedProduct[2][2]] = a.ff;
  return m;
}

}  // namespace cjsim
