// A run or a comparison as Markdown tables and as one CSV table of every figure.
#pragma once

#include <string>

#include "reports/store/comparison_file.h"

namespace cjsim {

// The same tables as Markdown.
std::string markdown_report(const ComparisonReport& report);

// The same figures as one CSV table in long form, one row per figure (see reports/README.md,
// "Reports").
std::string csv_report(const ComparisonReport& report);

}  // namespace cjsim
