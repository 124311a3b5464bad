// A sweep page's paired differences and staffing trade-off: charts as ECharts options, tables
// and words as HTML, all from the sweep file's figures (reports/render/sweep_report.h).
#include "reports/html/sweep_html.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <vector>

#include "reports/html/html_charts.h"
#include "reports/html/html_report.h"
#include "reports/render/report_format.h"
#include "reports/render/sweep_report.h"
#include "reports/render/text_report.h"
#include "sim/engine/calendar_figures.h"

namespace cjsim {
namespace {

using nlohmann::json;

// Colours of a difference's verdict, as the comparison pages colour better and worse.
constexpr const char* kBetterColour = "#1b873f";
constexpr const char* kWorseColour = "#c62828";
constexpr const char* kChangedColour = "#2f6db5";
constexpr const char* kNoiseColour = "#9aa3ae";
constexpr const char* kReferenceColour = "#1d2330";

std::size_t sweep_headline_index(std::string_view metric) {
  for (std::size_t f = 0; f < kHeadlineFigures.size(); ++f) {
    if (metric == kHeadlineFigures[f].name) return f;
  }
  return kHeadlineFigures.size();
}

// "better", "worse" or "changed" (no better direction) for a difference beyond the noise,
// "unchanged" within it, "" for the reference and a difference without an interval.
std::string verdict_class(std::string_view verdict, std::string_view metric, double difference) {
  if (verdict == "within the noise") return "unchanged";
  if (verdict != "beyond the noise") return "";
  const Figure* f = find_calendar_figure(metric);
  if (f == nullptr || f->better == Better::neither) return "changed";
  return (difference > 0) == (f->better == Better::higher) ? "better" : "worse";
}

const char* verdict_colour(std::string_view verdict_class_name, bool reference) {
  if (reference) return kReferenceColour;
  if (verdict_class_name == "better") return kBetterColour;
  if (verdict_class_name == "worse") return kWorseColour;
  if (verdict_class_name == "changed") return kChangedColour;
  return kNoiseColour;
}

// "point 7 (Call back; resources.desks.capacity = 2)": a point as a strategist reads it.
std::string point_words(const StoredSweep& sweep, std::size_t k) {
  std::string values;
  if (sweep.scenarios.size() > 1) values = sweep.scenarios[sweep.scenario_of_point[k]] + "; ";
  for (std::size_t j = 0; j < sweep.parameters.size(); ++j) {
    values += fmt::format("{}{} = {:.6g}", j == 0 ? "" : ", ", sweep.parameters[j],
                          sweep.values[k][j]);
  }
  return fmt::format("point {} ({})", k, values);
}

// The unit a headline figure's difference is drawn in, for the axis.
std::string difference_axis_name(std::string_view metric) {
  const Figure* f = find_calendar_figure(metric);
  const Unit unit = f ? f->unit : Unit::count;
  switch (unit) {
    case Unit::share: return "difference (percentage points)";
    case Unit::nps_points: return "difference (NPS points)";
    case Unit::hours: return "difference (hours)";
    default: return "difference";
  }
}

// The point, its scenario and parameter values as cells.
std::string point_cells(const StoredSweep& sweep, std::size_t k) {
  std::string out = fmt::format("<td class=\"num\">{}</td>", k);
  if (sweep.scenarios.size() > 1) {
    out += fmt::format("<td><span class=\"dot\" style=\"background:{}\"></span>{}</td>",
                       scenario_colour(sweep.scenario_of_point[k]),
                       html_escape(sweep.scenarios[sweep.scenario_of_point[k]]));
  }
  for (double v : sweep.values[k]) out += fmt::format("<td class=\"num\">{:.6g}</td>", v);
  return out;
}

std::string point_heads(const StoredSweep& sweep) {
  std::string out = "<th class=\"num\">point</th>";
  if (sweep.scenarios.size() > 1) out += "<th>scenario</th>";
  for (const std::string& p : sweep.parameters) {
    out += fmt::format("<th class=\"num\">{}</th>", html_escape(p));
  }
  return out;
}

// Every point's difference in `figure` with its interval, best first by the page's metric: a
// mark at the difference and a box over its 95% interval, coloured by the verdict, and a line
// at 0 (the reference).
json differences_chart(const StoredSweep& sweep, const SweepDifferences& differences,
                       std::size_t figure, std::span<const std::size_t> order) {
  const std::string_view name = kHeadlineFigures[figure].name;
  json categories = json::array(), boxes = json::array(), marks = json::array();
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::size_t k = order[i];
    const Estimate& d = differences.difference[k][figure];
    const bool reference = k == differences.reference.point;
    const std::string verdict = sweep_difference_verdict(differences, k, d);
    const char* colour = verdict_colour(verdict_class(verdict, name, d.value), reference);
    const double value = difference_in_display_units(name, d.value);
    const bool interval = std::isfinite(d.low) && std::isfinite(d.high);
    const double low = interval ? difference_in_display_units(name, d.low) : value;
    const double high = interval ? difference_in_display_units(name, d.high) : value;
    const std::string interval_words = difference_interval_text(name, d);
    const json tooltip = {
        {"formatter", html_escape(fmt::format("{}: {}{}, {}", point_words(sweep, k),
                                              difference_text(name, d.value),
                                              interval_words.empty() ? "" : " " + interval_words,
                                              verdict))}};
    categories.push_back(fmt::format("point {}", k));
    if (!std::isfinite(value)) {
      boxes.push_back(nullptr);
      marks.push_back(nullptr);
      continue;
    }
    boxes.push_back({{"value", {low, low, value, high, high}},
                     {"itemStyle", {{"color", "rgba(255,255,255,0)"}, {"borderColor", colour}}},
                     {"tooltip", tooltip}});
    marks.push_back({{"value", {value, i}},
                     {"itemStyle", {{"color", colour}}},
                     {"tooltip", tooltip}});
  }
  json zero = {{"silent", true},
               {"symbol", "none"},
               {"label", {{"show", false}}},
               {"lineStyle", {{"color", "#6b7280"}, {"type", "dashed"}}},
               {"data", json::array({{{"xAxis", 0}}})}};
  return {{"tooltip", {{"trigger", "item"}, {"confine", true}}},
          {"grid", {{"left", 70}, {"right", 24}, {"top", 12}, {"bottom", 48}}},
          {"xAxis",
           {{"type", "value"},
            {"name", difference_axis_name(name)},
            {"scale", true},
            {"nameLocation", "middle"},
            {"nameGap", 28}}},
          {"yAxis",
           {{"type", "category"},
            {"data", categories},
            {"inverse", true},
            {"axisLabel", {{"interval", 0}}},
            {"axisTick", {{"alignWithLabel", true}}}}},
          {"series",
           {{{"type", "boxplot"},
             {"name", "95% interval"},
             {"boxWidth", {6, 12}},
             {"data", boxes}},
            {{"type", "scatter"},
             {"name", std::string(name) + " difference"},
             {"symbolSize", 9},
             {"data", marks},
             {"markLine", zero}}}}};
}

// A point of the staffing trade-off: its staff cost, the longest 90th-percentile wait at any
// of its resources and which, and whether no other point both costs less and waits less.
struct StaffingPoint {
  std::size_t point = 0;
  double cost = 0.0, wait = 0.0;  // wait in hours
  std::string resource;
  bool frontier = false;
};

std::size_t calendar_column(std::string_view name) {
  for (std::size_t c = 0; c < kCalendarPointColumns.size(); ++c) {
    if (name == kCalendarPointColumns[c].first) return c;
  }
  return kCalendarPointColumns.size();
}

std::size_t staffing_resource_column(std::string_view name) {
  for (std::size_t c = 0; c < kResourceColumns.size(); ++c) {
    if (name == kResourceColumns[c].first) return c;
  }
  return kResourceColumns.size();
}

// The points with a staff cost and a wait, cheapest first (ties: the shorter wait, then the
// lower index), the frontier marked.
std::vector<StaffingPoint> staffing_points(const StoredSweep& sweep) {
  const std::size_t cost = calendar_column("staff_cost");
  const std::size_t p90 = staffing_resource_column("p90_wait_hours");
  std::vector<StaffingPoint> out;
  for (std::size_t k = 0; k < sweep.calendar.size(); ++k) {
    const StoredCalendarPoint& p = sweep.calendar[k];
    StaffingPoint s{k, p.figures.at(cost).value, -1.0, "", false};
    for (const StoredCalendarResource& r : p.resources) {
      const double wait = r.figures.at(p90).value;
      if (std::isfinite(wait) && wait > s.wait) {
        s.wait = wait;
        s.resource = r.id;
      }
    }
    if (std::isfinite(s.cost) && !s.resource.empty()) out.push_back(s);
  }
  std::sort(out.begin(), out.end(), [](const StaffingPoint& a, const StaffingPoint& b) {
    if (a.cost != b.cost) return a.cost < b.cost;
    if (a.wait != b.wait) return a.wait < b.wait;
    return a.point < b.point;
  });
  double shortest = std::numeric_limits<double>::infinity();
  for (StaffingPoint& s : out) {
    s.frontier = s.wait < shortest;
    shortest = std::min(shortest, s.wait);
  }
  return out;
}

std::string wait_words(const StaffingPoint& s) {
  return fmt::format("{} ({})", figure_text("p90_wait_hours", s.wait), s.resource);
}

json staffing_chart(const StoredSweep& sweep, const std::vector<StaffingPoint>& points) {
  double longest = 0.0;
  for (const StaffingPoint& s : points) longest = std::max(longest, s.wait);
  // Waits in minutes while they are short, as the tables write them.
  const bool minutes = longest < 1.0;
  const double scale = minutes ? 60.0 : 1.0;
  json series = json::array();
  for (std::size_t scenario = 0; scenario < sweep.scenarios.size(); ++scenario) {
    json data = json::array();
    for (const StaffingPoint& s : points) {
      if (sweep.scenario_of_point[s.point] != scenario) continue;
      const std::string words =
          fmt::format("{}: staff cost {}, longest 90th-percentile wait {}{}",
                      point_words(sweep, s.point), figure_text("staff_cost", s.cost),
                      wait_words(s), s.frontier ? ", on the frontier" : "");
      data.push_back({{"value", {s.cost, s.wait * scale}},
                      {"tooltip", {{"formatter", html_escape(words)}}}});
    }
    series.push_back({{"type", "scatter"},
                      {"name", sweep.scenarios[scenario]},
                      {"symbolSize", 10},
                      {"z", 3},
                      {"itemStyle", {{"color", scenario_colour(scenario)}, {"opacity", 0.85}}},
                      {"data", data}});
  }
  json frontier = json::array();
  for (const StaffingPoint& s : points) {
    if (s.frontier) frontier.push_back({s.cost, s.wait * scale});
  }
  series.push_back({{"type", "line"},
                    {"name", "frontier"},
                    {"silent", true},
                    {"symbol", "none"},
                    {"z", 2},
                    {"lineStyle", {{"color", "#1d2330"}, {"type", "dashed"}, {"width", 1.5}}},
                    {"itemStyle", {{"color", "#1d2330"}}},
                    {"data", frontier}});
  // The key is the page's text above the chart (sweep_scenario_key): it wraps, a legend cannot.
  return {{"tooltip", {{"trigger", "item"}, {"confine", true}}},
          {"grid", {{"left", 64}, {"right", 28}, {"top", 16}, {"bottom", 48}}},
          {"xAxis",
           {{"type", "value"},
            {"name", "staff cost"},
            {"scale", true},
            {"nameLocation", "middle"},
            {"nameGap", 28}}},
          {"yAxis",
           {{"type", "value"},
            {"name", minutes ? "longest p90 wait (min)" : "longest p90 wait (h)"},
            {"scale", true},
            {"nameLocation", "middle"},
            {"nameGap", 44}}},
          {"series", series}};
}

}  // namespace

