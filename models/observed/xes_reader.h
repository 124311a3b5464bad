// XES event logs (IEEE 1849, the process-mining standard; .xes or gzipped .xes.gz), read as
// a stream: a trace is a customer, an event a touchpoint visit.
#pragma once

#include <optional>
#include <string>

#include "models/observed/event_log.h"
#include "models/observed/observed_journeys.h"
#include "scenarios/diagnostic.h"

namespace cjsim {

// The trace's `concept:name` is the customer; an event's `concept:name` the touchpoint and
// its `time:timestamp` the time (events without one keep their order in the trace). The
// event attributes named like the event-log columns `channel`, `stage` and `value`, when
// present, give the channel, stage and conversion value; `columns.conversion_touchpoints`
// name the touchpoints that are conversions. Malformed XML is reported with its line, as are
// two traces of the same name (one customer's journey each: merging them would invent
// transitions), an attribute value over kMostFieldBytes, and options naming attributes or
// conversion touchpoints that the log does not have.
std::optional<ObservedJourneys> read_xes_file(const std::string& path,
                                              const EventLogColumns& columns,
                                              Diagnostics& diagnostics);

}  // namespace cjsim
