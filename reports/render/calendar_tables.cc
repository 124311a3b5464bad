// Calendar results -> Markdown and CSV.
#include "reports/render/calendar_tables.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "reports/render/report_format.h"
#include "reports/render/table_reports.h"
#include "reports/render/table_text.h"
#include "reports/render/text_report.h"
#include "reports/render/uncertainty_report.h"
#include "scenarios/week_hours.h"
#include "sim/engine/calendar_figures.h"

namespace cjsim {
namespace {

std::vector<std::pair<const char*, const Estimate*>> run_figures(const CalendarSummary& s) {
  return {{"organic_agents_per_day", &s.organic_agents_per_day},
          {"referred_per_organic", &s.referred_per_organic},
          {"journeys_per_customer", &s.journeys_per_customer},
          {"lifetime_value", &s.lifetime_value},
          {"staff_cost", &s.staff_cost}};
}

std::vector<std::pair<const char*, std::uint64_t>> run_counts(const CalendarSummary& s) {
  return {{"journeys", s.journeys},           {"organic_agents", s.organic_agents},
          {"referred_agents", s.referred_agents}, {"returning_journeys", s.returning_journeys},
          {"deterred", s.deterred},           {"referrals_made", s.referrals_made},
          {"customers", s.customers},         {"abandoned", s.abandoned}};
}

std::string unit_of(std::string_view metric) {
  const Figure* f = find_calendar_figure(metric);
  return std::string(unit_key(f ? f->unit : Unit::count));
}

std::string better_of(std::string_view metric) {
  const Figure* f = find_calendar_figure(metric);
  if (f == nullptr || f->better == Better::neither) return "";
  return f->better == Better::higher ? "higher" : "lower";
}

std::string series_label(const DayFigures& d) {
  return d.hour >= 0 ? fmt::format("{} {:02}:00", d.day, d.hour % 24) : std::to_string(d.day);
}

std::string series_markdown(const std::vector<DayFigures>& rows, bool hourly) {
  std::vector<std::string> head = {hourly ? "Day, hour" : "Day"};
  for (const auto& [name, member] : kDayColumns) head.push_back(metric_label(name));
  std::string out = markdown_head(head, 1);
  for (const DayFigures& d : rows) {
    std::vector<std::string> cells = {series_label(d)};
    for (const auto& [name, member] : kDayColumns) cells.push_back(figure_text(name, (d.*member).value));
    out += markdown_row(cells);
  }
  return out;
}

// "Weekday HH:00" for an hour of the week, Monday 00:00 first.
std::string hour_of_week_label(std::size_t h) {
  std::string day(kWeekdayNames.at(h / kHoursPerDay));
  day[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(day[0])));
  return fmt::format("{} {:02}:00", day, h % kHoursPerDay);
}

// A day in the life in words: per persona, its busiest hours of the week over every
// touchpoint, the touchpoint most visited then, and the mean emotion the visits left.
void hour_of_week_markdown(std::string& out, const CalendarSummary& s) {
  if (s.hour_of_week.empty()) return;
  constexpr std::size_t kBusiest = 5;
  out += "\n### Busiest hours of the week, by persona (visits started, every replication)\n\n";
  out += markdown_head({"Persona", "Hour", "Most visited", "Visits", "Mean emotion left"}, 3);
  for (std::size_t first = 0; first < s.hour_of_week.size();) {
    std::size_t last = first;
    while (last < s.hour_of_week.size() &&
           s.hour_of_week[last].persona == s.hour_of_week[first].persona) {
      ++last;
    }
    std::array<std::uint64_t, kHoursOfWeek> visits{};
    std::array<double, kHoursOfWeek> emotion{};
    std::array<std::size_t, kHoursOfWeek> top{};
    for (std::size_t h = 0; h < kHoursOfWeek; ++h) {
      top[h] = first;
      for (std::size_t k = first; k < last; ++k) {
        const HourOfWeekRow& row = s.hour_of_week[k];
        if (row.visits[h] == 0) continue;
        visits[h] += row.visits[h];
        emotion[h] += row.mean_emotion[h] * static_cast<double>(row.visits[h]);
        if (row.visits[h] > s.hour_of_week[top[h]].visits[h]) top[h] = k;
      }
    }
    std::array<std::size_t, kHoursOfWeek> order{};
    for (std::size_t h = 0; h < kHoursOfWeek; ++h) order[h] = h;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return visits[a] > visits[b]; });
    for (std::size_t i = 0; i < kBusiest && visits[order[i]] > 0; ++i) {
      const std::size_t h = order[i];
      out += markdown_row({s.hour_of_week[first].persona_id, hour_of_week_label(h),
                           s.hour_of_week[top[h]].touchpoint_id, with_thousands(visits[h]),
                           fmt::format("{:+.3f}", emotion[h] / static_cast<double>(visits[h]))});
    }
    first = last;
  }
}

