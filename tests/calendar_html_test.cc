// The calendar journey's HTML page (reports/html/calendar_html.h): every figure the page shows
// equals `run --json`'s, a comparison's answer says what each difference's interval says, the
// page of a stored file is the live page byte for byte, and short waits are written in minutes.
#include "reports/html/calendar_html.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <regex>
#include <string>

#include "tests/calendar_example_run.h"
#include "reports/render/calendar_report.h"
#include "reports/store/calendar_file.h"
#include "scenarios/validate.h"
#include "sim/engine/calendar_comparison.h"
#include "sim/engine/calendar_figures.h"
#include "sim/engine/calendar_summary.h"

namespace cjsim {
namespace {

namespace fs = std::filesystem;

using test::options_of;
using test::Simulated;
using test::simulate;

CalendarComparisonReport run_report(const Simulated& s) {
  CalendarComparisonReport r;
  r.names = {s.journey.name};
  r.metadata = {s.metadata};
  r.summaries = {s.summary};
  r.replications = s.metadata.replications;
  return r;
}

CalendarComparisonReport comparison_report(const Simulated& now, const Simulated& future) {
  CalendarComparisonReport r;
  r.names = {"now", "future"};
  r.metadata = {now.metadata, future.metadata};
  r.summaries = {now.summary, future.summary};
  r.differences = {calendar_differences(now.result, now.calendar, future.result, future.calendar)};
  r.replications = now.metadata.replications;
  return r;
}

using test::temporary;

// The value at a dotted key ("ended.abandoned") of a JSON object.
const nlohmann::json& at_key(const nlohmann::json& object, const std::string& key) {
  const nlohmann::json* at = &object;
  std::size_t from = 0;
  while (true) {
    const std::size_t dot = key.find('.', from);
    at = &at->at(key.substr(from, dot - from));
    if (dot == std::string::npos) return *at;
    from = dot + 1;
  }
}

struct Cell {
  std::string key, value;
};

// Every cell of `table_class` that carries data-key and data-value, in page order.
std::vector<Cell> cells(const std::string& page, const std::string& table_class) {
  const std::size_t start = page.find("<table class=\"" + table_class + "\"");
  const std::size_t end = page.find("</table>", start);
  EXPECT_NE(start, std::string::npos) << table_class;
  const std::string table = page.substr(start, end - start);
  std::vector<Cell> out;
  const std::regex cell("data-key=\"([^\"]+)\" data-value=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(table.begin(), table.end(), cell);
       it != std::sregex_iterator(); ++it) {
    out.push_back({(*it)[1], (*it)[2]});
  }
  return out;
}

// A page's number as the JSON's: the same double (both written shortest round-trip), or both
// without a value.
void expect_same_number(const std::string& shown, const nlohmann::json& json,
                        const std::string& key) {
  if (json.is_null()) {
    EXPECT_EQ(shown, "") << key;
    return;
  }
  ASSERT_FALSE(shown.empty()) << key;
  EXPECT_EQ(std::stod(shown), json.get<double>()) << key;
}

TEST(CalendarHtml, EveryFigureOnThePageIsRunJsonsFigure) {
  const Simulated s = simulate("bank_call_centre.yaml", 8, 3);
  const std::string page = calendar_html_report(run_report(s));
  const nlohmann::json json = calendar_summary_json(s.summary, 0.0);

  const std::vector<Cell> headline = cells(page, "headline");
  EXPECT_EQ(headline.size(), 16u);
  for (const Cell& c : headline) expect_same_number(c.value, at_key(json, c.key), c.key);

  const std::vector<Cell> resources = cells(page, "resources");
  ASSERT_EQ(resources.size(), json["resources"].size() * 8);  // 6 figures, served, abandoned
  for (std::size_t i = 0; i < resources.size(); ++i) {
    const std::string key = resources[i].key.substr(std::string("resources.").size());
    expect_same_number(resources[i].value, json["resources"][i / 8][key], resources[i].key);
  }

  const std::vector<Cell> days = cells(page, "days");
  ASSERT_EQ(days.size(), json["days"].size() * kDayColumns.size());
  for (std::size_t i = 0; i < days.size(); ++i) {
    const std::string key = days[i].key.substr(std::string("days.").size());
    expect_same_number(days[i].value, json["days"][i / kDayColumns.size()][key], days[i].key);
  }
  // The headline names what the figures are, in the figure table's words.
  EXPECT_NE(page.find("Abandoned (gave up waiting)"), std::string::npos);
  EXPECT_NE(page.find("Lifetime value (in the run)"), std::string::npos);
}

TEST(CalendarHtml, ShortWaitsAreWrittenInMinutes) {
  const Simulated s = simulate("bank_call_centre.yaml", 8, 2);
  const std::string page = calendar_html_report(run_report(s));
  const ResourceFigures& agents = s.summary.resources.at(0);
  ASSERT_LT(agents.mean_wait_hours.value, 1.0);
  const std::string minutes = fmt::format("{:.1f} min", agents.mean_wait_hours.value * 60.0);
  EXPECT_NE(page.find(">" + minutes + "<"), std::string::npos) << minutes;
}

TEST(CalendarHtml, TheAnswerSaysWhatEachIntervalSays) {
  const Simulated now = simulate("bank_call_centre.yaml", 8, 4);
  const Simulated peak = simulate("bank_call_centre_peak_staff.yaml", 8, 4);
  const CalendarComparisonReport report = comparison_report(now, peak);
  const std::string page = calendar_html_report(report);
  const std::size_t answer = page.find("<section id=\"answer\"");
  ASSERT_NE(answer, std::string::npos);
  EXPECT_LT(answer, page.find("<section id=\"headline\""));  // the answer first
  int said = 0;
  for (const CalendarDifference& d : report.differences[0]) {
    const std::string marker = fmt::format(
        "data-figure=\"{}\" data-resource=\"{}\" data-verdict=\"", d.figure, d.resource);
    const std::size_t at = page.find(marker, answer);
    if (at == std::string::npos || at > page.find("</section>", answer)) continue;
    ++said;
    const std::string verdict =
        page.substr(at + marker.size(), page.find('"', at + marker.size()) - at - marker.size());
    const Figure* f = find_calendar_figure(d.figure);
    ASSERT_NE(f, nullptr) << d.figure;
    // The same in every replication, to rounding (the page's rule).
    const double size = std::max({std::abs(d.current.value), std::abs(d.future.value), 1.0});
    const bool zero = std::abs(d.difference.value) <= 1e-9 * size &&
                      std::abs(d.difference.low) <= 1e-9 * size &&
                      std::abs(d.difference.high) <= 1e-9 * size;
    const bool excludes_zero = d.difference.low > 0.0 || d.difference.high < 0.0;
    std::string expected = "noise";
    if (zero) {
      expected = "unchanged";
    } else if (excludes_zero) {
      expected = f->better == Better::neither                               ? "changed"
                 : (f->better == Better::lower) == (d.difference.value < 0) ? "better"
                                                                            : "worse";
    }
    EXPECT_EQ(verdict, expected) << d.figure << " " << d.resource;
  }
  // Conversion, gave up, abandonment, revenue, NPS, staff cost, and per resource wait,
  // utilisation and abandoned.
  EXPECT_EQ(said, 6 + 3 * static_cast<int>(now.summary.resources.size()));
  // The figures are in plain words with their interval.
  EXPECT_NE(page.find("Conversion rate rises by"), std::string::npos);
  EXPECT_NE(page.find("95% interval"), std::string::npos);
}

// A change that leaves a figure alone in every replication says so, rather than "within the
// noise": a call back adds no shift, so the staff cost does not change.
TEST(CalendarHtml, AFigureTheChangeDoesNotTouchIsUnchanged) {
  const Simulated now = simulate("bank_call_centre.yaml", 8, 3);
  const Simulated back = simulate("bank_call_centre_call_back.yaml", 8, 3);
  const std::string page = calendar_html_report(comparison_report(now, back));
  EXPECT_NE(page.find("data-figure=\"staff_cost\" data-resource=\"\" data-verdict=\"unchanged\""),
            std::string::npos);
  EXPECT_NE(page.find("Staff cost does not change"), std::string::npos);
}

TEST(CalendarHtml, AStoredRunGivesTheLivePageByteForByte) {
  const Simulated s = simulate("bank_call_centre.yaml", 6, 2);  // hourly series too
  const std::string path = test::stored(s, "calendar-html-run");
  std::vector<std::string> warnings;
  const CalendarComparisonReport read = read_calendar_file(path, warnings);
  EXPECT_EQ(read.summaries.at(0).trace.size(), s.summary.trace.size());
  const std::string live = calendar_html_report(run_report(s));
  EXPECT_EQ(calendar_html_report(read), live);
  EXPECT_NE(live.find("class=\"life\""), std::string::npos);
  fs::remove(path);
}

TEST(CalendarHtml, AStoredComparisonGivesTheLivePageByteForByte) {
  const Simulated now = simulate("bank_call_centre.yaml", 9, 3);
  const Simulated back = simulate("bank_call_centre_call_back.yaml", 9, 3);
  CalendarComparisonReport report = comparison_report(now, back);
  const std::string path = temporary("calendar-html-comparison");
  {
    PendingFile file(path, Overwrite::replace);
    write_calendar_comparison_file(file, report, {now.data(), back.data()});
    file.commit();
  }
  std::vector<std::string> warnings;
  const CalendarComparisonReport read = read_calendar_file(path, warnings);
  report.names = read.names;  // the labels the file gives them
  EXPECT_EQ(calendar_html_report(read), calendar_html_report(report));
  fs::remove(path);
}

TEST(CalendarHtml, HasOneContainerPerChartAndTheCalendarChartCode) {
  const Simulated s = simulate("bank_call_centre.yaml", 8, 2);
  const CalendarComparisonReport report = run_report(s);
  const std::string page = calendar_html_report(report);
  const nlohmann::json specs = calendar_chart_data_json(report);
  ASSERT_GE(specs.size(), 6u);  // arrivals, conversions, waits, utilisation, queue, a life
  for (const nlohmann::json& spec : specs) {
    EXPECT_NE(page.find("id=\"" + spec["id"].get<std::string>() + "\""), std::string::npos);
  }
  EXPECT_NE(page.find("cjsimCalendarChart"), std::string::npos);
  EXPECT_NE(page.find("<section id=\"time\""), std::string::npos);
  EXPECT_NE(page.find("<section id=\"blueprint\""), std::string::npos);
  EXPECT_NE(page.find("line of visibility"), std::string::npos);
  EXPECT_NE(page.find("data-resource=\"agents\""), std::string::npos);
  EXPECT_NE(page.find("<section id=\"day-in-the-life\""), std::string::npos);
  // Self-contained: nothing is loaded from elsewhere.
  EXPECT_EQ(page.find("<link"), std::string::npos);
  EXPECT_EQ(page.find("src=\"http"), std::string::npos);
}

}  // namespace
}  // namespace cjsim
