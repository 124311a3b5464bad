// `cjsim run`: load, validate and compile a journey, simulate it, print and store the results.
#include <fmt/format.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "cjsim_version.h"
#include "reports/hdf5_results.h"
#include "reports/json_report.h"
#include "reports/text_report.h"
#include "sim/commands.h"
#include "sim/compiled_journey.h"
#include "sim/engine.h"
#include "sim/progress.h"
#include "sim/run_support.h"
#include "sim/summary.h"

namespace cjsim {
namespace {

struct RunCommandOptions {
  std::string scenario;
  std::uint64_t agents = 100000;
  std::optional<std::uint64_t> seed;
  unsigned threads = 0;
  std::uint32_t replications = 1;
  std::string out;
  bool agents_detail = false;
  bool paths = false;
  bool json = false;
  bool force = false;
};

int run_command(const RunCommandOptions& o) {
  const Scenario scenario = load_for_command(o.scenario);
  const CompiledJourney journey = compile(scenario);
  if (!o.out.empty()) check_output_path(o.out, o.force);
  check_detail_size(o.agents, o.replications, o.agents_detail || o.paths);

  RunOptions options;
  options.agents = o.agents;
  options.seed = o.seed.value_or(scenario.settings.seed.value_or(kDefaultSeed));
  options.replications = o.replications;
  options.threads = o.threads;
  options.agent_records = o.agents_detail || o.paths;
  options.agent_paths = o.paths;
  ProgressBar progress("simulating");
  options.progress = [&](std::uint64_t done, std::uint64_t total) { progress.update(done, total); };
  InterruptGuard interrupt;
  options.cancel = &interrupt.flag();

  const RunResult result = run(journey, options);
  progress.finish();
  const Summary summary = summarize(journey, result.replications);
  const RunMetadata metadata = metadata_for(scenario, o.scenario, options, result);

  if (!o.out.empty()) write_run_file(o.out, journey, metadata, result, summary);
  if (o.json) {
    std::cout << summary_json(summary, result.seconds).dump(2) << "\n";
  } else {
    std::cout << text_report(summary, metadata);
    if (!o.out.empty()) std::cout << "\nResults written to " << o.out << "\n";
  }
  return 0;
}

}  // namespace

CommandAction add_run_command(CLI::App& command) {
  auto o = std::make_shared<RunCommandOptions>();
  command.add_option("scenario", o->scenario, "Journey file (YAML, or JSON)")->required();
  command.add_option("-n,--agents", o->agents, "Agents per replication")
      ->check(CLI::Range(std::uint64_t{1}, kMaxAgents))
      ->capture_default_str();
  command.add_option("-s,--seed", o->seed,
                     "Random seed (default: settings.seed in the file, else 1); the same seed "
                     "gives the same results whatever the thread count");
  command.add_option("-t,--threads", o->threads, "Worker threads (default: every core)")
      ->check(CLI::Range(0u, 4096u));
  command.add_option("-r,--replications", o->replications,
                     "Independent replications; with more than one, intervals are computed "
                     "across them")
      ->check(CLI::Range(1u, 100000u))
      ->capture_default_str();
  command.add_option("-o,--out", o->out, "Write the results to this HDF5 file");
  command.add_flag("--agents-detail", o->agents_detail,
                   "Store one row per agent in the HDF5 file (memory grows with the agents)");
  command.add_flag("--paths", o->paths,
                   "Store each agent's path of touchpoints too (implies --agents-detail)");
  command.add_flag("--json", o->json, "Print the summary as one JSON object instead of text");
  command.add_flag("-f,--force", o->force, "Overwrite the --out file if it exists");
  return [o] { return run_command(*o); };
}

}  // namespace cjsim
