// Calendar journeys with uncertain inputs (sim/model/MODEL.md 1.10 and Part 2): the central run
// or comparison, then each draw's parameter set through the calendar's engine (all its
// replications, the same seed, so the same organic arrivals and early draws), through the one
// loop over the draws of sim/api/uncertainty.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "reports/store/draws_file.h"
#include "sim/api/calendar.h"
#include "sim/api/uncertainty.h"

namespace cjsim {

struct UncertainCalendarRunOutcome {
  CalendarOutcome central;  // the run at the inputs' means: what `run` without draws gives
  UncertaintyReport uncertainty;
  std::vector<CalendarSummary> draws;  // each draw's figures (without the traced lives)
};

// nullopt on a process that does not report (the first runs everything).
std::optional<UncertainCalendarRunOutcome> run_calendar_journey_with_draws(
    const Scenario& scenario, const std::string& path, const CalendarSettings& settings,
    const DrawSettings& draws, const Context& context);

struct UncertainCalendarCompareOutcome {
  CalendarCompareOutcome central;
  UncertaintyReport uncertainty;                // differences as plain_differences gives them
  std::vector<CalendarComparisonReport> draws;  // each draw's summaries and differences
};

// Throws std::runtime_error naming the valid ones when `rank_by` is no difference `report`
// gives: a run's figure ("staff_cost") or a resource's as RESOURCE.FIGURE
// ("desks.p90_wait_hours", calendar_comparison.h's ranked_figure).
void check_calendar_rank_by(const CalendarComparisonReport& report, const std::string& rank_by);

// The comparison ranks the future states and the inputs on `rank_by`'s difference, which
// check_calendar_rank_by must accept.
std::optional<UncertainCalendarCompareOutcome> compare_calendar_journeys_with_draws(
    const CompiledJourneys& journeys, const CalendarSettings& settings, const std::string& rank_by,
    const DrawSettings& draws, const Context& context);

// Each draw's summaries, one per journey ([draw][journey]): what digest_calendar_draws and the
// calendar files with draws take.
std::vector<std::vector<CalendarSummary>> draw_summaries(const UncertainCalendarRunOutcome& run);
std::vector<std::vector<CalendarSummary>> draw_summaries(
    const UncertainCalendarCompareOutcome& compared);

// What a calendar page, its file, `--json` and the Python package show of the draws
// (digest_calendar_draws, with every JSON figure's range: calendar_json_ranges): a run's
// ranked on the conversion rate, a comparison's on `rank_by`.
CalendarDrawsDigest calendar_draws_digest(const UncertainCalendarRunOutcome& run);
CalendarDrawsDigest calendar_draws_digest(const UncertainCalendarCompareOutcome& compared,
                                          const std::string& rank_by);

}  // namespace cjsim
