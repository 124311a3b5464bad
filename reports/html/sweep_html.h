// The sections of a sweep's HTML page that answer with pairs and money: every design point
// against the reference point (a chart of the paired differences with their intervals, and the
// table of the same), and for calendar journeys the staffing trade-off (staff cost against the
// longest 90th-percentile wait per point, its frontier, and what it says in plain words).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "reports/html/html_page.h"
#include "reports/store/hdf5_sweep.h"

namespace cjsim {

// The points the differences chart shows at most (the best first); the table has them all.
inline constexpr std::size_t kMostChartedDifferences = 40;

// The section "Each point against the reference" (id "differences"), its chart added to
// `charts`: `metric`'s paired difference when it is a headline figure, else the conversion
// rate's (a calendar figure is kept per point only).
std::string sweep_differences_section(const StoredSweep& sweep, std::string_view metric,
                                      html_page::Charts& charts);

// The staffing trade-off of a calendar sweep (id "staffing"): a headline in words, staff cost
// against the longest 90th-percentile wait of any resource per point (one colour per base
// scenario, the frontier joined), and the table of every point's staff cost and resources.
// "" for a sweep of journeys without a calendar.
std::string sweep_staffing_section(const StoredSweep& sweep, html_page::Charts& charts);

// The base scenarios' colours (with two or more) and `also` ("dashed line: the frontier") as a
// key above a chart: a page's own text wraps where a chart's legend cannot. "" when empty.
std::string sweep_scenario_key(const StoredSweep& sweep, std::string_view also = "");

// The headline of that section: the cheapest point, the one with the shortest wait, and the
// points on the frontier, where waiting less costs more. "" without a calendar or resources.
std::string staffing_headline(const StoredSweep& sweep);

}  // namespace cjsim
