// The HTML reports' check, and, in a build without reports/html (CJSIM_HTML=OFF, so without
// npm's echarts), the HTML writers that `cjsim report` reaches: they refuse, saying so.
#include "sim/cli/html_reports.h"

#include <stdexcept>
#include <string>
#include <string_view>

#include "reports/html/calendar_html.h"
#include "reports/html/html_report.h"

namespace cjsim {
namespace {

constexpr const char* kNoHtmlReports =
    "this build of cjsim has no HTML reports (it was configured with -DCJSIM_HTML=OFF)";

}  // namespace

CLI::Validator html_reports_check() {
  return CLI::Validator(
      [](const std::string&) -> std::string { return CJSIM_WITH_HTML ? "" : kNoHtmlReports; },
      "", "HTML reports built");
}

#if !CJSIM_WITH_HTML
std::string html_report(const ComparisonReport&) {
  throw std::runtime_error(std::string(kNoHtmlReports) + "; ask for --format md or csv");
}

std::string html_sweep_report(const StoredSweep&, std::string_view) {
  throw std::runtime_error(std::string(kNoHtmlReports) + "; ask for --format md or csv");
}

std::string calendar_html_report(const CalendarComparisonReport&, const CalendarDrawsDigest*) {
  throw std::runtime_error(std::string(kNoHtmlReports) + "; ask for --format md, csv or text");
}
#endif

}  // namespace cjsim
