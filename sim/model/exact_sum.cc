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
  // The columns' sum in 320-bit two's complement (each column sign-extended from its place).
  std::array<std::uint64_t, 5> sum{};
  // Terms of one size fill one or two columns: only those added to are read.
  for (std::uint64_t touched = touched_; touched != 0; touched &= touched - 1) {
    const int c = std::countr_zero(touched);
    const std::int64_t column = columns_[c];
    columns_[c] = 0;
    if (column == 0) continue;
    // column x 2^(4 c): below 2^123 in magnitude at its limb, so exact in 128 bits.
    const int limb = 4 * c / 64;
    const auto placed = static_cast<uint128>(static_cast<int128>(column)) << (4 * c % 64);
    const std::uint64_t extension = column < 0 ? ~std::uint64_t{0} : 0;
    const std::array<std::uint64_t, 3> words = {static_cast<std::uint64_t>(placed),
                                                static_cast<std::uint64_t>(placed >> 64),
                                                extension};
    uint128 carry = 0;
    for (int i = limb; i < 5; ++i) {
      carry += static_cast<uint128>(sum[i]) + (i - limb < 3 ? words[i - limb] : extension);
      sum[i] = static_cast<std::uint64_t>(carry);
      carry >>= 64;
    }
  }
  touched_ = 0;
  if (sum == std::array<std::uint64_t, 5>{}) return;
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
