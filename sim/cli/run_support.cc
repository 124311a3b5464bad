// Shared pieces of the running commands.
#include "sim/cli/run_support.h"

#include <fmt/format.h>

#include <charconv>
#include <csignal>
#include <iostream>
#include <limits>
#include <stdexcept>

#include "cjsim_version.h"
#include "reports/store/aggregate_transfer.h"
#include "scenarios/validate.h"
#include "sim/cli/commands.h"
#include "sim/cli/resource_limits.h"
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

std::string& stored_command_line() {
  static std::string line;
  return line;
}

}  // namespace

const std::string& command_line() { return stored_command_line(); }

void set_command_line(int argc, char** argv) {
  std::string& line = stored_command_line();
  line.clear();
  for (int i = 0; i < argc; ++i) {
    if (i != 0) line += ' ';
    line += argv[i];
  }
}

Scenario load_for_command(const std::string& path) {
  const Doing doing("reading " + path);
  Diagnostics diagnostics;
  std::optional<Scenario> scenario = load_valid_scenario(path, diagnostics);
  std::cerr << diagnostics.to_string();
  if (!scenario) {
    std::cerr << fmt::format("cjsim: {}: {}, nothing was run\n", path,
                             counted(diagnostics.error_count(), "error"));
    throw ReportedError(kExitBadInput);
  }
  return *scenario;
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

RunMetadata metadata_for(const Scenario& scenario, const std::string& path,
                         const RunOptions& options, const RunResult& result) {
  RunMetadata m;
  m.scenario_path = path;
  m.scenario_text = scenario.source_text;
  for (const SourceFile& base : scenario.base_sources) m.base_files.emplace_back(base.path, base.text);
  m.software_version = CJSIM_VERSION;
  m.command_line = command_line();
  m.created = utc_timestamp();
  m.seed = options.seed;
  m.agents = options.agents;
  m.replications = options.replications;
  m.threads = result.threads;
  m.seconds = result.seconds;
  return m;
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

const std::atomic<bool>& InterruptGuard::flag() const { return g_interrupted; }

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

RunOptions run_options_from(const SimulationFlags& flags, const Scenario& seed_source) {
  RunOptions options;
  options.agents = flags.agents;
  options.seed = flags.seed.value_or(seed_source.settings.seed.value_or(kDefaultSeed));
  options.replications = flags.replications;
  options.threads = flags.threads;
  return options;
}

void share_run_over_processes(RunOptions& options, bool detail) {
  const ProcessGroup& group = ProcessGroup::world();
  if (group.size() == 1) return;
  if (detail) {
    throw std::runtime_error("per-agent records (--agents-detail, --paths) are not gathered from "
                             "several MPI processes; run with one process");
  }
  options.process = static_cast<std::uint32_t>(group.rank());
  options.processes = static_cast<std::uint32_t>(group.size());
}

bool gather_run_over_processes(RunResult& result) {
  ProcessGroup& group = ProcessGroup::world();
  if (group.size() == 1) return true;
  const std::vector<std::vector<char>> shares = group.gather(aggregates_to_bytes(result.replications));
  if (!group.root()) return false;
  for (std::size_t rank = 1; rank < shares.size(); ++rank) {
    const std::vector<Aggregate> share = aggregates_from_bytes(shares[rank]);
    if (share.size() != result.replications.size()) {
      throw std::runtime_error("an MPI process returned a different number of replications");
    }
    for (std::size_t r = 0; r < share.size(); ++r) result.replications[r].merge(share[r]);
  }
  return true;
}

bool gather_comparison_over_processes(ComparisonRun& comparison) {
  ProcessGroup& group = ProcessGroup::world();
  if (group.size() == 1) return true;
  const std::vector<std::vector<char>> shares = group.gather(comparison_to_bytes(comparison));
  if (!group.root()) return false;
  for (std::size_t rank = 1; rank < shares.size(); ++rank) {
    merge_comparison_bytes(comparison, shares[rank]);
  }
  return true;
}

RunMonitor::RunMonitor(std::string label, RunOptions& options) : progress_(std::move(label)) {
  options.progress = [this](std::uint64_t done, std::uint64_t total) {
    progress_.update(done, total);
  };
  options.cancel = &interrupt_.flag();
}

}  // namespace cjsim
