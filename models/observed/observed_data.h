// What the readers of observed data share: touchpoints interned by name, and counts and
// amounts read from cells with errors that name the cell.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "models/observed/observed_journeys.h"
#include "scenarios/diagnostic.h"

namespace cjsim {

// A reader stops after this many errors: a file in the wrong format would otherwise print
// one per line.
inline constexpr std::size_t kMostReportedErrors = 20;

// A field (CSV) or attribute value (XES) longer than this is refused, in every reader: a quote
// never closed would otherwise read the whole file into one field, and the name of a
// touchpoint this long makes a journey file too large to load.
inline constexpr std::size_t kMostFieldBytes = std::size_t{1} << 20;

// Touchpoints of an ObservedJourneys by name, added on first sight.
class TouchpointIndex {
 public:
  explicit TouchpointIndex(ObservedJourneys& journeys) : journeys_(journeys) {}
  std::uint32_t index_of(std::string_view name, std::string_view channel, std::string_view stage);
  // The conversion touchpoint path tables append, added on first use.
  std::uint32_t conversion();
  std::size_t size() const { return journeys_.touchpoints.size(); }

 private:
  ObservedJourneys& journeys_;
  std::unordered_map<std::string, std::uint32_t> index_;
};

// A non-negative whole number ("12", "12.0"); an error naming `column` otherwise.
std::optional<std::uint64_t> read_count(std::string_view text, const SourceLocation& where,
                                        std::string_view column, Diagnostics& diagnostics);
// A finite number of 0 or more (a conversion value); an empty cell is 0.
std::optional<double> read_amount(std::string_view text, const SourceLocation& where,
                                  std::string_view column, Diagnostics& diagnostics);

}  // namespace cjsim
