// Sweep tables and sensitivity as text, Markdown and CSV.
#include "reports/render/sweep_report.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <span>
#include <stdexcept>

#include "reports/render/json_report.h"
#include "reports/render/report_format.h"
#include "reports/render/table_text.h"
#include "reports/render/text_report.h"
#include "scenarios/diagnostic.h"
#include "scenarios/parameter_path.h"
#include "sim/engine/calendar_figures.h"
#include "sim/sweep/sweep.h"

namespace cjsim {
namespace {

// The rows as lines of right-aligned columns, each as wide as its widest cell.
std::string right_aligned(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    width.resize(std::max(width.size(), row.size()), 0);
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  std::string out;
  for (const auto& row : rows) {
    std::string line = " ";
    for (std::size_t c = 0; c < row.size(); ++c) line += fmt::format(" {:>{}}", row[c], width[c]);
    out += line + "\n";
  }
  return out;
}

constexpr std::size_t kNoHeadline = SIZE_MAX;

std::size_t headline_index(std::string_view metric) {
  for (std::size_t f = 0; f < kHeadlineFigures.size(); ++f) {
    if (metric == kHeadlineFigures[f].name) return f;
  }
  return kNoHeadline;
}

// `<resource>.<figure>`: the resource and the index of the figure in kResourceColumns.
std::optional<std::pair<std::string_view, std::size_t>> resource_metric(std::string_view metric) {
  const std::size_t dot = metric.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  const std::string_view figure = metric.substr(dot + 1);
  for (std::size_t c = 0; c < kResourceColumns.size(); ++c) {
    if (figure == kResourceColumns[c].first) return std::pair{metric.substr(0, dot), c};
  }
  return std::nullopt;
}

std::size_t calendar_point_index(std::string_view metric) {
  for (std::size_t c = 0; c < kCalendarPointColumns.size(); ++c) {
    if (metric == kCalendarPointColumns[c].first) return c;
  }
  return kNoHeadline;
}

// The figure a metric is written as ("p90_wait_hours" of "call_centre.p90_wait_hours").
std::string_view metric_figure(std::string_view metric) {
  if (const auto r = resource_metric(metric)) return kResourceColumns[r->second].first;
  return metric;
}

std::string number(double x) {
  if (std::isnan(x)) return "n/a";
  return fmt::format("{:.4g}", x);
}

std::size_t resource_column(std::string_view name) {
  for (std::size_t c = 0; c < kResourceColumns.size(); ++c) {
    if (name == kResourceColumns[c].first) return c;
  }
  throw std::logic_error("no resource column");
}

// "12.34 % [12.01 %, 12.67 %]": a figure for people with its interval, when it has one.
std::string figure_with_interval(std::string_view name, const Estimate& e) {
  const std::string interval = interval_text(name, e);
  return figure_text(name, e.value) + (interval.empty() ? "" : " " + interval);
}


// "+1.20 pp [+0.80 pp, +1.60 pp]": a difference for people with its interval.
std::string difference_with_interval(std::string_view name, const Estimate& d) {
  const std::string interval = difference_interval_text(name, d);
  return difference_text(name, d.value) + (interval.empty() ? "" : " " + interval);
}

// A calendar sweep's figures of the points shown, in their order, as the text summary's table:
// the run's staff cost and, per resource, utilisation, waits and abandonment.
std::vector<std::vector<std::string>> calendar_point_rows(const StoredSweep& sweep,
                                                          std::span<const std::size_t> order,
                                                          std::size_t shown) {
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"point", "journeys", "abandoned", "staff_cost", "resource", "utilisation",
                  "mean_wait", "p90_wait", "abandoned", "staff_cost"});
  const std::size_t utilisation = resource_column("utilisation"),
                    mean_wait = resource_column("mean_wait_hours"),
                    p90_wait = resource_column("p90_wait_hours"),
                    cost = resource_column("staff_cost");
  const std::size_t staff_cost = calendar_point_index("staff_cost");
  for (std::size_t i = 0; i < shown; ++i) {
    const std::size_t k = order[i];
    const StoredCalendarPoint& p = sweep.calendar[k];
    std::vector<std::string> head = {std::to_string(k), with_thousands(p.journeys),
                                     with_thousands(p.abandoned),
                                     figure_text("staff_cost", p.figures[staff_cost].value)};
    if (p.resources.empty()) {
      rows.push_back(head);
      rows.back().resize(rows.front().size());
    }
    for (const StoredCalendarResource& r : p.resources) {
      std::vector<std::string> row = head;
      row.push_back(r.id);
      row.push_back(figure_text("utilisation", r.figures[utilisation].value));
      row.push_back(figure_text("mean_wait_hours", r.figures[mean_wait].value));
      row.push_back(figure_text("p90_wait_hours", r.figures[p90_wait].value));
      row.push_back(with_thousands(r.abandoned));
      row.push_back(figure_text("staff_cost", r.figures[cost].value));
      rows.push_back(std::move(row));
      head.assign(head.size(), "");  // the point's own figures once
    }
  }
  return rows;
}

}  // namespace

nlohmann::json sweep_calendar_point_json(const StoredCalendarPoint& p) {
  nlohmann::json out = {{"journeys", p.journeys},       {"organic_agents", p.organic_agents},
                        {"referred_agents", p.referred_agents}, {"deterred", p.deterred},
                        {"customers", p.customers},     {"abandoned", p.abandoned}};
  for (std::size_t c = 0; c < kCalendarPointColumns.size(); ++c) {
    put_estimate(out, kCalendarPointColumns[c].first, p.figures[c]);
  }
  nlohmann::json resources = nlohmann::json::array();
  for (const StoredCalendarResource& r : p.resources) {
    nlohmann::json row = {{"id", r.id},
                          {"lane", r.lane},
                          {"arrivals", r.arrivals},
                          {"served", r.served},
                          {"abandoned", r.abandoned}};
    for (std::size_t c = 0; c < kResourceColumns.size(); ++c) {
      put_estimate(row, kResourceColumns[c].first, r.figures[c]);
    }
    resources.push_back(row);
  }
  out["resources"] = resources;
  return out;
}

