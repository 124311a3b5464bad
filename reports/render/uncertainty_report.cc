// The draws of a run or comparison with uncertain inputs, as JSON and as plain words.
#include "reports/render/uncertainty_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "reports/render/calendar_report.h"
#include "reports/render/compare_report.h"
#include "reports/render/json_report.h"
#include "reports/render/report_format.h"
#include "scenarios/parameter_path.h"
#include "sim/engine/calendar_comparison.h"
#include "sim/engine/calendar_figures.h"
#include "sim/engine/statistics.h"

namespace cjsim {

namespace {

double number_or_nan(const nlohmann::json& node) {
  return node.is_number() ? node.get<double>() : kNaN;
}

nlohmann::json pair_json(double low, double high) { return {json_number(low), json_number(high)}; }

// A token of a JSON pointer (RFC 6901): "~" and "/" escaped.
std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

// Every "x" with "x_ci" in `central` (at `pointer` of journey `scenario`'s object), with the
// interval of x over the same place in every draw's JSON. Objects and arrays are walked in
// step.
void collect_ranges(const nlohmann::json& central, const std::vector<const nlohmann::json*>& draws,
                    const std::string& pointer, std::size_t scenario,
                    std::vector<CalendarDrawsDigest::JsonRange>& out) {
  if (central.is_array()) {
    for (std::size_t i = 0; i < central.size(); ++i) {
      std::vector<const nlohmann::json*> inner;
      for (const nlohmann::json* d : draws) {
        if (!d->is_array() || d->size() != central.size()) return;  // not the same list
        inner.push_back(&(*d)[i]);
      }
      collect_ranges(central[i], inner, fmt::format("{}/{}", pointer, i), scenario, out);
    }
    return;
  }
  if (!central.is_object()) return;
  std::vector<std::string> figures, nested;
  for (const auto& [key, value] : central.items()) {
    if (key.size() > 3 && key.ends_with("_ci") && central.contains(key.substr(0, key.size() - 3))) {
      figures.push_back(key.substr(0, key.size() - 3));
    } else if (value.is_object() || value.is_array()) {
      nested.push_back(key);
    }
  }
  for (const std::string& name : figures) {
    std::vector<double> values;
    for (const nlohmann::json* d : draws) {
      values.push_back(d->contains(name) ? number_or_nan(d->at(name)) : kNaN);
    }
    out.push_back({scenario, pointer + "/" + pointer_token(name), interval_over_draws(values)});
  }
  for (const std::string& key : nested) {
    std::vector<const nlohmann::json*> inner;
    for (const nlohmann::json* d : draws) {
      if (d->contains(key)) inner.push_back(&d->at(key));
    }
    if (inner.size() == draws.size()) {
      collect_ranges(central.at(key), inner, pointer + "/" + pointer_token(key), scenario, out);
    }
  }
}

// Beside each figure of journey `scenario` in `ranges`, in `object` (that journey's JSON),
// "x_uncertainty": [low, high].
void put_ranges(nlohmann::json& object, const std::vector<CalendarDrawsDigest::JsonRange>& ranges,
                std::size_t scenario) {
  for (const CalendarDrawsDigest::JsonRange& r : ranges) {
    if (r.scenario != scenario) continue;
    const nlohmann::json::json_pointer figure(r.pointer);
    if (!object.contains(figure)) continue;  // not of this object (read_calendar_draws checks)
    object[figure.parent_pointer()][figure.back() + "_uncertainty"] =
        pair_json(r.range.low, r.range.high);
  }
}

// Beside every "x" with "x_ci" in `central`, "x_uncertainty": the interval of x over the same
// place in every draw's JSON.
void add_intervals(nlohmann::json& central, const std::vector<const nlohmann::json*>& draws) {
  std::vector<CalendarDrawsDigest::JsonRange> ranges;
  collect_ranges(central, draws, "", 0, ranges);
  put_ranges(central, ranges, 0);
}

// The 95% interval of an index from its bootstrap standard error (normal approximation).
nlohmann::json normal_interval(double index, double error) {
  return pair_json(index - kZ95 * error, index + kZ95 * error);
}

nlohmann::json sensitivity_json(const DrawsDigest& d, const std::vector<std::string>& labels) {
  nlohmann::json out = nlohmann::json::array();
  for (const DrawsDigest::RankedFigure& f : d.ranked_figures) {
    nlohmann::json ranked = nlohmann::json::array();
    for (const DrawsDigest::Ranked& r : d.sensitivity) {
      if (r.scenario != f.scenario || r.figure != f.figure) continue;
      const SensitivityIndex& i = r.index;
      nlohmann::json entry = {{"input", r.input},
                              {"distribution", r.distribution},
                              {"first_order", json_number(i.first_order)},
                              {"first_order_error", json_number(i.standard_error)},
                              {"first_order_ci", normal_interval(i.first_order, i.standard_error)}};
      if (d.total_effects) {
        entry["total"] = json_number(i.total);
        entry["total_error"] = json_number(i.total_error);
        entry["total_ci"] = normal_interval(i.total, i.total_error);
      }
      ranked.push_back(std::move(entry));
    }
    nlohmann::json j = {
        {"figure", f.figure},
        {"of", f.scenario == 0 ? "the figure" : "the difference from the current state"},
        {"classes", f.classes},
        {"draws_used", f.draws},
        {"variance", json_number(f.variance)},
        {"ranked", std::move(ranked)}};
    if (f.scenario > 0 && f.scenario < labels.size()) j["scenario"] = labels[f.scenario];
    out.push_back(std::move(j));
  }
  return out;
}

// The "uncertainty" object: the design, the inputs and the sensitivity ranking.
nlohmann::json uncertainty_object(const DrawsDigest& d, const std::vector<std::string>& labels) {
  nlohmann::json inputs = nlohmann::json::array();
  for (const UncertainInputReport& i : d.inputs) {
    inputs.push_back({{"input", i.path}, {"distribution", i.distribution}});
  }
  return {{"draws", d.draws},
          {"design", d.design},
          {"runs", d.runs},
          {"design_seed", d.design_seed},
          {"interval", "the central 95% of the draws (2.5% and 97.5% quantiles)"},
          {"inputs", std::move(inputs)},
          {"sensitivity", sensitivity_json(d, labels)},
          {"sensitivity_estimator", d.estimator}};
}

void add_difference_uncertainty(nlohmann::json& list,
                                const std::vector<DifferenceUncertainty>& per_difference) {
  for (std::size_t i = 0; i < list.size() && i < per_difference.size(); ++i) {
    const DifferenceUncertainty& d = per_difference[i];
    list[i]["expected"] = json_number(d.expected);
    list[i]["uncertainty"] = pair_json(d.interval.low, d.interval.high);
    list[i]["probability_better"] = json_number(d.probability_better);
  }
}

// The "uncertainty" object of a comparison: the design and sensitivity, and per future state
// the expected gain in the ranked figure, its interval, and the probability it beats each
// other state.
nlohmann::json comparison_uncertainty_object(const DrawsDigest& d,
                                             const std::vector<std::string>& labels) {
  nlohmann::json object = uncertainty_object(d, labels);
  nlohmann::json states = nlohmann::json::array();
  for (const DrawsDigest::FutureState& f : d.future_states) {
    const std::size_t s = f.scenario;
    if (s >= labels.size() || f.probability_beats.size() < labels.size()) continue;
    const DifferenceUncertainty& gain = f.gain;
    nlohmann::json beats = nlohmann::json::object();
    beats[labels[0]] = json_number(gain.probability_better);
    for (std::size_t t = 1; t < labels.size(); ++t) {
      if (t != s) beats[labels[t]] = json_number(f.probability_beats[t]);
    }
    states.push_back({{"scenario", labels[s]},
                      {"metric", d.ranked_on},
                      {"expected_gain", json_number(gain.expected)},
                      {"gain_uncertainty", pair_json(gain.interval.low, gain.interval.high)},
                      {"probability_beats_current", json_number(gain.probability_better)},
                      {"probability_beats", std::move(beats)}});
  }
  object["future_states"] = std::move(states);
  return object;
}

// The input that explains most of `s`, in words; "" when nothing could be ranked.
// `ranked`: each input's path with its indices, largest first-order index first.
std::string leading_input_words(
    const std::vector<std::pair<std::string_view, SensitivityIndex>>& ranked,
    std::string_view of) {
  if (ranked.empty()) return "";
  const SensitivityIndex& top = ranked.front().second;
  std::string out =
      fmt::format("{} explains {:.0f}% (± {:.0f}%) of the uncertainty in {}",
                  uncertain_input_words(ranked.front().first),
                  100.0 * std::max(0.0, top.first_order), 100.0 * top.standard_error, of);
  if (std::isfinite(top.total)) {
    out += fmt::format(" alone, {:.0f}% (± {:.0f}%) with what it does together with the others",
                       100.0 * std::clamp(top.total, 0.0, 1.0), 100.0 * top.total_error);
  }
  out += top.first_order > 2.0 * top.standard_error
             ? "; research it first."
             : "; it does not yet stand out from the estimator's error (more draws would tell).";
  std::vector<std::string> others;
  for (std::size_t r = 1; r < ranked.size() && r < 4; ++r) {
    const SensitivityIndex& i = ranked[r].second;
    others.push_back(fmt::format("{} {:.0f}%", uncertain_input_words(ranked[r].first),
                                 100.0 * std::max(0.0, i.first_order)) +
                     (std::isfinite(i.total)
                          ? fmt::format(" ({:.0f}% with the others)",
                                        100.0 * std::clamp(i.total, 0.0, 1.0))
                          : std::string()));
  }
  if (!others.empty()) {
    out += " Then: ";
    for (std::size_t i = 0; i < others.size(); ++i) out += (i ? ", " : "") + others[i];
    out += ".";
  }
  return out;
}

std::string leading_input_words(const UncertaintyReport& u, const SensitivityOf& s,
                                std::string_view of) {
  std::vector<std::pair<std::string_view, SensitivityIndex>> ranked;
  for (const SensitivityIndex& i : s.result.ranked) ranked.emplace_back(u.inputs[i.input].path, i);
  return leading_input_words(ranked, of);
}

// The same from a digest: its ranking of future state (or run) `scenario`.
std::string leading_input_words(const DrawsDigest& d, std::size_t scenario, std::string_view of) {
  std::vector<std::pair<std::string_view, SensitivityIndex>> ranked;
  for (const DrawsDigest::Ranked& r : d.sensitivity) {
    if (r.scenario == scenario) ranked.emplace_back(r.input, r.index);
  }
  return leading_input_words(ranked, of);
}

// The inputs, one a line: path and distribution in two columns.
std::string inputs_text(const std::vector<UncertainInputReport>& inputs) {
  std::size_t width = 0;
  for (const UncertainInputReport& i : inputs) width = std::max(width, i.path.size());
  std::string out;
  for (const UncertainInputReport& i : inputs) {
    out += fmt::format("  {:<{}}  {}\n", i.path, width, i.distribution);
  }
  return out;
}

// "conversion rate": the label as it reads inside a sentence.
std::string lower_label(std::string_view metric) {
  std::string label = metric_label(metric);
  if (!label.empty())
    label[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(label[0])));
  return label;
}

std::string whole_percent(double p) {
  if (!std::isfinite(p)) return "n/a";
  return fmt::format("{:.0f}%", 100.0 * p);
}

// A figure's line: at the inputs' means with its interval of simulation noise, then the range
// over the draws. `label` names it, `figure` gives its unit.
std::string range_line(std::string_view label, std::string_view figure, const Estimate& e,
                       const DrawInterval& range) {
  return fmt::format("  {:<22} {} {}; over the inputs {}\n", label, figure_text(figure, e.value),
                     interval_text(figure, e),
                     interval_text(figure, {0.0, range.low, range.high}));
}

// Future state `s`'s gain in `metric` over the draws, the noise alone at the inputs' means
// (`central`, when known), and its odds: of beating the current state, and `beats(t)` of
// beating future state t.
template <typename Beats>
std::string future_state_text(const std::vector<std::string>& labels, std::size_t s,
                              const std::string& metric, const DifferenceUncertainty& gain,
                              const Difference* central, Beats beats) {
  std::string out =
      fmt::format("{} against {}, {}:\n", labels[s], labels[0], lower_label(metric));
  out += fmt::format("  expected gain {}; 95% of the draws give between {} and {}",
                     difference_text(metric, gain.expected),
                     difference_text(metric, gain.interval.low),
                     difference_text(metric, gain.interval.high));
  if (central != nullptr) {
    out += fmt::format(" (simulation noise alone, at the inputs' means: {} {})",
                       difference_text(metric, central->difference.value),
                       difference_interval_text(metric, central->difference));
  }
  out += "\n";
  out += fmt::format("  probability it beats {}: {}", labels[0],
                     whole_percent(gain.probability_better));
  for (std::size_t t = 1; t < labels.size(); ++t) {
    if (t != s) out += fmt::format("; beats {}: {}", labels[t], whole_percent(beats(t)));
  }
  return out + "\n";
}

}  // namespace

