// A sweep file's Markdown, CSV and HTML reports: the reference point and why, every point's
// paired difference in its unit, which parameters matter beyond the noise (the summary's own
// words), a calendar sweep's point and resource figures and its staffing trade-off; every
// number the file's.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "reports/html/html_report.h"
#include "reports/html/sweep_html.h"
#include "reports/render/report_format.h"
#include "reports/render/sweep_report.h"
#include "sim/api/api.h"
#include "sim/engine/calendar_figures.h"
#include "tests/scratch.h"

namespace cjsim {
namespace {

namespace fs = std::filesystem;

const std::string kExampleDir = std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/";

// The sweep of `experiment` (YAML text), run through the library API and read back from its file.
StoredSweep swept(const std::string& name, const std::string& experiment) {
  const std::string directory = testing::scratch_directory();
  const std::string path = directory + name + ".yaml";
  std::ofstream(path) << experiment;
  SweepRequest request;
  request.experiment = path;
  request.out = directory + name + ".h5";
  request.force = true;
  request.threads = 2;
  Context context;
  SweepJob job(request, context);
  const std::optional<StoredSweep> result = job.run();
  job.commit();
  EXPECT_TRUE(result.has_value());
  return read_sweep_file(request.out);
}

const StoredSweep& plain_sweep() {
  static const StoredSweep sweep = swept(
      "report_plain", "name: Report sweep\nscenario: " + kExampleDir +
                          "retail.yaml\ndesign: grid\nagents: 2000\nreplications: 3\nseed: 5\n"
                          "parameters:\n  touchpoints.basket.dropout: [0.2, 0.45]\n"
                          "  settings.kappa: [1, 2]\n");
  return sweep;
}

const StoredSweep& calendar_sweep() {
  static const StoredSweep sweep = swept(
      "report_calendar", "name: Desks\nscenario: " + kExampleDir +
                             "bank_call_centre.yaml\nreplications: 2\nseed: 9\ndays: 4\n"
                             "parameters:\n  resources.desks.capacity: [1, 2, 4]\n");
  return sweep;
}

// RFC 4180 rows as cjsim writes them (quoted fields may hold commas and doubled quotes).
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(field);
      field.clear();
    } else if (c == '\n') {
      rows.back().push_back(field);
      field.clear();
      rows.emplace_back();
    } else {
      field += c;
    }
  }
  rows.pop_back();  // after the last line break
  return rows;
}

// The CSV's rows of one table, by column name.
std::vector<std::map<std::string, std::string>> csv_table(const std::string& csv,
                                                          const std::string& table) {
  const auto rows = csv_rows(csv);
  std::vector<std::map<std::string, std::string>> out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    EXPECT_EQ(rows[r].size(), rows[0].size()) << "row " << r;
    std::map<std::string, std::string> row;
    for (std::size_t c = 0; c < rows[0].size() && c < rows[r].size(); ++c) row[rows[0][c]] = rows[r][c];
    if (row["table"] == table) out.push_back(row);
  }
  return out;
}

double csv_value(const std::string& field) { return field.empty() ? NAN : std::stod(field); }

