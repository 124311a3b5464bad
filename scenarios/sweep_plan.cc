// Planning a sweep: load, expand the design, validate every point before anything runs.
#include "scenarios/sweep_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <exception>
#include <span>
#include <thread>

#include "scenarios/validate.h"

namespace cjsim {
namespace {

// Failing design points listed one by one before the rest are counted.
constexpr std::size_t kMostPointsListed = 10;

// FNV-1a over length-prefixed texts: enough to tell files apart, and stable across platforms
// and versions (unlike std::hash), which a fingerprint stored in files must be.
class Fingerprint {
 public:
  void add(std::string_view text) {
    const std::uint64_t size = text.size();
    for (int k = 0; k < 8; ++k) byte(static_cast<unsigned char>(size >> (8 * k)));
    for (char c : text) byte(static_cast<unsigned char>(c));
  }
  std::string hex() const { return fmt::format("{:016x}", state_); }

 private:
  void byte(unsigned char b) {
    state_ ^= b;
    state_ *= 0x100000001b3ULL;
  }
  std::uint64_t state_ = 0xcbf29ce484222325ULL;
};

// The problems of design point k's scenario: its values set in `working` (a working copy per
// base, made when first needed; a value that cannot be set leaves the field as it was, but the
// point is then refused anyway), then validated: only what its parameters change (`changed`,
// per base), since its base has no errors.
Diagnostics point_problems(const SweepPlan& plan, std::size_t k,
                           std::vector<std::optional<Scenario>>& working,
                           std::span<const ChangedParts> changed) {
  const Experiment& x = plan.experiment;
  const SweepPoint& point = plan.points[k];
  if (!working[point.scenario]) working[point.scenario] = plan.bases[point.scenario];
  Scenario& scenario = *working[point.scenario];
  Diagnostics found;
  for (std::size_t j = 0; j < point.values.size(); ++j) {
    if (auto problem = set_parameter(scenario, x.parameters[j].path, point.values[j])) {
      found.error(x.parameters[j].where, *problem);
    }
  }
  if (!found.has_errors()) validate_changed(scenario, changed[point.scenario], found);
  if (!found.has_errors() && scenario.calendar) {
    const std::int64_t days = x.days > 0 ? x.days : scenario.calendar->days;
    if (x.warmup_days >= days) {
      found.error(x.scenario_where[point.scenario],
                  fmt::format("a warm-up of {} days leaves nothing of a run of {} days to "
                              "measure",
                              x.warmup_days, days));
    }
  }
  return found;
}

}  // namespace

Scenario point_scenario(const SweepPlan& plan, std::size_t point) {
  const SweepPoint& p = plan.points.at(point);
  Scenario scenario = plan.bases.at(p.scenario);
  for (std::size_t j = 0; j < p.values.size(); ++j) {
    // Paths and whole-number fields were checked when the plan was made.
    (void)set_parameter(scenario, plan.experiment.parameters[j].path, p.values[j]);
  }
  return scenario;
}

const Scenario& PointScenarios::at(std::size_t point) {
  const SweepPoint& p = plan_.points.at(point);
  std::optional<Scenario>& scenario = working_.at(p.scenario);
  if (!scenario) scenario = plan_.bases[p.scenario];
  for (std::size_t j = 0; j < p.values.size(); ++j) {
    (void)set_parameter(*scenario, plan_.experiment.parameters[j].path, p.values[j]);
  }
  return *scenario;
}

std::string describe_point(const SweepPlan& plan, std::size_t point) {
  const SweepPoint& p = plan.points.at(point);
  std::string out;
  for (std::size_t j = 0; j < p.values.size(); ++j) {
    if (!out.empty()) out += ", ";
    out += fmt::format("{} = {}", plan.experiment.parameters[j].path.text, p.values[j]);
  }
  return out;
}

std::optional<SweepPlan> plan_sweep(Experiment experiment, Diagnostics& diagnostics,
                                   unsigned threads) {
  SweepPlan plan;
  plan.experiment = std::move(experiment);
  const Experiment& x = plan.experiment;
  const std::size_t errors_before = diagnostics.error_count();
  Fingerprint fingerprint;
  fingerprint.add(x.text);
  for (std::size_t s = 0; s < x.scenarios.size(); ++s) {
    std::optional<Scenario> scenario = load_valid_scenario(x.scenarios[s], diagnostics);
    if (!scenario) {
      diagnostics.error(x.scenario_where[s],
                        fmt::format("the scenario {} cannot be run (see above)", x.scenarios[s]));
      continue;
    }
    // A sweep's points are all calendar journeys or all plain ones: their figures differ.
    if (!plan.bases.empty() && plan.bases.front().calendar.has_value() != scenario->calendar.has_value()) {
      diagnostics.error(x.scenario_where[s],
                        fmt::format("the scenario {} {} a calendar and the experiment's first "
                                    "scenario {}; a sweep runs calendar journeys or plain ones, "
                                    "not both",
                                    x.scenarios[s], scenario->calendar ? "has" : "has no",
                                    scenario->calendar ? "has none" : "has one"));
      continue;
    }
    if (!scenario->calendar && (x.days > 0 || x.warmup_days > 0)) {
      diagnostics.error(x.scenario_where[s],
                        fmt::format("the scenario {} has no calendar: days and warm-up days "
                                    "take calendar journeys",
                                    x.scenarios[s]));
      continue;
    }
    fingerprint.add(scenario->source_text);
    for (const SourceFile& base : scenario->base_sources) fingerprint.add(base.text);
    plan.bases.push_back(std::move(*scenario));
  }
  if (diagnostics.error_count() != errors_before) return std::nullopt;
  plan.fingerprint = fingerprint.hex();

  for (const ExperimentParameter& p : x.parameters) {
    for (std::size_t s = 0; s < plan.bases.size(); ++s) {
      if (auto problem = check_parameter_path(plan.bases[s], p.path)) {
        diagnostics.error(p.where,
                          fmt::format("{}: {} ({})", p.path.text, *problem, x.scenarios[s]));
      }
    }
  }
  if (diagnostics.error_count() != errors_before) return std::nullopt;

  const DesignRows rows = design_rows(x);
  for (std::size_t s = 0; s < plan.bases.size(); ++s) {
    for (const std::vector<double>& row : rows) plan.points.push_back({s, row});
  }

  // Each point's problems, found on `threads` threads (a working copy of every base each)
  // and reported in the points' order, slice by slice.
  std::vector<ParameterPath> paths;
  for (const ExperimentParameter& p : x.parameters) paths.push_back(p.path);
  std::vector<ChangedParts> changed;
  for (const Scenario& base : plan.bases) changed.push_back(changed_parts(base, paths));
  const std::size_t workers = std::max<std::size_t>(threads, 1);
  std::vector<std::vector<std::optional<Scenario>>> working(
      workers, std::vector<std::optional<Scenario>>(plan.bases.size()));
  constexpr std::size_t kSlicePoints = 4096;
  std::vector<Diagnostics> found;
  std::size_t failing = 0;
  for (std::size_t first = 0; first < plan.points.size(); first += kSlicePoints) {
    const std::size_t count = std::min(kSlicePoints, plan.points.size() - first);
    found.assign(count, Diagnostics());
    const std::size_t used = std::min(workers, count);
    const auto check = [&](std::size_t w) {
      for (std::size_t j = count * w / used; j < count * (w + 1) / used; ++j) {
        found[j] = point_problems(plan, first + j, working[w], changed);
      }
    };
    if (used == 1) {
      check(0);
    } else {
      std::vector<std::exception_ptr> failed(used);
      std::vector<std::thread> pool;
      for (std::size_t w = 0; w < used; ++w) {
        pool.emplace_back([&, w] {
          try {
            check(w);
          } catch (...) {
            failed[w] = std::current_exception();
          }
        });
      }
      for (std::thread& t : pool) t.join();
      for (const std::exception_ptr& e : failed) {
        if (e) std::rethrow_exception(e);
      }
    }
    for (std::size_t j = 0; j < count; ++j) {
      if (!found[j].has_errors()) continue;
      const std::size_t k = first + j;
      if (++failing > kMostPointsListed) continue;
      for (const Diagnostic& d : found[j].all()) {
        if (d.severity != Severity::error) continue;
        // The experiment's first parameter stands for the point; the message names them all.
        diagnostics.error(x.parameters.front().where,
                          fmt::format("design point {} ({}; scenario {}) is not a valid journey: "
                                      "{} (at {}:{})",
                                      k, describe_point(plan, k),
                                      x.scenarios[plan.points[k].scenario], d.message,
                                      d.where.file, d.where.line));
      }
    }
  }
  if (failing > kMostPointsListed) {
    diagnostics.error(x.parameters.front().where,
                      fmt::format("{} more design points are not valid journeys (of {} points "
                                  "in all); narrow the parameters' values",
                                  failing - kMostPointsListed, plan.points.size()));
  }
  if (diagnostics.error_count() != errors_before) return std::nullopt;
  return plan;
}

}  // namespace cjsim