void summary_markdown(std::string& out, const CalendarSummary& s) {
  out += fmt::format("{} days", s.days);
  if (s.warmup_days > 0) out += fmt::format(", the first {} left out as warm-up", s.warmup_days);
  out += "; the per-journey figures count every journey that started after the warm-up.\n\n";
  out += markdown_head({"Figure", "Value", "95% interval"}, 1);
  for (const Figure& f : kHeadlineFigures) {
    const Estimate& e = s.plain.overall.*f.member;
    out += markdown_row({f.label, figure_text(f.name, e.value), interval_text(f.name, e)});
  }
  for (const auto& [name, estimate] : run_figures(s)) {
    out += markdown_row({metric_label(name), figure_text(name, estimate->value),
                         interval_text(name, *estimate)});
  }
  for (const auto& [name, count] : run_counts(s)) {
    out += markdown_row({metric_label(name), with_thousands(count), ""});
  }
  if (!s.resources.empty()) {
    out += "\n### Resources\n\n";
    std::vector<std::string> head = {"Resource", "Lane", "Served", "Abandoned"};
    for (const auto& [name, member] : kResourceColumns) head.push_back(metric_label(name));
    out += markdown_head(head, 2);
    for (const ResourceFigures& r : s.resources) {
      std::vector<std::string> cells = {r.id, r.lane, with_thousands(r.served),
                                        with_thousands(r.abandoned)};
      for (const auto& [name, member] : kResourceColumns) {
        cells.push_back(figure_text(name, (r.*member).value));
      }
      out += markdown_row(cells);
    }
    out += "\n### Resources by day (queue length over time)\n\n";
    head = {"Resource", "Day"};
    for (const auto& [name, member] : kResourceDayColumns) head.push_back(metric_label(name));
    out += markdown_head(head, 2);
    for (const ResourceFigures& r : s.resources) {
      for (const ResourceDayFigures& d : r.days) {
        std::vector<std::string> cells = {r.id, std::to_string(d.day)};
        for (const auto& [name, member] : kResourceDayColumns) {
          cells.push_back(figure_text(name, (d.*member).value));
        }
        out += markdown_row(cells);
      }
    }
  }
  hour_of_week_markdown(out, s);
  out += "\n### Days\n\n" + series_markdown(s.day_figures, false);
  if (!s.hour_figures.empty()) out += "\n### Hours\n\n" + series_markdown(s.hour_figures, true);
}

bool significant(const CalendarDifference& d) {
  return std::isfinite(d.difference.low) && (d.difference.low > 0.0 || d.difference.high < 0.0);
}

// The CSV's numbers: as many digits as a double needs to read back the same, empty when
// undefined.
std::string plain_number(double x) { return std::isfinite(x) ? fmt::format("{}", x) : ""; }

// A digest's figure key ("staff_cost", "call_centre.p90_wait_hours") as the CSV's scope
// ("overall", "resource:call_centre") and figure.
std::pair<std::string, std::string> scope_and_figure(const std::string& key) {
  const std::size_t dot = key.rfind('.');
  if (dot == std::string::npos) return {"overall", key};
  return {"resource:" + key.substr(0, dot), key.substr(dot + 1)};
}

// Whether `key` of scenario `s` is one of the digest's headline figures (how_sure_markdown and
// draws_csv give those already).
bool headline_drawn(const CalendarDrawsDigest& draws, std::size_t s, const std::string& key) {
  return std::any_of(draws.digest.figures.begin(), draws.digest.figures.end(),
                     [&](const DrawsDigest::FigureRange& f) {
                       return f.scenario == s && f.figure == key;
                     });
}

