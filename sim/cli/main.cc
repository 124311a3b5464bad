// cjsim: the command. A table of subcommands, each a plain function in its own file; this file
// parses, dispatches and is the one place where errors become messages and exit codes.
#include <fmt/format.h>

#include <exception>
#include <new>
#include <iostream>
#include <vector>

#include "cjsim_version.h"
#include "reports/store/command_outputs.h"
#include "sim/cli/commands.h"
#include "sim/api/errors.h"
#include "sim/api/limits.h"
#include "sim/cli/run_support.h"
#include "sim/dist/process_group.h"
#include "sim/engine/engine.h"

namespace {

struct Subcommand {
  const char* name;
  const char* description;
  cjsim::CommandAction (*add)(CLI::App&);
};

constexpr Subcommand kSubcommands[] = {
    {"new", "Write a commented starting journey to edit into your own", cjsim::add_new_command},
    {"run", "Simulate a journey for many agents and summarise the results", cjsim::add_run_command},
    {"compare", "Compare a current state with future states on the same agents",
     cjsim::add_compare_command},
    {"validate", "Check a journey file and report every problem found",
     cjsim::add_validate_command},
    {"graph", "Write a journey's touchpoint graph as Graphviz DOT", cjsim::add_graph_command},
    {"diff", "Show the changes between two journeys (a current state and a future state)",
     cjsim::add_diff_command},
    {"report", "Turn a result file into an HTML report (or Markdown, or CSV)",
     cjsim::add_report_command},
    {"fit", "Learn a journey from observed data (event logs, path tables), with goodness of fit",
     cjsim::add_fit_command},
    {"attribute", "Share conversions among channels: Markov removal effects and heuristics",
     cjsim::add_attribute_command},
    {"sweep", "Run an experiment: a journey over a grid or Latin hypercube of parameter values",
     cjsim::add_sweep_command},
    {"studio", "Open the journeys of a folder in the browser: maps, edits, future states, runs",
     cjsim::add_studio_command},
};

// Runs the parsed command; every error becomes a message and an exit code here.
int run_command(const std::vector<std::pair<CLI::App*, cjsim::CommandAction>>& actions,
                const cjsim::Context& context) {
  try {
    for (auto& [command, action] : actions) {
      if (!command->parsed()) continue;
      const cjsim::Doing doing(fmt::format("running cjsim {}", command->get_name()));
      return action(context);
    }
  } catch (const std::bad_alloc&) {
    // Anywhere: a file, a run or a report larger than the memory left.
    std::cerr << fmt::format(
        "cjsim: error: out of memory while {}; free memory, or ask for less (fewer agents, "
        "threads or replications, a smaller file)\n",
        cjsim::Doing::now());
    cjsim::abort_other_processes(cjsim::kExitBadInput);
    return cjsim::kExitBadInput;
  } catch (const cjsim::InvalidInput& e) {
    // Its diagnostics were printed as the file was read.
    std::cerr << "cjsim: " << e.what() << "\n";
    cjsim::abort_other_processes(cjsim::kExitBadInput);
    return cjsim::kExitBadInput;
  } catch (const cjsim::FailedElsewhere& e) {
    return e.interrupted ? cjsim::kExitInterrupted : cjsim::kExitBadInput;
  } catch (const cjsim::Interrupted& e) {
    std::cerr << "cjsim: " << e.what() << "\n";
    return cjsim::kExitInterrupted;
  } catch (const cjsim::RunCancelled&) {
    std::cerr << "cjsim: interrupted; no output was written\n";
    return cjsim::kExitInterrupted;
  } catch (const cjsim::ReportedError& e) {
    cjsim::abort_other_processes(e.exit_code);
    return e.exit_code;
  } catch (const std::exception& e) {
    std::cerr << "cjsim: error: " << e.what() << "\n";
    cjsim::abort_other_processes(cjsim::kExitBadInput);
    return cjsim::kExitBadInput;
  }
  return 0;
}

// `cjsim` alone: what it can do.
int print_commands() {
  std::cout << "cjsim: customer-journey simulation and scenario testing\n\n"
               "Usage: cjsim COMMAND [OPTIONS]   (cjsim COMMAND --help for a command's options)\n\n"
               "Commands:\n";
  for (const Subcommand& s : kSubcommands) std::cout << fmt::format("  {:<10} {}\n", s.name, s.description);
  return 0;
}

// Arguments CLI11 did not expect: a misspelt command or option gets a suggestion.
int unexpected_arguments(const CLI::App& app) {
  const CLI::App* where = &app;
  for (const CLI::App* sub : app.get_subcommands()) where = sub;
  const std::string command =
      where == &app ? std::string("cjsim") : "cjsim " + where->get_name();
  std::vector<std::string> options, commands;
  for (const CLI::Option* option : where->get_options()) {
    for (const std::string& name : option->get_lnames()) options.push_back("--" + name);
    for (const std::string& name : option->get_snames()) options.push_back("-" + name);
  }
  for (const Subcommand& s : kSubcommands) commands.emplace_back(s.name);
  bool said = false;
  for (const std::string& token : where->remaining()) {
    if (token.starts_with("-")) {
      const std::string name = token.substr(0, token.find('='));
      const std::string maybe = cjsim::closest(name, options);
      std::cerr << fmt::format("{}: unknown option {}{}\n", command, name,
                               maybe.empty() ? "" : fmt::format("; did you mean {}?", maybe));
      said = true;
    } else if (where == &app && !said) {
      const std::string maybe = cjsim::closest(token, commands);
      std::cerr << fmt::format("cjsim: no command '{}'{}\n", token,
                               maybe.empty() ? "" : fmt::format("; did you mean '{}'?", maybe));
      said = true;
    }
  }
  if (!said) {
    std::cerr << fmt::format("{}: unexpected argument {}\n", command,
                             where->remaining().empty() ? "" : where->remaining().front());
  }
  std::cerr << fmt::format("Run '{} --help' for {}.\n", command,
                           where == &app ? "the commands" : "its options");
  return 2;
}

// A command whose printed output did not all reach standard output has failed.
int with_standard_output_checked(int code) {
  try {
    cjsim::flush_standard_output();
  } catch (const std::exception& e) {
    std::cerr << "cjsim: error: " << e.what() << "\n";
    return code == 0 ? cjsim::kExitBadInput : code;
  }
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  cjsim::take_over_standard_output();
  const cjsim::Context context = cjsim::terminal_context(argc, argv);
  CLI::App app{"cjsim: customer-journey simulation and scenario testing"};
  app.set_version_flag("--version", std::string("cjsim ") + CJSIM_VERSION);
  app.require_subcommand(0, 1);
  std::vector<std::pair<CLI::App*, cjsim::CommandAction>> actions;
  for (const Subcommand& s : kSubcommands) {
    CLI::App* command = app.add_subcommand(s.name, s.description);
    actions.emplace_back(command, s.add(*command));
  }
  cjsim::tidy_help(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ExtrasError&) {
    return with_standard_output_checked(unexpected_arguments(app));
  } catch (const CLI::ParseError& e) {
    // CLI11 has a code per kind of mistake (105 for a number out of range, ...); the
    // documented code for every bad command line is 2, and 0 for --help and --version.
    return with_standard_output_checked(app.exit(e) == 0 ? 0 : 2);
  }
  if (app.get_subcommands().empty()) return with_standard_output_checked(print_commands());
  return with_standard_output_checked(run_command(actions, context));
}
