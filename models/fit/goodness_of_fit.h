// Goodness of fit: observed journeys against journeys simulated from what was fitted to them,
// on the figures a modeller checks first (conversion rate, path length, stage reach, the most
// common paths, the distance between the distributions of whole paths, time to convert and
// journey duration), and the held-out share of the data that such checks are fair on.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "models/fit/variant_distance.h"
#include "models/observed/observed_journeys.h"
#include "sim/engine/statistics.h"

namespace cjsim {

// Shares of customers, observed and simulated, per label.
struct FitTable {
  std::vector<std::string> labels;
  std::vector<double> observed;
  std::vector<double> simulated;
};

// One time figure, observed against simulated, in hours between the starts of two of a
// customer's visits: both sides measure the same moments (the data's timestamps are when
// visits happened; a simulated path records when each visit began, before its duration).
//   time to convert: from the first visit's start to the conversion visit's start (converters);
//   journey duration: from the first visit's start to the last visit's start (every customer).
struct TimeFit {
  // Why the figure cannot be compared ("the data have no timestamps", no converters, ...);
  // empty when it can, and then every field below is set.
  std::string unavailable;
  std::uint64_t observed_customers = 0;  // customers the figure covers, each side
  std::uint64_t simulated_customers = 0;
  double observed_mean = 0.0;  // hours
  double simulated_mean = 0.0;
  // Quantiles of each side's hours at kTimeQuantileLevels: the smallest hours h with at least
  // that share of the customers at h or below (the empirical distribution's inverse).
  std::vector<double> observed_quantiles;
  std::vector<double> simulated_quantiles;
  // Shares of customers per row of hours: 0, then 0-1 h, 1-6 h, 6-24 h, 1-3 days, 3-7 days,
  // 1-2 weeks, 2-4 weeks, 4-13 weeks, 13+ weeks (each row from its start, inclusive, to the
  // next's, exclusive), up to the row of the longest time on either side.
  FitTable bins;
  // The Kolmogorov-Smirnov statistic: the largest difference between the two sides'
  // cumulative distributions of hours, over every hour (0: the same distribution, 1: apart).
  double distance = 0.0;

  double observed_median() const;  // the 50% quantile
  double simulated_median() const;
};

// The quantile levels of TimeFit, in order; the median is among them.
inline constexpr double kTimeQuantileLevels[] = {0.1, 0.25, 0.5, 0.75, 0.9};

struct GoodnessOfFit {
  std::uint64_t observed_customers = 0;
  std::uint64_t simulated_customers = 0;
  Estimate observed_conversion;  // Wilson intervals
  Estimate simulated_conversion;
  // Touchpoints per path: rows 1 to 9, then 10-14, 15-19, 20-29, 30-49, 50-99 and 100+, up to
  // the row of the longest path seen on either side.
  FitTable path_length;
  FitTable stage_reach;  // share of customers who visit the stage
  FitTable top_paths;    // the most common observed paths ("a > b > c")
  // Total variation distance between the path-length distributions, over the lengths
  // themselves rather than the table's rows (0: the same, 1: disjoint).
  double path_length_distance = 0.0;
  // The earth mover's distance between the distributions of whole paths (variants), with
  // pm4py's ground distance (variant_distance.h): 0 the same, at most 1.
  VariantDistance variant_distance;
  TimeFit time_to_convert;   // converters only
  TimeFit journey_duration;  // every customer
};

// The time figures alone, of paths whose `hours` are set (the others are left out; a side
// with none makes the figure unavailable).
enum class TimeFigure { time_to_convert, journey_duration };
TimeFit time_fit(const ObservedJourneys& observed, const ObservedJourneys& simulated,
                 TimeFigure figure);

// Both sides must name touchpoints the same way (the fitted scenario's ids: see
// in_fitted_terms and observed_from_simulation); stages are compared by name, in the order
// `stages` gives.
GoodnessOfFit goodness_of_fit(const ObservedJourneys& observed, const ObservedJourneys& simulated,
                              const std::vector<std::string>& stages, std::size_t top_paths = 10);

// Each customer goes to the held-out share with probability `share`, independently, drawn from
// `seed` (the same seed, the same split). Returns (kept, held out); both keep the touchpoint
// table of `data`.
std::pair<ObservedJourneys, ObservedJourneys> split_holdout(const ObservedJourneys& data,
                                                            double share, std::uint64_t seed);

}  // namespace cjsim
