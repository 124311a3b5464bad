// Event log rows grouped by customer, ordered by time, into ObservedJourneys.
#include "models/observed/event_log.h"

#include <date/date.h>
#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <set>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include "models/observed/csv_reader.h"
#include "models/observed/observed_data.h"
#include "scenarios/did_you_mean.h"

namespace cjsim {
namespace {

// Whether `text` begins with the shape of `pattern`, in which '9' stands for any digit: ISO
// 8601 writes every field with a fixed number of digits.
bool has_shape(std::string_view text, std::string_view pattern) {
  if (text.size() < pattern.size()) return false;
  for (std::size_t k = 0; k < pattern.size(); ++k) {
    const bool digit = text[k] >= '0' && text[k] <= '9';
    if (pattern[k] == '9' ? !digit : text[k] != pattern[k]) return false;
  }
  return true;
}

// The number the first `digits` characters of `text` (digits, by has_shape) write.
int number(std::string_view text, std::size_t digits) {
  int value = 0;
  for (std::size_t k = 0; k < digits; ++k) value = value * 10 + (text[k] - '0');
  return value;
}

// The zone at the end of an ISO 8601 time ("", "Z", "+01:00", "-0430", "+01") in minutes east
// of UTC; nullopt when it is none of those.
std::optional<int> zone_offset_minutes(std::string_view zone) {
  if (zone.empty() || zone == "Z" || zone == "z") return 0;
  if (zone[0] != '+' && zone[0] != '-') return std::nullopt;
  const int sign = zone[0] == '+' ? 1 : -1;
  zone.remove_prefix(1);
  int minutes = 0;
  if (zone.size() == 5 && has_shape(zone, "99:99")) {
    minutes = number(zone.substr(3), 2);
  } else if (zone.size() == 4 && has_shape(zone, "9999")) {
    minutes = number(zone.substr(2), 2);
  } else if (zone.size() != 2 || !has_shape(zone, "99")) {
    return std::nullopt;
  }
  const int hours = number(zone, 2);
  if (hours > 23 || minutes > 59) return std::nullopt;
  return sign * (hours * 60 + minutes);
}

// The digits after a decimal point (or comma) as a fraction of a second, added up digit by
// digit as cjsim always has, so that timestamps keep their exact values; consumed from `rest`.
std::optional<double> decimal_fraction(std::string_view& rest) {
  if (rest.empty() || (rest[0] != '.' && rest[0] != ',')) return 0.0;
  double fraction = 0.0, scale = 0.1;
  std::size_t at = 1;
  for (; at < rest.size() && rest[at] >= '0' && rest[at] <= '9'; ++at) {
    fraction += scale * (rest[at] - '0');
    scale /= 10;
  }
  if (at == 1) return std::nullopt;
  rest.remove_prefix(at);
  return fraction;
}

// Seconds since the epoch of an ISO 8601 date or date-time. The calendar is Howard Hinnant's
// date library's: a day the month does not have (2024-02-30, 2023-02-29) is refused, as is a
// time off the clock (T24:00, 12:60, 23:59:60), rather than rolled over into the next.
std::optional<Timestamp> parse_iso8601(std::string_view text) {
  if (!has_shape(text, "9999-99-99")) return std::nullopt;
  const date::year_month_day calendar_date{
      date::year{number(text, 4)}, date::month{static_cast<unsigned>(number(text.substr(5), 2))},
      date::day{static_cast<unsigned>(number(text.substr(8), 2))}};
  if (!calendar_date.ok()) return std::nullopt;
  std::string_view rest = text.substr(10);
  int hour = 0, minute = 0, second = 0;
  double fraction = 0.0;
  if (!rest.empty()) {
    if (rest[0] != 'T' && rest[0] != ' ') return std::nullopt;
    rest.remove_prefix(1);
    if (!has_shape(rest, "99:99")) return std::nullopt;
    hour = number(rest, 2);
    minute = number(rest.substr(3), 2);
    rest.remove_prefix(5);
    if (has_shape(rest, ":99")) {
      second = number(rest.substr(1), 2);
      rest.remove_prefix(3);
      const std::optional<double> part = decimal_fraction(rest);
      if (!part) return std::nullopt;
      fraction = *part;
    }
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
  }
  const std::optional<int> offset_minutes = zone_offset_minutes(rest);
  if (!offset_minutes) return std::nullopt;
  const auto days = date::sys_days(calendar_date).time_since_epoch().count();
  const double clock =
      static_cast<double>(days) * 86400.0 + hour * 3600.0 + minute * 60.0 + second + fraction;
  return Timestamp{clock - *offset_minutes * 60.0, clock};
}

bool is_true(std::string_view text) {
  std::string lower;
  for (char c : trim(text))
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return lower == "1" || lower == "true" || lower == "yes" || lower == "y" || lower == "t";
}

bool is_false(std::string_view text) {
  std::string lower;
  for (char c : trim(text))
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return lower.empty() || lower == "0" || lower == "false" || lower == "no" || lower == "n" ||
         lower == "f";
}

}  // namespace

std::optional<Timestamp> parse_timestamp_and_clock(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  // Epoch seconds: a plain number.
  if (text.find('-', 1) == std::string_view::npos) {
    double value = 0.0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
      return std::nullopt;
    }
    return Timestamp{value, value};
  }
  return parse_iso8601(text);
}

