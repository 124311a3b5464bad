// Sums of doubles that do not depend on the order of addition, so that aggregates merged
// from any number of threads, batches or processes are bit-identical.
//
// Floating-point addition is not associative: summing the same agents in another grouping
// changes the last bits. Both sums here are integers in fixed point, and integer addition
// is associative, so merge order cannot matter.
#pragma once

#include <array>
#include <bit>
#include <cstdint>

namespace cjsim {

// GCC's and clang's 128-bit integers, an extension that -Wpedantic names: spelled here only.
__extension__ using int128 = __int128;
__extension__ using uint128 = unsigned __int128;

// A sum of arbitrary finite doubles, kept exactly in 256-bit two's complement fixed point
// with 128 fractional bits (range about +-1.7e38, resolution 2^-128). Each term is added
// exactly except for bits below 2^-128, which are dropped (deterministically).
class ExactSum {
 public:
  // Inline because the engine adds a dozen terms per agent: the common term (a normal number
  // that lies wholly inside the range, nothing dropped) costs one 256-bit addition here;
  // zero, subnormal, tiny, huge and non-finite terms take the general path.
  void add(double x) {
    if (x == 0.0) return;
    const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
    const int bit = static_cast<int>((bits >> 52) & 0x7ff) - kFastExponentBias;
    if (static_cast<unsigned>(bit) >= kFastBitLimit) {
      add_general(x);
      return;
    }
    const std::uint64_t mantissa =
        (bits & ((std::uint64_t{1} << 52) - 1)) | (std::uint64_t{1} << 52);
    add_shifted(mantissa, bit, (bits >> 63) != 0);
  }
  void merge(const ExactSum& other);
  double value() const;
  // Set when a term was not finite or the range was exceeded; value() is then NaN.
  bool invalid() const { return invalid_; }

  const std::array<std::uint64_t, 4>& limbs() const { return limbs_; }
  static ExactSum from_limbs(const std::array<std::uint64_t, 4>& limbs, bool invalid);

  friend bool operator==(const ExactSum&, const ExactSum&) = default;

 private:
  friend class DeferredExactSum;

  // A normal double's lowest mantissa bit sits at bit (biased exponent - 1075 + 128) of the
  // fixed point; the fast path takes the terms whose lowest bit is at 0 or above and whose
  // top bit stays below the sign bit's headroom (the same test as the general path's).
  static constexpr int kFastExponentBias = 1075 - 128;
  static constexpr unsigned kFastBitLimit = 256 - 1 - 53;

  void add_general(double x);

  // Adds (or subtracts) mantissa * 2^bit, 0 <= bit < kFastBitLimit, as two 128-bit halves:
  // the term's two's complement when negative, then one add with carry. Branch-free, since
  // signs and magnitudes vary from agent to agent.
  void add_shifted(std::uint64_t mantissa, int bit, bool negative) {
    using u128 = uint128;
    std::array<std::uint64_t, 5> term{};  // one spare limb: the high part may land past limb 3
    const u128 shifted = static_cast<u128>(mantissa) << (bit % 64);
    term[bit / 64] = static_cast<std::uint64_t>(shifted);
    term[bit / 64 + 1] = static_cast<std::uint64_t>(shifted >> 64);
    u128 term_low = term[0] | static_cast<u128>(term[1]) << 64;
    u128 term_high = term[2] | static_cast<u128>(term[3]) << 64;
    const u128 negated_low = -term_low;
    const u128 negated_high = ~term_high + (term_low == 0 ? 1 : 0);
    term_low = negative ? negated_low : term_low;
    term_high = negative ? negated_high : term_high;

    const u128 sum_low = (limbs_[0] | static_cast<u128>(limbs_[1]) << 64) + term_low;
    const u128 carry = sum_low < term_low ? 1 : 0;
    const u128 old_high = limbs_[2] | static_cast<u128>(limbs_[3]) << 64;
    const u128 sum_high = old_high + term_high + carry;
    limbs_[0] = static_cast<std::uint64_t>(sum_low);
    limbs_[1] = static_cast<std::uint64_t>(sum_low >> 64);
    limbs_[2] = static_cast<std::uint64_t>(sum_high);
    limbs_[3] = static_cast<std::uint64_t>(sum_high >> 64);
    // Signed overflow: a term of the sum's sign that flips it (the term is never zero).
    const bool was_negative = (old_high >> 127) != 0;
    const bool is_negative = (sum_high >> 127) != 0;
    if (was_negative == negative && is_negative != negative) invalid_ = true;
  }

