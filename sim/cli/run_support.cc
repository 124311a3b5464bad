// Shared pieces of the running commands.
#include "sim/cli/run_support.h"

#include <fmt/format.h>

#include <charconv>
#include <csignal>
#include <iostream>
#include <limits>
#include <stdexcept>

#include "sim/cli/commands.h"
#include "sim/cli/progress.h"
#include "sim/dist/process_group.h"

namespace cjsim {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_interrupt(int signal) {
  if (!g_interrupted.exchange(true)) return;
  // A second signal ends the process the ordinary way, after removing the temporary files
  // of outputs being written, so that nothing is left behind.
  remove_pending_files_on_signal();
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

}  // namespace

Context terminal_context(int argc, char** argv) {
  static TerminalProgress progress;
  Context context;
  for (int i = 0; i < argc; ++i) {
    if (i != 0) context.command_line += ' ';
    context.command_line += argv[i];
  }
  context.cancel = &g_interrupted;
  context.progress = &progress;
  context.notice = [](std::string_view words) { std::cerr << "cjsim: " << words << "\n"; };
  context.diagnostics = [](const std::string&, const Diagnostics& diagnostics) {
    std::cerr << diagnostics.to_string();
  };
  context.processes = &ProcessGroup::world();
  return context;
}

const CLI::Validator& file_name_check() {
  static const CLI::Validator check(
      [](std::string& name) { return name.empty() ? std::string("the file name is empty") : ""; },
      "FILE", "file name");
  return check;
}

void add_scenario_inputs(CommandOutputs& outputs, const Scenario& scenario,
                         const std::string& path) {
  outputs.add_input(path, "the journey file");
  for (const SourceFile& base : scenario.base_sources) {
    outputs.add_input(base.path, "a base journey file");
  }
}

InterruptGuard::InterruptGuard() {
  g_interrupted.store(false);
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
}

InterruptGuard::~InterruptGuard() {
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

const std::atomic<bool>& interrupt_flag() { return g_interrupted; }

CLI::Option* add_seed_option(CLI::App& command, std::optional<std::uint64_t>& seed,
                             const std::string& help) {
  const CLI::Validator whole_number_below_2_64(
      [](const std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        const auto [stop, error] = std::from_chars(text.data(), end, value);
        const bool digits = !text.empty() && text.find_first_not_of("0123456789") == text.npos;
        if (digits && error == std::errc() && stop == end) return "";
        return fmt::format("'{}' is not a seed: a seed is a whole number from 0 to {}", text,
                           std::numeric_limits<std::uint64_t>::max());
      },
      "SEED");
  return command.add_option("-s,--seed", seed, help)->check(whole_number_below_2_64);
}

void add_simulation_flags(CLI::App& command, SimulationFlags& flags, const std::string& out_help,
                          const std::string& json_help) {
  command.add_option("-n,--agents", flags.agents, "Agents per replication")
      ->check(CLI::Range(std::uint64_t{1}, kMaxAgents))
      ->capture_default_str();
  add_seed_option(command, flags.seed,
                  "Random seed (default: settings.seed in the (first) file, else 1); the same "
                  "seed gives the same results whatever the thread count");
  command.add_option("-t,--threads", flags.threads, "Worker threads (default: every core)")
      ->check(CLI::Range(0u, 4096u));
  command.add_option("-r,--replications", flags.replications,
                     "Independent replications; with more than one, intervals are computed "
                     "across them")
      ->check(CLI::Range(1u, 100000u))
      ->capture_default_str();
  command.add_option("-o,--out", flags.out, out_help)->check(file_name_check());
  command.add_flag("--json", flags.json, json_help);
  command.add_flag("-f,--force", flags.force, "Overwrite the --out file if it exists");
  add_allow_long_flag(command, flags.allow_long);
}

RunSettings run_settings(const SimulationFlags& flags) {
  RunSettings settings;
  settings.agents = flags.agents;
  settings.seed = flags.seed;
  settings.replications = flags.replications;
  settings.threads = flags.threads;
  settings.allow_long = flags.allow_long;
  return settings;
}

void add_allow_long_flag(CLI::App& command, bool& allow_long) {
  command.add_flag("--allow-long", allow_long,
                   "Run even when the run is expected to take more than 1e13 agent-steps "
                   "(days); it is still announced with its estimate");
}

}  // namespace cjsim
