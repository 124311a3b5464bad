// Calendar runs and comparisons with uncertain inputs, each draw through the calendar's engine.
#include "sim/api/calendar_draws.h"

#include <fmt/format.h>

#include <stdexcept>

#include "reports/render/uncertainty_report.h"
#include "scenarios/did_you_mean.h"
#include "sim/engine/calendar_comparison.h"

namespace cjsim {
namespace {

std::uint64_t calendar_seed(const CalendarSettings& settings, const Scenario& first) {
  return settings.seed.value_or(first.settings.seed.value_or(kDefaultSeed));
}

// The draws keep figures, not a day in the life: the traced lives are the central run's.
CalendarSummary untraced(CalendarSummary summary) {
  summary.traced.clear();
  summary.trace.clear();
  return summary;
}

// Every difference of a calendar comparison as the draws' statistics take them: each future
// state's from the current state, and (rivals) the run's figures and the ranked one of each
// later future state from each earlier one.
DrawFigures draw_figures(const CalendarCompareOutcome& compared, std::string_view rank_by) {
  DrawFigures out;
  const CalendarComparisonReport& report = compared.report;
  for (const CalendarSummary& s : report.summaries) out.summaries.push_back(s.plain);
  for (std::size_t k = 0; k < report.differences.size(); ++k) {
    std::vector<Difference> list = plain_differences(report.differences[k], k + 1, 0);
    out.differences.insert(out.differences.end(), list.begin(), list.end());
  }
  for (std::size_t a = 1; a < compared.runs.size(); ++a) {
    for (std::size_t b = a + 1; b < compared.runs.size(); ++b) {
      for (Difference& d :
           plain_differences(calendar_differences(compared.runs[a], compared.calendars[a],
                                                  compared.runs[b], compared.calendars[b]),
                             b, a)) {
        if (d.scope == "overall" || is_difference_of(d, rank_by)) {
          out.rivals.push_back(std::move(d));
        }
      }
    }
  }
  return out;
}

}  // namespace

void check_calendar_rank_by(const CalendarComparisonReport& report, const std::string& rank_by) {
  std::vector<std::string> run, resource;
  for (const CalendarDifference& d : report.differences.front()) {
    const std::string name = d.resource.empty() ? d.figure : d.resource + "." + d.figure;
    if (name == rank_by) return;
    (d.resource.empty() ? run : resource).push_back(name);
  }
  throw std::runtime_error(fmt::format(
      "--rank-by {}: these calendar journeys' comparison gives the differences of {}, and per "
      "resource of {} (not of {}); rank by one of those",
      rank_by, join_names(run), join_names(resource), rank_by));
}

std::optional<UncertainCalendarRunOutcome> run_calendar_journey_with_draws(
    const Scenario& scenario, const std::string& path, const CalendarSettings& settings,
    const DrawSettings& draws, const Context& context) {
  const UncertaintyDesign design =
      uncertainty_design({&scenario}, draws, calendar_seed(settings, scenario));
  std::optional<CalendarOutcome> central = run_calendar_journey(scenario, path, settings, context);
  if (!central) return std::nullopt;  // the first process alone runs and reports
  CalendarSettings per_draw = settings;
  per_draw.seed = calendar_seed(settings, scenario);
  const Context silent = quiet_context(context);
  std::vector<CalendarSummary> summaries;
  std::optional<UncertaintyReport> report =
      simulate_draws(design, {&scenario}, "conversion_rate", context,
                     [&](const DrawPoint& point) -> std::optional<DrawFigures> {
                       std::optional<CalendarOutcome> run = run_calendar_journey(
                           scenario_at_point(scenario, design, point), path, per_draw, silent);
                       if (!run) return std::nullopt;
                       DrawFigures figures{{run->summary.plain}, {}, {}};
                       if (!point.frozen_input)
                         summaries.push_back(untraced(std::move(run->summary)));
                       return figures;
                     });
  if (!report) return std::nullopt;
  return UncertainCalendarRunOutcome{std::move(*central), std::move(*report), std::move(summaries)};
}

std::optional<UncertainCalendarCompareOutcome> compare_calendar_journeys_with_draws(
    const CompiledJourneys& journeys, const CalendarSettings& settings, const std::string& rank_by,
    const DrawSettings& draws, const Context& context) {
  if (journeys.scenarios.size() < 2) {
    throw std::runtime_error("compare needs a current state and at least one future state");
  }
  std::vector<const Scenario*> scenarios;
  for (const Scenario& s : journeys.scenarios) scenarios.push_back(&s);
  const std::uint64_t seed = calendar_seed(settings, journeys.scenarios.front());
  const UncertaintyDesign design = uncertainty_design(scenarios, draws, seed);
  std::optional<CalendarCompareOutcome> central =
      compare_calendar_journeys(journeys, settings, context);
  if (!central) return std::nullopt;  // the first process alone runs and reports
  check_calendar_rank_by(central->report, rank_by);
  CalendarSettings per_draw = settings;
  per_draw.seed = seed;
  const Context silent = quiet_context(context);
  std::vector<CalendarComparisonReport> reports;
  std::optional<UncertaintyReport> report = simulate_draws(
      design, scenarios, rank_by, context,
      [&](const DrawPoint& point) -> std::optional<DrawFigures> {
        CompiledJourneys drawn;
        drawn.paths = journeys.paths;
        for (const Scenario& s : journeys.scenarios) {
          drawn.scenarios.push_back(scenario_at_point(s, design, point));
          drawn.journeys.push_back(compile(drawn.scenarios.back()));
        }
        std::optional<CalendarCompareOutcome> compared =
            compare_calendar_journeys(drawn, per_draw, silent);
        if (!compared) return std::nullopt;
        DrawFigures figures = draw_figures(*compared, rank_by);
        if (!point.frozen_input) {
          CalendarComparisonReport& kept = reports.emplace_back(std::move(compared->report));
          for (CalendarSummary& s : kept.summaries) s = untraced(std::move(s));
        }
        return figures;
      });
  if (!report) return std::nullopt;
  return UncertainCalendarCompareOutcome{std::move(*central), std::move(*report),
                                         std::move(reports)};
}

std::vector<std::vector<CalendarSummary>> draw_summaries(const UncertainCalendarRunOutcome& run) {
  std::vector<std::vector<CalendarSummary>> out;
  for (const CalendarSummary& s : run.draws) out.push_back({s});
  return out;
}

std::vector<std::vector<CalendarSummary>> draw_summaries(
    const UncertainCalendarCompareOutcome& compared) {
  std::vector<std::vector<CalendarSummary>> out;
  for (const CalendarComparisonReport& r : compared.draws) out.push_back(r.summaries);
  return out;
}

CalendarDrawsDigest calendar_draws_digest(const UncertainCalendarRunOutcome& run) {
  const std::vector<std::vector<CalendarSummary>> draws = draw_summaries(run);
  CalendarDrawsDigest out =
      digest_calendar_draws(run.central.report(), draws, run.uncertainty, "conversion_rate");
  out.json_ranges = calendar_json_ranges({run.central.summary}, draws);
  return out;
}

CalendarDrawsDigest calendar_draws_digest(const UncertainCalendarCompareOutcome& compared,
                                          const std::string& rank_by) {
  const std::vector<std::vector<CalendarSummary>> draws = draw_summaries(compared);
  CalendarDrawsDigest out =
      digest_calendar_draws(compared.central.report, draws, compared.uncertainty, rank_by);
  out.json_ranges = calendar_json_ranges(compared.central.report.summaries, draws);
  return out;
}

}  // namespace cjsim
