// What `cjsim attribute` reports: one row per channel (or touchpoint) and one column per
// figure (heuristics, Markov removal effects and attributions per order, simulated removal
// effects), as text, CSV and JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace cjsim {

struct AttributionTable {
  std::string source;
  std::string level;  // "channel" or "touchpoint"
  std::vector<std::string> channels;
  // Column name -> one value per channel, in the order they are printed.
  std::vector<std::pair<std::string, std::vector<double>>> columns;
  // Whole-journey figures (total conversions and value, conversion rates of the chains).
  std::vector<std::pair<std::string, double>> totals;
  std::vector<std::string> notes;  // how the figures were made, printed under the table
};

// A header row `channel,<columns...>`, then one row per channel (RFC 4180 quoting).
std::string attribution_csv(const AttributionTable& table);
// {"source", "level", "totals": {...}, "channels": [{"channel": NAME, <column>: value, ...}],
// "notes"}
nlohmann::json attribution_json(const AttributionTable& table);
std::string attribution_text(const AttributionTable& table);

}  // namespace cjsim