std::string unknown_sweep_metric(std::string_view metric) {
  if (headline_index(metric) != kNoHeadline || calendar_point_index(metric) != kNoHeadline ||
      resource_metric(metric)) {
    return "";
  }
  std::vector<std::string_view> names;
  for (const NamedFigure& f : kHeadlineFigures) names.push_back(f.name);
  std::vector<std::string_view> calendar, resource;
  for (const auto& [name, member] : kCalendarPointColumns) calendar.push_back(name);
  for (const auto& [name, member] : kResourceColumns) resource.push_back(name);
  return fmt::format("no headline figure '{}' (they are {}; a calendar sweep also has {} and, "
                     "per resource, RESOURCE.{})",
                     metric, fmt::join(names, ", "), fmt::join(calendar, ", "),
                     fmt::join(resource, "|"));
}

bool is_calendar_sweep_metric(std::string_view metric) {
  return headline_index(metric) == kNoHeadline && unknown_sweep_metric(metric).empty();
}

std::string_view sweep_metric_resource(std::string_view metric) {
  if (headline_index(metric) != kNoHeadline) return "";
  const auto r = resource_metric(metric);
  return r ? r->first : std::string_view();
}

bool sweep_metric_lower_is_better(std::string_view metric) {
  const Figure* f = find_calendar_figure(metric_figure(metric));
  return f != nullptr && f->better == Better::lower;
}

std::vector<Estimate> sweep_metric_estimates(const StoredSweep& sweep, std::string_view metric) {
  std::vector<Estimate> out;
  if (const std::size_t f = headline_index(metric); f != kNoHeadline) {
    for (const auto& figures : sweep.figures) out.push_back(figures[f]);
    return out;
  }
  if (const std::string problem = unknown_sweep_metric(metric); !problem.empty()) {
    throw std::runtime_error(problem);
  }
  if (sweep.calendar.size() != sweep.figures.size()) {
    throw std::runtime_error(fmt::format(
        "'{}' is a figure of calendar journeys; {} is a sweep of journeys without a calendar",
        metric, sweep.experiment_name));
  }
  if (const std::size_t c = calendar_point_index(metric); c != kNoHeadline) {
    for (const StoredCalendarPoint& p : sweep.calendar) out.push_back(p.figures.at(c));
    return out;
  }
  // Named, not a structured binding: clang 14 cannot capture a binding in a lambda.
  const auto resource_and_column = *resource_metric(metric);
  const auto& resource = resource_and_column.first;
  const auto column = resource_and_column.second;
  for (const StoredCalendarPoint& p : sweep.calendar) {
    const auto found = std::find_if(p.resources.begin(), p.resources.end(),
                                     [&](const StoredCalendarResource& r) { return r.id == resource; });
    if (found == p.resources.end()) {
      std::vector<std::string_view> ids;
      for (const StoredCalendarResource& r : p.resources) ids.push_back(r.id);
      throw std::runtime_error(fmt::format("{}: no resource '{}' in the sweep (it has {})",
                                           metric, resource, fmt::join(ids, ", ")));
    }
    out.push_back(found->figures.at(column));
  }
  return out;
}

std::vector<std::size_t> points_best_first(const StoredSweep& sweep, std::string_view metric) {
  const std::vector<Estimate> estimates = sweep_metric_estimates(sweep, metric);
  const bool ascending = sweep_metric_lower_is_better(metric);
  std::vector<std::size_t> order(sweep.figures.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double x = estimates[a].value, y = estimates[b].value;
    if (std::isnan(x) || std::isnan(y)) return !std::isnan(x) && std::isnan(y);
    return ascending ? x < y : x > y;
  });
  return order;
}

PairedUnits stored_units(const StoredSweep& sweep) {
  const std::vector<FigureEstimates> overall(sweep.figures.begin(), sweep.figures.end());
  return paired_units(sweep.replication_figures, sweep.agent_groups, overall,
                      sweep.groups_per_replication);
}

std::vector<ScenarioSensitivity> sensitivity_of(const StoredSweep& sweep, std::string_view metric) {
  std::vector<double> y;
  for (const Estimate& e : sweep_metric_estimates(sweep, metric)) y.push_back(e.value);
  // Each unit's values (agent group or replication) give the swings their intervals: a
  // headline figure's (a calendar figure is kept per point, not per replication, in the file's
  // tables).
  const std::size_t f = headline_index(metric);
  return sweep_sensitivity(sweep.design, sweep.scenario_of_point, sweep.values, y,
                           sweep.scenarios.size(),
                           f == kNoHeadline ? std::vector<std::vector<double>>{}
                                            : figure_by_replication(stored_units(sweep).values, f));
}

SweepDifferences summary_differences(const StoredSweep& sweep,
                                     std::optional<std::uint64_t> reference) {
  const bool stored = !sweep.differences.difference.empty();
  if (stored && (!reference || *reference == sweep.differences.reference.point)) {
    return sweep.differences;
  }
  // A file of a cjsim before differences does not say which point has the base's values.
  SweepReference chosen{0, "first point of an older file"};
  if (reference) {
    if (*reference >= sweep.figures.size()) {
      throw std::runtime_error(fmt::format(
          "--reference {}: there is no such design point (points 0 to {})", *reference,
          sweep.figures.size() - 1));
    }
    chosen = {static_cast<std::size_t>(*reference), "named"};
  }
  std::vector<FigureEstimates> overall(sweep.figures.begin(), sweep.figures.end());
  return paired_differences(stored_units(sweep), overall, chosen);
}

