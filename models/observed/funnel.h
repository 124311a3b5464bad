// Aggregate funnels: how many customers reached each stage or touchpoint, overall or per
// segment, as a CSV file gives them; what funnel calibration (models/fit/calibration.h) fits to.
//
// The CSV has a header with the columns `step` and `reached`, and optionally `segment`, in any
// order. `step` names a stage or a touchpoint of the journey; the step `entered` gives how many
// customers of the segment started, which every segment with counts needs. A segment is a
// persona id; an empty segment (or no column) means every customer. Blank lines and lines
// starting with '#' are skipped.
//
//   segment,step,reached
//   ,entered,10000
//   ,consideration,6200
//   ,checkout,1900
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/diagnostic.h"

namespace cjsim {

inline constexpr std::string_view kFunnelEntered = "entered";

struct FunnelCount {
  std::string segment;  // "" for every customer
  std::string step;     // a stage or touchpoint id, as written
  std::uint64_t reached = 0;
  SourceLocation where;
};

struct FunnelEntry {
  std::string segment;
  std::uint64_t customers = 0;
  SourceLocation where;
};

struct ObservedFunnel {
  std::string source;
  std::vector<FunnelEntry> entered;  // one per segment
  std::vector<FunnelCount> counts;   // every other row, in file order

  // Customers who started in `segment`, nullopt when the file does not say.
  std::optional<std::uint64_t> entered_in(std::string_view segment) const;
};

// Reads and checks a funnel CSV: every problem (a missing column, a count that is no whole
// number, a repeated step, a count above the segment's entered) is an error at its line and
// column, and nullopt is returned when there is any.
std::optional<ObservedFunnel> read_funnel_csv(const std::string& path, Diagnostics& diagnostics);

// True when the file's header (its first line that is neither blank nor a '#' comment) names
// the columns step and reached: how `cjsim fit --format auto` tells a funnel from journeys.
bool has_funnel_header(const std::string& path);

// The same from text already read; `source` names it in messages.
std::optional<ObservedFunnel> parse_funnel_csv(std::string_view text, const std::string& source,
                                               Diagnostics& diagnostics);

}  // namespace cjsim
