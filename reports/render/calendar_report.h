// A calendar run's figures (sim/engine/calendar_summary.h) as JSON and as text. The JSON is
// the plain run's (json_report.h) with the calendar's keys added: `resources`, `days`,
// `organic_agents`, `referred_agents`, `journeys`, ..., and `abandoned` in `ended`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "reports/store/run_metadata.h"
#include "sim/engine/calendar_summary.h"

namespace cjsim {

nlohmann::json calendar_summary_json(const CalendarSummary& summary, double seconds);

std::string calendar_text_report(const CalendarSummary& summary, const RunMetadata& metadata);

}  // namespace cjsim