std::string sweep_scenario_key(const StoredSweep& sweep, std::string_view also) {
  if (sweep.scenarios.size() < 2 && also.empty()) return "";
  std::string out = "<div class=\"key\">";
  for (std::size_t k = 0; k < sweep.scenarios.size() && sweep.scenarios.size() > 1; ++k) {
    out += fmt::format("<span><span class=\"dot\" style=\"background:{}\"></span>{}</span>",
                       scenario_colour(k), html_escape(sweep.scenarios[k]));
  }
  if (!also.empty()) out += fmt::format("<span>{}</span>", html_escape(also));
  return out + "</div>\n";
}

std::string staffing_headline(const StoredSweep& sweep) {
  const std::vector<StaffingPoint> points = staffing_points(sweep);
  if (points.empty()) return "";
  const StaffingPoint& cheapest = points.front();
  const StaffingPoint& shortest = *std::min_element(
      points.begin(), points.end(), [](const StaffingPoint& a, const StaffingPoint& b) {
        return a.wait < b.wait || (a.wait == b.wait && a.cost < b.cost);
      });
  if (cheapest.point == shortest.point) {
    return fmt::format(
        "{} is both the cheapest in staff ({}) and the one with the shortest longest "
        "90th-percentile wait, {}: no other point buys a shorter wait.",
        point_words(sweep, cheapest.point), figure_text("staff_cost", cheapest.cost),
        wait_words(cheapest));
  }
  std::vector<std::string> frontier;
  for (const StaffingPoint& s : points) {
    if (s.frontier) frontier.push_back(std::to_string(s.point));
  }
  return fmt::format(
      "The cheapest staffing, {}, costs {} and its longest 90th-percentile wait is {}; the "
      "shortest wait, {} at {}, costs {}, {} more. {} of the {} points are on the frontier, "
      "where a shorter wait costs more (points {}); every other point costs more for a longer "
      "wait than one of them.",
      point_words(sweep, cheapest.point), figure_text("staff_cost", cheapest.cost),
      wait_words(cheapest), wait_words(shortest), point_words(sweep, shortest.point),
      figure_text("staff_cost", shortest.cost),
      figure_text("staff_cost", shortest.cost - cheapest.cost), frontier.size(), points.size(),
      fmt::join(frontier, ", "));
}

