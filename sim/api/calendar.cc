// Calendar runs and comparisons through the Context.
#include "sim/api/calendar.h"

#include <fmt/format.h>

#include <stdexcept>

#include "sim/api/run.h"
#include "sim/api/stage.h"
#include "sim/engine/calendar_comparison.h"

namespace cjsim {
namespace {

// The lives a run traces per persona, for the HTML report's day in the life (which shows the
// fullest of each persona's): enough that one meets a queue or comes back, few enough to store.
constexpr std::uint32_t kTracedPerPersona = 40;

CalendarOptions calendar_options(const CalendarSettings& settings, const Scenario& seed_source,
                                 const Context& context) {
  CalendarOptions options;
  options.seed = settings.seed.value_or(seed_source.settings.seed.value_or(kDefaultSeed));
  options.replications = settings.replications;
  options.threads = settings.threads;
  options.warmup_days = settings.warmup_days;
  options.traced_per_persona = kTracedPerPersona;
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

// The record of a run, as a plain run's (sim/api/run.h) with the calendar's seed and size.
RunMetadata calendar_metadata(const Scenario& scenario, const std::string& path,
                              const CalendarOptions& options, const CalendarRunResult& result,
                              const Context& context) {
  RunOptions plain;
  plain.seed = options.seed;
  plain.replications = options.replications;
  std::uint64_t journeys = 0;
  for (const CalendarReplication& r : result.replications) journeys += r.journeys;
  plain.agents = result.replications.empty() ? 0 : journeys / result.replications.size();
  RunResult timing;
  timing.threads = result.threads;
  timing.seconds = result.seconds;
  return metadata_for(scenario, path, plain, timing, context);
}

}  // namespace

CalendarComparisonReport CalendarOutcome::report() const {
  CalendarComparisonReport out;
  out.names = {journey.name};
  out.metadata = {metadata};
  out.summaries = {summary};
  out.replications = metadata.replications;
  out.seconds = metadata.seconds;
  return out;
}

std::vector<CalendarRunData> CalendarCompareOutcome::data(const CompiledJourneys& journeys) const {
  std::vector<CalendarRunData> out;
  for (std::size_t k = 0; k < runs.size(); ++k) {
    out.push_back({&journeys.journeys[k], &calendars[k], &runs[k], &report.summaries[k]});
  }
  return out;
}

std::optional<CalendarOutcome> run_calendar_journey(const Scenario& scenario,
                                                    const std::string& path,
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
  RunMetadata metadata = calendar_metadata(scenario, path, options, result, context);
  return CalendarOutcome{std::move(journey), std::move(calendar), std::move(result),
                         std::move(summary), std::move(metadata)};
}

std::optional<CalendarCompareOutcome> compare_calendar_journeys(
    const CompiledJourneys& loaded, const CalendarSettings& settings, const Context& context) {
  if (loaded.journeys.size() < 2) {
    throw std::runtime_error("compare needs a current state and at least one future state");
  }
  if (!context.reports()) return std::nullopt;
  const CalendarOptions options = calendar_options(settings, loaded.scenarios.front(), context);
  std::vector<std::string> names;
  for (const Scenario& s : loaded.scenarios) names.push_back(s.name);
  CalendarCompareOutcome out;
  CalendarComparisonReport& report = out.report;
  report.names = journey_labels(names, loaded.paths);
  report.replications = options.replications;
  std::vector<CompiledCalendar>& calendars = out.calendars;
  std::vector<CalendarRunResult>& runs = out.runs;
  const Stage stage(context, "simulating days", "");
  for (std::size_t k = 0; k < loaded.journeys.size(); ++k) {
    calendars.push_back(checked_calendar(loaded.scenarios[k], loaded.journeys[k], settings));
    runs.push_back(run_calendar(loaded.journeys[k], calendars.back(), options));
    report.seconds += runs.back().seconds;
    report.summaries.push_back(summarize_calendar(loaded.journeys[k], calendars.back(), runs.back()));
    report.metadata.push_back(
        calendar_metadata(loaded.scenarios[k], loaded.paths[k], options, runs.back(), context));
  }
  for (std::size_t k = 1; k < runs.size(); ++k) {
    report.differences.push_back(
        calendar_differences(runs.front(), calendars.front(), runs[k], calendars[k]));
  }
  return out;
}

}  // namespace cjsim
