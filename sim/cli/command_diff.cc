// `cjsim diff CURRENT FUTURE`: what differs between two journeys, as a strategist reads it
// (text) or as a program does (--json). Either file may be a whole journey or a future state.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "scenarios/diff.h"
#include "sim/cli/commands.h"
#include "sim/api/run.h"
#include "sim/cli/run_support.h"

namespace cjsim {
namespace {

struct DiffOptions {
  std::string current;
  std::string future;
  bool json = false;
};

nlohmann::json journey_json(const Scenario& scenario, const std::string& path) {
  nlohmann::json bases = nlohmann::json::array();
  for (const SourceFile& base : scenario.base_sources) bases.push_back(base.path);
  return {{"path", path}, {"name", scenario.name}, {"bases", std::move(bases)}};
}

int diff_command(const DiffOptions& options, const Context& context) {
  const Scenario current = load_journey(options.current, context);
  const Scenario future = load_journey(options.future, context);
  const std::vector<JourneyDifference> differences = diff_scenarios(current, future);
  if (options.json) {
    const nlohmann::json out = {{"current", journey_json(current, options.current)},
                                {"future", journey_json(future, options.future)},
                                {"differences", differences_to_json(differences)}};
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  std::cout << fmt::format("From '{}' ({})\nto   '{}' ({})\n\n", current.name, options.current,
                           future.name, options.future);
  std::cout << format_differences(differences);
  return 0;
}

}  // namespace

CommandAction add_diff_command(CLI::App& command) {
  auto o = std::make_shared<DiffOptions>();
  command.add_option("current", o->current, "The journey as it is (YAML, or JSON)")->required();
  command
      .add_option("future", o->future,
                  "The journey as it would be: a whole file, or a future "
                  "state (base: + changes:)")
      ->required();
  command.add_flag("--json", o->json, "Print the differences as JSON");
  return [o](const Context& context) { return diff_command(*o, context); };
}

}  // namespace cjsim