std::size_t figure_index(std::string_view name) {
  for (std::size_t f = 0; f < kHeadlineFigures.size(); ++f) {
    if (name == kHeadlineFigures[f].name) return f;
  }
  ADD_FAILURE() << name;
  return 0;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string trimmed(const std::string& line) {
  const std::size_t first = line.find_first_not_of(' ');
  return first == std::string::npos ? "" : line.substr(first);
}

TEST(SweepReport, MarkdownNamesTheReferenceAndGivesEveryPointsDifferenceInItsUnit) {
  const StoredSweep& sweep = plain_sweep();
  const std::string md = sweep_table_markdown(sweep, "conversion_rate");
  const SweepDifferences& d = sweep.differences;
  ASSERT_EQ(d.difference.size(), 4u);
  EXPECT_NE(md.find("## Paired differences from the reference"), std::string::npos);
  // The reference and why that one, as the summary says it.
  EXPECT_NE(md.find("Differences from " + sweep_reference_text(sweep, d.reference) + ", paired"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find(fmt::format("| {} | +0.00 pp [+0.00, +0.00] pp |", d.reference.point)),
            std::string::npos)
      << md;
  EXPECT_NE(md.find(" | reference |"), std::string::npos) << md;
  const std::size_t f = figure_index("conversion_rate");
  for (std::size_t k = 0; k < d.difference.size(); ++k) {
    const Estimate& e = d.difference[k][f];
    // "| 3 | +1.23 pp [+0.80 pp, +1.60 pp] | ...": the file's difference in percentage points.
    const std::string cell = difference_text("conversion_rate", e.value) + " " +
                             difference_interval_text("conversion_rate", e);
    EXPECT_NE(cell.find(" pp ["), std::string::npos) << cell;
    EXPECT_NE(md.find(fmt::format("| {} | {} |", k, cell)), std::string::npos) << k << "\n" << md;
  }
}

TEST(SweepReport, MarkdownSaysWhichParametersMatterInTheSummarysWords) {
  const StoredSweep& sweep = plain_sweep();
  const std::string md = sweep_table_markdown(sweep, "conversion_rate");
  std::size_t sentences = 0;
  for (const std::string& line : lines_of(sweep_summary_text(sweep, "conversion_rate", 0))) {
    const std::string words = trimmed(line);
    if (!words.starts_with("Beyond the noise") && !words.starts_with("Within the noise")) continue;
    ++sentences;
    EXPECT_NE(md.find("\n" + words + "\n"), std::string::npos) << words << "\n" << md;
  }
  EXPECT_EQ(sentences, 2u);
  // The basket's dropout moves conversion far beyond the noise of 2,000 agents.
  const std::size_t beyond = md.find("excludes 0): ");
  ASSERT_NE(beyond, std::string::npos) << md;
  EXPECT_NE(md.substr(beyond, md.find('\n', beyond) - beyond).find("touchpoints.basket.dropout"),
            std::string::npos)
      << md;
}

TEST(SweepReport, CsvGivesEveryDifferenceAndPointFigureToTheBitWithItsUnit) {
  const StoredSweep& sweep = plain_sweep();
  const std::string csv = sweep_table_csv(sweep, "revenue_per_agent");
  ASSERT_TRUE(csv.starts_with("table,rank,point,scenario,scope,metric,unit,value,ci_low,ci_high,note\n"));
  const auto differences = csv_table(csv, "differences");
  ASSERT_EQ(differences.size(), 4 * kHeadlineFigures.size());
  for (const auto& row : differences) {
    const std::size_t k = std::stoul(row.at("point"));
    const std::size_t f = figure_index(row.at("metric"));
    const Estimate& e = sweep.differences.difference.at(k)[f];
    EXPECT_EQ(csv_value(row.at("value")), e.value) << row.at("metric");
    if (std::isfinite(e.low)) {
      EXPECT_EQ(csv_value(row.at("ci_low")), e.low);
      EXPECT_EQ(csv_value(row.at("ci_high")), e.high);
    }
    EXPECT_EQ(row.at("unit"), unit_key(kHeadlineFigures[f].unit));
    EXPECT_EQ(row.at("note"), sweep_difference_verdict(sweep.differences, k, e));
  }
  const auto reference = csv_table(csv, "reference");
  ASSERT_EQ(reference.size(), 1u);
  EXPECT_EQ(std::stoul(reference[0].at("point")), sweep.differences.reference.point);
  EXPECT_EQ(reference[0].at("note"), sweep_reference_text(sweep, sweep.differences.reference));

  // Points best first by the metric, every headline figure the file's.
  const auto points = csv_table(csv, "points");
  ASSERT_EQ(points.size(), 4 * kHeadlineFigures.size());
  const std::vector<std::size_t> order = points_best_first(sweep, "revenue_per_agent");
  for (const auto& row : points) {
    const std::size_t k = std::stoul(row.at("point"));
    const std::size_t rank = std::stoul(row.at("rank"));
    EXPECT_EQ(order.at(rank - 1), k);
    const Estimate& e = sweep.figures.at(k)[figure_index(row.at("metric"))];
    EXPECT_EQ(csv_value(row.at("value")), e.value);
    EXPECT_EQ(row.at("note"), row.at("metric") == "revenue_per_agent" ? "ranked by" : "");
  }
  const auto parameters = csv_table(csv, "parameters");
  ASSERT_EQ(parameters.size(), 8u);
  for (const auto& row : parameters) {
    const std::size_t k = std::stoul(row.at("point"));
    const std::size_t j = row.at("metric") == sweep.parameters[0] ? 0 : 1;
    EXPECT_EQ(row.at("metric"), sweep.parameters[j]);
    EXPECT_EQ(csv_value(row.at("value")), sweep.values[k][j]);
  }
  EXPECT_EQ(parameters[0].at("unit"), "probability");

  // The ranking with its intervals and verdicts, as --json gives them.
  const auto sensitivity = csv_table(csv, "sensitivity");
  const auto ranked = sensitivity_of(sweep, "revenue_per_agent").at(0).sensitivity.ranked;
  ASSERT_EQ(sensitivity.size(), ranked.size());
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    EXPECT_EQ(sensitivity[i].at("scope"), "parameter:" + sweep.parameters[ranked[i].parameter]);
    EXPECT_EQ(csv_value(sensitivity[i].at("value")), ranked[i].swing);
    EXPECT_EQ(csv_value(sensitivity[i].at("ci_low")), ranked[i].swing_low);
    EXPECT_EQ(sensitivity[i].at("note"),
              ranked[i].beyond_noise() ? "beyond the noise" : "within the noise");
    EXPECT_EQ(sensitivity[i].at("unit"), "money");
  }
}

TEST(SweepReport, CalendarSweepsGiveTheirPointAndResourceFiguresRankedByACalendarFigure) {
  const StoredSweep& sweep = calendar_sweep();
  ASSERT_EQ(sweep.calendar.size(), 3u);
  const std::string metric = "desks.p90_wait_hours";
  const std::vector<std::size_t> order = points_best_first(sweep, metric);
  const std::string csv = sweep_table_csv(sweep, metric);
  const auto resources = csv_table(csv, "calendar_resources");
  std::size_t p90_rows = 0;
  for (const auto& row : resources) {
    const std::size_t k = std::stoul(row.at("point"));
    EXPECT_EQ(order.at(std::stoul(row.at("rank")) - 1), k);
    const std::string id = row.at("scope").substr(std::string("resource:").size());
    const auto& list = sweep.calendar.at(k).resources;
    const auto r = std::find_if(list.begin(), list.end(), [&](const auto& x) { return x.id == id; });
    ASSERT_NE(r, list.end()) << id;
    for (std::size_t c = 0; c < kResourceColumns.size(); ++c) {
      if (row.at("metric") != kResourceColumns[c].first) continue;
      EXPECT_EQ(csv_value(row.at("value")), r->figures[c].value) << id << " " << row.at("metric");
      if (row.at("metric") == std::string("p90_wait_hours")) {
        ++p90_rows;
        EXPECT_EQ(row.at("unit"), "hours");
        EXPECT_EQ(row.at("note"), id == "desks" ? "ranked by" : "");
      }
    }
  }
  EXPECT_EQ(p90_rows, 3 * sweep.calendar[0].resources.size());
  const auto points = csv_table(csv, "calendar_points");
  const auto staff_cost = std::find_if(points.begin(), points.end(), [](const auto& row) {
    return row.at("metric") == "staff_cost";
  });
  ASSERT_NE(staff_cost, points.end());
  const std::size_t best = std::stoul(staff_cost->at("point"));
  EXPECT_EQ(best, order.front());
  EXPECT_EQ(csv_value(staff_cost->at("value")), sweep.calendar[best].figures[0].value);
  EXPECT_EQ(staff_cost->at("unit"), "money");

  // The Markdown: more desks, shorter waits at them, so the most desks rank first.
  const std::string md = sweep_table_markdown(sweep, metric);
  EXPECT_EQ(sweep.values[order.front()][0], 4.0);
  EXPECT_NE(md.find("## Calendar figures"), std::string::npos);
  EXPECT_NE(md.find("### Resources"), std::string::npos);
  EXPECT_NE(md.find("is a calendar figure, kept per point only"), std::string::npos);
  for (std::size_t k = 0; k < 3; ++k) {
    for (const StoredCalendarResource& r : sweep.calendar[k].resources) {
      const Estimate& wait = r.figures[2];
      ASSERT_EQ(std::string(kResourceColumns[2].first), "p90_wait_hours");
      const std::string cell = figure_text("p90_wait_hours", wait.value) + " " +
                               interval_text("p90_wait_hours", wait);
      EXPECT_NE(md.find(fmt::format("| {} | {} | {} |", k, r.id, r.lane)), std::string::npos);
      EXPECT_NE(md.find(cell), std::string::npos) << cell;
    }
  }
}

TEST(SweepReport, TheHtmlPageShowsTheDifferencesAndTheStaffingTradeOff) {
  const StoredSweep& sweep = calendar_sweep();
  const std::string page = html_sweep_report(sweep, "staff_cost");
  EXPECT_NE(page.find("id=\"differences\""), std::string::npos);
  EXPECT_NE(page.find("id=\"staffing\""), std::string::npos);
  EXPECT_NE(page.find("<table class=\"differences\">"), std::string::npos);
  // Three charts of the differences, the trade-off and the one parameter.
  EXPECT_NE(page.find("id=\"chart-3\""), std::string::npos);
  EXPECT_EQ(page.find("id=\"chart-4\""), std::string::npos);

  // The headline names the cheapest staffing, found here from the file's own figures.
  std::size_t cheapest = 0;
  for (std::size_t k = 1; k < sweep.calendar.size(); ++k) {
    if (sweep.calendar[k].figures[0].value < sweep.calendar[cheapest].figures[0].value) cheapest = k;
  }
  const std::string headline = staffing_headline(sweep);
  EXPECT_NE(headline.find(fmt::format("point {} (resources.desks.capacity = {})", cheapest,
                                      sweep.values[cheapest][0])),
            std::string::npos)
      << headline;
  EXPECT_NE(headline.find(figure_text("staff_cost", sweep.calendar[cheapest].figures[0].value)),
            std::string::npos)
      << headline;
  EXPECT_NE(page.find(html_escape(headline)), std::string::npos);
  // A plain sweep has no staffing section and no headline.
  const std::string plain = html_sweep_report(plain_sweep(), "conversion_rate");
  EXPECT_EQ(plain.find("id=\"staffing\""), std::string::npos);
  EXPECT_NE(plain.find("id=\"differences\""), std::string::npos);
  EXPECT_EQ(staffing_headline(plain_sweep()), "");
}

}  // namespace
}  // namespace cjsim