std::optional<double> parse_timestamp(std::string_view text) {
  const std::optional<Timestamp> parsed = parse_timestamp_and_clock(text);
  if (!parsed) return std::nullopt;
  return parsed->seconds;
}

EventLogBuilder::EventLogBuilder(std::string source, bool segments) : segments_(segments) {
  out_.source = std::move(source);
  if (segments_) out_.segments.clear();
}

void EventLogBuilder::add_visit(std::string_view customer, double seconds,
                                std::string_view touchpoint, std::string_view channel,
                                std::string_view stage, bool converted, double value,
                                std::string_view segment, double clock) {
  auto [t, new_touchpoint] = touchpoint_index_.try_emplace(
      std::string(touchpoint), static_cast<std::uint32_t>(out_.touchpoints.size()));
  if (new_touchpoint) {
    out_.touchpoints.emplace_back(touchpoint);
    out_.channels.emplace_back(channel.empty() ? touchpoint : channel);
    out_.stages.emplace_back(stage);
  }
  auto [c, new_customer] = customer_index_.try_emplace(
      std::string(customer), static_cast<std::uint32_t>(customers_.size()));
  if (new_customer) {
    customers_.emplace_back();
    if (segments_) {
      auto [g, new_segment] = segment_index_.try_emplace(
          std::string(segment), static_cast<std::uint32_t>(out_.segments.size()));
      if (new_segment) out_.segments.emplace_back(segment);
      customers_.back().segment = g->second;
    }
  }
  customers_[c->second].visits.push_back({seconds, clock, t->second, converted, value});
}

