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

// An event of an activity with a lifecycle transition (XES's lifecycle extension), kept for
// fitting queues (models/fit/queue_fit.h) when the reader is asked to
// (EventLogColumns::lifecycle_events): whichever transitions --lifecycle keeps as visits.
enum class LifecycleTransition : std::uint8_t {
  schedule,
  assign,
  start,
  complete,
  withdraw,
  other
};

struct LifecycleEvent {
  std::uint32_t customer = 0;  // the customer's number, in the order first seen
  std::uint32_t activity = 0;  // into ObservedJourneys::lifecycle_activities
  LifecycleTransition transition = LifecycleTransition::other;
  std::string instance;  // concept:instance, "" when the log has none
  double seconds = 0.0;  // since 1970-01-01 UTC
  double clock = 0.0;    // on the data's wall clock (Timestamp::clock)
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
  // With EventLogColumns::lifecycle_events, every timed event of a kept activity (by the
  // activity filters, whatever its transition) that has a lifecycle transition, in file order;
  // the activities by the touchpoint names the visits have. Empty otherwise.
  std::vector<std::string> lifecycle_activities;
  std::vector<LifecycleEvent> lifecycle_events;

  std::uint64_t customers() const {
    std::uint64_t n = 0;
    for (const ObservedPath& p : paths) n += p.count;
    return n;
  }
};

}  // namespace cjsim
