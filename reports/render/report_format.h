// Figures written for people, shared by the Markdown and HTML reports: each metric in its own
// unit (percent, money with two decimals and thousands separators, hours, signed emotion), its
// interval, its difference (rates in percentage points), and its label.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reports/render/compare_report.h"
#include "sim/engine/statistics.h"

namespace cjsim {

// "12.34 %", "1,234.56", "3.2 h", "+0.123"; "n/a" when not finite.
std::string figure_text(std::string_view metric, double value);
// "[12.01 %, 12.67 %]"; "" when undefined.
std::string interval_text(std::string_view metric, const Estimate& estimate);
// "+1.20 pp", "-0.35", "+0.012"; "n/a" when not finite.
std::string difference_text(std::string_view metric, double difference);
// "[+0.80, +1.60]" in the difference's unit; "" when undefined.
std::string difference_interval_text(std::string_view metric, const Estimate& difference);

// "Conversion rate", "Revenue per agent", ...; the metric itself when it has no label.
std::string metric_label(std::string_view metric);

// 1234567.891 -> "1,234,567.89".
std::string money(double value);

// Whether a smaller value of the metric is the better one (cost, time, dropout).
bool lower_is_better(std::string_view metric);

// The moments of truth of future state `scenario`: its touchpoints whose dropout or emotion
// changed significantly, the largest change first (dropout in percentage points, emotion
// in its own units, as the text comparison ranks them),
// at most `count`. The same choice as the text comparison.
std::vector<const Difference*> moments_of_truth(const ComparisonReport& report,
                                                std::size_t scenario, std::size_t count = 10);

// The differences of future state `scenario` whose scope starts with `scope_prefix`.
std::vector<const Difference*> differences_of(const ComparisonReport& report, std::size_t scenario,
                                              std::string_view scope_prefix);

}  // namespace cjsim
