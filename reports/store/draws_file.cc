// The draws of a run or comparison with uncertain inputs <-> the group "uncertainty" of its
// result file.
#include "reports/store/draws_file.h"

#include <H5Cpp.h>
#include <fmt/format.h>

#include <array>
#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "reports/store/hdf5_checksum.h"
#include "reports/store/hdf5_io.h"
#include "reports/store/hdf5_results.h"
#include "reports/store/hdf5_table.h"
#include "sim/engine/calendar_comparison.h"
#include "sim/engine/calendar_figures.h"
#include "sim/engine/figures.h"

namespace cjsim {

namespace {

constexpr const char* kDrawsGroup = "uncertainty";

std::string unit_of(std::string_view figure) {
  const Figure* f = find_calendar_figure(figure);
  return std::string(unit_key(f ? f->unit : Unit::count));
}

// A table with a `units` attribute (column -> unit), as calendar files write theirs.
struct UnitsTable {
  hdf5::CompoundTable table;
  nlohmann::json units = nlohmann::json::object();
  explicit UnitsTable(std::size_t rows) : table(rows) {}
  void write(H5::Group& group, const std::string& name) const {
    table.write(group, name);
    hdf5::write_attribute(group.openDataSet(name), "units", units.dump());
  }
};

// Each figure's range (its central interval and its range over the draws) as the table
// `name`: scenario, figure, unit and the five numbers. With `resource_column`, a figure
// written RESOURCE.FIGURE is split into the columns `figure` and `resource` (empty for a
// journey's own figures), as calendar files keep them.
void write_figure_ranges(H5::Group& group, const std::string& name,
                         const std::vector<std::string>& labels,
                         const std::vector<DrawsDigest::FigureRange>& figures,
                         bool resource_column) {
  std::vector<std::string> scenario, figure, resource, unit;
  std::vector<std::uint64_t> index;
  std::vector<double> value, low, high, u_low, u_high;
  for (const DrawsDigest::FigureRange& f : figures) {
    const std::size_t dot = resource_column ? f.figure.rfind('.') : std::string::npos;
    const std::string own = dot == std::string::npos ? f.figure : f.figure.substr(dot + 1);
    scenario.push_back(labels[f.scenario]);
    index.push_back(f.scenario);
    figure.push_back(own);
    resource.push_back(dot == std::string::npos ? "" : f.figure.substr(0, dot));
    unit.push_back(unit_of(own));
    value.push_back(f.central.value);
    low.push_back(f.central.low);
    high.push_back(f.central.high);
    u_low.push_back(f.over_draws.low);
    u_high.push_back(f.over_draws.high);
  }
  hdf5::CompoundTable table(scenario.size());
  table.add_text("scenario", scenario);
  table.add_u64("scenario_index", index);
  table.add_text("figure", figure);
  if (resource_column) table.add_text("resource", resource);
  table.add_text("unit", unit);
  table.add_f64("value", value);
  table.add_f64("ci_low", low);
  table.add_f64("ci_high", high);
  table.add_f64("uncertainty_low", u_low);
  table.add_f64("uncertainty_high", u_high);
  table.write(group, name);
}

std::vector<std::uint64_t> draw_numbers(std::size_t n) {
  std::vector<std::uint64_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = i;
  return out;
}

}  // namespace

bool DrawsDigest::has_totals() const {
  for (const Ranked& r : sensitivity) {
    if (std::isfinite(r.index.total)) return true;
  }
  return false;
}

DrawsDigest digest_draw_odds(std::size_t scenarios, const UncertaintyReport& u,
                             const std::string& ranked_on) {
  DrawsDigest d;
  d.draws = u.draws;
  d.runs = u.draws * (1 + u.frozen.size());
  d.design = u.frozen.empty() ? "latin hypercube"
                              : "latin hypercube, and pick-freeze draws from a second one for "
                                "total effects";
  d.estimator = u.estimator;
  d.ranked_on = ranked_on;
  d.design_seed = u.design_seed;
  d.total_effects = !u.frozen.empty();
  d.inputs = u.inputs;
  const bool lower = ranked_lower_is_better(ranked_on);
  for (std::size_t s = 1; s < scenarios; ++s) {
    DrawsDigest::FutureState state;
    state.scenario = s;
    state.gain = difference_uncertainty(difference_over_draws(u, s, 0, ranked_on), lower);
    for (std::size_t t = 0; t < scenarios; ++t) {
      state.probability_beats.push_back(t == s ? kNaN : probability_beats(u, s, t, ranked_on));
    }
    d.future_states.push_back(std::move(state));
  }
  for (const SensitivityOf& s : u.sensitivity) {
    d.ranked_figures.push_back(
        {s.scenario, s.figure, s.result.classes, s.result.draws, s.result.variance});
    for (const SensitivityIndex& i : s.result.ranked) {
      d.sensitivity.push_back(
          {s.scenario, s.figure, u.inputs[i.input].path, u.inputs[i.input].distribution, i});
    }
  }
  return d;
}

DrawsDigest digest_draws(const std::vector<Summary>& central, const UncertaintyReport& u,
                         const std::string& ranked_on) {
  DrawsDigest d = digest_draw_odds(central.size(), u, ranked_on);
  for (std::size_t s = 0; s < central.size(); ++s) {
    for (const Figure& f : kHeadlineFigures) {
      d.figures.push_back({s, f.name, central[s].overall.*f.member,
                           interval_over_draws(figure_over_draws(u, s, f.name))});
    }
  }
  return d;
}

const DrawsDigest::FigureRange* CalendarDrawsDigest::range(std::size_t scenario,
                                                           std::string_view figure) const {
  for (const DrawsDigest::FigureRange& f : figures) {
    if (f.scenario == scenario && f.figure == figure) return &f;
  }
  return nullptr;
}

namespace {

// A calendar summary's figures with an interval, by the key each has in `run --json`.
using CalendarGet = Estimate (*)(const CalendarSummary&);
struct CalendarKeyed {
  const char* key;
  CalendarGet get;
};
constexpr std::array<CalendarKeyed, 9> kCalendarRunFigures = {{
    {"conversion_rate", [](const CalendarSummary& s) { return s.plain.overall.conversion_rate; }},
    {"gave_up_rate", [](const CalendarSummary& s) { return s.plain.overall.gave_up_rate; }},
    {"revenue_per_agent",
     [](const CalendarSummary& s) { return s.plain.overall.revenue_per_agent; }},
    {"nps", [](const CalendarSummary& s) { return s.plain.overall.nps; }},
    {"lifetime_value", [](const CalendarSummary& s) { return s.lifetime_value; }},
    {"journeys_per_customer", [](const CalendarSummary& s) { return s.journeys_per_customer; }},
    {"staff_cost", [](const CalendarSummary& s) { return s.staff_cost; }},
    {"organic_agents_per_day", [](const CalendarSummary& s) { return s.organic_agents_per_day; }},
    {"referred_per_organic", [](const CalendarSummary& s) { return s.referred_per_organic; }},
}};

const ResourceFigures* resource_named(const CalendarSummary& s, std::string_view id) {
  for (const ResourceFigures& r : s.resources) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

}  // namespace

CalendarDrawsDigest digest_calendar_draws(const CalendarComparisonReport& central,
                                          const std::vector<std::vector<CalendarSummary>>& draws,
                                          const UncertaintyReport& u,
                                          const std::string& ranked_on) {
  const std::size_t scenarios = central.summaries.size();
  for (const std::vector<CalendarSummary>& d : draws) {
    if (d.size() != scenarios) {
      throw std::invalid_argument("every draw must hold a summary of each calendar journey");
    }
  }
  CalendarDrawsDigest out;
  std::vector<Summary> plain;
  for (const CalendarSummary& s : central.summaries) plain.push_back(s.plain);
  out.digest = digest_draws(plain, u, ranked_on);
  for (std::size_t s = 0; s < scenarios; ++s) {
    const CalendarSummary& at_means = central.summaries[s];
    for (const CalendarKeyed& f : kCalendarRunFigures) {
      std::vector<double> values;
      for (const std::vector<CalendarSummary>& d : draws) values.push_back(f.get(d[s]).value);
      out.figures.push_back({s, f.key, f.get(at_means), interval_over_draws(values)});
    }
    for (const ResourceFigures& r : at_means.resources) {
      for (const auto& [name, member] : kResourceColumns) {
        std::vector<double> values;
        for (const std::vector<CalendarSummary>& d : draws) {
          const ResourceFigures* drawn = resource_named(d[s], r.id);
          values.push_back(drawn ? (drawn->*member).value : kNaN);
        }
        out.figures.push_back(
            {s, r.id + "." + name, r.*member, interval_over_draws(values)});
      }
    }
  }
  // The draws' differences list every future state's rows in turn (plain_differences).
  for (std::size_t s = 1; s < scenarios; ++s) {
    std::vector<std::vector<Difference>> per_draw;
    for (const std::vector<Difference>& list : u.differences) {
      std::vector<Difference>& mine = per_draw.emplace_back();
      for (const Difference& d : list) {
        if (d.scenario == s && d.versus == 0) mine.push_back(d);
      }
    }
    out.differences.push_back(differences_uncertainty(per_draw));
  }
  return out;
}

void write_draws(H5::Group& root, const std::vector<std::string>& labels,
                 const std::vector<Summary>& central, const UncertaintyReport& u,
                 const std::string& ranked_on) {
  const DrawsDigest d = digest_draws(central, u, ranked_on);
  H5::Group group = root.createGroup(kDrawsGroup);
  hdf5::write_attribute(group, "draws", std::uint64_t{d.draws});
  hdf5::write_attribute(group, "runs", std::uint64_t{d.runs});
  hdf5::write_attribute(group, "design", d.design);
  hdf5::write_attribute(group, "design_seed", u.design_seed);
  hdf5::write_attribute(group, "interval",
                        "the central 95% of the draws (2.5% and 97.5% quantiles)");
  hdf5::write_attribute(group, "estimator", d.estimator);
  hdf5::write_attribute(group, "ranked_on", ranked_on);
  hdf5::write_checksum(group);

  {
    hdf5::CompoundTable inputs(d.inputs.size());
    std::vector<std::string> path, distribution;
    for (const UncertainInputReport& i : d.inputs) {
      path.push_back(i.path);
      distribution.push_back(i.distribution);
    }
    inputs.add_text("input", path);
    inputs.add_text("distribution", distribution);
    inputs.write(group, "inputs");
  }
  {
    hdf5::CompoundTable parameters(u.draws);
    parameters.add_u64("draw", draw_numbers(u.draws));
    for (std::size_t j = 0; j < d.inputs.size(); ++j) {
      std::vector<double> value, quantile;
      for (std::size_t k = 0; k < u.draws; ++k) {
        value.push_back(k < u.values.size() ? u.values[k][j] : kNaN);
        quantile.push_back(u.quantiles[k][j]);
      }
      parameters.add_f64(d.inputs[j].path, value);
      parameters.add_f64(d.inputs[j].path + "_quantile", quantile);
    }
    parameters.write(group, "parameters");
  }
  {
    const std::size_t scenarios = central.size();
    const std::size_t rows = u.summaries.size() * scenarios;
    UnitsTable figures(rows);
    std::vector<std::uint64_t> draw, index;
    std::vector<std::string> scenario;
    for (std::size_t k = 0; k < u.summaries.size(); ++k) {
      for (std::size_t s = 0; s < scenarios; ++s) {
        draw.push_back(k);
        index.push_back(s);
        scenario.push_back(labels[s]);
      }
    }
    figures.table.add_u64("draw", draw);
    figures.table.add_text("scenario", scenario);
    figures.table.add_u64("scenario_index", index);
    for (const Figure& f : kHeadlineFigures) {
      std::vector<double> values;
      for (const std::vector<Summary>& k : u.summaries) {
        for (const Summary& s : k) values.push_back((s.overall.*f.member).value);
      }
      figures.table.add_f64(f.name, values);
      figures.units[f.name] = unit_of(f.name);
    }
    figures.write(group, "figures");
  }
  {
    std::vector<std::uint64_t> draw, index, versus_index;
    std::vector<std::string> metric, unit, scenario, versus;
    std::vector<double> value;
    for (std::size_t k = 0; k < u.draws && k < u.differences.size(); ++k) {
      for (const std::vector<Difference>* list : {&u.differences[k], &u.rivals[k]}) {
        for (const Difference& x : *list) {
          if (x.scope != "overall") continue;
          draw.push_back(k);
          metric.push_back(x.metric);
          unit.push_back(unit_of(x.metric));
          scenario.push_back(labels[x.scenario]);
          index.push_back(x.scenario);
          versus.push_back(labels[x.versus]);
          versus_index.push_back(x.versus);
          value.push_back(x.difference.value);
        }
      }
    }
    hdf5::CompoundTable differences(draw.size());
    differences.add_u64("draw", draw);
    differences.add_text("metric", metric);
    differences.add_text("unit", unit);
    differences.add_text("scenario", scenario);
    differences.add_u64("scenario_index", index);
    differences.add_text("versus", versus);
    differences.add_u64("versus_index", versus_index);
    differences.add_f64("difference", value);
    differences.write(group, "differences");
  }
  write_figure_ranges(group, "intervals", labels, d.figures, false);
  {
    std::vector<std::string> scenario, b_scenario, b_versus;
    std::vector<std::uint64_t> index, draws, b_index, b_versus_index;
    std::vector<double> expected, low, high, beats_current, b_probability;
    for (const DrawsDigest::FutureState& f : d.future_states) {
      scenario.push_back(labels[f.scenario]);
      index.push_back(f.scenario);
      draws.push_back(f.gain.draws);
      expected.push_back(f.gain.expected);
      low.push_back(f.gain.interval.low);
      high.push_back(f.gain.interval.high);
      beats_current.push_back(f.probability_beats[0]);
      for (std::size_t t = 0; t < f.probability_beats.size(); ++t) {
        if (t == f.scenario) continue;
        b_scenario.push_back(labels[f.scenario]);
        b_index.push_back(f.scenario);
        b_versus.push_back(labels[t]);
        b_versus_index.push_back(t);
        b_probability.push_back(f.probability_beats[t]);
      }
    }
    UnitsTable states(scenario.size());
    states.table.add_text("scenario", scenario);
    states.table.add_u64("scenario_index", index);
    states.table.add_text("metric", std::vector<std::string>(scenario.size(), ranked_on));
    states.table.add_f64("expected_gain", expected);
    states.table.add_f64("uncertainty_low", low);
    states.table.add_f64("uncertainty_high", high);
    states.table.add_f64("probability_beats_current", beats_current);
    states.table.add_u64("draws_used", draws);
    for (const char* c : {"expected_gain", "uncertainty_low", "uncertainty_high"})
      states.units[c] = unit_of(ranked_on);
    states.units["probability_beats_current"] = "share";
    states.write(group, "future_states");
    hdf5::CompoundTable beats(b_scenario.size());
    beats.add_text("scenario", b_scenario);
    beats.add_u64("scenario_index", b_index);
    beats.add_text("versus", b_versus);
    beats.add_u64("versus_index", b_versus_index);
    beats.add_f64("probability", b_probability);
    beats.write(group, "beats");
  }
  {
    std::vector<std::string> scenario, figure, input, distribution;
    std::vector<std::uint64_t> index, rank;
    std::vector<double> first, first_error, total, total_error;
    std::size_t previous = static_cast<std::size_t>(-1), r = 0;
    for (const DrawsDigest::Ranked& x : d.sensitivity) {
      r = x.scenario == previous ? r + 1 : 1;
      previous = x.scenario;
      scenario.push_back(labels[x.scenario]);
      index.push_back(x.scenario);
      figure.push_back(x.figure);
      rank.push_back(r);
      input.push_back(x.input);
      distribution.push_back(x.distribution);
      first.push_back(x.index.first_order);
      first_error.push_back(x.index.standard_error);
      total.push_back(x.index.total);
      total_error.push_back(x.index.total_error);
    }
    hdf5::CompoundTable sensitivity(scenario.size());
    sensitivity.add_text("figure", figure);
    sensitivity.add_text("scenario", scenario);
    sensitivity.add_u64("scenario_index", index);
    sensitivity.add_u64("rank", rank);
    sensitivity.add_text("input", input);
    sensitivity.add_text("distribution", distribution);
    sensitivity.add_f64("first_order", first);
    sensitivity.add_f64("first_order_error", first_error);
    sensitivity.add_f64("total", total);
    sensitivity.add_f64("total_error", total_error);
    sensitivity.write(group, "sensitivity");
  }
  {
    std::vector<std::string> scenario, figure;
    std::vector<std::uint64_t> index, classes, draws;
    std::vector<double> variance;
    for (const DrawsDigest::RankedFigure& f : d.ranked_figures) {
      scenario.push_back(labels[f.scenario]);
      index.push_back(f.scenario);
      figure.push_back(f.figure);
      classes.push_back(f.classes);
      draws.push_back(f.draws);
      variance.push_back(f.variance);
    }
    hdf5::CompoundTable figures(scenario.size());
    figures.add_text("figure", figure);
    figures.add_text("scenario", scenario);
    figures.add_u64("scenario_index", index);
    figures.add_u64("classes", classes);
    figures.add_u64("draws_used", draws);
    figures.add_f64("variance", variance);
    figures.write(group, "sensitivity_figures");
  }
}

void write_run_file_with_draws(PendingFile& file, const CompiledJourney& journey,
                               const RunMetadata& metadata, const RunResult& result,
                               const Summary& summary, const UncertaintyReport& draws) {
  write_hdf5_file(file, [&](H5::Group& root) {
    write_run(root, journey, metadata, result, summary);
    write_draws(root, {summary.scenario}, {summary}, draws, "conversion_rate");
  });
}

void write_comparison_file_with_draws(PendingFile& file, const ComparisonReport& report,
                                      const std::vector<const CompiledJourney*>& journeys,
                                      const ComparisonRun& comparison,
                                      const UncertaintyReport& draws) {
  write_hdf5_file(file, [&](H5::Group& root) {
    write_comparison(root, report, journeys, comparison);
    write_draws(root, report.labels, report.summaries, draws, report.rank_by);
  });
}

namespace {

// What the calendar page shows of the draws (digest_calendar_draws), so that `cjsim report`
// shows what `--report` did: each figure's range (`calendar_ranges`) and, for a comparison,
// what the draws say of every difference row (`calendar_differences`).
void write_calendar_digest(H5::Group& group, const std::vector<std::string>& labels,
                           const CalendarDrawsDigest& d) {
  write_figure_ranges(group, "calendar_ranges", labels, d.figures, true);
  {
    std::vector<std::string> scenario, pointer;
    std::vector<std::uint64_t> index;
    std::vector<double> low, high;
    for (const CalendarDrawsDigest::JsonRange& r : d.json_ranges) {
      scenario.push_back(labels[r.scenario]);
      index.push_back(r.scenario);
      pointer.push_back(r.pointer);
      low.push_back(r.range.low);
      high.push_back(r.range.high);
    }
    hdf5::CompoundTable ranges(scenario.size());
    ranges.add_text("scenario", scenario);
    ranges.add_u64("scenario_index", index);
    ranges.add_text("key", pointer);
    ranges.add_f64("uncertainty_low", low);
    ranges.add_f64("uncertainty_high", high);
    ranges.write(group, "json_ranges");
  }
  if (labels.size() < 2) return;
  std::vector<std::string> scenario;
  std::vector<std::uint64_t> index, row, draws;
  std::vector<double> expected, low, high, probability;
  for (std::size_t k = 0; k < d.differences.size(); ++k) {
    for (std::size_t r = 0; r < d.differences[k].size(); ++r) {
      const DifferenceUncertainty& x = d.differences[k][r];
      scenario.push_back(labels[k + 1]);
      index.push_back(k + 1);
      row.push_back(r);
      expected.push_back(x.expected);
      low.push_back(x.interval.low);
      high.push_back(x.interval.high);
      probability.push_back(x.probability_better);
      draws.push_back(x.draws);
    }
  }
  hdf5::CompoundTable differences(scenario.size());
  differences.add_text("scenario", scenario);
  differences.add_u64("scenario_index", index);
  differences.add_u64("row", row);
  differences.add_f64("expected", expected);
  differences.add_f64("uncertainty_low", low);
  differences.add_f64("uncertainty_high", high);
  differences.add_f64("probability_better", probability);
  differences.add_u64("draws_used", draws);
  differences.write(group, "calendar_differences");
}

// The calendar's tables of the draws in group "uncertainty": each resource's figures per draw,
// each resource figure's difference per draw (a comparison), and what the page shows of them.
void write_calendar_draws(H5::Group& root, const std::vector<std::string>& labels,
                          const std::vector<std::vector<CalendarSummary>>& summaries,
                          const UncertaintyReport& u, const CalendarDrawsDigest& digest) {
  H5::Group group = root.openGroup(kDrawsGroup);
  write_calendar_digest(group, labels, digest);
  {
    std::vector<std::uint64_t> draw, index;
    std::vector<std::string> scenario, resource, lane;
    std::vector<std::vector<double>> columns(kResourceColumns.size());
    for (std::size_t k = 0; k < summaries.size(); ++k) {
      for (std::size_t s = 0; s < summaries[k].size() && s < labels.size(); ++s) {
        for (const ResourceFigures& r : summaries[k][s].resources) {
          draw.push_back(k);
          scenario.push_back(labels[s]);
          index.push_back(s);
          resource.push_back(r.id);
          lane.push_back(r.lane);
          for (std::size_t c = 0; c < kResourceColumns.size(); ++c) {
            columns[c].push_back((r.*kResourceColumns[c].second).value);
          }
        }
      }
    }
    UnitsTable resources(draw.size());
    resources.table.add_u64("draw", draw);
    resources.table.add_text("scenario", scenario);
    resources.table.add_u64("scenario_index", index);
    resources.table.add_text("resource", resource);
    resources.table.add_text("lane", lane);
    for (std::size_t c = 0; c < kResourceColumns.size(); ++c) {
      const char* name = kResourceColumns[c].first;
      resources.table.add_f64(name, columns[c]);
      resources.units[name] = unit_of(name);
    }
    resources.write(group, "resources");
  }
  if (labels.size() < 2) return;
  std::vector<std::uint64_t> draw, index;
  std::vector<std::string> scenario, resource, metric, unit;
  std::vector<double> value;
  constexpr std::string_view kResourceScope = "resource ";
  for (std::size_t k = 0; k < u.draws && k < u.differences.size(); ++k) {
    for (const Difference& x : u.differences[k]) {
      if (!x.scope.starts_with(kResourceScope) || x.scenario >= labels.size()) continue;
      draw.push_back(k);
      scenario.push_back(labels[x.scenario]);
      index.push_back(x.scenario);
      resource.push_back(x.scope.substr(kResourceScope.size()));
      metric.push_back(x.metric);
      unit.push_back(unit_of(x.metric));
      value.push_back(x.difference.value);
    }
  }
  hdf5::CompoundTable differences(draw.size());
  differences.add_u64("draw", draw);
  differences.add_text("scenario", scenario);
  differences.add_u64("scenario_index", index);
  differences.add_text("resource", resource);
  differences.add_text("metric", metric);
  differences.add_text("unit", unit);
  differences.add_f64("difference", value);
  differences.write(group, "resource_differences");
}

}  // namespace

void write_calendar_run_file_with_draws(
    PendingFile& file, const RunMetadata& metadata, const CalendarRunData& run,
    const UncertaintyReport& draws, const std::vector<std::vector<CalendarSummary>>& summaries,
    const CalendarDrawsDigest& digest) {
  write_hdf5_file(file, [&](H5::Group& root) {
    write_calendar_run(root, metadata, run);
    write_draws(root, {run.summary->plain.scenario}, {run.summary->plain}, draws,
                "conversion_rate");
    write_calendar_draws(root, {run.summary->plain.scenario}, summaries, draws, digest);
  });
}

void write_calendar_comparison_file_with_draws(
    PendingFile& file, const CalendarComparisonReport& report,
    const std::vector<CalendarRunData>& runs, const std::string& rank_by,
    const UncertaintyReport& draws, const std::vector<std::vector<CalendarSummary>>& summaries,
    const CalendarDrawsDigest& digest) {
  write_hdf5_file(file, [&](H5::Group& root) {
    write_calendar_comparison(root, report, runs);
    std::vector<Summary> central;
    for (const CalendarSummary& s : report.summaries) central.push_back(s.plain);
    write_draws(root, report.names, central, draws, rank_by);
    write_calendar_draws(root, report.names, summaries, draws, digest);
  });
}

std::optional<DrawsDigest> read_draws(const std::string& path) {
  H5::Exception::dontPrint();
  try {
    const H5::H5File file(path, H5F_ACC_RDONLY);
    const H5::Group root = file.openGroup("/");
    if (!root.nameExists(kDrawsGroup)) return std::nullopt;
    const H5::Group group = hdf5::open_group(root, kDrawsGroup);
    if (!hdf5::verify_checksum(group)) {
      throw std::runtime_error("the checksum of /uncertainty is missing");
    }
    DrawsDigest d;
    d.draws = hdf5::read_u64_attribute(group, "draws");
    d.runs = hdf5::read_u64_attribute(group, "runs");
    d.design = hdf5::read_text_attribute(group, "design");
    d.estimator = hdf5::read_text_attribute(group, "estimator");
    d.ranked_on = hdf5::read_text_attribute(group, "ranked_on");
    d.design_seed = hdf5::read_u64_attribute(group, "design_seed");
    d.total_effects = d.runs > d.draws;
    {
      const H5::DataSet t = hdf5::open_dataset(group, "inputs");
      const auto input = hdf5::read_text_column(t, "input");
      const auto distribution = hdf5::read_text_column(t, "distribution");
      for (std::size_t i = 0; i < input.size(); ++i)
        d.inputs.push_back({input[i], distribution[i]});
    }
    std::size_t scenarios = 0;
    {
      const H5::DataSet t = hdf5::open_dataset(group, "intervals");
      const auto index = hdf5::read_u64_column(t, "scenario_index");
      const auto figure = hdf5::read_text_column(t, "figure");
      const auto value = hdf5::read_f64_column(t, "value");
      const auto low = hdf5::read_f64_column(t, "ci_low");
      const auto high = hdf5::read_f64_column(t, "ci_high");
      const auto u_low = hdf5::read_f64_column(t, "uncertainty_low");
      const auto u_high = hdf5::read_f64_column(t, "uncertainty_high");
      for (std::size_t i = 0; i < index.size(); ++i) {
        if (find_figure(figure[i]) == nullptr) {
          throw std::runtime_error(
              fmt::format("uncertainty/intervals: row {} names no figure ('{}')", i, figure[i]));
        }
        d.figures.push_back(
            {index[i], figure[i], {value[i], low[i], high[i]}, {u_low[i], u_high[i]}});
        scenarios = std::max<std::size_t>(scenarios, index[i] + 1);
      }
    }
    {
      const H5::DataSet t = hdf5::open_dataset(group, "future_states");
      const auto index = hdf5::read_u64_column(t, "scenario_index");
      const auto expected = hdf5::read_f64_column(t, "expected_gain");
      const auto low = hdf5::read_f64_column(t, "uncertainty_low");
      const auto high = hdf5::read_f64_column(t, "uncertainty_high");
      const auto draws = hdf5::read_u64_column(t, "draws_used");
      for (std::size_t i = 0; i < index.size(); ++i) {
        if (index[i] == 0 || index[i] >= scenarios) {
          throw std::runtime_error(fmt::format(
              "uncertainty/future_states: row {}: scenario_index {} names no future state", i,
              index[i]));
        }
        DrawsDigest::FutureState f;
        f.scenario = index[i];
        f.gain = {expected[i], {low[i], high[i]}, kNaN, draws[i]};
        f.probability_beats.assign(scenarios, kNaN);
        d.future_states.push_back(std::move(f));
      }
      const H5::DataSet b = hdf5::open_dataset(group, "beats");
      const auto of = hdf5::read_u64_column(b, "scenario_index");
      const auto versus = hdf5::read_u64_column(b, "versus_index");
      const auto probability = hdf5::read_f64_column(b, "probability");
      for (std::size_t i = 0; i < of.size(); ++i) {
        bool placed = false;
        for (DrawsDigest::FutureState& f : d.future_states) {
          if (f.scenario != of[i] || versus[i] >= scenarios) continue;
          f.probability_beats[versus[i]] = probability[i];
          placed = true;
        }
        if (!placed) {
          throw std::runtime_error(fmt::format(
              "uncertainty/beats: row {}: scenarios {} and {} are not of this comparison", i, of[i],
              versus[i]));
        }
      }
      for (DrawsDigest::FutureState& f : d.future_states) {
        f.gain.probability_better = f.probability_beats[0];
      }
    }
    {
      const H5::DataSet t = hdf5::open_dataset(group, "sensitivity");
      const auto figure = hdf5::read_text_column(t, "figure");
      const auto index = hdf5::read_u64_column(t, "scenario_index");
      const auto input = hdf5::read_text_column(t, "input");
      const auto distribution = hdf5::read_text_column(t, "distribution");
      const auto first = hdf5::read_f64_column(t, "first_order");
      const auto first_error = hdf5::read_f64_column(t, "first_order_error");
      const auto total = hdf5::read_f64_column(t, "total");
      const auto total_error = hdf5::read_f64_column(t, "total_error");
      for (std::size_t i = 0; i < figure.size(); ++i) {
        std::size_t column = d.inputs.size();
        for (std::size_t j = 0; j < d.inputs.size(); ++j) {
          if (d.inputs[j].path == input[i]) column = j;
        }
        if (column == d.inputs.size() || index[i] >= std::max<std::size_t>(scenarios, 1)) {
          throw std::runtime_error(fmt::format(
              "uncertainty/sensitivity: row {}: input '{}' or scenario_index {} is not of this "
              "file",
              i, input[i], index[i]));
        }
        d.sensitivity.push_back({index[i],
                                 figure[i],
                                 input[i],
                                 distribution[i],
                                 {column, first[i], first_error[i], total[i], total_error[i]}});
      }
    }
    if (hdf5::has_link(group, "sensitivity_figures")) {
      const H5::DataSet t = hdf5::open_dataset(group, "sensitivity_figures");
      const auto figure = hdf5::read_text_column(t, "figure");
      const auto index = hdf5::read_u64_column(t, "scenario_index");
      const auto classes = hdf5::read_u64_column(t, "classes");
      const auto draws = hdf5::read_u64_column(t, "draws_used");
      const auto variance = hdf5::read_f64_column(t, "variance");
      for (std::size_t i = 0; i < figure.size(); ++i) {
        if (index[i] >= std::max<std::size_t>(scenarios, 1)) {
          throw std::runtime_error(fmt::format(
              "uncertainty/sensitivity_figures: row {}: scenario_index {} is not of this file", i,
              index[i]));
        }
        d.ranked_figures.push_back({index[i], figure[i], classes[i], draws[i], variance[i]});
      }
    }
    return d;
  } catch (const H5::Exception& e) {
    throw std::runtime_error(fmt::format("{}: the draws (group uncertainty) cannot be read: {}",
                                         path, hdf5::describe(e)));
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(fmt::format("{}: {}", path, e.what()));
  }
}

namespace {

// The key a calendar figure has in `run --json`: the run's ("staff_cost"), or a resource's as
// RESOURCE.FIGURE.
std::string calendar_key(const std::string& resource, const std::string& figure) {
  return resource.empty() ? figure : resource + "." + figure;
}

bool is_calendar_run_figure(std::string_view key) {
  for (const CalendarKeyed& f : kCalendarRunFigures) {
    if (key == f.key) return true;
  }
  return false;
}

bool is_resource_column(std::string_view name) {
  for (const auto& [column, member] : kResourceColumns) {
    if (name == column) return true;
  }
  return false;
}

// The ranges of `calendar_ranges`, each of a scenario and figure of `report`.
std::vector<DrawsDigest::FigureRange> read_calendar_ranges(const H5::Group& group,
                                                           const CalendarComparisonReport& report) {
  const H5::DataSet t = hdf5::open_dataset(group, "calendar_ranges");
  const auto index = hdf5::read_u64_column(t, "scenario_index");
  const auto figure = hdf5::read_text_column(t, "figure");
  const auto resource = hdf5::read_text_column(t, "resource");
  const auto value = hdf5::read_f64_column(t, "value");
  const auto low = hdf5::read_f64_column(t, "ci_low");
  const auto high = hdf5::read_f64_column(t, "ci_high");
  const auto u_low = hdf5::read_f64_column(t, "uncertainty_low");
  const auto u_high = hdf5::read_f64_column(t, "uncertainty_high");
  std::vector<DrawsDigest::FigureRange> out;
  for (std::size_t i = 0; i < index.size(); ++i) {
    if (index[i] >= report.summaries.size()) {
      throw std::runtime_error(fmt::format(
          "uncertainty/calendar_ranges: row {}: scenario_index {} names no journey of this file",
          i, index[i]));
    }
    const bool known = resource[i].empty()
                           ? is_calendar_run_figure(figure[i])
                           : is_resource_column(figure[i]) &&
                                 resource_named(report.summaries[index[i]], resource[i]) != nullptr;
    if (!known) {
      throw std::runtime_error(fmt::format(
          "uncertainty/calendar_ranges: row {}: '{}' is no figure of the journey stored", i,
          calendar_key(resource[i], figure[i])));
    }
    out.push_back({index[i],
                   calendar_key(resource[i], figure[i]),
                   {value[i], low[i], high[i]},
                   {u_low[i], u_high[i]}});
  }
  return out;
}

// What `calendar_differences` says of each row of each future state's differences in `report`,
// in their order: every row once.
std::vector<std::vector<DifferenceUncertainty>> read_calendar_differences(
    const H5::Group& group, const CalendarComparisonReport& report) {
  std::vector<std::vector<DifferenceUncertainty>> out(report.differences.size());
  if (out.empty()) return out;
  const H5::DataSet t = hdf5::open_dataset(group, "calendar_differences");
  const auto index = hdf5::read_u64_column(t, "scenario_index");
  const auto row = hdf5::read_u64_column(t, "row");
  const auto expected = hdf5::read_f64_column(t, "expected");
  const auto low = hdf5::read_f64_column(t, "uncertainty_low");
  const auto high = hdf5::read_f64_column(t, "uncertainty_high");
  const auto probability = hdf5::read_f64_column(t, "probability_better");
  const auto draws = hdf5::read_u64_column(t, "draws_used");
  for (std::size_t i = 0; i < index.size(); ++i) {
    if (index[i] == 0 || index[i] > out.size() || row[i] != out[index[i] - 1].size() ||
        row[i] >= report.differences[index[i] - 1].size()) {
      throw std::runtime_error(fmt::format(
          "uncertainty/calendar_differences: row {}: future state {}, difference {} is not the "
          "next of this comparison's differences",
          i, index[i], row[i]));
    }
    out[index[i] - 1].push_back({expected[i], {low[i], high[i]}, probability[i], draws[i]});
  }
  for (std::size_t k = 0; k < out.size(); ++k) {
    if (out[k].size() != report.differences[k].size()) {
      throw std::runtime_error(fmt::format(
          "uncertainty/calendar_differences: future state {} has {} rows for its {} differences",
          k + 1, out[k].size(), report.differences[k].size()));
    }
  }
  return out;
}

}  // namespace

std::optional<CalendarDrawsDigest> read_calendar_draws(const std::string& path,
                                                       const CalendarComparisonReport& report,
                                                       std::vector<std::string>& warnings) {
  std::optional<DrawsDigest> plain = read_draws(path);
  if (!plain) return std::nullopt;
  CalendarDrawsDigest out;
  out.digest = std::move(*plain);
  out.differences.resize(report.differences.size());
  for (const DrawsDigest::FigureRange& f : out.digest.figures) {
    if (f.scenario >= report.summaries.size()) {
      throw std::runtime_error(fmt::format(
          "{}: uncertainty/intervals: scenario_index {} names no journey of this file", path,
          f.scenario));
    }
  }
  try {
    const H5::H5File file(path, H5F_ACC_RDONLY);
    const H5::Group group = hdf5::open_group(file.openGroup("/"), kDrawsGroup);
    if (!hdf5::has_link(group, "calendar_ranges")) {
      warnings.push_back(fmt::format(
          "{} was written by an older cjsim, which did not store each calendar figure's range "
          "over the draws: the page says how sure it is, but its figures and differences have "
          "no range over the draws (run again to have them)",
          path));
      return out;
    }
    out.figures = read_calendar_ranges(group, report);
    out.differences = read_calendar_differences(group, report);
    const H5::DataSet t = hdf5::open_dataset(group, "json_ranges");
    const auto index = hdf5::read_u64_column(t, "scenario_index");
    const auto pointer = hdf5::read_text_column(t, "key");
    const auto low = hdf5::read_f64_column(t, "uncertainty_low");
    const auto high = hdf5::read_f64_column(t, "uncertainty_high");
    for (std::size_t i = 0; i < index.size(); ++i) {
      bool pointer_reads = pointer[i].starts_with('/');
      try {
        const nlohmann::json::json_pointer figure(pointer[i]);
      } catch (const nlohmann::json::exception&) {
        pointer_reads = false;
      }
      if (index[i] >= report.summaries.size() || !pointer_reads) {
        throw std::runtime_error(fmt::format(
            "uncertainty/json_ranges: row {}: scenario_index {}, key '{}' is not a figure of a "
            "journey of this file",
            i, index[i], pointer[i]));
      }
      out.json_ranges.push_back({index[i], pointer[i], {low[i], high[i]}});
    }
    return out;
  } catch (const H5::Exception& e) {
    throw std::runtime_error(fmt::format("{}: the draws (group uncertainty) cannot be read: {}",
                                         path, hdf5::describe(e)));
  } catch (const std::runtime_error& e) {
    throw std::runtime_error(fmt::format("{}: {}", path, e.what()));
  }
}

}  // namespace cjsim
