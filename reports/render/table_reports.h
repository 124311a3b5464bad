// A run or a comparison as Markdown tables and as one CSV table of every figure.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reports/store/comparison_file.h"
#include "reports/store/draws_file.h"

namespace cjsim {

// The same tables as Markdown. With `draws` (a file written with --draws), a section "How sure
// it is" comes first: each headline figure's two intervals, each future state's expected gain
// and odds, and which uncertain input matters most.
std::string markdown_report(const ComparisonReport& report, const DrawsDigest* draws = nullptr);

// The same figures as one CSV table in long form, one row per figure (see reports/README.md,
// "Reports"). With `draws`, rows of tables `draws` (a headline figure at the inputs' means, its
// ci_low/ci_high the range 95% of the draws give), `odds` (a future state's expected gain and
// that range, and its probability of beating each other scenario) and `sensitivity` (an input's
// first-order and total indices, ci_low/ci_high their 95% intervals from the bootstrap error).
std::string csv_report(const ComparisonReport& report, const DrawsDigest* draws = nullptr);

// The section "How sure it is" of markdown_report (for calendar journeys too: their plain
// view, uncertainty_report.h's plain_comparison_view).
std::string how_sure_markdown(const ComparisonReport& report, const DrawsDigest& draws);

// csv_report's rows of the draws (tables draws, odds and sensitivity), `labels` naming the
// scenarios. With `unit` (a calendar CSV's column after the metric), each row gains its unit.
std::string draws_csv(const std::vector<std::string>& labels, const DrawsDigest& draws,
                      std::string (*unit)(std::string_view metric) = nullptr);

}  // namespace cjsim
