// Funnel calibration: funnel rows resolved against the journey, reach counted from one run's
// recorded paths, and NLopt's BOBYQA over the binomial deviance.
#include "models/fit/calibration.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <nlopt.hpp>
#include <stdexcept>

#include "scenarios/did_you_mean.h"
#include "scenarios/fields.h"
#include "scenarios/parameter_path.h"
#include "sim/engine/engine.h"
#include "sim/engine/run_observed.h"
#include "sim/model/cancellation.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {
namespace {

// How the search moves each field the table marks calibratable: its bounds (inside the
// field's range; a dropout stays below 1, where no journey would pass) and its first step.
struct Search {
  std::string_view field;
  double lower, upper, initial_step;
};
constexpr Search kSearches[] = {
    {"emotion.mean", -1.0, 1.0, 0.1}, {"dropout", 0.0, 0.99, 0.05}, {"kappa", 0.0, 10.0, 0.5}};

struct Adjustable {
  std::string name;
  ParameterPath path;
  double lower, upper, initial_step;
};

struct Row {
  bool is_stage = false;
  std::uint32_t index = 0;   // stage or touchpoint
  std::int64_t persona = -1;  // -1: every customer
  std::uint64_t reached = 0, entered = 0;
  const FunnelCount* count = nullptr;
};

// The forms of path calibration takes: "touchpoints.<id>.emotion.mean, ... or settings.kappa".
std::string calibratable_forms() {
  std::vector<std::string> forms;
  for (const Field<Touchpoint>& field : touchpoint_fields()) {
    if (field.calibratable) forms.push_back(touchpoint_path("<id>", field.name));
  }
  for (const Field<Settings>& field : settings_fields()) {
    if (field.calibratable) forms.push_back(settings_path(field.name));
  }
  const std::string last = forms.back();
  forms.pop_back();
  return join_names(forms) + " or " + last;
}

// Every path `cjsim fit --funnel` can adjust in this journey, for suggestions.
std::vector<std::string> calibratable_paths(const Scenario& s) {
  std::vector<std::string> known;
  for (const Field<Settings>& field : settings_fields()) {
    if (field.calibratable) known.push_back(settings_path(field.name));
  }
  for (const Touchpoint& t : s.touchpoints) {
    for (const Field<Touchpoint>& field : touchpoint_fields()) {
      if (field.calibratable) known.push_back(touchpoint_path(t.id, field.name));
    }
  }
  return known;
}

// The search for a path the journey has and the table lets calibration adjust, or nullptr.
const Search* search_for(const Scenario& s, const std::string& name, ParameterPath& path) {
  std::string error;
  std::optional<ParameterPath> parsed = parse_parameter_path(name, error);
  if (!parsed || check_parameter_path(s, *parsed)) return nullptr;
  bool calibratable = false;
  if (parsed->entity == ParameterPath::Entity::touchpoint) {
    calibratable = find_field(touchpoint_fields(), parsed->field)->calibratable;
  } else if (parsed->entity == ParameterPath::Entity::settings) {
    calibratable = find_field(settings_fields(), parsed->field)->calibratable;
  }
  if (!calibratable) return nullptr;
  path = std::move(*parsed);
  for (const Search& search : kSearches) {
    if (search.field == path.field) return &search;
  }
  return nullptr;
}

std::vector<Adjustable> resolve_parameters(const Scenario& s, const CalibrationOptions& options,
                                           const std::string& source, Diagnostics& diagnostics) {
  std::vector<Adjustable> out;
  std::vector<std::string> names = options.parameters;
  if (names.empty()) {
    for (const Touchpoint& t : s.touchpoints) {
      const bool has_way_on = std::any_of(s.transitions.begin(), s.transitions.end(),
                                          [&](const Transition& e) { return e.from == t.id; });
      if (has_way_on) names.push_back(touchpoint_path(t.id, "dropout"));
    }
  }
  for (const std::string& name : names) {
    if (std::any_of(out.begin(), out.end(), [&](const Adjustable& a) { return a.name == name; })) {
      diagnostics.error({source, 0, 0}, fmt::format("the parameter '{}' is named twice", name));
      continue;
    }
    ParameterPath path;
    if (const Search* search = search_for(s, name, path)) {
      out.push_back({name, std::move(path), search->lower, search->upper, search->initial_step});
      continue;
    }
    const std::vector<std::string> known = calibratable_paths(s);
    diagnostics.error({source, 0, 0},
                      fmt::format("cannot calibrate '{}': the journey has no such parameter "
                                  "({}){}",
                                  name, calibratable_forms(), did_you_mean(name, known)));
  }
  return out;
}

std::vector<Row> resolve_rows(const Scenario& s, const CompiledJourney& journey,
                              const ObservedFunnel& funnel, Diagnostics& diagnostics) {
  std::vector<Row> rows;
  std::vector<std::string> steps = s.stages;
  for (const Touchpoint& t : s.touchpoints) steps.push_back(t.id);
  std::vector<std::string> segments;
  for (const PersonaTables& p : journey.personas) segments.push_back(p.id);
  for (const FunnelCount& c : funnel.counts) {
    Row row;
    row.count = &c;
    row.reached = c.reached;
    row.entered = funnel.entered_in(c.segment).value_or(0);
    if (!c.segment.empty()) {
      auto it = std::find(segments.begin(), segments.end(), c.segment);
      if (it == segments.end()) {
        diagnostics.error(c.where, fmt::format("segment '{}' is not a persona of the journey ({}){}",
                                               c.segment, join_names(segments),
                                               did_you_mean(c.segment, segments)));
        continue;
      }
      row.persona = it - segments.begin();
    }
    const auto stage = std::find(s.stages.begin(), s.stages.end(), c.step);
    const std::int64_t touchpoint = journey.find_touchpoint(c.step);
    if (stage != s.stages.end() && touchpoint >= 0) {
      diagnostics.error(c.where, fmt::format("step '{}' is both a stage and a touchpoint of the "
                                             "journey: rename one",
                                             c.step));
      continue;
    }
    if (stage != s.stages.end()) {
      row.is_stage = true;
      row.index = static_cast<std::uint32_t>(stage - s.stages.begin());
    } else if (touchpoint >= 0) {
      row.index = static_cast<std::uint32_t>(touchpoint);
    } else {
      diagnostics.error(c.where, fmt::format("step '{}' is neither a stage nor a touchpoint of "
                                             "the journey{}",
                                             c.step, did_you_mean(c.step, steps)));
      continue;
    }
    rows.push_back(row);
  }
  return rows;
}

// Shares of each row's simulated customers reaching its step, from one run's paths.
struct Reach {
  std::vector<double> share;         // per row
  std::vector<std::uint64_t> agents;  // per row: simulated agents of its segment
};

// Per persona, the agents and those reaching each touchpoint and each stage at least once:
// what a funnel compares, counted as the agents walk (no paths kept).
class ReachCounter {
 public:
  explicit ReachCounter(const CompiledJourney& journey)
      : touchpoint_reach(journey.persona_count() * journey.touchpoint_count(), 0),
        stage_reach(journey.persona_count() * journey.stage_count(), 0),
        persona_agents(journey.persona_count(), 0),
        journey_(&journey),
        seen_touchpoint_(journey.touchpoint_count(), 0),
        seen_stage_(journey.stage_count(), 0) {}

