// Conformance of whole paths: the earth mover's distance between two distributions of
// variants (distinct paths), with pm4py's ground distance between two variants.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace cjsim {

// One variant and the customers who followed it. Touchpoints are indices into a table both
// sides share: equal indices, the same touchpoint.
struct VariantCount {
  std::vector<std::uint32_t> touchpoints;
  std::uint64_t customers = 0;
};

// Variants compared one by one; the rest of each side is pooled (see variant_distance).
inline constexpr std::size_t kMostVariantsCompared = 200;

struct VariantDistance {
  // The earth mover's distance between the two sides' shares of customers per variant:
  // 0 when they are the same, at most 1.
  double distance = 0.0;
  std::size_t observed_variants = 0;  // distinct variants on each side
  std::size_t simulated_variants = 0;
  std::size_t compared_variants = 0;  // variants compared one by one (the rest pooled)
  double pooled_observed = 0.0;       // share of each side's customers in the pooled variant
  double pooled_simulated = 0.0;
};

// pm4py's ground distance (pm4py.algo.evaluation.earth_mover_distance, normalized_levensthein):
// the Levenshtein distance between two variants as sequences of touchpoints (insertions,
// deletions and substitutions of one touchpoint, each 1) over the longer one's length; 0
// between two empty variants.
double normalised_levenshtein(std::span<const std::uint32_t> a, std::span<const std::uint32_t> b);

// The earth mover's distance between the variant distributions of two sets of customers: the
// least cost, summed over shares moved, of turning one side's shares into the other's when
// moving a share from variant a to variant b costs normalised_levenshtein(a, b), as pm4py's
// earth mover's distance over two logs' languages. A variant listed twice on a side counts
// once, with its customers added.
//
// Bounded: the `most_variants` variants with the largest observed plus simulated share (ties
// by their touchpoints) are compared one by one, the others of each side pooled into one
// variant "other", at distance 0 from the other side's "other" and 1 from every variant
// compared. With no more than `most_variants` distinct variants in all, nothing is pooled and
// the distance is pm4py's. The transport problem is solved exactly (Boost Graph's successive
// shortest paths, on integer shares) with the ground distances rounded to multiples of 2^-30,
// so the result is within 2^-31 of the exact optimum. No customers on a side: distance 0.
VariantDistance variant_distance(std::span<const VariantCount> observed,
                                 std::span<const VariantCount> simulated,
                                 std::size_t most_variants = kMostVariantsCompared);

}  // namespace cjsim
