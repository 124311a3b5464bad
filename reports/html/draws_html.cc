// The HTML report's section on the draws of uncertain inputs.
#include "reports/html/draws_html.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>

#include "reports/html/html_report.h"
#include "reports/render/report_format.h"
#include "reports/render/uncertainty_report.h"
#include "sim/engine/calendar_comparison.h"

namespace cjsim {

namespace {

using nlohmann::json;

std::string draws_percent(double p) {
  if (!std::isfinite(p)) return "n/a";
  return fmt::format("{:.0f}%", 100.0 * std::clamp(p, 0.0, 1.0));
}

// "conversion rate": a figure's label inside a sentence.
std::string draws_label_words(std::string_view metric) {
  std::string label = metric_label(metric);
  if (!label.empty()) {
    label[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(label[0])));
  }
  return label;
}
std::string draws_figure_words(std::string_view metric) {
  return "the " + draws_label_words(metric);
}

// The inputs ranked for one target (scenario 0: the run's figure; k: future state k's gain).
std::vector<const DrawsDigest::Ranked*> ranked_for(const DrawsDigest& d, std::size_t scenario) {
  std::vector<const DrawsDigest::Ranked*> out;
  for (const DrawsDigest::Ranked& r : d.sensitivity) {
    if (r.scenario == scenario) out.push_back(&r);
  }
  return out;
}

// "the dropout at id_check explains 61% (± 8%) of the uncertainty in the gain; research it
// first."
std::string leading_guess_sentence(const std::vector<const DrawsDigest::Ranked*>& ranked,
                                   const std::string& of) {
  if (ranked.empty()) return "";
  const DrawsDigest::Ranked& top = *ranked.front();
  std::string out = fmt::format("{} explains {} (± {}) of the uncertainty in {}",
                                uncertain_input_words(top.input),
                                draws_percent(std::max(0.0, top.index.first_order)),
                                draws_percent(top.index.standard_error), of);
  if (std::isfinite(top.index.total)) {
    out += fmt::format(" alone, {} (± {}) with what it does together with the others",
                       draws_percent(top.index.total), draws_percent(top.index.total_error));
  }
  out += top.index.first_order > 2.0 * top.index.standard_error
             ? "; research it first."
             : "; it does not yet stand out from the estimator's error (more draws would tell).";
  out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

// The answer: per future state (best expected gain first) its odds and gain, then the guess
// that matters most; for a run, the ranked figure's range and the guess.
std::vector<std::string> how_sure_sentences(const ComparisonReport& r, const DrawsDigest& d) {
  std::vector<std::string> out;
  const std::string metric = d.ranked_on;
  if (d.future_states.empty()) {
    for (const DrawsDigest::FigureRange& f : d.figures) {
      if (f.figure != metric || f.scenario != 0) continue;
      out.push_back(fmt::format(
          "At the inputs' means {} is {}; over the uncertain inputs, 95% of the {} draws give "
          "between {} and {}.",
          draws_figure_words(metric), figure_text(metric, f.central.value), d.draws,
          figure_text(metric, f.over_draws.low), figure_text(metric, f.over_draws.high)));
    }
    const std::string guess = leading_guess_sentence(ranked_for(d, 0), draws_figure_words(metric));
    if (!guess.empty()) out.push_back(guess);
    return out;
  }
  std::vector<const DrawsDigest::FutureState*> states;
  for (const DrawsDigest::FutureState& f : d.future_states) states.push_back(&f);
  const bool lower = ranked_lower_is_better(metric);
  std::stable_sort(states.begin(), states.end(), [&](const auto* a, const auto* b) {
    return lower ? a->gain.expected < b->gain.expected : a->gain.expected > b->gain.expected;
  });
  for (const DrawsDigest::FutureState* f : states) {
    std::string sentence = fmt::format(
        "{} beats {} in {} of the {} draws of the uncertain inputs; its expected gain in {} is "
        "{}, and 95% of the draws give between {} and {}.",
        r.labels[f->scenario], r.labels[0], draws_percent(f->gain.probability_better), d.draws,
        draws_label_words(metric), difference_text(metric, f->gain.expected),
        difference_text(metric, f->gain.interval.low),
        difference_text(metric, f->gain.interval.high));
    for (std::size_t t = 1; t < f->probability_beats.size(); ++t) {
      if (t == f->scenario) continue;
      sentence += fmt::format(" It beats {} in {} of them.", r.labels[t],
                              draws_percent(f->probability_beats[t]));
    }
    out.push_back(sentence);
    const std::string guess = leading_guess_sentence(ranked_for(d, f->scenario), "its gain");
    if (!guess.empty()) out.push_back(guess);
  }
  return out;
}

// Per input, its first-order index (and total index) with the error as a whisker, largest at
// the top.
json sensitivity_chart(const std::vector<const DrawsDigest::Ranked*>& ranked, bool totals) {
  json categories = json::array(), first = json::array(), total = json::array();
  for (auto it = ranked.rbegin(); it != ranked.rend(); ++it) {
    const DrawsDigest::Ranked& r = **it;
    std::string words = uncertain_input_words(r.input);
    if (words.starts_with("the ")) words.erase(0, 4);  // "dropout at id_check": short axis labels
    categories.push_back(words);
    const auto share = [](double x) -> json {
      if (!std::isfinite(x)) return nullptr;
      return std::round(std::clamp(x, 0.0, 1.0) * 1000.0) / 10.0;
    };
    first.push_back(share(r.index.first_order));
    total.push_back(share(r.index.total));
  }
  json series = json::array();
  const auto bar = [](const char* name, const char* colour, json data) {
    return json{
        {"name", name},
        {"type", "bar"},
        {"data", std::move(data)},
        {"itemStyle", {{"color", colour}}},
        {"label", {{"show", true}, {"position", "right"}, {"formatter", "{c}%"}, {"fontSize", 10}}},
        {"labelLayout", {{"hideOverlap", true}}},
        {"tooltip", {{"formatter", "{a}<br/>{b}: {c}% of the variance"}}}};
  };
  series.push_back(bar("alone (first-order)", "#2f6db5", first));
  if (totals) series.push_back(bar("with the others (total)", "#91cc75", total));
  return {
      {"animationDuration", 600},
      {"textStyle", {{"fontFamily", "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"}}},
      {"tooltip", {{"trigger", "item"}}},
      {"legend", {{"top", 0}, {"type", "scroll"}}},
      {"grid", {{"left", 8}, {"right", 48}, {"top", 28}, {"bottom", 8}, {"containLabel", true}}},
      {"yAxis",
       {{"type", "category"},
        {"data", categories},
        {"axisLabel", {{"width", 170}, {"overflow", "truncate"}}}}},
      {"xAxis",
       {{"type", "value"},
        {"max", 100},
        {"axisLabel", {{"formatter", "{value}%"}, {"hideOverlap", true}}}}},
      {"series", std::move(series)}};
}

std::string index_cell(double index, double error) {
  if (!std::isfinite(index)) return "<td class=\"num\">&ndash;</td>";
  return fmt::format("<td class=\"num\">{:.0f}% <small>± {:.0f}%</small></td>", 100.0 * index,
                     100.0 * error);
}

}  // namespace

std::string draws_section(const ComparisonReport& r, const DrawsDigest& d,
                          html_page::Charts& charts) {
  std::string out =
      "<section id=\"how-sure\" class=\"answer\">\n<h2>How sure it is</h2>\n"
      "<ul class=\"sentences\">";
  for (const std::string& sentence : how_sure_sentences(r, d)) {
    out += "<li>" + html_escape(sentence) + "</li>";
  }
  out += "</ul>\n";
  out += fmt::format(
      "<p class=\"note\">The inputs written as distributions were drawn {} times (a {}; {} runs "
      "on the same agents besides the one at the inputs' means). Every figure has two "
      "intervals: the simulation's own noise at the inputs' means, and the range 95% of the "
      "draws fall in: what the world may be, given the guesses.</p>\n",
      d.draws, html_escape(d.design), d.runs);

  out +=
      "<h3>The uncertain inputs</h3>\n<div class=\"wide\"><table><thead><tr><th>input</th>"
      "<th>distribution</th></tr></thead><tbody>\n";
  for (const UncertainInputReport& i : d.inputs) {
    out += fmt::format("<tr><td>{}<br><small>{}</small></td><td>{}</td></tr>\n",
                       html_escape(uncertain_input_words(i.path)), html_escape(i.path),
                       html_escape(i.distribution));
  }
  out += "</tbody></table></div>\n";

  out += "<h3>Both intervals</h3>\n<div class=\"wide\"><table><thead><tr><th>figure</th>";
  const bool comparison = r.labels.size() > 1;
  if (comparison) out += "<th>scenario</th>";
  out +=
      "<th class=\"num\">at the means</th><th class=\"num\">simulation noise</th>"
      "<th class=\"num\">over the draws</th></tr></thead><tbody>\n";
  for (const char* name : {"conversion_rate", "revenue_per_agent", "margin_per_agent", "nps"}) {
    for (const DrawsDigest::FigureRange& f : d.figures) {
      if (f.figure != name || f.scenario >= r.labels.size()) continue;
      out += "<tr><td>" + html_escape(metric_label(name)) + "</td>";
      if (comparison) out += "<td>" + html_escape(r.labels[f.scenario]) + "</td>";
      out += fmt::format(
          "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
          html_escape(figure_text(name, f.central.value)),
          html_escape(interval_text(name, f.central)),
          html_escape(interval_text(name, {0.0, f.over_draws.low, f.over_draws.high})));
    }
  }
  out += "</tbody></table></div>\n";

  if (comparison && !d.future_states.empty()) {
    out +=
        "<h3>The odds of beating</h3>\n<div class=\"wide\"><table><thead><tr>"
        "<th>future state</th><th class=\"num\">expected gain</th>"
        "<th class=\"num\">95% of the draws</th>";
    for (std::size_t t = 0; t < r.labels.size(); ++t) {
      out += "<th class=\"num\">beats " + html_escape(r.labels[t]) + "</th>";
    }
    out += "</tr></thead><tbody>\n";
    for (const DrawsDigest::FutureState& f : d.future_states) {
      out += fmt::format(
          "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
          html_escape(r.labels[f.scenario]),
          html_escape(difference_text(d.ranked_on, f.gain.expected)),
          html_escape(fmt::format("{} to {}", difference_text(d.ranked_on, f.gain.interval.low),
                                  difference_text(d.ranked_on, f.gain.interval.high))));
      for (std::size_t t = 0; t < f.probability_beats.size(); ++t) {
        out += t == f.scenario
                   ? "<td class=\"num\">&ndash;</td>"
                   : "<td class=\"num\">" + draws_percent(f.probability_beats[t]) + "</td>";
      }
      out += "</tr>\n";
    }
    out += "</tbody></table></div>\n";
  }

  out += "<h3>Which guess matters most</h3>\n";
  const bool totals = d.has_totals();
  const std::vector<std::size_t> targets = [&] {
    std::vector<std::size_t> t;
    for (const DrawsDigest::Ranked& x : d.sensitivity) {
      if (std::find(t.begin(), t.end(), x.scenario) == t.end()) t.push_back(x.scenario);
    }
    return t;
  }();
  for (std::size_t target : targets) {
    const std::vector<const DrawsDigest::Ranked*> ranked = ranked_for(d, target);
    out += target == 0 ? fmt::format("<h4>{}</h4>\n", html_escape(metric_label(d.ranked_on)))
                       : fmt::format("<h4>The gain of {} in {}</h4>\n",
                                     html_escape(r.labels[std::min(target, r.labels.size() - 1)]),
                                     html_escape(draws_label_words(d.ranked_on)));
    out += charts.add(sensitivity_chart(ranked, totals),
                      static_cast<int>(60 + 36 * ranked.size() * (totals ? 2 : 1)), "",
                      {{"sensitivity", target}});
    out +=
        "<div class=\"wide\"><table><thead><tr><th>rank</th><th>input</th>"
        "<th class=\"num\">explains alone</th>";
    if (totals) out += "<th class=\"num\">with the others</th>";
    out += "</tr></thead><tbody>\n";
    for (std::size_t i = 0; i < ranked.size(); ++i) {
      out += fmt::format("<tr><td>{}</td><td>{}</td>{}", i + 1,
                         html_escape(uncertain_input_words(ranked[i]->input)),
                         index_cell(ranked[i]->index.first_order, ranked[i]->index.standard_error));
      if (totals) out += index_cell(ranked[i]->index.total, ranked[i]->index.total_error);
      out += "</tr>\n";
    }
    out += "</tbody></table></div>\n";
  }
  out += "<p class=\"note\">Sensitivity: " + html_escape(d.estimator) + ".</p>\n";
  return out + "</section>\n";
}

std::vector<std::string> how_sure_answer(const ComparisonReport& r, const DrawsDigest& d) {
  return how_sure_sentences(r, d);
}

}  // namespace cjsim