std::string uncertain_input_words(std::string_view path) {
  std::string error;
  const std::optional<ParameterPath> p = parse_parameter_path(path, error);
  if (!p) return std::string(path);
  switch (p->entity) {
    case ParameterPath::Entity::touchpoint:
      return fmt::format("the {} at {}", p->field, p->id);
    case ParameterPath::Entity::transition:
      return fmt::format("the {} of {} -> {}", p->field, p->from, p->to);
    case ParameterPath::Entity::persona:
      return fmt::format("the {} of persona {}", p->field, p->id);
    case ParameterPath::Entity::settings:
      return fmt::format("the setting {}", p->field);
    default:
      return std::string(path);
  }
}

void add_run_uncertainty_json(nlohmann::json& run, const UncertaintyReport& u) {
  std::vector<nlohmann::json> draws;
  for (const std::vector<Summary>& d : u.summaries) draws.push_back(summary_json(d.front(), 0.0));
  std::vector<const nlohmann::json*> pointers;
  for (const nlohmann::json& d : draws) pointers.push_back(&d);
  add_intervals(run, pointers);
  run["uncertainty"] = uncertainty_object(digest_draw_odds(1, u, "conversion_rate"), {});
}

void add_comparison_uncertainty_json(nlohmann::json& comparison, const ComparisonReport& report,
                                     const UncertaintyReport& u) {
  nlohmann::json& scenarios = comparison["scenarios"];
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    std::vector<nlohmann::json> draws;
    for (const std::vector<Summary>& d : u.summaries) draws.push_back(summary_json(d[s], 0.0));
    std::vector<const nlohmann::json*> pointers;
    for (const nlohmann::json& d : draws) pointers.push_back(&d);
    add_intervals(scenarios[s], pointers);
  }
  add_difference_uncertainty(comparison["differences"], differences_uncertainty(u.differences));
  add_difference_uncertainty(comparison["between_future_states"],
                             differences_uncertainty(u.rivals));
  comparison["uncertainty"] = comparison_uncertainty_object(
      digest_draw_odds(report.labels.size(), u, report.rank_by), report.labels);
}

