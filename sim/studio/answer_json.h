// A comparison's answer as the HTML report's answer cards say it, as JSON for the studio's page:
// the sentences first, then for each future state its headline figures' differences from the
// current state, each better, worse, changed or within the noise, with the paired interval.
#pragma once

#include <nlohmann/json.hpp>

#include "reports/store/comparison_file.h"

namespace cjsim::studio {

// {"answer": [sentence], "rank_by", "agents", "method",
//  "states": [{"index", "label", "colour", "figures": [{"metric", "label", "difference",
//    "ci", "text", "interval", "better", "verdict"}]}]}
// `text` and `interval` are the report's wording ("+1.20 pp", "[+0.80 pp, +1.60 pp]"),
// `better` "higher", "lower" or "neither", `verdict` "better", "worse", "changed" (a figure
// with no better direction) or "within the noise" (the paired interval holds 0).
nlohmann::json answer_json(const ComparisonReport& report);

}  // namespace cjsim::studio
