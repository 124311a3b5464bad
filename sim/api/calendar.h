// Journeys with a calendar (sim/model/MODEL.md Part 2): agents arriving over days, queueing at
// shared resources, bringing friends and coming back, run and compared through the Context.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reports/store/calendar_file.h"
#include "reports/store/run_metadata.h"
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
  RunMetadata metadata;  // what a result file records of the run

  CalendarRunData data() const { return {&journey, &calendar, &result, &summary}; }
  // The run as a report of one journey and no differences: what read_calendar_file gives back
  // of the file the run wrote.
  CalendarComparisonReport report() const;
};

// Runs a calendar journey (read from `path`, for the record). Throws std::runtime_error when
// the warm-up leaves no day to measure. Nothing on processes that do not report: the first
// process runs every replication.
std::optional<CalendarOutcome> run_calendar_journey(const Scenario& scenario,
                                                    const std::string& path,
                                                    const CalendarSettings& settings,
                                                    const Context& context);

struct CalendarCompareOutcome {
  CalendarComparisonReport report;
  std::vector<CompiledCalendar> calendars;  // one per journey
  std::vector<CalendarRunResult> runs;      // one per journey

  // What a comparison file stores of each journey's run.
  std::vector<CalendarRunData> data(const CompiledJourneys& journeys) const;
};

// Runs calendar journeys (the current state first) with the same seed and compares them
// replication by replication. Every journey must have a calendar.
std::optional<CalendarCompareOutcome> compare_calendar_journeys(
    const CompiledJourneys& journeys, const CalendarSettings& settings, const Context& context);

}  // namespace cjsim
