// Event logs: one CSV row per touchpoint visit (customer, timestamp, touchpoint, and optional
// channel, stage, value, converted, segment), in any order, read into one path per customer.
#pragma once

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "models/observed/observed_journeys.h"
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
  // The event's lifecycle transition (XES's lifecycle extension: schedule, start, complete,
  // ...), used only to filter by `lifecycles`.
  std::string lifecycle = "lifecycle:transition";
  // The lifecycle transitions kept (any case); empty: every event is a visit. An event with
  // no transition is atomic, taken as `complete`. Process-mining logs record an activity's
  // start and its completion as two events: keep `complete` for one visit per activity.
  std::vector<std::string> lifecycles;
  // Also keep every event that has a lifecycle transition (ObservedJourneys::lifecycle_events),
  // whatever `lifecycles` keeps as visits: what a fit of queues reads (fit --calendar).
  bool lifecycle_events = false;
  // The activity instance an event belongs to (XES: concept:instance), pairing a schedule with
  // its start when an activity runs more than once in a case; used when present.
  std::string instance = "concept:instance";
  // Columns (XES: attribute keys) whose values, joined by '+', name the touchpoint, as an XES
  // event classifier does ("concept:name+lifecycle:transition"); empty: the touchpoint column
  // (XES: concept:name).
  std::vector<std::string> classifier;
  // Touchpoints every visit to which is a conversion, for logs with no value or converted
  // column (process-mining logs: 'pay compensation', 'order shipped').
  std::vector<std::string> conversion_touchpoints;
  // Activity filters, as shell patterns (`A_*`, `W_Completeren*`: fnmatch, case-sensitive) over
  // the touchpoint's name (after the classifier): with `activities`, only visits to touchpoints
  // matching one of them are kept; visits to touchpoints matching one of `excluded_activities`
  // are dropped. BPIC 2012 mixes the application's states (A_), its offers (O_) and the staff's
  // work items (W_): a journey of the customer's side keeps A_* and O_*.
  std::vector<std::string> activities;
  std::vector<std::string> excluded_activities;
  // The options given on the command line ("--channel-column"). A column an option named must
  // be in the header (in XES, an attribute of some trace or event), while a default name that
  // is absent only means that the data have no such column; and an option that does not apply
  // to the data's format is an error (models/observed/observed_reader.h).
  std::set<std::string, std::less<>> given;
};

// Visits, in any order, to one path per customer: what the CSV and XES readers share.
class EventLogBuilder {
 public:
  EventLogBuilder(std::string source, bool segments);
  // `clock`: the visit's time on the data's wall clock (Timestamp::clock), NaN when the data
  // have no timestamps (the visit's order stands in for its time).
  void add_visit(std::string_view customer, double seconds, std::string_view touchpoint,
                 std::string_view channel, std::string_view stage, bool converted, double value,
                 std::string_view segment, double clock);
  // An event with a lifecycle transition ("schedule", "START", ...), kept for fitting queues.
  void add_lifecycle_event(std::string_view customer, std::string_view activity,
                           std::string_view transition, std::string_view instance, double seconds,
                           double clock);
  std::size_t customers() const { return customers_.size(); }
  const std::vector<std::string>& touchpoints() const { return out_.touchpoints; }
  // Orders each customer's visits by time (ties by the order they were added).
  ObservedJourneys finish() &&;

 private:
  struct Visit {
    double seconds = 0.0;
    double clock = 0.0;
    std::uint32_t touchpoint = 0;
    bool converted = false;
    double value = 0.0;
  };
  struct Customer {
    std::vector<Visit> visits;
    std::uint32_t segment = 0;
  };
  ObservedJourneys out_;
  std::unordered_map<std::string, std::uint32_t> touchpoint_index_;
  std::unordered_map<std::string, std::uint32_t> segment_index_;
  std::unordered_map<std::string, std::uint32_t> customer_index_;
  std::unordered_map<std::string, std::uint32_t> lifecycle_customer_index_;
  std::unordered_map<std::string, std::uint32_t> lifecycle_activity_index_;
  std::vector<Customer> customers_;
  bool segments_;
};

// Seconds since 1970-01-01 UTC of an epoch number ("1531000000", "1531000000.5") or an ISO
// 8601 date-time ("2018-07-22", "2018-07-22T20:40:41Z", "2019-12-30 16:40:36",
// "2010-12-30 14:32:00.250+01:00"; no zone means UTC). nullopt when it is neither.
std::optional<double> parse_timestamp(std::string_view text);

// A timestamp and the zone it was written in: `seconds` as parse_timestamp gives them, and
// `clock` what the writer's wall clock read, as seconds since 1970-01-01 on that clock (the
// zone's offset added back; the same as `seconds` for epoch numbers and times with no zone).
// A calendar journey's weekdays and hours are the clock's (models/fit/arrival_fit.h).
struct Timestamp {
  double seconds = 0.0;
  double clock = 0.0;
};
std::optional<Timestamp> parse_timestamp_and_clock(std::string_view text);

// A customer's visits are ordered by timestamp, ties by their order in the file. A visit with
// a non-zero value, or with `converted` true (1, true, yes), is a conversion there; the
// path's conversion is its first one, with that visit's value (the reference model earns a
// customer's value once). The touchpoint's channel and stage are those of its first row.
// Hours are counted from each customer's first visit. Every malformed row is reported with
// its line; the journeys are returned only when there was no error.
std::optional<ObservedJourneys> read_event_log(std::istream& in, const std::string& path,
                                               const EventLogColumns& columns,
                                               Diagnostics& diagnostics);

// Every conversion touchpoint the columns name must be among `touchpoints` (the data's): a
// misspelt one would convert no one. An error naming the option, with a suggestion, if not.
void check_conversion_touchpoints(const EventLogColumns& columns,
                                  const std::vector<std::string>& touchpoints,
                                  const std::string& path, Diagnostics& diagnostics);

// Whether an event of lifecycle transition `transition` ("" when it has none) is kept.
bool keeps_lifecycle(const EventLogColumns& columns, std::string_view transition);

// `--lifecycle`'s transitions must be among the data's (`seen`), else an error with a
// suggestion; with none named, a warning when the data have several (start and complete).
void check_lifecycles(const EventLogColumns& columns, const std::set<std::string>& seen,
                      const std::string& path, Diagnostics& diagnostics);

// `--activity` and `--exclude-activity` applied to the visits of a log: whether a touchpoint is
// kept, decided once per name, and what the patterns matched, for the checks once the log is
// read.
class ActivityFilter {
 public:
  explicit ActivityFilter(const EventLogColumns& columns);
  bool keeps(std::string_view touchpoint);
  // Every pattern must match some touchpoint of the data (a misspelt one would keep or drop
  // nothing), and a `--conversion-touchpoint` must not be filtered out (no one would convert):
  // errors naming the option, with a suggestion.
  void check(const std::string& path, Diagnostics& diagnostics) const;

 private:
  const EventLogColumns& columns_;
  bool active_ = false;
  std::unordered_map<std::string, bool> decided_;  // by touchpoint name: kept?
  std::vector<bool> kept_matched_;                 // per pattern of `activities`
  std::vector<bool> excluded_matched_;             // per pattern of `excluded_activities`
};

// "--classifier concept:name+lifecycle:transition" as keys; throws std::invalid_argument for
// an empty key.
std::vector<std::string> classifier_keys(std::string_view text);

// Whether `touchpoint` is one of the columns' conversion touchpoints.
bool is_conversion_touchpoint(const EventLogColumns& columns, std::string_view touchpoint);

}  // namespace cjsim
