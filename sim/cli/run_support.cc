// Shared pieces of the running commands.
#include "sim/cli/run_support.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
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

CLI::Validator whole_number(std::uint64_t least, std::uint64_t most) {
  return CLI::Validator(
      [least, most](const std::string& text) -> std::string {
        std::uint64_t value = 0;
        const char* end = text.data() + text.size();
        const auto [stop, error] = std::from_chars(text.data(), end, value);
        const bool digits = !text.empty() && text.find_first_not_of("0123456789") == text.npos;
        if (!digits) return fmt::format("'{}' is not a whole number", text);
        if (error == std::errc::result_out_of_range || (error == std::errc() && value > most)) {
          return fmt::format("{} is more than {}, the most it takes", text, most);
        }
        if (error != std::errc() || stop != end) {
          return fmt::format("'{}' is not a whole number", text);
        }
        if (value < least) return fmt::format("{} is less than {}, the least it takes", text, least);
        return "";
      },
      "", "whole number");
}

CLI::Validator number_between(double least, double most) {
  return CLI::Validator(
      [least, most](const std::string& text) -> std::string {
        double value = 0.0;
        const char* end = text.data() + text.size();
        const auto [stop, error] = std::from_chars(text.data(), end, value);
        if (text.empty() || error != std::errc() || stop != end || !std::isfinite(value)) {
          return fmt::format("'{}' is not a number", text);
        }
        if (value < least || value > most) {
          return fmt::format("{} is not between {:g} and {:g}", text, least, most);
        }
        return "";
      },
      "", "number");
}

void add_threads_option(CLI::App& command, unsigned& threads) {
  command.add_option("-t,--threads", threads, "Worker threads (default: every core)")
      ->check(whole_number(0, 4096));
}

void commit_and_announce(CommandOutputs& outputs) {
  outputs.commit();
  for (const std::string& path : outputs.output_paths()) std::cerr << "cjsim: wrote " << path << "\n";
}

namespace {

// One word for what an option takes, from CLI11's type name ("UINT:UINT in [1 - 10]").
std::string value_word(const CLI::Option& option) {
  const std::string type = option.get_type_name();
  const std::string head = type.substr(0, type.find(':'));
  if (type.find("FILE") != std::string::npos) return "FILE";
  if (type.find("SEED") != std::string::npos) return "SEED";
  if (head == "UINT" || head == "INT") return "N";
  if (head == "FLOAT") return "X";
  if (head.empty()) return "TEXT";
  return head;
}

}  // namespace

void tidy_help(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    if (option->get_type_name().empty() || option->get_type_size() == 0 ||
        option->get_name() == "--help" || option->get_name() == "--version") {
      continue;
    }
    std::string text = value_word(*option);
    if (!option->get_default_str().empty()) text += "=" + option->get_default_str();
    if (option->get_expected_max() > 1) text += " ...";
    if (option->get_required()) text += " (required)";
    option->option_text(text);
  }
  for (CLI::App* sub : app.get_subcommands({})) tidy_help(*sub);
}

std::string closest(std::string_view word, const std::vector<std::string>& candidates) {
  // Optimal string alignment distance: insertions, deletions, substitutions, transpositions.
  const auto distance = [](std::string_view a, std::string_view b) {
    std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
    for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      for (std::size_t j = 1; j <= b.size(); ++j) {
        const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
        d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
          d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.size()][b.size()];
  };
  std::string best;
  std::size_t best_distance = SIZE_MAX;
  for (const std::string& candidate : candidates) {
    const std::size_t d = distance(word, candidate);
    if (d < best_distance) {
      best = candidate;
      best_distance = d;
    }
  }
  // Close enough: a third of the word's letters at most (two for short words).
  const std::size_t allowed = std::max<std::size_t>(2, word.size() / 3);
  return best_distance <= allowed ? best : "";
}

void add_scenario_inputs(CommandOutputs& outputs, const Scenario& scenario,
                         const std::string& path) {
  outputs.add_input(path, "the journey file");
  for (const SourceFile& base : scenario.base_sources) {
    outputs.add_input(base.path, "a base journey file");
  }
}

ResultOutputs::ResultOutputs(const SimulationFlags& flags, const std::string& report_path,
                             std::span<const Scenario> scenarios,
                             std::span<const std::string> paths)
    : outputs(overwrite_of(flags)) {
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    add_scenario_inputs(outputs, scenarios[k], paths[k]);
  }
  outputs.add_standard_output();
  if (!flags.out.empty()) out = &outputs.add("--output", flags.out, kLeastResultFileBytes);
  if (!report_path.empty()) report = &outputs.add("--report", report_path);
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

void add_draws_option(CLI::App& command, DrawSettings& draws) {
  CLI::Option* option =
      command.add_option("--draws", draws.draws,
                  "Draw the uncertain inputs (numbers written as distributions) K times, a "
                  "Latin hypercube, and run each draw on the same agents: every figure gains "
                  "its interval over the draws, and the inputs are ranked by how much of the "
                  "uncertainty they explain")
      ->check(CLI::Range(2u, 100000u));
  command
      .add_flag("--total-effects", draws.total_effects,
                "With --draws K, rank the inputs by total Sobol indices too (what each input "
                "explains alone and with the others): K more runs per uncertain input")
      ->needs(option);
}

void add_simulation_flags(CLI::App& command, SimulationFlags& flags, const std::string& out_help,
                          const std::string& json_help) {
  command.add_option("-n,--agents", flags.agents, "Agents per replication")
      ->check(whole_number(1, kMaxAgents))
      ->capture_default_str();
  add_seed_option(command, flags.seed,
                  "Random seed (default: settings.seed in the (first) file, else 1); the same "
                  "seed gives the same results whatever the thread count");
  add_threads_option(command, flags.threads);
  command.add_option("-r,--replications", flags.replications,
                     "Independent replications; with more than one, intervals are computed "
                     "across them")
      ->check(whole_number(1, 100000))
      ->capture_default_str();
  command.add_option("-o,--output,--out", flags.out, out_help)->check(file_name_check());
  command.add_flag("--json", flags.json, json_help);
  command.add_flag("-f,--force", flags.force, "Overwrite the output files if they exist");
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

void add_calendar_flags(CLI::App& command, CalendarFlags& flags) {
  command
      .add_option("--days", flags.days,
                  "Calendar journeys: the days a run covers (overrides calendar.days)")
      ->check(whole_number(1, 36500));
  command
      .add_option("--warmup-days", flags.warmup_days,
                  "Calendar journeys: the first days, left out of every figure")
      ->check(whole_number(0, 36500));
  flags.agents = command.get_option("--agents");
}

CalendarSettings calendar_settings(const SimulationFlags& flags, const CalendarFlags& calendar) {
  if (calendar.agents != nullptr && calendar.agents->count() > 0) {
    throw std::runtime_error(
        "--agents does not apply to calendar journeys: their arrivals decide how many agents "
        "there are; change calendar.arrivals_per_day or give --days");
  }
  return {flags.seed, flags.replications, flags.threads, calendar.days, calendar.warmup_days};
}

void refuse_calendar_flags(const CalendarFlags& calendar) {
  if (calendar.days > 0 || calendar.warmup_days > 0) {
    throw std::runtime_error("--days and --warmup-days take calendar journeys; this has no "
                             "calendar");
  }
}

void add_allow_long_flag(CLI::App& command, bool& allow_long) {
  command.add_flag("--allow-long", allow_long,
                   "Run even when the run is expected to take more than 1e13 agent-steps "
                   "(days); it is still announced with its estimate");
}

}  // namespace cjsim
