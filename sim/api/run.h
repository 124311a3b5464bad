// Loading a journey file and running it: what `cjsim run`, the Python package and the studio
// call. Results come back as values; writing them (reports/store) and showing them
// (reports/render, reports/html) is the caller's choice.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "reports/store/run_metadata.h"
#include "scenarios/scenario.h"
#include "sim/api/context.h"
#include "sim/engine/engine.h"
#include "sim/engine/summary.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {

inline constexpr std::uint64_t kDefaultSeed = 1;
inline constexpr std::uint64_t kMaxAgents = std::uint64_t{1} << 48;

// Reads and validates a journey file (YAML or JSON, with its `base:` files). Every diagnostic
// goes to context.diagnostics; with an error, throws InvalidInput ("..., nothing was run").
Scenario load_journey(const std::string& path, const Context& context);

// How many agents to simulate, and how.
struct RunSettings {
  std::uint64_t agents = 100000;
  std::optional<std::uint64_t> seed;  // default: the (first) journey's settings.seed, else 1
  std::uint32_t replications = 1;
  unsigned threads = 0;               // 0: every core
  bool agent_records = false;         // one record per agent (memory grows with the agents)
  bool agent_paths = false;           // and its path of touchpoints (implies agent_records)
  bool allow_long = false;            // run past the expected-length bound
};

// The engine's options for `settings`, the seed resolved against `journey`'s.
RunOptions run_options(const RunSettings& settings, const Scenario& journey);

struct RunOutcome {
  CompiledJourney journey;
  RunOptions options;
  RunResult result;
  // Only where Context::reports(): the other processes of a group hand their share to rank 0.
  std::optional<Summary> summary;
  RunMetadata metadata;
};

// Compiles and simulates `scenario` (read from `path`): checks its expected length and the
// memory first, spreads the agents over the context's processes, and summarises.
RunOutcome run_journey(const Scenario& scenario, const std::string& path,
                       const RunSettings& settings, const Context& context);

// What a result file records of a run: the journey's text and its bases, the software, the
// command line, the seed and size of the run.
RunMetadata metadata_for(const Scenario& scenario, const std::string& path,
                         const RunOptions& options, const RunResult& result,
                         const Context& context);

}  // namespace cjsim
