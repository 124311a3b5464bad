// Sweep files and their parts: tables of parameters and figures, sensitivity, raw aggregates.
#include "reports/store/hdf5_sweep.h"

#include <H5Cpp.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "cjsim_version.h"
#include "reports/store/hdf5_checksum.h"
#include "reports/store/hdf5_io.h"
#include "reports/store/hdf5_raw.h"
#include "reports/store/hdf5_results.h"
#include "reports/store/hdf5_table.h"
#include "scenarios/parameter_path.h"
#include "sim/engine/calendar_figures.h"
#include "sim/sweep/sensitivity.h"
#include "sim/sweep/sweep.h"

namespace cjsim {
namespace {

constexpr const char* kSweepFormat = "cjsim-sweep";
constexpr const char* kPartFormat = "cjsim-sweep-part";
// 2: checksums (the attributes' checksum, Fletcher32 on every dataset); version 1 files are
// still read, with a warning (sweep files) or run again (parts).
// 3: raw aggregates in sets of points (runs/set_N, and parts of many points) instead of a
// group per point (runs/point_NNNNNN); version 2 files and parts are still read.
constexpr std::uint64_t kSweepFormatVersion = 3;

// Pointers to each of `values`, for the writers that take items kept apart.
template <class T>
std::vector<const T*> pointers_to(std::span<const T> values) {
  std::vector<const T*> out;
  out.reserve(values.size());
  for (const T& v : values) out.push_back(&v);
  return out;
}

std::string run_group_name(std::uint64_t point) { return fmt::format("point_{:06}", point); }

// Checks the format version of a sweep file or part and its attributes' checksum; returns
// whether it is checksummed (version 1 is not).
bool check_version(const H5::Group& root) {
  const std::uint64_t version = hdf5::read_u64_attribute(root, "format_version");
  if (version > kSweepFormatVersion) {
    throw std::runtime_error(fmt::format(
        "format version {} is newer than this cjsim reads ({}); update cjsim", version,
        kSweepFormatVersion));
  }
  const bool checksummed = hdf5::verify_checksum(root);
  if (!checksummed && version >= kSweepFormatVersion) {
    throw std::runtime_error("the file is damaged: the checksum of / is missing");
  }
  return checksummed;
}

void add_parameter_columns(hdf5::CompoundTable& table, const SweepPlan& plan,
                           std::span<const std::size_t> point_of_row) {
  for (std::size_t j = 0; j < plan.experiment.parameters.size(); ++j) {
    std::vector<double> column;
    for (std::size_t k : point_of_row) column.push_back(plan.points[k].values[j]);
    table.add_f64(plan.experiment.parameters[j].path.text, std::move(column));
  }
}

// The units of a table of points (or of their replications) with `figures` columns (each with
// _ci_low and _ci_high when `intervals`), as the table's `units` attribute (JSON: column ->
// unit), the form calendar files use: the figures' units as unit_key names them, the
// parameters' as the field table does ("number" for a pure number), counts and indices.
nlohmann::json point_table_units(const SweepPlan& plan, bool intervals) {
  nlohmann::json units = {{"point", "index"}, {"scenario_index", "index"},
                          {"agents", "count"}, {"conversions", "count"}};
  for (const ExperimentParameter& p : plan.experiment.parameters) {
    const std::string_view unit = parameter_unit(p.path);
    units[p.path.text] = unit.empty() ? "number" : unit;
  }
  for (const NamedFigure& f : kHeadlineFigures) {
    const std::string unit(unit_key(f.unit));
    units[std::string(f.name)] = unit;
    if (!intervals) continue;
    units[std::string(f.name) + "_ci_low"] = unit;
    units[std::string(f.name) + "_ci_high"] = unit;
  }
  return units;
}

void add_point_columns(hdf5::CompoundTable& table, const SweepPlan& plan,
                       std::span<const std::size_t> point_of_row) {
  std::vector<std::uint64_t> point, scenario_index;
  std::vector<std::string> scenario;
  for (std::size_t k : point_of_row) {
    point.push_back(k);
    scenario_index.push_back(plan.points[k].scenario);
    scenario.push_back(plan.bases[plan.points[k].scenario].name);
  }
  table.add_u64("point", std::move(point));
  table.add_u64("scenario_index", std::move(scenario_index));
  table.add_text("scenario", scenario);
  add_parameter_columns(table, plan, point_of_row);
}

// Points' agent groups as a table named "agent_groups", a row per (point, replication, group)
// in that order: `groups[j]` holds point points[j]'s, replication by replication,
// `per_replication` of them each.
void write_agent_groups(H5::Group& at, std::span<const std::uint64_t> points,
                        std::span<const std::vector<AgentGroupFigures>* const> groups,
                        std::uint64_t per_replication) {
  if (groups.size() != points.size() || per_replication == 0) {
    throw std::logic_error("write_agent_groups: the agent groups of every point are needed");
  }
  std::size_t rows = 0;
  for (const std::vector<AgentGroupFigures>* of_point : groups) rows += of_point->size();
  std::vector<std::uint64_t> point, replication, group, agents, customers;
  std::vector<std::vector<double>> values(kSweepFigureCount);
  for (auto* column : {&point, &replication, &group, &agents, &customers}) column->reserve(rows);
  for (std::vector<double>& column : values) column.reserve(rows);
  for (std::size_t j = 0; j < points.size(); ++j) {
    const std::vector<AgentGroupFigures>& of_point = *groups[j];
    if (of_point.size() % per_replication != 0) {
      throw std::logic_error("write_agent_groups: a replication with another number of groups");
    }
    for (std::size_t u = 0; u < of_point.size(); ++u) {
      point.push_back(points[j]);
      replication.push_back(u / per_replication);
      group.push_back(u % per_replication);
      agents.push_back(of_point[u].agents);
      customers.push_back(of_point[u].customers);
      for (std::size_t f = 0; f < kSweepFigureCount; ++f) {
        values[f].push_back(of_point[u].values[f]);
      }
    }
  }
  hdf5::CompoundTable table(point.size());
  table.add_u64("point", std::move(point));
  table.add_u64("replication", std::move(replication));
  table.add_u64("group", std::move(group));
  table.add_u64("agents", std::move(agents));
  table.add_u64("customers", std::move(customers));
  nlohmann::json units = {{"point", "index"},  {"replication", "index"}, {"group", "index"},
                          {"agents", "count"}, {"customers", "count"}};
  for (std::size_t f = 0; f < kSweepFigureCount; ++f) {
    table.add_f64(kHeadlineFigures[f].name, std::move(values[f]));
    units[kHeadlineFigures[f].name] = std::string(unit_key(kHeadlineFigures[f].unit));
  }
  table.write(at, "agent_groups");
  const H5::DataSet written = at.openDataSet("agent_groups");
  hdf5::write_attribute(written, "units", units.dump());
  hdf5::write_attribute(written, "groups_per_replication", per_replication);
}

// The "agent_groups" table of `at`, point by point in the order of its rows; `per_replication`
// gets its groups per replication. Throws when the rows are not whole replications in order.
std::vector<std::pair<std::uint64_t, std::vector<AgentGroupFigures>>> read_agent_groups(
    const H5::Group& at, std::uint64_t& per_replication) {
  const H5::DataSet table = hdf5::open_dataset(at, "agent_groups");
  per_replication = hdf5::read_u64_attribute(table, "groups_per_replication");
  const std::string counts[] = {"point", "replication", "group", "agents", "customers"};
  const auto columns = hdf5::read_u64_columns(table, counts);
  const std::vector<std::uint64_t>& point = columns[0];
  const std::vector<std::uint64_t>& replication = columns[1];
  const std::vector<std::uint64_t>& group = columns[2];
  const std::vector<std::uint64_t>& agents = columns[3];
  const std::vector<std::uint64_t>& customers = columns[4];
  std::vector<std::string> names;
  for (const NamedFigure& f : kHeadlineFigures) names.emplace_back(f.name);
  const std::vector<std::vector<double>> values = hdf5::read_f64_columns(table, names);
  std::vector<std::pair<std::uint64_t, std::vector<AgentGroupFigures>>> out;
  for (std::size_t i = 0; i < point.size(); ++i) {
    if (out.empty() || out.back().first != point[i]) out.push_back({point[i], {}});
    std::vector<AgentGroupFigures>& of_point = out.back().second;
    if (per_replication == 0 || replication[i] != of_point.size() / per_replication ||
        group[i] != of_point.size() % per_replication) {
      throw std::runtime_error("agent_groups: the rows are not whole replications in order");
    }
    AgentGroupFigures& g = of_point.emplace_back();
    g.agents = agents[i];
    g.customers = customers[i];
    for (std::size_t f = 0; f < kSweepFigureCount; ++f) g.values[f] = values[f][i];
  }
  for (const auto& [k, of_point] : out) {
    if (of_point.size() % per_replication != 0) {
      throw std::runtime_error(fmt::format("agent_groups: point {} has a partial replication", k));
    }
  }
  return out;
}

void write_attributes(H5::Group& root, const SweepPlan& plan, const SweepInvocation& invocation) {
  const Experiment& x = plan.experiment;
  hdf5::write_attribute(root, "format", kSweepFormat);
  hdf5::write_attribute(root, "format_version", kSweepFormatVersion);
  hdf5::write_attribute(root, "software_version", CJSIM_VERSION);
  hdf5::write_attribute(root, "experiment_name", x.name);
  hdf5::write_attribute(root, "experiment_path", x.path);
  hdf5::write_attribute(root, "experiment_yaml", x.text);
  nlohmann::json scenarios = nlohmann::json::array();
  for (std::size_t s = 0; s < plan.bases.size(); ++s) {
    nlohmann::json bases = nlohmann::json::array();
    for (const SourceFile& b : plan.bases[s].base_sources)
      bases.push_back({{"path", b.path}, {"yaml", b.text}});
    scenarios.push_back({{"name", plan.bases[s].name},
                         {"path", x.scenarios[s]},
                         {"yaml", plan.bases[s].source_text},
                         {"bases", bases}});
  }
  hdf5::write_attribute(root, "scenarios", scenarios.dump());
  hdf5::write_attribute(root, "design", std::string(design_name(x.design)));
  hdf5::write_attribute(root, "points", std::uint64_t{plan.points.size()});
  hdf5::write_attribute(root, "agents", x.agents);
  hdf5::write_attribute(root, "replications", std::uint64_t{x.replications});
  hdf5::write_attribute(root, "seed", x.seed);
  hdf5::write_attribute(root, "design_seed", x.design_seed);
  hdf5::write_attribute(root, "metric", x.metric);
  if (is_calendar_plan(plan)) {
    hdf5::write_attribute(root, "days", static_cast<std::uint64_t>(x.days));
    hdf5::write_attribute(root, "warmup_days", static_cast<std::uint64_t>(x.warmup_days));
  }
  hdf5::write_attribute(root, "fingerprint", plan.fingerprint);
  hdf5::write_attribute(root, "command_line", invocation.command_line);
  hdf5::write_attribute(root, "created", invocation.created);
  hdf5::write_attribute(root, "seconds", invocation.seconds);
  hdf5::write_attribute(root, "threads", std::uint64_t{invocation.threads});
  hdf5::write_attribute(root, "processes", std::uint64_t{invocation.processes});
  hdf5::write_checksum(root);
}

void write_parameters(H5::Group& root, const SweepPlan& plan) {
  const auto& parameters = plan.experiment.parameters;
  std::vector<std::string> path;
  std::vector<double> low, high;
  for (std::size_t j = 0; j < parameters.size(); ++j) {
    path.push_back(parameters[j].path.text);
    double lo = INFINITY, hi = -INFINITY;
    for (const SweepPoint& p : plan.points) {
      lo = std::min(lo, p.values[j]);
      hi = std::max(hi, p.values[j]);
    }
    low.push_back(lo);
    high.push_back(hi);
  }
  hdf5::CompoundTable table(parameters.size());
  table.add_text("parameter", path);
  table.add_f64("low", low);
  table.add_f64("high", high);
  table.write(root, "parameters");
}


// Every point's paired difference from the reference point: one row per point, each headline
// figure's difference with its paired interval and the half-width without the pairing.
void write_differences(H5::Group& root, const SweepPlan& plan, const SweepDifferences& d) {
  std::vector<std::size_t> all_points(plan.points.size());
  for (std::size_t k = 0; k < all_points.size(); ++k) all_points[k] = k;
  hdf5::CompoundTable table(all_points.size());
  add_point_columns(table, plan, all_points);
  nlohmann::json units = point_table_units(plan, true);
  units.erase("agents");
  units.erase("conversions");
  for (std::size_t f = 0; f < kSweepFigureCount; ++f) {
    const std::string name = kHeadlineFigures[f].name;
    std::vector<double> value, low, high, unpaired;
    for (std::size_t k = 0; k < d.difference.size(); ++k) {
      value.push_back(d.difference[k][f].value);
      low.push_back(d.difference[k][f].low);
      high.push_back(d.difference[k][f].high);
      unpaired.push_back(d.unpaired_half_width[k][f]);
    }
    table.add_f64(name, std::move(value));
    table.add_f64(name + "_ci_low", std::move(low));
    table.add_f64(name + "_ci_high", std::move(high));
    table.add_f64(name + "_unpaired_half_width", std::move(unpaired));
    units[name + "_unpaired_half_width"] = units[name];
  }
  table.write(root, "differences");
  const H5::DataSet written = root.openDataSet("differences");
  hdf5::write_attribute(written, "units", units.dump());
  hdf5::write_attribute(written, "reference_point", std::uint64_t{d.reference.point});
  hdf5::write_attribute(written, "reference", d.reference.why);
  hdf5::write_attribute(written, "method", d.method);
  hdf5::write_attribute(written, "agent_groups", std::uint64_t{d.groups});
  hdf5::write_attribute(
      written, "method_description",
      pairing_description(d.method, d.groups, plan.experiment.replications));
}

void write_tables(H5::Group& root, const SweepPlan& plan, const SweepFigures& sweep) {
  const std::vector<PointFigures>& figures = sweep.points;
  std::vector<std::size_t> all_points(plan.points.size());
  for (std::size_t k = 0; k < all_points.size(); ++k) all_points[k] = k;

  hdf5::CompoundTable points(all_points.size());
  add_point_columns(points, plan, all_points);
  std::vector<std::uint64_t> agents, conversions;
  for (const PointFigures& f : figures) {
    agents.push_back(f.overall.agents);
    conversions.push_back(f.overall.conversions);
  }
  points.add_u64("agents", std::move(agents));
  points.add_u64("conversions", std::move(conversions));
  // Agents lost at an entry a point's future state removed (MODEL.md 1.11): a column only when
  // some point lost any, so that every other sweep's file is as it was.
  std::vector<std::uint64_t> lost;
  for (const PointFigures& f : figures) lost.push_back(f.overall.lost);
  const bool any_lost = std::any_of(lost.begin(), lost.end(), [](std::uint64_t n) { return n > 0; });
  if (any_lost) points.add_u64("lost", lost);
  for (const NamedFigure& f : kHeadlineFigures) {
    std::vector<double> value, low, high;
    for (const PointFigures& p : figures) {
      const Estimate& e = p.overall.*f.member;
      value.push_back(e.value);
      low.push_back(e.low);
      high.push_back(e.high);
    }
    points.add_f64(f.name, std::move(value));
    points.add_f64(std::string(f.name) + "_ci_low", std::move(low));
    points.add_f64(std::string(f.name) + "_ci_high", std::move(high));
  }
  points.write(root, "points");
  nlohmann::json units = point_table_units(plan, true);
  if (any_lost) units["lost"] = "count";
  hdf5::write_attribute(root.openDataSet("points"), "units", units.dump());

  std::vector<std::size_t> point_of_row;
  std::vector<std::uint64_t> replication;
  std::vector<const HeadlineFigures*> row_figures;
  for (std::size_t k = 0; k < figures.size(); ++k) {
    for (std::size_t r = 0; r < figures[k].replications.size(); ++r) {
      point_of_row.push_back(k);
      replication.push_back(r);
      row_figures.push_back(&figures[k].replications[r]);
    }
  }
  hdf5::CompoundTable rows(point_of_row.size());
  add_point_columns(rows, plan, point_of_row);
  rows.add_u64("replication", std::move(replication));
  std::vector<std::uint64_t> row_agents, row_conversions;
  for (const HeadlineFigures* h : row_figures) {
    row_agents.push_back(h->agents);
    row_conversions.push_back(h->conversions);
  }
  rows.add_u64("agents", std::move(row_agents));
  rows.add_u64("conversions", std::move(row_conversions));
  for (const NamedFigure& f : kHeadlineFigures) {
    std::vector<double> value;
    for (const HeadlineFigures* h : row_figures) value.push_back((h->*f.member).value);
    rows.add_f64(f.name, std::move(value));
  }
  rows.write(root, "replications");
  nlohmann::json row_units = point_table_units(plan, false);
  row_units["replication"] = "index";
  hdf5::write_attribute(root.openDataSet("replications"), "units", row_units.dump());

  write_differences(root, plan, sweep.differences);

  // Sensitivity of the experiment's metric, per base scenario.
  const std::vector<ScenarioSensitivity>& rankings = sweep.sensitivity;
  std::vector<std::string> scenario, parameter, method;
  std::vector<std::uint64_t> rank, beyond_noise;
  std::vector<double> importance, swing, r_squared, swing_low, swing_high, coefficient,
      coefficient_low, coefficient_high;
  for (const ScenarioSensitivity& s : rankings) {
    for (std::size_t i = 0; i < s.sensitivity.ranked.size(); ++i) {
      const ParameterSensitivity& p = s.sensitivity.ranked[i];
      scenario.push_back(plan.bases[s.scenario].name);
      parameter.push_back(plan.experiment.parameters[p.parameter].path.text);
      method.emplace_back(method_name(s.sensitivity.method));
      rank.push_back(i + 1);
      importance.push_back(p.importance);
      swing.push_back(p.swing);
      swing_low.push_back(p.swing_low);
      swing_high.push_back(p.swing_high);
      coefficient.push_back(p.coefficient);
      coefficient_low.push_back(p.coefficient_low);
      coefficient_high.push_back(p.coefficient_high);
      beyond_noise.push_back(p.beyond_noise() ? 1 : 0);
      r_squared.push_back(
          s.sensitivity.method == SensitivityMethod::main_effect ? NAN : s.sensitivity.r_squared);
    }
  }
  hdf5::CompoundTable sensitivity(scenario.size());
  sensitivity.add_text("scenario", scenario);
  sensitivity.add_text("parameter", parameter);
  sensitivity.add_text("method", method);
  sensitivity.add_u64("rank", rank);
  sensitivity.add_f64("importance", importance);
  sensitivity.add_f64("swing", swing);
  sensitivity.add_f64("r_squared", r_squared);
  sensitivity.add_f64("swing_ci_low", swing_low);
  sensitivity.add_f64("swing_ci_high", swing_high);
  sensitivity.add_f64("coefficient", coefficient);
  sensitivity.add_f64("coefficient_ci_low", coefficient_low);
  sensitivity.add_f64("coefficient_ci_high", coefficient_high);
  sensitivity.add_u64("beyond_noise", beyond_noise);
  sensitivity.write(root, "sensitivity");
  const H5::DataSet written = root.openDataSet("sensitivity");
  hdf5::write_attribute(written, "metric", plan.experiment.metric);
  const NamedFigure* metric = find_headline_figure(plan.experiment.metric);
  const std::string metric_unit = metric ? std::string(unit_key(metric->unit)) : "number";
  const nlohmann::json sensitivity_units = {
      {"rank", "index"},          {"importance", "number"},
      {"swing", metric_unit},     {"swing_ci_low", metric_unit},
      {"swing_ci_high", metric_unit}, {"r_squared", "ratio"},
      {"coefficient", "number"},  {"coefficient_ci_low", "number"},
      {"coefficient_ci_high", "number"}, {"beyond_noise", "flag"}};
  hdf5::write_attribute(written, "units", sensitivity_units.dump());
  hdf5::write_attribute(written, "interval_method",
                        sensitivity_interval_description(sweep.differences.method,
                                                         sweep.differences.groups,
                                                         plan.experiment.replications));
  if (!sweep.agent_groups.empty()) {
    std::vector<std::uint64_t> every(plan.points.size());
    for (std::size_t k = 0; k < every.size(); ++k) every[k] = k;
    write_agent_groups(root, every, pointers_to(std::span(sweep.agent_groups)),
                       sweep.groups_per_replication);
  }
}

// The unit of a calendar figure as the calendar tables name it.
std::string calendar_unit(std::string_view name) {
  const Figure* f = find_calendar_figure(name);
  if (f == nullptr) throw std::logic_error(fmt::format("no calendar figure '{}'", name));
  return std::string(unit_key(f->unit));
}

// Adds `name`, `name_ci_low` and `name_ci_high` columns and their units.
void add_estimate_columns(hdf5::CompoundTable& table, nlohmann::json& units,
                          const std::string& name, std::span<const Estimate> estimates) {
  std::vector<double> value, low, high;
  for (const Estimate& e : estimates) {
    value.push_back(e.value);
    low.push_back(e.low);
    high.push_back(e.high);
  }
  table.add_f64(name, std::move(value));
  table.add_f64(name + "_ci_low", std::move(low));
  table.add_f64(name + "_ci_high", std::move(high));
  const std::string unit = calendar_unit(name);
  units[name] = unit;
  units[name + "_ci_low"] = unit;
  units[name + "_ci_high"] = unit;
}

nlohmann::json parameter_units(const SweepPlan& plan) {
  nlohmann::json units = {{"point", "index"}, {"scenario_index", "index"}};
  for (const ExperimentParameter& p : plan.experiment.parameters) {
    const std::string_view unit = parameter_unit(p.path);
    units[p.path.text] = unit.empty() ? "number" : unit;
  }
  return units;
}

// A calendar sweep's paired differences of its calendar figures from the reference point:
// `calendar_differences`, a row per design point (the run's figures), and
// `calendar_resource_differences`, a row per design point and resource, each figure with its
// interval; paired by replication (the agents of calendar journeys interact).
void write_calendar_differences(H5::Group& root, const SweepPlan& plan, const SweepFigures& sweep) {
  const std::vector<CalendarPointDifference>& d = sweep.calendar_differences;
  if (d.size() != plan.points.size()) {
    throw std::logic_error("the calendar differences of every design point are needed");
  }
  const auto attributes = [&](const std::string& name, const nlohmann::json& units) {
    const H5::DataSet written = root.openDataSet(name);
    hdf5::write_attribute(written, "units", units.dump());
    hdf5::write_attribute(written, "reference_point", std::uint64_t{sweep.differences.reference.point});
    hdf5::write_attribute(written, "reference", sweep.differences.reference.why);
    hdf5::write_attribute(written, "method", std::string(kReplicationsMethod));
    hdf5::write_attribute(written, "method_description",
                          pairing_description(kReplicationsMethod, 0, plan.experiment.replications) +
                              " (calendar journeys' agents share queues and staff: groups of "
                              "them are not independent)");
  };
  std::vector<std::size_t> all_points(plan.points.size());
  for (std::size_t k = 0; k < all_points.size(); ++k) all_points[k] = k;
  hdf5::CompoundTable points(all_points.size());
  nlohmann::json units = parameter_units(plan);
  add_point_columns(points, plan, all_points);
  for (std::size_t c = 0; c < kCalendarPointColumns.size(); ++c) {
    std::vector<Estimate> column;
    for (const CalendarPointDifference& p : d) column.push_back(p.run.at(c));
    add_estimate_columns(points, units, kCalendarPointColumns[c].first, column);
  }
  points.write(root, "calendar_differences");
  attributes("calendar_differences", units);

  std::vector<std::size_t> point_of_row;
  std::vector<std::string> id;
  std::vector<const std::vector<Estimate>*> rows;
  for (std::size_t k = 0; k < d.size(); ++k) {
    for (std::size_t i = 0; i < d[k].resource_ids.size(); ++i) {
      point_of_row.push_back(k);
      id.push_back(d[k].resource_ids[i]);
      rows.push_back(&d[k].resources[i]);
    }
  }
  hdf5::CompoundTable resources(rows.size());
  nlohmann::json resource_units = parameter_units(plan);
  add_point_columns(resources, plan, point_of_row);
  resources.add_text("resource", id);
  for (std::size_t c = 0; c < kResourceColumns.size(); ++c) {
    std::vector<Estimate> column;
    for (const std::vector<Estimate>* r : rows) column.push_back(r->at(c));
    add_estimate_columns(resources, resource_units, kResourceColumns[c].first, column);
  }
  resources.write(root, "calendar_resource_differences");
  attributes("calendar_resource_differences", resource_units);
}

// A calendar sweep's figures: `calendar_points`, a row per design point with the run's
// calendar figures (the plain ones are in `points`), and `calendar_resources`, a row per
// design point and resource.
void write_calendar_tables(H5::Group& root, const SweepPlan& plan, const SweepFigures& sweep) {
  std::vector<std::size_t> all_points(plan.points.size());
  for (std::size_t k = 0; k < all_points.size(); ++k) all_points[k] = k;
  std::vector<const CalendarSummary*> summaries;
  for (const PointFigures& f : sweep.points) {
    if (!f.calendar) throw std::logic_error("a calendar design point without its figures");
    summaries.push_back(&*f.calendar);
  }

  hdf5::CompoundTable points(all_points.size());
  nlohmann::json units = parameter_units(plan);
  add_point_columns(points, plan, all_points);
  using Count = std::uint64_t CalendarSummary::*;
  const std::array<std::pair<const char*, Count>, 6> counts = {{
      {"journeys", &CalendarSummary::journeys},
      {"organic_agents", &CalendarSummary::organic_agents},
      {"referred_agents", &CalendarSummary::referred_agents},
      {"deterred", &CalendarSummary::deterred},
      {"customers", &CalendarSummary::customers},
      {"abandoned", &CalendarSummary::abandoned},
  }};
  for (const auto& [name, member] : counts) {
    std::vector<std::uint64_t> column;
    for (const CalendarSummary* c : summaries) column.push_back(c->*member);
    points.add_u64(name, column);
    units[name] = "count";
  }
  for (const auto& [name, member] : kCalendarPointColumns) {
    std::vector<Estimate> column;
    for (const CalendarSummary* c : summaries) column.push_back(c->*member);
    add_estimate_columns(points, units, name, column);
  }
  points.write(root, "calendar_points");
  hdf5::write_attribute(root.openDataSet("calendar_points"), "units", units.dump());

  std::vector<std::size_t> point_of_row;
  std::vector<const ResourceFigures*> rows;
  for (std::size_t k = 0; k < summaries.size(); ++k) {
    for (const ResourceFigures& r : summaries[k]->resources) {
      point_of_row.push_back(k);
      rows.push_back(&r);
    }
  }
  hdf5::CompoundTable resources(rows.size());
  nlohmann::json resource_units = parameter_units(plan);
  add_point_columns(resources, plan, point_of_row);
  std::vector<std::string> id, lane;
  std::vector<std::uint64_t> arrivals, served, abandoned;
  for (const ResourceFigures* r : rows) {
    id.push_back(r->id);
    lane.push_back(r->lane);
    arrivals.push_back(r->arrivals);
    served.push_back(r->served);
    abandoned.push_back(r->abandoned);
  }
  resources.add_text("resource", id);
  resources.add_text("lane", lane);
  resources.add_u64("arrivals", arrivals);
  resources.add_u64("served", served);
  resources.add_u64("abandoned", abandoned);
  for (const char* name : {"arrivals", "served", "abandoned"}) resource_units[name] = "count";
  for (const auto& [name, member] : kResourceColumns) {
    std::vector<Estimate> column;
    for (const ResourceFigures* r : rows) column.push_back(r->*member);
    add_estimate_columns(resources, resource_units, name, column);
  }
  resources.write(root, "calendar_resources");
  hdf5::write_attribute(root.openDataSet("calendar_resources"), "units", resource_units.dump());
  write_calendar_differences(root, plan, sweep);
}

Estimate read_estimate(const std::vector<double>& value, const std::vector<double>& low,
                       const std::vector<double>& high, std::size_t row) {
  return {value.at(row), low.at(row), high.at(row)};
}

std::vector<StoredCalendarPoint> read_calendar_tables(const H5::Group& root, std::size_t n) {
  std::vector<StoredCalendarPoint> out(n);
  const H5::DataSet points = hdf5::open_dataset(root, "calendar_points");
  const auto u64 = [](const H5::DataSet& table, const char* name, std::size_t rows) {
    std::vector<std::uint64_t> column = hdf5::read_u64_column(table, name);
    if (column.size() != rows) {
      throw std::runtime_error(fmt::format("{}: a value per row is needed", name));
    }
    return column;
  };
  const auto estimates = [](const H5::DataSet& table, const std::string& name, std::size_t rows) {
    const auto value = hdf5::read_f64_column(table, name);
    const auto low = hdf5::read_f64_column(table, name + "_ci_low");
    const auto high = hdf5::read_f64_column(table, name + "_ci_high");
    std::vector<Estimate> column;
    for (std::size_t r = 0; r < rows; ++r) column.push_back(read_estimate(value, low, high, r));
    return column;
  };
  using Count = std::uint64_t StoredCalendarPoint::*;
  const std::array<std::pair<const char*, Count>, 6> counts = {{
      {"journeys", &StoredCalendarPoint::journeys},
      {"organic_agents", &StoredCalendarPoint::organic_agents},
      {"referred_agents", &StoredCalendarPoint::referred_agents},
      {"deterred", &StoredCalendarPoint::deterred},
      {"customers", &StoredCalendarPoint::customers},
      {"abandoned", &StoredCalendarPoint::abandoned},
  }};
  for (const auto& [name, member] : counts) {
    const std::vector<std::uint64_t> column = u64(points, name, n);
    for (std::size_t k = 0; k < n; ++k) out[k].*member = column[k];
  }
  for (const auto& [name, member] : kCalendarPointColumns) {
    const std::vector<Estimate> column = estimates(points, name, n);
    for (std::size_t k = 0; k < n; ++k) out[k].figures.push_back(column[k]);
  }

  const H5::DataSet resources = hdf5::open_dataset(root, "calendar_resources");
  const std::vector<std::uint64_t> point = hdf5::read_u64_column(resources, "point");
  const std::size_t rows = point.size();
  const std::vector<std::string> id = hdf5::read_text_column(resources, "resource");
  const std::vector<std::string> lane = hdf5::read_text_column(resources, "lane");
  const std::vector<std::uint64_t> arrivals = u64(resources, "arrivals", rows);
  const std::vector<std::uint64_t> served = u64(resources, "served", rows);
  const std::vector<std::uint64_t> abandoned = u64(resources, "abandoned", rows);
  std::vector<std::vector<Estimate>> columns;
  for (const auto& [name, member] : kResourceColumns) {
    columns.push_back(estimates(resources, name, rows));
  }
  if (id.size() != rows || lane.size() != rows) {
    throw std::runtime_error("calendar_resources: a value per row is needed");
  }
  for (std::size_t r = 0; r < rows; ++r) {
    if (point[r] >= n) throw std::runtime_error("calendar_resources: point out of range");
    StoredCalendarResource resource{id[r], lane[r], arrivals[r], served[r], abandoned[r], {}};
    for (const std::vector<Estimate>& column : columns) resource.figures.push_back(column[r]);
    out[point[r]].resources.push_back(std::move(resource));
  }
  return out;
}

// The tables write_calendar_differences writes; nothing in a file of a cjsim before them.
std::vector<CalendarPointDifference> read_calendar_differences(const H5::Group& root,
                                                               std::size_t n) {
  if (!hdf5::has_link(root, "calendar_differences")) return {};
  const auto estimates = [](const H5::DataSet& table, const std::string& name, std::size_t rows) {
    const auto value = hdf5::read_f64_column(table, name);
    const auto low = hdf5::read_f64_column(table, name + "_ci_low");
    const auto high = hdf5::read_f64_column(table, name + "_ci_high");
    if (value.size() != rows || low.size() != rows || high.size() != rows) {
      throw std::runtime_error(fmt::format("{}: a value per row is needed", name));
    }
    std::vector<Estimate> column;
    for (std::size_t r = 0; r < rows; ++r) column.push_back(read_estimate(value, low, high, r));
    return column;
  };
  std::vector<CalendarPointDifference> out(n);
  const H5::DataSet points = hdf5::open_dataset(root, "calendar_differences");
  for (const auto& [name, member] : kCalendarPointColumns) {
    const std::vector<Estimate> column = estimates(points, name, n);
    for (std::size_t k = 0; k < n; ++k) out[k].run.push_back(column[k]);
  }
  const H5::DataSet resources = hdf5::open_dataset(root, "calendar_resource_differences");
  const std::vector<std::uint64_t> point = hdf5::read_u64_column(resources, "point");
  const std::vector<std::string> id = hdf5::read_text_column(resources, "resource");
  if (id.size() != point.size()) {
    throw std::runtime_error("calendar_resource_differences: a value per row is needed");
  }
  std::vector<std::vector<Estimate>> columns;
  for (const auto& [name, member] : kResourceColumns) {
    columns.push_back(estimates(resources, name, point.size()));
  }
  for (std::size_t r = 0; r < point.size(); ++r) {
    if (point[r] >= n) throw std::runtime_error("calendar_resource_differences: point out of range");
    out[point[r]].resource_ids.push_back(id[r]);
    std::vector<Estimate>& figures = out[point[r]].resources.emplace_back();
    for (const std::vector<Estimate>& column : columns) figures.push_back(column[r]);
  }
  return out;
}


// The raw aggregates of many design points in few datasets: the points grouped into sets of
// the same journey shape (every point of one base scenario has its base's shape), each set a
// group `set_0`, `set_1`, ... with `points` (the design points, in order) and `raw/`, whose
// first dimension runs over the points' replications, point after point (every point has the
// same number). Some thousands of points then cost a few datasets, not a group of datasets
// each.
// A calendar point's set also holds `calendar_totals`: a row per replication (in the rows'
// order) of the kCalendarTotalColumns, then kResourceTotalColumns of each resource in turn.
using Shape = std::array<std::size_t, 5>;

Shape shape_of(const Aggregate& a, std::size_t resources) {
  const TouchpointTallies* t = a.persona_tallies.empty() ? nullptr : &a.persona_tallies.front();
  return {a.personas.size(), a.transitions.size(), t ? t->visits.size() : 0,
          t ? t->stage_reach.size() : 0, resources};
}

std::size_t calendar_total_columns(std::size_t resources) {
  return kCalendarTotalColumns.size() + resources * kResourceTotalColumns.size();
}

void append_totals(std::vector<double>& row, const CalendarTotals& t) {
  for (const auto& [name, member] : kCalendarTotalColumns) row.push_back(t.*member);
  for (const CalendarResourceTotals& r : t.resources) {
    for (const auto& [name, member] : kResourceTotalColumns) row.push_back(r.*member);
  }
}

CalendarTotals totals_from(std::span<const double> row, std::size_t resources) {
  CalendarTotals t;
  std::size_t c = 0;
  for (const auto& [name, member] : kCalendarTotalColumns) t.*member = row[c++];
  t.resources.resize(resources);
  for (CalendarResourceTotals& r : t.resources) {
    for (const auto& [name, member] : kResourceTotalColumns) r.*member = row[c++];
  }
  return t;
}

void write_point_sets(H5::Group& at, std::span<const std::uint64_t> points,
                      std::span<const std::vector<Aggregate>* const> replications,
                      std::span<const std::vector<CalendarTotals>* const> calendar) {
  if (!calendar.empty() && calendar.size() != points.size()) {
    throw std::logic_error("calendar totals for every design point are needed");
  }
  std::vector<Shape> shapes;
  std::vector<std::vector<std::size_t>> members;
  for (std::size_t j = 0; j < points.size(); ++j) {
    if (replications[j]->empty()) throw std::logic_error("a design point without replications");
    std::size_t resources = 0;
    if (!calendar.empty()) {
      if (calendar[j]->size() != replications[j]->size()) {
        throw std::logic_error("a calendar design point without totals of every replication");
      }
      resources = calendar[j]->front().resources.size();
    }
    const Shape shape = shape_of(replications[j]->front(), resources);
    const auto found = std::find(shapes.begin(), shapes.end(), shape);
    if (found == shapes.end()) {
      shapes.push_back(shape);
      members.push_back({j});
    } else {
      members[static_cast<std::size_t>(found - shapes.begin())].push_back(j);
    }
  }
  for (std::size_t s = 0; s < shapes.size(); ++s) {
    H5::Group set = at.createGroup(fmt::format("set_{}", s));
    std::vector<std::uint64_t> set_points;
    std::vector<const Aggregate*> rows;  // the points' replications in place, not copied
    const std::size_t per_point = replications[members[s].front()]->size();
    for (std::size_t j : members[s]) {
      if (replications[j]->size() != per_point) {
        throw std::logic_error("design points with different replication counts");
      }
      set_points.push_back(points[j]);
      for (const Aggregate& a : *replications[j]) rows.push_back(&a);
    }
    const hsize_t dims[] = {set_points.size()};
    hdf5::write_array<std::uint64_t>(set, "points", dims, set_points);
    hdf5::write_raw_aggregates(set, std::span<const Aggregate* const>(rows));
    if (calendar.empty()) continue;
    std::vector<double> totals;
    for (std::size_t j : members[s]) {
      for (const CalendarTotals& t : *calendar[j]) append_totals(totals, t);
    }
    const std::size_t columns = calendar_total_columns(shapes[s][4]);
    const hsize_t total_dims[] = {rows.size(), columns};
    if (totals.size() != rows.size() * columns) {
      throw std::logic_error("calendar totals of differently shaped resources in one set");
    }
    hdf5::write_array<double>(set, "calendar_totals", total_dims, totals);
    // The raw aggregates have no place for journeys that ended abandoned (only calendar
    // journeys end so): kept beside them, a row per replication, a column per persona.
    std::vector<std::uint64_t> abandoned;
    for (const Aggregate* a : rows) {
      for (const OutcomeSums& p : a->personas) abandoned.push_back(p.abandoned);
    }
    const hsize_t abandoned_dims[] = {rows.size(), shapes[s][0]};
    hdf5::write_array<std::uint64_t>(set, "persona_abandoned", abandoned_dims, abandoned);
  }
}

void read_point_sets(const H5::Group& at, std::vector<std::uint64_t>& points,
                     std::vector<std::vector<Aggregate>>& replications,
                     std::vector<std::vector<CalendarTotals>>& calendar) {
  if (!hdf5::has_link(at, "set_0")) throw std::runtime_error("group set_0 missing");
  for (std::size_t s = 0; hdf5::has_link(at, fmt::format("set_{}", s)); ++s) {
    const std::string name = fmt::format("set_{}", s);
    const H5::Group set = hdf5::open_group(at, name);
    const auto set_points = hdf5::read_array<std::uint64_t>(set, "points");
    std::vector<Aggregate> rows = hdf5::read_raw_aggregates(set);
    const std::size_t count = set_points.values.size();
    const std::size_t per_point = count == 0 ? 0 : rows.size() / count;
    if (set_points.dims.size() != 1 || per_point == 0 || rows.size() != count * per_point) {
      throw std::runtime_error(name + ": the raw aggregates do not match its points");
    }
    const bool has_totals = hdf5::has_link(set, "calendar_totals");
    if (s > 0 && has_totals != !calendar.empty()) {
      throw std::runtime_error(name + ": calendar totals in some sets of points only");
    }
    hdf5::Array<double> totals;
    std::size_t resources = 0;
    if (has_totals) {
      totals = hdf5::read_array<double>(set, "calendar_totals");
      const std::size_t columns = totals.dims.size() == 2 ? totals.dims[1] : 0;
      if (totals.dims.size() != 2 || totals.dims[0] != rows.size() ||
          columns < kCalendarTotalColumns.size() ||
          (columns - kCalendarTotalColumns.size()) % kResourceTotalColumns.size() != 0) {
        throw std::runtime_error(name + ": the calendar totals do not match its points");
      }
      resources = (columns - kCalendarTotalColumns.size()) / kResourceTotalColumns.size();
      const auto abandoned = hdf5::read_array<std::uint64_t>(set, "persona_abandoned");
      const std::size_t personas = rows.front().personas.size();
      if (abandoned.dims.size() != 2 || abandoned.dims[0] != rows.size() ||
          abandoned.dims[1] != personas) {
        throw std::runtime_error(name + ": persona_abandoned does not match its points");
      }
      for (std::size_t r = 0; r < rows.size(); ++r) {
        for (std::size_t p = 0; p < personas; ++p) {
          rows[r].personas[p].abandoned = abandoned.values[r * personas + p];
        }
      }
    }
    const std::size_t columns = calendar_total_columns(resources);
    for (std::size_t j = 0; j < set_points.values.size(); ++j) {
      points.push_back(set_points.values[j]);
      replications.emplace_back(std::make_move_iterator(rows.begin() + j * per_point),
                                std::make_move_iterator(rows.begin() + (j + 1) * per_point));
      if (!has_totals) continue;
      std::vector<CalendarTotals>& point = calendar.emplace_back();
      for (std::size_t r = j * per_point; r < (j + 1) * per_point; ++r) {
        point.push_back(totals_from(std::span(totals.values).subspan(r * columns, columns),
                                    resources));
      }
    }
  }
}

}  // namespace

std::string sweep_part_name(std::uint64_t sequence) {
  return fmt::format("batch-{:06}.h5", sequence);
}

bool is_sweep_part_name(std::string_view name) {
  return (name.starts_with("batch-") || name.starts_with("point-")) && name.ends_with(".h5") &&
         name.find(".tmp-") == std::string_view::npos;
}

std::vector<char> sweep_part_image(const SweepPart& part) {
  const std::vector<const std::vector<Aggregate>*> replications =
      pointers_to(std::span(part.replications));
  const std::vector<const std::vector<CalendarTotals>*> calendar =
      pointers_to(std::span(part.calendar));
  const std::vector<const std::vector<AgentGroupFigures>*> groups =
      pointers_to(std::span(part.groups));
  return sweep_part_image(
      SweepPartView{part.fingerprint, part.points, replications, calendar, groups});
}

std::vector<char> sweep_part_image(const SweepPartView& part) {
  if (part.points.size() != part.replications.size()) {
    throw std::logic_error("sweep_part_image: replications for every point are needed");
  }
  if (!part.groups.empty() && part.groups.size() != part.points.size()) {
    throw std::logic_error("sweep_part_image: agent groups for every point are needed");
  }
  H5::Exception::dontPrint();
  try {
    return hdf5::checksummed_file_image([&](H5::Group& root) {
      hdf5::write_attribute(root, "format", kPartFormat);
      hdf5::write_attribute(root, "format_version", kSweepFormatVersion);
      hdf5::write_attribute(root, "fingerprint", part.fingerprint);
      hdf5::write_attribute(root, "points", std::uint64_t{part.points.size()});
      hdf5::write_checksum(root);
      write_point_sets(root, part.points, part.replications, part.calendar);
      if (!part.groups.empty()) {
        write_agent_groups(root, part.points, part.groups,
                           part.groups.front()->size() / part.replications.front()->size());
      }
    }).to_vector();
  } catch (const H5::Exception& e) {
    throw std::runtime_error(fmt::format("cannot store {} design points: {}", part.points.size(),
                                         hdf5::describe(e)));
  }
}

void write_sweep_part_image(const std::string& path, std::span<const char> image) {
  // Synced by write(): a part is a promise that its points are done, which must survive a
  // crash of the machine too.
  PendingFile part(path, Overwrite::replace);
  part.write(std::string_view(image.data(), image.size()));
  part.commit();
}

namespace {

SweepPart read_part(const H5::Group& root) {
  if (hdf5::read_text_attribute(root, "format") != kPartFormat) {
    throw std::runtime_error("not a sweep part file");
  }
  if (!check_version(root)) throw std::runtime_error("a part without checksums");
  SweepPart part;
  part.fingerprint = hdf5::read_text_attribute(root, "fingerprint");
  if (hdf5::read_u64_attribute(root, "format_version") < 3) {
    // Format 2: one point, its raw aggregates at the root.
    part.points.push_back(hdf5::read_u64_attribute(root, "point"));
    part.replications.push_back(hdf5::read_raw_aggregates(root));
    return part;
  }
  read_point_sets(root, part.points, part.replications, part.calendar);
  if (part.points.size() != hdf5::read_u64_attribute(root, "points")) {
    throw std::runtime_error("the part holds fewer points than it says");
  }
  // Parts of a cjsim before agent groups have none: their sweep pairs by replication.
  if (hdf5::has_link(root, "agent_groups")) {
    std::uint64_t per_replication = 0;
    auto stored = read_agent_groups(root, per_replication);
    std::sort(stored.begin(), stored.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t j = 0; j < part.points.size(); ++j) {
      const auto found = std::lower_bound(
          stored.begin(), stored.end(), part.points[j],
          [](const auto& entry, std::uint64_t point) { return entry.first < point; });
      if (found == stored.end() || found->first != part.points[j] ||
          found->second.size() != part.replications[j].size() * per_replication) {
        throw std::runtime_error(fmt::format(
            "agent_groups: the groups of point {} do not match its replications",
            part.points[j]));
      }
      part.groups.push_back(std::move(found->second));
    }
  }
  return part;
}

}  // namespace

SweepPart read_sweep_part(const std::string& path) {
  H5::Exception::dontPrint();
  try {
    // A part without checksums (of an older cjsim) is run again rather than trusted.
    if (!hdf5::check_file_bytes(path)) throw std::runtime_error("a part without checksums");
    H5::H5File file(path, H5F_ACC_RDONLY);
    return read_part(file.openGroup("/"));
  } catch (const H5::Exception& e) {
    throw std::runtime_error(path + ": " + hdf5::describe(e));
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

SweepPart read_sweep_part_image(std::span<const char> image, const std::string& what) {
  H5::Exception::dontPrint();
  SweepPart part;
  try {
    hdf5::read_file_image(image, [&](const H5::Group& root) { part = read_part(root); });
  } catch (const H5::Exception& e) {
    throw std::runtime_error(what + ": " + hdf5::describe(e));
  } catch (const std::exception& e) {
    throw std::runtime_error(what + ": " + e.what());
  }
  return part;
}

void write_sweep_file(PendingFile& file, const SweepPlan& plan, const SweepFigures& figures,
                      std::span<const std::vector<Aggregate>> results,
                      const SweepInvocation& invocation,
                      std::span<const std::vector<CalendarTotals>> calendar) {
  if (results.size() != plan.points.size() || figures.points.size() != plan.points.size()) {
    throw std::logic_error("write_sweep_file: a result per design point is needed");
  }
  write_hdf5_file(file, [&](H5::Group& root) {
    write_attributes(root, plan, invocation);
    write_parameters(root, plan);
    write_tables(root, plan, figures);
    if (is_calendar_plan(plan)) write_calendar_tables(root, plan, figures);
    H5::Group runs = root.createGroup("runs");
    std::vector<std::uint64_t> all(results.size());
    for (std::size_t k = 0; k < all.size(); ++k) all[k] = k;
    write_point_sets(runs, all, pointers_to(results), pointers_to(calendar));
  });
}

bool is_sweep_file(const std::string& path) {
  H5::Exception::dontPrint();
  try {
    hdf5::check_file_bytes(path);
    if (!H5::H5File::isHdf5(path)) return false;
    H5::H5File file(path, H5F_ACC_RDONLY);
    const H5::Group root = file.openGroup("/");
    return root.attrExists("format") && hdf5::read_text_attribute(root, "format") == kSweepFormat;
  } catch (const std::exception&) {
    return false;
  } catch (const H5::Exception&) {
    return false;
  }
}

namespace {

// The replications table into s.replication_figures: its rows run point after point, each
// point's replications in order, every point with s.replications of them.
void read_replication_figures(const H5::Group& root, StoredSweep& s) {
  const H5::DataSet rows = hdf5::open_dataset(root, "replications");
  const auto point = hdf5::read_u64_column(rows, "point");
  const std::size_t n = s.figures.size();
  if (s.replications == 0 || point.size() != n * s.replications) {
    throw std::runtime_error("replications: not one row per design point and replication");
  }
  s.replication_figures.assign(n, std::vector<FigureValues>(s.replications));
  std::vector<std::string> names;
  for (std::size_t f = 0; f < kSweepFigureCount; ++f) names.emplace_back(kHeadlineFigures[f].name);
  const std::vector<std::vector<double>> values = hdf5::read_f64_columns(rows, names);
  for (std::size_t f = 0; f < kSweepFigureCount; ++f) {
    const std::vector<double>& value = values[f];
    for (std::size_t i = 0; i < point.size(); ++i) {
      if (point[i] != i / s.replications) {
        throw std::runtime_error("replications: the rows are not in the order of the points");
      }
      s.replication_figures[i / s.replications][i % s.replications][f] = value[i];
    }
  }
}

void read_differences(const H5::Group& root, StoredSweep& s) {
  if (!hdf5::has_link(root, "differences")) return;  // a file of a cjsim before differences
  const H5::DataSet table = hdf5::open_dataset(root, "differences");
  const std::size_t n = s.figures.size();
  s.differences.reference.point = hdf5::read_u64_attribute(table, "reference_point");
  s.differences.reference.why = hdf5::read_text_attribute(table, "reference");
  if (s.differences.reference.point >= n) {
    throw std::runtime_error("differences: reference_point is not a design point");
  }
  // Files before agent groups describe their pairing by replication in a sentence.
  if (hdf5::read_text_attribute(table, "method") == kAgentGroupsMethod) {
    s.differences.method = kAgentGroupsMethod;
    s.differences.groups = hdf5::read_u64_attribute(table, "agent_groups");
  }
  s.differences.difference.assign(n, {});
  s.differences.unpaired_half_width.assign(n, {});
  std::vector<std::string> names;
  for (std::size_t f = 0; f < kSweepFigureCount; ++f) {
    const std::string name = kHeadlineFigures[f].name;
    for (const char* suffix : {"", "_ci_low", "_ci_high", "_unpaired_half_width"}) {
      names.push_back(name + suffix);
    }
  }
  const std::vector<std::vector<double>> columns = hdf5::read_f64_columns(table, names);
  for (std::size_t f = 0; f < kSweepFigureCount; ++f) {
    const std::vector<double>& value = columns[4 * f];
    const std::vector<double>& low = columns[4 * f + 1];
    const std::vector<double>& high = columns[4 * f + 2];
    const std::vector<double>& unpaired = columns[4 * f + 3];
    if (value.size() != n) throw std::runtime_error("differences: not one row per design point");
    for (std::size_t k = 0; k < n; ++k) {
      s.differences.difference[k][f] = {value[k], low[k], high[k]};
      s.differences.unpaired_half_width[k][f] = unpaired[k];
    }
  }
}

// check_bytes: whether the whole file's checksum (and its heaps) are read through first;
// groups: whether the agent groups are read (else they are left empty).
StoredSweep read_sweep_file(const std::string& path, bool check_bytes, bool groups) {
  H5::Exception::dontPrint();
  try {
    const bool whole_file_checked = !check_bytes || hdf5::check_file_bytes(path);
    H5::H5File file(path, H5F_ACC_RDONLY);
    H5::Group root = file.openGroup("/");
    if (!root.attrExists("format") || hdf5::read_text_attribute(root, "format") != kSweepFormat) {
      throw std::runtime_error("not a sweep file (cjsim sweep --out writes them)");
    }
    StoredSweep s;
    s.checksummed = check_version(root);
    if (s.checksummed && !whole_file_checked) throw hdf5::missing_file_checksum();
    s.experiment_name = hdf5::read_text_attribute(root, "experiment_name");
    s.experiment_path = hdf5::read_text_attribute(root, "experiment_path");
    s.design = hdf5::read_text_attribute(root, "design");
    s.metric = hdf5::read_text_attribute(root, "metric");
    s.fingerprint = hdf5::read_text_attribute(root, "fingerprint");
    s.agents = hdf5::read_u64_attribute(root, "agents");
    s.replications = hdf5::read_u64_attribute(root, "replications");
    s.seed = hdf5::read_u64_attribute(root, "seed");
    const auto scenarios = nlohmann::json::parse(hdf5::read_text_attribute(root, "scenarios"));
    for (const auto& scenario : scenarios)
      s.scenarios.push_back(scenario.at("name").get<std::string>());
    s.parameters = hdf5::read_text_column(hdf5::open_dataset(root, "parameters"), "parameter");
    const H5::DataSet points = hdf5::open_dataset(root, "points");
    s.scenario_of_point = hdf5::read_u64_column(points, "scenario_index");
    const std::size_t n = s.scenario_of_point.size();
    for (std::uint64_t index : s.scenario_of_point) {
      if (index >= s.scenarios.size())
        throw std::runtime_error("points: scenario_index out of range");
    }
    s.values.assign(n, std::vector<double>(s.parameters.size()));
    const std::vector<std::vector<double>> values = hdf5::read_f64_columns(points, s.parameters);
    for (std::size_t j = 0; j < s.parameters.size(); ++j) {
      for (std::size_t k = 0; k < n; ++k) s.values[k][j] = values[j][k];
    }
    s.figures.assign(n, {});
    std::vector<std::string> names;
    for (std::size_t f = 0; f < kHeadlineFigures.size(); ++f) {
      const std::string name = kHeadlineFigures[f].name;
      for (const char* suffix : {"", "_ci_low", "_ci_high"}) names.push_back(name + suffix);
    }
    const std::vector<std::vector<double>> columns = hdf5::read_f64_columns(points, names);
    for (std::size_t f = 0; f < kHeadlineFigures.size(); ++f) {
      const std::vector<double>& value = columns[3 * f];
      const std::vector<double>& low = columns[3 * f + 1];
      const std::vector<double>& high = columns[3 * f + 2];
      for (std::size_t k = 0; k < n; ++k) s.figures[k][f] = {value[k], low[k], high[k]};
    }
    if (hdf5::has_column(points, "lost")) s.lost = hdf5::read_u64_column(points, "lost");
    read_replication_figures(root, s);
    read_differences(root, s);
    if (groups && hdf5::has_link(root, "agent_groups")) {
      auto stored = read_agent_groups(root, s.groups_per_replication);
      if (stored.size() != n) {
        throw std::runtime_error("agent_groups: not the groups of every design point");
      }
      for (std::size_t k = 0; k < n; ++k) {
        if (stored[k].first != k ||
            stored[k].second.size() != s.groups_per_replication * s.replications) {
          throw std::runtime_error("agent_groups: the rows are not in the order of the points");
        }
        s.agent_groups.push_back(std::move(stored[k].second));
      }
    }
    if (hdf5::has_link(root, "calendar_points")) {
      s.days = static_cast<std::int64_t>(hdf5::read_u64_attribute(root, "days"));
      s.warmup_days = static_cast<std::int64_t>(hdf5::read_u64_attribute(root, "warmup_days"));
      s.calendar = read_calendar_tables(root, n);
      s.calendar_differences = read_calendar_differences(root, n);
    }
    return s;
  } catch (const H5::Exception& e) {
    throw std::runtime_error(path + ": not a readable cjsim sweep file (" + hdf5::describe(e) + ")");
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(path + ": the scenarios attribute is not valid: " + e.what());
  } catch (const std::exception& e) {
    const std::string message = e.what();
    if (message.starts_with(path)) throw;
    throw std::runtime_error(path + ": " + message);
  }
}

}  // namespace

StoredSweep read_sweep_file(const std::string& path) {
  return read_sweep_file(path, true, true);
}

StoredSweep read_written_sweep_file(const std::string& path,
                                    std::vector<std::vector<AgentGroupFigures>> groups,
                                    std::uint64_t groups_per_replication) {
  StoredSweep s = read_sweep_file(path, false, false);
  if (!groups.empty()) {
    if (groups.size() != s.scenario_of_point.size()) {
      throw std::logic_error("read_written_sweep_file: not the agent groups of every point");
    }
    s.agent_groups = std::move(groups);
    s.groups_per_replication = groups_per_replication;
  }
  return s;
}

bool verify_sweep_file(const std::string& path) {
  const StoredSweep sweep = read_sweep_file(path);
  H5::Exception::dontPrint();
  try {
    H5::H5File file(path, H5F_ACC_RDONLY);
    const H5::Group root = file.openGroup("/");
    hdf5::verify_everything(root);
    const std::uint64_t points = hdf5::read_u64_attribute(root, "points");
    if (points != sweep.scenario_of_point.size()) {
      throw std::runtime_error("the points table does not hold every design point");
    }
    const H5::Group runs = hdf5::open_group(root, "runs");
    if (hdf5::read_u64_attribute(root, "format_version") < 3) {
      for (std::uint64_t k = 0; k < points; ++k) {
        (void)hdf5::read_raw_aggregates(hdf5::open_group(runs, run_group_name(k)));
      }
    } else {
      std::vector<std::uint64_t> stored;
      std::vector<std::vector<Aggregate>> replications;
      std::vector<std::vector<CalendarTotals>> calendar;
      read_point_sets(runs, stored, replications, calendar);
      if (!sweep.calendar.empty() && calendar.size() != stored.size()) {
        throw std::runtime_error("runs: the calendar totals of some design points are missing");
      }
      std::vector<bool> seen(points, false);
      for (std::uint64_t k : stored) {
        if (k >= points || seen[k]) {
          throw std::runtime_error("runs: a design point twice or out of range");
        }
        seen[k] = true;
      }
      if (stored.size() != points) {
        throw std::runtime_error("runs: not every design point is stored");
      }
    }
    return sweep.checksummed;
  } catch (const H5::Exception& e) {
    throw std::runtime_error(path + ": " + hdf5::describe(e));
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

}  // namespace cjsim