std::string run_uncertainty_text(const Summary& central, const UncertaintyReport& u) {
  std::string out =
      fmt::format("\nUncertain inputs: {} draws from a Latin hypercube over {} input{}\n", u.draws,
                  u.inputs.size(), u.inputs.size() == 1 ? "" : "s");
  out += inputs_text(u.inputs);
  out +=
      "Each figure at the inputs' means, with its interval of simulation noise, then the\n"
      "range 95% of the draws fall in (what the world may be, given the guesses):\n";
  for (const char* name : {"conversion_rate", "revenue_per_agent", "margin_per_agent", "nps"}) {
    const Figure& f = figure(name);
    const Estimate& e = central.overall.*f.member;
    std::vector<double> values;
    for (const std::vector<Summary>& d : u.summaries)
      values.push_back((d.front().overall.*f.member).value);
    const DrawInterval range = interval_over_draws(values);
    out += range_line(metric_label(name), name, e, range);
  }
  for (const SensitivityOf& s : u.sensitivity) {
    const std::string words = leading_input_words(u, s, "the " + lower_label(s.figure));
    if (!words.empty()) out += "Which guess matters most: " + words + "\n";
  }
  out += "(sensitivity: " + u.estimator + ")\n";
  return out;
}

std::string comparison_uncertainty_text(const ComparisonReport& report,
                                        const UncertaintyReport& u) {
  const std::string& metric = report.rank_by;
  const bool lower = ranked_lower_is_better(metric);
  std::string out = fmt::format(
      "\nWith uncertain inputs: {} draws from a Latin hypercube over {} input{}, every draw on "
      "the same agents\n",
      u.draws, u.inputs.size(), u.inputs.size() == 1 ? "" : "s");
  out += inputs_text(u.inputs);
  for (std::size_t s : rank_future_states(report)) {
    const DifferenceUncertainty gain =
        difference_uncertainty(difference_over_draws(u, s, 0, metric), lower);
    const Difference* central = nullptr;
    for (const Difference& d : report.differences) {
      if (is_difference_of(d, metric) && d.scenario == s) central = &d;
    }
    out += future_state_text(report.labels, s, metric, gain, central, [&](std::size_t t) {
      return probability_beats(u, s, t, metric);
    });
    for (const SensitivityOf& sens : u.sensitivity) {
      if (sens.scenario != s) continue;
      const std::string words = leading_input_words(u, sens, "the gain");
      if (!words.empty()) out += "  " + words + "\n";
    }
  }
  out += "(sensitivity: " + u.estimator + ")\n";
  return out;
}

