// Path tables: one row per distinct channel path with its counts, the form attribution tools
// take (`path` = "Facebook > Search > Email", `total_conversions`, `total_conversion_value`,
// `total_null`), read into ObservedJourneys.
#pragma once

#include <functional>
#include <istream>
#include <optional>
#include <set>
#include <string>

#include "models/observed/observed_journeys.h"
#include "scenarios/diagnostic.h"

namespace cjsim {

struct PathTableColumns {
  std::string path = "path";
  std::string conversions = "total_conversions";
  std::string value = "total_conversion_value";  // optional column
  std::string nulls = "total_null";  // optional column: without it, no path ends unconverted
  std::string separator = ">";       // between channels; spaces around names are trimmed
  // The options given on the command line ("--null-column"), as in EventLogColumns::given.
  std::set<std::string, std::less<>> given;
};

// The id of the conversion touchpoint a path table's reader appends to converting paths.
inline constexpr const char* kConversionTouchpoint = "conversion";

// Every touchpoint is a channel (its own channel label); a row gives a converting path
// (count = conversions, its value the row's value, the conversion touchpoint appended) and a
// path that stopped unconverted (count = nulls). Every malformed row is reported with its
// line; the journeys are returned only when there was no error.
std::optional<ObservedJourneys> read_path_table(std::istream& in, const std::string& path,
                                                const PathTableColumns& columns,
                                                Diagnostics& diagnostics);

// Whether a CSV header looks like a path table (it has the path and conversions columns).
bool looks_like_path_table(std::istream& in, const PathTableColumns& columns);

}  // namespace cjsim