  std::array<std::uint64_t, 4> limbs_{};  // least significant first
  bool invalid_ = false;
};

// An ExactSum that defers its carries, for the engine's per-agent sums: the same total to the
// bit, at a fraction of the cost per term. A term on ExactSum's fast path is mantissa x 2^bit
// (0 <= bit < kFastBitLimit); written as (mantissa x 2^(bit % 4)) x 2^(4 (bit / 4)), its first
// factor is below 2^56 and is added, with its sign, to a signed 64-bit column of its own
// weight: one addition, no carry, no shift across words. After kFoldEvery terms (2^7 x 2^56
// stays below a column's 2^63) or when taken, the columns are folded into the ExactSum.
// Integer addition is associative, so the limbs are those of adding every term to the ExactSum
// directly; an overflow of the 256-bit range, which needs sums past 1.7e38, is detected when a
// fold adds the columns to the total instead of term by term.
class DeferredExactSum {
 public:
  void add(double x) {
    add_unfolded(x);
    if (++pending_ == kFoldEvery) fold();
  }

  // add, for a caller that counts the terms itself and calls fold() at least every
  // kFoldEvery of them (several sums that take one term each per agent count once).
  static constexpr unsigned kFoldEvery = 128;
  void add_unfolded(double x) {
    const std::uint64_t bits = std::bit_cast<std::uint64_t>(x);
    const int bit = static_cast<int>((bits >> 52) & 0x7ff) - ExactSum::kFastExponentBias;
    if (static_cast<unsigned>(bit) >= ExactSum::kFastBitLimit) {
      total_.add(x);  // zero, subnormal, tiny, huge or not finite: the general path
      return;
    }
    const std::uint64_t mantissa =
        (bits & ((std::uint64_t{1} << 52) - 1)) | (std::uint64_t{1} << 52);
    const auto magnitude = static_cast<std::int64_t>(mantissa << (bit & 3));
    const std::int64_t sign = static_cast<std::int64_t>(bits) >> 63;  // 0, or -1 when negative
    columns_[bit >> 2] += (magnitude ^ sign) - sign;
    touched_ |= std::uint64_t{1} << (bit >> 2);
  }

  // Adds the columns to the total and empties them.
  void fold();

  // The sum so far; the buffer is then empty.
  ExactSum take() {
    fold();
    ExactSum out = total_;
    total_ = ExactSum();
    return out;
  }

 private:
  static constexpr int kColumns = (ExactSum::kFastBitLimit + 3) / 4;

  static_assert(kColumns <= 64);
  std::int64_t columns_[kColumns] = {};  // column c: a multiple of 2^(4 c)
  std::uint64_t touched_ = 0;            // bit c: column c was added to since the last fold
  unsigned pending_ = 0;
  ExactSum total_;
};

// A sum of terms known to lie in [-1, 1] (emotions and their squares), the per-step case:
// one conversion and one 128-bit addition. Resolution 2^-62; holds 2^65 terms.
class BoundedSum {
 public:
  void add(double x) { total_ += static_cast<std::int64_t>(x * 0x1.0p62); }
  void merge(const BoundedSum& other) { total_ += other.total_; }
  double value() const { return static_cast<double>(total_) * 0x1.0p-62; }

  int128 raw() const { return total_; }
  static BoundedSum from_raw(int128 raw) {
    BoundedSum s;
    s.total_ = raw;
    return s;
  }

  friend bool operator==(const BoundedSum&, const BoundedSum&) = default;

 private:
  int128 total_ = 0;
};

}  // namespace cjsim
