// `cjsim validate` and `cjsim graph`: the checks alone, and the touchpoint graph as DOT.
#include <fmt/format.h>

#include <iostream>
#include <memory>
#include <sstream>

#include "reports/render/graphviz.h"
#include "scenarios/validate.h"
#include "sim/cli/commands.h"
#include "sim/api/limits.h"
#include "sim/api/run.h"
#include "sim/cli/run_support.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {
namespace {

int validate_command(const std::string& path) {
  const Doing doing("reading and validating " + path);
  Diagnostics diagnostics;
  std::optional<Scenario> scenario = load_valid_scenario(path, diagnostics);
  std::cerr << diagnostics.to_string();
  const std::size_t errors = diagnostics.error_count();
  const std::size_t warnings = diagnostics.all().size() - errors;
  if (!scenario) {
    std::cerr << fmt::format("{}: {}, {}\n", path, counted(errors, "error"),
                             counted(warnings, "warning"));
    return kExitBadInput;
  }
  const std::string length = journey_length_warning(compile(*scenario));
  if (!length.empty()) std::cerr << fmt::format("{}: warning: {}\n", path, length);
  const std::size_t personas = scenario->personas.empty() ? 1 : scenario->personas.size();
  std::cout << fmt::format("{}: valid: '{}', {}, {}, {}, {}{}\n", path, scenario->name,
                           counted(scenario->stages.size(), "stage"),
                           counted(scenario->touchpoints.size(), "touchpoint"),
                           counted(scenario->transitions.size(), "transition"),
                           counted(personas, "persona"),
                           warnings == 0 ? "" : ", " + counted(warnings, "warning"));
  return 0;
}

int graph_command(const std::string& path, const std::string& out_path, bool force,
                  const Context& context) {
  const Scenario scenario = load_journey(path, context);
  const CompiledJourney journey = compile(scenario);
  if (out_path.empty() || out_path == "-") {
    write_dot(std::cout, journey);
    return 0;
  }
  CommandOutputs outputs(overwrite_if(force));
  add_scenario_inputs(outputs, scenario, path);
  PendingFile& out = outputs.add("--output", out_path);
  std::ostringstream dot;
  write_dot(dot, journey);
  out.write(dot.str());
  commit_and_announce(outputs);
  return 0;
}

}  // namespace

CommandAction add_validate_command(CLI::App& command) {
  auto path = std::make_shared<std::string>();
  command.add_option("scenario", *path, "Journey file (YAML, or JSON)")->required();
  return [path](const Context&) { return validate_command(*path); };
}

CommandAction add_graph_command(CLI::App& command) {
  struct Options {
    std::string path, out;
    bool force = false;
  };
  auto o = std::make_shared<Options>();
  command.add_option("scenario", o->path, "Journey file (YAML, or JSON)")->required();
  command.add_option("-o,--output,--out", o->out, "Write the DOT text here instead of standard output")
      ->check(file_name_check());
  command.add_flag("-f,--force", o->force, "Overwrite the output file if it exists");
  return [o](const Context& context) {
    return graph_command(o->path, o->out, o->force, context);
  };
}

}  // namespace cjsim