std::string calendar_uncertainty_text(const CalendarComparisonReport& r,
                                      const CalendarDrawsDigest& draws) {
  const DrawsDigest& d = draws.digest;
  const std::size_t n = r.names.size();
  std::string out = fmt::format("\nUncertain inputs: {} draws from a {} over {} input{}{}\n",
                                d.draws, d.design, d.inputs.size(), d.inputs.size() == 1 ? "" : "s",
                                n > 1 ? ", every draw on the same agents" : "");
  out += inputs_text(d.inputs);
  out +=
      "Each figure at the inputs' means, with its interval of simulation noise, then the\n"
      "range 95% of the draws fall in (what the world may be, given the guesses):\n";
  for (std::size_t k = 0; k < n; ++k) {
    if (n > 1) out += r.names[k] + ":\n";
    // The calendar page's cells: the key headline figures, the calendar's, each resource's.
    for (const DrawsDigest::FigureRange& f : draws.figures) {
      if (f.scenario != k) continue;
      // A resource's figure is keyed RESOURCE.FIGURE.
      const std::size_t dot = f.figure.rfind('.');
      const std::string figure = dot == std::string::npos ? f.figure : f.figure.substr(dot + 1);
      const std::string label = dot == std::string::npos
                                    ? metric_label(figure)
                                    : f.figure.substr(0, dot) + ": " + lower_label(figure);
      out += range_line(label, figure, f.central, f.over_draws);
    }
  }
  for (std::size_t k = 0; k < r.differences.size() && k < draws.differences.size(); ++k) {
    out += fmt::format("{} against {}, each difference over the draws:\n", r.names[k + 1],
                       r.names[0]);
    const std::vector<CalendarDifference>& rows = r.differences[k];
    for (std::size_t row = 0; row < rows.size() && row < draws.differences[k].size(); ++row) {
      const CalendarDifference& c = rows[row];
      const DifferenceUncertainty& u = draws.differences[k][row];
      const Figure* f = find_calendar_figure(c.figure);
      const bool directed = f != nullptr && f->better != Better::neither;
      const std::string label =
          c.resource.empty() ? metric_label(c.figure) : c.resource + ": " + lower_label(c.figure);
      out += fmt::format("  {:<22} {} {}; over the inputs {} to {}, {} in {}\n", label,
                         difference_text(c.figure, c.difference.value),
                         difference_interval_text(c.figure, c.difference),
                         difference_text(c.figure, u.interval.low),
                         difference_text(c.figure, u.interval.high),
                         directed ? "better" : "higher", whole_percent(u.probability_better));
    }
  }
  if (n == 1) {
    const std::string words = leading_input_words(d, 0, "the " + lower_label(d.ranked_on));
    if (!words.empty()) out += "Which guess matters most: " + words + "\n";
  } else {
    const ComparisonReport view = plain_comparison_view(r, d.ranked_on);
    for (std::size_t s : rank_future_states(view)) {
      const DrawsDigest::FutureState* state = nullptr;
      for (const DrawsDigest::FutureState& f : d.future_states) {
        if (f.scenario == s && f.probability_beats.size() >= n) state = &f;
      }
      if (state == nullptr) continue;
      const Difference* central = nullptr;
      for (const Difference& x : view.differences) {
        if (is_difference_of(x, d.ranked_on) && x.scenario == s) central = &x;
      }
      out += future_state_text(view.labels, s, d.ranked_on, state->gain, central,
                               [&](std::size_t t) { return state->probability_beats[t]; });
      const std::string words = leading_input_words(d, s, "the gain");
      if (!words.empty()) out += "  Which guess matters most: " + words + "\n";
    }
  }
  return out + "(sensitivity: " + d.estimator + ")\n";
}

