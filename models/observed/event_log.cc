// Event log rows grouped by customer, ordered by time, into ObservedJourneys.
#include "models/observed/event_log.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <tuple>
#include <unordered_map>

#include "models/observed/csv_reader.h"
#include "models/observed/observed_data.h"

namespace cjsim {
namespace {

// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// Reads exactly `digits` digits at `at`.
bool read_digits(std::string_view text, std::size_t& at, int digits, int& value) {
  if (at + static_cast<std::size_t>(digits) > text.size()) return false;
  value = 0;
  for (int k = 0; k < digits; ++k) {
    const char c = text[at++];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  return true;
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

std::optional<double> parse_timestamp(std::string_view text) {
  text = trim(text);
  if (text.empty()) return std::nullopt;
  // Epoch seconds: a plain number.
  if (text.find('-', 1) == std::string_view::npos) {
    double value = 0.0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
      return std::nullopt;
    }
    return value;
  }
  std::size_t at = 0;
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_digits(text, at, 4, year) || at >= text.size() || text[at++] != '-' ||
      !read_digits(text, at, 2, month) || at >= text.size() || text[at++] != '-' ||
      !read_digits(text, at, 2, day)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31) return std::nullopt;
  double fraction = 0.0;
  int offset_minutes = 0;
  if (at < text.size()) {
    if (text[at] != 'T' && text[at] != ' ') return std::nullopt;
    ++at;
    if (!read_digits(text, at, 2, hour) || at >= text.size() || text[at++] != ':' ||
        !read_digits(text, at, 2, minute)) {
      return std::nullopt;
    }
    if (at < text.size() && text[at] == ':') {
      ++at;
      if (!read_digits(text, at, 2, second)) return std::nullopt;
      if (at < text.size() && (text[at] == '.' || text[at] == ',')) {
        ++at;
        double scale = 0.1;
        const std::size_t first = at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') {
          fraction += scale * (text[at++] - '0');
          scale /= 10;
        }
        if (at == first) return std::nullopt;
      }
    }
    if (hour > 24 || minute > 59 || second > 60) return std::nullopt;
    if (at < text.size()) {
      const char zone = text[at++];
      if (zone == 'Z' || zone == 'z') {
        if (at != text.size()) return std::nullopt;
      } else if (zone == '+' || zone == '-') {
        int zone_hours = 0, zone_minutes = 0;
        if (!read_digits(text, at, 2, zone_hours)) return std::nullopt;
        if (at < text.size() && text[at] == ':') ++at;
        if (at < text.size() && !read_digits(text, at, 2, zone_minutes)) return std::nullopt;
        if (at != text.size() || zone_hours > 23 || zone_minutes > 59) return std::nullopt;
        offset_minutes = (zone == '+' ? 1 : -1) * (zone_hours * 60 + zone_minutes);
      } else {
        return std::nullopt;
      }
    }
  }
  const std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return static_cast<double>(days) * 86400.0 + hour * 3600.0 + minute * 60.0 + second + fraction -
         offset_minutes * 60.0;
}

EventLogBuilder::EventLogBuilder(std::string source, bool segments) : segments_(segments) {
  out_.source = std::move(source);
  if (segments_) out_.segments.clear();
}

void EventLogBuilder::add_visit(std::string_view customer, double seconds,
                                std::string_view touchpoint, std::string_view channel,
                                std::string_view stage, bool converted, double value,
                                std::string_view segment) {
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
  customers_[c->second].visits.push_back({seconds, t->second, converted, value});
}

ObservedJourneys EventLogBuilder::finish() && {
  out_.paths.reserve(customers_.size());
  for (Customer& customer : customers_) {
    std::vector<Visit>& visits = customer.visits;
    std::stable_sort(visits.begin(), visits.end(),
                     [](const Visit& a, const Visit& b) { return a.seconds < b.seconds; });
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
  return std::move(out_);
}

std::optional<ObservedJourneys> read_event_log(std::istream& in, const std::string& path,
                                               const EventLogColumns& columns,
                                               Diagnostics& diagnostics) {
  CsvReader reader(in, path);
  std::vector<std::string> header;
  if (!reader.next(header, diagnostics)) {
    diagnostics.error({path, 1, 0}, "the file is empty: an event log needs a header line");
    return std::nullopt;
  }
  const int customer_column = find_column(header, columns.customer);
  const int time_column = find_column(header, columns.timestamp);
  const int touchpoint_column = find_column(header, columns.touchpoint);
  for (auto [column, name, option] :
       {std::tuple{customer_column, &columns.customer, "--customer-column"},
        std::tuple{time_column, &columns.timestamp, "--timestamp-column"},
        std::tuple{touchpoint_column, &columns.touchpoint, "--touchpoint-column"}}) {
    if (column < 0) {
      diagnostics.error(
          reader.where(),
          fmt::format("the header has no '{}' column; name the column with {}", *name, option));
    }
  }
  if (diagnostics.has_errors()) return std::nullopt;
  const int channel_column = find_column(header, columns.channel);
  const int stage_column = find_column(header, columns.stage);
  const int value_column = find_column(header, columns.value);
  const int converted_column = find_column(header, columns.converted);
  const int segment_column = find_column(header, columns.segment);
  const int most_column = std::max({customer_column, time_column, touchpoint_column, channel_column,
                                    stage_column, value_column, converted_column, segment_column});

  EventLogBuilder builder(path, segment_column >= 0);
  std::vector<std::string> fields;
  while (reader.next(fields, diagnostics)) {
    if (fields.size() == 1 && trim(fields[0]).empty()) continue;
    if (diagnostics.error_count() >= kMostReportedErrors) break;
    if (static_cast<int>(fields.size()) <= most_column) {
      diagnostics.error(reader.where(), fmt::format("{} fields where the header has {}",
                                                    fields.size(), header.size()));
      continue;
    }
    auto field = [&](int column) -> std::string_view {
      return column < 0 ? std::string_view() : trim(fields[static_cast<std::size_t>(column)]);
    };
    auto cell = [&](int column) { return reader.where(column + 1); };
    const std::string_view customer = field(customer_column);
    const std::string_view touchpoint = field(touchpoint_column);
    if (customer.empty()) {
      diagnostics.error(cell(customer_column), "the customer is empty");
      continue;
    }
    if (touchpoint.empty()) {
      diagnostics.error(cell(touchpoint_column), "the touchpoint is empty");
      continue;
    }
    const std::optional<double> seconds = parse_timestamp(field(time_column));
    if (!seconds) {
      diagnostics.error(cell(time_column),
                        fmt::format("timestamp '{}' is neither epoch seconds nor ISO 8601 "
                                    "(2024-03-01T12:30:00Z)",
                                    field(time_column).substr(0, 40)));
      continue;
    }
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
    builder.add_visit(customer, *seconds, touchpoint,
                      channel_column >= 0 ? field(channel_column) : touchpoint, field(stage_column),
                      converted, value, field(segment_column));
  }
  if (diagnostics.has_errors()) return std::nullopt;
  if (builder.customers() == 0) {
    diagnostics.error({path, 0, 0}, "the event log has a header but no visit");
    return std::nullopt;
  }
  return std::move(builder).finish();
}

bool is_conversion_touchpoint(const EventLogColumns& columns, std::string_view touchpoint) {
  return std::find(columns.conversion_touchpoints.begin(), columns.conversion_touchpoints.end(),
                   touchpoint) != columns.conversion_touchpoints.end();
}

}  // namespace cjsim
