// Designs of experiments: which combinations of parameter values a sweep runs. A design is a
// table with one row per design point and one column per parameter.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace cjsim {

using DesignRows = std::vector<std::vector<double>>;  // [point][parameter]

// Every combination of the parameters' levels, the last parameter varying fastest.
DesignRows grid_design(std::span<const std::vector<double>> levels);

// `steps` evenly spaced levels from `low` to `high`, both included (one level: `low`).
std::vector<double> evenly_spaced(double low, double high, std::uint64_t steps);

// Point k takes the k-th value of every parameter; the lists must be equally long.
DesignRows list_design(std::span<const std::vector<double>> values);

struct Interval {
  double low = 0.0;
  double high = 0.0;
  // Whole numbers only (low and high are whole): the point's place u in [0, 1) becomes
  // low + floor(u x (high - low + 1)), so each whole number from low to high takes an equal
  // share of the strata and the levels keep the strata's order.
  bool whole = false;
};

// A Latin hypercube of `points` points: each parameter's interval is cut into `points` equal
// strata and every stratum holds exactly one point, at a uniform place within it (a whole
// interval's then rounded down as Interval says); strata are paired across parameters by
// independent random permutations. The same seed gives the same
// design on every platform (the generator is std::mt19937_64, whose output the standard fixes,
// and the draws are made from its raw words).
DesignRows latin_hypercube(std::span<const Interval> ranges, std::uint64_t points,
                           std::uint64_t seed);

}  // namespace cjsim