std::string sweep_differences_section(const StoredSweep& sweep, std::string_view metric,
                                      html_page::Charts& charts) {
  const SweepDifferences differences = summary_differences(sweep);
  if (differences.difference.empty()) return "";
  std::size_t figure = sweep_headline_index(metric);
  std::string note;
  if (figure == kHeadlineFigures.size()) {
    figure = sweep_headline_index("conversion_rate");
    note = fmt::format(
        " {} is a calendar figure, kept per point only; these are the conversion rate's "
        "differences.",
        metric);
  }
  const std::string_view name = kHeadlineFigures[figure].name;
  const std::vector<std::size_t> order = points_best_first(sweep, metric);
  const std::size_t charted = std::min(order.size(), kMostChartedDifferences);

  std::string out = "<section id=\"differences\">\n<h2>Each point against the reference</h2>\n";
  out += fmt::format("<p>{}</p>\n", html_escape(sweep_differences_intro(sweep, differences)));
  out += fmt::format(
      "<p class=\"note\">{} minus the reference's, best first by {}{}: the mark is the "
      "difference, the box its 95% interval; green better and red worse beyond the noise, grey "
      "within it, dark the reference.{}</p>\n",
      html_escape(name), html_escape(metric),
      charted < order.size() ? fmt::format(" (the {} best of {} points)", charted, order.size())
                             : "",
      html_escape(note));
  out += charts.add(differences_chart(sweep, differences, figure,
                                      std::span(order).first(charted)),
                    static_cast<int>(70 + 24 * charted));

  // The table: the same differences for every point (the Markdown adds the other key figures').
  const std::size_t figures[] = {figure};
  const auto rows = sweep_difference_rows(differences, figures, order, order.size());
  out += "<table class=\"differences\"><thead><tr>" + point_heads(sweep);
  for (std::size_t c = 1; c < rows.front().size(); ++c) {
    out += fmt::format("<th class=\"num\">{}</th>", html_escape(rows.front()[c]));
  }
  // Agents lost at an entry a future state removed, only when some point lost any.
  if (!sweep.lost.empty()) out += fmt::format("<th class=\"num\">{}</th>", kLostEndingName);
  out += "</tr></thead><tbody>\n";
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::size_t k = order[i];
    const std::vector<std::string>& row = rows[i + 1];
    out += "<tr>" + point_cells(sweep, k);
    for (std::size_t c = 1; c < row.size(); ++c) {
      if (c != 3) {
        out += fmt::format("<td class=\"num\">{}</td>", html_escape(row[c]));
        continue;
      }
      const std::string css =
          verdict_class(row[c], name, differences.difference[k][figure].value);
      out += fmt::format("<td class=\"num\"><span class=\"tag{}\">{}</span></td>",
                         css.empty() ? "" : " " + css, html_escape(row[c]));
    }
    if (!sweep.lost.empty()) {
      out += fmt::format("<td class=\"num\">{}</td>", with_thousands(sweep.lost[k]));
    }
    out += "</tr>\n";
  }
  return out + "</tbody></table>\n</section>\n";
}

