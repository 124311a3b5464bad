// Goodness-of-fit tables as text and HDF5.
#include "reports/store/fit_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <tuple>

#include "reports/store/hdf5_checksum.h"
#include "reports/store/hdf5_io.h"
#include "reports/store/hdf5_results.h"
#include "reports/store/hdf5_table.h"
#include "scenarios/week_hours.h"

namespace cjsim {
namespace {

std::string percent(double share) { return fmt::format("{:.2f}%", 100.0 * share); }

// The figures first and the label last, whole: a path of forty touchpoints cut to fit a
// column read the same as another that began alike.
void append_table(std::string& out, const std::string& title, const FitTable& table) {
  out += fmt::format("  {:>9}  {:>9}  {}\n", "observed", "simulated", title);
  for (std::size_t k = 0; k < table.labels.size(); ++k) {
    out += fmt::format("  {:>9}  {:>9}  {}\n", percent(table.observed[k]),
                       percent(table.simulated[k]), table.labels[k]);
  }
}

void write_table(H5::Group& parent, const std::string& name, const FitTable& table) {
  H5::Group group = parent.createGroup(name);
  hdf5::write_text_list(group, "labels", table.labels);
  const std::array<hsize_t, 1> dims{table.labels.size()};
  hdf5::write_array<double>(group, "observed", dims, table.observed);
  hdf5::write_array<double>(group, "simulated", dims, table.simulated);
}

// One entry per parameter, in the fit's order, as the fit gives them (a parameter the data
// cannot identify has a NaN standard error).
void write_parameters(H5::Group& root, const std::vector<FittedParameter>& parameters) {
  H5::Group group = root.createGroup("parameters");
  std::vector<std::string> names, why_not;
  std::vector<double> value, standard_error, low, high;
  std::vector<std::uint8_t> identifiable;
  for (const FittedParameter& p : parameters) {
    names.push_back(p.name);
    why_not.push_back(p.why_not);
    value.push_back(p.value);
    standard_error.push_back(p.standard_error);
    low.push_back(p.low);
    high.push_back(p.high);
    identifiable.push_back(p.identifiable ? 1 : 0);
  }
  const std::array<hsize_t, 1> dims{parameters.size()};
  hdf5::write_text_list(group, "names", names);
  hdf5::write_array<double>(group, "value", dims, value);
  hdf5::write_array<double>(group, "standard_error", dims, standard_error);
  hdf5::write_array<double>(group, "low", dims, low);
  hdf5::write_array<double>(group, "high", dims, high);
  hdf5::write_array<std::uint8_t>(group, "identifiable", dims, identifiable);
  hdf5::write_text_list(group, "why_not", why_not);
}

// The earth mover's distance, and how many variants it pooled when there were too many.
std::string variant_distance_line(const VariantDistance& v) {
  std::string out = fmt::format(
      "  whole paths: earth mover's distance {:.4f} over {} observed and {} simulated variants",
      v.distance, v.observed_variants, v.simulated_variants);
  if (v.pooled_observed > 0.0 || v.pooled_simulated > 0.0) {
    out += fmt::format(" (the {} most common compared, the rest pooled: {} observed, {} simulated)",
                       v.compared_variants, percent(v.pooled_observed),
                       percent(v.pooled_simulated));
  }
  return out + "\n";
}

// What a time figure measures, for the printed report.
constexpr std::pair<const char*, const char*> kTimeFigures[] = {
    {"time to convert", "converters, from the first visit's start to the conversion visit's"},
    {"journey duration", "from the first visit's start to the last visit's"},
};

std::string hours_text(double hours) { return fmt::format("{:.1f}", hours); }

// A time figure's summary and its table of hours, or why it is unavailable.
void append_time(std::string& out, const char* title, const char* what, const TimeFit& t) {
  if (!t.unavailable.empty()) {
    out += fmt::format("  {}: unavailable ({})\n", title, t.unavailable);
    return;
  }
  out += fmt::format(
      "  {} ({}; {} observed, {} simulated customers): Kolmogorov-Smirnov distance {:.4f}\n",
      title, what, t.observed_customers, t.simulated_customers, t.distance);
  out += fmt::format("  {:>9}  {:>9}", "hours", "mean");
  for (const double level : kTimeQuantileLevels) {
    out += level == 0.5 ? fmt::format("  {:>9}", "median")
                        : fmt::format("  {:>9}", fmt::format("{:g}%", 100.0 * level));
  }
  out += "\n";
  for (const auto& [side, mean, quantiles] :
       {std::tuple{"observed", t.observed_mean, &t.observed_quantiles},
        std::tuple{"simulated", t.simulated_mean, &t.simulated_quantiles}}) {
    out += fmt::format("  {:>9}  {:>9}", side, hours_text(mean));
    for (const double q : *quantiles) out += fmt::format("  {:>9}", hours_text(q));
    out += "\n";
  }
  append_table(out, title, t.bins);
}

nlohmann::json time_json(const TimeFit& t) {
  if (!t.unavailable.empty()) return {{"available", false}, {"unavailable", t.unavailable}};
  return {{"available", true},
          {"observed_customers", t.observed_customers},
          {"simulated_customers", t.simulated_customers},
          {"observed_mean_hours", t.observed_mean},
          {"simulated_mean_hours", t.simulated_mean},
          {"observed_median_hours", t.observed_median()},
          {"simulated_median_hours", t.simulated_median()},
          {"quantiles",
           {{"levels", std::vector<double>(std::begin(kTimeQuantileLevels),
                                           std::end(kTimeQuantileLevels))},
            {"observed_hours", t.observed_quantiles},
            {"simulated_hours", t.simulated_quantiles}}},
          {"hours", {{"labels", t.bins.labels},
                     {"observed", t.bins.observed},
                     {"simulated", t.bins.simulated}}},
          {"kolmogorov_smirnov_distance", t.distance}};
}

void write_time(H5::Group& parent, const std::string& name, const TimeFit& t) {
  H5::Group group = parent.createGroup(name);
  hdf5::write_attribute(group, "available", std::uint64_t{t.unavailable.empty() ? 1u : 0u});
  if (!t.unavailable.empty()) {
    hdf5::write_attribute(group, "unavailable", t.unavailable);
    hdf5::write_checksum(group);
    return;
  }
  hdf5::write_attribute(group, "observed_customers", t.observed_customers);
  hdf5::write_attribute(group, "simulated_customers", t.simulated_customers);
  hdf5::write_attribute(group, "observed_mean_hours", t.observed_mean);
  hdf5::write_attribute(group, "simulated_mean_hours", t.simulated_mean);
  hdf5::write_attribute(group, "observed_median_hours", t.observed_median());
  hdf5::write_attribute(group, "simulated_median_hours", t.simulated_median());
  hdf5::write_attribute(group, "kolmogorov_smirnov_distance", t.distance);
  hdf5::write_checksum(group);
  const std::array<hsize_t, 1> dims{std::size(kTimeQuantileLevels)};
  hdf5::write_array<double>(group, "quantile_levels", dims,
                            std::vector<double>(std::begin(kTimeQuantileLevels),
                                                std::end(kTimeQuantileLevels)));
  hdf5::write_array<double>(group, "observed_quantile_hours", dims, t.observed_quantiles);
  hdf5::write_array<double>(group, "simulated_quantile_hours", dims, t.simulated_quantiles);
  write_table(group, "hours", t.bins);
}

// The arrivals as the JSON `arrivals` has them: attributes, and the weekday and hour tables.
void write_arrivals(H5::Group& root, const ArrivalFit& fit) {
  H5::Group group = root.createGroup("arrivals");
  const double half = 1.959963984540054 * fit.arrivals_per_day_se;
  hdf5::write_attribute(group, "customers", fit.customers);
  hdf5::write_attribute(group, "days", static_cast<std::uint64_t>(fit.days));
  hdf5::write_attribute(group, "start_weekday", kWeekdayNames[fit.start_weekday]);
  hdf5::write_attribute(group, "arrivals_per_day", fit.arrivals_per_day);
  hdf5::write_attribute(group, "arrivals_per_day_se", fit.arrivals_per_day_se);
  hdf5::write_attribute(group, "arrivals_per_day_ci_low", fit.arrivals_per_day - half);
  hdf5::write_attribute(group, "arrivals_per_day_ci_high", fit.arrivals_per_day + half);
  hdf5::write_attribute(group, "separable_g2", fit.separable_g2);
  hdf5::write_attribute(group, "separable_df", static_cast<std::uint64_t>(fit.separable_df));
  hdf5::write_attribute(group, "separable_p", fit.separable_p);
  hdf5::write_checksum(group);
  const std::vector<std::string> weekdays(kWeekdayNames.begin(), kWeekdayNames.end());
  hdf5::CompoundTable by_weekday(weekdays.size());
  by_weekday.add_text("weekday", weekdays);
  by_weekday.add_u64("weekday_days", fit.weekday_days);
  by_weekday.add_u64("weekday_arrivals", fit.weekday_arrivals);
  by_weekday.add_f64("weekday_profile", fit.weekday_profile);
  by_weekday.write(group, "weekdays");
  std::vector<std::uint64_t> hours(kHoursPerDay);
  for (int k = 0; k < kHoursPerDay; ++k) hours[k] = static_cast<std::uint64_t>(k);
  hdf5::CompoundTable by_hour(hours.size());
  by_hour.add_u64("hour", hours);
  by_hour.add_u64("hour_arrivals", fit.hour_arrivals);
  by_hour.add_f64("hour_profile", fit.hour_profile);
  by_hour.write(group, "hours");
}

// The queues as the JSON `queues` has them, one row per touchpoint, and their servers by hour.
void write_queues(H5::Group& root, const std::vector<QueueFit>& queues) {
  H5::Group group = root.createGroup("queues");
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::string> touchpoint, resource, patience_note;
  std::vector<std::uint64_t> queued, served, abandoned, services, capacity, fitted, span_days;
  std::vector<double> share, mean_wait, p90_wait, total_wait, patience, patience_se, low, high,
      mean_service;
  for (const QueueFit& q : queues) {
    touchpoint.push_back(q.touchpoint);
    resource.push_back(q.resource);
    queued.push_back(q.queued);
    served.push_back(q.served);
    abandoned.push_back(q.abandoned);
    share.push_back(q.abandonment_share);
    mean_wait.push_back(q.mean_wait_hours);
    p90_wait.push_back(q.p90_wait_hours);
    total_wait.push_back(q.total_wait_hours);
    fitted.push_back(q.patience_fitted ? 1 : 0);
    patience.push_back(q.patience_fitted ? q.patience_hours : nan);
    patience_se.push_back(q.patience_fitted ? q.patience_se : nan);
    low.push_back(q.patience_fitted ? q.patience_low : nan);
    high.push_back(q.patience_fitted ? q.patience_high : nan);
    patience_note.push_back(q.patience_note);
    services.push_back(q.services);
    mean_service.push_back(q.mean_service_hours);
    capacity.push_back(static_cast<std::uint64_t>(q.capacity));
    span_days.push_back(q.span_days);
  }
  hdf5::CompoundTable table(queues.size());
  table.add_text("touchpoint", touchpoint);
  table.add_text("resource", resource);
  table.add_u64("queued", queued);
  table.add_u64("served", served);
  table.add_u64("abandoned", abandoned);
  table.add_f64("abandonment_share", share);
  table.add_f64("mean_wait_hours", mean_wait);
  table.add_f64("p90_wait_hours", p90_wait);
  table.add_f64("total_wait_hours", total_wait);
  table.add_u64("patience_fitted", fitted);
  table.add_f64("patience_hours", patience);
  table.add_f64("patience_se", patience_se);
  table.add_f64("patience_ci_low", low);
  table.add_f64("patience_ci_high", high);
  table.add_text("patience_note", patience_note);
  table.add_u64("services", services);
  table.add_f64("mean_service_hours", mean_service);
  table.add_u64("capacity", capacity);
  table.add_u64("span_days", span_days);
  table.write(group, "touchpoints");
  std::vector<std::string> row_touchpoint, row_weekday;
  std::vector<std::uint64_t> row_hour, row_servers;
  std::vector<double> row_busy;
  for (const QueueFit& q : queues) {
    for (int slot = 0; slot < kHoursPerWeek; ++slot) {
      row_touchpoint.push_back(q.touchpoint);
      row_weekday.emplace_back(kWeekdayNames[slot / kHoursPerDay]);
      row_hour.push_back(static_cast<std::uint64_t>(slot % kHoursPerDay));
      row_busy.push_back(q.busy[slot]);
      row_servers.push_back(static_cast<std::uint64_t>(q.servers[slot]));
    }
  }
  hdf5::CompoundTable servers(row_touchpoint.size());
  servers.add_text("touchpoint", row_touchpoint);
  servers.add_text("weekday", row_weekday);
  servers.add_u64("hour", row_hour);
  servers.add_f64("busy", row_busy);
  servers.add_u64("servers", row_servers);
  servers.write(group, "servers");
}

// Personas of their own numbers, one row each, under the JSON's names (`segments`, and
// `persona_mixture.personas` without the `segment` column).
void write_persona_fits(H5::Group& group, const std::string& name,
                        const std::vector<SegmentFit>& fits, bool with_segment) {
  std::vector<std::string> segment, persona;
  std::vector<double> customers, share, data_rate, fitted;
  std::vector<std::uint64_t> entries, dropouts, transitions;
  for (const SegmentFit& f : fits) {
    segment.push_back(f.segment);
    persona.push_back(f.persona);
    customers.push_back(f.customers);
    share.push_back(f.share);
    entries.push_back(f.entry_weights);
    dropouts.push_back(f.dropouts);
    transitions.push_back(f.transition_weights);
    data_rate.push_back(f.data_conversion_rate);
    fitted.push_back(f.fitted_conversion_probability);
  }
  hdf5::CompoundTable table(fits.size());
  if (with_segment) table.add_text("segment", segment);
  table.add_text("persona", persona);
  table.add_f64("customers", customers);
  table.add_f64("share", share);
  table.add_u64("entry_weights", entries);
  table.add_u64("dropouts", dropouts);
  table.add_u64("transition_weights", transitions);
  table.add_f64("data_conversion_rate", data_rate);
  table.add_f64("fitted_conversion_probability", fitted);
  table.write(group, name);
}

// The mixture as the JSON `persona_mixture` has it: attributes, the log-likelihood by
// iteration and by start, the personas, and the collapse check as a group of attributes with
// the coinciding pairs as a table.
void write_mixture(H5::Group& root, const ChainMixture& m) {
  H5::Group group = root.createGroup("persona_mixture");
  hdf5::write_attribute(group, "model", "chains");
  hdf5::write_attribute(group, "customers", m.customers);
  hdf5::write_attribute(group, "distinct_paths", m.distinct_paths);
  hdf5::write_attribute(group, "log_likelihood", m.log_likelihood);
  hdf5::write_attribute(group, "free_parameters", static_cast<std::uint64_t>(m.free_parameters));
  hdf5::write_attribute(group, "aic", m.aic);
  hdf5::write_attribute(group, "bic", m.bic);
  hdf5::write_attribute(group, "one_chain_log_likelihood", m.one_chain_log_likelihood);
  hdf5::write_attribute(group, "one_chain_parameters",
                        static_cast<std::uint64_t>(m.one_chain_parameters));
  hdf5::write_attribute(group, "one_chain_bic", m.one_chain_bic);
  hdf5::write_attribute(group, "starts", static_cast<std::uint64_t>(m.starts));
  hdf5::write_attribute(group, "best_start", static_cast<std::uint64_t>(m.best_start));
  hdf5::write_attribute(group, "iterations", static_cast<std::uint64_t>(m.iterations));
  hdf5::write_attribute(group, "converged", std::uint64_t{m.converged ? 1u : 0u});
  hdf5::write_checksum(group);
  hdf5::write_array<double>(group, "log_likelihood_by_iteration",
                            std::array<hsize_t, 1>{m.log_likelihood_by_iteration.size()},
                            m.log_likelihood_by_iteration);
  hdf5::write_array<double>(group, "start_log_likelihoods",
                            std::array<hsize_t, 1>{m.start_log_likelihoods.size()},
                            m.start_log_likelihoods);
  write_persona_fits(group, "personas", m.personas, false);
  const PersonaCollapse& c = m.collapse;
  H5::Group collapse = group.createGroup("personas_collapse");
  hdf5::write_attribute(collapse, "collapsed", std::uint64_t{c.collapsed ? 1u : 0u});
  hdf5::write_attribute(collapse, "one_persona_log_likelihood", c.one_persona_log_likelihood);
  hdf5::write_attribute(collapse, "log_likelihood_gain", c.log_likelihood_gain);
  hdf5::write_attribute(collapse, "extra_parameters",
                        static_cast<std::uint64_t>(c.extra_parameters));
  hdf5::write_attribute(collapse, "gain_threshold", c.gain_threshold);
  hdf5::write_attribute(collapse, "criterion", c.criterion);
  hdf5::write_checksum(collapse);
  std::vector<std::string> first, second;
  for (const auto& [a, b] : c.coinciding) {
    first.push_back(a);
    second.push_back(b);
  }
  hdf5::CompoundTable pairs(first.size());
  pairs.add_text("persona", first);
  pairs.add_text("coincides_with", second);
  pairs.write(collapse, "coinciding");
}

}  // namespace

std::string text_fit_report(const FitReport& r) {
  std::string out = fmt::format("Fitted to {}\n", r.data);
  if (r.has_closed_forms) {
    out += fmt::format(
        "Closed forms of the fitted journey: conversion {} (data {}), touchpoints per "
        "customer {:.4f} (data {:.4f})\n",
        percent(r.fitted_conversion_probability), percent(r.data_conversion_rate),
        r.fitted_steps_per_customer, r.data_steps_per_customer);
  } else {
    out +=
        fmt::format("No closed forms ({}): the figures below are simulated\n", r.no_closed_forms);
  }
  for (const auto& [name, g] : r.checks) {
    out += fmt::format("\nGoodness of fit, {} share: {} customers observed, {} simulated\n", name,
                       g.observed_customers, g.simulated_customers);
    out += fmt::format("  conversion rate  observed {} [{}, {}]  simulated {} [{}, {}]\n",
                       percent(g.observed_conversion.value), percent(g.observed_conversion.low),
                       percent(g.observed_conversion.high), percent(g.simulated_conversion.value),
                       percent(g.simulated_conversion.low), percent(g.simulated_conversion.high));
    out += fmt::format("  path length: total variation distance {:.4f}\n", g.path_length_distance);
    out += variant_distance_line(g.variant_distance);
    append_table(out, "touchpoints per path", g.path_length);
    append_table(out, "stage reach", g.stage_reach);
    append_table(out, "top paths", g.top_paths);
    append_time(out, kTimeFigures[0].first, kTimeFigures[0].second, g.time_to_convert);
    append_time(out, kTimeFigures[1].first, kTimeFigures[1].second, g.journey_duration);
  }
  return out;
}

nlohmann::json fit_json(const FitReport& r) {
  nlohmann::json out;
  out["data"] = r.data;
  if (r.has_closed_forms) {
    out["closed_forms"] = {{"fitted_conversion_probability", r.fitted_conversion_probability},
                           {"data_conversion_rate", r.data_conversion_rate},
                           {"fitted_steps_per_customer", r.fitted_steps_per_customer},
                           {"data_steps_per_customer", r.data_steps_per_customer}};
  } else {
    out["closed_forms"] = nullptr;
    out["no_closed_forms"] = r.no_closed_forms;
  }
  auto table = [](const FitTable& t) {
    return nlohmann::json{
        {"labels", t.labels}, {"observed", t.observed}, {"simulated", t.simulated}};
  };
  auto estimate = [](const Estimate& e) {
    return nlohmann::json{{"value", e.value}, {"low", e.low}, {"high", e.high}};
  };
  auto variants = [](const VariantDistance& v) {
    return nlohmann::json{{"observed", v.observed_variants},
                          {"simulated", v.simulated_variants},
                          {"compared", v.compared_variants},
                          {"pooled_observed_share", v.pooled_observed},
                          {"pooled_simulated_share", v.pooled_simulated}};
  };
  out["checks"] = nlohmann::json::object();
  for (const auto& [name, g] : r.checks) {
    out["checks"][name] = {{"observed_customers", g.observed_customers},
                           {"simulated_customers", g.simulated_customers},
                           {"observed_conversion", estimate(g.observed_conversion)},
                           {"simulated_conversion", estimate(g.simulated_conversion)},
                           {"path_length_distance", g.path_length_distance},
                           {"variant_distance", g.variant_distance.distance},
                           {"variants", variants(g.variant_distance)},
                           {"path_length", table(g.path_length)},
                           {"stage_reach", table(g.stage_reach)},
                           {"top_paths", table(g.top_paths)},
                           {"time_to_convert", time_json(g.time_to_convert)},
                           {"journey_duration", time_json(g.journey_duration)}};
  }
  return out;
}

void write_fit_report(PendingFile& file, const FitReport& r) {
  write_hdf5_file(file, [&](H5::Group& root) {
    hdf5::write_attribute(root, "format", "cjsim-fit");
    hdf5::write_attribute(root, "format_version", std::uint64_t{1});
    hdf5::write_attribute(root, "data", r.data);
    hdf5::write_attribute(root, "command_line", r.command_line);
    hdf5::write_attribute(root, "scenario_yaml", r.scenario_yaml);
    if (r.has_closed_forms) {
      hdf5::write_attribute(root, "fitted_conversion_probability", r.fitted_conversion_probability);
      hdf5::write_attribute(root, "data_conversion_rate", r.data_conversion_rate);
      hdf5::write_attribute(root, "fitted_steps_per_customer", r.fitted_steps_per_customer);
      hdf5::write_attribute(root, "data_steps_per_customer", r.data_steps_per_customer);
    } else {
      hdf5::write_attribute(root, "no_closed_forms", r.no_closed_forms);
    }
    hdf5::write_checksum(root);
    if (!r.parameters.empty()) write_parameters(root, r.parameters);
    for (const auto& [name, g] : r.checks) {
      H5::Group group = root.createGroup(name);
      hdf5::write_attribute(group, "observed_customers", g.observed_customers);
      hdf5::write_attribute(group, "simulated_customers", g.simulated_customers);
      for (const auto& [key, e] : {std::pair{"observed_conversion", g.observed_conversion},
                                   std::pair{"simulated_conversion", g.simulated_conversion}}) {
        hdf5::write_attribute(group, key, e.value);
        hdf5::write_attribute(group, std::string(key) + "_low", e.low);
        hdf5::write_attribute(group, std::string(key) + "_high", e.high);
      }
      hdf5::write_attribute(group, "path_length_distance", g.path_length_distance);
      const VariantDistance& v = g.variant_distance;
      hdf5::write_attribute(group, "variant_distance", v.distance);
      hdf5::write_attribute(group, "observed_variants", std::uint64_t{v.observed_variants});
      hdf5::write_attribute(group, "simulated_variants", std::uint64_t{v.simulated_variants});
      hdf5::write_attribute(group, "compared_variants", std::uint64_t{v.compared_variants});
      hdf5::write_attribute(group, "pooled_observed_share", v.pooled_observed);
      hdf5::write_attribute(group, "pooled_simulated_share", v.pooled_simulated);
      hdf5::write_checksum(group);
      write_table(group, "path_length", g.path_length);
      write_table(group, "stage_reach", g.stage_reach);
      write_table(group, "top_paths", g.top_paths);
      write_time(group, "time_to_convert", g.time_to_convert);
      write_time(group, "journey_duration", g.journey_duration);
    }
    if (r.arrivals) write_arrivals(root, *r.arrivals);
    if (!r.queues.empty()) write_queues(root, r.queues);
    if (!r.segments.empty()) write_persona_fits(root, "segments", r.segments, true);
    if (r.mixture) write_mixture(root, *r.mixture);
  });
}

FitReport fit_report_of(const FitResult& fit, const std::string& data,
                        const std::string& command_line) {
  FitReport report;
  report.data = data;
  report.scenario_yaml = fit.scenario_yaml;
  report.command_line = command_line;
  report.has_closed_forms = fit.has_closed_forms;
  report.no_closed_forms = fit.no_closed_forms;
  report.fitted_conversion_probability = fit.fitted_conversion_probability;
  report.data_conversion_rate = fit.data_conversion_rate;
  report.fitted_steps_per_customer = fit.fitted_steps_per_customer;
  report.data_steps_per_customer = fit.data_steps_per_customer;
  report.checks = fit.checks;
  if (fit.emotion) report.parameters = fit.emotion->parameters;
  report.arrivals = fit.arrivals;
  report.queues = fit.queues;
  report.segments = fit.segments;
  report.mixture = fit.mixture;
  return report;
}

}  // namespace cjsim
