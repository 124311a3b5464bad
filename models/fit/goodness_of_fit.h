// Goodness of fit: observed journeys against journeys simulated from what was fitted to them,
// on the figures a modeller checks first (conversion rate, path length, stage reach, the most
// common paths, the distance between the distributions of whole paths), and the held-out share of
// the data that such checks are fair on.
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
};

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
