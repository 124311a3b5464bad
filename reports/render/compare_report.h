// A comparison of a current state with future states, for people (text) and for tools (JSON).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "reports/store/comparison_file.h"
#include "sim/engine/comparison.h"
#include "sim/engine/summary.h"

namespace cjsim {

// The future states ordered best first by the difference of `rank_by` (overall scope):
// scenario indices.
std::vector<std::size_t> rank_future_states(const ComparisonReport& report);

// The answer first, in plain sentences from the figures: which future state does best on
// `rank_by` and by how much (with its interval), which cannot be told apart from it (paired on
// the same agents), and what each other one does; scenarios named by their labels.
std::vector<std::string> comparison_answer(const ComparisonReport& report);

std::string text_comparison(const ComparisonReport& report);
nlohmann::json comparison_json(const ComparisonReport& report);

}  // namespace cjsim
