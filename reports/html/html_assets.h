// Files embedded into cjsim at build time (reports/CMakeLists.txt, embed_text.cmake): the
// Apache ECharts library, the HTML report's page template and its chart code.
#pragma once

#include <string>

namespace cjsim::html_assets {

std::string echarts_js();       // echarts.min.js, with "</script" written as "<\/script"
std::string report_template();  // reports/html/report_template.html
// reports/html/report_charts.js: cjsimDrawCharts(specs, options), "</script" written as above.
std::string report_charts_js();
// reports/html/calendar_charts.js: cjsimCalendarChart(spec), written as above.
std::string calendar_charts_js();

}  // namespace cjsim::html_assets
