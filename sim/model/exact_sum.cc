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
  if (pending_ == 0) return;
  // The columns' sum in 320-bit two's complement (each column sign-extended from its place).
  std::array<std::uint64_t, 5> sum{};
  for (int k = 0; k < 4; ++k) {
    // Both columns are below 2^127, so their difference is exact in a signed 128-bit integer.
    const auto difference =
        static_cast<int128>(columns_[k]) - static_cast<int128>(columns_[k + 4]);
    columns_[k] = 0;
    columns_[k + 4] = 0;
    // Terms of one size fill one or two columns: the others add nothing. Folds of few terms
    // (a sweep's small agent groups, folded once each) are mostly these.
    if (difference == 0) continue;
    const auto column = static_cast<uint128>(difference);
    const std::uint64_t extension = difference < 0 ? ~std::uint64_t{0} : 0;
    const std::array<std::uint64_t, 3> words = {static_cast<std::uint64_t>(column),
                                                static_cast<std::uint64_t>(column >> 64),
                                                extension};
    uint128 carry = 0;
    for (int i = k; i < 5; ++i) {
      carry += static_cast<uint128>(sum[i]) + (i - k < 3 ? words[i - k] : extension);
      sum[i] = static_cast<std::uint64_t>(carry);
      carry >>= 64;
    }
  }
  pending_ = 0;
  // Outside the signed 256-bit range, the top limb is more than the sign extension.
  const bool fits = sum[4] == ((sum[3] >> 63) != 0 ? ~std::uint64_t{0} : 0);
  total_.merge(ExactSum::from_limbs({sum[0], sum[1], sum[2], sum[3]}, !fits));
}

ExactSum ExactSum::from_limbs(const std::array<std::uint64_t, 4>& limbs, bool invalid) {
  ExactSum s;
  s.limbs_ = limbs;
  s.invalid_ = invalid;
  return s;
}

}  // namespace cjsim
