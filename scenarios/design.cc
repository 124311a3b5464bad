// Grid, list and Latin hypercube designs.
#include "scenarios/design.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <stdexcept>

namespace cjsim {
namespace {

// A uniform number in [0, 1) from the top 53 bits of a word.
double unit(std::mt19937_64& words) { return static_cast<double>(words() >> 11) * 0x1.0p-53; }

// A uniform integer in [0, n), without modulo bias (Lemire's method, with rejection).
std::uint64_t below(std::mt19937_64& words, std::uint64_t n) {
  __extension__ using u128 = unsigned __int128;
  u128 product = static_cast<u128>(words()) * n;
  auto low = static_cast<std::uint64_t>(product);
  if (low < n) {
    const std::uint64_t threshold = -n % n;
    while (low < threshold) {
      product = static_cast<u128>(words()) * n;
      low = static_cast<std::uint64_t>(product);
    }
  }
  return static_cast<std::uint64_t>(product >> 64);
}

}  // namespace

DesignRows grid_design(std::span<const std::vector<double>> levels) {
  std::uint64_t count = 1;
  for (const auto& l : levels) count *= l.size();
  DesignRows rows;
  if (levels.empty() || count == 0) return rows;
  rows.reserve(count);
  std::vector<std::size_t> index(levels.size(), 0);
  for (std::uint64_t k = 0; k < count; ++k) {
    std::vector<double> row(levels.size());
    for (std::size_t j = 0; j < levels.size(); ++j) row[j] = levels[j][index[j]];
    rows.push_back(std::move(row));
    for (std::size_t j = levels.size(); j-- > 0;) {
      if (++index[j] < levels[j].size()) break;
      index[j] = 0;
    }
  }
  return rows;
}

std::vector<double> evenly_spaced(double low, double high, std::uint64_t steps) {
  std::vector<double> out;
  if (steps == 0) return out;
  if (steps == 1) return {low};
  out.reserve(steps);
  for (std::uint64_t k = 0; k < steps; ++k) {
    // The last level is `high` exactly, not low + (steps - 1) * step rounded.
    const double t = static_cast<double>(k) / static_cast<double>(steps - 1);
    out.push_back(k + 1 == steps ? high : low + t * (high - low));
  }
  return out;
}

DesignRows list_design(std::span<const std::vector<double>> values) {
  DesignRows rows;
  if (values.empty()) return rows;
  const std::size_t n = values[0].size();
  for (const auto& v : values) {
    if (v.size() != n) throw std::invalid_argument("list design: lists of different lengths");
  }
  rows.assign(n, std::vector<double>(values.size()));
  for (std::size_t j = 0; j < values.size(); ++j) {
    for (std::size_t k = 0; k < n; ++k) rows[k][j] = values[j][k];
  }
  return rows;
}

DesignRows latin_hypercube(std::span<const Interval> ranges, std::uint64_t points,
                           std::uint64_t seed) {
  DesignRows rows(points, std::vector<double>(ranges.size()));
  std::mt19937_64 words(seed);
  std::vector<std::uint64_t> strata(points);
  for (std::size_t j = 0; j < ranges.size(); ++j) {
    for (std::uint64_t k = 0; k < points; ++k) strata[k] = k;
    for (std::uint64_t k = points; k > 1; --k) std::swap(strata[k - 1], strata[below(words, k)]);
    const double width = ranges[j].high - ranges[j].low;
    for (std::uint64_t k = 0; k < points; ++k) {
      const double u = (static_cast<double>(strata[k]) + unit(words)) / static_cast<double>(points);
      if (!ranges[j].whole) {
        rows[k][j] = ranges[j].low + u * width;
        continue;
      }
      rows[k][j] = std::min(ranges[j].low + std::floor(u * (width + 1.0)), ranges[j].high);
    }
  }
  return rows;
}

}  // namespace cjsim
