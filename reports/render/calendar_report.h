// A calendar run's figures (sim/engine/calendar_summary.h) as JSON and as text. The JSON is
// the plain run's (json_report.h) with the calendar's keys added: `resources`, `days`,
// `organic_agents`, `referred_agents`, `journeys`, ..., and `abandoned` in `ended`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "reports/store/calendar_file.h"
#include "reports/store/run_metadata.h"
#include "sim/engine/calendar_comparison.h"
#include "sim/engine/calendar_summary.h"

namespace cjsim {

nlohmann::json calendar_summary_json(const CalendarSummary& summary, double seconds);

std::string calendar_text_report(const CalendarSummary& summary, const RunMetadata& metadata);

// {"scenarios": [each journey's calendar_summary_json, with "name"], "differences": [{"future",
// "figures": [{figure, resource, current, future, difference, difference_ci,
// paired_half_width, independent_half_width}]}]}.
nlohmann::json calendar_comparison_json(const CalendarComparisonReport& report);
std::string calendar_comparison_text(const CalendarComparisonReport& report);

}  // namespace cjsim
