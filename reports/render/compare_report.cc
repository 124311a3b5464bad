// Comparison -> text and JSON; figures written as every report writes them (report_format.h).
#include "reports/render/compare_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "reports/render/json_report.h"
#include "reports/render/report_format.h"
#include "reports/render/text_report.h"
#include "scenarios/diagnostic.h"
#include "sim/engine/calendar_comparison.h"

namespace cjsim {
namespace {

std::string pairing_text(const Difference& d) {
  if (!(d.paired_half_width > 0) || !std::isfinite(d.independent_half_width)) return "";
  return fmt::format("{:.1f}x narrower", d.independent_half_width / d.paired_half_width);
}

// "checkout: Dropout": the stage, touchpoint or persona of a difference and its figure.
std::string scoped_label(const Difference& d) {
  if (d.scope == "overall") return metric_label(d.metric);
  return fmt::format("{}: {}", d.scope.substr(d.scope.find(':') + 1), metric_label(d.metric));
}

// The rows of one future state: overall, stages, the key figures of each persona, and the
// touchpoints that moved most, each under its heading.
struct Block {
  std::string heading;
  std::vector<const Difference*> rows;
};

std::vector<Block> blocks_of(const ComparisonReport& r, std::size_t k) {
  std::vector<Block> blocks = {{"", differences_of(r, k, "overall")},
                               {"Stages", differences_of(r, k, "stage:")},
                               {"Personas", {}},
                               {"Touchpoints that moved most (significant changes of dropout or "
                                "emotion)",
                                moments_of_truth(r, k)}};
  for (const Difference* d : differences_of(r, k, "persona:")) {
    const Figure* f = find_figure(d->metric);
    if (f && f->key) blocks[2].rows.push_back(d);
  }
  return blocks;
}

void scenario_section(std::string& out, const ComparisonReport& r, std::size_t k) {
  const std::vector<Block> blocks = blocks_of(r, k);
  std::size_t width = 30;
  for (const Block& b : blocks) {
    for (const Difference* d : b.rows) width = std::max(width, scoped_label(*d).size() + 1);
  }
  auto row = [&](std::string_view label, std::string_view current, std::string_view future,
                 std::string_view difference, std::string_view interval, std::string_view mark,
                 std::string_view pairing) {
    out += fmt::format("  {:<{}}{:>13}{:>13}{:>13}  {:<24}{:1} {}\n", label, width, current, future,
                       difference, interval, mark, pairing);
  };
  out += fmt::format("\nFuture state {}: {} (vs {})\n", k, r.labels[k], r.labels[0]);
  // Agents whose entry the future state removed with its traffic (MODEL.md 1.11).
  if (const HeadlineFigures& future = r.summaries[k].overall; future.lost > 0) {
    out += fmt::format("  {} of {} agents lost: they would have started at an entry the future "
                       "state removed\n",
                       with_thousands(future.lost), with_thousands(future.agents));
  }
  row("", "current", "future", "difference", "95% interval", "", "pairing");
  for (const Block& b : blocks) {
    if (!b.heading.empty()) out += "\n  " + b.heading + "\n";
    if (b.rows.empty()) out += "  (none)\n";
    for (const Difference* d : b.rows) {
      row(scoped_label(*d), figure_text(d->metric, d->current.value),
          figure_text(d->metric, d->future.value), difference_text(d->metric, d->difference.value),
          difference_interval_text(d->metric, d->difference), d->significant ? "*" : "",
          pairing_text(*d));
    }
    if (!b.heading.empty()) continue;
    for (const Difference* d : b.rows) {
      if (!d->note.empty())
        out += fmt::format("  Note: {}'s difference is n/a: {}\n", d->metric, d->note);
    }
  }
}

const Difference* overall(const ComparisonReport& r, std::size_t scenario,
                          std::string_view metric) {
  for (const Difference& d : r.differences) {
    if (d.scenario == scenario && is_difference_of(d, metric)) return &d;
  }
  return nullptr;
}

// The difference in `metric` between future states a and b (b minus a), whichever order the
// pair was stored in; `flipped` says it was stored as a minus b.
const Difference* rival(const ComparisonReport& r, std::size_t a, std::size_t b,
                        std::string_view metric, bool& flipped) {
  for (const Difference& d : r.rivals) {
    if (d.metric != metric) continue;
    if (d.versus == a && d.scenario == b) {
      flipped = false;
      return &d;
    }
    if (d.versus == b && d.scenario == a) {
      flipped = true;
      return &d;
    }
  }
  return nullptr;
}

bool better(const Difference& d) {
  return d.significant &&
         (lower_is_better(d.metric) ? d.difference.high < 0.0 : d.difference.low > 0.0);
}

bool worse(const Difference& d) {
  return d.significant &&
         (lower_is_better(d.metric) ? d.difference.low > 0.0 : d.difference.high < 0.0);
}

// "+3.52 pp (95% interval +3.41 pp to +3.63 pp)"
std::string change_text(const Difference& d) {
  std::string words = difference_text(d.metric, d.difference.value);
  if (std::isfinite(d.difference.low) && std::isfinite(d.difference.high)) {
    words += fmt::format(" (95% interval {} to {})", difference_text(d.metric, d.difference.low),
                         difference_text(d.metric, d.difference.high));
  }
  return words;
}

}  // namespace

std::vector<std::string> comparison_answer(const ComparisonReport& r) {
  std::vector<std::string> out;
  if (r.labels.size() < 2) return out;
  const std::string& metric = r.rank_by;
  const std::string label = metric_label(metric);
  std::string lower_label = label;
  if (!lower_label.empty() && lower_label != "NPS" && !lower_label.starts_with("NPS")) {
    lower_label[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(lower_label[0])));
  }
  const std::vector<std::size_t> order = rank_future_states(r);
  const std::size_t best = order.front();
  const Difference* top = overall(r, best, metric);
  if (top == nullptr || !std::isfinite(top->difference.value)) {
    out.push_back(fmt::format("{} could not be compared (n/a).", label));
    return out;
  }
  // The leaders: the best and every future state not told apart from it on the same agents.
  std::vector<std::size_t> tied;
  for (std::size_t k : order) {
    if (k == best) continue;
    bool flipped = false;
    const Difference* d = rival(r, best, k, metric, flipped);
    if (d != nullptr && !d->significant) tied.push_back(k);
  }
  if (better(*top)) {
    std::string sentence = fmt::format("{} does best: {} {} against {}", r.labels[best],
                                       lower_label, change_text(*top), r.labels[0]);
    const Difference* nps = overall(r, best, "nps");
    if (metric != "nps" && nps != nullptr && std::isfinite(nps->difference.value)) {
      sentence += fmt::format(", NPS {}", difference_text("nps", nps->difference.value));
      if (!nps->significant) sentence += " (within the noise)";
    }
    out.push_back(sentence + ".");
    for (std::size_t k : tied) {
      bool flipped = false;
      const Difference* d = rival(r, best, k, metric, flipped);
      out.push_back(fmt::format(
          "{} cannot be told apart from it on the same agents: {} differs by {}.", r.labels[k],
          lower_label,
          difference_text(metric, flipped ? -d->difference.value : d->difference.value)));
    }
  } else {
    out.push_back(fmt::format("No future state improves {} beyond the noise.", lower_label));
  }
  for (std::size_t k : order) {
    const Difference* d = overall(r, k, metric);
    if ((k == best && better(*top)) || d == nullptr) continue;
    if (std::find(tied.begin(), tied.end(), k) != tied.end() && better(*top)) continue;
    if (better(*d)) {
      out.push_back(fmt::format("{} also improves {}: {}.", r.labels[k], lower_label, change_text(*d)));
    } else if (worse(*d)) {
      out.push_back(fmt::format("{} makes {} worse: {}.", r.labels[k], lower_label, change_text(*d)));
    } else {
      out.push_back(fmt::format("{} changes {} by less than the noise: {}.", r.labels[k],
                                lower_label, change_text(*d)));
    }
  }
  return out;
}

