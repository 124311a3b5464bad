// A calendar journey's run or comparison (sim/model/MODEL.md Part 2) as one self-contained HTML
// page, in the style of the plain journey's (html_report.h).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "reports/store/calendar_file.h"
#include "reports/store/draws_file.h"

namespace cjsim {

// The answer first (a comparison: each future state's headline differences in plain words,
// better, worse or within the noise, with their paired intervals), the headline figures, the
// time view (arrivals by source, conversions, waits, each resource's utilisation and queue, by
// day or by hour, with 95% bands from replications; the week's shifts and opening hours), the
// service blueprint with the resources behind its touchpoints, a day in the life of the agents
// the run traced (CalendarSummary::trace), the resources' and days' tables, the differences
// and the scenarios as run. Every figure written in its unit (reports/render/report_format.h);
// the cells of run --json figures carry data-key and data-value. With `draws` (uncertain inputs
// drawn, digest_calendar_draws) the page says how sure it is first (draws_html.h's section:
// the odds, both intervals, which guess matters most), every figure's cell gains its range
// over the draws (data-uncertainty) and every difference its probability of being better.
// Throws std::invalid_argument when the report's parts do not line up.
std::string calendar_html_report(const CalendarComparisonReport& report,
                                 const CalendarDrawsDigest* draws = nullptr);

// The charts calendar_html_report draws, as chart_data_json (html_report.h) gives them.
nlohmann::json calendar_chart_data_json(const CalendarComparisonReport& report,
                                        const CalendarDrawsDigest* draws = nullptr);

}  // namespace cjsim
