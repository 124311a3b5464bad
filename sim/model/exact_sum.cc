// Exact fixed-point accumulation of doubles.
#include "sim/model/exact_sum.h"

#include <bit>
#include <cmath>
#include <limits>

namespace cjsim {
namespace {

constexpr int kFractionBits = 128;
constexpr int kTotalBits = 256;

}  // namespace

void ExactSum::add_general(double x) {
  if (x == 0.0) return;
  if (!std::isfinite(x)) {
    invalid_ = true;
    return;
  }
  const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
  const bool negative = (bits >> 63) != 0;
  const int biased_exponent = static_cast<int>((bits >> 52) & 0x7ff);
  std::uint64_t mantissa = bits & ((std::uint64_t{1} << 52) - 1);
  int exponent;  // x = mantissa * 2^exponent
  if (biased_exponent == 0) {
    exponent = -1074;  // subnormal
  } else {
    mantissa |= std::uint64_t{1} << 52;
    exponent = biased_exponent - 1075;
  }
  int bit = exponent + kFractionBits;  // position of the mantissa's lowest bit
  if (bit < 0) {
    if (bit <= -64) return;
    mantissa >>= -bit;
    bit = 0;
    if (mantissa == 0) return;
  }
  // Keep one bit of headroom for the sign.
  if (bit + 53 >= kTotalBits - 1) {
    invalid_ = true;
    return;
  }
  add_shifted(mantissa, bit, negative);
}

void ExactSum::merge(const ExactSum& other) {
  const bool a_negative = (limbs_[3] >> 63) != 0;
  const bool b_negative = (other.limbs_[3] >> 63) != 0;
  uint128 carry = 0;
  for (int i = 0; i < 4; ++i) {
    carry += static_cast<uint128>(limbs_[i]) + other.limbs_[i];
    limbs_[i] = static_cast<std::uint64_t>(carry);
    carry >>= 64;
  }
  const bool sum_negative = (limbs_[3] >> 63) != 0;
  // Signed overflow: two operands of one sign giving a result of the other.
  if (a_negative == b_negative && sum_negative != a_negative) invalid_ = true;
  invalid_ = invalid_ || other.invalid_;
}

double ExactSum::value() const {
  if (invalid_) return std::numeric_limits<double>::quiet_NaN();
  std::array<std::uint64_t, 4> magnitude = limbs_;
  const bool negative = (magnitude[3] >> 63) != 0;
  if (negative) {
    uint128 carry = 1;
    for (auto& word : magnitude) {
      carry += static_cast<std::uint64_t>(~word);
      word = static_cast<std::uint64_t>(carry);
      carry >>= 64;
    }
  }
  // Limb i weighs 2^(64 i - kFractionBits). A power of two times a limb (below 2^64) stays
  // far inside the normal range, so the product is exact: what ldexp gives, without a call.
  static_assert(kFractionBits == 128, "the limbs' weights below assume 128 fraction bits");
  constexpr std::array<double, 4> kWeight = {0x1p-128, 0x1p-64, 1.0, 0x1p64};
  double result = 0.0;
  for (int i = 3; i >= 0; --i) result += static_cast<double>(magnitude[i]) * kWeight[i];
  return negative ? -result : result;
}

void DeferredExactSum::fold() {
  pending_ = 0;
  // Terms of one size fill a few neighbouring columns: those added to, from the lowest up to
  // 15 places above it, are gathered into one 128-bit integer (each column is below 2^63 and is
  // shifted by at most 60 bits, so sixteen stay below 2^127), which is then added to the total
  // at its place, as a 256-bit two's complement number.
  std::uint64_t touched = touched_;
  touched_ = 0;
  while (touched != 0) {
    const int low = std::countr_zero(touched);
    const std::uint64_t window =
        touched & (low + 16 >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << (low + 16)) - 1);
    touched &= ~window;
    int128 gathered = 0;
    for (std::uint64_t columns = window; columns != 0; columns &= columns - 1) {
      const int c = std::countr_zero(columns);
      gathered += static_cast<int128>(columns_[c]) << (4 * (c - low));
      columns_[c] = 0;
    }
    if (gathered == 0) continue;
    // gathered x 2^(4 low): three words from limb 4 low / 64, sign-extended above them; what
    // lies beyond the fourth limb must be that sign's extension, else the range is exceeded.
    const int limb = 4 * low / 64;
    const int within = 4 * low % 64;
    const auto shifted = static_cast<uint128>(gathered) << within;
    const std::uint64_t extension = gathered < 0 ? ~std::uint64_t{0} : 0;
    const std::array<std::uint64_t, 3> words = {
        static_cast<std::uint64_t>(shifted), static_cast<std::uint64_t>(shifted >> 64),
        within == 0 ? extension : static_cast<std::uint64_t>(gathered >> (128 - within))};
    std::array<std::uint64_t, 4> limbs{};
    bool fits = true;
    for (int i = 0; i < 3; ++i) {
      if (limb + i < 4) {
        limbs[static_cast<std::size_t>(limb + i)] = words[static_cast<std::size_t>(i)];
      } else if (words[static_cast<std::size_t>(i)] != extension) {
        fits = false;
      }
    }
    for (int i = limb + 3; i < 4; ++i) limbs[static_cast<std::size_t>(i)] = extension;
    // The top limb's sign must be the number's.
    if (((limbs[3] >> 63) != 0) != (gathered < 0)) fits = false;
    total_.merge(ExactSum::from_limbs(limbs, !fits));
  }
}

ExactSum ExactSum::from_limbs(const std::array<std::uint64_t, 4>& limbs, bool invalid) {
  ExactSum s;
  s.limbs_ = limbs;
  s.invalid_ = invalid;
  return s;
}

}  // namespace cjsim