ComparisonReport plain_comparison_view(const CalendarComparisonReport& report,
                                       const std::string& rank_by) {
  ComparisonReport out;
  out.labels = report.names;
  out.metadata = report.metadata;
  for (const CalendarSummary& s : report.summaries) out.summaries.push_back(s.plain);
  for (std::size_t k = 0; k < report.differences.size(); ++k) {
    for (Difference& d : plain_differences(report.differences[k], k + 1, 0)) {
      out.differences.push_back(std::move(d));
    }
  }
  out.rank_by = rank_by;
  out.seconds = report.seconds;
  return out;
}

std::vector<CalendarDrawsDigest::JsonRange> calendar_json_ranges(
    const std::vector<CalendarSummary>& central,
    const std::vector<std::vector<CalendarSummary>>& draws) {
  std::vector<CalendarDrawsDigest::JsonRange> out;
  for (std::size_t s = 0; s < central.size(); ++s) {
    std::vector<nlohmann::json> jsons;
    for (const std::vector<CalendarSummary>& d : draws) {
      if (s < d.size()) jsons.push_back(calendar_summary_json(d[s], 0.0));
    }
    if (jsons.size() != draws.size()) {
      throw std::invalid_argument("every draw must hold a summary of each calendar journey");
    }
    std::vector<const nlohmann::json*> pointers;
    for (const nlohmann::json& d : jsons) pointers.push_back(&d);
    collect_ranges(calendar_summary_json(central[s], 0.0), pointers, "", s, out);
  }
  return out;
}

