// Weekday names and opening spans.
#include "scenarios/week_hours.h"

#include <fmt/format.h>

#include <charconv>

namespace cjsim {

std::optional<int> weekday_index(std::string_view name) {
  for (int d = 0; d < kWeekdays; ++d) {
    if (kWeekdayNames[d] == name) return d;
  }
  return std::nullopt;
}

std::optional<WeekKey> week_key(std::string_view key) {
  WeekKey out;
  if (const std::optional<int> day = weekday_index(key)) {
    out.days[*day] = true;
    out.precedence = 2;
    return out;
  }
  if (key == "weekdays" || key == "weekend") {
    for (int d = 0; d < kWeekdays; ++d) out.days[d] = (d >= 5) == (key == "weekend");
    out.precedence = 1;
    return out;
  }
  if (key == "every_day") {
    out.days.fill(true);
    return out;
  }
  return std::nullopt;
}

namespace {

// "HH:MM" as minutes, 00:00 to 24:00.
std::optional<int> clock_minutes(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  int hours = 0, minutes = 0;
  const auto [h_end, h_error] = std::from_chars(text.data(), text.data() + 2, hours);
  const auto [m_end, m_error] = std::from_chars(text.data() + 3, text.data() + 5, minutes);
  if (h_error != std::errc() || m_error != std::errc() || h_end != text.data() + 2 ||
      m_end != text.data() + 5 || minutes > 59 || hours > 24 || (hours == 24 && minutes != 0)) {
    return std::nullopt;
  }
  return hours * 60 + minutes;
}

}  // namespace

std::optional<OpenSpan> parse_open_span(std::string_view text, std::string& why) {
  const std::size_t dash = text.find('-');
  const std::optional<int> start =
      dash == std::string_view::npos ? std::nullopt : clock_minutes(text.substr(0, dash));
  const std::optional<int> end =
      dash == std::string_view::npos ? std::nullopt : clock_minutes(text.substr(dash + 1));
  if (!start || !end) {
    why = fmt::format(
        "'{}' is not a span of the day; write it \"HH:MM-HH:MM\", as in "
        "\"09:00-17:30\"",
        text);
    return std::nullopt;
  }
  if (*end <= *start) {
    why = fmt::format(
        "the span '{}' ends before it starts; a span past midnight is two spans, "
        "one on each day",
        text);
    return std::nullopt;
  }
  return OpenSpan{*start, *end};
}

std::string open_span_text(const OpenSpan& span) {
  return fmt::format("{:02}:{:02}-{:02}:{:02}", span.start_minute / 60, span.start_minute % 60,
                     span.end_minute / 60, span.end_minute % 60);
}

}  // namespace cjsim
