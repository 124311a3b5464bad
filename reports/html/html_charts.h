// The charts of the HTML report as Apache ECharts options (JSON), computed from the summaries:
// the emotion curve with its interval band, the flows as a Sankey, the funnel by stage, the
// dropout by stage, and the touchpoints whose dropout moved most.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reports/render/compare_report.h"

namespace cjsim {

// Scenario k's colour, the same in every chart and table (the current state is k = 0).
const char* scenario_colour(std::size_t k);

// The stages of every scenario, the current state's first and in its order.
std::vector<std::string> stage_union(const ComparisonReport& report);

nlohmann::json emotion_curve_chart(const ComparisonReport& report);
// Flows of one scenario: a start node, the touchpoints and a dropout sink. ECharts draws only
// acyclic Sankeys, so transitions that go back (closing a loop) flow into a "back to X" node
// of their target instead; their journeys are counted in `loops`.
nlohmann::json sankey_chart(const Summary& summary, const std::string& title,
                            std::uint64_t& loops);
nlohmann::json funnel_chart(const ComparisonReport& report);
nlohmann::json stage_dropout_chart(const ComparisonReport& report);
// The touchpoints whose dropout per visit moved most, per future state (comparisons only).
nlohmann::json dropout_change_chart(const ComparisonReport& report);

}  // namespace cjsim
