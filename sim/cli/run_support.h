// What the commands that run journeys share: loading with diagnostics printed, output checks,
// interruption by Ctrl-C, and the metadata a result file records.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include <optional>

#include "reports/store/command_outputs.h"
#include "reports/store/output_file.h"
#include "reports/store/run_metadata.h"
#include "scenarios/scenario.h"
#include "sim/cli/progress.h"
#include "sim/engine/comparison.h"
#include "sim/engine/engine.h"

namespace cjsim {

inline constexpr std::uint64_t kDefaultSeed = 1;
inline constexpr std::uint64_t kMaxAgents = std::uint64_t{1} << 48;

// Loads and validates; prints every diagnostic (warnings too) to stderr; throws
// ReportedError when there was an error.
Scenario load_for_command(const std::string& path);

// Less than the smallest HDF5 result file cjsim writes (a run of a three-touchpoint journey
// takes 36 KB, a fit report of a few paths 15 KB): an output for one is refused up front on a
// file system with less room.
inline constexpr std::uint64_t kLeastResultFileBytes = 8 * 1024;

// A CLI11 check that an option naming a file to write does not name "" (which would otherwise
// pass for the option not given).
const CLI::Validator& file_name_check();

// Registers a scenario's file and the files it is based on as inputs of `outputs`.
void add_scenario_inputs(CommandOutputs& outputs, const Scenario& scenario,
                         const std::string& path);

RunMetadata metadata_for(const Scenario& scenario, const std::string& path,
                         const RunOptions& options, const RunResult& result);

// The options every simulating command takes, in the same words.
struct SimulationFlags {
  std::uint64_t agents = 100000;
  std::optional<std::uint64_t> seed;
  unsigned threads = 0;
  std::uint32_t replications = 1;
  std::string out;
  bool json = false;
  bool force = false;
  bool allow_long = false;  // run past the expected-length bound (sim/model/journey_length.h)
};

// Registers -s,--seed: decimal digits of an integer in [0, 2^64 - 1]. Anything else (-1, 1e23,
// 2^64) is an error naming the option, never a seed wrapped or clamped into range.
CLI::Option* add_seed_option(CLI::App& command, std::optional<std::uint64_t>& seed,
                             const std::string& help);

// Registers --agents, --seed, --threads, --replications, --out, --json, --force and
// --allow-long.
void add_simulation_flags(CLI::App& command, SimulationFlags& flags, const std::string& out_help,
                          const std::string& json_help);

inline Overwrite overwrite_of(const SimulationFlags& flags) { return overwrite_if(flags.force); }

// Engine options from the flags; the seed falls back to the scenario's, then to kDefaultSeed.
RunOptions run_options_from(const SimulationFlags& flags, const Scenario& seed_source);

// While alive, SIGINT and SIGTERM set flag() instead of killing the process, so that a run
// stops between blocks and leaves no partial output; a second signal kills as usual.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
  const std::atomic<bool>& flag() const;
};

// Under an MPI launcher, gives this process its share of the agent blocks (the options'
// process and processes); a plain process keeps them all. Per-agent records are refused then.
void share_run_over_processes(RunOptions& options, bool detail);

// Merges every process's share of a run into rank 0's result (collective); true on rank 0,
// which alone prints and writes; false on the other ranks.
bool gather_run_over_processes(RunResult& result);
// The same for a comparison (every journey's aggregates and the paired sums).
bool gather_comparison_over_processes(ComparisonRun& comparison);

// A progress bar and Ctrl-C handling, attached to a run's options for as long as it lives.
class RunMonitor {
 public:
  RunMonitor(std::string label, RunOptions& options);
  // Clears the progress bar before results are printed.
  void finish() { progress_.finish(); }

 private:
  ProgressBar progress_;
  InterruptGuard interrupt_;
};

}  // namespace cjsim