std::string sweep_reference_text(const StoredSweep& sweep, const SweepReference& reference) {
  std::string values;
  for (std::size_t j = 0; j < sweep.parameters.size(); ++j) {
    values += fmt::format("{}{} = {}", j == 0 ? "" : ", ", sweep.parameters[j],
                          number(sweep.values[reference.point][j]));
  }
  const char* why = reference.why == "base"          ? "the base scenario's own values"
                    : reference.why == "named"       ? "named by --reference"
                    : reference.why == "first point" ? "the first point; no point has the base "
                                                       "scenario's own values"
                                                     : "the first point; the file stores no "
                                                       "differences";
  return fmt::format("point {} ({}: {})", reference.point, why, values);
}

std::string sweep_differences_intro(const StoredSweep& sweep, const SweepDifferences& differences) {
  const bool grouped = differences.method == kAgentGroupsMethod;
  return fmt::format(
      "Differences from {}, paired: every point runs the same agents, so each {} gives a "
      "difference on the same agents ({}):",
      sweep_reference_text(sweep, differences.reference),
      grouped ? "group of agents" : "replication",
      grouped ? fmt::format("95% CI Student t across {} agent groups, {} per replication",
                            differences.groups * sweep.replications, differences.groups)
      : sweep.replications < 2
          ? "with one replication there is no interval; run -r 2 or more"
          : fmt::format("95% CI Student t across {} replications", sweep.replications));
}

const char* sweep_difference_verdict(const SweepDifferences& differences, std::size_t point,
                                     const Estimate& d) {
  const bool known = std::isfinite(d.low) && std::isfinite(d.high);
  return point == differences.reference.point ? "reference"
         : !known                             ? "no interval"
         : d.low > 0 || d.high < 0            ? "beyond the noise"
                                              : "within the noise";
}

