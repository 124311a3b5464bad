// Sweep tables and sensitivity as text, Markdown and CSV.
#include "reports/render/sweep_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "reports/render/json_report.h"
#include "reports/render/report_format.h"
#include "reports/render/table_text.h"
#include "reports/render/text_report.h"
#include "scenarios/diagnostic.h"
#include "sim/sweep/sweep.h"

namespace cjsim {
namespace {

std::size_t headline_index(std::string_view metric) {
  for (std::size_t f = 0; f < kHeadlineFigures.size(); ++f) {
    if (metric == kHeadlineFigures[f].name) return f;
  }
  throw std::invalid_argument(fmt::format("no headline figure '{}'", metric));
}

std::string number(double x) {
  if (std::isnan(x)) return "n/a";
  return fmt::format("{:.4g}", x);
}

}  // namespace

std::vector<std::size_t> points_best_first(const StoredSweep& sweep, std::string_view metric) {
  const std::size_t f = headline_index(metric);
  const bool ascending = lower_is_better(metric);
  std::vector<std::size_t> order(sweep.figures.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double x = sweep.figures[a][f].value, y = sweep.figures[b][f].value;
    if (std::isnan(x) || std::isnan(y)) return !std::isnan(x) && std::isnan(y);
    return ascending ? x < y : x > y;
  });
  return order;
}

std::vector<ScenarioSensitivity> sensitivity_of(const StoredSweep& sweep, std::string_view metric) {
  const std::size_t f = headline_index(metric);
  std::vector<double> y;
  for (const auto& figures : sweep.figures) y.push_back(figures[f].value);
  return sweep_sensitivity(sweep.design, sweep.scenario_of_point, sweep.values, y,
                           sweep.scenarios.size(),
                           figure_by_replication(sweep.replication_figures, f));
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
  return paired_differences(sweep.replication_figures, overall, chosen);
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
  const std::vector<std::size_t> order = points_best_first(sweep, metric);
  const std::size_t shown = top == 0 ? order.size() : std::min(top, order.size());
  const bool several_scenarios = sweep.scenarios.size() > 1;
  std::string out =
      fmt::format("Sweep: {} ({} design, {} points, {} agents x {}, seed {})\n\n",
                  sweep.experiment_name, sweep.design, order.size(), with_thousands(sweep.agents),
                  counted(sweep.replications, "replication"), sweep.seed);
  out += fmt::format(
      "{} points, best first by {} ({} is better){}:\n\n",
      shown == order.size() ? "All" : fmt::format("The {} best of {}", shown, order.size()), metric,
      lower_is_better(metric) ? "lower" : "higher", "");

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
    const Estimate& e = sweep.figures[k][f];
    const std::string interval = interval_text(metric, e);
    row.push_back(figure_text(metric, e.value) + (interval.empty() ? "" : " " + interval));
    for (std::size_t o : others) {
      row.push_back(figure_text(kHeadlineFigures[o].name, sweep.figures[k][o].value));
    }
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(header.size(), 0);
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  for (const auto& row : rows) {
    std::string line = " ";
    for (std::size_t c = 0; c < row.size(); ++c) line += fmt::format(" {:>{}}", row[c], width[c]);
    out += line + "\n";
  }

  const SweepDifferences differences = summary_differences(sweep, reference);
  out += fmt::format(
      "\nDifferences from {}, paired: every point runs the same agents, so each replication "
      "gives a difference on the same agents ({}):\n\n",
      reference_text(sweep, differences.reference),
      sweep.replications < 2 ? "with one replication there is no interval; run -r 2 or more"
                             : fmt::format("95% CI Student t across {} replications",
                                           sweep.replications));
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
        {std::to_string(k), difference_text(metric, d.value) + (interval.empty() ? "" : " " + interval),
         std::isfinite(unpaired) ? difference_text(metric, unpaired).substr(1) : "n/a", verdict});
  }
  std::vector<std::size_t> difference_width(difference_rows.front().size(), 0);
  for (const auto& row : difference_rows) {
    for (std::size_t c = 0; c < row.size(); ++c)
      difference_width[c] = std::max(difference_width[c], row[c].size());
  }
  for (const auto& row : difference_rows) {
    std::string line = " ";
    for (std::size_t c = 0; c < row.size(); ++c)
      line += fmt::format(" {:>{}}", row[c], difference_width[c]);
    out += line + "\n";
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
    if (sweep.replications < 2) {
      out += "  One replication: no intervals, so nothing tells a parameter from the noise; "
             "run -r 2 or more.\n";
    } else {
      out += fmt::format(
          "  Beyond the noise (the change's 95% interval, from the {} replications on the same "
          "agents, excludes 0): {}.\n  Within the noise: {}.\n",
          sweep.replications, parameter_list(sweep, r, true), parameter_list(sweep, r, false));
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
                        {"lower_is_better", lower_is_better(metric)},
                        {"parameters", sweep.parameters},
                        {"scenarios", sweep.scenarios}};
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
  out["difference_method"] =
      "paired by replication: each replication's figure minus the reference point's on the same "
      "agents, Student t across the replications";
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

  nlohmann::json rankings = nlohmann::json::array();
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
          "from the replications: the swing computed on each replication's figures alone, "
          "Student t across the replications; the coefficient's interval is the swing's scaled"},
         {"beyond_noise", beyond},
         {"within_noise", within},
         {"ranked", ranked}});
  }
  out["sensitivity"] = rankings;
  return out;
}

}  // namespace cjsim
