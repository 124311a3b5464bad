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


// A calendar sweep's figures of the points shown, in their order: the run's staff cost and,
// per resource, utilisation, waits and abandonment.
std::string calendar_points_text(const StoredSweep& sweep, std::span<const std::size_t> order,
                                 std::size_t shown) {
  std::string out = "\nCalendar figures of the same points (per resource: utilisation, mean and "
                    "90th percentile wait, abandoned, staff cost):\n\n";
  std::vector<std::vector<std::string>> rows;
  rows.push_back({"point", "journeys", "abandoned", "staff_cost", "resource", "utilisation",
                  "mean_wait", "p90_wait", "abandoned", "staff_cost"});
  const auto column = [](std::string_view name) {
    for (std::size_t c = 0; c < kResourceColumns.size(); ++c) {
      if (name == kResourceColumns[c].first) return c;
    }
    throw std::logic_error("no resource column");
  };
  const std::size_t utilisation = column("utilisation"), mean_wait = column("mean_wait_hours"),
                    p90_wait = column("p90_wait_hours"), cost = column("staff_cost");
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
  out += right_aligned(rows);
  return out;
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

namespace {

// "point 4 (the base scenario's own values: a = 1, b = 2)"
std::string reference_text(const StoredSweep& sweep, const SweepReference& reference) {
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
    rows.push_back(std::move(row));
  }
  out += right_aligned(rows);

  if (!sweep.calendar.empty()) out += calendar_points_text(sweep, order, shown);

  const SweepDifferences differences = summary_differences(sweep, reference);
  if (f == kNoHeadline) {
    out += fmt::format(
        "\nPaired differences from {} are in the file and in --json for the headline figures; "
        "{} is a calendar figure, kept per point only.\n",
        reference_text(sweep, differences.reference), metric);
  } else {
    const bool grouped = differences.method == kAgentGroupsMethod;
    out += fmt::format(
        "\nDifferences from {}, paired: every point runs the same agents, so each {} gives a "
        "difference on the same agents ({}):\n\n",
        reference_text(sweep, differences.reference),
        grouped ? "group of agents" : "replication",
        grouped ? fmt::format("95% CI Student t across {} agent groups, {} per replication",
                              differences.groups * sweep.replications, differences.groups)
        : sweep.replications < 2
            ? "with one replication there is no interval; run -r 2 or more"
            : fmt::format("95% CI Student t across {} replications", sweep.replications));
    std::vector<std::vector<std::string>> difference_rows = {
        {"point", std::string(metric) + " difference [95% CI]", "unpaired +/-", "verdict"}};
    for (std::size_t i = 0; i < shown; ++i) {
      const std::size_t k = order[i];
      const Estimate& d = differences.difference[k][f];
      const std::string interval = difference_interval_text(metric, d);
      const bool known = std::isfinite(d.low) && std::isfinite(d.high);
      const char* verdict = k == differences.reference.point ? "reference"
                            : !known                         ? "no interval"
                            : d.low > 0 || d.high < 0        ? "beyond the noise"
                                                             : "within the noise";
      const double unpaired = differences.unpaired_half_width[k][f];
      difference_rows.push_back(
          {std::to_string(k),
           difference_text(metric, d.value) + (interval.empty() ? "" : " " + interval),
           std::isfinite(unpaired) ? difference_text(metric, unpaired).substr(1) : "n/a", verdict});
    }
    out += right_aligned(difference_rows);
  }
  if (!sweep.calendar.empty()) {
    out += calendar_differences_text(sweep, differences.reference, order, shown);
  }

  for (const ScenarioSensitivity& s : sensitivity_of(sweep, metric)) {
    const Sensitivity& r = s.sensitivity;
    out += fmt::format("\nWhich parameter moves {} most{}", metric,
                       several_scenarios ? fmt::format(" in {}", sweep.scenarios[s.scenario]) : "");
    if (r.method == SensitivityMethod::main_effect) {
      out +=
          " (main effects: the spread of the mean over each parameter's levels, the others "
          "averaged over):\n";
    } else {
      out += fmt::format(" (standardised regression coefficients over {} points, R^2 = {:.3f}):\n",
                         r.points, r.r_squared);
    }
    if (!r.note.empty()) {
      out += "  not ranked: " + r.note + "\n";
      continue;
    }
    std::size_t name_width = 0;
    for (const std::string& p : sweep.parameters) name_width = std::max(name_width, p.size());
    for (std::size_t i = 0; i < r.ranked.size(); ++i) {
      const ParameterSensitivity& p = r.ranked[i];
      const bool interval = std::isfinite(p.swing_low) && std::isfinite(p.swing_high);
      out += fmt::format("  {}. {:<{}}  {} {:<10}  lowest to highest value: {:+.4g}{}\n", i + 1,
                         sweep.parameters[p.parameter], name_width,
                         r.method == SensitivityMethod::main_effect ? "spread" : "|SRC|",
                         number(p.importance), p.swing,
                         interval ? fmt::format(" [{:+.4g}, {:+.4g}]", p.swing_low, p.swing_high)
                                  : "");
    }
    const PairedUnits units = stored_units(sweep);
    const std::size_t unit_count = units.values.empty() ? 0 : units.values.front().size();
    if (unit_count < 2) {
      out += "  One replication: no intervals, so nothing tells a parameter from the noise; "
             "run -r 2 or more.\n";
    } else {
      out += fmt::format(
          "  Beyond the noise (the change's 95% interval, from the {} on the same agents, "
          "excludes 0): {}.\n  Within the noise: {}.\n",
          units.method == kAgentGroupsMethod ? fmt::format("{} agent groups", unit_count)
                                             : fmt::format("{} replications", unit_count),
          parameter_list(sweep, r, true), parameter_list(sweep, r, false));
    }
  }
  return out;
}

namespace {

// Header and rows of the full table, best first.
std::vector<std::vector<std::string>> full_table(const StoredSweep& sweep,
                                                 std::string_view metric) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"rank", "point", "scenario"};
  for (const std::string& p : sweep.parameters) header.push_back(p);
  for (const Figure& f : kHeadlineFigures) {
    header.emplace_back(f.name);
    header.push_back(std::string(f.name) + "_ci_low");
    header.push_back(std::string(f.name) + "_ci_high");
  }
  rows.push_back(header);
  const std::vector<std::size_t> order = points_best_first(sweep, metric);
  for (std::size_t i = 0; i < order.size(); ++i) {
    const std::size_t k = order[i];
    std::vector<std::string> row = {std::to_string(i + 1), std::to_string(k),
                                    sweep.scenarios[sweep.scenario_of_point[k]]};
    for (double v : sweep.values[k]) row.push_back(fmt::format("{}", v));
    for (const Estimate& e : sweep.figures[k]) {
      for (double x : {e.value, e.low, e.high})
        row.push_back(std::isnan(x) ? "" : fmt::format("{}", x));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

std::string sweep_table_markdown(const StoredSweep& sweep, std::string_view metric) {
  const auto rows = full_table(sweep, metric);
  std::string out = fmt::format("# Sweep: {}\n\nDesign points best first by {}.\n\n",
                                sweep.experiment_name, metric);
  // Rank, point and scenario to the left; the parameters and figures to the right.
  out += markdown_head(rows.front(), 3);
  for (std::size_t r = 1; r < rows.size(); ++r) out += markdown_row(rows[r]);
  return out;
}

std::string sweep_table_csv(const StoredSweep& sweep, std::string_view metric) {
  std::string out;
  for (const auto& row : full_table(sweep, metric)) {
    for (std::size_t c = 0; c < row.size(); ++c) {
      if (c != 0) out += ',';
      out += csv_field(row[c]);
    }
    out += "\n";
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