  void start(std::uint32_t persona) {
    persona_ = persona;
    ++agent_;  // the marks of earlier agents no longer match
    ++persona_agents[persona];
  }
  void visit(std::uint32_t touchpoint, double) {
    const std::size_t n = seen_touchpoint_.size(), stages = seen_stage_.size();
    if (seen_touchpoint_[touchpoint] != agent_) {
      seen_touchpoint_[touchpoint] = agent_;
      ++touchpoint_reach[persona_ * n + touchpoint];
    }
    const std::uint32_t stage = journey_->stage_of[touchpoint];
    if (seen_stage_[stage] != agent_) {
      seen_stage_[stage] = agent_;
      ++stage_reach[persona_ * stages + stage];
    }
  }
  void convert(std::uint32_t) {}
  void transition(std::uint32_t) {}
  void finish(const AgentOutcome&) {}
  void merge(const ReachCounter& other) {
    add(touchpoint_reach, other.touchpoint_reach);
    add(stage_reach, other.stage_reach);
    add(persona_agents, other.persona_agents);
  }

  std::vector<std::uint64_t> touchpoint_reach, stage_reach, persona_agents;

 private:
  static void add(std::vector<std::uint64_t>& into, const std::vector<std::uint64_t>& more) {
    for (std::size_t i = 0; i < into.size(); ++i) into[i] += more[i];
  }
  const CompiledJourney* journey_;
  std::vector<std::uint64_t> seen_touchpoint_, seen_stage_;  // the agent that last reached it
  std::uint64_t agent_ = 0;  // agents started by this counter; 0 marks "never"
  std::uint32_t persona_ = 0;
};

Reach simulate_reach(const CompiledJourney& journey, const std::vector<Row>& rows,
                     const CalibrationOptions& options) {
  RunOptions run_options;
  run_options.agents = options.agents;
  run_options.seed = options.seed;
  run_options.threads = options.threads;
  run_options.cancel = options.cancel;
  const ReachCounter counts = std::move(
      run_observed<ReachCounter>(journey, run_options, [&] { return ReachCounter(journey); })[0]);
  const std::vector<std::uint64_t>& touchpoint_reach = counts.touchpoint_reach;
  const std::vector<std::uint64_t>& stage_reach = counts.stage_reach;
  const std::vector<std::uint64_t>& persona_agents = counts.persona_agents;
  const std::size_t K = journey.persona_count();
  const std::size_t n = journey.touchpoint_count();
  const std::size_t stages = journey.stage_count();
  Reach reach;
  for (const Row& row : rows) {
    std::uint64_t reached = 0, agents = 0;
    for (std::size_t p = 0; p < K; ++p) {
      if (row.persona >= 0 && static_cast<std::size_t>(row.persona) != p) continue;
      agents += persona_agents[p];
      reached += row.is_stage ? stage_reach[p * stages + row.index] : touchpoint_reach[p * n + row.index];
    }
    reach.agents.push_back(agents);
    reach.share.push_back(agents > 0 ? static_cast<double>(reached) / static_cast<double>(agents) : 0.0);
  }
  return reach;
}

// 2 [y ln(y / (n p)) + (n - y) ln((n - y) / (n (1 - p)))], with 0 ln 0 = 0. A simulated share
// of exactly 0 or 1 is moved half an agent inwards, so that a step the simulation never (or
// always) reached costs a finite amount.
double binomial_deviance(std::uint64_t reached, std::uint64_t entered, double share,
                         std::uint64_t agents) {
  if (entered == 0) return 0.0;
  const double half = 0.5 / static_cast<double>(std::max<std::uint64_t>(agents, 1));
  const double p = std::clamp(share, half, 1.0 - half);
  const double y = static_cast<double>(reached), n = static_cast<double>(entered);
  double d = 0.0;
  if (y > 0) d += y * std::log(y / (n * p));
  if (n - y > 0) d += (n - y) * std::log((n - y) / (n * (1.0 - p)));
  return 2.0 * d;
}

void set(Scenario& s, const Adjustable& a, double value) { set_parameter(s, a.path, value); }

double get(const Scenario& s, const Adjustable& a) { return parameter_value(s, a.path); }

}  // namespace

