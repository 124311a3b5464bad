// Interning and cell parsing for the observed-data readers.
#include "models/observed/observed_data.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>

#include "models/observed/csv_reader.h"

namespace cjsim {

std::uint32_t TouchpointIndex::index_of(std::string_view name, std::string_view channel,
                                        std::string_view stage) {
  auto [it, inserted] = index_.try_emplace(
      std::string(name), static_cast<std::uint32_t>(journeys_.touchpoints.size()));
  if (inserted) {
    journeys_.touchpoints.emplace_back(name);
    journeys_.channels.emplace_back(channel);
    journeys_.stages.emplace_back(stage);
  }
  return it->second;
}

std::uint32_t TouchpointIndex::conversion() {
  if (journeys_.conversion_touchpoint < 0) {
    journeys_.conversion_touchpoint = static_cast<std::int64_t>(journeys_.touchpoints.size());
    // Not in index_: a channel of the same name stays a different touchpoint.
    journeys_.touchpoints.emplace_back("conversion");
    journeys_.channels.emplace_back("conversion");
    journeys_.stages.emplace_back("");
  }
  return static_cast<std::uint32_t>(journeys_.conversion_touchpoint);
}

namespace {

std::optional<double> parse_number(std::string_view text) {
  text = trim(text);
  if (text.empty() || text.size() > 64) return std::nullopt;
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (end != copy.c_str() + copy.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::uint64_t> read_count(std::string_view text, const SourceLocation& where,
                                        std::string_view column, Diagnostics& diagnostics) {
  const std::optional<double> value = parse_number(text);
  // 2^53: every whole number below it is exact in a double.
  if (!value || *value < 0 || *value != std::floor(*value) || *value > 9007199254740992.0) {
    diagnostics.error(where, fmt::format("{} '{}' is not a whole number of 0 or more", column,
                                         trim(text).substr(0, 40)));
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(*value);
}

std::optional<double> read_amount(std::string_view text, const SourceLocation& where,
                                  std::string_view column, Diagnostics& diagnostics) {
  if (trim(text).empty()) return 0.0;
  const std::optional<double> value = parse_number(text);
  if (!value) {
    diagnostics.error(where,
                      fmt::format("{} '{}' is not a number", column, trim(text).substr(0, 40)));
    return std::nullopt;
  }
  if (*value < 0) {
    diagnostics.error(where, fmt::format("{} '{}' is negative: a conversion value is 0 or more",
                                         column, trim(text).substr(0, 40)));
    return std::nullopt;
  }
  return value;
}

}  // namespace cjsim
