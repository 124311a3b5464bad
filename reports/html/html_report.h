// A run or a comparison as one self-contained HTML page (charts by Apache ECharts, embedded at
// build time, so that the page opens offline).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "reports/render/compare_report.h"
#include "reports/render/table_reports.h"
#include "reports/store/draws_file.h"
#include "reports/store/hdf5_sweep.h"

namespace cjsim {

// The journey map (stages as columns, touchpoints under them, the emotion curve with its
// interval band), the flows as a Sankey, the funnel by stage, the headline figures and the
// differences, the moments of truth, the personas and the scenario as run. A report of one
// scenario (a run) has no differences. Opening the file with `#selftest` after its name writes
// a JSON status of the rendered charts and of any JavaScript error into #cjsim-selftest.
std::string html_report(const ComparisonReport& report);
// The same with the draws of uncertain inputs (when `draws` is not null): first, the section
// "How sure it is" (draws_html.h).
std::string html_report(const ComparisonReport& report, const DrawsDigest* draws);

// The charts html_report draws for `report`, as the JSON array its page hands to
// cjsimDrawCharts (reports/html/report_charts.js): per chart its container's id ("chart-1",
// ...), its height in pixels, the ECharts option and, for some, "views" or "sankey". A page
// that makes a <div> of that id and height for each can draw the report's charts itself.
nlohmann::json chart_data_json(const ComparisonReport& report);
// The same for html_report(report, draws): the charts of "How sure it is" first, each
// sensitivity chart marked "sensitivity": the scenario whose figure it ranks the inputs of (0 a
// run's, k future state k's gain).
nlohmann::json chart_data_json(const ComparisonReport& report, const DrawsDigest* draws);

// A sweep as one page: the sensitivity ranking of `metric`, a chart of `metric` against each
// varied parameter (every point, with the mean at each level for grids), and the table of
// design points best first.
std::string html_sweep_report(const StoredSweep& sweep, std::string_view metric);

// Text made safe inside HTML elements and attribute values.
std::string html_escape(std::string_view text);

}  // namespace cjsim
