// Figures written for people, one scheme for every report (text, comparisons, Markdown, HTML):
// each figure in its unit from the figure table (sim/engine/figures.h): percent, money with two
// decimals and thousands separators, hours, signed NPS points and emotion; its interval, its
// difference (shares in percentage points), and its label.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "reports/render/compare_report.h"
#include "sim/engine/figures.h"
#include "sim/engine/statistics.h"

namespace cjsim {

// "12.34 %", "1,234.56", "3.20 h", "+0.123"; "n/a" when not finite.
std::string figure_text(std::string_view metric, double value);
// "[12.01 %, 12.67 %]"; "" when undefined.
std::string interval_text(std::string_view metric, const Estimate& estimate);
// "+1.20 pp", "-0.35", "+0.012"; "n/a" when not finite.
std::string difference_text(std::string_view metric, double difference);
// "[+0.80, +1.60]" in the difference's unit; "" when undefined.
std::string difference_interval_text(std::string_view metric, const Estimate& difference);

// A difference in the unit it is written in: shares in percentage points, others as they are.
double difference_in_display_units(std::string_view metric, double difference);

// "Conversion rate", "Revenue per agent", ...: the table's label; the name itself when the
// table has no such figure.
std::string metric_label(std::string_view metric);

// 1234567.891 -> "1,234,567.89".
std::string money(double value);

// The moments of truth of future state `scenario`: its touchpoints whose figures with a better
// direction (dropout, emotion) changed significantly, the largest change first in the units
// they are written in (dropout in percentage points, emotion in its own units), at most
// `count`. The text, Markdown and HTML comparisons all show these.
std::vector<const Difference*> moments_of_truth(const ComparisonReport& report,
                                                std::size_t scenario, std::size_t count = 10);

// The differences of future state `scenario` whose scope starts with `scope_prefix`.
std::vector<const Difference*> differences_of(const ComparisonReport& report, std::size_t scenario,
                                              std::string_view scope_prefix);

}  // namespace cjsim