std::vector<std::size_t> rank_future_states(const ComparisonReport& r) {
  std::vector<std::size_t> order;
  for (std::size_t k = 1; k < r.labels.size(); ++k) order.push_back(k);
  auto value = [&](std::size_t k) {
    const Difference* d = overall(r, k, r.rank_by);
    return d && std::isfinite(d->difference.value) ? d->difference.value : -INFINITY;
  };
  const bool lower = ranked_lower_is_better(r.rank_by);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return lower ? value(a) < value(b) : value(a) > value(b);
  });
  return order;
}

std::string text_comparison(const ComparisonReport& r) {
  std::string out;
  const Summary& base = r.summaries.front();
  out += fmt::format("Comparison of {} with {}\n", counted(r.labels.size() - 1, "future state"),
                     r.labels[0]);
  out += fmt::format("{} paired agents x {}, seed {}, {:.2f} s\n",
                     with_thousands(base.agents_per_replication),
                     counted(base.replications, "replication"), r.metadata.front().seed, r.seconds);
  out += "\nThe answer, by " + metric_label(r.rank_by) + " (" +
         (lower_is_better(r.rank_by) ? "lower" : "higher") + " is better)\n";
  for (const std::string& sentence : comparison_answer(r)) out += "  " + sentence + "\n";
  out += "\nMethod: " + r.method + ". * marks a difference whose interval excludes 0; 'pairing' "
         "compares the interval's width with two independent runs of as many agents.\n";
  for (std::size_t k = 1; k < r.labels.size(); ++k) scenario_section(out, r, k);
  if (r.labels.size() > 2) {
    out += fmt::format("\nRanking by the difference in {} ({} is better)\n", r.rank_by,
                       lower_is_better(r.rank_by) ? "lower" : "higher");
    int rank = 1;
    for (std::size_t k : rank_future_states(r)) {
      const Difference* d = overall(r, k, r.rank_by);
      out += fmt::format("  {}. {:<40} {:>13}  {}{}\n", rank++, r.labels[k],
                         d ? difference_text(d->metric, d->difference.value) : "n/a",
                         d ? difference_interval_text(d->metric, d->difference) : "",
                         d && d->significant ? " *" : "");
    }
    out += fmt::format("\nBetween the future states, on the same agents ({}: the second minus the "
                       "first)\n",
                       metric_label(r.rank_by));
    for (const Difference& d : r.rivals) {
      if (d.metric != r.rank_by) continue;
      out += fmt::format("  {:<40} {:>13}  {}{}\n",
                         fmt::format("{} -> {}", r.labels[d.versus], r.labels[d.scenario]),
                         difference_text(d.metric, d.difference.value),
                         difference_interval_text(d.metric, d.difference),
                         d.significant ? " *" : "");
    }
  }
  return out;
}

