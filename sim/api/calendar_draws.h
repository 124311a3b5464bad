// Calendar journeys with uncertain inputs (sim/model/MODEL.md 1.10 and Part 2): the central run
// or comparison, then each draw's parameter set through the calendar's engine (all its
// replications, the same seed, so the same organic arrivals and early draws), through the one
// loop over the draws of sim/api/uncertainty.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

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

// The comparison ranks the future states and the inputs on `rank_by`'s difference, which must
// be one of the run's figures calendar comparisons give (calendar_comparison.h).
std::optional<UncertainCalendarCompareOutcome> compare_calendar_journeys_with_draws(
    const CompiledJourneys& journeys, const CalendarSettings& settings, const std::string& rank_by,
    const DrawSettings& draws, const Context& context);

}  // namespace cjsim
