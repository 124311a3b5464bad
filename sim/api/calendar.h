// Journeys with a calendar (sim/model/MODEL.md Part 2): agents arriving over days, queueing at
// shared resources, bringing friends and coming back, run and compared through the Context.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reports/render/calendar_report.h"
#include "scenarios/scenario.h"
#include "sim/api/compare.h"
#include "sim/api/context.h"
#include "sim/engine/calendar.h"
#include "sim/engine/calendar_summary.h"
#include "sim/model/compiled_calendar.h"

namespace cjsim {

struct CalendarSettings {
  std::optional<std::uint64_t> seed;  // default: the (first) journey's settings.seed, else 1
  std::uint32_t replications = 1;
  unsigned threads = 0;               // 0: every core; replications run side by side
  std::int64_t days = 0;              // above 0: overrides calendar.days
  std::int64_t warmup_days = 0;       // the first days, left out of every figure
};

struct CalendarOutcome {
  CompiledJourney journey;
  CompiledCalendar calendar;
  CalendarRunResult result;
  CalendarSummary summary;
};

// Runs a calendar journey. Throws std::runtime_error when the warm-up leaves no day to
// measure. Nothing on processes that do not report: the first process runs every replication.
std::optional<CalendarOutcome> run_calendar_journey(const Scenario& scenario,
                                                    const CalendarSettings& settings,
                                                    const Context& context);

// Runs calendar journeys (the current state first) with the same seed and compares them
// replication by replication. Every journey must have a calendar.
std::optional<CalendarComparisonReport> compare_calendar_journeys(
    const CompiledJourneys& journeys, const CalendarSettings& settings, const Context& context);

}  // namespace cjsim
