// Comparing journeys on common random numbers.
#include "sim/api/compare.h"

#include <fmt/format.h>

#include <map>
#include <stdexcept>

#include "sim/api/limits.h"
#include "sim/api/processes.h"
#include "sim/api/stage.h"

namespace cjsim {

CompiledJourneys load_journeys(const std::vector<std::string>& paths, const Context& context,
                               bool keep_parts) {
  CompiledJourneys loaded;
  loaded.paths = paths;
  for (const std::string& path : paths) {
    loaded.scenarios.push_back(load_journey(path, context));
    loaded.journeys.push_back(compile(loaded.scenarios.back()));
    // Seven 31 MiB files held 13.7 GB; a calendar journey keeps its parts, which its calendar
    // is compiled from (sim/api/calendar.h).
    if (!loaded.scenarios.back().calendar && !keep_parts) {
      release_compiled_parts(loaded.scenarios.back());
    }
  }
  return loaded;
}

std::vector<std::string> journey_labels(const std::vector<std::string>& names,
                                        const std::vector<std::string>& paths) {
  std::map<std::string, int> uses;
  for (const std::string& name : names) ++uses[name];
  std::vector<std::string> labels;
  for (std::size_t k = 0; k < names.size(); ++k) {
    labels.push_back(uses[names[k]] > 1 ? fmt::format("{} ({})", names[k], paths[k]) : names[k]);
  }
  return labels;
}

CompareOutcome compare_journeys(const CompiledJourneys& loaded, const RunSettings& settings,
                                const std::string& rank_by, const Context& context) {
  const std::vector<CompiledJourney>& journeys = loaded.journeys;
  if (journeys.size() < 2) {
    throw std::runtime_error("compare needs a current state and at least one future state");
  }
  CompareOutcome outcome;
  outcome.options = run_options(settings, loaded.scenarios.front());
  RunOptions& options = outcome.options;
  options.agent_records = options.agent_paths = options.agent_path_hours = false;
  check_journey_lengths(journeys, options.agents, options.replications, settings.allow_long,
                        context);
  share_over_processes(options, context);
  check_run_memory(journeys, options);
  {
    const Stage stage(context, "comparing", "agents", options);
    outcome.comparison = run_comparison(journeys, options);
  }
  if (!gather_over_processes(outcome.comparison, context)) return outcome;

  ComparisonReport& report = outcome.report.emplace();
  std::vector<std::string> names;
  for (const Scenario& s : loaded.scenarios) names.push_back(s.name);
  report.labels = journey_labels(names, loaded.paths);
  report.rank_by = rank_by;
  report.method = comparison_method(options.replications);
  report.seconds = outcome.comparison.seconds;
  report.differences = differences(outcome.comparison);
  report.rivals = rival_differences(outcome.comparison);
  for (std::size_t k = 0; k < journeys.size(); ++k) {
    report.summaries.push_back(summarize(journeys[k], outcome.comparison.runs[k].replications));
    report.metadata.push_back(metadata_for(loaded.scenarios[k], loaded.paths[k], options,
                                           outcome.comparison.runs[k], context));
  }
  return outcome;
}

}  // namespace cjsim
