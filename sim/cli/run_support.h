// What the commands that run journeys share: the options in the same words, output checks,
// interruption by Ctrl-C, and the Context that shows progress and notes on the terminal.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include <optional>
#include <span>

#include "reports/store/command_outputs.h"
#include "reports/store/output_file.h"
#include "scenarios/scenario.h"
#include "sim/api/calendar.h"
#include "sim/api/context.h"
#include "sim/api/run.h"
#include "sim/api/uncertainty.h"

namespace cjsim {

// Less than the smallest HDF5 result file cjsim writes (a run of a three-touchpoint journey
// takes 36 KB, a fit report of a few paths 15 KB): an output for one is refused up front on a
// file system with less room.
inline constexpr std::uint64_t kLeastResultFileBytes = 8 * 1024;

// A CLI11 check that an option naming a file to write does not name "" (which would otherwise
// pass for the option not given).
const CLI::Validator& file_name_check();

// A CLI11 check of a whole number in [least, most] whose message says what is wrong: "'1e4' is
// not a whole number", "0 is less than 1, the least it takes".
CLI::Validator whole_number(std::uint64_t least, std::uint64_t most);
// The same for any number (a share, a fraction).
CLI::Validator number_between(double least, double most);

// Registers -t,--threads.
void add_threads_option(CLI::App& command, unsigned& threads);

// Puts every output in place (CommandOutputs::commit) and says on stderr which files were
// written: every command that writes a file says so.
void commit_and_announce(CommandOutputs& outputs);

// Help without type noise: each option's value shown as one word (FILE, N, X, SEED, TEXT)
// with its default, for every option of `app` and its subcommands.
void tidy_help(CLI::App& app);

// The candidate closest to `word` (by edit distance) when it is close enough to be a likely
// misspelling; "" otherwise.
std::string closest(std::string_view word, const std::vector<std::string>& candidates);

// Registers a scenario's file and the files it is based on as inputs of `outputs`.
void add_scenario_inputs(CommandOutputs& outputs, const Scenario& scenario,
                         const std::string& path);

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

// What a run or a comparison writes, set up as each of them does: the journeys' files (and
// their bases) registered as inputs, which no output may overwrite, standard output, and the
// --output (FILE.h5) and --report (FILE.html) files when given. Its parts are bound by name:
// `auto& [outputs, out, report] = files;`.
struct ResultOutputs {
  CommandOutputs outputs;
  PendingFile* out = nullptr;     // --output, or null
  PendingFile* report = nullptr;  // --report, or null
  ResultOutputs(const SimulationFlags& flags, const std::string& report_path,
                std::span<const Scenario> scenarios, std::span<const std::string> paths);
  ResultOutputs(const ResultOutputs&) = delete;  // out and report point into outputs
  ResultOutputs& operator=(const ResultOutputs&) = delete;
};

// Registers --draws K: run the journeys K more times with their uncertain inputs drawn; and
// --total-effects: K more runs per input for total Sobol indices.
void add_draws_option(CLI::App& command, DrawSettings& draws);

// The library's run settings from the flags.
RunSettings run_settings(const SimulationFlags& flags);

// The options of calendar journeys (sim/api/calendar.h), and whether --agents was given, which
// they refuse.
struct CalendarFlags {
  std::int64_t days = 0;         // overrides calendar.days
  std::int64_t warmup_days = 0;  // the first days, left out of the figures
  const CLI::Option* agents = nullptr;
};

// Registers --days and --warmup-days; call after add_simulation_flags.
void add_calendar_flags(CLI::App& command, CalendarFlags& flags);

// The library's calendar settings; throws when --agents was given.
CalendarSettings calendar_settings(const SimulationFlags& flags, const CalendarFlags& calendar);

// Throws when --days or --warmup-days was given for journeys without a calendar.
void refuse_calendar_flags(const CalendarFlags& calendar);

// Registers --allow-long on a command.
void add_allow_long_flag(CLI::App& command, bool& allow_long);

// While alive, SIGINT and SIGTERM raise interrupt_flag() instead of killing the process, so
// that work stops between blocks and leaves no partial output; a second signal kills as usual.
// Commands that do long work hold one for as long as it lasts.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;
};
const std::atomic<bool>& interrupt_flag();

// The command's Context: progress drawn on a terminal, notes and diagnostics on stderr
// ("cjsim: ..."), cancellation by interrupt_flag(), the MPI processes it was started in, and
// the command line for result files.
Context terminal_context(int argc, char** argv);

}  // namespace cjsim
