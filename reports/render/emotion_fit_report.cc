// Text and JSON forms of EmotionFit, Calibration and ArrivalFit.
#include "reports/render/emotion_fit_report.h"

#include <fmt/format.h>

#include <cmath>

#include "reports/render/json_report.h"
#include "scenarios/week_hours.h"

namespace cjsim {
namespace {

std::string significant(double x) { return std::isfinite(x) ? fmt::format("{:.4g}", x) : "-"; }

}  // namespace

nlohmann::json persona_collapse_json(const PersonaCollapse& c) {
  nlohmann::json pairs = nlohmann::json::array();
  for (const auto& [a, b] : c.coinciding) pairs.push_back({a, b});
  return {{"collapsed", c.collapsed},
          {"coinciding", std::move(pairs)},
          {"one_persona_log_likelihood", json_number(c.one_persona_log_likelihood)},
          {"log_likelihood_gain", json_number(c.log_likelihood_gain)},
          {"extra_parameters", c.extra_parameters},
          {"gain_threshold", json_number(c.gain_threshold)},
          {"criterion", c.criterion}};
}

namespace {

nlohmann::json segment_fit_json(const SegmentFit& s) {
  return {{"segment", s.segment},
          {"persona", s.persona},
          {"customers", s.customers},
          {"share", s.share},
          {"entry_weights", s.entry_weights},
          {"dropouts", s.dropouts},
          {"transition_weights", s.transition_weights},
          {"data_conversion_rate", s.data_conversion_rate},
          {"fitted_conversion_probability", std::isnan(s.fitted_conversion_probability)
                                                ? nlohmann::json()
                                                : nlohmann::json(s.fitted_conversion_probability)}};
}

}  // namespace

nlohmann::json chain_mixture_json(const ChainMixture& m) {
  nlohmann::json personas = nlohmann::json::array();
  for (const SegmentFit& p : m.personas) {
    nlohmann::json item = segment_fit_json(p);
    item.erase("segment");
    personas.push_back(std::move(item));
  }
  nlohmann::json trace = nlohmann::json::array();
  for (const double x : m.log_likelihood_by_iteration) trace.push_back(json_number(x));
  nlohmann::json starts = nlohmann::json::array();
  for (const double x : m.start_log_likelihoods) starts.push_back(json_number(x));
  return {{"model", "chains"},
          {"customers", m.customers},
          {"distinct_paths", m.distinct_paths},
          {"log_likelihood", json_number(m.log_likelihood)},
          {"free_parameters", m.free_parameters},
          {"aic", json_number(m.aic)},
          {"bic", json_number(m.bic)},
          {"one_chain_log_likelihood", json_number(m.one_chain_log_likelihood)},
          {"one_chain_parameters", m.one_chain_parameters},
          {"one_chain_bic", json_number(m.one_chain_bic)},
          {"starts", m.starts},
          {"best_start", m.best_start},
          {"start_log_likelihoods", std::move(starts)},
          {"iterations", m.iterations},
          {"converged", m.converged},
          {"log_likelihood_by_iteration", std::move(trace)},
          {"personas", std::move(personas)},
          {"personas_collapse", persona_collapse_json(m.collapse)}};
}

std::string emotion_fit_text(const EmotionFit& fit) {
  std::size_t width = 9;
  for (const FittedParameter& p : fit.parameters) width = std::max(width, p.name.size());
  std::string out = fmt::format("{} customers, {} distinct paths, {} free parameters\n",
                                fit.customers, fit.distinct_paths, fit.free_parameters);
  out += fmt::format("log-likelihood {:.3f}   AIC {:.1f}   BIC {:.1f}", fit.log_likelihood, fit.aic,
                     fit.bic);
  if (fit.em_iterations > 0) out += fmt::format("   EM iterations {}", fit.em_iterations);
  out += "\n\n";
  out += fmt::format("  {:<{}}  {:>10}  {:>10}  {:>23}\n", "parameter", width, "value", "std error",
                     "95% interval");
  for (const FittedParameter& p : fit.parameters) {
    if (p.identifiable) {
      out += fmt::format("  {:<{}}  {:>10}  {:>10}  {:>23}\n", p.name, width, significant(p.value),
                         significant(p.standard_error),
                         fmt::format("[{}, {}]", significant(p.low), significant(p.high)));
    } else {
      out += fmt::format("  {:<{}}  {:>10}  not identifiable: {}\n", p.name, width,
                         significant(p.value), p.why_not);
    }
  }
  if (!fit.notes.empty()) out += "\n";
  for (const std::string& note : fit.notes) out += "note: " + note + "\n";
  return out;
}

nlohmann::json emotion_fit_json(const EmotionFit& fit) {
  nlohmann::json parameters = nlohmann::json::array();
  for (const FittedParameter& p : fit.parameters) {
    nlohmann::json item{{"name", p.name},
                        {"value", json_number(p.value)},
                        {"identifiable", p.identifiable}};
    if (p.identifiable) {
      item["standard_error"] = json_number(p.standard_error);
      item["ci"] = {json_number(p.low), json_number(p.high)};
    } else {
      item["why_not"] = p.why_not;
    }
    parameters.push_back(std::move(item));
  }
  nlohmann::json json{{"customers", fit.customers},
          {"distinct_paths", fit.distinct_paths},
          {"free_parameters", fit.free_parameters},
          {"log_likelihood", json_number(fit.log_likelihood)},
          {"aic", json_number(fit.aic)},
          {"bic", json_number(fit.bic)},
          {"em_iterations", fit.em_iterations},
          {"parameters", std::move(parameters)},
          {"notes", fit.notes}};
  if (fit.collapse.checked) json["personas_collapse"] = persona_collapse_json(fit.collapse);
  return json;
}

std::string calibration_text(const Calibration& c) {
  std::string out = fmt::format(
      "distance (binomial deviance) {:.2f} on {} degrees of freedom, from {:.2f} at the start, "
      "{} simulations\n\n",
      c.distance, c.degrees_of_freedom, c.start_distance, c.evaluations);
  std::size_t width = 9;
  for (const CalibratedParameter& p : c.parameters) width = std::max(width, p.name.size());
  out += fmt::format("  {:<{}}  {:>10}  {:>10}\n", "parameter", width, "start", "calibrated");
  for (const CalibratedParameter& p : c.parameters) {
    out += fmt::format("  {:<{}}  {:>10.4f}  {:>10.4f}\n", p.name, width, p.start, p.value);
  }
  out += fmt::format("\n  {:<16}{:<24}{:>10}{:>10}{:>11}{:>11}{:>10}\n", "segment", "step", "reached",
                     "entered", "observed", "simulated", "deviance");
  for (const FunnelRowFit& r : c.rows) {
    out += fmt::format("  {:<16}{:<24}{:>10}{:>10}{:>10.2f}%{:>10.2f}%{:>10.2f}\n",
                       r.segment.empty() ? "(all)" : r.segment, r.step, r.reached, r.entered,
                       100.0 * r.observed, 100.0 * r.simulated, r.deviance);
  }
  return out;
}

nlohmann::json calibration_json(const Calibration& c) {
  nlohmann::json parameters = nlohmann::json::array();
  for (const CalibratedParameter& p : c.parameters) {
    parameters.push_back({{"name", p.name},
                          {"start", json_number(p.start)},
                          {"value", json_number(p.value)},
                          {"bounds", {json_number(p.lower), json_number(p.upper)}}});
  }
  nlohmann::json rows = nlohmann::json::array();
  for (const FunnelRowFit& r : c.rows) {
    rows.push_back({{"segment", r.segment},
                    {"step", r.step},
                    {"reached", r.reached},
                    {"entered", r.entered},
                    {"observed", json_number(r.observed)},
                    {"simulated", json_number(r.simulated)},
                    {"deviance", json_number(r.deviance)}});
  }
  return {{"distance", json_number(c.distance)},
          {"start_distance", json_number(c.start_distance)},
          {"degrees_of_freedom", c.degrees_of_freedom},
          {"evaluations", c.evaluations},
          {"parameters", std::move(parameters)},
          {"rows", std::move(rows)}};
}

nlohmann::json calibration_result_json(const FitResult& fit) {
  nlohmann::json json = calibration_json(*fit.calibration);
  json["notes"] = fit.notes;
  return json;
}

std::string arrival_fit_text(const ArrivalFit& fit) {
  const double half = 1.959963984540054 * fit.arrivals_per_day_se;
  std::string out = fmt::format(
      "Arrivals (the calendar): {} customers' first visits over {} days from a {}: {:.6g} a day "
      "[95% CI {:.6g}, {:.6g}]\n",
      fit.customers, fit.days, kWeekdayNames[fit.start_weekday], fit.arrivals_per_day,
      fit.arrivals_per_day - half, fit.arrivals_per_day + half);
  out += "  weekday    days  arrivals  factor\n";
  for (int d = 0; d < 7; ++d) {
    out += fmt::format("  {:<9} {:>5} {:>9} {:>7.3f}\n", kWeekdayNames[d], fit.weekday_days[d],
                       fit.weekday_arrivals[d], fit.weekday_profile[d]);
  }
  out += "  hour   arrivals  factor\n";
  for (int k = 0; k < 24; ++k) {
    out += fmt::format("  {:02}:00 {:>9} {:>7.3f}\n", k, fit.hour_arrivals[k], fit.hour_profile[k]);
  }
  if (fit.separable_df > 0) {
    out += fmt::format(
        "  One hour profile for every weekday: G^2 {:.1f} on {} degrees of freedom, p {}\n",
        fit.separable_g2, fit.separable_df,
        fit.separable_p < 0.001 ? std::string("< 0.001") : fmt::format("{:.3f}", fit.separable_p));
  }
  return out;
}

nlohmann::json arrival_fit_json(const ArrivalFit& fit) {
  const double half = 1.959963984540054 * fit.arrivals_per_day_se;
  nlohmann::json json;
  json["customers"] = fit.customers;
  json["days"] = fit.days;
  json["start_weekday"] = kWeekdayNames[fit.start_weekday];
  json["arrivals_per_day"] = fit.arrivals_per_day;
  json["arrivals_per_day_se"] = fit.arrivals_per_day_se;
  json["arrivals_per_day_ci"] = {fit.arrivals_per_day - half, fit.arrivals_per_day + half};
  json["weekday_profile"] = fit.weekday_profile;
  json["hour_profile"] = fit.hour_profile;
  json["weekday_days"] = fit.weekday_days;
  json["weekday_arrivals"] = fit.weekday_arrivals;
  json["hour_arrivals"] = fit.hour_arrivals;
  json["separable_g2"] = fit.separable_g2;
  json["separable_df"] = fit.separable_df;
  json["separable_p"] = fit.separable_p;
  json["notes"] = fit.notes;
  return json;
}

std::string queue_fit_text(const std::vector<QueueFit>& queues) {
  std::string out =
      "Queues (from lifecycle transitions: schedule to start is the wait, start to complete "
      "the service):\n";
  out += fmt::format("  {:>8} {:>9} {:>9} {:>10} {:>10} {:>10} {:>8}  {}\n", "queued", "abandoned",
                     "mean wait", "p90 wait", "service", "patience", "servers", "touchpoint");
  for (const QueueFit& q : queues) {
    out += fmt::format(
        "  {:>8} {:>8.2f}% {:>8.3g} h {:>8.3g} h {:>8.3g} h {:>10} {:>8}  {}\n", q.queued,
        100.0 * q.abandonment_share, q.mean_wait_hours, q.p90_wait_hours, q.mean_service_hours,
        q.patience_fitted ? fmt::format("{:.3g} h", q.patience_hours) : std::string("none"),
        q.capacity, q.touchpoint);
  }
  for (const QueueFit& q : queues) {
    if (q.patience_fitted) {
      out += fmt::format(
          "  {}: patience {:.4g} h (se {:.3g}) [95% CI {:.4g}, {:.4g}] from {} "
          "abandoned over {:.6g} h waited\n",
          q.touchpoint, q.patience_hours, q.patience_se, q.patience_low, q.patience_high,
          q.abandoned, q.total_wait_hours);
    } else {
      out += fmt::format("  {}: {}\n", q.touchpoint, q.patience_note);
    }
  }
  return out;
}

nlohmann::json queue_fit_json(const QueueFit& q) {
  nlohmann::json json;
  json["touchpoint"] = q.touchpoint;
  json["resource"] = q.resource;
  json["queued"] = q.queued;
  json["served"] = q.served;
  json["abandoned"] = q.abandoned;
  json["abandonment_share"] = q.abandonment_share;
  json["mean_wait_hours"] = q.mean_wait_hours;
  json["p90_wait_hours"] = q.p90_wait_hours;
  json["total_wait_hours"] = q.total_wait_hours;
  json["patience_fitted"] = q.patience_fitted;
  if (q.patience_fitted) {
    json["patience_hours"] = q.patience_hours;
    json["patience_se"] = q.patience_se;
    json["patience_ci"] = {q.patience_low, q.patience_high};
  } else {
    json["patience_hours"] = nullptr;
    json["patience_se"] = nullptr;
    json["patience_ci"] = nullptr;
  }
  json["patience_note"] = q.patience_note;
  json["services"] = q.services;
  json["mean_service_hours"] = q.mean_service_hours;
  json["capacity"] = q.capacity;
  json["span_days"] = q.span_days;
  json["busy"] = q.busy;
  json["servers"] = q.servers;
  return json;
}

nlohmann::json fit_result_json(const FitReport& report, const FitResult& fit) {
  nlohmann::json json = fit_json(report);
  json["notes"] = fit.notes;
  if (fit.emotion) json["emotion_fit"] = emotion_fit_json(*fit.emotion);
  if (fit.arrivals) json["arrivals"] = arrival_fit_json(*fit.arrivals);
  if (!fit.queues.empty()) {
    json["queues"] = nlohmann::json::array();
    for (const QueueFit& q : fit.queues) json["queues"].push_back(queue_fit_json(q));
  }
  if (!fit.segments.empty()) {
    nlohmann::json segments = nlohmann::json::array();
    for (const SegmentFit& s : fit.segments) segments.push_back(segment_fit_json(s));
    json["segments"] = std::move(segments);
  }
  if (fit.mixture) json["persona_mixture"] = chain_mixture_json(*fit.mixture);
  return json;
}

}  // namespace cjsim
