// A sweep file for people: the design points, best first by a chosen figure, and which
// parameter moves that figure most (text for the terminal; Markdown and CSV tables).
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "reports/store/hdf5_sweep.h"
#include "sim/sweep/sensitivity.h"

namespace cjsim {

// Point indices ordered best first by `metric` (undefined values last; ties by index).
std::vector<std::size_t> points_best_first(const StoredSweep& sweep, std::string_view metric);

// The sensitivity of `metric`, one ranking per base scenario.
std::vector<ScenarioSensitivity> sensitivity_of(const StoredSweep& sweep, std::string_view metric);

// The table of the `top` best points (0: all) and the sensitivity ranking. `metric` must be a
// headline figure's name.
std::string sweep_summary_text(const StoredSweep& sweep, std::string_view metric, std::size_t top);

// What `cjsim sweep --summary --json` prints: the experiment, the `top` best points (0: all)
// with their parameters and every headline figure as `name` and `name_ci` ([low, high], the
// naming of every JSON output of cjsim), and the sensitivity ranking of `metric`.
nlohmann::json sweep_summary_json(const StoredSweep& sweep, std::string_view metric,
                                  std::size_t top);

// Every point, best first: its parameters and every headline figure with its interval.
std::string sweep_table_markdown(const StoredSweep& sweep, std::string_view metric);
std::string sweep_table_csv(const StoredSweep& sweep, std::string_view metric);

}  // namespace cjsim
