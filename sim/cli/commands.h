// The `cjsim` subcommands. Each registers its options on a CLI11 subcommand and returns the
// function that runs it: options -> one library call (sim/api/api.h) -> a report. main.cc
// holds the table, makes the Context and turns exceptions into messages.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <stdexcept>
#include <string>

#include "sim/api/context.h"

namespace cjsim {

// Runs the subcommand; returns the process exit code.
using CommandAction = std::function<int(const Context&)>;

// Exit codes: 0 success, 1 bad input or a failed run, 2 usage, 130 interrupted.
inline constexpr int kExitBadInput = 1;
inline constexpr int kExitInterrupted = 130;

// An error already explained to the user on stderr (diagnostics); only the code remains.
struct ReportedError : std::runtime_error {
  explicit ReportedError(int code) : std::runtime_error("reported"), exit_code(code) {}
  int exit_code;
};

CommandAction add_run_command(CLI::App& command);
CommandAction add_validate_command(CLI::App& command);
CommandAction add_graph_command(CLI::App& command);
CommandAction add_compare_command(CLI::App& command);
CommandAction add_diff_command(CLI::App& command);
CommandAction add_report_command(CLI::App& command);
CommandAction add_fit_command(CLI::App& command);
CommandAction add_attribute_command(CLI::App& command);
CommandAction add_sweep_command(CLI::App& command);
CommandAction add_new_command(CLI::App& command);
CommandAction add_studio_command(CLI::App& command);

}  // namespace cjsim
