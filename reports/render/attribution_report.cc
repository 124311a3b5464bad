// Attribution tables in the three forms.
#include "reports/render/attribution_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "reports/render/table_text.h"

namespace cjsim {

std::string attribution_csv(const AttributionTable& t) {
  std::string out = "channel";
  for (const auto& [name, values] : t.columns) out += "," + name;
  out += "\n";
  for (std::size_t k = 0; k < t.channels.size(); ++k) {
    out += csv_field(t.channels[k]);
    for (const auto& [name, values] : t.columns) out += fmt::format(",{}", values[k]);
    out += "\n";
  }
  return out;
}

nlohmann::json attribution_json(const AttributionTable& t) {
  nlohmann::json out;
  out["source"] = t.source;
  out["level"] = t.level;
  out["totals"] = nlohmann::json::object();
  for (const auto& [name, value] : t.totals) out["totals"][name] = value;
  out["channels"] = nlohmann::json::array();
  for (std::size_t k = 0; k < t.channels.size(); ++k) {
    nlohmann::json row;
    row[t.level] = t.channels[k];
    for (const auto& [name, values] : t.columns) row[name] = values[k];
    out["channels"].push_back(std::move(row));
  }
  out["notes"] = t.notes;
  return out;
}

namespace {

// A figure as a person reads it: whole numbers and large ones without an exponent (a total of
// 4,475,140 conversions once printed as 4.47514e+06), the rest to six significant digits.
std::string figure(double v) {
  if (std::isfinite(v) && (std::fabs(v) >= 1e6 || v == std::round(v)) && std::fabs(v) < 1e15)
    return fmt::format("{:.0f}", v);
  return fmt::format("{:.6g}", v);
}

}  // namespace

std::string attribution_text(const AttributionTable& t) {
  std::string out = fmt::format("Attribution by {} of {}\n", t.level, t.source);
  for (const auto& [name, value] : t.totals) out += fmt::format("  {}: {}\n", name, figure(value));
  std::size_t width = t.level.size();
  for (const std::string& c : t.channels)
    width = std::max(width, std::min<std::size_t>(c.size(), 40));
  // Columns in blocks that fit a terminal: the channel, then up to five figures.
  constexpr std::size_t kPerBlock = 5;
  for (std::size_t first = 0; first < t.columns.size(); first += kPerBlock) {
    const std::size_t last = std::min(first + kPerBlock, t.columns.size());
    std::size_t column_width = 12;
    for (std::size_t c = first; c < last; ++c)
      column_width = std::max(column_width, t.columns[c].first.size());
    out += fmt::format("\n{:<{}}", t.level, width);
    for (std::size_t c = first; c < last; ++c)
      out += fmt::format("  {:>{}}", t.columns[c].first, column_width);
    out += "\n";
    for (std::size_t k = 0; k < t.channels.size(); ++k) {
      std::string label = t.channels[k];
      if (label.size() > 40) label = label.substr(0, 37) + "...";
      out += fmt::format("{:<{}}", label, width);
      for (std::size_t c = first; c < last; ++c) {
        out += fmt::format("  {:>{}}", figure(t.columns[c].second[k]), column_width);
      }
      out += "\n";
    }
  }
  if (!t.notes.empty()) out += "\n";
  for (const std::string& note : t.notes) out += "Note: " + note + "\n";
  return out;
}

}  // namespace cjsim