// Each calendar and resource figure's range over the draws, and each difference's range and
// odds: the calendar's part of "How sure it is" (the headline figures are in its first table).
void drawn_markdown(std::string& out, const CalendarComparisonReport& r,
                    const CalendarDrawsDigest& draws) {
  out += "\n### Calendar and resource figures over the draws\n\n";
  out += markdown_head({"journey", "resource", "figure", "at the inputs' means", "95% of the draws"},
                       3);
  for (const DrawsDigest::FigureRange& f : draws.figures) {
    if (headline_drawn(draws, f.scenario, f.figure)) continue;
    const auto [scope, figure] = scope_and_figure(f.figure);
    out += markdown_row({r.names.at(f.scenario), scope == "overall" ? "" : scope.substr(9),
                         metric_label(figure),
                         figure_text(figure, f.central.value) + " " + interval_text(figure, f.central),
                         fmt::format("{} to {}", figure_text(figure, f.over_draws.low),
                                     figure_text(figure, f.over_draws.high))});
  }
  for (std::size_t k = 0; k < r.differences.size() && k < draws.differences.size(); ++k) {
    out += fmt::format("\n### {} against {} over the draws\n\n", r.names[k + 1], r.names[0]);
    out += markdown_head({"Figure", "Resource", "Difference", "95% interval", "expected over the draws",
                          "95% of the draws", "better (or higher) in"},
                         2);
    const std::vector<CalendarDifference>& rows = r.differences[k];
    for (std::size_t row = 0; row < rows.size() && row < draws.differences[k].size(); ++row) {
      const CalendarDifference& d = rows[row];
      const DifferenceUncertainty& u = draws.differences[k][row];
      out += markdown_row(
          {metric_label(d.figure), d.resource, difference_text(d.figure, d.difference.value),
           difference_interval_text(d.figure, d.difference), difference_text(d.figure, u.expected),
           fmt::format("{} to {}", difference_text(d.figure, u.interval.low),
                       difference_text(d.figure, u.interval.high)),
           std::isfinite(u.probability_better)
               ? fmt::format("{:.0f}% ({})", 100.0 * u.probability_better,
                             better_of(d.figure).empty() ? "higher" : "better")
               : "n/a"});
    }
  }
}

}  // namespace

std::string calendar_markdown(const CalendarComparisonReport& r, const CalendarDrawsDigest* draws) {
  std::string out;
  const bool comparison = r.summaries.size() > 1;
  out += comparison ? "# Calendar journeys compared\n\n" : fmt::format("# {}\n\n", r.names.front());
  out += fmt::format("{} with seed {}.\n",
                     r.replications == 1 ? std::string("1 replication")
                                         : fmt::format("{} replications", r.replications),
                     r.metadata.empty() ? 0 : r.metadata.front().seed);
  if (draws != nullptr) {
    out += '\n';
    out += how_sure_markdown(plain_comparison_view(r, draws->digest.ranked_on), draws->digest);
    drawn_markdown(out, r, *draws);
  }
  for (std::size_t k = 0; k < r.summaries.size(); ++k) {
    if (comparison) {
      out += fmt::format("\n## {} ({})\n\n", r.names[k], k == 0 ? "current state" : "future state");
    } else {
      out += "\n";
    }
    summary_markdown(out, r.summaries[k]);
  }
  for (std::size_t k = 0; k < r.differences.size(); ++k) {
    out += fmt::format("\n## {} against {}\n\n", r.names[k + 1], r.names.front());
    out += "Differences paired by replication (the same seed: the same organic arrivals and "
           "agents' draws).\n\n";
    out += markdown_head({"Figure", "Resource", "Current", "Future", "Difference",
                          "95% interval", "Better"},
                         2);
    for (const CalendarDifference& d : r.differences[k]) {
      out += markdown_row({metric_label(d.figure), d.resource, figure_text(d.figure, d.current.value),
                           figure_text(d.figure, d.future.value),
                           difference_text(d.figure, d.difference.value) + (significant(d) ? " *" : ""),
                           difference_interval_text(d.figure, d.difference),
                           better_of(d.figure)});
    }
    out += "\n\\* the interval excludes 0.\n";
  }
  return out;
}

