// What `cjsim fit` reports: goodness of fit as printed tables, and as an HDF5 file with one
// group per share of the data (fitted, holdout) and the fitted journey's text.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "models/goodness_of_fit.h"

namespace cjsim {

struct FitReport {
  std::string data;           // the file(s) fitted
  std::string scenario_yaml;  // the journey written
  std::string command_line;
  // Closed forms of the fitted journey beside the data they were fitted to.
  double fitted_conversion_probability = 0.0;
  double data_conversion_rate = 0.0;
  double fitted_steps_per_customer = 0.0;
  double data_steps_per_customer = 0.0;
  std::vector<std::pair<std::string, GoodnessOfFit>> checks;  // ("fitted", ...), ("holdout", ...)
};

std::string text_fit_report(const FitReport& report);

// {"data", "closed_forms": {...}, "checks": {"fitted": {...}, "holdout": {...}}}: the same
// figures as the HDF5 file, for programs.
nlohmann::json fit_json(const FitReport& report);

// Written atomically (see write_file_atomically). Layout: attributes data, command_line,
// scenario_yaml and the closed forms on the root; per check a group with attributes
// (customers, conversion rates and their intervals, path_length_distance) and, for each of
// path_length, stage_reach and top_paths, a group with `labels`, `observed` and `simulated`.
void write_fit_report(const std::string& path, const FitReport& report);

}  // namespace cjsim