std::vector<std::vector<std::string>> sweep_difference_rows(const SweepDifferences& differences,
                                                            std::span<const std::size_t> figures,
                                                            std::span<const std::size_t> order,
                                                            std::size_t shown) {
  const std::size_t f = figures.front();
  const std::string_view metric = kHeadlineFigures[f].name;
  std::vector<std::string> header = {"point", std::string(metric) + " difference [95% CI]",
                                     "unpaired +/-", "verdict"};
  for (std::size_t o : figures.subspan(1)) {
    header.push_back(std::string(kHeadlineFigures[o].name) + " difference [95% CI]");
  }
  std::vector<std::vector<std::string>> rows = {header};
  for (std::size_t i = 0; i < shown; ++i) {
    const std::size_t k = order[i];
    const Estimate& d = differences.difference[k][f];
    const double unpaired = differences.unpaired_half_width[k][f];
    std::vector<std::string> row = {
        std::to_string(k), difference_with_interval(metric, d),
        std::isfinite(unpaired) ? difference_text(metric, unpaired).substr(1) : "n/a",
        sweep_difference_verdict(differences, k, d)};
    for (std::size_t o : figures.subspan(1)) {
      row.push_back(difference_with_interval(kHeadlineFigures[o].name, differences.difference[k][o]));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

namespace {

// The calendar figures' paired differences of the file, when they are from `reference` (they
// are kept for the file's reference only: a calendar sweep's replications' calendar figures
// are not in the file); nullptr otherwise.
const std::vector<CalendarPointDifference>* calendar_differences_from(
    const StoredSweep& sweep, const SweepReference& reference) {
  if (sweep.calendar_differences.empty() || sweep.differences.difference.empty() ||
      sweep.differences.reference.point != reference.point) {
    return nullptr;
  }
  return &sweep.calendar_differences;
}

// "staff_cost difference [95% CI]" columns of the shown points: the run's staff cost, and each
// resource's utilisation, mean wait and abandonment.
std::string calendar_differences_text(const StoredSweep& sweep, const SweepReference& reference,
                                      std::span<const std::size_t> order, std::size_t shown) {
  const std::vector<CalendarPointDifference>* differences =
      calendar_differences_from(sweep, reference);
  if (differences == nullptr) {
    return "\nThe calendar figures' paired differences are kept in the file against its own "
           "reference point only.\n";
  }
  const auto with_interval = [](std::string_view name, const Estimate& d) {
    const std::string interval = difference_interval_text(name, d);
    return difference_text(name, d.value) + (interval.empty() ? "" : " " + interval);
  };
  std::string out = fmt::format(
      "\nCalendar figures' differences from point {}, paired by replication (calendar journeys' "
      "agents share queues and staff, so groups of them are not independent; {}):\n\n",
      reference.point,
      sweep.replications < 2 ? "with one replication there is no interval; run -r 2 or more"
                             : fmt::format("95% CI Student t across {} replications",
                                           sweep.replications));
  std::vector<std::vector<std::string>> rows = {{"point", "resource", "staff_cost",
                                                 "utilisation", "mean_wait_hours",
                                                 "abandonment_rate"}};
  const std::array<std::size_t, 3> columns = {0, 1, 4};  // in kResourceColumns
  for (std::size_t i = 0; i < shown; ++i) {
    const std::size_t k = order[i];
    const CalendarPointDifference& d = (*differences)[k];
    rows.push_back({std::to_string(k), "(all)", with_interval("staff_cost", d.run.at(0)), "", "",
                    ""});
    for (std::size_t r = 0; r < d.resource_ids.size(); ++r) {
      std::vector<std::string> row = {"", d.resource_ids[r],
                                      with_interval("staff_cost", d.resources[r].at(5))};
      for (std::size_t c : columns) {
        row.push_back(with_interval(kResourceColumns[c].first, d.resources[r].at(c)));
      }
      rows.push_back(std::move(row));
    }
  }
  return out + right_aligned(rows);
}

std::string parameter_list(const StoredSweep& sweep, const Sensitivity& r, bool beyond) {
  std::string out;
  for (const ParameterSensitivity& p : r.ranked) {
    if (p.beyond_noise() != beyond || !std::isfinite(p.swing_low)) continue;
    if (!out.empty()) out += ", ";
    out += sweep.parameters[p.parameter];
  }
  return out.empty() ? "none" : out;
}

// What a calendar figure's ranking says of differences (they are kept per headline figure).
std::string calendar_metric_differences_note(const StoredSweep& sweep,
                                             const SweepDifferences& differences,
                                             std::string_view metric) {
  return fmt::format(
      "Paired differences from {} are in the file and in --json for the headline figures; {} "
      "is a calendar figure, kept per point only.",
      sweep_reference_text(sweep, differences.reference), metric);
}

// How a ranking measures a parameter's importance, in words.
std::string sensitivity_method_text(const Sensitivity& r) {
  if (r.method == SensitivityMethod::main_effect) {
    return "main effects: the spread of the mean over each parameter's levels, the others "
           "averaged over";
  }
  return fmt::format("standardised regression coefficients over {} points, R^2 = {:.3f}",
                     r.points, r.r_squared);
}

// "+0.012 [+0.004, +0.020]": the change from a parameter's lowest to its highest value.
std::string swing_text(const ParameterSensitivity& p) {
  const bool interval = std::isfinite(p.swing_low) && std::isfinite(p.swing_high);
  return fmt::format("{:+.4g}{}", p.swing,
                     interval ? fmt::format(" [{:+.4g}, {:+.4g}]", p.swing_low, p.swing_high)
                              : "");
}

// Which parameters matter beyond the noise, in sentences (the text summary indents them).
std::vector<std::string> noise_sentences(const StoredSweep& sweep, const Sensitivity& r) {
  const PairedUnits units = stored_units(sweep);
  const std::size_t unit_count = units.values.empty() ? 0 : units.values.front().size();
  if (unit_count < 2) {
    return {"One replication: no intervals, so nothing tells a parameter from the noise; "
            "run -r 2 or more."};
  }
  return {fmt::format("Beyond the noise (the change's 95% interval, from the {} on the same "
                      "agents, excludes 0): {}.",
                      units.method == kAgentGroupsMethod
                          ? fmt::format("{} agent groups", unit_count)
                          : fmt::format("{} replications", unit_count),
                      parameter_list(sweep, r, true)),
          fmt::format("Within the noise: {}.", parameter_list(sweep, r, false))};
}

}  // namespace

std::string sweep_summary_text(const StoredSweep& sweep, std::string_view metric, std::size_t top,
                               std::optional<std::uint64_t> reference) {
  const std::size_t f = headline_index(metric);
  const std::vector<Estimate> estimates = sweep_metric_estimates(sweep, metric);
  const std::string_view figure = metric_figure(metric);
  const std::vector<std::size_t> order = points_best_first(sweep, metric);
  const std::size_t shown = top == 0 ? order.size() : std::min(top, order.size());
  const bool several_scenarios = sweep.scenarios.size() > 1;
  // A calendar sweep's points have the agents their arrivals bring, over its days.
  const std::string size = sweep.calendar.empty() ? with_thousands(sweep.agents) + " agents"
                           : sweep.days > 0       ? counted(static_cast<std::size_t>(sweep.days), "day")
                                                  : std::string("calendar.days");
  std::string out = fmt::format("Sweep: {} ({} design, {} points, {} x {}, seed {})\n\n",
                                sweep.experiment_name, sweep.design, order.size(), size,
                                counted(sweep.replications, "replication"), sweep.seed);
  out += fmt::format(
      "{} points, best first by {} ({} is better){}:\n\n",
      shown == order.size() ? "All" : fmt::format("The {} best of {}", shown, order.size()), metric,
      sweep_metric_lower_is_better(metric) ? "lower" : "higher", "");

  // Columns: rank, point, scenario?, parameters, metric [ci], other shown figures.
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"rank", "point"};
  if (several_scenarios) header.emplace_back("scenario");
  for (const std::string& p : sweep.parameters) header.push_back(p);
  header.emplace_back(std::string(metric) + " [95% CI]");
  // Next to the metric, the key figures of the figure table.
  std::vector<std::size_t> others;
  for (std::size_t o = 0; o < kHeadlineFigures.size(); ++o) {
    if (kHeadlineFigures[o].key && o != f) {
      others.push_back(o);
      header.emplace_back(kHeadlineFigures[o].name);
    }
  }
  // Agents lost at an entry a future state removed, only when some point lost any.
  const bool lost = !sweep.lost.empty();
  if (lost) header.emplace_back(kLostEndingName);
  rows.push_back(header);
  for (std::size_t i = 0; i < shown; ++i) {
    const std::size_t k = order[i];
    std::vector<std::string> row = {std::to_string(i + 1), std::to_string(k)};
    if (several_scenarios) row.push_back(sweep.scenarios[sweep.scenario_of_point[k]]);
    for (double v : sweep.values[k]) row.push_back(number(v));
    const Estimate& e = estimates[k];
    const std::string interval = interval_text(figure, e);
    row.push_back(figure_text(figure, e.value) + (interval.empty() ? "" : " " + interval));
    for (std::size_t o : others) {
      row.push_back(figure_text(kHeadlineFigures[o].name, sweep.figures[k][o].value));
    }
    if (lost) row.push_back(with_thousands(sweep.lost[k]));
    rows.push_back(std::move(row));
  }
  out += right_aligned(rows);

  if (!sweep.calendar.empty()) {
    out += "\nCalendar figures of the same points (per resource: utilisation, mean and 90th "
           "percentile wait, abandoned, staff cost):\n\n";
    out += right_aligned(calendar_point_rows(sweep, order, shown));
  }

  const SweepDifferences differences = summary_differences(sweep, reference);
  if (f == kNoHeadline) {
    out += '\n';
    out += calendar_metric_differences_note(sweep, differences, metric);
    out += '\n';
  } else {
    out += '\n';
    out += sweep_differences_intro(sweep, differences);
    out += "\n\n";
    const std::size_t figures[] = {f};
    out += right_aligned(sweep_difference_rows(differences, figures, order, shown));
  }
  if (!sweep.calendar.empty()) {
    out += calendar_differences_text(sweep, differences.reference, order, shown);
  }

  for (const ScenarioSensitivity& s : sensitivity_of(sweep, metric)) {
    const Sensitivity& r = s.sensitivity;
    out += fmt::format("\nWhich parameter moves {} most{}", metric,
                       several_scenarios ? fmt::format(" in {}", sweep.scenarios[s.scenario]) : "");
    out += " (" + sensitivity_method_text(r) + "):\n";
    if (!r.note.empty()) {
      out += "  not ranked: " + r.note + "\n";
      continue;
    }
    std::size_t name_width = 0;
    for (const std::string& p : sweep.parameters) name_width = std::max(name_width, p.size());
    for (std::size_t i = 0; i < r.ranked.size(); ++i) {
      const ParameterSensitivity& p = r.ranked[i];
      out += fmt::format("  {}. {:<{}}  {} {:<10}  lowest to highest value: {}\n", i + 1,
                         sweep.parameters[p.parameter], name_width,
                         r.method == SensitivityMethod::main_effect ? "spread" : "|SRC|",
                         number(p.importance), swing_text(p));
    }
    for (const std::string& sentence : noise_sentences(sweep, r)) out += "  " + sentence + "\n";
  }
  return out;
}

namespace {

// Header and rows of the full table, best first: the parameters, a calendar figure the points
// are ranked by, and every headline figure with its interval.
std::vector<std::vector<std::string>> full_table(const StoredSweep& sweep,
                                                 std::string_view metric) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"rank", "point", "scenario"};
  for (const std::string& p : sweep.parameters) header.push_back(p);
  const bool calendar_metric = headline_index(metric) == kNoHeadline;
  std::vector<Estimate> ranked_by;
  if (calendar_metric) {
    ranked_by = sweep_metric_estimates(sweep, metric);
    for (const char* suffix : {"", "_ci_low", "_ci_high"}) header.push_back(std::string(metric) + suffix);
  }
  for (const Figure& f : kHeadlineFigures) {
    header.emplace_back(f.name);
    header.push_back(std::string(f.name) + "_ci_low");
    header.push_back(std::string(f.name) + "_ci_high");
  }
  if (!sweep.lost.empty()) header.emplace_back(kLostEndingName);
  rows.push_back(header);
  const auto put = [](std::vector<std::string>& row, const Estimate& e) {
    for (double x : {e.value, e.low, e.high}) row.push_back(std::isnan(x) ? "" : fmt::format("{}", x));
  };
  const std::vector<std::size_t> order = points_best_first(sweep, metric);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::size_t k = order[i];
    std::vector<std::string> row = {std::to_string(i + 1), std::to_string(k),
                                    sweep.scenarios[sweep.scenario_of_point[k]]};
    for (double v : sweep.values[k]) row.push_back(fmt::format("{}", v));
    if (calendar_metric) put(row, ranked_by[k]);
    for (const Estimate& e : sweep.figures[k]) put(row, e);
    if (!sweep.lost.empty()) row.push_back(std::to_string(sweep.lost[k]));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string markdown_table(const std::vector<std::vector<std::string>>& rows,
                           std::size_t left_aligned) {
  std::string out = markdown_head(rows.front(), left_aligned);
  for (std::size_t r = 1; r < rows.size(); ++r) out += markdown_row(rows[r]);
  return out;
}

// The headline figures beside the one differences are ranked by (the key figures of the table).
std::vector<std::size_t> difference_figures(std::size_t first) {
  std::vector<std::size_t> figures;
  if (first != kNoHeadline) figures.push_back(first);
  for (std::size_t o = 0; o < kHeadlineFigures.size(); ++o) {
    if (kHeadlineFigures[o].key && o != first) figures.push_back(o);
  }
  return figures;
}

// A calendar sweep's points and resources for people, best first: every figure the file keeps
// per point (kCalendarPointColumns) and per resource (kResourceColumns) with its interval.
std::string calendar_markdown(const StoredSweep& sweep, std::span<const std::size_t> order) {
  std::string out =
      "\n## Calendar figures\n\nEvery point's run, best first, with 95% intervals across the "
      "replications: its journeys, agents and abandonments (counts over every replication), "
      "staff cost, and per resource its utilisation, waits, queue, abandonment and staff "
      "cost.\n\n";
  std::vector<std::vector<std::string>> points = {{"point", "journeys", "organic_agents",
                                                   "referred_agents", "deterred", "customers",
                                                   "abandoned"}};
  for (const auto& [name, member] : kCalendarPointColumns) points.front().emplace_back(name);
  std::vector<std::vector<std::string>> resources = {
      {"point", "resource", "lane", "arrivals", "served", "abandoned"}};
  for (const auto& [name, member] : kResourceColumns) resources.front().emplace_back(name);
  for (const std::size_t k : order) {
    const StoredCalendarPoint& p = sweep.calendar[k];
    std::vector<std::string> row = {std::to_string(k),         with_thousands(p.journeys),
                                    with_thousands(p.organic_agents),
                                    with_thousands(p.referred_agents),
                                    with_thousands(p.deterred), with_thousands(p.customers),
                                    with_thousands(p.abandoned)};
    for (std::size_t c = 0; c < kCalendarPointColumns.size(); ++c) {
      row.push_back(figure_with_interval(kCalendarPointColumns[c].first, p.figures[c]));
    }
    points.push_back(std::move(row));
    for (const StoredCalendarResource& r : p.resources) {
      std::vector<std::string> resource = {std::to_string(k),         r.id,
                                           r.lane,                    with_thousands(r.arrivals),
                                           with_thousands(r.served), with_thousands(r.abandoned)};
      for (std::size_t c = 0; c < kResourceColumns.size(); ++c) {
        resource.push_back(figure_with_interval(kResourceColumns[c].first, r.figures[c]));
      }
      resources.push_back(std::move(resource));
    }
  }
  out += markdown_table(points, 1);
  out += "\n### Resources\n\n";
  out += markdown_table(resources, 3);
  return out;
}

// The CSV's columns; every row one figure (or a parameter's value, a verdict) in long form.
constexpr const char* kSweepCsvHeader =
    "table,rank,point,scenario,scope,metric,unit,value,ci_low,ci_high,note\n";

std::string sweep_csv_number(double x) { return std::isfinite(x) ? fmt::format("{}", x) : ""; }

std::string unit_name(std::string_view metric) {
  const Figure* f = find_calendar_figure(metric);
  return std::string(unit_key(f ? f->unit : Unit::count));
}

std::string parameter_unit_name(const std::string& path) {
  std::string error;
  const std::optional<ParameterPath> parsed = parse_parameter_path(path, error);
  const std::string_view unit = parsed ? parameter_unit(*parsed) : std::string_view();
  return unit.empty() ? "number" : std::string(unit);
}

}  // namespace

std::string sweep_table_markdown(const StoredSweep& sweep, std::string_view metric) {
  const std::size_t f = headline_index(metric);
  const std::vector<std::size_t> order = points_best_first(sweep, metric);
  const std::string size = sweep.calendar.empty() ? with_thousands(sweep.agents) + " agents"
                           : sweep.days > 0       ? counted(static_cast<std::size_t>(sweep.days), "day")
                                                  : std::string("calendar.days");
  std::string out = fmt::format("# Sweep: {}\n\n{} design, {} points, {} x {}, seed {}{}.\n\n",
                                sweep.experiment_name, sweep.design, order.size(), size,
                                counted(sweep.replications, "replication"), sweep.seed,
                                sweep.warmup_days > 0 && !sweep.calendar.empty()
                                    ? fmt::format(", the first {} left out",
                                                  counted(static_cast<std::size_t>(sweep.warmup_days), "day"))
                                    : "");
  out += fmt::format("## Design points\n\nBest first by {} ({} is better).\n\n", metric,
                     sweep_metric_lower_is_better(metric) ? "lower" : "higher");
  // Rank, point and scenario to the left; the parameters and figures to the right.
  out += markdown_table(full_table(sweep, metric), 3);

  if (!sweep.calendar.empty()) out += calendar_markdown(sweep, order);

  const SweepDifferences differences = summary_differences(sweep);
  out += "\n## Paired differences from the reference\n\n";
  if (f == kNoHeadline) {
    out += fmt::format("{} is a calendar figure, kept per point only; these are the headline "
                       "figures' differences.\n\n", metric);
  }
  out += sweep_differences_intro(sweep, differences) + "\n\n";
  const std::vector<std::size_t> figures = difference_figures(f);
  out += markdown_table(sweep_difference_rows(differences, figures, order, order.size()), 1);

  for (const ScenarioSensitivity& s : sensitivity_of(sweep, metric)) {
    const Sensitivity& r = s.sensitivity;
    out += fmt::format("\n## Which parameter moves {} most{}\n\n", metric,
                       sweep.scenarios.size() > 1
                           ? fmt::format(" in {}", sweep.scenarios[s.scenario])
                           : "");
    out += "By " + sensitivity_method_text(r) + ".\n\n";
    if (!r.note.empty()) {
      out += "Not ranked: " + r.note + "\n";
      continue;
    }
    std::vector<std::vector<std::string>> rows = {
        {"rank", "parameter",
         r.method == SensitivityMethod::main_effect ? "spread" : "|SRC|",
         "lowest to highest value [95% CI]"}};
    for (std::size_t i = 0; i < r.ranked.size(); ++i) {
      const ParameterSensitivity& p = r.ranked[i];
      rows.push_back({std::to_string(i + 1), sweep.parameters[p.parameter], number(p.importance),
                      swing_text(p)});
    }
    out += markdown_table(rows, 2) + "\n";
    for (const std::string& sentence : noise_sentences(sweep, r)) out += sentence + "\n";
  }
  return out;
}

std::string sweep_table_csv(const StoredSweep& sweep, std::string_view metric) {
  const std::vector<std::size_t> order = points_best_first(sweep, metric);
  std::vector<std::size_t> rank(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) rank[order[i]] = i + 1;
  std::string out = kSweepCsvHeader;
  const auto row = [&](std::string_view table, std::size_t k, std::string_view scope,
                       std::string_view name, std::string_view unit, const Estimate& e,
                       std::string_view note = "") {
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", table, rank[k], k,
                       csv_field(sweep.scenarios[sweep.scenario_of_point[k]]), csv_field(scope),
                       csv_field(name), unit, sweep_csv_number(e.value), sweep_csv_number(e.low),
                       sweep_csv_number(e.high), csv_field(note));
  };
  std::vector<std::string> parameter_units;
  for (const std::string& path : sweep.parameters) parameter_units.push_back(parameter_unit_name(path));
  const std::size_t f = headline_index(metric);
  for (const std::size_t k : order) {
    for (std::size_t j = 0; j < sweep.parameters.size(); ++j) {
      const double v = sweep.values[k][j];
      row("parameters", k, "overall", sweep.parameters[j], parameter_units[j], {v, NAN, NAN});
    }
    for (std::size_t g = 0; g < kHeadlineFigures.size(); ++g) {
      row("points", k, "overall", kHeadlineFigures[g].name, unit_name(kHeadlineFigures[g].name),
          sweep.figures[k][g], g == f ? "ranked by" : "");
    }
    if (!sweep.lost.empty()) {
      row("points", k, "overall", kLostEndingName, "count",
          {static_cast<double>(sweep.lost[k]), NAN, NAN});
    }
    if (sweep.calendar.empty()) continue;
    const StoredCalendarPoint& p = sweep.calendar[k];
    for (const auto& [name, count] :
         {std::pair{"journeys", p.journeys}, std::pair{"organic_agents", p.organic_agents},
          std::pair{"referred_agents", p.referred_agents}, std::pair{"deterred", p.deterred},
          std::pair{"customers", p.customers}, std::pair{"abandoned", p.abandoned}}) {
      row("calendar_points", k, "overall", name, "count",
          {static_cast<double>(count), NAN, NAN});
    }
    for (std::size_t c = 0; c < kCalendarPointColumns.size(); ++c) {
      const char* name = kCalendarPointColumns[c].first;
      row("calendar_points", k, "overall", name, unit_name(name), p.figures[c],
          metric == name ? "ranked by" : "");
    }
    for (const StoredCalendarResource& r : p.resources) {
      const std::string scope = "resource:" + r.id;
      for (const auto& [name, count] : {std::pair{"arrivals", r.arrivals},
                                        std::pair{"served", r.served},
                                        std::pair{"abandoned", r.abandoned}}) {
        row("calendar_resources", k, scope, name, "count", {static_cast<double>(count), NAN, NAN});
      }
      for (std::size_t c = 0; c < kResourceColumns.size(); ++c) {
        const char* name = kResourceColumns[c].first;
        const bool ranked = sweep_metric_resource(metric) == r.id && metric_figure(metric) == name;
        row("calendar_resources", k, scope, name, unit_name(name), r.figures[c],
            ranked ? "ranked by" : "");
      }
    }
  }

  const SweepDifferences differences = summary_differences(sweep);
  const std::size_t reference = differences.reference.point;
  row("reference", reference, "overall", "reference", "index",
      {static_cast<double>(reference), NAN, NAN}, sweep_reference_text(sweep, differences.reference));
  for (const std::size_t k : order) {
    for (std::size_t g = 0; g < kHeadlineFigures.size(); ++g) {
      const Estimate& d = differences.difference[k][g];
      row("differences", k, "overall", kHeadlineFigures[g].name,
          unit_name(kHeadlineFigures[g].name), d, sweep_difference_verdict(differences, k, d));
    }
  }

  for (const ScenarioSensitivity& s : sensitivity_of(sweep, metric)) {
    const Sensitivity& r = s.sensitivity;
    for (std::size_t i = 0; i < r.ranked.size(); ++i) {
      const ParameterSensitivity& p = r.ranked[i];
      const bool known = std::isfinite(p.swing_low) && std::isfinite(p.swing_high);
      out += fmt::format(
          "sensitivity,{},,{},{},{},{},{},{},{},{}\n", i + 1,
          csv_field(sweep.scenarios[s.scenario]),
          csv_field("parameter:" + sweep.parameters[p.parameter]), csv_field(metric),
          unit_name(metric_figure(metric)), sweep_csv_number(p.swing), sweep_csv_number(p.swing_low),
          sweep_csv_number(p.swing_high),
          !known ? "no interval" : p.beyond_noise() ? "beyond the noise" : "within the noise");
    }
  }
  return out;
}

