// Observed customer journeys, whatever they were read from (event logs, path tables, XES):
// what fitting, goodness of fit and attribution take. Paths that are the same, touchpoint for
// touchpoint and outcome for outcome, may be held once with their count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cjsim {

struct ObservedPath {
  // The touchpoints visited, in order: indices into ObservedJourneys::touchpoints.
  std::vector<std::uint32_t> touchpoints;
  // Customers who took exactly this path with this outcome.
  std::uint64_t count = 1;
  // Position in `touchpoints` of the (first) conversion, -1 when the path did not convert.
  // A customer may go on after converting (service, loyalty touchpoints).
  std::int64_t conversion_step = -1;
  // Total conversion value over the `count` customers.
  double value = 0.0;
  // Hours since the path's first visit at each touchpoint (event logs with timestamps);
  // empty when unknown. Same length as `touchpoints` otherwise.
  std::vector<double> hours;
  // Index into ObservedJourneys::segments (persona or segment, when the data name one).
  std::uint32_t segment = 0;
};

struct ObservedJourneys {
  std::string source;  // the file(s) read, for messages and result files
  // Touchpoints by index; channel and stage per touchpoint ("" when the data do not say).
  std::vector<std::string> touchpoints;
  std::vector<std::string> channels;
  std::vector<std::string> stages;
  // Segments named by the data; one unnamed segment ("") when they name none.
  std::vector<std::string> segments{std::string()};
  std::vector<ObservedPath> paths;
  // Path tables (channel paths with conversion counts, as attribution tools take them) have
  // no conversion touchpoint: their reader appends one, `conversion_touchpoint`, to the
  // converting paths, so that every source reads the same way. -1 when the data had their own.
  std::int64_t conversion_touchpoint = -1;
  // Each customer's first visit on the data's own wall clock (seconds since 1970-01-01 as the
  // timestamp's clock read: its zone's offset added back), one per customer, in no set order:
  // what a calendar journey's arrivals are fitted from (models/fit/arrival_fit.h). Empty when
  // the data carry no timestamps (path tables, XES without time:timestamp).
  std::vector<double> first_visits;

  std::uint64_t customers() const {
    std::uint64_t n = 0;
    for (const ObservedPath& p : paths) n += p.count;
    return n;
  }
};

}  // namespace cjsim
