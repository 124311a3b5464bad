// A calendar run or comparison (reports/store/calendar_file.h) as Markdown and as CSV: the
// per-journey headline, the run's own figures, per resource, per day (and hour), each
// resource's days (utilisation and queue length over time), and a comparison's paired
// differences; every figure labelled and written in its unit from the figure tables
// (sim/engine/figures.h, sim/engine/calendar_figures.h).
#pragma once

#include <string>

#include "reports/store/calendar_file.h"
#include "reports/store/draws_file.h"

namespace cjsim {

// With `draws` (uncertain inputs drawn: sim/api's calendar_draws_digest, or read_calendar_draws
// of the file), a section "How sure it is" comes first (markdown_report's), then each calendar
// and resource figure's range over the draws, and each difference's range and probability of
// being better.
std::string calendar_markdown(const CalendarComparisonReport& report,
                              const CalendarDrawsDigest* draws = nullptr);

// One table, a row per figure: table, scenario, scope ("overall", "resource:ID", "day:N",
// "hour:N", "resource:ID/day:N"), metric, unit, value, ci_low, ci_high, and for differences
// current, future and significant. With `draws`, the rows of the draws as csv_report's (tables
// draws, odds, sensitivity; table_reports.h), with table `draws` also holding each calendar
// figure (scope overall) and resource figure (scope resource:ID) at the inputs' means, its
// ci_low/ci_high the range 95% of the draws give; and table `difference_draws`, per difference
// its expected value over the draws with that range; and table `difference_odds`, per
// difference (metric the figure, unit share) the share of the draws in which it is better (or
// higher, when the figure has no better direction).
std::string calendar_csv(const CalendarComparisonReport& report,
                         const CalendarDrawsDigest* draws = nullptr);

}  // namespace cjsim
