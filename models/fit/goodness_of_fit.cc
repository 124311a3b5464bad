// Path statistics of two sets of journeys, side by side.
#include "models/fit/goodness_of_fit.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <unordered_map>

namespace cjsim {
namespace {

struct PathStatistics {
  double customers = 0.0;
  double converted = 0.0;
  std::map<std::size_t, double> length;  // customers by touchpoints per path
  std::map<std::string, double> stage_visits;
  std::unordered_map<std::string, double> paths;
  std::vector<VariantCount> variants;  // each path as it is, touchpoints named by `Names`
};

// Touchpoint names as indices both sides share, for comparing paths as sequences.
class Names {
 public:
  std::uint32_t index(const std::string& name) {
    return index_.try_emplace(name, static_cast<std::uint32_t>(index_.size())).first->second;
  }

 private:
  std::unordered_map<std::string, std::uint32_t> index_;
};

std::string path_text(const ObservedJourneys& j, const ObservedPath& p) {
  std::string text;
  for (std::uint32_t t : p.touchpoints) {
    if (!text.empty()) text += " > ";
    text += t < j.touchpoints.size() ? j.touchpoints[t] : "?";
  }
  return text;
}

PathStatistics statistics_of(const ObservedJourneys& j, Names& names) {
  PathStatistics s;
  std::vector<std::uint32_t> shared(j.touchpoints.size());
  for (std::size_t t = 0; t < j.touchpoints.size(); ++t) shared[t] = names.index(j.touchpoints[t]);
  const std::uint32_t unknown = names.index("?");
  std::vector<std::string> seen;
  for (const ObservedPath& p : j.paths) {
    const double c = static_cast<double>(p.count);
    if (c == 0.0) continue;
    s.customers += c;
    if (p.conversion_step >= 0) s.converted += c;
    s.length[p.touchpoints.size()] += c;
    seen.clear();
    for (std::uint32_t t : p.touchpoints) {
      if (t < j.stages.size() && std::find(seen.begin(), seen.end(), j.stages[t]) == seen.end()) {
        seen.push_back(j.stages[t]);
      }
    }
    for (const std::string& stage : seen) s.stage_visits[stage] += c;
    s.paths[path_text(j, p)] += c;
    VariantCount& variant = s.variants.emplace_back();
    variant.customers = p.count;
    variant.touchpoints.reserve(p.touchpoints.size());
    for (std::uint32_t t : p.touchpoints) {
      variant.touchpoints.push_back(t < shared.size() ? shared[t] : unknown);
    }
  }
  return s;
}

double share(double part, double whole) { return whole > 0.0 ? part / whole : 0.0; }

// The path-length table's rows: one per length up to 9, then wider as paths get longer (a
// process log's paths run to hundreds of events), the last open-ended.
constexpr std::size_t kLengthRowStarts[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 15, 20, 30, 50, 100};

// Customers with a length in [from, to), of one side.
double customers_between(const PathStatistics& s, std::size_t from, std::size_t to) {
  double sum = 0.0;
  for (auto it = s.length.lower_bound(from); it != s.length.end() && it->first < to; ++it) {
    sum += it->second;
  }
  return sum;
}

// Customers by hours, of one side: (hours, customers), sorted.
struct TimedCustomers {
  bool timed = false;  // some path had hours
  double customers = 0.0;
  std::vector<std::pair<double, double>> hours;
};

TimedCustomers times_of(const ObservedJourneys& j, TimeFigure figure) {
  TimedCustomers out;
  for (const ObservedPath& p : j.paths) {
    if (p.count == 0 || p.touchpoints.empty() || p.hours.size() != p.touchpoints.size()) continue;
    out.timed = true;
    const double c = static_cast<double>(p.count);
    if (figure == TimeFigure::journey_duration) {
      out.hours.emplace_back(p.hours.back() - p.hours.front(), c);
    } else if (p.conversion_step >= 0 &&
               static_cast<std::size_t>(p.conversion_step) < p.hours.size()) {
      out.hours.emplace_back(p.hours[static_cast<std::size_t>(p.conversion_step)] - p.hours.front(),
                             c);
    } else {
      continue;
    }
    out.customers += c;
  }
  std::sort(out.hours.begin(), out.hours.end());
  return out;
}

double mean_hours(const TimedCustomers& t) {
  double sum = 0.0;
  for (const auto& [h, c] : t.hours) sum += h * c;
  return sum / t.customers;
}

// The smallest hours with at least `level` of the customers at or below them. The share is a
// quotient of whole numbers, so a level it equals exactly (3 of 30 at 0.1) is met there.
double quantile_hours(const TimedCustomers& t, double level) {
  double cumulative = 0.0;
  for (const auto& [h, c] : t.hours) {
    cumulative += c;
    if (cumulative / t.customers >= level) return h;
  }
  return t.hours.back().first;
}

// The largest gap between the two cumulative distributions, taken after each distinct hour.
double kolmogorov_smirnov(const TimedCustomers& a, const TimedCustomers& b) {
  double fa = 0.0, fb = 0.0, largest = 0.0;
  std::size_t i = 0, k = 0;
  while (i < a.hours.size() || k < b.hours.size()) {
    const double h = k == b.hours.size() || (i < a.hours.size() && a.hours[i].first <= b.hours[k].first)
                         ? a.hours[i].first
                         : b.hours[k].first;
    for (; i < a.hours.size() && a.hours[i].first == h; ++i) fa += a.hours[i].second;
    for (; k < b.hours.size() && b.hours[k].first == h; ++k) fb += b.hours[k].second;
    largest = std::max(largest, std::abs(fa / a.customers - fb / b.customers));
  }
  return largest;
}

// The time table's rows: where each starts, in hours (the first holds exactly 0, the second
// the rest below 1 h), and its label.
struct HoursRow {
  double from;
  const char* label;
};
constexpr HoursRow kHoursRows[] = {
    {0.0, "0 h"},          {0.0, "0-1 h"},          {1.0, "1-6 h"},
    {6.0, "6-24 h"},       {24.0, "1-3 days"},      {72.0, "3-7 days"},
    {168.0, "1-2 weeks"},  {336.0, "2-4 weeks"},    {672.0, "4-13 weeks"},
    {2184.0, "13+ weeks"},
};

// The row of `hours` in kHoursRows.
std::size_t hours_row(double hours) {
  if (hours <= 0.0) return 0;
  std::size_t row = 1;
  while (row + 1 < std::size(kHoursRows) && hours >= kHoursRows[row + 1].from) ++row;
  return row;
}

}  // namespace

double TimeFit::observed_median() const { return observed_quantiles.at(2); }
double TimeFit::simulated_median() const { return simulated_quantiles.at(2); }

TimeFit time_fit(const ObservedJourneys& observed, const ObservedJourneys& simulated,
                 TimeFigure figure) {
  static_assert(kTimeQuantileLevels[2] == 0.5, "the median is the third quantile");
  TimeFit out;
  const TimedCustomers o = times_of(observed, figure);
  const TimedCustomers s = times_of(simulated, figure);
  if (!o.timed) {
    out.unavailable = "the data have no timestamps";
  } else if (!s.timed) {
    out.unavailable = "the simulated paths have no times";
  } else if (o.customers == 0.0 || s.customers == 0.0) {
    const char* side = o.customers == 0.0 ? "observed" : "simulated";
    out.unavailable = figure == TimeFigure::time_to_convert
                          ? fmt::format("no {} customer converted", side)
                          : fmt::format("no {} customer", side);
  }
  if (!out.unavailable.empty()) return out;
  out.observed_customers = static_cast<std::uint64_t>(o.customers);
  out.simulated_customers = static_cast<std::uint64_t>(s.customers);
  out.observed_mean = mean_hours(o);
  out.simulated_mean = mean_hours(s);
  for (const double level : kTimeQuantileLevels) {
    out.observed_quantiles.push_back(quantile_hours(o, level));
    out.simulated_quantiles.push_back(quantile_hours(s, level));
  }
  const std::size_t rows =
      1 + std::max(hours_row(o.hours.back().first), hours_row(s.hours.back().first));
  out.bins.observed.assign(rows, 0.0);
  out.bins.simulated.assign(rows, 0.0);
  for (std::size_t r = 0; r < rows; ++r) out.bins.labels.emplace_back(kHoursRows[r].label);
  for (const auto& [h, c] : o.hours) out.bins.observed[hours_row(h)] += c;
  for (const auto& [h, c] : s.hours) out.bins.simulated[hours_row(h)] += c;
  for (double& share : out.bins.observed) share /= o.customers;
  for (double& share : out.bins.simulated) share /= s.customers;
  out.distance = kolmogorov_smirnov(o, s);
  return out;
}

GoodnessOfFit goodness_of_fit(const ObservedJourneys& observed, const ObservedJourneys& simulated,
                              const std::vector<std::string>& stages, std::size_t top_paths) {
  Names names;
  const PathStatistics o = statistics_of(observed, names);
  const PathStatistics s = statistics_of(simulated, names);
  GoodnessOfFit out;
  out.observed_customers = static_cast<std::uint64_t>(o.customers);
  out.simulated_customers = static_cast<std::uint64_t>(s.customers);
  out.observed_conversion =
      wilson_interval(static_cast<std::uint64_t>(o.converted), out.observed_customers);
  out.simulated_conversion =
      wilson_interval(static_cast<std::uint64_t>(s.converted), out.simulated_customers);

  // Rows up to the one holding the longest path seen on either side.
  std::size_t longest = 1;
  for (const PathStatistics* side : {&o, &s}) {
    if (!side->length.empty()) longest = std::max(longest, side->length.rbegin()->first);
  }
  constexpr std::size_t rows = std::size(kLengthRowStarts);
  for (std::size_t r = 0; r < rows && kLengthRowStarts[r] <= longest; ++r) {
    const std::size_t from = kLengthRowStarts[r];
    const bool last = r + 1 == rows;
    const std::size_t to = last ? std::numeric_limits<std::size_t>::max() : kLengthRowStarts[r + 1];
    out.path_length.labels.push_back(last       ? fmt::format("{}+", from)
                                     : to == from + 1 ? fmt::format("{}", from)
                                                      : fmt::format("{}-{}", from, to - 1));
    out.path_length.observed.push_back(share(customers_between(o, from, to), o.customers));
    out.path_length.simulated.push_back(share(customers_between(s, from, to), s.customers));
  }
  // The distance is over the lengths themselves, not the table's rows.
  std::map<std::size_t, double> difference;
  for (const auto& [length, c] : o.length) difference[length] += share(c, o.customers);
  for (const auto& [length, c] : s.length) difference[length] -= share(c, s.customers);
  for (const auto& [length, d] : difference) out.path_length_distance += 0.5 * std::abs(d);
  out.variant_distance = variant_distance(o.variants, s.variants);
  for (const std::string& stage : stages) {
    out.stage_reach.labels.push_back(stage);
    const auto oi = o.stage_visits.find(stage);
    const auto si = s.stage_visits.find(stage);
    out.stage_reach.observed.push_back(
        share(oi == o.stage_visits.end() ? 0.0 : oi->second, o.customers));
    out.stage_reach.simulated.push_back(
        share(si == s.stage_visits.end() ? 0.0 : si->second, s.customers));
  }
  out.time_to_convert = time_fit(observed, simulated, TimeFigure::time_to_convert);
  out.journey_duration = time_fit(observed, simulated, TimeFigure::journey_duration);
  std::vector<std::pair<std::string, double>> ranked(o.paths.begin(), o.paths.end());
  // Ties by text, so that the table does not depend on hashing.
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  for (std::size_t k = 0; k < std::min(top_paths, ranked.size()); ++k) {
    out.top_paths.labels.push_back(ranked[k].first);
    out.top_paths.observed.push_back(share(ranked[k].second, o.customers));
    const auto si = s.paths.find(ranked[k].first);
    out.top_paths.simulated.push_back(share(si == s.paths.end() ? 0.0 : si->second, s.customers));
  }
  return out;
}

std::pair<ObservedJourneys, ObservedJourneys> split_holdout(const ObservedJourneys& data,
                                                            double share, std::uint64_t seed) {
  ObservedJourneys kept = data, held = data;
  kept.paths.clear();
  held.paths.clear();
  if (share > 0.0) {
    kept.source += " (fitted share)";
    held.source += " (held-out share)";
  }
  std::mt19937_64 generator(seed);
  for (const ObservedPath& p : data.paths) {
    std::binomial_distribution<std::uint64_t> draw(p.count, share);
    const std::uint64_t out = share <= 0.0 ? 0 : share >= 1.0 ? p.count : draw(generator);
    // Value is a total over the path's customers: it is shared in proportion.
    const double value_each = p.count > 0 ? p.value / static_cast<double>(p.count) : 0.0;
    if (out > 0) {
      ObservedPath h = p;
      h.count = out;
      h.value = value_each * static_cast<double>(out);
      held.paths.push_back(std::move(h));
    }
    if (out < p.count) {
      ObservedPath k = p;
      k.count = p.count - out;
      k.value = out == 0 ? p.value : value_each * static_cast<double>(k.count);
      kept.paths.push_back(std::move(k));
    }
  }
  return {std::move(kept), std::move(held)};
}

}  // namespace cjsim
