// A sweep file for people: the design points, best first by a chosen figure, and which
// parameter moves that figure most (text for the terminal; Markdown and CSV tables).
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reports/store/hdf5_sweep.h"
#include "sim/sweep/sensitivity.h"

namespace cjsim {

// Point indices ordered best first by `metric` (undefined values last; ties by index).
std::vector<std::size_t> points_best_first(const StoredSweep& sweep, std::string_view metric);

// The sensitivity of `metric`, one ranking per base scenario, with its intervals from the
// replications.
std::vector<ScenarioSensitivity> sensitivity_of(const StoredSweep& sweep, std::string_view metric);

// Every point's paired difference from the reference: the file's when `reference` is not
// given (or names the file's reference), else computed from the file's replications against
// point `reference` (std::runtime_error when it is not a design point). A file written before
// differences gets them computed against point 0.
SweepDifferences summary_differences(const StoredSweep& sweep,
                                     std::optional<std::uint64_t> reference = {});

// The table of the `top` best points (0: all), their paired differences from the reference
// point, and the sensitivity ranking with the parameters that matter beyond the noise.
// `metric` must be a headline figure's name.
std::string sweep_summary_text(const StoredSweep& sweep, std::string_view metric, std::size_t top,
                               std::optional<std::uint64_t> reference = {});

// What `cjsim sweep --summary --json` prints: the experiment, the `top` best points (0: all)
// with their parameters and every headline figure as `name` and `name_ci` ([low, high], the
// naming of every JSON output of cjsim), the reference point and every point's paired
// difference from it, and the sensitivity ranking of `metric` with its intervals.
nlohmann::json sweep_summary_json(const StoredSweep& sweep, std::string_view metric,
                                  std::size_t top, std::optional<std::uint64_t> reference = {});

// Every point, best first: its parameters and every headline figure with its interval.
std::string sweep_table_markdown(const StoredSweep& sweep, std::string_view metric);
std::string sweep_table_csv(const StoredSweep& sweep, std::string_view metric);

}  // namespace cjsim
