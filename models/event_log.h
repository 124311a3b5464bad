// Event logs: one CSV row per touchpoint visit (customer, timestamp, touchpoint, and optional
// channel, stage, value, converted, segment), in any order, read into one path per customer.
#pragma once

#include <istream>
#include <optional>
#include <string>

#include "models/observed_journeys.h"
#include "scenarios/diagnostic.h"

namespace cjsim {

// Column names; the optional ones are used when the header has them.
struct EventLogColumns {
  std::string customer = "customer";
  std::string timestamp = "timestamp";
  std::string touchpoint = "touchpoint";
  std::string channel = "channel";
  std::string stage = "stage";
  std::string value = "value";
  std::string converted = "converted";
  std::string segment = "segment";
};

// Seconds since 1970-01-01 UTC of an epoch number ("1531000000", "1531000000.5") or an ISO
// 8601 date-time ("2018-07-22", "2018-07-22T20:40:41Z", "2019-12-30 16:40:36",
// "2010-12-30 14:32:00.250+01:00"; no zone means UTC). nullopt when it is neither.
std::optional<double> parse_timestamp(std::string_view text);

// A customer's visits are ordered by timestamp, ties by their order in the file. A visit with
// a non-zero value, or with `converted` true (1, true, yes), is a conversion there; the
// path's conversion is its first one, with that visit's value (the reference model earns a
// customer's value once). The touchpoint's channel and stage are those of its first row.
// Hours are counted from each customer's first visit. Every malformed row is reported with
// its line; the journeys are returned only when there was no error.
std::optional<ObservedJourneys> read_event_log(std::istream& in, const std::string& path,
                                               const EventLogColumns& columns,
                                               Diagnostics& diagnostics);

}  // namespace cjsim
