// A run or a comparison as Markdown tables and as one CSV table of every figure.
#pragma once

#include <string>

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

}  // namespace cjsim
