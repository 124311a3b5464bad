// Files embedded into cjsim at build time (reports/CMakeLists.txt, embed_text.cmake): the
// Apache ECharts library and the HTML report's page template.
#pragma once

#include <string>

namespace cjsim::html_assets {

std::string echarts_js();       // echarts.min.js, with "</script" written as "<\/script"
std::string report_template();  // reports/html/report_template.html

}  // namespace cjsim::html_assets
