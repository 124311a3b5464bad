// A comparison's answer cards as JSON for the studio's page.
#include "sim/studio/answer_json.h"

#include "reports/html/html_charts.h"
#include "reports/render/compare_report.h"
#include "reports/render/json_report.h"
#include "reports/render/report_format.h"
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

}  // namespace

nlohmann::json answer_json(const ComparisonReport& r) {
  json states = json::array();
  for (std::size_t k = 1; k < r.summaries.size(); ++k) {
    json figures = json::array();
    for (const Figure& f : kHeadlineFigures) {
      const Difference* d = overall_difference(r, k, f.name);
      if (d == nullptr) continue;
      figures.push_back({{"metric", f.name},
                         {"label", f.label},
                         {"difference", json_number(d->difference.value)},
                         {"ci", {json_number(d->difference.low), json_number(d->difference.high)}},
                         {"text", difference_text(f.name, d->difference.value)},
                         {"interval", difference_interval_text(f.name, d->difference)},
                         {"better", better_word(f.better)},
                         {"verdict", verdict(*d, f.better)}});
    }
    states.push_back({{"index", k},
                      {"label", r.labels[k]},
                      {"colour", scenario_colour(k)},
                      {"figures", std::move(figures)}});
  }
  return {{"answer", comparison_answer(r)},
          {"rank_by", r.rank_by},
          {"agents", r.summaries.front().agents_per_replication},
          {"method", r.method},
          {"states", std::move(states)}};
}

}  // namespace cjsim::studio