void EventLogBuilder::add_lifecycle_event(std::string_view customer, std::string_view activity,
                                          std::string_view transition, std::string_view instance,
                                          double seconds, double clock) {
  if (transition.empty() || std::isnan(clock)) return;
  std::string lower;
  for (char c : transition) {
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  using T = LifecycleTransition;
  const T kind = lower == "schedule"   ? T::schedule
                 : lower == "assign"   ? T::assign
                 : lower == "start"    ? T::start
                 : lower == "complete" ? T::complete
                 : (lower == "withdraw" || lower == "ate_abort" || lower == "pi_abort")
                     ? T::withdraw
                     : T::other;
  auto [c, new_customer] = lifecycle_customer_index_.try_emplace(
      std::string(customer), static_cast<std::uint32_t>(lifecycle_customer_index_.size()));
  auto [a, new_activity] = lifecycle_activity_index_.try_emplace(
      std::string(activity), static_cast<std::uint32_t>(out_.lifecycle_activities.size()));
  if (new_activity) out_.lifecycle_activities.emplace_back(activity);
  out_.lifecycle_events.push_back(
      {c->second, a->second, kind, std::string(instance), seconds, clock});
}

ObservedJourneys EventLogBuilder::finish() && {
  out_.paths.reserve(customers_.size());
  out_.first_visits.reserve(customers_.size());
  for (Customer& customer : customers_) {
    std::vector<Visit>& visits = customer.visits;
    std::stable_sort(visits.begin(), visits.end(),
                     [](const Visit& a, const Visit& b) { return a.seconds < b.seconds; });
    out_.first_visits.push_back(visits.front().clock);
    ObservedPath p;
    p.segment = customer.segment;
    p.touchpoints.reserve(visits.size());
    p.hours.reserve(visits.size());
    for (const Visit& visit : visits) {
      if (visit.converted && p.conversion_step < 0) {
        p.conversion_step = static_cast<std::int64_t>(p.touchpoints.size());
        p.value = visit.value;
      }
      p.touchpoints.push_back(visit.touchpoint);
      p.hours.push_back((visit.seconds - visits.front().seconds) / 3600.0);
    }
    out_.paths.push_back(std::move(p));
  }
  customers_.clear();
  // Without timestamps (a visit's order stands in for its time) no arrival is known.
  if (std::any_of(out_.first_visits.begin(), out_.first_visits.end(),
                  [](double clock) { return std::isnan(clock); })) {
    out_.first_visits.clear();
  }
  return std::move(out_);
}

namespace {

// A required column: the name given, else the default, else pm4py's name for it
// (case:concept:name, time:timestamp, concept:name), so that a log pm4py wrote reads as it is.
// -1 when none is in the header.
int required_column(const std::vector<std::string>& header, const std::string& name,
                    std::string_view option, const std::set<std::string, std::less<>>& given) {
  const int column = find_column(header, name);
  if (column >= 0 || given.contains(option)) return column;
  const std::string_view pm4py = option == "--customer-column"    ? "case:concept:name"
                                 : option == "--timestamp-column" ? "time:timestamp"
                                                                  : "concept:name";
  return find_column(header, pm4py);
}

bool same_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

}  // namespace

std::optional<ObservedJourneys> read_event_log(std::istream& in, const std::string& path,
                                               const EventLogColumns& columns,
                                               Diagnostics& diagnostics) {
  CsvReader reader(in, path);
  std::vector<std::string> header;
  if (!reader.next(header, diagnostics)) {
    diagnostics.error({path, 1, 0}, "the file is empty: an event log needs a header line");
    return std::nullopt;
  }
  check_header(reader, header, diagnostics);
  const int customer_column =
      required_column(header, columns.customer, "--customer-column", columns.given);
  const int time_column =
      required_column(header, columns.timestamp, "--timestamp-column", columns.given);
  // With a classifier, its columns name the touchpoint, and the touchpoint column is not needed.
  const bool classified = !columns.classifier.empty();
  const int touchpoint_column =
      classified && !columns.given.contains("--touchpoint-column")
          ? -2
          : required_column(header, columns.touchpoint, "--touchpoint-column", columns.given);
  for (auto [column, name, option] :
       {std::tuple{customer_column, &columns.customer, "--customer-column"},
        std::tuple{time_column, &columns.timestamp, "--timestamp-column"},
        std::tuple{touchpoint_column, &columns.touchpoint, "--touchpoint-column"}}) {
    if (column == -1) {
      diagnostics.error(reader.where(),
                        fmt::format("the header has no '{}' column; name the column with {}{}",
                                    *name, option, did_you_mean_column(*name, header)));
    }
  }
  const int channel_column = optional_column(reader, header, columns.channel, "--channel-column",
                                             columns.given, diagnostics);
  const int stage_column =
      optional_column(reader, header, columns.stage, "--stage-column", columns.given, diagnostics);
  const int value_column =
      optional_column(reader, header, columns.value, "--value-column", columns.given, diagnostics);
  const int converted_column = optional_column(reader, header, columns.converted,
                                               "--converted-column", columns.given, diagnostics);
  const int segment_column = optional_column(reader, header, columns.segment, "--segment-column",
                                             columns.given, diagnostics);
  const int lifecycle_column = optional_column(reader, header, columns.lifecycle,
                                               "--lifecycle-column", columns.given, diagnostics);
  const int instance_column = columns.lifecycle_events ? find_column(header, columns.instance) : -1;
  if (!columns.lifecycles.empty() && lifecycle_column < 0 &&
      !columns.given.contains("--lifecycle-column")) {
    diagnostics.error(
        reader.where(),
        fmt::format("--lifecycle keeps events by their lifecycle transition, and the "
                    "header has no '{}' column; name it with --lifecycle-column{}",
                    columns.lifecycle, did_you_mean_column(columns.lifecycle, header)));
  }
  std::vector<int> classifier_columns;
  for (const std::string& key : columns.classifier) {
    classifier_columns.push_back(find_column(header, key));
    if (classifier_columns.back() < 0) {
      diagnostics.error(reader.where(),
                        fmt::format("--classifier names '{}', and the header has no such column{}",
                                    key, did_you_mean_column(key, header)));
    }
  }
  if (diagnostics.has_errors()) return std::nullopt;
  std::set<std::string> lifecycles_seen;
  std::string classified_name;
  ActivityFilter activities(columns);

  EventLogBuilder builder(path, segment_column >= 0);
  std::vector<std::string> fields;
  while (reader.next(fields, diagnostics)) {
    if (fields.size() == 1 && trim(fields[0]).empty()) continue;
    if (diagnostics.error_count() >= kMostReportedErrors) break;
    if (!has_header_width(reader, fields, header.size(), diagnostics)) continue;
    auto field = [&](int column) -> std::string_view {
      return column < 0 ? std::string_view() : trim(fields[static_cast<std::size_t>(column)]);
    };
    auto cell = [&](int column) { return reader.where(column + 1); };
    const std::string_view customer = field(customer_column);
    const std::string_view transition = field(lifecycle_column);
    if (lifecycle_column >= 0 && lifecycles_seen.size() < 1000) {
      lifecycles_seen.emplace(transition);
    }
    // Kept for queues whatever --lifecycle keeps as visits: a work item's schedule and start
    // are its wait.
    const bool visit = lifecycle_column < 0 || keeps_lifecycle(columns, transition);
    const bool lifecycle_event = columns.lifecycle_events && !transition.empty();
    if (!visit && !lifecycle_event) continue;
    std::string_view touchpoint = field(touchpoint_column);
    if (classified) {
      classified_name.clear();
      for (std::size_t k = 0; k < classifier_columns.size(); ++k) {
        if (k > 0) classified_name += '+';
        classified_name += field(classifier_columns[k]);
      }
      touchpoint = classified_name;
    }
    if (customer.empty()) {
      diagnostics.error(cell(customer_column), "the customer is empty");
      continue;
    }
    if (touchpoint.empty()) {
      diagnostics.error(cell(classified ? classifier_columns[0] : touchpoint_column),
                        "the touchpoint is empty");
      continue;
    }
    if (!activities.keeps(touchpoint)) continue;
    const std::optional<Timestamp> time = parse_timestamp_and_clock(field(time_column));
    if (!time) {
      diagnostics.error(cell(time_column),
                        fmt::format("timestamp '{}' is neither epoch seconds nor ISO 8601 "
                                    "(2024-03-01T12:30:00Z)",
                                    field(time_column).substr(0, 40)));
      continue;
    }
    if (lifecycle_event) {
      builder.add_lifecycle_event(customer, touchpoint, transition, field(instance_column),
                                  time->seconds, time->clock);
    }
    if (!visit) continue;
    bool converted = false;
    double value = 0.0;
    if (value_column >= 0) {
      const std::optional<double> amount =
          read_amount(field(value_column), cell(value_column), columns.value, diagnostics);
      if (!amount) continue;
      value = *amount;
      converted = value != 0.0;
    }
    if (converted_column >= 0) {
      const std::string_view flag = field(converted_column);
      if (is_true(flag)) {
        converted = true;
      } else if (!is_false(flag)) {
        diagnostics.error(
            cell(converted_column),
            fmt::format("converted '{}' is not true or false (1/0, yes/no)", flag.substr(0, 40)));
        continue;
      }
    }
    if (is_conversion_touchpoint(columns, touchpoint)) converted = true;
    builder.add_visit(customer, time->seconds, touchpoint,
                      channel_column >= 0 ? field(channel_column) : touchpoint, field(stage_column),
                      converted, value, field(segment_column), time->clock);
  }
  // A misspelt lifecycle keeps no visit: said as such, before "no visit" would hide why.
  if (lifecycle_column >= 0) check_lifecycles(columns, lifecycles_seen, path, diagnostics);
  activities.check(path, diagnostics);
  if (diagnostics.has_errors()) return std::nullopt;
  if (builder.customers() == 0) {
    diagnostics.error({path, 0, 0}, "the event log has a header but no visit");
    return std::nullopt;
  }
  check_conversion_touchpoints(columns, builder.touchpoints(), path, diagnostics);
  if (diagnostics.has_errors()) return std::nullopt;
  return std::move(builder).finish();
}

bool keeps_lifecycle(const EventLogColumns& columns, std::string_view transition) {
  if (columns.lifecycles.empty()) return true;
  if (transition.empty()) transition = "complete";
  return std::any_of(columns.lifecycles.begin(), columns.lifecycles.end(),
                     [&](const std::string& kept) { return same_ignoring_case(kept, transition); });
}

void check_lifecycles(const EventLogColumns& columns, const std::set<std::string>& seen,
                      const std::string& path, Diagnostics& diagnostics) {
  // Unfiltered, an activity scheduled, started and completed is three visits in a row (the
  // self-loops BPIC 2012 showed): said, with the option that keeps one.
  std::vector<std::string> transitions;
  for (const std::string& value : seen) {
    if (!value.empty()) transitions.push_back(value);
  }
  if (columns.lifecycles.empty() && transitions.size() > 1) {
    std::string listed;
    for (std::size_t k = 0; k < transitions.size() && k < 4; ++k) {
      listed += (k ? ", " : "") + transitions[k];
    }
    if (transitions.size() > 4) listed += fmt::format(" and {} more", transitions.size() - 4);
    diagnostics.warning(
        {path, 0, 0},
        fmt::format("the events have {} lifecycle transitions ({}): each event is a visit, so an "
                    "activity started and completed is two visits in a row; --lifecycle "
                    "complete keeps one visit per activity",
                    transitions.size(), listed));
  }
  for (const std::string& kept : columns.lifecycles) {
    const bool found = std::any_of(seen.begin(), seen.end(), [&](const std::string& value) {
      return same_ignoring_case(kept, value.empty() ? "complete" : value);
    });
    if (found) continue;
    const std::vector<std::string> values(seen.begin(), seen.end());
    diagnostics.error({path, 0, 0},
                      fmt::format("--lifecycle '{}' is no lifecycle transition of the data{}", kept,
                                  did_you_mean(kept, values)));
  }
}

ActivityFilter::ActivityFilter(const EventLogColumns& columns)
    : columns_(columns),
      active_(!columns.activities.empty() || !columns.excluded_activities.empty()),
      kept_matched_(columns.activities.size()),
      excluded_matched_(columns.excluded_activities.size()) {}

bool ActivityFilter::keeps(std::string_view touchpoint) {
  if (!active_) return true;
  const auto emplaced = decided_.try_emplace(std::string(touchpoint), true);
  const auto at = emplaced.first;
  if (emplaced.second) {
    const auto matches = [&](const std::vector<std::string>& patterns, std::vector<bool>& matched) {
      bool any = false;
      for (std::size_t k = 0; k < patterns.size(); ++k) {
        if (fnmatch(patterns[k].c_str(), at->first.c_str(), 0) != 0) continue;
        matched[k] = true;
        any = true;
      }
      return any;
    };
    const bool listed = columns_.activities.empty() || matches(columns_.activities, kept_matched_);
    const bool excluded = matches(columns_.excluded_activities, excluded_matched_);
    at->second = listed && !excluded;
  }
  return at->second;
}

void ActivityFilter::check(const std::string& path, Diagnostics& diagnostics) const {
  if (!active_) return;
  std::vector<std::string> names;
  for (const auto& [name, kept] : decided_) names.push_back(name);
  std::sort(names.begin(), names.end());
  for (const auto& [option, patterns, matched] :
       {std::tuple{"--activity", &columns_.activities, &kept_matched_},
        std::tuple{"--exclude-activity", &columns_.excluded_activities, &excluded_matched_}}) {
    for (std::size_t k = 0; k < patterns->size(); ++k) {
      if ((*matched)[k]) continue;
      diagnostics.error({path, 0, 0},
                        fmt::format("{} '{}' matches no touchpoint (activity) of the data{}",
                                    option, (*patterns)[k], did_you_mean((*patterns)[k], names)));
    }
  }
  for (const std::string& name : columns_.conversion_touchpoints) {
    const auto at = decided_.find(name);
    if (at == decided_.end() || at->second) continue;
    diagnostics.error({path, 0, 0},
                      fmt::format("--conversion-touchpoint '{}' is left out by --activity or "
                                  "--exclude-activity: no visit there would be kept to convert",
                                  name));
  }
}

std::vector<std::string> classifier_keys(std::string_view text) {
  std::vector<std::string> keys;
  for (;;) {
    const std::size_t plus = text.find('+');
    const std::string_view key = trim(text.substr(0, plus));
    if (key.empty()) {
      throw std::invalid_argument(fmt::format(
          "--classifier '{}': name the keys joined by '+' (concept:name+lifecycle:transition)",
          text));
    }
    keys.emplace_back(key);
    if (plus == std::string_view::npos) return keys;
    text.remove_prefix(plus + 1);
  }
}

void check_conversion_touchpoints(const EventLogColumns& columns,
                                  const std::vector<std::string>& touchpoints,
                                  const std::string& path, Diagnostics& diagnostics) {
  for (const std::string& name : columns.conversion_touchpoints) {
    if (std::find(touchpoints.begin(), touchpoints.end(), name) != touchpoints.end()) continue;
    diagnostics.error({path, 0, 0},
                      fmt::format("--conversion-touchpoint '{}' is no touchpoint of the data{}",
                                  name, did_you_mean(name, touchpoints)));
  }
}

bool is_conversion_touchpoint(const EventLogColumns& columns, std::string_view touchpoint) {
  return std::find(columns.conversion_touchpoints.begin(), columns.conversion_touchpoints.end(),
                   touchpoint) != columns.conversion_touchpoints.end();
}

}  // namespace cjsim
