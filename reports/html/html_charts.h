// The charts of the HTML report as Apache ECharts options (JSON), computed from the summaries:
// the emotion curve touchpoint by touchpoint with its interval band, the flows as a Sankey,
// the reach and the dropout by stage, and the touchpoints whose dropout moved most.
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

// The touchpoints of every scenario in the journey map's order: by stage (stage_union), within
// a stage the current state's order, then those only a future state has.
struct JourneyStep {
  std::string id, name, stage;
};
std::vector<JourneyStep> touchpoint_union(const ComparisonReport& report);

// The moments of truth of one scenario, marked on the map: the touchpoint with the largest
// emotional impact (its mean emotion's size times its visits per agent) and the one where the
// most journeys end in a dropout. Empty ids when no touchpoint qualifies.
struct MomentsOnMap {
  std::string emotion_id, dropout_id;
};
MomentsOnMap moments_on_map(const Summary& summary);

// The emotion curve touchpoint by touchpoint in the map's order, each scenario's mean with its
// 95% band, overlaid, the moments of truth pinned on the current state's curve. `views` gets
// one set of series per reader's choice (all customers, then each persona), empty with one
// persona; the page switches between them.
nlohmann::json emotion_map_chart(const ComparisonReport& report, const MomentsOnMap& moments,
                                 nlohmann::json& views);
// Flows of one scenario: a start node, the touchpoints and a dropout sink. ECharts draws only
// acyclic Sankeys, so transitions that go back (closing a loop) flow into a "back to X" node
// of their target instead; their journeys are counted in `loops`. `fullest_column` gets the
// most nodes in one column (for the chart's height); `layout` the column count and each
// node's column, which the page uses to give every label the room to the next column.
nlohmann::json sankey_chart(const Summary& summary, const std::string& title, std::uint64_t& loops,
                            std::size_t& fullest_column, nlohmann::json& layout);
nlohmann::json funnel_chart(const ComparisonReport& report);
nlohmann::json stage_dropout_chart(const ComparisonReport& report);
// The touchpoints whose dropout per visit moved most, per future state (comparisons only).
nlohmann::json dropout_change_chart(const ComparisonReport& report);

}  // namespace cjsim
