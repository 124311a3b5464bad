// Journeys from files or from text in their place, and the checks of `cjsim validate` on text.
#include "sim/api/journey_sources.h"

#include <fmt/format.h>

#include "scenarios/loader.h"
#include "scenarios/validate.h"
#include "sim/api/journey_text.h"
#include "sim/api/limits.h"
#include "sim/api/run.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {

CompiledJourneys load_journey_sources(std::span<const JourneySource> sources,
                                      const Context& context, bool keep_parts) {
  CompiledJourneys loaded;
  for (const JourneySource& source : sources) {
    loaded.paths.push_back(source.path);
    loaded.scenarios.push_back(source.text ? load_journey_text(*source.text, source.path, context)
                                           : load_journey(source.path, context));
    loaded.journeys.push_back(compile(loaded.scenarios.back()));
    if (!loaded.scenarios.back().calendar && !keep_parts) release_compiled_parts(loaded.scenarios.back());
  }
  return loaded;
}

JourneyCheck check_journey_text(std::string_view text, const std::string& path) {
  const Doing doing("reading and validating " + path);
  JourneyCheck check;
  Diagnostics& diagnostics = check.diagnostics;
  if (text.size() > kMostScenarioBytes) {
    diagnostics.error({path, 0, 0},
                      fmt::format("it is larger than {} MiB, the most a scenario may hold",
                                  kMostScenarioBytes >> 20));
  } else {
    check.scenario = parse_scenario(text, path, diagnostics);
    if (check.scenario) validate_scenario(*check.scenario, diagnostics);
  }
  if (check.scenario && diagnostics.has_errors()) check.scenario.reset();
  const std::size_t errors = diagnostics.error_count();
  if (!check.scenario) {
    check.summary = fmt::format("{}: {}, {}", path, counted(errors, "error"),
                                counted(diagnostics.all().size() - errors, "warning"));
    return check;
  }
  const std::string length = journey_length_warning(compile(*check.scenario));
  if (!length.empty()) diagnostics.warning({path, 0, 0}, length);
  const std::size_t warnings = diagnostics.all().size() - errors;
  const Scenario& scenario = *check.scenario;
  const std::size_t personas = scenario.personas.empty() ? 1 : scenario.personas.size();
  check.summary = fmt::format("{}: valid: '{}', {}, {}, {}, {}{}", path, scenario.name,
                              counted(scenario.stages.size(), "stage"),
                              counted(scenario.touchpoints.size(), "touchpoint"),
                              counted(scenario.transitions.size(), "transition"),
                              counted(personas, "persona"),
                              warnings == 0 ? "" : ", " + counted(warnings, "warning"));
  return check;
}

}  // namespace cjsim
