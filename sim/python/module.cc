// The compiled part of `import cjsim` (cjsim._cjsim): each function is one library API call
// (sim/api/api.h) run through a PythonCall, its result handed over as the plain Python values
// of the JSON the command line prints; the package's Python code turns them into objects and
// pandas DataFrames.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "cjsim_version.h"
#include "reports/render/attribution_report.h"
#include "reports/render/calendar_report.h"
#include "reports/render/compare_report.h"
#include "reports/render/emotion_fit_report.h"
#include "reports/render/json_report.h"
#include "reports/render/sweep_report.h"
#include "reports/render/uncertainty_report.h"
#include "reports/store/fit_report.h"
#include "reports/store/results_reader.h"
#include "sim/api/api.h"
#include "sim/api/calendar_draws.h"
#include "sim/api/fit.h"
#include "sim/api/journey_text.h"
#include "sim/api/uncertainty.h"
#include "sim/engine/calendar_figures.h"
#include "sim/engine/figures.h"
#include "sim/python/json_object.h"
#include "sim/python/python_context.h"

namespace cjsim::python {
namespace {

// A journey as loaded and validated, with the file it came from ("<dict>" for a dict).
struct Journey {
  Scenario scenario;
  std::string path;
};

py::dict metadata_dict(const RunMetadata& m) {
  py::dict d;
  d["path"] = m.scenario_path;
  d["seed"] = m.seed;
  d["agents"] = m.agents;
  d["replications"] = m.replications;
  d["threads"] = m.threads;
  d["seconds"] = m.seconds;
  d["software_version"] = m.software_version;
  d["command_line"] = m.command_line;
  d["created"] = m.created;
  return d;
}

// A run as `cjsim run --json` prints it, and how it was made.
py::object run_object(const Summary& summary, const RunMetadata& metadata, double seconds) {
  py::object run = to_python(summary_json(summary, seconds));
  run["metadata"] = metadata_dict(metadata);
  return run;
}

// A comparison as `cjsim compare --json` prints it, each scenario with its metadata.
py::object comparison_object(const ComparisonReport& report) {
  py::object comparison = to_python(comparison_json(report));
  py::list scenarios = comparison["scenarios"];
  for (std::size_t k = 0; k < report.metadata.size(); ++k) {
    scenarios[k]["metadata"] = metadata_dict(report.metadata[k]);
  }
  return comparison;
}

py::dict estimate_dict(const Estimate& e) {
  py::dict d;
  d["value"] = e.value;
  d["low"] = e.low;
  d["high"] = e.high;
  return d;
}

// A sweep file as read back, with the sensitivity of every headline figure.
py::dict sweep_object(const StoredSweep& s, const std::string& path) {
  py::dict d;
  d["path"] = path;
  d["experiment_name"] = s.experiment_name;
  d["experiment_path"] = s.experiment_path;
  d["design"] = s.design;
  d["metric"] = s.metric;
  d["agents"] = s.agents;
  d["replications"] = s.replications;
  d["seed"] = s.seed;
  // Calendar sweeps: the days every point ran (None: each its calendar.days) and the warm-up.
  d["days"] = s.calendar.empty() || s.days <= 0 ? py::object(py::none()) : py::int_(s.days);
  d["warmup_days"] = s.calendar.empty() ? py::object(py::none()) : py::int_(s.warmup_days);
  d["parameters"] = s.parameters;
  d["scenarios"] = s.scenarios;
  d["scenario_of_point"] = s.scenario_of_point;
  d["values"] = s.values;
  py::list figures;
  for (const auto& point : s.figures) {
    py::dict row;
    for (std::size_t f = 0; f < kHeadlineFigures.size(); ++f) {
      row[kHeadlineFigures[f].name] = estimate_dict(point[f]);
    }
    figures.append(row);
  }
  d["figures"] = figures;
  const SweepDifferences differences = summary_differences(s);
  py::dict reference;
  reference["point"] = differences.reference.point;
  reference["why"] = differences.reference.why;
  d["reference"] = reference;
  py::list difference_rows;
  for (std::size_t k = 0; k < differences.difference.size(); ++k) {
    py::dict row;
    for (std::size_t f = 0; f < kHeadlineFigures.size(); ++f) {
      py::dict e = estimate_dict(differences.difference[k][f]);
      e["unpaired_half_width"] = differences.unpaired_half_width[k][f];
      row[kHeadlineFigures[f].name] = e;
    }
    difference_rows.append(row);
  }
  d["differences"] = difference_rows;
  if (s.calendar.empty()) {
    d["calendar"] = py::none();
  } else {
    nlohmann::json calendar = nlohmann::json::array();
    for (const StoredCalendarPoint& point : s.calendar) {
      calendar.push_back(sweep_calendar_point_json(point));
    }
    d["calendar"] = to_python(calendar);
  }
  py::list sensitivity;
  for (const NamedFigure& figure : kHeadlineFigures) {
    for (const ScenarioSensitivity& ss : sensitivity_of(s, figure.name)) {
      const Sensitivity& r = ss.sensitivity;
      py::dict row;
      row["metric"] = figure.name;
      row["scenario"] = s.scenarios.at(ss.scenario);
      row["method"] = method_name(r.method);
      row["r_squared"] = r.r_squared;
      row["points"] = r.points;
      row["note"] = r.note;
      py::list ranked;
      for (const ParameterSensitivity& p : r.ranked) {
        py::dict parameter;
        parameter["parameter"] = s.parameters.at(p.parameter);
        parameter["importance"] = p.importance;
        parameter["swing"] = p.swing;
        parameter["swing_low"] = p.swing_low;
        parameter["swing_high"] = p.swing_high;
        parameter["coefficient"] = p.coefficient;
        parameter["coefficient_low"] = p.coefficient_low;
        parameter["coefficient_high"] = p.coefficient_high;
        parameter["beyond_noise"] = std::isfinite(p.swing_low) ? py::object(py::bool_(p.beyond_noise()))
                                                               : py::object(py::none());
        ranked.append(parameter);
      }
      row["ranked"] = ranked;
      sensitivity.append(row);
    }
  }
  d["sensitivity"] = sensitivity;
  return d;
}

// Agents per replication when a plain journey's run does not say (the package's default).
constexpr std::uint64_t kDefaultPythonAgents = 100000;

RunSettings run_settings(std::uint64_t agents, std::optional<std::uint64_t> seed,
                         std::uint32_t replications, unsigned threads, bool allow_long) {
  if (agents < 1 || agents > kMaxAgents) {
    throw py::value_error("agents must be from 1 to 2**48, not " + std::to_string(agents));
  }
  if (replications < 1 || replications > 100000) {
    throw py::value_error("replications must be from 1 to 100000, not " +
                          std::to_string(replications));
  }
  if (threads > 4096) {
    throw py::value_error("threads must be from 0 (every core) to 4096, not " +
                          std::to_string(threads));
  }
  RunSettings settings;
  settings.agents = agents;
  settings.seed = seed;
  settings.replications = replications;
  settings.threads = threads;
  settings.allow_long = allow_long;
  return settings;
}

Journey load_file(const std::string& path) {
  PythonCall call{py::none()};
  Journey journey;
  call.run([&] { journey = {load_journey(path, call.context()), path}; });
  return journey;
}

Journey load_text(const std::string& text, const std::string& name) {
  PythonCall call{py::none()};
  Journey journey;
  call.run([&] { journey = {load_journey_text(text, name, call.context()), name}; });
  return journey;
}

py::list touchpoint_list(const Scenario& s) {
  py::list list;
  for (const Touchpoint& t : s.touchpoints) {
    py::dict d;
    d["id"] = t.id;
    d["name"] = t.name;
    d["stage"] = t.stage;
    d["channel"] = t.channel;
    d["emotion_mean"] = t.emotion_mean;
    d["emotion_sd"] = t.emotion_sd;
    d["dropout"] = t.dropout;
    d["duration_hours"] = t.duration.mean();
    d["cost"] = t.cost;
    d["entry_weight"] = t.entry_weight;
    d["conversion"] = t.conversion;
    d["value"] = t.value;
    list.append(d);
  }
  return list;
}

py::list transition_list(const Scenario& s) {
  py::list list;
  for (const Transition& t : s.transitions) {
    py::dict d;
    d["from"] = t.from;
    d["to"] = t.to;
    d["weight"] = t.weight;
    d["emotion_bias"] = t.emotion_bias;
    list.append(d);
  }
  return list;
}

py::list persona_list(const Scenario& s) {
  py::list list;
  for (const Persona& p : s.personas) {
    py::dict d;
    d["id"] = p.id;
    d["share"] = p.share;
    d["sensitivity"] = p.sensitivity;
    d["dropout_odds"] = p.dropout_odds;
    d["initial_emotion_mean"] = p.initial_emotion_mean;
    d["initial_emotion_sd"] = p.initial_emotion_sd;
    d["value_multiplier"] = p.value_multiplier;
    py::dict affinity;
    for (const auto& [channel, multiplier] : p.channel_affinity) affinity[py::str(channel)] = multiplier;
    d["channel_affinity"] = affinity;
    // Its own numbers (sim/model/MODEL.md 1.12), empty where it keeps the journey's.
    py::dict entry, dropout;
    for (const auto& [id, weight] : p.entry) entry[py::str(id)] = weight;
    for (const auto& [id, value] : p.dropout) dropout[py::str(id)] = value;
    py::list transitions;
    for (const PersonaTransition& t : p.transitions) {
      py::dict item;
      item["from"] = t.from;
      item["to"] = t.to;
      item["weight"] = t.weight;
      transitions.append(item);
    }
    d["entry"] = entry;
    d["dropout"] = dropout;
    d["transitions"] = transitions;
    list.append(d);
  }
  return list;
}

py::dict settings_dict(const Settings& s) {
  py::dict d;
  d["memory"] = s.memory;
  d["kappa"] = s.kappa;
  d["max_steps"] = s.max_steps;
  d["horizon_hours"] = s.horizon_hours;
  d["seed"] = s.seed;
  d["promoter_threshold"] = s.promoter_threshold;
  d["detractor_threshold"] = s.detractor_threshold;
  return d;
}

// The settings of a calendar journey's run with draws: arrivals decide how many agents there
// are, so `agents` must not be given.
CalendarSettings calendar_run_settings(std::optional<std::uint64_t> agents,
                                       std::optional<std::uint64_t> seed,
                                       std::uint32_t replications, unsigned threads,
                                       std::int64_t days, std::int64_t warmup_days) {
  if (agents) {
    throw py::value_error(
        "agents does not apply to calendar journeys: their arrivals decide how many agents "
        "there are; change calendar.arrivals_per_day or give days");
  }
  run_settings(1, seed, replications, threads, false);  // the same checks
  if (days < 0 || warmup_days < 0) {
    throw py::value_error("days and warmup_days must be 0 (the journey's) or more");
  }
  return {seed, replications, threads, days, warmup_days};
}

void refuse_days(std::int64_t days, std::int64_t warmup_days) {
  if (days != 0 || warmup_days != 0) {
    throw py::value_error("days and warmup_days take calendar journeys; this has no calendar");
  }
}

// A calendar journey: what `cjsim run --json` prints of it, plus 'metadata'.
py::object run_calendar(const Journey& journey, const CalendarSettings& settings,
                        PythonCall& call) {
  std::optional<CalendarOutcome> outcome;
  call.run([&] {
    outcome = run_calendar_journey(journey.scenario, journey.path, settings, call.context());
  });
  if (!outcome) return py::none();
  nlohmann::json json = calendar_summary_json(outcome->summary, outcome->result.seconds);
  put_run_identity(json, outcome->metadata);
  py::object run = to_python(json);
  run["metadata"] = metadata_dict(outcome->metadata);
  return run;
}

// A calendar journey with draws: what `cjsim run --draws K --json` prints, plus 'metadata'.
py::object run_calendar_with_draws(const Journey& journey, const CalendarSettings& settings,
                                   PythonCall& call, const DrawSettings& draws) {
  std::optional<UncertainCalendarRunOutcome> outcome;
  call.run([&] {
    outcome = run_calendar_journey_with_draws(journey.scenario, journey.path, settings, draws,
                                              call.context());
  });
  if (!outcome) return py::none();
  const CalendarOutcome& central = outcome->central;
  nlohmann::json json = calendar_summary_json(central.summary, central.result.seconds);
  put_run_identity(json, central.metadata);
  add_calendar_run_uncertainty_json(json, calendar_draws_digest(*outcome));
  py::object run = to_python(json);
  run["metadata"] = metadata_dict(central.metadata);
  return run;
}

py::object run(const Journey& journey, std::optional<std::uint64_t> agents,
               std::optional<std::uint64_t> seed, std::uint32_t replications, unsigned threads,
               bool allow_long, py::object progress, std::uint32_t draws, bool total_effects,
               std::int64_t days, std::int64_t warmup_days) {
  if (journey.scenario.calendar) {
    const CalendarSettings settings =
        calendar_run_settings(agents, seed, replications, threads, days, warmup_days);
    PythonCall call(std::move(progress));
    if (draws == 0) return run_calendar(journey, settings, call);
    return run_calendar_with_draws(journey, settings, call,
                                   {.draws = draws, .total_effects = total_effects});
  }
  refuse_days(days, warmup_days);
  const RunSettings settings =
      run_settings(agents.value_or(kDefaultPythonAgents), seed, replications, threads, allow_long);
  PythonCall call(std::move(progress));
  if (draws > 0) {
    std::optional<UncertainRunOutcome> outcome;
    call.run([&] {
      outcome.emplace(run_journey_with_draws(journey.scenario, journey.path, settings,
                                             {.draws = draws, .total_effects = total_effects},
                                             call.context()));
    });
    const RunOutcome& central = outcome->central;
    nlohmann::json json = summary_json(*central.summary, central.result.seconds);
    add_run_uncertainty_json(json, *outcome->uncertainty);
    py::object run = to_python(json);
    run["metadata"] = metadata_dict(central.metadata);
    return run;
  }
  std::optional<RunOutcome> outcome;
  call.run([&] {
    outcome.emplace(run_journey(journey.scenario, journey.path, settings, call.context()));
  });
  return run_object(*outcome->summary, outcome->metadata, outcome->result.seconds);
}

// The states of a comparison compiled, each with its path; `release_parts` frees what only
// compiling needed (a comparison with draws re-makes the journeys from those parts).
CompiledJourneys compiled_states(const std::vector<const Journey*>& states, bool release_parts) {
  CompiledJourneys journeys;
  for (const Journey* state : states) {
    journeys.paths.push_back(state->path);
    journeys.scenarios.push_back(state->scenario);
    journeys.journeys.push_back(compile(journeys.scenarios.back()));
    if (release_parts) release_compiled_parts(journeys.scenarios.back());
  }
  return journeys;
}

// Calendar journeys compared, with draws or none: what `cjsim compare [--draws K] --json`
// prints, each scenario with its 'metadata'.
py::object compare_calendar_with_draws(const std::vector<const Journey*>& states,
                                       const CalendarSettings& settings,
                                       const std::string& rank_by, PythonCall& call,
                                       const DrawSettings& draws) {
  for (const Journey* state : states) {
    if (!state->scenario.calendar) {
      throw py::value_error(
          "compare takes calendar journeys only with calendar journeys: give every state a "
          "calendar, or none");
    }
  }
  std::optional<CalendarCompareOutcome> plain;
  std::optional<UncertainCalendarCompareOutcome> outcome;
  call.run([&] {
    const CompiledJourneys journeys = compiled_states(states, false);
    if (draws.draws == 0) {
      plain = compare_calendar_journeys(journeys, settings, call.context());
    } else {
      outcome = compare_calendar_journeys_with_draws(journeys, settings, rank_by, draws,
                                                     call.context());
    }
  });
  if (!plain && !outcome) return py::none();
  const CalendarComparisonReport& report = plain ? plain->report : outcome->central.report;
  nlohmann::json json = calendar_comparison_json(report);
  if (outcome) {
    add_calendar_comparison_uncertainty_json(json, report.names,
                                             calendar_draws_digest(*outcome, rank_by));
  }
  py::object compared = to_python(json);
  py::list scenarios = compared["scenarios"];
  for (std::size_t k = 0; k < report.metadata.size(); ++k) {
    scenarios[k]["metadata"] = metadata_dict(report.metadata[k]);
  }
  return compared;
}

py::object compare(const std::vector<const Journey*>& states, std::optional<std::uint64_t> agents,
                   std::optional<std::uint64_t> seed, std::uint32_t replications,
                   unsigned threads, const std::string& rank_by, bool allow_long,
                   py::object progress, std::uint32_t draws, bool total_effects,
                   std::int64_t days, std::int64_t warmup_days) {
  bool calendar = false;
  for (const Journey* state : states) calendar = calendar || state->scenario.calendar.has_value();
  if (calendar) {
    const CalendarSettings settings =
        calendar_run_settings(agents, seed, replications, threads, days, warmup_days);
    PythonCall call(std::move(progress));
    return compare_calendar_with_draws(states, settings, rank_by, call,
                                       {.draws = draws, .total_effects = total_effects});
  }
  refuse_days(days, warmup_days);
  const RunSettings settings =
      run_settings(agents.value_or(kDefaultPythonAgents), seed, replications, threads, allow_long);
  PythonCall call(std::move(progress));
  std::optional<CompareOutcome> outcome;
  std::optional<UncertaintyReport> uncertainty;
  call.run([&] {
    // Draws re-make the journeys from their parts.
    CompiledJourneys journeys = compiled_states(states, draws == 0);
    if (draws == 0) {
      outcome.emplace(compare_journeys(journeys, settings, rank_by, call.context()));
      return;
    }
    UncertainCompareOutcome drawn = compare_journeys_with_draws(
        journeys, settings, rank_by, {.draws = draws, .total_effects = total_effects},
        call.context());
    outcome.emplace(std::move(drawn.central));
    uncertainty = std::move(drawn.uncertainty);
  });
  if (uncertainty) {
    nlohmann::json json = comparison_json(*outcome->report);
    add_comparison_uncertainty_json(json, *outcome->report, *uncertainty);
    py::object drawn = to_python(json);
    py::list scenarios = drawn["scenarios"];
    for (std::size_t k = 0; k < outcome->report->metadata.size(); ++k) {
      scenarios[k]["metadata"] = metadata_dict(outcome->report->metadata[k]);
    }
    return drawn;
  }
  return comparison_object(*outcome->report);
}

// The design of a plan, nothing run: {"kind": "design", ...}.
py::dict design_object(const SweepPlan& plan) {
  py::dict d;
  d["kind"] = "design";
  d["experiment_name"] = plan.experiment.name;
  d["design"] = std::string(design_name(plan.experiment.design));
  d["agents"] = plan.experiment.agents;
  d["replications"] = plan.experiment.replications;
  d["seed"] = plan.experiment.seed;
  std::vector<std::string> parameters, scenarios;
  for (const ExperimentParameter& p : plan.experiment.parameters) parameters.push_back(p.path.text);
  for (const Scenario& base : plan.bases) scenarios.push_back(base.name);
  std::vector<std::uint64_t> scenario_of_point;
  std::vector<std::vector<double>> values;
  for (const SweepPoint& point : plan.points) {
    scenario_of_point.push_back(point.scenario);
    values.push_back(point.values);
  }
  d["parameters"] = parameters;
  d["scenarios"] = scenarios;
  d["scenario_of_point"] = scenario_of_point;
  d["values"] = values;
  return d;
}

// Runs (or lists, or shards) a sweep as `cjsim sweep` does with the same options: the sweep
// file as read back ({"kind": "sweep", ...}), the design ({"kind": "design"}, list_points), or
// nothing (None) for one shard of several, which writes parts and no file.
py::object sweep(const std::string& experiment, const std::string& out, bool resume, bool force,
                 unsigned threads, bool allow_long, py::object progress,
                 std::optional<std::uint64_t> agents, std::optional<std::uint32_t> replications,
                 std::optional<std::uint64_t> seed, std::optional<std::uint64_t> reference,
                 std::uint32_t shard_index, std::uint32_t shard_count, bool merge,
                 double checkpoint_seconds, bool list_points, std::optional<std::int64_t> days,
                 std::optional<std::int64_t> warmup_days) {
  PythonCall call(std::move(progress));
  std::optional<StoredSweep> stored;
  std::optional<SweepPlan> plan;
  std::string path;
  bool shard_only = false;
  SweepRequest request;
  request.experiment = experiment;
  request.out = out;
  request.resume = resume;
  request.force = force;
  request.threads = threads;
  request.allow_long = allow_long;
  request.agents = agents;
  request.replications = replications;
  request.seed = seed;
  request.reference = reference;
  request.days = days;
  request.warmup_days = warmup_days;
  request.shard_index = shard_index;
  request.shard_count = shard_count;
  request.merge = merge;
  request.checkpoint_seconds = checkpoint_seconds;
  if (shard_count > 0 && shard_index >= shard_count) {
    throw py::value_error("shard: give (I, N) with I from 0 to N - 1");
  }
  call.run([&] {
    SweepJob job(request, call.context());
    path = job.out();
    if (list_points) {
      plan = job.plan();
      return;
    }
    stored = job.run();
    if (stored) {
      job.commit();
    } else if (shard_count > 0) {
      job.commit();
      shard_only = true;
    } else {
      stored = read_sweep_for_summary(path, call.context());  // finished before
    }
  });
  if (plan) return design_object(*plan);
  if (shard_only) return py::none();
  py::dict d = sweep_object(*stored, path);
  d["kind"] = "sweep";
  return d;
}

// Whether a calendar file's draws give what `run`/`compare --draws --json` add: a file of a
// cjsim before their ranges were stored has none (the reader warned of it).
bool has_json_draws(const std::optional<CalendarDrawsDigest>& draws) {
  return draws && !draws->json_ranges.empty();
}

// A run, comparison or sweep file: {"kind": "run" | "comparison" | "sweep", "data": ...}.
py::dict read(const std::string& path) {
  PythonCall call{py::none()};
  py::dict d;
  std::optional<StoredSweep> sweep;
  std::optional<ReportedResults> results;
  call.run([&] {
    if (is_sweep_file(path)) {
      sweep = read_sweep_for_summary(path, call.context());
      return;
    }
    results = read_results_file(path);
    for (const std::string& warning : results->warnings) call.context().note(warning);
  });
  if (sweep) {
    d["kind"] = "sweep";
    d["data"] = sweep_object(*sweep, path);
  } else if (results->calendar) {
    const CalendarComparisonReport& r = *results->calendar;
    if (r.summaries.size() > 1) {
      d["kind"] = "calendar_comparison";
      nlohmann::json json = calendar_comparison_json(r);
      if (has_json_draws(results->calendar_draws)) {
        add_calendar_comparison_uncertainty_json(json, r.names, *results->calendar_draws);
      }
      py::object comparison = to_python(json);
      py::list scenarios = comparison["scenarios"];
      for (std::size_t k = 0; k < r.metadata.size(); ++k) {
        scenarios[k]["metadata"] = metadata_dict(r.metadata[k]);
      }
      d["data"] = comparison;
    } else {
      d["kind"] = "calendar_run";
      nlohmann::json json = calendar_summary_json(r.summaries.front(), r.seconds);
      if (has_json_draws(results->calendar_draws)) {
        add_calendar_run_uncertainty_json(json, *results->calendar_draws);
      }
      py::object run = to_python(json);
      run["name"] = r.names.front();
      run["metadata"] = metadata_dict(r.metadata.front());
      d["data"] = run;
    }
  } else if (results->comparison) {
    d["kind"] = "comparison";
    d["data"] = comparison_object(results->report);
  } else {
    const ComparisonReport& r = results->report;
    d["kind"] = "run";
    d["data"] = run_object(r.summaries.front(), r.metadata.front(), r.metadata.front().seconds);
  }
  return d;
}

const char* better_name(Better better) {
  switch (better) {
    case Better::higher: return "higher";
    case Better::lower: return "lower";
    case Better::neither: return "neither";
  }
  return "";
}

const char* over_name(Over over) {
  switch (over) {
    case Over::agents: return "agents";
    case Over::customers: return "customers";
    case Over::visits: return "visits";
  }
  return "";
}

// The figure table (sim/engine/figures.h), one dict per figure, in its order.
py::list figures() {
  py::list list;
  for (const Figure& f : kFigures) {
    py::dict d;
    d["name"] = f.name;
    d["label"] = f.label;
    d["unit"] = std::string(unit_key(f.unit));
    d["better"] = better_name(f.better);
    d["over"] = over_name(f.over);
    d["key"] = f.key;
    py::list scopes;
    const unsigned reported = f.reported_in();
    for (const auto& [bit, scope] : {std::pair{kOverall, "overall"}, std::pair{kPersona, "persona"},
                                     std::pair{kStage, "stage"}, std::pair{kTouchpoint, "touchpoint"},
                                     std::pair{kTransition, "transition"}}) {
      if ((reported & bit) != 0) scopes.append(scope);
    }
    d["reported_in"] = scopes;
    list.append(d);
  }
  return list;
}

ObservedFormat observed_format(const std::string& format) {
  const std::map<std::string, ObservedFormat> formats{{"auto", ObservedFormat::automatic},
                                                      {"events", ObservedFormat::event_log},
                                                      {"paths", ObservedFormat::path_table},
                                                      {"xes", ObservedFormat::xes}};
  const auto found = formats.find(format);
  if (found == formats.end()) {
    throw py::value_error("format must be 'auto', 'events', 'paths' or 'xes', not '" + format +
                          "'");
  }
  return found->second;
}

py::object attribute(const std::string& input, const std::string& by, int order,
                     std::uint64_t agents, std::optional<std::uint64_t> seed, unsigned threads,
                     bool simulate_removals, const std::string& format, bool allow_long,
                     py::object progress) {
  AttributeRequest request;
  request.input = input;
  if (by != "channel" && by != "touchpoint") {
    throw py::value_error("by must be 'channel' or 'touchpoint', not '" + by + "'");
  }
  request.by_touchpoint = by == "touchpoint";
  if (order < 1) throw py::value_error("order must be 1 or more");
  request.order = order;
  request.simulate_removals = simulate_removals;
  request.run = run_settings(agents, seed, 1, threads, allow_long);
  request.read.format = observed_format(format);
  PythonCall call(std::move(progress));
  std::optional<AttributionTable> table;
  call.run([&] { table.emplace(cjsim::attribute(request, call.context())); });
  return to_python(attribution_json(*table));
}

// {"journey", "yaml", "notes", and "report" (what `cjsim fit --json` prints for observed
// paths) or "calibration" (what it prints for a funnel)}.
py::dict fit(const std::string& data, const Journey* skeleton, const std::string& name,
             const std::string& out_name, unsigned personas, bool estimate_kappa,
             const std::vector<std::string>& calibrate, double holdout, std::size_t top_paths,
             std::uint64_t agents, std::uint64_t seed, unsigned threads,
             const std::string& format, bool funnel, bool allow_long,
             const std::optional<std::string>& order, const std::string& durations,
             bool calendar, const std::vector<std::string>& lifecycle,
             const std::vector<std::string>& activity,
             const std::vector<std::string>& exclude_activity,
             const std::vector<std::string>& conversion_touchpoint,
             const std::optional<std::string>& segment_column,
             const std::optional<std::string>& persona_model, py::object progress) {
  if (personas < 1 || personas > 64) throw py::value_error("personas must be from 1 to 64");
  if (persona_model && *persona_model != "chains" && *persona_model != "odds") {
    throw py::value_error("persona_model must be 'chains' or 'odds' (or None: chains without a "
                          "skeleton, odds on one)");
  }
  if (order && *order != "bic" &&
      (order->size() != 1 || (*order)[0] < '1' || (*order)[0] > '5')) {
    throw py::value_error("order must be 1 to 5, or 'bic'");
  }
  if (durations != "exponential" && durations != "best") {
    throw py::value_error("durations must be 'exponential' or 'best'");
  }
  if (!(holdout >= 0.0 && holdout <= 0.9)) throw py::value_error("holdout must be from 0 to 0.9");
  if (top_paths < 1 || top_paths > 1000) throw py::value_error("top_paths must be from 1 to 1000");
  if (agents < 1 || agents > 10000000) throw py::value_error("agents must be from 1 to 10**7");
  if (threads > 4096) throw py::value_error("threads must be from 0 (every core) to 4096");
  FitCall call;
  call.data_file = data;
  call.read.format = observed_format(format);
  call.funnel = funnel;
  call.allow_long = allow_long;
  // The reader's filters, named in its messages by the command's options.
  EventLogColumns& events = call.read.events;
  const auto filter = [&events](std::vector<std::string>& into,
                                const std::vector<std::string>& values, const char* option) {
    into = values;
    if (!values.empty()) events.given.insert(option);
  };
  filter(events.lifecycles, lifecycle, "--lifecycle");
  filter(events.activities, activity, "--activity");
  filter(events.excluded_activities, exclude_activity, "--exclude-activity");
  filter(events.conversion_touchpoints, conversion_touchpoint, "--conversion-touchpoint");
  FitRequest& request = call.request;
  if (segment_column) {
    events.segment = *segment_column;
    events.given.insert("--segment-column");
    request.segment_column = *segment_column;
  }
  if (order) {
    request.compare_orders = true;
    request.order = *order == "bic" ? 0 : (*order)[0] - '0';
  }
  request.durations = durations == "best" ? DurationFamily::best : DurationFamily::exponential;
  request.calendar = calendar;
  if (skeleton != nullptr) {
    request.skeleton = skeleton->scenario;
    request.skeleton_name = skeleton->path;
  }
  request.name = name;
  request.out_name = out_name;
  request.personas = personas;
  if (persona_model) {
    request.persona_model = *persona_model == "odds" ? PersonaModel::odds : PersonaModel::chains;
  }
  request.estimate_kappa = estimate_kappa;
  request.calibrate = calibrate;
  request.holdout = holdout;
  request.top_paths = top_paths;
  request.agents = agents;
  request.seed = seed;
  request.threads = threads;
  PythonCall python_call(std::move(progress));
  std::optional<FitResult> fitted;
  python_call.run([&] { fitted.emplace(cjsim::fit(std::move(call), python_call.context())); });
  const FitResult& f = *fitted;
  py::dict d;
  d["journey"] = Journey{f.scenario, out_name};
  d["yaml"] = f.scenario_yaml;
  d["notes"] = f.notes;
  d["report"] = py::none();
  d["calibration"] = py::none();
  if (f.calibration) {
    d["calibration"] = to_python(calibration_result_json(f));
    return d;
  }
  // The report `cjsim fit` prints and stores, assembled as the command does.
  d["report"] = to_python(
      fit_result_json(fit_report_of(f, data, python_call.context().command_line), f));
  return d;
}

}  // namespace

PYBIND11_MODULE(_cjsim, m) {
  m.doc() =
      "The compiled core of the cjsim package: one call of the library API each. Use the "
      "functions of `cjsim` itself, which wrap these results in objects and DataFrames.";
  m.attr("__version__") = CJSIM_VERSION;

  py::object invalid_input = py::reinterpret_borrow<py::object>(PyExc_ValueError);
  py::object type = py::reinterpret_steal<py::object>(PyErr_NewExceptionWithDoc(
      "cjsim.InvalidInput",
      "A journey, experiment or data file with errors. The message lists every problem found, "
      "one per line as FILE:LINE:COLUMN: error: MESSAGE, then a closing line; nothing was run.",
      invalid_input.ptr(), nullptr));
  if (!type) throw py::error_already_set();
  m.attr("InvalidInput") = type;
  set_invalid_input_type(type);

  py::class_<Journey>(m, "Journey",
                      "A journey as loaded and validated: its touchpoints, transitions, stages, "
                      "personas and settings, and the file it came from.")
      .def_property_readonly(
          "name", [](const Journey& j) { return j.scenario.name; }, "The journey's name.")
      .def_property_readonly(
          "description", [](const Journey& j) { return j.scenario.description; },
          "Its description, or ''.")
      .def_property_readonly(
          "path", [](const Journey& j) { return j.path; },
          "The file it was loaded from, or the name a dict was given ('<dict>').")
      .def_property_readonly(
          "stages", [](const Journey& j) { return j.scenario.stages; }, "Stage names, in order.")
      .def_property_readonly(
          "touchpoints", [](const Journey& j) { return touchpoint_list(j.scenario); },
          "One dict per touchpoint (id, name, stage, channel, emotion_mean, emotion_sd, dropout, "
          "duration_hours, cost, entry_weight, conversion, value).")
      .def_property_readonly(
          "transitions", [](const Journey& j) { return transition_list(j.scenario); },
          "One dict per transition (from, to, weight, emotion_bias).")
      .def_property_readonly(
          "personas", [](const Journey& j) { return persona_list(j.scenario); },
          "One dict per persona (id, share, sensitivity, dropout_odds, initial_emotion_mean, "
          "initial_emotion_sd, value_multiplier, channel_affinity).")
      .def_property_readonly(
          "settings", [](const Journey& j) { return settings_dict(j.scenario.settings); },
          "The model settings (memory, kappa, max_steps, horizon_hours, seed, thresholds).")
      .def_property_readonly(
          "text", [](const Journey& j) { return j.scenario.source_text; },
          "The text it was read from (YAML, or JSON for a dict).")
      .def("__repr__", [](const Journey& j) {
        return "<cjsim.Journey '" + j.scenario.name + "': " +
               std::to_string(j.scenario.touchpoints.size()) + " touchpoints, " +
               std::to_string(j.scenario.personas.size()) + " personas>";
      });

  m.def("figures", &figures,
        "The table of reported figures (sim/engine/figures.h): name, label, unit, which way is "
        "better, what it is over, whether it is a key figure, and where it is reported.");
  m.def("load_file", &load_file, py::arg("path"),
        "Reads and validates a journey file (YAML or JSON). Raises InvalidInput.");
  m.def("load_text", &load_text, py::arg("text"), py::arg("name"),
        "Parses and validates a journey's text, named `name` in messages. Raises InvalidInput.");
  m.def("run", &run, py::arg("journey"), py::arg("agents"), py::arg("seed"),
        py::arg("replications"), py::arg("threads"), py::arg("allow_long"), py::arg("progress"),
        py::arg("draws") = 0, py::arg("total_effects") = false, py::arg("days") = 0,
        py::arg("warmup_days") = 0,
        "Simulates a journey; returns what `cjsim run --json` prints (with `--draws` when "
        "draws > 0; a calendar journey's with draws, with `--days` and `--warmup-days`), plus "
        "'metadata'. agents None: 100,000 (not given for a calendar journey with draws).");
  m.def("compare", &compare, py::arg("journeys"), py::arg("agents"), py::arg("seed"),
        py::arg("replications"), py::arg("threads"), py::arg("rank_by"), py::arg("allow_long"),
        py::arg("progress"), py::arg("draws") = 0, py::arg("total_effects") = false,
        py::arg("days") = 0, py::arg("warmup_days") = 0,
        "Simulates a current state and future states on the same agents; returns what "
        "`cjsim compare --json` prints (calendar journeys' with draws too), each scenario with "
        "its 'metadata'.");
  m.def("sweep", &sweep, py::arg("experiment"), py::arg("out"), py::arg("resume"),
        py::arg("force"), py::arg("threads"), py::arg("allow_long"), py::arg("progress"),
        py::arg("agents") = py::none(), py::arg("replications") = py::none(),
        py::arg("seed") = py::none(), py::arg("reference") = py::none(),
        py::arg("shard_index") = 0, py::arg("shard_count") = 0, py::arg("merge") = false,
        py::arg("checkpoint_seconds") = 3.0, py::arg("list_points") = false,
        py::arg("days") = py::none(), py::arg("warmup_days") = py::none(),
        "Runs (or resumes, shards, merges) an experiment as a sweep job writing `out` (calendar "
        "journeys: `days` in place of calendar.days, `warmup_days` left out); returns "
        "the file as read back, with the sensitivity of every headline figure and the paired "
        "differences; the design alone with list_points; None for one shard of several.");
  m.def("read", &read, py::arg("path"),
        "Reads a run, comparison or sweep file: {'kind': ..., 'data': ...}.");
  m.def("fit", &fit, py::arg("data"), py::arg("skeleton"), py::arg("name"),
        py::arg("out_name"), py::arg("personas"), py::arg("estimate_kappa"),
        py::arg("calibrate"), py::arg("holdout"), py::arg("top_paths"), py::arg("agents"),
        py::arg("seed"), py::arg("threads"), py::arg("format"), py::arg("funnel"),
        py::arg("allow_long"), py::arg("order"), py::arg("durations"), py::arg("calendar"),
        py::arg("lifecycle"), py::arg("activity"), py::arg("exclude_activity"),
        py::arg("conversion_touchpoint"), py::arg("segment_column"), py::arg("persona_model"),
        py::arg("progress"),
        "Fits a journey to observed data, or calibrates a skeleton to a funnel; returns the "
        "fitted Journey, its YAML, the notes and what `cjsim fit --json` prints.");
  m.def("attribute", &attribute, py::arg("input"), py::arg("by"), py::arg("order"),
        py::arg("agents"), py::arg("seed"), py::arg("threads"), py::arg("simulate_removals"),
        py::arg("format"), py::arg("allow_long"), py::arg("progress"),
        "Attributes conversions to channels or touchpoints; returns what `cjsim attribute "
        "--json` prints.");
}

}  // namespace cjsim::python
