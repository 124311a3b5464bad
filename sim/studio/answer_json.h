// A comparison's answer as the HTML report's answer cards say it, as JSON for the studio's page:
// the sentences first, then for each future state its headline figures' differences from the
// current state, each better, worse, changed or within the noise, with the paired interval;
// with draws of uncertain inputs, how sure each is as the report's "How sure it is" says it.
#pragma once

#include <nlohmann/json.hpp>

#include "reports/store/comparison_file.h"
#include "reports/store/draws_file.h"
#include "sim/engine/uncertainty.h"

namespace cjsim::studio {

// The draws of a run or comparison with uncertain inputs: what they gave, and the digest the
// HTML report shows of them (digest_draws).
struct AnswerDraws {
  const UncertaintyReport& uncertainty;
  const DrawsDigest& digest;
};

// {"answer": [sentence], "rank_by", "agents", "method",
//  "states": [{"index", "label", "colour", "figures": [{"metric", "label", "difference",
//    "ci", "text", "interval", "better", "verdict"}]}]}
// `text` and `interval` are the report's wording ("+1.20 pp", "[+0.80 pp, +1.60 pp]"),
// `better` "higher", "lower" or "neither", `verdict` "better", "worse", "changed" (a figure
// with no better direction) or "within the noise" (the paired interval holds 0).
//
// With `draws`, each figure also has "over_draws" ([low, high]: 95% of the draws' differences)
// with its "over_draws_text", and "probability_better" with its "probability_text" ("87%";
// null for a figure with no better direction); and the answer has "uncertainty" (below).
nlohmann::json answer_json(const ComparisonReport& report, const AnswerDraws* draws = nullptr);

// A run with draws (`report` single_run_report of its central run): {"answer": the report's
// sentences of how sure it is, "rank_by", "agents", "method", "states": [], "run": {"figures":
// [{"metric", "label", "value", "text", "ci", "interval", "over_draws", "over_draws_text"}]},
// "uncertainty"}.
nlohmann::json run_answer_json(const ComparisonReport& report, const AnswerDraws& draws);

// "uncertainty": {"draws", "runs", "design", "estimator", "ranked_on", "sentences" (the report's
// "How sure it is", how_sure_answer), "inputs": [{"path", "words", "distribution"}],
// "sensitivity": [{"index" (0 the run's figure, k future state k's gain), "label", "figure",
// "totals", "inputs": [{"path", "words", "distribution", "first_order", "error", "total",
// "total_error", "text"}]}]}, each target's inputs ranked as the report ranks them, `text` as
// "61% ± 8%" (with "alone" and the total when there are totals).
nlohmann::json uncertainty_answer_json(const ComparisonReport& report, const AnswerDraws& draws);

}  // namespace cjsim::studio
