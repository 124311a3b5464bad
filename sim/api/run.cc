// Loading and running one journey.
#include "sim/api/run.h"

#include "cjsim_version.h"
#include "scenarios/validate.h"
#include "sim/api/errors.h"
#include "sim/api/limits.h"
#include "sim/api/processes.h"
#include "sim/api/stage.h"

namespace cjsim {

Scenario load_journey(const std::string& path, const Context& context) {
  const Doing doing("reading " + path);
  Diagnostics diagnostics;
  std::optional<Scenario> scenario = load_valid_scenario(path, diagnostics);
  if (context.diagnostics) context.diagnostics(path, diagnostics);
  if (!scenario) throw InvalidInput(path, diagnostics.error_count(), "nothing was run");
  return std::move(*scenario);
}

RunOptions run_options(const RunSettings& settings, const Scenario& journey) {
  RunOptions options;
  options.agents = settings.agents;
  options.seed = settings.seed.value_or(journey.settings.seed.value_or(kDefaultSeed));
  options.replications = settings.replications;
  options.threads = settings.threads;
  options.agent_records = settings.agent_records || settings.agent_paths;
  options.agent_paths = settings.agent_paths;
  return options;
}

RunOutcome run_journey(const Scenario& scenario, const std::string& path,
                       const RunSettings& settings, const Context& context) {
  RunOutcome outcome{compile(scenario), run_options(settings, scenario),
                     {}, std::nullopt, {}};
  RunOptions& options = outcome.options;
  check_detail_memory(options.agents, options.replications, options.agent_records);
  check_journey_lengths({&outcome.journey, 1}, options.agents, options.replications,
                        settings.allow_long, context);
  share_over_processes(options, context);
  check_run_memory({&outcome.journey, 1}, options);
  {
    const Stage stage(context, "simulating", "agents", options);
    outcome.result = run(outcome.journey, options);
  }
  if (!gather_over_processes(outcome.result, context)) return outcome;
  outcome.summary = summarize(outcome.journey, outcome.result.replications);
  outcome.metadata = metadata_for(scenario, path, options, outcome.result, context);
  return outcome;
}

RunMetadata metadata_for(const Scenario& scenario, const std::string& path,
                         const RunOptions& options, const RunResult& result,
                         const Context& context) {
  RunMetadata m;
  m.scenario_path = path;
  m.scenario_text = scenario.source_text;
  for (const SourceFile& base : scenario.base_sources) m.base_files.emplace_back(base.path, base.text);
  m.software_version = CJSIM_VERSION;
  m.command_line = context.command_line;
  m.created = utc_timestamp();
  m.seed = options.seed;
  m.agents = options.agents;
  m.replications = options.replications;
  m.threads = result.threads;
  m.seconds = result.seconds;
  return m;
}

}  // namespace cjsim