std::string sweep_staffing_section(const StoredSweep& sweep, html_page::Charts& charts) {
  if (sweep.calendar.empty()) return "";
  const std::vector<StaffingPoint> points = staffing_points(sweep);
  std::string out =
      "<section id=\"staffing\" class=\"answer\">\n<h2>Staff cost against waiting</h2>\n";
  if (points.empty()) {
    return out + "<p>The journeys of this sweep use no resources: no one waits.</p>\n</section>\n";
  }
  out += fmt::format("<p>{}</p>\n", html_escape(staffing_headline(sweep)));
  out +=
      "<p class=\"note\">Each design point's staff cost over the run against the longest "
      "90th-percentile wait at any of its resources (nine in ten customers wait less), one colour "
      "per base scenario; the dashed line joins the frontier.</p>\n";
  out += sweep_scenario_key(sweep, "dashed line: the frontier");
  out += charts.add(staffing_chart(sweep, points), 380);

  // Every point, cheapest first, with each resource's wait, utilisation and abandonment.
  std::vector<std::string> resources;
  for (const StoredCalendarResource& r : sweep.calendar.front().resources) resources.push_back(r.id);
  const std::size_t cost = calendar_column("staff_cost");
  const std::size_t p90 = staffing_resource_column("p90_wait_hours");
  const std::size_t utilisation = staffing_resource_column("utilisation");
  out += "<table class=\"staffing\"><thead><tr>" + point_heads(sweep) +
         "<th class=\"num\">staff cost</th><th class=\"num\">longest p90 wait</th>";
  for (const std::string& id : resources) {
    out += fmt::format("<th class=\"num\">{}: p90 wait</th>", html_escape(id));
  }
  out += "<th>frontier</th></tr></thead><tbody>\n";
  for (const StaffingPoint& s : points) {
    const StoredCalendarPoint& p = sweep.calendar[s.point];
    out += "<tr>" + point_cells(sweep, s.point);
    out += fmt::format("<td class=\"num\">{}<span class=\"ci\">{}</span></td>",
                       html_escape(figure_text("staff_cost", s.cost)),
                       html_escape(interval_text("staff_cost", p.figures.at(cost))));
    out += fmt::format("<td class=\"num\">{}<span class=\"ci\">{}</span></td>",
                       html_escape(figure_text("p90_wait_hours", s.wait)), html_escape(s.resource));
    for (const std::string& id : resources) {
      const auto r = std::find_if(p.resources.begin(), p.resources.end(),
                                  [&](const StoredCalendarResource& x) { return x.id == id; });
      if (r == p.resources.end()) {
        out += "<td class=\"num\">n/a</td>";
        continue;
      }
      out += fmt::format(
          "<td class=\"num\">{}<span class=\"ci\">{} busy, {} abandoned</span></td>",
          html_escape(figure_text("p90_wait_hours", r->figures.at(p90).value)),
          html_escape(figure_text("utilisation", r->figures.at(utilisation).value)),
          with_thousands(r->abandoned));
    }
    out += fmt::format("<td>{}</td></tr>\n",
                       s.frontier ? "<span class=\"tag better\">frontier</span>" : "");
  }
  return out + "</tbody></table>\n</section>\n";
}

}  // namespace cjsim