void add_calendar_run_uncertainty_json(nlohmann::json& run, const CalendarDrawsDigest& draws) {
  put_ranges(run, draws.json_ranges, 0);
  run["uncertainty"] = uncertainty_object(draws.digest, {});
}

void add_calendar_comparison_uncertainty_json(nlohmann::json& comparison,
                                              const std::vector<std::string>& labels,
                                              const CalendarDrawsDigest& draws) {
  nlohmann::json& scenarios = comparison["scenarios"];
  for (std::size_t s = 0; s < scenarios.size(); ++s) put_ranges(scenarios[s], draws.json_ranges, s);
  // Each future state's rows of "figures", in order.
  nlohmann::json& futures = comparison["differences"];
  for (std::size_t k = 0; k < futures.size() && k < draws.differences.size(); ++k) {
    nlohmann::json& figures = futures[k]["figures"];
    for (std::size_t row = 0; row < figures.size() && row < draws.differences[k].size(); ++row) {
      const DifferenceUncertainty& d = draws.differences[k][row];
      figures[row]["expected"] = json_number(d.expected);
      figures[row]["uncertainty"] = pair_json(d.interval.low, d.interval.high);
      figures[row]["probability_better"] = json_number(d.probability_better);
    }
  }
  comparison["uncertainty"] = comparison_uncertainty_object(draws.digest, labels);
}

}  // namespace cjsim