nlohmann::json sweep_summary_json(const StoredSweep& sweep, std::string_view metric,
                                  std::size_t top, std::optional<std::uint64_t> reference) {
  const std::vector<std::size_t> order = points_best_first(sweep, metric);
  const std::size_t shown = top == 0 ? order.size() : std::min(top, order.size());
  nlohmann::json out = {{"experiment", sweep.experiment_name},
                        {"experiment_path", sweep.experiment_path},
                        {"design", sweep.design},
                        {"points", sweep.figures.size()},
                        {"agents", sweep.agents},
                        {"replications", sweep.replications},
                        {"seed", sweep.seed},
                        {"metric", std::string(metric)},
                        {"lower_is_better", sweep_metric_lower_is_better(metric)},
                        {"parameters", sweep.parameters},
                        {"scenarios", sweep.scenarios}};
  if (!sweep.calendar.empty()) {
    // A calendar sweep: its points' days (null: each its calendar.days); `agents` does not apply.
    out["days"] = sweep.days > 0 ? nlohmann::json(sweep.days) : nlohmann::json(nullptr);
    out["warmup_days"] = sweep.warmup_days;
  }
  nlohmann::json best = nlohmann::json::array();
  for (std::size_t rank = 0; rank < shown; ++rank) {
    const std::size_t k = order[rank];
    nlohmann::json point = {{"rank", rank + 1},
                            {"point", k},
                            {"scenario", sweep.scenarios[sweep.scenario_of_point[k]]}};
    nlohmann::json values = nlohmann::json::object();
    for (std::size_t j = 0; j < sweep.parameters.size(); ++j) {
      values[sweep.parameters[j]] = json_number(sweep.values[k][j]);
    }
    point["values"] = values;
    for (std::size_t f = 0; f < kHeadlineFigures.size(); ++f) {
      put_estimate(point, kHeadlineFigures[f].name, sweep.figures[k][f]);
    }
    if (!sweep.calendar.empty()) point["calendar"] = sweep_calendar_point_json(sweep.calendar[k]);
    if (!sweep.lost.empty()) point[std::string(kLostEndingName)] = sweep.lost[k];
    best.push_back(point);
  }
  out["best"] = best;

  const SweepDifferences differences = summary_differences(sweep, reference);
  const std::size_t reference_point = differences.reference.point;
  nlohmann::json reference_values = nlohmann::json::object();
  for (std::size_t j = 0; j < sweep.parameters.size(); ++j) {
    reference_values[sweep.parameters[j]] = json_number(sweep.values[reference_point][j]);
  }
  out["reference"] = {{"point", reference_point},
                      {"scenario", sweep.scenarios[sweep.scenario_of_point[reference_point]]},
                      {"why", differences.reference.why},
                      {"values", reference_values}};
  out["difference_method"] = differences.method;
  out["difference_agent_groups"] = differences.groups;
  out["difference_method_description"] =
      pairing_description(differences.method, differences.groups, sweep.replications);
  nlohmann::json all_differences = nlohmann::json::array();
  for (std::size_t k = 0; k < differences.difference.size(); ++k) {
    nlohmann::json point = {{"point", k},
                            {"scenario", sweep.scenarios[sweep.scenario_of_point[k]]}};
    nlohmann::json values = nlohmann::json::object();
    for (std::size_t j = 0; j < sweep.parameters.size(); ++j) {
      values[sweep.parameters[j]] = json_number(sweep.values[k][j]);
    }
    point["values"] = values;
    for (std::size_t f = 0; f < kHeadlineFigures.size(); ++f) {
      const std::string name = kHeadlineFigures[f].name;
      put_estimate(point, name, differences.difference[k][f]);
      point[name + "_unpaired_half_width"] = json_number(differences.unpaired_half_width[k][f]);
    }
    all_differences.push_back(point);
  }
  out["differences"] = all_differences;
  if (!sweep.calendar.empty()) {
    // Calendar figures, paired by replication: null when the file keeps them against another
    // reference point.
    const std::vector<CalendarPointDifference>* calendar =
        calendar_differences_from(sweep, differences.reference);
    out["calendar_difference_method"] = kReplicationsMethod;
    if (calendar == nullptr) {
      out["calendar_differences"] = nullptr;
    } else {
      nlohmann::json points = nlohmann::json::array();
      for (std::size_t k = 0; k < calendar->size(); ++k) {
        const CalendarPointDifference& d = (*calendar)[k];
        nlohmann::json point = {{"point", k}};
        for (std::size_t c = 0; c < kCalendarPointColumns.size(); ++c) {
          put_estimate(point, kCalendarPointColumns[c].first, d.run.at(c));
        }
        nlohmann::json resources = nlohmann::json::array();
        for (std::size_t r = 0; r < d.resource_ids.size(); ++r) {
          nlohmann::json resource = {{"resource", d.resource_ids[r]}};
          for (std::size_t c = 0; c < kResourceColumns.size(); ++c) {
            put_estimate(resource, kResourceColumns[c].first, d.resources[r].at(c));
          }
          resources.push_back(resource);
        }
        point["resources"] = resources;
        points.push_back(point);
      }
      out["calendar_differences"] = points;
    }
  }

  nlohmann::json rankings = nlohmann::json::array();
  const PairedUnits units = stored_units(sweep);
  for (const ScenarioSensitivity& s : sensitivity_of(sweep, metric)) {
    const Sensitivity& r = s.sensitivity;
    std::vector<std::string> beyond, within;
    for (const ParameterSensitivity& p : r.ranked) {
      if (!std::isfinite(p.swing_low)) continue;
      (p.beyond_noise() ? beyond : within).push_back(sweep.parameters[p.parameter]);
    }
    nlohmann::json ranked = nlohmann::json::array();
    for (std::size_t i = 0; i < r.ranked.size(); ++i) {
      const ParameterSensitivity& p = r.ranked[i];
      nlohmann::json entry = {{"rank", i + 1},
                              {"parameter", sweep.parameters[p.parameter]},
                              {"importance", json_number(p.importance)}};
      put_estimate(entry, "swing", {p.swing, p.swing_low, p.swing_high});
      put_estimate(entry, "coefficient", {p.coefficient, p.coefficient_low, p.coefficient_high});
      entry["beyond_noise"] = std::isfinite(p.swing_low) ? nlohmann::json(p.beyond_noise())
                                                         : nlohmann::json(nullptr);
      ranked.push_back(entry);
    }
    rankings.push_back(
        {{"scenario", sweep.scenarios[s.scenario]},
         {"method", method_name(r.method)},
         {"points", r.points},
         {"r_squared", r.method == SensitivityMethod::main_effect ? nlohmann::json(nullptr)
                                                                 : json_number(r.r_squared)},
         {"note", r.note.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.note)},
         {"interval_method",
          sensitivity_interval_description(units.method, units.groups, sweep.replications)},
         {"beyond_noise", beyond},
         {"within_noise", within},
         {"ranked", ranked}});
  }
  out["sensitivity"] = rankings;
  return out;
}

}  // namespace cjsim