nlohmann::json comparison_json(const ComparisonReport& r) {
  nlohmann::json out;
  out["method"] = r.method;
  out["seed"] = r.metadata.front().seed;
  out["agents"] = r.summaries.front().agents_per_replication;
  out["replications"] = r.summaries.front().replications;
  out["seconds"] = r.seconds;
  nlohmann::json scenarios = nlohmann::json::array();
  for (std::size_t k = 0; k < r.summaries.size(); ++k) {
    nlohmann::json s = summary_json(r.summaries[k], r.seconds);
    s["label"] = r.labels[k];
    s["path"] = r.metadata[k].scenario_path;
    s["role"] = k == 0 ? "current" : "future";
    scenarios.push_back(std::move(s));
  }
  out["scenarios"] = std::move(scenarios);
  const auto difference_json = [&r](const Difference& d) {
    const nlohmann::json difference = estimate_json(d.difference);
    nlohmann::json j = {{"metric", d.metric},
                        {"scope", d.scope},
                        {"scenario", r.labels[d.scenario]},
                        {"scenario_index", d.scenario},
                        {"current", estimate_json(d.current)["value"]},
                        {"future", estimate_json(d.future)["value"]},
                        {"difference", difference["value"]},
                        {"ci", difference["ci"]},
                        {"significant", d.significant},
                        {"paired_half_width", estimate_json({d.paired_half_width, 0, 0})["value"]},
                        {"independent_half_width",
                         estimate_json({d.independent_half_width, 0, 0})["value"]}};
    if (!d.note.empty()) j["note"] = d.note;
    return j;
  };
  nlohmann::json differences = nlohmann::json::array();
  for (const Difference& d : r.differences) differences.push_back(difference_json(d));
  out["differences"] = std::move(differences);
  // Future states against each other: "scenario" minus "versus", on the same agents.
  nlohmann::json rivals = nlohmann::json::array();
  for (const Difference& d : r.rivals) {
    nlohmann::json j = difference_json(d);
    j["versus"] = r.labels[d.versus];
    j["versus_index"] = d.versus;
    rivals.push_back(std::move(j));
  }
  out["between_future_states"] = std::move(rivals);
  out["answer"] = comparison_answer(r);
  nlohmann::json ranking = nlohmann::json::array();
  for (std::size_t k : rank_future_states(r)) ranking.push_back(r.labels[k]);
  out["rank_by"] = r.rank_by;
  out["ranking"] = std::move(ranking);
  return out;
}

}  // namespace cjsim
