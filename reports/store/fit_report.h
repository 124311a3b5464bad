// What `cjsim fit` reports: goodness of fit as printed tables, and as an HDF5 file with one
// group per share of the data (fitted, holdout) and the fitted journey's text.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "models/fit/arrival_fit.h"
#include "models/fit/chain_mixture.h"
#include "models/fit/emotion_fit.h"
#include "models/fit/fit_journey.h"
#include "models/fit/goodness_of_fit.h"
#include "models/fit/queue_fit.h"
#include "models/fit/segment_personas.h"
#include "reports/store/output_file.h"

namespace cjsim {

struct FitReport {
  std::string data;           // the file(s) fitted
  std::string scenario_yaml;  // the journey written
  std::string command_line;
  // Closed forms of the fitted journey beside the data they were fitted to; they exist only
  // for a Markov chain (sim/model/markov.h), and `no_closed_forms` says why when there are none.
  bool has_closed_forms = true;
  std::string no_closed_forms;
  double fitted_conversion_probability = 0.0;
  double data_conversion_rate = 0.0;
  double fitted_steps_per_customer = 0.0;
  double data_steps_per_customer = 0.0;
  std::vector<std::pair<std::string, GoodnessOfFit>> checks;  // ("fitted", ...), ("holdout", ...)
  // The maximum-likelihood parameters when emotion or latent personas were fitted; else empty.
  std::vector<FittedParameter> parameters;
  // With fit --calendar: the arrivals fitted, and the queues when the data have lifecycle
  // transitions (empty otherwise).
  std::optional<ArrivalFit> arrivals;
  std::vector<QueueFit> queues;
  // Personas of their own numbers: the segments of --segment-column, and latent personas
  // fitted as a mixture of chains (empty and nullopt otherwise).
  std::vector<SegmentFit> segments;
  std::optional<ChainMixture> mixture;
};

std::string text_fit_report(const FitReport& report);

// {"data", "closed_forms": {...} (null without them, "no_closed_forms" then says why),
// "checks": {"fitted": {...}, "holdout": {...}}}: the same figures as the HDF5 file, for programs.
nlohmann::json fit_json(const FitReport& report);

// The report of a fit of the data in `data` (its file or files), made by `command_line`.
FitReport fit_report_of(const FitResult& fit, const std::string& data,
                        const std::string& command_line);

// Written through write_hdf5_file. Layout: attributes data, command_line,
// scenario_yaml and the closed forms (or `no_closed_forms`) on the root; with fitted parameters,
// a group `parameters` with `names`, `value`, `standard_error`, `low`, `high`, `identifiable`
// (uint8) and `why_not`, one entry per parameter; per check a group with attributes
// (customers, conversion rates and their intervals, path_length_distance, variant_distance and
// its bound: observed_variants, simulated_variants, compared_variants, pooled_observed_share,
// pooled_simulated_share) and, for each of
// path_length, stage_reach and top_paths, a group with `labels`, `observed` and `simulated`;
// and for each of time_to_convert and journey_duration a group with attributes `available`
// (1 or 0) and either `unavailable` (why not) or the customers, means, medians and
// `kolmogorov_smirnov_distance`, datasets `quantile_levels`, `observed_quantile_hours` and
// `simulated_quantile_hours`, and a group `hours` (labels, observed, simulated shares).
// With fitted arrivals, a group `arrivals`: the attributes of the JSON `arrivals` (customers,
// days, start_weekday, arrivals_per_day, arrivals_per_day_se, arrivals_per_day_ci_low and
// _high, separable_g2, separable_df, separable_p) and two tables (compound datasets, which
// pandas reads): `weekdays` (weekday, weekday_days, weekday_arrivals, weekday_profile) and
// `hours` (hour, hour_arrivals, hour_profile). With fitted queues, a group `queues` with the
// table `touchpoints`, one row per queued touchpoint with the JSON `queues` figures
// (patience_ci as patience_ci_low and _high, NaN when no patience was fitted), and the table
// `servers`, one row per touchpoint and hour of the week (touchpoint, weekday, hour, busy,
// servers).
void write_fit_report(PendingFile& file, const FitReport& report);

}  // namespace cjsim
