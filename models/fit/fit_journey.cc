// The fit workflow: which fit the data and the skeleton call for, the holdout split, the
// fitted journey written and read back, its closed forms, and the simulation that checks it.
#include "models/fit/fit_journey.h"

#include <fmt/format.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include "models/fit/markov_fit.h"
#include "models/fit/queue_fit.h"
#include "models/fit/persona_collapse.h"
#include "models/fit/simulated_journeys.h"
#include "scenarios/loader.h"
#include "scenarios/validate.h"
#include "scenarios/writer.h"
#include "sim/model/cancellation.h"
#include "sim/model/markov.h"

namespace cjsim {
namespace {

void check_cancelled(const FitRequest& request) {
  if (is_cancelled(request.cancel)) throw RunCancelled();
}

// The Markov chain MLE; a skeleton lends its stages.
MarkovFit fit_markov_chain(const ObservedJourneys& data, const FitRequest& request) {
  MarkovFitOptions options;
  if (!request.name.empty()) options.name = request.name;
  options.skeleton = request.skeleton ? &*request.skeleton : nullptr;
  options.durations = request.durations;
  try {
    return fit_markov(data, options);
  } catch (const std::invalid_argument& e) {
    throw std::runtime_error(fmt::format("{}: {}", request.data_name, e.what()));
  }
}

// The data with each touchpoint named by the skeleton's id for it, found as the data's name
// itself, the name made an id as a fit writes it (`Paid Search` -> `Paid_Search`), or a
// touchpoint's `name`: so a journey cjsim fitted is a skeleton for its own data.
ObservedJourneys in_skeleton_terms(ObservedJourneys data, const Scenario& skeleton) {
  std::map<std::string, std::string, std::less<>> id_of;
  for (const Touchpoint& t : skeleton.touchpoints) id_of.emplace(t.id, t.id);
  for (const Touchpoint& t : skeleton.touchpoints) {
    if (!t.name.empty()) id_of.emplace(t.name, t.id);
  }
  for (std::string& name : data.touchpoints) {
    auto it = id_of.find(name);
    if (it == id_of.end()) it = id_of.find(id_from_name(name));
    if (it != id_of.end()) name = it->second;
  }
  return data;
}

// The data's touchpoints that `skeleton` has no touchpoint for (by id), in order of appearance.
std::vector<std::string> touchpoints_not_in(const ObservedJourneys& data,
                                            const Scenario& skeleton) {
  std::set<std::string> known;
  for (const Touchpoint& t : skeleton.touchpoints) known.insert(t.id);
  std::vector<std::string> missing;
  std::set<std::string> seen;
  for (const std::string& id : data.touchpoints) {
    if (!known.contains(id) && seen.insert(id).second) missing.push_back(id);
  }
  return missing;
}

// The data with the skeleton's stage for each touchpoint whose stage the data do not name, so
// that stage reach compares like with like.
ObservedJourneys with_skeleton_stages(ObservedJourneys data, const Scenario& skeleton) {
  data.stages.resize(data.touchpoints.size());
  for (std::size_t t = 0; t < data.touchpoints.size(); ++t) {
    if (!data.stages[t].empty()) continue;
    for (const Touchpoint& s : skeleton.touchpoints) {
      if (s.id == data.touchpoints[t]) data.stages[t] = s.stage;
    }
  }
  return data;
}

std::string listed(const std::vector<std::string>& names) {
  constexpr std::size_t shown = 5;
  std::string out;
  for (std::size_t k = 0; k < names.size() && k < shown; ++k) {
    out += (k ? ", '" : "'") + names[k] + "'";
  }
  if (names.size() > shown) out += fmt::format(" and {} more", names.size() - shown);
  return out;
}

// The maximum-likelihood fit of `base`'s emotion parameters, weights, dropouts and (K > 1)
// latent personas; paths `base` cannot produce are errors in `result`, and nullopt.
std::optional<EmotionFit> fit_on_skeleton(const Scenario& base, const std::string& base_name,
                                          const ObservedJourneys& data, const FitRequest& request,
                                          FitResult& result) {
  EmotionFitOptions options;
  options.personas = static_cast<int>(request.personas);
  options.estimate_kappa = request.estimate_kappa;
  options.seed = request.seed;
  options.progress = request.progress;
  options.cancel = request.cancel;
  std::optional<EmotionFit> fit;
  const auto fit_it = [&] { fit = fit_emotion(base, data, options, result.diagnostics); };
  if (request.threads > 0) {
    tbb::task_arena(static_cast<int>(request.threads)).execute(fit_it);
  } else {
    fit_it();
  }
  if (!fit) {
    result.refusal =
        fmt::format("{}: {} cannot produce these data ({}), nothing was written", request.data_name,
                    base_name, counted(result.diagnostics.error_count(), "error"));
  }
  return fit;
}

// The fitted scenario as the file says it: written, then read back and validated, so that
// what is checked is what `run` will load.
Scenario written_and_read_back(const std::string& yaml, const std::string& name) {
  // A file over the loader's limit would be written and then refused by every command.
  if (yaml.size() > kMostScenarioBytes) {
    throw std::runtime_error(fmt::format(
        "{}: the fitted journey would take {:.1f} MiB, over the {} MiB a scenario file may hold, "
        "so nothing was written: shorten the data's touchpoint, channel and stage names, or "
        "group rare touchpoints",
        name, static_cast<double>(yaml.size()) / (1 << 20), kMostScenarioBytes >> 20));
  }
  Diagnostics diagnostics;
  std::optional<Scenario> loaded = parse_scenario(yaml, name, diagnostics);
  if (loaded) validate_scenario(*loaded, diagnostics);
  if (!loaded || diagnostics.has_errors()) {
    throw std::logic_error(diagnostics.to_string() +
                           "the fitted journey does not load back as a valid scenario (a bug)");
  }
  return *loaded;
}

double steps_per_customer(const ObservedJourneys& data) {
  double steps = 0.0, customers = 0.0;
  for (const ObservedPath& p : data.paths) {
    steps += static_cast<double>(p.count) * static_cast<double>(p.touchpoints.size());
    customers += static_cast<double>(p.count);
  }
  return customers > 0 ? steps / customers : 0.0;
}

double conversion_rate(const ObservedJourneys& data) {
  double converted = 0.0, customers = 0.0;
  for (const ObservedPath& p : data.paths) {
    if (p.conversion_step >= 0) converted += static_cast<double>(p.count);
    customers += static_cast<double>(p.count);
  }
  return customers > 0 ? converted / customers : 0.0;
}

// A funnel calibrates the skeleton's dropouts by simulation (models/fit/calibration.h).
FitResult calibrate_to_funnel(const ObservedFunnel& funnel, const FitRequest& request) {
  if (!request.skeleton) {
    throw std::invalid_argument(fmt::format(
        "{} is a funnel, and a funnel calibrates a journey: give a skeleton", request.data_name));
  }
  if (request.personas > 1 || request.estimate_kappa || request.holdout > 0.0 ||
      request.uncertainty.method != FitUncertaintyMethod::none || request.order != 1 ||
      request.compare_orders || request.durations != DurationFamily::exponential ||
      request.calendar) {
    throw std::invalid_argument(
        "a funnel is calibrated by simulation: latent personas, kappa estimated, a holdout, "
        "the fitted parameters' uncertainty, the chain's order, durations and a calendar apply "
        "to observed paths only");
  }
  FitResult result;
  CalibrationOptions options;
  options.agents = request.agents;
  options.seed = request.seed;
  options.threads = request.threads;
  options.parameters = request.calibrate;
  options.progress = request.progress;
  options.cancel = request.cancel;
  result.calibration = calibrate(*request.skeleton, funnel, options, result.diagnostics);
  if (!result.calibration) {
    result.refusal = fmt::format("{}: {}, nothing was written", request.data_name,
                                 counted(result.diagnostics.error_count(), "error"));
    return result;
  }
  const Calibration& calibration = *result.calibration;
  if (calibration.degrees_of_freedom == 0) {
    result.notes.push_back(fmt::format(
        "{} parameters calibrated to {} funnel rows: the funnel can pin each down, but leaves "
        "no degree of freedom to test the fit with (its distance is 0 at the best fit)",
        calibration.parameters.size(), calibration.rows.size()));
  } else if (calibration.degrees_of_freedom < 0) {
    result.diagnostics.warning(
        {request.data_name, 0, 0},
        fmt::format("{} parameters calibrated to {} funnel rows: more parameters than the "
                    "funnel can pin down, so the calibration is one of many that fit; name "
                    "fewer with --calibrate",
                    calibration.parameters.size(), calibration.rows.size()));
  }
  Scenario calibrated = calibration.scenario;
  if (!request.name.empty()) calibrated.name = request.name;
  result.scenario_yaml = scenario_yaml(calibrated);
  result.scenario = written_and_read_back(result.scenario_yaml, request.out_name);
  return result;
}

// The activity a fitted touchpoint stands for: its label without the conversion phase's
// words, and of a window of an order-k chain ("a > b"), the last.
std::string activity_of(const Touchpoint& tp) {
  std::string name = tp.name.empty() ? tp.id : tp.name;
  for (std::string_view phase : {" (converted)", " (after converting)"}) {
    if (name.ends_with(phase)) name.resize(name.size() - phase.size());
  }
  const std::size_t window = name.rfind(" > ");
  return window == std::string::npos ? name : name.substr(window + 3);
}

// Each queued activity's resource (its servers by weekday and hour), and on every touchpoint
// standing for it, the resource, the patience when fitted, and the service time as its
// duration (exponential, of the mean start-to-complete hours).
void add_queues(Scenario& fitted, FitResult& result) {
  std::set<std::string> ids;
  for (const Resource& r : fitted.resources) ids.insert(r.id);
  for (QueueFit& queue : result.queues) {
    const std::string activity_id = id_from_name(queue.touchpoint);
    std::vector<Touchpoint*> touchpoints;
    for (Touchpoint& tp : fitted.touchpoints) {
      if (activity_of(tp) == queue.touchpoint || tp.id == activity_id) touchpoints.push_back(&tp);
    }
    if (touchpoints.empty()) {
      result.notes.push_back(fmt::format(
          "Queues: '{}' is queued in the data but no touchpoint of the journey (no visit to it "
          "is kept): no resource is written for it",
          queue.touchpoint));
      continue;
    }
    if (queue.capacity == 0) {
      result.notes.push_back(fmt::format(
          "Queues: '{}' is queued in the data but never served (no start-to-complete service): "
          "no servers to estimate, no resource is written for it",
          queue.touchpoint));
      continue;
    }
    std::string id = activity_id + "_servers";
    for (int k = 2; ids.contains(id); ++k) id = fmt::format("{}_servers-{}", activity_id, k);
    ids.insert(id);
    queue.resource = id;
    fitted.resources.push_back(resource_of(queue, id));
    for (Touchpoint* tp : touchpoints) {
      tp->resource = id;
      if (queue.patience_fitted) tp->patience_hours = queue.patience_hours;
      if (queue.services > 0 && queue.mean_service_hours > 0.0) {
        tp->duration = Duration{Duration::Kind::exponential, queue.mean_service_hours, 0.0, 0.0};
        // An uncertainty written for the gap between visits is not the service time's.
        for (auto at = tp->uncertain.begin(); at != tp->uncertain.end();) {
          at = at->first.starts_with("duration") ? tp->uncertain.erase(at) : std::next(at);
        }
      }
    }
    result.notes.push_back(fmt::format(
        "Queues: '{}' waits {:.3g} h on average (90% within {:.3g} h), {:.3g}% of {} queued "
        "abandoned; {}; service {:.3g} h on average; resource '{}' with up to {} servers",
        queue.touchpoint, queue.mean_wait_hours, queue.p90_wait_hours,
        100.0 * queue.abandonment_share, queue.queued,
        queue.patience_fitted
            ? fmt::format("patience {:.3g} h [95% CI {:.3g}, {:.3g}]", queue.patience_hours,
                          queue.patience_low, queue.patience_high)
            : queue.patience_note,
        queue.mean_service_hours, id, queue.capacity));
  }
}

// The fitted journey simulated, its paths against the data's (and the held-out share's).
void check_by_simulation(const ObservedJourneys& fitted_data, const ObservedJourneys& held_data,
                         const FitRequest& request, FitResult& result) {
  // A fitted calendar has organic arrivals only (no resources, opening hours, referrals or
  // returns), so its customers walk as the plain model's do: the check simulates those.
  Scenario plain = result.scenario;
  plain.calendar.reset();
  plain.resources.clear();
  for (Touchpoint& tp : plain.touchpoints) {
    tp.resource.clear();
    tp.patience_hours.reset();
  }
  const CompiledJourney journey = compile(plain);
  result.no_closed_forms = why_not_markov(journey);
  result.has_closed_forms = result.no_closed_forms.empty();
  if (result.has_closed_forms) {
    const MarkovAnalysis closed = analyse_markov(journey);
    result.fitted_conversion_probability = closed.conversion_probability;
    result.fitted_steps_per_customer = closed.expected_steps;
  }

  RunOptions options;
  options.agents = request.agents;
  options.seed = request.seed;
  options.threads = request.threads;
  options.agent_paths = true;
  options.agent_path_hours = true;  // the goodness of fit's time figures
  options.agent_records = true;
  if (request.before_check) request.before_check(journey, options);
  check_cancelled(request);
  if (request.progress) {
    const std::string stage(kCheckingTheFit);
    request.progress(0, options.agents * options.replications, stage);
    options.progress = [&request, stage](std::uint64_t done, std::uint64_t total) {
      request.progress(done, total, stage);
    };
  }
  options.cancel = request.cancel;
  const RunResult run_result = run(journey, options);
  const ObservedJourneys simulated = observed_from_simulation(journey, *run_result.detail);
  const std::vector<std::string>& stages = result.scenario.stages;
  result.checks.emplace_back("fitted",
                             goodness_of_fit(fitted_data, simulated, stages, request.top_paths));
  if (request.holdout > 0.0) {
    result.checks.emplace_back("holdout",
                               goodness_of_fit(held_data, simulated, stages, request.top_paths));
  }
}

// The Markov chain's order: the request's, or BIC's choice (on the fitted share); each
// compared order's criteria noted.
void choose_order(const ObservedJourneys& kept, const ObservedJourneys& held,
                  const FitRequest& request, FitResult& result) {
  if (request.order < 0 || request.order > kMostFitOrder) {
    throw std::runtime_error(
        fmt::format("--order {}: a Markov chain's order is 1 to {}", request.order, kMostFitOrder));
  }
  result.order = request.order == 0 ? 1 : request.order;
  if (!request.compare_orders && request.order != 0) return;
  const int highest = std::max(request.order, 3);
  for (int k = 1; k <= highest; ++k) {
    check_cancelled(request);
    result.orders.push_back(order_criterion(kept, k));
  }
  const int preferred = order_by_bic(result.orders);
  if (request.order == 0) result.order = preferred;
  double held_customers = 0.0;
  for (const ObservedPath& p : held.paths) held_customers += static_cast<double>(p.count);
  const double scored = held_customers > 0.0 ? held_out_scores(kept, held, result.orders) : 0.0;
  for (const OrderCriterion& c : result.orders) {
    std::string line = fmt::format(
        "Order {}: {} states, log-likelihood {:.2f}, {} parameters, AIC {:.2f}, BIC {:.2f}",
        c.order, c.states, c.log_likelihood, c.parameters, c.aic, c.bic);
    if (scored > 0.0) {
      line += fmt::format("; held out: log-likelihood {:.4f} per customer", c.held_out_log_likelihood);
      if (c.held_out_unexplained > 0.0) {
        line += fmt::format(", {:.0f} customers unexplained", c.held_out_unexplained);
      }
    }
    result.notes.push_back(std::move(line));
  }
  result.notes.push_back(fmt::format("BIC prefers order {}; the chain fitted is of order {}{}",
                                     preferred, result.order,
                                     result.order > 1 ? " (its touchpoints are windows of the "
                                                        "last touchpoints, 'a > b')"
                                                      : ""));
  if (scored > 0.0) {
    result.notes.push_back(fmt::format(
        "On the held-out customers every order explains ({:.0f} of {:.0f}: a customer whose "
        "start, move or end the fitted share never saw has probability 0 under an order), the "
        "log-likelihood prefers order {}",
        scored, held_customers, order_by_held_out(result.orders)));
  } else if (held_customers > 0.0) {
    result.notes.push_back(
        "No held-out customer is explained by every order compared (each has a start, move or "
        "end some order's fitted share never saw): the held-out likelihood cannot rank them");
  }
}

// The fitted parameters with their uncertainty, as the request asks, and a note saying so.
void add_uncertainty(const ObservedJourneys& kept, const FitRequest& request, FitResult& result) {
  const FitUncertainty& u = request.uncertainty;
  if (u.method == FitUncertaintyMethod::none) return;
  const std::size_t written = result.emotion
                                  ? add_emotion_uncertainty(*result.emotion)
                                  : add_markov_uncertainty(*result.markov, kept, u, request.seed);
  const std::string how =
      u.method == FitUncertaintyMethod::bootstrap
          ? fmt::format("from {} bootstrap resamples of the customers", u.resamples)
          : std::string("from the fit's standard errors");
  if (written == 0) {
    result.notes.push_back(fmt::format(
        "No fitted parameter has an uncertainty to write ({}): the data fix every one", how));
    return;
  }
  result.notes.push_back(fmt::format(
      "{} written with {} uncertainty ({}; a beta for a probability, a normal otherwise): run "
      "or compare the fitted journey with --draws K to carry it",
      counted(written, "fitted parameter"), written == 1 ? "its" : "their", how));
}

// Segments are fitted as personas on the Markov chain, from data that name them.
void check_segments(const ObservedJourneys& data, const FitRequest& request, bool on_emotion) {
  if (request.segment_column.empty()) return;
  if (on_emotion) {
    throw std::runtime_error(
        "--segment-column fits each segment's own numbers on the Markov chain; a fit on a "
        "skeleton or of latent personas (--personas K) models personas of its own");
  }
  if (data.segments.size() < 2) {
    throw std::runtime_error(fmt::format(
        "{}: --segment-column {}: the data name {} segment, so there is nothing to fit per "
        "segment (a path table or XES carries no segment; a CSV event log's column does)",
        request.data_name, request.segment_column, data.segments.size()));
  }
}

// What each segment's persona holds, and its conversion in the data against its own chain.
void note_segments(const std::vector<SegmentFit>& segments, const std::string& column,
                   std::vector<std::string>& notes) {
  notes.push_back(fmt::format(
      "{} fitted as personas, one per {} (sim/model/MODEL.md 1.12): each persona's entry "
      "weights, dropouts and transition weights are its own customers' counts, its share theirs; "
      "the journey's numbers are the pooled fit",
      counted(segments.size(), "segment"), column));
  for (const SegmentFit& s : segments) {
    notes.push_back(fmt::format(
        "Segment '{}' -> persona '{}' ({:.0f} customers, {:.1f}%): {}, {} and {} of its own; "
        "converts {:.2f}% in the data, {:.2f}% in its persona's chain",
        s.segment, s.persona, s.customers, 100.0 * s.share,
        counted(s.entry_weights, "entry weight"), counted(s.dropouts, "dropout"),
        counted(s.transition_weights, "transition weight"), 100.0 * s.data_conversion_rate,
        100.0 * s.fitted_conversion_probability));
  }
}

FitResult fit_paths(const ObservedJourneys& observed, const FitRequest& request) {
  FitResult result;
  const std::optional<Scenario>& skeleton = request.skeleton;
  const ObservedJourneys data = skeleton ? in_skeleton_terms(observed, *skeleton) : observed;
  // Conversions only (a path table without a column of customers who did not convert, as GA4
  // exports them): the chain learns that everyone converts.
  if (conversion_rate(data) == 1.0) {
    result.diagnostics.warning(
        {request.data_name, 0, 0},
        "every customer in the data converted (a path table of conversions only has no column "
        "of customers who did not: --null-column names it): the fitted journey converts "
        "everyone, and its conversion rate and dropouts say nothing of customers who left");
  }
  if (request.calendar) {
    if (data.first_visits.empty()) {
      throw std::runtime_error(fmt::format(
          "{}: --calendar fits arrivals from timestamps, and the data have none (a path table, "
          "or XES without time:timestamp)",
          request.data_name));
    }
    result.arrivals = fit_arrivals(data.first_visits, request.data_name, result.diagnostics);
    for (const std::string& note : result.arrivals->notes) {
      result.notes.push_back("Arrivals: " + note);
    }
  }
  if (request.calendar) result.queues = fit_queues(observed);
  const auto [kept, held] = split_holdout(data, request.holdout, request.seed);
  check_cancelled(request);
  // What the fit was fitted to, in the fit's own touchpoint table (the chain's windows when
  // its order is above 1), and the same in the fitted journey's terms.
  ObservedJourneys fit_input = kept;
  // The skeleton itself is fitted when it has every touchpoint of the data; else the Markov
  // chain is, with the skeleton's stages, and latent personas (K > 1) on that chain.
  ObservedJourneys fitted_data, held_data;
  const std::vector<std::string> missing =
      skeleton ? touchpoints_not_in(data, *skeleton) : std::vector<std::string>{};
  // A skeleton that names too few of the data's touchpoints is the wrong file, or ids that
  // cannot be matched: fitting the Markov chain in its place would hide that.
  const std::size_t distinct =
      std::set<std::string>(data.touchpoints.begin(), data.touchpoints.end()).size();
  if (skeleton && 2 * missing.size() > distinct) {
    throw std::runtime_error(fmt::format(
        "{}: the skeleton {} has no touchpoint for {} of the data's {} touchpoints ({}): a "
        "touchpoint is matched by its id, by its `name`, or by the data's name made an id "
        "('Paid Search' -> 'Paid_Search'); give a skeleton of these touchpoints, or fit "
        "without --skeleton",
        request.data_name, request.skeleton_name, missing.size(), distinct, listed(missing)));
  }
  const bool on_skeleton = skeleton && missing.empty();
  const PersonaModel persona_model =
      request.persona_model.value_or(on_skeleton ? PersonaModel::odds : PersonaModel::chains);
  if (on_skeleton && request.personas > 1 && persona_model == PersonaModel::chains) {
    throw std::runtime_error(
        "--persona-model chains fits latent personas as a mixture of Markov chains on the "
        "Markov-fitted journey; a skeleton's latent personas are fitted by --persona-model odds "
        "(or fit without --skeleton)");
  }
  const bool mixture = request.personas > 1 && persona_model == PersonaModel::chains;
  const bool on_emotion = on_skeleton || (request.personas > 1 && !mixture);
  check_segments(data, request, on_emotion || mixture);
  if (on_emotion && request.order != 1) {
    throw std::runtime_error(
        "--order fits a higher-order Markov chain; a fit on a skeleton or of latent personas "
        "is of order 1");
  }
  if (on_emotion && request.uncertainty.method == FitUncertaintyMethod::bootstrap) {
    throw std::runtime_error(
        "--uncertainty bootstrap refits the Markov chain for each resample; a fit on a skeleton "
        "or of latent personas takes --uncertainty standard-errors");
  }
  if (skeleton && missing.empty()) {
    fitted_data = with_skeleton_stages(kept, *skeleton);
    held_data = with_skeleton_stages(held, *skeleton);
    result.emotion =
        fit_on_skeleton(*skeleton, "the skeleton " + request.skeleton_name, kept, request, result);
    if (!result.emotion) return result;
    if (request.personas > 1) {
      result.emotion->collapse = detect_persona_collapse(*result.emotion, std::nullopt);
      result.notes.push_back(persona_collapse_text(result.emotion->collapse));
    }
  } else {
    if (skeleton) {
      result.notes.push_back(fmt::format(
          "The skeleton {} has no touchpoint {} of the data: the Markov chain is fitted, "
          "taking the skeleton's stages",
          request.skeleton_name, listed(missing)));
    }
    choose_order(kept, held, request, result);
    // The states of the chosen order, split again: the split depends only on the paths'
    // counts and the seed, so the shares are the same customers, and the windows of both
    // share one touchpoint table, as in_fitted_terms needs.
    auto [kept_states, held_states] =
        result.order == 1
            ? std::pair(kept, held)
            : split_holdout(windows_of_order(data, result.order), request.holdout, request.seed);
    result.markov = fit_markov_chain(kept_states, request);
    fit_input = kept_states;
    const MarkovFit& m = *result.markov;
    if (request.durations == DurationFamily::best) {
      result.notes.push_back(
          m.fixed_durations + m.exponential_durations + m.lognormal_durations == 0
              ? std::string("No duration is fitted: the data have no time between visits")
              : fmt::format("Durations from the hours between visits, each touchpoint's family "
                            "by AIC: {} lognormal, {} exponential, {} fixed",
                            m.lognormal_durations, m.exponential_durations, m.fixed_durations));
    }
    fitted_data = in_fitted_terms(kept_states, *result.markov);
    held_data = in_fitted_terms(held_states, *result.markov);
    if (mixture) {
      result.notes.push_back(fmt::format(
          "{} latent personas are fitted on the Markov-fitted journey, as a mixture of Markov "
          "chains",
          request.personas));
      if (request.estimate_kappa) {
        result.notes.push_back(
            "--estimate-kappa applies to a fit on a skeleton or with --persona-model odds; a "
            "mixture of Markov chains has no emotion");
      }
    } else if (request.personas > 1) {
      result.notes.push_back(fmt::format(
          "{} latent personas are fitted on the Markov-fitted journey", request.personas));
      check_cancelled(request);
      result.emotion = fit_on_skeleton(result.markov->scenario, "the Markov-fitted journey",
                                       fitted_data, request, result);
      if (!result.emotion) return result;
      // The best single persona on this chain is the chain itself.
      result.emotion->collapse = detect_persona_collapse(
          *result.emotion,
          path_log_likelihood(result.markov->scenario, fitted_data, result.diagnostics));
      result.notes.push_back(persona_collapse_text(result.emotion->collapse));
    } else if (request.estimate_kappa) {
      result.notes.push_back(
          "--estimate-kappa applies to a fit on a skeleton or with --personas K > 1; "
          "the Markov chain has no emotion");
    }
  }
  check_cancelled(request);
  add_uncertainty(fit_input, request, result);
  Scenario fitted = result.emotion ? result.emotion->scenario : result.markov->scenario;
  if (!request.name.empty()) fitted.name = request.name;
  if (result.arrivals) fitted.calendar = calendar_of(*result.arrivals);
  if (!result.queues.empty()) add_queues(fitted, result);
  if (mixture) {
    ChainMixtureOptions options;
    options.personas = static_cast<int>(request.personas);
    options.seed = request.seed;
    options.progress = request.progress;
    options.cancel = request.cancel;
    try {
      result.mixture = fit_chain_mixture(fitted_data, fitted, options);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(fmt::format("{}: {}", request.data_name, e.what()));
    }
    for (std::string& note : chain_mixture_notes(*result.mixture)) {
      result.notes.push_back(std::move(note));
    }
  }
  if (!request.segment_column.empty()) {
    result.segments = add_segment_personas(fitted_data, request.segment_column, fitted);
    note_segments(result.segments, request.segment_column, result.notes);
  }
  result.scenario_yaml = scenario_yaml(fitted);
  result.scenario = written_and_read_back(result.scenario_yaml, request.out_name);
  result.data_conversion_rate = conversion_rate(fitted_data);
  result.data_steps_per_customer = steps_per_customer(fitted_data);
  check_by_simulation(fitted_data, held_data, request, result);
  return result;
}

}  // namespace

FitResult fit_journey(const FitRequest& request) {
  check_cancelled(request);
  if (const auto* funnel = std::get_if<ObservedFunnel>(&request.data)) {
    return calibrate_to_funnel(*funnel, request);
  }
  return fit_paths(std::get<ObservedJourneys>(request.data), request);
}

}  // namespace cjsim
