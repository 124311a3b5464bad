// Sums of doubles that do not depend on the order of addition, so that aggregates merged
// from any number of threads, batches or processes are bit-identical.
//
// Floating-point addition is not associative: summing the same agents in another grouping
// changes the last bits. Both sums here are integers in fixed point, and integer addition
// is associative, so merge order cannot matter.
#pragma once

#include <array>
#include <cstdint>

namespace cjsim {

// A sum of arbitrary finite doubles, kept exactly in 256-bit two's complement fixed point
// with 128 fractional bits (range about +-1.7e38, resolution 2^-128). Each term is added
// exactly except for bits below 2^-128, which are dropped (deterministically).
class ExactSum {
 public:
  void add(double x);
  void merge(const ExactSum& other);
  double value() const;
  // Set when a term was not finite or the range was exceeded; value() is then NaN.
  bool invalid() const { return invalid_; }

  const std::array<std::uint64_t, 4>& limbs() const { return limbs_; }
  static ExactSum from_limbs(const std::array<std::uint64_t, 4>& limbs, bool invalid);

  friend bool operator==(const ExactSum&, const ExactSum&) = default;

 private:
  void add_shifted(std::uint64_t mantissa, int bit, bool negative);

  std::array<std::uint64_t, 4> limbs_{};  // least significant first
  bool invalid_ = false;
};

// A sum of terms known to lie in [-1, 1] (emotions and their squares), the per-step case:
// one conversion and one 128-bit addition. Resolution 2^-62; holds 2^65 terms.
class BoundedSum {
 public:
  void add(double x) { total_ += static_cast<std::int64_t>(x * 0x1.0p62); }
  void merge(const BoundedSum& other) { total_ += other.total_; }
  double value() const { return static_cast<double>(total_) * 0x1.0p-62; }

  __int128 raw() const { return total_; }
  static BoundedSum from_raw(__int128 raw) {
    BoundedSum s;
    s.total_ = raw;
    return s;
  }

  friend bool operator==(const BoundedSum&, const BoundedSum&) = default;

 private:
  __int128 total_ = 0;
};

}  // namespace cjsim
