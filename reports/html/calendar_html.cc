// The HTML page of a calendar run or comparison: the answer, the headline figures, the time
// view, the service blueprint with the resources behind it, a day in the life and the tables,
// every figure written in its unit from the figure tables.
#include "reports/html/calendar_html.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "cjsim_version.h"
#include "reports/html/draws_html.h"
#include "reports/html/html_assets.h"
#include "reports/html/html_charts.h"
#include "reports/html/html_page.h"
#include "reports/html/html_report.h"
#include "reports/render/report_format.h"
#include "reports/render/text_report.h"
#include "reports/render/uncertainty_report.h"
#include "scenarios/diagnostic.h"
#include "scenarios/loader.h"
#include "sim/engine/calendar_figures.h"

namespace cjsim {
namespace {

using html_page::Charts;
using nlohmann::json;

constexpr std::array<const char*, 7> kWeekdayNames = {"Mon", "Tue", "Wed", "Thu",
                                                      "Fri", "Sat", "Sun"};
constexpr std::array<const char*, 7> kWeekdayKeys = {"monday", "tuesday",  "wednesday", "thursday",
                                                     "friday", "saturday", "sunday"};

// Each journey as run, read back from the text its results recorded (a live run and a stored
// file hold the same text, so they give the same page).
std::optional<Scenario> recorded_scenario(const RunMetadata& m) {
  if (m.scenario_text.empty()) return std::nullopt;
  std::vector<SourceFile> bases;
  for (const auto& [path, text] : m.base_files) bases.push_back({path, text});
  Diagnostics diagnostics;
  return parse_recorded_scenario(m.scenario_text, m.scenario_path, bases, diagnostics);
}

struct Page {
  const CalendarComparisonReport& r;
  std::vector<std::optional<Scenario>> scenarios;
  const CalendarDrawsDigest* draws = nullptr;  // uncertain inputs drawn; nullptr: none
  // Scenario k's range of `key` over the draws; nullptr without draws or without it.
  const DrawsDigest::FigureRange* range(std::size_t k, std::string_view key) const {
    return draws ? draws->range(k, key) : nullptr;
  }
  // What the draws say of difference `d`, a row of future state k's differences.
  const DifferenceUncertainty* drawn(std::size_t k, const CalendarDifference& d) const {
    if (!draws || k == 0 || k > draws->differences.size()) return nullptr;
    const std::vector<CalendarDifference>& rows = r.differences[k - 1];
    const auto row = static_cast<std::size_t>(&d - rows.data());
    const std::vector<DifferenceUncertainty>& drawn_rows = draws->differences[k - 1];
    return row < rows.size() && row < drawn_rows.size() ? &drawn_rows[row] : nullptr;
  }
  bool comparison() const { return r.summaries.size() > 1; }
  std::size_t size() const { return r.summaries.size(); }
  int start_weekday() const {
    if (!scenarios[0] || !scenarios[0]->calendar) return 0;
    for (std::size_t d = 0; d < kWeekdayKeys.size(); ++d) {
      if (scenarios[0]->calendar->start_weekday == kWeekdayKeys[d]) return static_cast<int>(d);
    }
    return 0;
  }
  const Touchpoint* touchpoint(std::size_t k, std::string_view id) const {
    if (!scenarios[k]) return nullptr;
    for (const Touchpoint& t : scenarios[k]->touchpoints) {
      if (t.id == id) return &t;
    }
    return nullptr;
  }
  const Resource* resource(std::size_t k, std::string_view id) const {
    if (!scenarios[k]) return nullptr;
    for (const Resource& x : scenarios[k]->resources) {
      if (x.id == id) return &x;
    }
    return nullptr;
  }
  std::string persona_name(std::size_t k, std::string_view id) const {
    if (scenarios[k]) {
      for (const Persona& p : scenarios[k]->personas) {
        if (p.id == id && !p.words.name.empty()) return p.words.name;
      }
    }
    return std::string(id);
  }
};

std::string colour_dot(std::size_t k) {
  return fmt::format("<span class=\"dot\" style=\"background:{}\"></span>", scenario_colour(k));
}

std::string heading(const Page& p, std::size_t k) {
  return colour_dot(k) + html_escape(p.r.names[k]);
}

// A number as JSON writes it, for the data-value attributes tests and tools read back.
std::string number_attribute(double x) { return std::isfinite(x) ? fmt::format("{}", x) : ""; }

// A figure's cell: the value in its unit, its interval under it; `key` names the value in
// `run --json` (data-key, data-value).
// With `drawn`, its range over the draws of the uncertain inputs under that (data-uncertainty:
// [low, high]).
std::string keyed_figure_cell(std::string_view figure, const Estimate& e, std::string_view key = "",
                              const DrawsDigest::FigureRange* drawn = nullptr) {
  std::string data;
  if (!key.empty()) {
    data = fmt::format(" data-key=\"{}\" data-value=\"{}\"", key, number_attribute(e.value));
  }
  std::string over_draws;
  if (drawn != nullptr) {
    data += fmt::format(" data-uncertainty=\"[{},{}]\"", number_attribute(drawn->over_draws.low),
                        number_attribute(drawn->over_draws.high));
    over_draws = fmt::format(
        "<span class=\"ci drawn\">draws {}</span>",
        html_escape(interval_text(figure, {0.0, drawn->over_draws.low, drawn->over_draws.high})));
  }
  return fmt::format("<td class=\"num\"{}>{}<span class=\"ci\">{}</span>{}</td>", data,
                     html_escape(figure_text(figure, e.value)),
                     html_escape(interval_text(figure, e)), over_draws);
}

std::string count_cell(std::uint64_t n, std::string_view key) {
  return fmt::format("<td class=\"num\" data-key=\"{}\" data-value=\"{}\">{}</td>", key, n,
                     with_thousands(n));
}

// The same in every replication, to rounding: a figure the change does not touch (staff cost
// without a new shift, summed over shifts in another order of events).
bool unchanged(const CalendarDifference& d) {
  const double size = std::max({std::abs(d.current.value), std::abs(d.future.value), 1.0});
  const double tolerance = 1e-9 * size;
  return std::abs(d.difference.value) <= tolerance && std::abs(d.difference.low) <= tolerance &&
         std::abs(d.difference.high) <= tolerance;
}

bool significant(const CalendarDifference& d) {
  return std::isfinite(d.difference.low) && (d.difference.low > 0.0 || d.difference.high < 0.0);
}

// "better", "worse", "changed" (a figure with no better direction) or "" (within the noise, or
// no interval from one replication).
std::string verdict(const CalendarDifference& d) {
  if (unchanged(d)) return "unchanged";
  if (!significant(d)) return "";
  const Figure* f = find_calendar_figure(d.figure);
  const Better better = f ? f->better : Better::neither;
  if (better == Better::neither) return "changed";
  return (better == Better::lower) == (d.difference.value < 0) ? "better" : "worse";
}

std::string figure_label(const CalendarDifference& d) {
  std::string label = metric_label(d.figure);
  if (!d.resource.empty()) label += " at " + d.resource;
  return label;
}

// One difference in plain words: "Mean wait at agents falls by 3.2 min (95% interval ...):
// better."
std::string difference_sentence(const CalendarDifference& d) {
  const std::string label = figure_label(d);
  if (!std::isfinite(d.difference.value)) return label + ": no value in one of the states.";
  if (unchanged(d)) {
    return fmt::format("{} does not change ({} in every replication of both).", label,
                       figure_text(d.figure, d.current.value));
  }
  std::string moves = d.difference.value > 0   ? "rises by "
                      : d.difference.value < 0 ? "falls by "
                                               : "does not move: ";
  std::string size = difference_text(d.figure, std::abs(d.difference.value));
  if (!size.empty() && size[0] == '+') size.erase(0, 1);
  std::string sentence = label + " " + moves + size;
  sentence += fmt::format(" ({} to {})", figure_text(d.figure, d.current.value),
                          figure_text(d.figure, d.future.value));
  if (!std::isfinite(d.difference.low)) {
    return sentence + "; one replication gives no interval, so run more to tell it from noise.";
  }
  sentence += ", 95% interval " + difference_interval_text(d.figure, d.difference);
  const std::string v = verdict(d);
  if (v.empty()) return sentence + ": within the noise.";
  if (v == "changed") return sentence + ": a real change, neither better nor worse in itself.";
  return sentence + ": " + v + ".";
}

// Whether one way of `figure` is better (else the draws' odds are of it rising).
bool has_better_direction(std::string_view figure) {
  const Figure* f = find_calendar_figure(figure);
  return f != nullptr && f->better != Better::neither;
}

// What the draws of the uncertain inputs say of a difference: "Over the uncertain inputs it is
// better in 83% of the draws; expected -3.1 min, 95% of the draws between -5.0 and -1.2 min."
std::string drawn_sentence(const CalendarDifference& d, const DifferenceUncertainty& u) {
  if (u.draws == 0) return "The draws of the uncertain inputs give it no value.";
  const bool directed = has_better_direction(d.figure);
  const double share = std::isfinite(u.probability_better) ? u.probability_better : 0.0;
  return fmt::format(
      "Over the uncertain inputs it is {} in {:.0f}% of the draws; expected {}, 95% of the "
      "draws between {} and {}.",
      directed ? "better" : "higher", 100.0 * share, difference_text(d.figure, u.expected),
      difference_text(d.figure, u.interval.low), difference_text(d.figure, u.interval.high));
}

// The figures the answer speaks of, in this order: the run's, then each resource's.
constexpr std::array<const char*, 6> kAnswerRunFigures = {
    "conversion_rate",     "gave_up_rate", "abandonment_rate",
    "revenue_per_journey", "nps",          "staff_cost"};
constexpr std::array<const char*, 3> kAnswerResourceFigures = {"mean_wait_hours", "utilisation",
                                                               "abandoned"};

std::string header(const Page& p) {
  const CalendarSummary& s = p.r.summaries.front();
  const RunMetadata& m = p.r.metadata.front();
  std::string title =
      p.comparison() ? fmt::format("{} vs {}", p.r.names[0], counted(p.size() - 1, "future state"))
                     : p.r.names[0];
  std::string out = "<header>\n";
  out += fmt::format("<h1>{}</h1>\n", html_escape(title));
  std::string days = counted(static_cast<std::uint64_t>(s.days - s.warmup_days), "day");
  if (s.warmup_days > 0) {
    days += fmt::format(" measured after {} of warm-up",
                        counted(static_cast<std::uint64_t>(s.warmup_days), "day"));
  }
  out += fmt::format(
      "<p>Calendar journey &middot; {} &middot; {} journeys &middot; {}{} &middot; seed {} "
      "&middot; cjsim {} &middot; {}</p>\n",
      days, with_thousands(s.journeys), counted(p.r.replications, "replication"),
      p.comparison() ? ", paired" : "", m.seed, html_escape(m.software_version),
      html_escape(m.created));
  out += "</header>\n<nav>";
  if (p.comparison()) out += "<a href=\"#answer\">The answer</a>";
  if (p.draws) out += "<a href=\"#how-sure\">How sure it is</a>";
  out +=
      "<a href=\"#headline\">Headline</a><a href=\"#time\">Over time</a>"
      "<a href=\"#blueprint\">Service blueprint</a><a href=\"#day-in-the-life\">A day in the "
      "life</a><a href=\"#resources\">Resources</a><a href=\"#days\">Day by day</a>";
  if (p.comparison()) out += "<a href=\"#differences\">All differences</a>";
  out += "<a href=\"#scenario\">Scenario as run</a></nav>\n";
  return out;
}

std::string answer_section(const Page& p) {
  std::string out =
      "<section id=\"answer\" class=\"answer\">\n<h2>The answer</h2>\n<p class=\"note\">Each "
      "future state against the current state on the same arrivals and agents (common random "
      "numbers), paired replication by replication, with 95% intervals.</p>\n"
      "<div class=\"verdicts\">\n";
  for (std::size_t k = 1; k < p.size(); ++k) {
    out += fmt::format("<div class=\"verdict\" style=\"border-top-color:{}\"><h3>{}</h3><ul>",
                       scenario_colour(k), heading(p, k));
    const auto drawn_words = [&](const CalendarDifference& d) -> std::string {
      const DifferenceUncertainty* u = p.drawn(k, d);
      return u ? " " + html_escape(drawn_sentence(d, *u)) : "";
    };
    const auto said = [&](const CalendarDifference& d) {
      const std::string v = verdict(d);
      out += fmt::format(
          "<li class=\"sentence\" data-figure=\"{}\" data-resource=\"{}\" data-verdict=\"{}\">"
          "{}{}</li>",
          d.figure, html_escape(d.resource), v.empty() ? "noise" : v,
          html_escape(difference_sentence(d)) + drawn_words(d),
          v.empty() ? " <span class=\"tag\">within the noise</span>"
                    : fmt::format(" <span class=\"tag {}\">{}</span>", v, v));
    };
    for (const char* name : kAnswerRunFigures) {
      for (const CalendarDifference& d : p.r.differences[k - 1]) {
        if (d.figure == name && d.resource.empty()) said(d);
      }
    }
    for (const CalendarDifference& d : p.r.differences[k - 1]) {
      if (d.resource.empty()) continue;
      if (std::find_if(kAnswerResourceFigures.begin(), kAnswerResourceFigures.end(),
                       [&](const char* n) { return d.figure == n; }) !=
          kAnswerResourceFigures.end()) {
        said(d);
      }
    }
    out += "</ul></div>\n";
  }
  return out + "</div>\n</section>\n";
}

// The headline figures, one row each, a column per journey.
std::string headline_section(const Page& p) {
  std::string out = "<section id=\"headline\">\n<h2>Headline figures</h2>\n";
  out += fmt::format(
      "<p class=\"note\">Per journey (an agent's first journey, and each return), over the "
      "measured days; {} with 95% intervals across replications.</p>\n",
      p.r.replications > 1 ? "means of the replications" : "one replication, so no intervals:");
  out += "<table class=\"headline\"><thead><tr><th>figure</th>";
  for (std::size_t k = 0; k < p.size(); ++k) {
    out += fmt::format("<th class=\"num\" data-label=\"{}\">{}</th>", html_escape(p.r.names[k]),
                       heading(p, k));
  }
  out += "</tr></thead><tbody>\n";
  using Get = std::function<Estimate(const CalendarSummary&)>;
  struct Row {
    const char* figure;  // its format and label
    const char* key;     // its key in run --json
    Get get;
  };
  const std::vector<Row> estimates = {
      {"conversion_rate", "conversion_rate",
       [](const CalendarSummary& s) { return s.plain.overall.conversion_rate; }},
      {"gave_up_rate", "gave_up_rate",
       [](const CalendarSummary& s) { return s.plain.overall.gave_up_rate; }},
      {"revenue_per_journey", "revenue_per_agent",
       [](const CalendarSummary& s) { return s.plain.overall.revenue_per_agent; }},
      {"nps", "nps", [](const CalendarSummary& s) { return s.plain.overall.nps; }},
      {"lifetime_value", "lifetime_value",
       [](const CalendarSummary& s) { return s.lifetime_value; }},
      {"journeys_per_customer", "journeys_per_customer",
       [](const CalendarSummary& s) { return s.journeys_per_customer; }},
      {"staff_cost", "staff_cost", [](const CalendarSummary& s) { return s.staff_cost; }},
      {"organic_agents_per_day", "organic_agents_per_day",
       [](const CalendarSummary& s) { return s.organic_agents_per_day; }},
      {"referred_per_organic", "referred_per_organic",
       [](const CalendarSummary& s) { return s.referred_per_organic; }},
  };
  for (const Row& row : estimates) {
    out += fmt::format("<tr><td>{}</td>", html_escape(metric_label(row.figure)));
    for (std::size_t k = 0; k < p.size(); ++k) {
      out += keyed_figure_cell(row.figure, row.get(p.r.summaries[k]), row.key,
                               p.range(k, row.key));
    }
    out += "</tr>\n";
  }
  struct CountRow {
    const char* label;
    const char* key;
    std::uint64_t CalendarSummary::*member;
  };
  const std::vector<CountRow> counts = {
      {"Journeys", "journeys", &CalendarSummary::journeys},
      {"Organic agents", "organic_agents", &CalendarSummary::organic_agents},
      {"Referred agents", "referred_agents", &CalendarSummary::referred_agents},
      {"Returning journeys", "returning_journeys", &CalendarSummary::returning_journeys},
      {"Deterred prospects", "deterred", &CalendarSummary::deterred},
      {"Customers", "customers", &CalendarSummary::customers},
      {"Abandoned (gave up waiting)", "ended.abandoned", &CalendarSummary::abandoned},
  };
  for (const CountRow& row : counts) {
    out += fmt::format("<tr><td>{}</td>", row.label);
    for (const CalendarSummary& s : p.r.summaries) out += count_cell(s.*row.member, row.key);
    out += "</tr>\n";
  }
  out += "</tbody></table>\n";
  if (p.r.replications > 1) {
    out += "<p class=\"note\">Counts are summed over the replications.</p>\n";
  }
  return out + "</section>\n";
}

// --- the time view -----------------------------------------------------------------------------

// "Mon 3" (day 3 of the run, a Monday) or "Tue 09:00" for an hour.
std::string time_label(const Page& p, const DayFigures& d) {
  const int weekday = static_cast<int>((p.start_weekday() + d.day) % 7);
  if (d.hour < 0)
    return fmt::format("{} {}", kWeekdayNames[static_cast<std::size_t>(weekday)], d.day);
  return fmt::format("{} {:02}:00", kWeekdayNames[static_cast<std::size_t>(weekday)], d.hour % 24);
}

json number_or_null(double x) { return std::isfinite(x) ? json(x) : json(nullptr); }

// A line per journey with its 95% band when the replications give one (the band is two series
// stacked: its low edge, invisible, and its width, shaded), scaled by `scale`.
json band_series(std::size_t k, const std::string& name, const std::vector<Estimate>& values,
                 double scale) {
  json line = json::array(), low = json::array(), width = json::array();
  bool has_band = false;
  for (const Estimate& e : values) {
    line.push_back(number_or_null(e.value * scale));
    const bool band = std::isfinite(e.low) && std::isfinite(e.high);
    has_band = has_band || band;
    low.push_back(band ? json(e.low * scale) : json(nullptr));
    width.push_back(band ? json((e.high - e.low) * scale) : json(nullptr));
  }
  const std::string colour = scenario_colour(k);
  json out = json::array();
  if (has_band) {
    const std::string stack = fmt::format("band-{}-{}", k, name);
    out.push_back({{"type", "line"},
                   {"name", name + " low"},
                   {"data", low},
                   {"stack", stack},
                   {"symbol", "none"},
                   {"lineStyle", {{"opacity", 0}}},
                   {"silent", true}});
    out.push_back({{"type", "line"},
                   {"name", name + " band"},
                   {"data", width},
                   {"stack", stack},
                   {"symbol", "none"},
                   {"lineStyle", {{"opacity", 0}}},
                   {"silent", true},
                   {"areaStyle", {{"color", colour}, {"opacity", 0.18}}}});
  }
  out.push_back({{"type", "line"},
                 {"name", name},
                 {"data", line},
                 {"symbol", "circle"},
                 {"symbolSize", 4},
                 {"itemStyle", {{"color", colour}}},
                 {"lineStyle", {{"color", colour}, {"width", 2}}}});
  return out;
}

// A chart of lines or bars over the days; its key is the page's own text above it (a page's
// text wraps where a chart's legend cannot), so the chart has no legend.
json line_chart(const std::string& title, const json& labels, const json& series,
                const std::string& axis) {
  return {
      {"title", {{"text", title}, {"textStyle", {{"fontSize", 13}}}}},
      {"grid", {{"left", 56}, {"right", 18}, {"top", 48}, {"bottom", 40}}},
      {"xAxis", {{"type", "category"}, {"data", labels}, {"axisLabel", {{"hideOverlap", true}}}}},
      // Every series counts or measures something that cannot be negative; a band from few
      // replications may reach below 0, and is cut there.
      {"yAxis",
       {{"type", "value"}, {"name", axis}, {"min", 0}, {"nameTextStyle", {{"align", "left"}}}}},
      {"series", series}};
}

// Waits are charted in minutes when every one is under an hour (Unit::minutes), else in hours.
struct WaitScale {
  double scale;
  const char* unit;
};
WaitScale wait_scale(double longest_hours) {
  return longest_hours < 1.0 ? WaitScale{60.0, " min"} : WaitScale{1.0, " h"};
}

std::string shifts_html(const Page& p);

// The journeys' colours as a key above the charts, with `more` after them.
std::string chart_key(const Page& p, const std::string& more = "") {
  std::string out = "<div class=\"key\">";
  if (p.comparison()) {
    for (std::size_t k = 0; k < p.size(); ++k) {
      out += fmt::format("<span>{}{}{}</span>", colour_dot(k), html_escape(p.r.names[k]),
                         k == 0 ? " (current)" : "");
    }
  }
  return out + more + "</div>\n";
}

std::string time_section(const Page& p, Charts& charts) {
  const bool hourly = !p.r.summaries.front().hour_figures.empty();
  const auto rows = [&](const CalendarSummary& s) -> const std::vector<DayFigures>& {
    return hourly ? s.hour_figures : s.day_figures;
  };
  std::string out = "<section id=\"time\">\n<h2>Over time</h2>\n";
  out += fmt::format(
      "<p class=\"note\">{} of the measured run: arrivals by where they came from, conversions, "
      "waits, and each resource's utilisation and queue{}.</p>\n",
      hourly ? "Hour by hour" : "Day by day",
      p.r.replications > 1 ? ", each with its 95% band across replications" : "");
  json labels = json::array();
  for (const DayFigures& d : rows(p.r.summaries.front())) labels.push_back(time_label(p, d));
  const std::string unit_name = hourly ? "hour" : "day";

  // Arrivals by source, stacked per journey.
  json arrivals = json::array();
  const std::array<std::pair<const char*, Estimate DayFigures::*>, 3> sources = {{
      {"organic", &DayFigures::arrivals_organic},
      {"referred", &DayFigures::arrivals_referred},
      {"returning", &DayFigures::arrivals_returning},
  }};
  const std::array<double, 3> opacity = {1.0, 0.6, 0.35};
  for (std::size_t k = 0; k < p.size(); ++k) {
    for (std::size_t i = 0; i < sources.size(); ++i) {
      json data = json::array();
      for (const DayFigures& d : rows(p.r.summaries[k])) {
        data.push_back(number_or_null((d.*sources[i].second).value));
      }
      const std::string name =
          p.comparison() ? fmt::format("{}: {}", p.r.names[k], sources[i].first) : sources[i].first;
      arrivals.push_back({{"type", "bar"},
                          {"name", name},
                          {"stack", p.r.names[k]},
                          {"data", data},
                          {"itemStyle", {{"color", scenario_colour(k)}, {"opacity", opacity[i]}}}});
    }
  }
  json arrivals_chart =
      line_chart("Arrivals per " + unit_name + " by source", labels, arrivals, "arrivals");
  arrivals_chart["tooltip"] = {{"trigger", "axis"}, {"confine", true}};
  out += chart_key(p,
                   "<span>bars: organic arrivals (darkest), referred, returning (lightest)"
                   "</span>");
  out += charts.add(arrivals_chart, 320);

  // Conversions and waits, a line per journey with its band.
  const auto per_journey = [&](Estimate DayFigures::*member, double scale) {
    json series = json::array();
    for (std::size_t k = 0; k < p.size(); ++k) {
      std::vector<Estimate> values;
      for (const DayFigures& d : rows(p.r.summaries[k])) values.push_back(d.*member);
      for (json& s : band_series(k, p.r.names[k], values, scale)) series.push_back(s);
    }
    return series;
  };
  out += chart_key(p, p.r.replications > 1 ? "<span>shaded: 95% band</span>" : "");
  out += "<div class=\"charts-row\">\n";
  out += charts.add(line_chart("Conversions per " + unit_name, labels,
                               per_journey(&DayFigures::conversions, 1.0), "conversions"),
                    300, "", {{"calendar", "band"}, {"unit", ""}, {"decimals", 1}});
  double longest = 0.0;
  for (const CalendarSummary& s : p.r.summaries) {
    for (const DayFigures& d : rows(s)) {
      if (std::isfinite(d.mean_wait_hours.high))
        longest = std::max(longest, d.mean_wait_hours.high);
      if (std::isfinite(d.mean_wait_hours.value))
        longest = std::max(longest, d.mean_wait_hours.value);
    }
  }
  const WaitScale wait = wait_scale(longest);
  out += charts.add(line_chart("Mean wait per " + unit_name, labels,
                               per_journey(&DayFigures::mean_wait_hours, wait.scale),
                               wait.scale > 1.0 ? "minutes" : "hours"),
                    300, "",
                    {{"calendar", "band"},
                     {"unit", wait.unit},
                     {"decimals", 1},
                     {"axis_decimals", wait.scale > 1.0 ? 0 : 1}});
  out += "</div>\n";

  // Each resource, by day: utilisation and queue length.
  if (!p.r.summaries.front().resources.empty()) {
    json day_labels = json::array();
    for (const DayFigures& d : p.r.summaries.front().day_figures)
      day_labels.push_back(time_label(p, d));
    const auto per_resource = [&](Estimate ResourceDayFigures::*member, double scale) {
      json series = json::array();
      for (std::size_t k = 0; k < p.size(); ++k) {
        for (const ResourceFigures& res : p.r.summaries[k].resources) {
          std::vector<Estimate> values;
          for (const ResourceDayFigures& d : res.days) values.push_back(d.*member);
          const std::string name =
              p.comparison() ? fmt::format("{}: {}", p.r.names[k], res.id) : res.id;
          json lines = band_series(k, name, values, scale);
          // Resources of one journey told apart by their line's dash.
          const std::size_t index =
              static_cast<std::size_t>(&res - p.r.summaries[k].resources.data());
          static constexpr std::array<const char*, 3> kDashes = {"solid", "dashed", "dotted"};
          lines.back()["lineStyle"]["type"] = kDashes[index % kDashes.size()];
          for (json& s : lines) series.push_back(s);
        }
      }
      return series;
    };
    std::string dashes = "<span>lines: ";
    static constexpr std::array<const char*, 3> kDashNames = {"solid", "dashed", "dotted"};
    for (std::size_t i = 0; i < p.r.summaries.front().resources.size(); ++i) {
      dashes += fmt::format("{}{} {}", i > 0 ? ", " : "", kDashNames[i % kDashNames.size()],
                            html_escape(p.r.summaries.front().resources[i].id));
    }
    out += chart_key(p, dashes + "</span>");
    out += "<div class=\"charts-row\">\n";
    out += charts.add(line_chart("Utilisation per day, by resource", day_labels,
                                 per_resource(&ResourceDayFigures::utilisation, 100.0), "%"),
                      300, "", {{"calendar", "band"}, {"unit", " %"}, {"decimals", 1}});
    out += charts.add(line_chart("Mean queue length per day, by resource", day_labels,
                                 per_resource(&ResourceDayFigures::mean_queue, 1.0), "waiting"),
                      300, "",
                      {{"calendar", "band"}, {"unit", ""}, {"decimals", 2}, {"axis_decimals", 1}});
    out += "</div>\n";
  }
  return out + shifts_html(p) + "</section>\n";
}

// --- shifts and opening hours ------------------------------------------------------------------

// "08:00-20:00"
std::string span_text(const OpenSpan& span) {
  return fmt::format("{:02}:{:02}-{:02}:{:02}", span.start_minute / 60, span.start_minute % 60,
                     span.end_minute / 60, span.end_minute % 60);
}

// A week as a grid, a row per weekday and a cell per hour, each cell's shade and title from
// `cell(weekday, hour)`: (share of the darkest, title).
template <class Cell>
std::string week_grid(const std::string& caption, Cell cell) {
  std::string out = "<figure class=\"week\"><figcaption>" + caption + "</figcaption>";
  out += "<div class=\"week-grid\"><span></span>";
  for (int h = 0; h < kHoursPerDay; ++h) {
    out += fmt::format("<span class=\"wh\">{}</span>", h % 6 == 0 ? fmt::format("{:02}", h) : "");
  }
  for (int d = 0; d < kWeekdays; ++d) {
    out += fmt::format("<span class=\"wd\">{}</span>", kWeekdayNames[static_cast<std::size_t>(d)]);
    for (int h = 0; h < kHoursPerDay; ++h) {
      const auto [shade, title] = cell(d, h);
      out += fmt::format(
          "<span class=\"wc\" style=\"--shade:{:.2f}\" title=\"{} {:02}:00 {}\"></span>", shade,
          kWeekdayNames[static_cast<std::size_t>(d)], h, html_escape(title));
    }
  }
  return out + "</div></figure>";
}

// Servers by weekday and hour of each resource, and the opening hours of each touchpoint that
// has them, as in the current state (and a future state's where they differ).
std::string shifts_html(const Page& p) {
  std::string grids;
  std::set<std::string> shown;
  for (std::size_t k = 0; k < p.size(); ++k) {
    if (!p.scenarios[k]) continue;
    const Scenario& s = *p.scenarios[k];
    for (const Resource& res : s.resources) {
      const auto servers = [&](int d, int h) {
        const auto& day =
            res.schedule ? (*res.schedule)[static_cast<std::size_t>(d)] : std::nullopt;
        return day ? (*day)[static_cast<std::size_t>(h)] : res.capacity;
      };
      std::int64_t most = 1;
      std::string key = res.id + ":";
      for (int d = 0; d < kWeekdays; ++d) {
        for (int h = 0; h < kHoursPerDay; ++h) {
          most = std::max(most, servers(d, h));
          key += std::to_string(servers(d, h)) + ",";
        }
      }
      if (!shown.insert(key).second) continue;
      const std::string who = p.comparison() ? " &middot; " + heading(p, k) : "";
      grids += week_grid(
          fmt::format("<b>{}</b> on shift{} (at most {})", html_escape(res.id), who, most),
          [&](int d, int h) {
            const std::int64_t n = servers(d, h);
            return std::pair{static_cast<double>(n) / static_cast<double>(most),
                             fmt::format("{} on shift", n)};
          });
    }
    for (const Touchpoint& t : s.touchpoints) {
      if (!t.opening_hours) continue;
      std::string key = t.id + ":";
      for (const auto& day : *t.opening_hours) {
        for (const OpenSpan& span : day) key += span_text(span) + ",";
        key += ";";
      }
      if (!shown.insert(key).second) continue;
      const std::string who = p.comparison() ? " &middot; " + heading(p, k) : "";
      grids +=
          week_grid(fmt::format("<b>{}</b> open{}", html_escape(t.name), who), [&](int d, int h) {
            int minutes = 0;
            for (const OpenSpan& span : (*t.opening_hours)[static_cast<std::size_t>(d)]) {
              minutes += std::max(
                  0, std::min(span.end_minute, (h + 1) * 60) - std::max(span.start_minute, h * 60));
            }
            return std::pair{minutes / 60.0, minutes == 0 ? std::string("closed")
                                                          : fmt::format("open {} min", minutes)};
          });
    }
  }
  if (grids.empty()) return "";
  return "<h3>Shifts and opening hours</h3>\n<p class=\"note\">The week as the journeys ran it: "
         "the servers each resource has on shift, hour by hour, and when each touchpoint is "
         "open (darker: more).</p>\n<div class=\"weeks\">" +
         grids + "</div>\n";
}

// --- the service blueprint with its resources ----------------------------------------------------

// One line of a card: the label, then the figure in every journey, in its colour.
template <class Get>
std::string card_line(const Page& p, const char* label, std::string_view figure, Get get) {
  std::string out = fmt::format("<div class=\"vals\"><span class=\"k\">{}</span>", label);
  for (std::size_t k = 0; k < p.size(); ++k) {
    const std::optional<Estimate> e = get(k);
    if (!e) continue;
    out += fmt::format("<span class=\"v\" style=\"color:{}\">{}</span>", scenario_colour(k),
                       html_escape(figure_text(figure, e->value)));
  }
  return out + "</div>";
}

const ResourceFigures* find_resource(const CalendarSummary& s, std::string_view id) {
  for (const ResourceFigures& r : s.resources) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

const TouchpointFigures* find_touchpoint(const CalendarSummary& s, std::string_view id) {
  for (const TouchpointFigures& t : s.plain.touchpoints) {
    if (t.id == id) return &t;
  }
  return nullptr;
}

std::string opening_text(const WeekOpening& week) {
  std::string out;
  for (int d = 0; d < kWeekdays;) {
    const auto& spans = week[static_cast<std::size_t>(d)];
    int last = d;
    while (last + 1 < kWeekdays && week[static_cast<std::size_t>(last + 1)] == spans) ++last;
    if (!spans.empty()) {
      if (!out.empty()) out += "; ";
      out += kWeekdayNames[static_cast<std::size_t>(d)];
      if (last > d) out += fmt::format("-{}", kWeekdayNames[static_cast<std::size_t>(last)]);
      for (const OpenSpan& span : spans) out += fmt::format(" {}", span_text(span));
    }
    d = last + 1;
  }
  return out.empty() ? "never open" : out;
}

std::string blueprint_section(const Page& p) {
  // The stages and touchpoints of every journey, the current state's first.
  std::vector<std::string> stages;
  std::vector<std::pair<std::string, std::string>> steps;  // (id, stage)
  for (const CalendarSummary& s : p.r.summaries) {
    for (const StageFigures& st : s.plain.stages) {
      if (std::find(stages.begin(), stages.end(), st.name) == stages.end())
        stages.push_back(st.name);
    }
    for (const TouchpointFigures& t : s.plain.touchpoints) {
      if (std::none_of(steps.begin(), steps.end(),
                       [&](const auto& x) { return x.first == t.id; })) {
        steps.emplace_back(t.id, t.stage);
      }
    }
  }
  const auto column = [&](const std::string& stage) {
    return static_cast<std::size_t>(std::find(stages.begin(), stages.end(), stage) -
                                    stages.begin()) +
           2;
  };
  const auto touchpoint_of = [&](const std::string& id) -> const Touchpoint* {
    for (std::size_t k = 0; k < p.size(); ++k) {
      if (const Touchpoint* t = p.touchpoint(k, id)) return t;
    }
    return nullptr;
  };
  // The customer's lanes: the journey map's own (frontstage when not said).
  std::vector<std::string> lanes;
  for (const auto& [id, stage] : steps) {
    const Touchpoint* t = touchpoint_of(id);
    const std::string lane = t && !t->words.lane.empty() ? t->words.lane : "frontstage";
    if (std::find(lanes.begin(), lanes.end(), lane) == lanes.end()) lanes.push_back(lane);
  }
  std::stable_sort(lanes.begin(), lanes.end(), [](const std::string& a, const std::string& b) {
    const auto rank = [](const std::string& lane) {
      for (std::size_t i = 0; i < std::size(kLanes); ++i) {
        if (lane == kLanes[i]) return i;
      }
      return std::size(kLanes);
    };
    return rank(a) < rank(b);
  });
  // The resources of every journey, in the current state's order, and the stages they serve.
  std::vector<std::string> resources;
  for (const CalendarSummary& s : p.r.summaries) {
    for (const ResourceFigures& r : s.resources) {
      if (std::find(resources.begin(), resources.end(), r.id) == resources.end())
        resources.push_back(r.id);
    }
  }

  std::string out =
      "<section id=\"blueprint\">\n<h2>Service blueprint with its resources</h2>\n<p "
      "class=\"note\">The touchpoints by stage as the customer meets them, above the line of "
      "visibility; below it the staff and systems each touchpoint draws on, with their capacity, "
      "how busy they were, how long customers waited and how many gave up.</p>\n";
  if (p.comparison()) {
    out += "<div class=\"key\">";
    for (std::size_t k = 0; k < p.size(); ++k) {
      out += fmt::format("<span>{}{}</span>", colour_dot(k), html_escape(p.r.names[k]));
    }
    out += "</div>\n";
  }
  out += fmt::format("<div class=\"cal-blueprint\" style=\"--stages:{}\">", stages.size());
  out += "<div class=\"bp-corner\"></div>";
  for (const std::string& stage : stages) {
    out += fmt::format("<div class=\"bp-stage\" style=\"grid-column:{}\">{}</div>", column(stage),
                       html_escape(stage));
  }
  std::size_t row = 2;
  for (const std::string& lane : lanes) {
    out += fmt::format("<div class=\"bp-lane\" style=\"grid-row:{}\">{}</div>", row,
                       html_escape(lane));
    for (const std::string& stage : stages) {
      out += fmt::format(
          "<div class=\"bp-cell\" style=\"grid-row:{};grid-column:{}\">"
          "<span class=\"bp-cell-stage\">{}</span>",
          row, column(stage), html_escape(stage));
      for (const auto& step : steps) {
        // Named plainly: clang 14 cannot capture a structured binding in the lambdas below.
        const std::string& id = step.first;
        const auto& step_stage = step.second;
        const Touchpoint* t = touchpoint_of(id);
        const std::string step_lane = t && !t->words.lane.empty() ? t->words.lane : "frontstage";
        if (step_stage != stage || step_lane != lane) continue;
        std::string card = fmt::format("<div class=\"bp-card\" data-touchpoint=\"{}\"><b>{}</b>",
                                       html_escape(id), html_escape(t ? t->name : id));
        if (t && !t->resource.empty()) {
          card += fmt::format("<div class=\"uses\">uses <b>{}</b></div>", html_escape(t->resource));
        }
        if (t && t->opening_hours) {
          card += fmt::format("<div class=\"wk\">open {}</div>",
                              html_escape(opening_text(*t->opening_hours)));
        }
        if (t && t->patience_hours) {
          card += fmt::format("<div class=\"wk\">patience {} on average</div>",
                              html_escape(figure_text("mean_wait_hours", *t->patience_hours)));
        }
        card += card_line(p, "visits per journey", "visits_per_agent",
                          [&](std::size_t k) -> std::optional<Estimate> {
                            const TouchpointFigures* f = find_touchpoint(p.r.summaries[k], id);
                            return f ? std::optional(f->visits_per_agent) : std::nullopt;
                          });
        card +=
            card_line(p, "emotion", "mean_emotion", [&](std::size_t k) -> std::optional<Estimate> {
              const TouchpointFigures* f = find_touchpoint(p.r.summaries[k], id);
              return f ? std::optional(f->mean_emotion) : std::nullopt;
            });
        out += card + "</div>";
      }
      out += "</div>";
    }
    ++row;
  }
  if (!resources.empty()) {
    out += fmt::format(
        "<div class=\"bp-visibility\" style=\"grid-row:{};grid-column:1 / span {}\">"
        "line of visibility</div>",
        row, stages.size() + 1);
    ++row;
  }
  std::string previous_lane;
  for (const std::string& id : resources) {
    // Its lane, and the stages of the touchpoints that use it.
    std::string lane;
    std::size_t from = stages.size() + 2, to = 0;
    for (std::size_t k = 0; k < p.size(); ++k) {
      if (const Resource* res = p.resource(k, id); res && lane.empty()) lane = res->lane;
      if (!p.scenarios[k]) continue;
      for (const Touchpoint& t : p.scenarios[k]->touchpoints) {
        if (t.resource != id) continue;
        from = std::min(from, column(t.stage));
        to = std::max(to, column(t.stage));
      }
    }
    if (to == 0) from = to = 2;
    if (lane.empty()) lane = "backstage";
    out += fmt::format("<div class=\"bp-lane\" style=\"grid-row:{}\">{}</div>", row,
                       lane == previous_lane ? "" : html_escape(lane));
    previous_lane = lane;
    out += fmt::format(
        "<div class=\"bp-resource\" data-resource=\"{}\" style=\"grid-row:{};"
        "grid-column:{} / {}\"><b>{}</b>",
        html_escape(id), row, from, to + 1, html_escape(id));
    std::string capacity;
    for (std::size_t k = 0; k < p.size(); ++k) {
      const Resource* res = p.resource(k, id);
      if (!res) continue;
      std::int64_t most = res->capacity;
      if (res->schedule) {
        most = 0;
        for (const auto& day : *res->schedule) {
          for (int h = 0; h < kHoursPerDay; ++h)
            most = std::max(most, day ? (*day)[static_cast<std::size_t>(h)] : res->capacity);
        }
      }
      capacity += fmt::format("<span class=\"v\" style=\"color:{}\">{}{}</span>",
                              scenario_colour(k), most, res->schedule ? " at peak" : "");
    }
    out += "<div class=\"vals\"><span class=\"k\">servers</span>" + capacity + "</div>";
    const auto line = [&](const char* label, const char* figure,
                          Estimate ResourceFigures::*member) {
      out += card_line(p, label, figure, [&](std::size_t k) -> std::optional<Estimate> {
        const ResourceFigures* f = find_resource(p.r.summaries[k], id);
        return f ? std::optional(f->*member) : std::nullopt;
      });
    };
    line("utilisation", "utilisation", &ResourceFigures::utilisation);
    line("mean wait", "mean_wait_hours", &ResourceFigures::mean_wait_hours);
    line("90% wait under", "p90_wait_hours", &ResourceFigures::p90_wait_hours);
    line("gave up waiting", "abandonment_rate", &ResourceFigures::abandonment_rate);
    line("mean queue", "mean_queue", &ResourceFigures::mean_queue);
    line("staff cost", "staff_cost", &ResourceFigures::staff_cost);
    out += "</div>";
    ++row;
  }
  return out + "</div>\n</section>\n";
}

// --- a day in the life ---------------------------------------------------------------------------

std::string clock_text(const Page& p, double hours) {
  const auto day = static_cast<std::int64_t>(std::floor(hours / 24.0));
  auto minutes =
      static_cast<std::int64_t>(std::llround((hours - static_cast<double>(day) * 24.0) * 60.0));
  const int weekday = static_cast<int>((p.start_weekday() + day) % 7);
  if (minutes >= 24 * 60) minutes = 24 * 60 - 1;
  return fmt::format("{} {} {:02}:{:02}", kWeekdayNames[static_cast<std::size_t>(weekday)], day,
                     minutes / 60, minutes % 60);
}

// The steps of traced agent `agent` of journey k, in order.
std::vector<const TraceStep*> life_of(const CalendarSummary& s, std::uint32_t agent) {
  std::vector<const TraceStep*> out;
  for (const TraceStep& step : s.trace) {
    if (step.agent == agent) out.push_back(&step);
  }
  return out;
}

const std::string& touchpoint_name(const CalendarSummary& s, std::uint32_t index) {
  return s.plain.touchpoints.at(index).name;
}

// One journey's life of one traced agent as sentences, a row per thing that happened.
std::string life_rows(const Page& p, std::size_t k, const std::vector<const TraceStep*>& life) {
  const CalendarSummary& s = p.r.summaries[k];
  std::string out;
  double reached = 0.0;
  for (const TraceStep* step : life) {
    std::string what;
    switch (step->kind) {
      case TraceKind::reach:
        reached = step->hours;
        what = "reaches <b>" + html_escape(touchpoint_name(s, step->touchpoint)) + "</b>";
        if (step->journey > 1 && &step == &life.front()) what = "comes back: " + what;
        break;
      case TraceKind::visit_start: {
        const double waited = step->hours - reached;
        if (waited <= 0.0) continue;
        what = fmt::format("is served after waiting <b>{}</b>",
                           html_escape(figure_text("mean_wait_hours", waited)));
        break;
      }
      case TraceKind::visit_end:
        what = fmt::format("leaves {} feeling <b>{:+.2f}</b>",
                           html_escape(touchpoint_name(s, step->touchpoint)), step->emotion);
        break;
      case TraceKind::abandon:
        what = fmt::format("<b class=\"bad\">gives up</b> after waiting {}",
                           html_escape(figure_text("mean_wait_hours", step->hours - reached)));
        break;
      case TraceKind::journey_end:
        what = fmt::format("journey {} ends: <b>{}</b> (final emotion {:+.2f})", step->journey,
                           kCalendarEndingNames.at(step->touchpoint), step->emotion);
        break;
    }
    out += fmt::format("<li data-kind=\"{}\"><span class=\"when\">{}</span> {}</li>",
                       kTraceKindNames.at(static_cast<std::size_t>(step->kind)),
                       clock_text(p, step->hours), what);
  }
  return out;
}

// The timeline chart of one traced agent: a row per day it was out (its label "Thu 3"), the
// hours of the day across, its waits and visits as bars (calendar_charts.js draws them, each
// journey in its own lane of the row); a bar that runs past midnight goes on in the next row.
json life_chart(const Page& p, std::uint32_t agent) {
  // One bar per wait or visit: (journey k, start, end, kind, emotion, label).
  struct Bar {
    std::size_t k;
    double start, end;
    const char* kind;
    double emotion;
    std::string label;
  };
  std::vector<Bar> bars;
  for (std::size_t k = 0; k < p.size(); ++k) {
    const CalendarSummary& s = p.r.summaries[k];
    const std::string who = p.comparison() ? p.r.names[k] + ": " : "";
    double reached = 0.0, started = 0.0;
    for (const TraceStep* step : life_of(s, agent)) {
      if (step->kind == TraceKind::journey_end) continue;
      const std::string& name = touchpoint_name(s, step->touchpoint);
      const std::string at = clock_text(p, step->hours) + " ";
      switch (step->kind) {
        case TraceKind::reach:
          reached = step->hours;
          break;
        case TraceKind::visit_start:
          started = step->hours;
          if (started > reached) {
            bars.push_back({k, reached, started, "wait", kNaN,
                            who + "waits " + figure_text("mean_wait_hours", started - reached) +
                                " for " + name});
          }
          break;
        case TraceKind::visit_end:
          bars.push_back({k, started, step->hours, "visit", step->emotion,
                          fmt::format("{}{}: {} leaves feeling {:+.2f}", who, name,
                                      clock_text(p, started), step->emotion)});
          break;
        case TraceKind::abandon:
          bars.push_back({k, reached, step->hours, "wait", kNaN,
                          who + "waits " + figure_text("mean_wait_hours", step->hours - reached) +
                              " for " + name});
          bars.push_back(
              {k, step->hours, step->hours, "abandon", kNaN, who + at + "gives up at " + name});
          break;
        case TraceKind::journey_end:
          break;
      }
    }
  }
  // The days, in order, and the hours of the day the bars cover.
  std::vector<std::int64_t> days;
  double earliest = 24.0, latest = 0.0;
  for (const Bar& bar : bars) {
    const auto first_day = static_cast<std::int64_t>(std::floor(bar.start / 24.0));
    const auto last_day =
        std::max(first_day, static_cast<std::int64_t>(std::ceil(bar.end / 24.0)) - 1);
    for (std::int64_t d = first_day; d <= last_day; ++d) {
      if (std::find(days.begin(), days.end(), d) == days.end()) days.push_back(d);
      const double from =
          std::max(bar.start, 24.0 * static_cast<double>(d)) - 24.0 * static_cast<double>(d);
      const double to =
          std::min(bar.end, 24.0 * static_cast<double>(d + 1)) - 24.0 * static_cast<double>(d);
      earliest = std::min(earliest, from);
      latest = std::max(latest, to);
    }
  }
  std::sort(days.begin(), days.end());
  std::vector<json> data(p.size(), json::array());
  for (const Bar& bar : bars) {
    const auto first_day = static_cast<std::int64_t>(std::floor(bar.start / 24.0));
    const auto last_day =
        std::max(first_day, static_cast<std::int64_t>(std::ceil(bar.end / 24.0)) - 1);
    for (std::int64_t d = first_day; d <= last_day; ++d) {
      const auto row = static_cast<double>(std::find(days.begin(), days.end(), d) - days.begin());
      const double midnight = 24.0 * static_cast<double>(d);
      data[bar.k].push_back({row, std::max(bar.start, midnight) - midnight,
                             std::min(bar.end, midnight + 24.0) - midnight, bar.kind,
                             number_or_null(bar.emotion), bar.label});
    }
  }
  json series = json::array();
  for (std::size_t k = 0; k < p.size(); ++k) {
    series.push_back({{"type", "custom"},
                      {"name", p.r.names[k]},
                      {"data", data[k]},
                      {"encode", {{"x", {1, 2}}, {"y", 0}}},
                      {"itemStyle", {{"color", scenario_colour(k)}}}});
  }
  json categories = json::array();
  for (const std::int64_t d : days) {
    categories.push_back(fmt::format(
        "{} {}", kWeekdayNames[static_cast<std::size_t>((p.start_weekday() + d) % 7)], d));
  }
  if (bars.empty()) earliest = 0.0, latest = 24.0;
  return {
      {"grid", {{"left", 8}, {"right", 24}, {"top", 8}, {"bottom", 30}, {"containLabel", true}}},
      {"xAxis",
       {{"type", "value"},
        {"min", std::max(0.0, std::floor(earliest))},
        {"max", std::min(24.0, std::ceil(latest))},
        {"interval", 1}}},
      {"yAxis", {{"type", "category"}, {"data", categories}, {"inverse", true}}},
      {"dataZoom", {{{"type", "inside"}, {"xAxisIndex", 0}}}},
      {"series", series}};
}

// The heatmap of visits by hour of the week, over every agent: per state, persona and
// touchpoint with a visit, the 168 visits and mean emotions left (Monday 00:00 first), and for
// each touchpoint with opening hours the minutes it is open in each hour of the week.
// calendar_charts.js ("heatmap") draws the selected state, persona and touchpoint (or all).
json hour_of_week_data(const Page& p) {
  const CalendarSummary& first = p.r.summaries.front();
  json personas = json::array(), touchpoints = json::array();
  for (const PersonaFigures& persona : first.plain.personas) {
    personas.push_back({{"id", persona.id}, {"name", p.persona_name(0, persona.id)}});
  }
  for (const TouchpointFigures& t : first.plain.touchpoints) {
    touchpoints.push_back({{"id", t.id}, {"name", t.name}});
  }
  json states = json::array();
  for (std::size_t k = 0; k < p.size(); ++k) {
    const CalendarSummary& s = p.r.summaries[k];
    json rows = json::array();
    for (const HourOfWeekRow& row : s.hour_of_week) {
      json emotion = json::array();
      for (const double e : row.mean_emotion) emotion.push_back(number_or_null(e));
      rows.push_back({{"persona", row.persona_id},
                      {"touchpoint", row.touchpoint_id},
                      {"visits", row.visits},
                      {"emotion", std::move(emotion)}});
    }
    json open = json::object();
    if (p.scenarios[k]) {
      for (const Touchpoint& t : p.scenarios[k]->touchpoints) {
        if (!t.opening_hours) continue;
        json minutes = json::array();
        for (int d = 0; d < kWeekdays; ++d) {
          for (int h = 0; h < kHoursPerDay; ++h) {
            int open_minutes = 0;
            for (const OpenSpan& span : (*t.opening_hours)[static_cast<std::size_t>(d)]) {
              open_minutes += std::max(0, std::min(span.end_minute, (h + 1) * 60) -
                                              std::max(span.start_minute, h * 60));
            }
            minutes.push_back(open_minutes);
          }
        }
        open[t.id] = std::move(minutes);
      }
    }
    states.push_back({{"name", p.r.names[k]}, {"rows", std::move(rows)}, {"open", std::move(open)}});
  }
  return {{"personas", personas},
          {"touchpoints", touchpoints},
          {"states", states},
          {"weekdays", kWeekdayNames},
          {"replications", p.r.replications}};
}

// A <select> of the heatmap's controls: `options` are (value, label) pairs.
std::string heat_select(const char* control, const char* label,
                        const std::vector<std::pair<std::string, std::string>>& options) {
  std::string out = fmt::format("<label>{} <select data-heat=\"{}\">", label, control);
  for (const auto& [value, text] : options) {
    out += fmt::format("<option value=\"{}\">{}</option>", html_escape(value), html_escape(text));
  }
  return out + "</select></label>";
}

std::string hour_of_week_section(const Page& p, Charts& charts) {
  const CalendarSummary& first = p.r.summaries.front();
  bool any = false;
  for (const CalendarSummary& s : p.r.summaries) any = any || !s.hour_of_week.empty();
  if (!any) {
    return "<p class=\"note\">These results hold no visits by hour of the week (a file written "
           "by an earlier cjsim, or no visit in the measured days).</p>\n";
  }
  std::vector<std::pair<std::string, std::string>> personas, touchpoints = {{"", "all touchpoints"}},
                                                             states, measures;
  for (const PersonaFigures& persona : first.plain.personas) {
    personas.emplace_back(persona.id, p.persona_name(0, persona.id));
  }
  for (const TouchpointFigures& t : first.plain.touchpoints) touchpoints.emplace_back(t.id, t.name);
  for (std::size_t k = 0; k < p.size(); ++k) states.emplace_back(std::to_string(k), p.r.names[k]);
  measures = {{"visits", "visits"}, {"emotion", "mean emotion left"}};
  std::string out = "<div class=\"heat\" id=\"hour-of-week\"><h3>Every customer's week</h3>\n";
  out += fmt::format(
      "<p class=\"note\">Which touchpoints customers meet at each hour of the week, over every "
      "agent: the visits that started in each hour of the measured days ({}), or the mean "
      "emotion those visits left (red bad, green good). Hatched grey: the touchpoint is closed "
      "all that hour.</p>\n",
      p.r.replications == 1 ? std::string("one replication")
                            : fmt::format("all {} replications together", p.r.replications));
  out += "<div class=\"heat-controls\">";
  out += heat_select("persona", "Persona", personas);
  out += heat_select("touchpoint", "Touchpoint", touchpoints);
  if (p.comparison()) out += heat_select("state", "State", states);
  out += heat_select("measure", "Colour", measures);
  out += "</div>\n";
  json option = {
      {"grid", {{"left", 4}, {"right", 8}, {"top", 8}, {"bottom", 64}, {"containLabel", true}}},
      {"xAxis", {{"type", "category"}, {"splitArea", {{"show", true}}}}},
      {"yAxis", {{"type", "category"}, {"inverse", true}, {"splitArea", {{"show", true}}}}},
      {"series", json::array()}};
  out += charts.add(std::move(option), 300, "heatmap",
                    {{"calendar", "heatmap"}, {"heat", hour_of_week_data(p)}});
  return out + "</div>\n";
}

std::string day_in_life_section(const Page& p, Charts& charts) {
  const CalendarSummary& first = p.r.summaries.front();
  std::string out = "<section id=\"day-in-the-life\">\n<h2>A day in the life</h2>\n";
  out += hour_of_week_section(p, charts);
  out += "<h3>Traced lives</h3>\n";
  if (first.traced.empty()) {
    return out +
           "<p class=\"note\">These results hold no traced agent (a file written by an "
           "earlier cjsim).</p>\n</section>\n";
  }
  out += fmt::format(
      "<p class=\"note\">Real simulated customers, not averages: of the first {} of each persona "
      "to arrive in the measured days of replication 1 (seed {}), the one whose life has the most "
      "steps, followed through every touchpoint and queue, over the days and its returns.{} "
      "Grey: waiting; the bar's colour: the emotion the visit left (red bad, green good); a "
      "cross: gave up.</p>\n",
      first.traced.size() / std::max<std::size_t>(first.plain.personas.size(), 1),
      p.r.metadata.front().seed,
      p.comparison() ? " The same customer in every state: it arrives at the same moment with "
                       "the same persona and draws, so what differs is what the change did."
                     : "");
  // Each persona's fullest life in the current state (the most steps, the earliest of equals).
  std::vector<std::uint32_t> shown;
  for (std::uint32_t persona = 0; persona < first.plain.personas.size(); ++persona) {
    std::optional<std::uint32_t> best;
    std::size_t most = 0;
    for (std::uint32_t a = 0; a < first.traced.size(); ++a) {
      if (first.traced[a].persona != persona) continue;
      const std::size_t steps = life_of(first, a).size();
      if (!best || steps > most) {
        best = a;
        most = steps;
      }
    }
    if (best) shown.push_back(*best);
  }
  for (const std::uint32_t a : shown) {
    const TracedAgent& agent = first.traced[a];
    const std::string persona = first.plain.personas.size() > agent.persona
                                    ? first.plain.personas[agent.persona].id
                                    : std::string("?");
    out += fmt::format(
        "<div class=\"life\" data-agent=\"{}\"><h3>{} &middot; customer {} "
        "arrives {}</h3>\n",
        agent.organic, html_escape(p.persona_name(0, persona)), agent.organic + 1,
        clock_text(p, agent.arrived_hours));
    json option = life_chart(p, a);
    const std::size_t rows = option["yAxis"]["data"].size();
    if (p.comparison()) out += chart_key(p);
    out += charts.add(
        std::move(option),
        static_cast<int>(50 + (p.comparison() ? 46 : 30) * std::max<std::size_t>(rows, 1)), "",
        {{"calendar", "timeline"}, {"start_weekday", p.start_weekday()}, {"states", p.size()}});
    out += "<div class=\"lives\">";
    for (std::size_t k = 0; k < p.size(); ++k) {
      out += "<div class=\"life-steps\">";
      if (p.comparison()) out += "<h4>" + heading(p, k) + "</h4>";
      out += "<ol>" + life_rows(p, k, life_of(p.r.summaries[k], a)) + "</ol></div>";
    }
    out += "</div></div>\n";
  }
  return out + "</section>\n";
}

// --- tables -------------------------------------------------------------------------------------

std::string resources_section(const Page& p) {
  std::string out = "<section id=\"resources\">\n<h2>Resources</h2>\n";
  if (p.r.summaries.front().resources.empty()) {
    return out + "<p class=\"note\">This journey has no shared capacity.</p>\n</section>\n";
  }
  out += "<table class=\"resources\"><thead><tr><th>resource</th>";
  // Server-hours offered are the staff cost over its hourly rate: the Markdown and CSV tables
  // have them; here they would crowd a laptop's width.
  const auto shown = [](std::string_view name) { return name != "server_hours"; };
  for (const auto& [name, member] : kResourceColumns) {
    if (shown(name))
      out += fmt::format("<th class=\"num\">{}</th>", html_escape(metric_label(name)));
  }
  out += "<th class=\"num\">served</th><th class=\"num\">abandoned</th></tr></thead><tbody>\n";
  for (std::size_t k = 0; k < p.size(); ++k) {
    for (const ResourceFigures& r : p.r.summaries[k].resources) {
      out += fmt::format("<tr data-resource=\"{}\"><td>{}<span class=\"ci\">{}{}</span></td>",
                         html_escape(r.id), html_escape(r.id), html_escape(r.lane),
                         p.comparison() ? " &middot; " + heading(p, k) : "");
      for (const auto& [name, member] : kResourceColumns) {
        if (shown(name)) {
          out += keyed_figure_cell(name, r.*member, std::string("resources.") + name,
                                   p.range(k, r.id + "." + name));
        }
      }
      out +=
          count_cell(r.served, "resources.served") + count_cell(r.abandoned, "resources.abandoned");
      out += "</tr>\n";
    }
  }
  return out + "</tbody></table>\n</section>\n";
}

std::string days_section(const Page& p) {
  std::string out =
      "<section id=\"days\">\n<h2>Day by day</h2>\n<details><summary>Every measured day's "
      "figures</summary>\n";
  for (std::size_t k = 0; k < p.size(); ++k) {
    if (p.comparison()) out += "<h3>" + heading(p, k) + "</h3>\n";
    out += "<table class=\"days\"><thead><tr><th>day</th>";
    for (const auto& [name, member] : kDayColumns) {
      out += fmt::format("<th class=\"num\">{}</th>", html_escape(metric_label(name)));
    }
    out += "</tr></thead><tbody>\n";
    for (const DayFigures& d : p.r.summaries[k].day_figures) {
      out += fmt::format("<tr><td>{}</td>", time_label(p, d));
      for (const auto& [name, member] : kDayColumns) {
        out += keyed_figure_cell(name, d.*member, std::string("days.") + name);
      }
      out += "</tr>\n";
    }
    out += "</tbody></table>\n";
  }
  return out + "</details>\n</section>\n";
}

std::string differences_section(const Page& p) {
  std::string out =
      "<section id=\"differences\">\n<h2>All differences</h2>\n<p class=\"note\">Future state "
      "minus current state, paired by replication; the last column is the interval two "
      "independent runs would give, to show what the pairing gains.</p>\n";
  for (std::size_t k = 1; k < p.size(); ++k) {
    out += "<h3>" + heading(p, k) + "</h3>\n";
    out +=
        "<table class=\"differences\"><thead><tr><th>figure</th><th class=\"num\">current</th>"
        "<th class=\"num\">future</th><th class=\"num\">difference</th><th class=\"num\">"
        "independent &plusmn;</th></tr></thead><tbody>\n";
    for (const CalendarDifference& d : p.r.differences[k - 1]) {
      const std::string v = verdict(d);
      out += fmt::format("<tr><td>{}</td>", html_escape(figure_label(d)));
      out += keyed_figure_cell(d.figure, d.current) + keyed_figure_cell(d.figure, d.future);
      out += fmt::format(
          "<td class=\"num {}\" data-figure=\"{}\" data-resource=\"{}\" data-value=\"{}\">{}{}"
          "<span class=\"ci\">{}</span></td>",
          v, d.figure, html_escape(d.resource), number_attribute(d.difference.value),
          html_escape(difference_text(d.figure, d.difference.value)),
          v.empty() ? "" : fmt::format(" <span class=\"tag {}\">{}</span>", v, v),
          html_escape(difference_interval_text(d.figure, d.difference)));
      if (const DifferenceUncertainty* u = p.drawn(k, d)) {
        // The draws' interval and odds as a last line of the difference's cell: a column more
        // would not fit a phone.
        out.erase(out.size() - 5);  // "</td>"
        out += fmt::format(
            "<span class=\"ci drawn\" data-probability-better=\"{}\">draws {} to {}, {} {:.0f}%"
            "</span></td>",
            number_attribute(u->probability_better),
            html_escape(difference_text(d.figure, u->interval.low)),
            html_escape(difference_text(d.figure, u->interval.high)),
            has_better_direction(d.figure) ? "better in" : "higher in",
            100.0 * (std::isfinite(u->probability_better) ? u->probability_better : 0.0));
      }
      out += fmt::format("<td class=\"num\">{}</td></tr>\n",
                         std::isfinite(d.independent_half_width)
                             ? html_escape(difference_text(d.figure, d.independent_half_width))
                             : "n/a");
    }
    out += "</tbody></table>\n";
  }
  return out + "</section>\n";
}

std::string scenario_section(const Page& p) {
  std::string out = "<section id=\"scenario\">\n<h2>Scenario as run</h2>\n";
  for (std::size_t k = 0; k < p.size(); ++k) {
    const RunMetadata& m = p.r.metadata[k];
    out += fmt::format(
        "<details><summary>{} &middot; {}</summary>\n<dl><dt>command</dt><dd>{}"
        "</dd></dl>\n<pre>{}</pre>\n",
        heading(p, k), html_escape(m.scenario_path), html_escape(m.command_line),
        html_escape(m.scenario_text));
    for (const auto& [path, text] : m.base_files) {
      out += fmt::format("<details><summary>base: {}</summary><pre>{}</pre></details>\n",
                         html_escape(path), html_escape(text));
    }
    out += "</details>\n";
  }
  return out + "</section>\n";
}

std::string calendar_body(const Page& p, Charts& charts) {
  std::string body = header(p);
  body += "<main class=\"calendar\">\n";
  if (p.draws != nullptr) {
    body += draws_section(plain_comparison_view(p.r, p.draws->digest.ranked_on), p.draws->digest,
                          charts);
  }
  if (p.comparison()) body += answer_section(p);
  body += headline_section(p);
  body += time_section(p, charts);
  body += blueprint_section(p);
  body += day_in_life_section(p, charts);
  body += resources_section(p);
  body += days_section(p);
  if (p.comparison()) body += differences_section(p);
  body += scenario_section(p);
  body += fmt::format("<footer>Made by cjsim {} &middot; charts by Apache ECharts</footer>\n",
                      CJSIM_VERSION);
  return body + "</main>\n";
}

Page page_of(const CalendarComparisonReport& r, const CalendarDrawsDigest* draws) {
  if (r.summaries.empty() || r.metadata.size() != r.summaries.size() ||
      r.names.size() != r.summaries.size() || r.differences.size() + 1 != r.summaries.size()) {
    throw std::invalid_argument(
        "a calendar report needs a name, a record and a summary per "
        "journey and differences per future state");
  }
  if (draws != nullptr && draws->differences.size() != r.differences.size()) {
    throw std::invalid_argument("a calendar report's draws need differences per future state");
  }
  Page p{r, {}, draws};
  for (const RunMetadata& m : r.metadata) p.scenarios.push_back(recorded_scenario(m));
  return p;
}

}  // namespace

std::string calendar_html_report(const CalendarComparisonReport& r,
                                 const CalendarDrawsDigest* draws) {
  const Page p = page_of(r, draws);
  Charts charts;
  const std::string body = calendar_body(p, charts);
  const std::string title = (p.comparison() ? "cjsim comparison: " : "cjsim run: ") + r.names[0];
  return html_page::fill(html_assets::report_template(),
                         {{"title", html_escape(title)},
                          {"generator", fmt::format("cjsim {}", CJSIM_VERSION)},
                          {"body", body},
                          {"charts", charts.script_text()},
                          {"echarts", html_assets::echarts_js()},
                          {"report_charts", html_assets::report_charts_js() + "\n" +
                                                html_assets::calendar_charts_js()}});
}

nlohmann::json calendar_chart_data_json(const CalendarComparisonReport& r,
                                        const CalendarDrawsDigest* draws) {
  const Page p = page_of(r, draws);
  Charts charts;
  calendar_body(p, charts);
  return charts.specs();
}

}  // namespace cjsim
