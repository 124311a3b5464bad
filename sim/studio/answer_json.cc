// A comparison's answer cards as JSON for the studio's page, with how sure they are when the
// uncertain inputs were drawn.
#include "sim/studio/answer_json.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "reports/html/draws_html.h"
#include "reports/html/html_charts.h"
#include "reports/render/compare_report.h"
#include "reports/render/json_report.h"
#include "reports/render/report_format.h"
#include "reports/render/uncertainty_report.h"
#include "sim/engine/figures.h"

namespace cjsim::studio {
namespace {

using nlohmann::json;

const Difference* overall_difference(const ComparisonReport& r, std::size_t k,
                                     std::string_view metric) {
  for (const Difference& d : r.differences) {
    if (d.scenario == k && d.versus == 0 && d.scope == "overall" && d.metric == metric) return &d;
  }
  return nullptr;
}

const char* better_word(Better better) {
  return better == Better::lower ? "lower" : better == Better::higher ? "higher" : "neither";
}

// As the report's answer cards tag a difference (reports/html/html_report.cc).
const char* verdict(const Difference& d, Better better) {
  if (!d.significant) return "within the noise";
  if (better == Better::neither) return "changed";
  return (better == Better::lower) == (d.difference.value < 0) ? "better" : "worse";
}

// "87%", as the report's section on the draws writes a share; "n/a" when undefined.
std::string percent_text(double p) {
  if (!std::isfinite(p)) return "n/a";
  return fmt::format("{:.0f}%", 100.0 * std::clamp(p, 0.0, 1.0));
}

json pair_json(double low, double high) { return {json_number(low), json_number(high)}; }

// What the draws say of future state k's difference in `f` from the current state.
void add_draws_to_card(json& card, const Figure& f, std::size_t k, const AnswerDraws& draws) {
  const std::vector<double> values = difference_over_draws(draws.uncertainty, k, 0, f.name);
  if (values.empty()) return;
  const DifferenceUncertainty u = difference_uncertainty(values, f.better == Better::lower);
  card["over_draws"] = pair_json(u.interval.low, u.interval.high);
  card["over_draws_text"] =
      difference_interval_text(f.name, Estimate{u.expected, u.interval.low, u.interval.high});
  const bool directed = f.better != Better::neither;
  card["probability_better"] = directed ? json_number(u.probability_better) : json(nullptr);
  card["probability_text"] = directed ? json(percent_text(u.probability_better)) : json(nullptr);
}

std::string index_text(const SensitivityIndex& i) {
  std::string out = fmt::format("{} ± {}", percent_text(std::max(0.0, i.first_order)),
                                percent_text(i.standard_error));
  if (std::isfinite(i.total)) {
    out = fmt::format("{} alone, {} ± {} with the others", out, percent_text(i.total),
                      percent_text(i.total_error));
  }
  return out;
}

}  // namespace

nlohmann::json uncertainty_answer_json(const ComparisonReport& r, const AnswerDraws& draws) {
  const DrawsDigest& d = draws.digest;
  json inputs = json::array();
  for (const UncertainInputReport& i : d.inputs) {
    inputs.push_back(
        {{"path", i.path}, {"words", uncertain_input_words(i.path)}, {"distribution", i.distribution}});
  }
  // One ranking per target, in the order the report shows them.
  json sensitivity = json::array();
  for (const DrawsDigest::Ranked& ranked : d.sensitivity) {
    const auto same = [&](const json& t) { return t["index"] == ranked.scenario; };
    auto target = std::find_if(sensitivity.begin(), sensitivity.end(), same);
    if (target == sensitivity.end()) {
      const std::string label = ranked.scenario < r.labels.size() ? r.labels[ranked.scenario] : "";
      sensitivity.push_back({{"index", ranked.scenario},
                             {"label", label},
                             {"figure", ranked.figure},
                             {"totals", d.has_totals()},
                             {"inputs", json::array()}});
      target = sensitivity.end() - 1;
    }
    const SensitivityIndex& i = ranked.index;
    (*target)["inputs"].push_back({{"path", ranked.input},
                                   {"words", uncertain_input_words(ranked.input)},
                                   {"distribution", ranked.distribution},
                                   {"first_order", json_number(i.first_order)},
                                   {"error", json_number(i.standard_error)},
                                   {"total", json_number(i.total)},
                                   {"total_error", json_number(i.total_error)},
                                   {"text", index_text(i)}});
  }
  return {{"draws", d.draws},
          {"runs", d.runs},
          {"design", d.design},
          {"estimator", d.estimator},
          {"ranked_on", d.ranked_on},
          {"sentences", how_sure_answer(r, d)},
          {"inputs", std::move(inputs)},
          {"sensitivity", std::move(sensitivity)}};
}

nlohmann::json answer_json(const ComparisonReport& r, const AnswerDraws* draws) {
  json states = json::array();
  for (std::size_t k = 1; k < r.summaries.size(); ++k) {
    json figures = json::array();
    for (const Figure& f : kHeadlineFigures) {
      const Difference* d = overall_difference(r, k, f.name);
      if (d == nullptr) continue;
      json card = {{"metric", f.name},
                   {"label", f.label},
                   {"difference", json_number(d->difference.value)},
                   {"ci", {json_number(d->difference.low), json_number(d->difference.high)}},
                   {"text", difference_text(f.name, d->difference.value)},
                   {"interval", difference_interval_text(f.name, d->difference)},
                   {"better", better_word(f.better)},
                   {"verdict", verdict(*d, f.better)}};
      if (draws != nullptr) add_draws_to_card(card, f, k, *draws);
      figures.push_back(std::move(card));
    }
    states.push_back({{"index", k},
                      {"label", r.labels[k]},
                      {"colour", scenario_colour(k)},
                      {"figures", std::move(figures)}});
  }
  json out = {{"answer", comparison_answer(r)},
              {"rank_by", r.rank_by},
              {"agents", r.summaries.front().agents_per_replication},
              {"method", r.method},
              {"states", std::move(states)}};
  if (draws != nullptr) out["uncertainty"] = uncertainty_answer_json(r, *draws);
  return out;
}

nlohmann::json run_answer_json(const ComparisonReport& r, const AnswerDraws& draws) {
  json figures = json::array();
  for (const Figure& f : kHeadlineFigures) {
    const std::vector<double> values = figure_over_draws(draws.uncertainty, 0, f.name);
    if (values.empty() || f.member == nullptr) continue;
    const Estimate* central = &(r.summaries.front().overall.*f.member);
    const DrawInterval over = interval_over_draws(values);
    figures.push_back({{"metric", f.name},
                       {"label", f.label},
                       {"value", json_number(central->value)},
                       {"text", figure_text(f.name, central->value)},
                       {"ci", pair_json(central->low, central->high)},
                       {"interval", interval_text(f.name, *central)},
                       {"over_draws", pair_json(over.low, over.high)},
                       {"over_draws_text",
                        interval_text(f.name, Estimate{central->value, over.low, over.high})}});
  }
  return {{"answer", how_sure_answer(r, draws.digest)},
          {"rank_by", draws.digest.ranked_on},
          {"agents", r.summaries.front().agents_per_replication},
          {"method", r.method},
          {"states", json::array()},
          {"run", {{"figures", std::move(figures)}}},
          {"uncertainty", uncertainty_answer_json(r, draws)}};
}

}  // namespace cjsim::studio
