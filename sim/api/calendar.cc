// Calendar runs and comparisons through the Context.
#include "sim/api/calendar.h"

#include <fmt/format.h>

#include <stdexcept>

#include "sim/api/run.h"
#include "sim/api/stage.h"
#include "sim/engine/calendar_comparison.h"

namespace cjsim {
namespace {

CalendarOptions calendar_options(const CalendarSettings& settings, const Scenario& seed_source,
                                 const Context& context) {
  CalendarOptions options;
  options.seed = settings.seed.value_or(seed_source.settings.seed.value_or(kDefaultSeed));
  options.replications = settings.replications;
  options.threads = settings.threads;
  options.warmup_days = settings.warmup_days;
  options.cancel = context.cancel;
  return options;
}

CompiledCalendar checked_calendar(const Scenario& scenario, const CompiledJourney& journey,
                                  const CalendarSettings& settings) {
  if (!scenario.calendar) {
    throw std::runtime_error(fmt::format("'{}' has no calendar", scenario.name));
  }
  CompiledCalendar calendar = compile_calendar(scenario, journey, settings.days);
  if (settings.warmup_days >= calendar.days) {
    throw std::runtime_error(fmt::format("--warmup-days {} leaves nothing of a run of {} days to "
                                         "measure",
                                         settings.warmup_days, calendar.days));
  }
  return calendar;
}

}  // namespace

std::optional<CalendarOutcome> run_calendar_journey(const Scenario& scenario,
                                                    const CalendarSettings& settings,
                                                    const Context& context) {
  // Replications are not yet spread over processes: the first runs them all and reports.
  if (!context.reports()) return std::nullopt;
  CompiledJourney journey = compile(scenario);
  CompiledCalendar calendar = checked_calendar(scenario, journey, settings);
  const CalendarOptions options = calendar_options(settings, scenario, context);
  CalendarRunResult result = [&] {
    const Stage stage(context, "simulating days", "");
    return run_calendar(journey, calendar, options);
  }();
  CalendarSummary summary = summarize_calendar(journey, calendar, result);
  return CalendarOutcome{std::move(journey), std::move(calendar), std::move(result),
                         std::move(summary)};
}

std::optional<CalendarComparisonReport> compare_calendar_journeys(
    const CompiledJourneys& loaded, const CalendarSettings& settings, const Context& context) {
  if (loaded.journeys.size() < 2) {
    throw std::runtime_error("compare needs a current state and at least one future state");
  }
  if (!context.reports()) return std::nullopt;
  const CalendarOptions options = calendar_options(settings, loaded.scenarios.front(), context);
  std::vector<std::string> names;
  for (const Scenario& s : loaded.scenarios) names.push_back(s.name);
  CalendarComparisonReport report;
  report.names = journey_labels(names, loaded.paths);
  report.replications = options.replications;
  std::vector<CompiledCalendar> calendars;
  std::vector<CalendarRunResult> runs;
  const Stage stage(context, "simulating days", "");
  for (std::size_t k = 0; k < loaded.journeys.size(); ++k) {
    calendars.push_back(checked_calendar(loaded.scenarios[k], loaded.journeys[k], settings));
    runs.push_back(run_calendar(loaded.journeys[k], calendars.back(), options));
    report.seconds += runs.back().seconds;
    report.summaries.push_back(summarize_calendar(loaded.journeys[k], calendars.back(), runs.back()));
  }
  for (std::size_t k = 1; k < runs.size(); ++k) {
    report.differences.push_back(
        calendar_differences(runs.front(), calendars.front(), runs[k], calendars[k]));
  }
  return report;
}

}  // namespace cjsim