std::string calendar_csv(const CalendarComparisonReport& r, const CalendarDrawsDigest* draws) {
  std::string out =
      "table,scenario,scope,metric,unit,value,ci_low,ci_high,current,future,significant\n";
  auto row = [&](std::string_view table, std::string_view scenario, std::string_view scope,
                 std::string_view metric, const Estimate& e) {
    out += fmt::format("{},{},{},{},{},{},{},{},,,\n", table, csv_field(scenario), csv_field(scope),
                       metric, unit_of(metric), plain_number(e.value), plain_number(e.low), plain_number(e.high));
  };
  for (std::size_t k = 0; k < r.summaries.size(); ++k) {
    const CalendarSummary& s = r.summaries[k];
    const std::string& name = r.names[k];
    for (const Figure& f : kHeadlineFigures) row("headline", name, "overall", f.name, s.plain.overall.*f.member);
    for (const auto& [metric, estimate] : run_figures(s)) row("calendar", name, "overall", metric, *estimate);
    for (const auto& [metric, count] : run_counts(s)) {
      out += fmt::format("counts,{},overall,{},count,{},,,,,\n", csv_field(name), metric, count);
    }
    for (const ResourceFigures& res : s.resources) {
      const std::string scope = "resource:" + res.id;
      for (const auto& [metric, count] :
           {std::pair{"arrivals", res.arrivals}, std::pair{"served", res.served},
            std::pair{"abandoned", res.abandoned}}) {
        out += fmt::format("resources,{},{},{},count,{},,,,,\n", csv_field(name), csv_field(scope),
                           metric, count);
      }
      for (const auto& [metric, member] : kResourceColumns) row("resources", name, scope, metric, res.*member);
      for (const ResourceDayFigures& d : res.days) {
        const std::string day_scope = fmt::format("{}/day:{}", scope, d.day);
        for (const auto& [metric, member] : kResourceDayColumns) {
          row("resource_days", name, day_scope, metric, d.*member);
        }
      }
    }
    for (const DayFigures& d : s.day_figures) {
      const std::string scope = fmt::format("day:{}", d.day);
      for (const auto& [metric, member] : kDayColumns) row("days", name, scope, metric, d.*member);
    }
    for (const DayFigures& d : s.hour_figures) {
      const std::string scope = fmt::format("hour:{}", d.hour);
      for (const auto& [metric, member] : kDayColumns) row("hours", name, scope, metric, d.*member);
    }
    // scope: persona:P/touchpoint:T/weekday:W/hour:H (hour of the day)
    for (const HourOfWeekRow& h : s.hour_of_week) {
      for (std::size_t k = 0; k < kHoursOfWeek; ++k) {
        if (h.visits[k] == 0) continue;
        const std::string scope =
            fmt::format("persona:{}/touchpoint:{}/weekday:{}/hour:{}", h.persona_id,
                        h.touchpoint_id, kWeekdayNames.at(k / kHoursPerDay), k % kHoursPerDay);
        out += fmt::format("hour_of_week,{},{},visits,count,{},,,,,\n", csv_field(name),
                           csv_field(scope), h.visits[k]);
        out += fmt::format("hour_of_week,{},{},mean_emotion,emotion,{},,,,,\n", csv_field(name),
                           csv_field(scope), plain_number(h.mean_emotion[k]));
      }
    }
  }
  for (std::size_t k = 0; k < r.differences.size(); ++k) {
    for (const CalendarDifference& d : r.differences[k]) {
      const std::string scope = d.resource.empty() ? "overall" : "resource:" + d.resource;
      out += fmt::format("differences,{},{},{},{},{},{},{},{},{},{}\n", csv_field(r.names[k + 1]),
                         csv_field(scope), d.figure, unit_of(d.figure), plain_number(d.difference.value),
                         plain_number(d.difference.low), plain_number(d.difference.high),
                         plain_number(d.current.value), plain_number(d.future.value),
                         significant(d) ? 1 : 0);
    }
  }
  if (draws == nullptr) return out;
  out += draws_csv(r.names, draws->digest, unit_of);
  for (const DrawsDigest::FigureRange& f : draws->figures) {
    if (headline_drawn(*draws, f.scenario, f.figure)) continue;
    const auto [scope, metric] = scope_and_figure(f.figure);
    out += fmt::format("draws,{},{},{},{},{},{},{},,,\n", csv_field(r.names.at(f.scenario)),
                       csv_field(scope), metric, unit_of(metric), plain_number(f.central.value),
                       plain_number(f.over_draws.low), plain_number(f.over_draws.high));
  }
  for (std::size_t k = 0; k < r.differences.size() && k < draws->differences.size(); ++k) {
    const std::vector<CalendarDifference>& rows = r.differences[k];
    for (std::size_t row = 0; row < rows.size() && row < draws->differences[k].size(); ++row) {
      const CalendarDifference& d = rows[row];
      const DifferenceUncertainty& u = draws->differences[k][row];
      const std::string scope = d.resource.empty() ? "overall" : "resource:" + d.resource;
      out += fmt::format("difference_draws,{},{},{},{},{},{},{},,,\n", csv_field(r.names[k + 1]),
                         csv_field(scope), d.figure, unit_of(d.figure), plain_number(u.expected),
                         plain_number(u.interval.low), plain_number(u.interval.high));
      out += fmt::format("difference_odds,{},{},{},share,{},,,,,\n", csv_field(r.names[k + 1]),
                         csv_field(scope), d.figure, plain_number(u.probability_better));
    }
  }
  return out;
}

}  // namespace cjsim
