// The weekly shapes of calendar journeys as files write them: weekday names, the keys of a
// map by weekday (monday ... sunday, weekdays, weekend, every_day) and opening spans written
// "HH:MM-HH:MM".
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/scenario.h"

namespace cjsim {

inline constexpr std::array<std::string_view, kWeekdays> kWeekdayNames = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

// The keys of a map by weekday: a weekday names itself; weekdays is Monday to Friday, weekend
// Saturday and Sunday, every_day all seven. A weekday's own key wins over weekdays and
// weekend, which win over every_day.
inline constexpr std::string_view kWeekKeys[] = {"monday",  "tuesday",  "wednesday", "thursday",
                                                 "friday",  "saturday", "sunday",    "weekdays",
                                                 "weekend", "every_day"};

// The weekday a name spells (monday = 0), or nullopt.
std::optional<int> weekday_index(std::string_view name);

// Which weekdays a key of kWeekKeys covers, and how strongly it holds them (2 for a weekday's
// own key, 1 for weekdays and weekend, 0 for every_day).
struct WeekKey {
  std::array<bool, kWeekdays> days{};
  int precedence = 0;
};
std::optional<WeekKey> week_key(std::string_view key);

// "09:00-17:30" as minutes from 00:00 ("24:00" ends a day); nullopt with the reason in `why`.
std::optional<OpenSpan> parse_open_span(std::string_view text, std::string& why);
std::string open_span_text(const OpenSpan& span);

}  // namespace cjsim
