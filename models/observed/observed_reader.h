// Reading observed journeys from a file of any supported kind: an event log (CSV), a path
// table (CSV) or an XES event log (.xes, .xes.gz), told apart by name and header.
#pragma once

#include <optional>
#include <string>

#include "models/observed/event_log.h"
#include "models/observed/observed_journeys.h"
#include "models/observed/path_table.h"
#include "scenarios/diagnostic.h"

namespace cjsim {

enum class ObservedFormat { automatic, event_log, path_table, xes };

struct ObservedReadOptions {
  ObservedFormat format = ObservedFormat::automatic;
  EventLogColumns events;
  PathTableColumns paths;
};

// automatic: .xes and .xes.gz (in any case) are XES; a CSV whose header has the path table's
// path and conversions columns is a path table; any other CSV an event log. An option given
// (EventLogColumns::given, PathTableColumns::given) that does not apply to the format is an
// error: it would be ignored.
std::optional<ObservedJourneys> read_observed_file(const std::string& path,
                                                   const ObservedReadOptions& options,
                                                   Diagnostics& diagnostics);

}  // namespace cjsim