std::optional<Calibration> calibrate(const Scenario& start, const ObservedFunnel& funnel,
                                     const CalibrationOptions& options, Diagnostics& diagnostics) {
  const std::size_t errors_before = diagnostics.error_count();
  if (options.agents == 0) {
    diagnostics.error({funnel.source, 0, 0}, "calibration needs at least one simulated agent");
    return std::nullopt;
  }
  const std::vector<Adjustable> adjustable =
      resolve_parameters(start, options, funnel.source, diagnostics);
  // One compiled journey for the whole search: each evaluation rewrites only its numbers
  // (calibratable fields are sweepable, so recompile_values gives what compile would).
  CompiledJourney journey = compile(start);
  const std::vector<Row> rows = resolve_rows(start, journey, funnel, diagnostics);
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  if (adjustable.empty()) {
    diagnostics.error({funnel.source, 0, 0}, "there is no parameter to calibrate");
    return std::nullopt;
  }

  Scenario scenario = start;
  int evaluations = 0;
  auto distance_at = [&](const std::vector<double>& x, Reach* keep) {
    for (std::size_t i = 0; i < adjustable.size(); ++i) set(scenario, adjustable[i], x[i]);
    recompile_values(scenario, journey);
    const Reach reach = simulate_reach(journey, rows, options);
    ++evaluations;
    double total = 0.0;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      total += binomial_deviance(rows[r].reached, rows[r].entered, reach.share[r], reach.agents[r]);
    }
    if (keep) *keep = reach;
    return total;
  };

  const std::size_t m = adjustable.size();
  std::vector<double> x(m), lower(m), upper(m), step(m);
  for (std::size_t i = 0; i < m; ++i) {
    lower[i] = adjustable[i].lower;
    upper[i] = adjustable[i].upper;
    x[i] = std::clamp(get(start, adjustable[i]), lower[i], upper[i]);
    step[i] = adjustable[i].initial_step;
  }
  const std::vector<double> x0 = x;
  Calibration out;
  out.start_distance = distance_at(x, nullptr);
  double best = out.start_distance;
  std::vector<double> best_x = x;

  using Callback = std::function<double(const std::vector<double>&)>;
  // NLopt turns an exception in the objective into its own failure: a cancelled simulation
  // stops the search, and is thrown again once NLopt has returned.
  bool cancelled = false;
  Callback objective = [&](const std::vector<double>& at) {
    double d = 0.0;
    try {
      d = distance_at(at, nullptr);
    } catch (const RunCancelled&) {
      cancelled = true;
      throw nlopt::forced_stop();
    }
    if (d < best) {
      best = d;
      best_x = at;
    }
    if (options.progress) {
      options.progress(static_cast<std::size_t>(evaluations),
                       static_cast<std::size_t>(options.max_evaluations),
                       fmt::format("simulation {}: deviance {:.4g}, best {:.4g}", evaluations, d, best));
    }
    return d;
  };
  // BOBYQA builds a quadratic model of the distance; the simulated distance is a staircase of
  // one-agent steps under it, which can stop the model early, so the search restarts from the
  // best point with a smaller initial step while that still gains.
  for (int round = 0; round < 4 && evaluations < options.max_evaluations; ++round) {
    const double before = best;
    nlopt::opt opt(nlopt::LN_BOBYQA, static_cast<unsigned>(m));
    opt.set_lower_bounds(lower);
    opt.set_upper_bounds(upper);
    std::vector<double> round_step(m);
    for (std::size_t i = 0; i < m; ++i) round_step[i] = step[i] / static_cast<double>(1 << round);
    opt.set_initial_step(round_step);
    opt.set_xtol_abs(options.tolerance);
    opt.set_maxeval(options.max_evaluations - evaluations);
    opt.set_min_objective(
        [](unsigned n, const double* at, double*, void* data) {
          return (*static_cast<Callback*>(data))(std::vector<double>(at, at + n));
        },
        &objective);
    x = best_x;
    double value = 0.0;
    try {
      opt.optimize(x, value);
    } catch (const nlopt::roundoff_limited&) {
      // The simulated distance is flat below one agent's worth of change: the best point stands.
    } catch (const std::runtime_error&) {
    }
    if (cancelled) throw RunCancelled();
    if (round > 0 && !(before - best > 1e-3)) break;
  }

  Reach reach;
  out.distance = distance_at(best_x, &reach);
  out.scenario = scenario;  // distance_at left it at best_x
  out.evaluations = evaluations;
  for (std::size_t i = 0; i < m; ++i) {
    out.parameters.push_back({adjustable[i].name, x0[i], best_x[i], lower[i], upper[i]});
  }
  for (std::size_t r = 0; r < rows.size(); ++r) {
    FunnelRowFit row;
    row.segment = rows[r].count->segment;
    row.step = rows[r].count->step;
    row.reached = rows[r].reached;
    row.entered = rows[r].entered;
    row.observed = row.entered > 0 ? static_cast<double>(row.reached) / static_cast<double>(row.entered)
                                   : std::numeric_limits<double>::quiet_NaN();
    row.simulated = reach.share[r];
    row.deviance = binomial_deviance(row.reached, row.entered, reach.share[r], reach.agents[r]);
    out.rows.push_back(std::move(row));
  }
  out.degrees_of_freedom = static_cast<int>(rows.size()) - static_cast<int>(m);
  return out;
}

}  // namespace cjsim
