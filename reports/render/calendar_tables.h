// A calendar run or comparison (reports/store/calendar_file.h) as Markdown and as CSV: the
// per-journey headline, the run's own figures, per resource, per day (and hour), each
// resource's days (utilisation and queue length over time), and a comparison's paired
// differences; every figure labelled and written in its unit from the figure tables
// (sim/engine/figures.h, sim/engine/calendar_figures.h).
#pragma once

#include <string>

#include "reports/store/calendar_file.h"

namespace cjsim {

std::string calendar_markdown(const CalendarComparisonReport& report);

// One table, a row per figure: table, scenario, scope ("overall", "resource:ID", "day:N",
// "hour:N", "resource:ID/day:N"), metric, unit, value, ci_low, ci_high, and for differences
// current, future and significant.
std::string calendar_csv(const CalendarComparisonReport& report);

}  // namespace cjsim
