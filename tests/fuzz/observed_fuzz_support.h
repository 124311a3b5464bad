// What the observed-data fuzz targets do with their bytes (read as an event log or a path
// table) and with what a reader accepted: fit the Markov chain, check the journey written
// validates, and attribute by orders 1 and 2.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "models/attribution/attribution.h"
#include "models/fit/markov_fit.h"
#include "models/observed/event_log.h"
#include "models/observed/observed_journeys.h"
#include "models/observed/path_table.h"
#include "scenarios/loader.h"
#include "scenarios/validate.h"
#include "scenarios/writer.h"

namespace cjsim::fuzz {

inline void fit_and_attribute(const ObservedJourneys& data) {
  const ChannelPaths paths = channel_paths(data, AttributionLevel::channel);
  if (paths.conversions() > 0.0) {
    for (int order = 1; order <= 2; ++order) (void)markov_attribution(paths, order);
  }
  MarkovFit fit;
  try {
    fit = fit_markov(data);
  } catch (const std::invalid_argument&) {
    return;  // no customer or no conversion: reported to the user as such
  }
  (void)in_fitted_terms(data, fit);
  Diagnostics diagnostics;
  const auto back = parse_scenario(scenario_yaml(fit.scenario), "fitted.yaml", diagnostics);
  if (!back)
    throw std::logic_error("a fitted journey does not load back: " + diagnostics.to_string());
  validate_scenario(*back, diagnostics);
  if (diagnostics.has_errors()) {
    throw std::logic_error("a fitted journey does not validate: " + diagnostics.to_string());
  }
}

// Reads `text` with `read` (read_event_log or read_path_table, with default options) and fits
// and attributes what it accepts.
template <class Reader>
void read_and_fit(std::string_view text, Reader read) {
  std::istringstream in{std::string(text)};
  Diagnostics diagnostics;
  const auto journeys = read(in, "input.csv", {}, diagnostics);
  (void)diagnostics.to_string();
  if (journeys) fit_and_attribute(*journeys);
}

inline void event_log_input(std::string_view text) { read_and_fit(text, read_event_log); }
inline void path_table_input(std::string_view text) { read_and_fit(text, read_path_table); }

}  // namespace cjsim::fuzz
