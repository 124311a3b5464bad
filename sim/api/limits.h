// Bounds on what a command may spend, checked before it spends it, each called with one line
// from the commands: journeys expected to run for hours or months, memory the machine does
// not have, attribution chains with more states than can be solved. Each warns through the
// Context or throws std::runtime_error with the estimate and what to change.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "models/attribution/attribution.h"
#include "scenarios/scenario.h"
#include "scenarios/sweep_plan.h"
#include "sim/api/context.h"
#include "sim/engine/engine.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {

// Attribution chains: above these many states a warning, above this much work (states x
// channels, one chain solved per channel removed) a refusal without --allow-long.
inline constexpr double kManyAttributionStates = 1e4;
inline constexpr double kMostAttributionWork = 1e7;

// Warns when the agents x replications journeys of `journeys` (all walked by each agent, as
// in a comparison) are expected to be long; refuses past kMostAgentSteps unless allow_long.
void check_journey_lengths(std::span<const CompiledJourney> journeys, std::uint64_t agents,
                           std::uint32_t replications, bool allow_long,
                           const Context& context);

// The same for a sweep: every design point's journeys, agents x replications each, summed
// (the experiment's points differ in exactly what makes journeys long: dropouts, weights).
// The points' lengths are found on `threads` threads (0: every core) and summed in order.
void check_sweep_lengths(const SweepPlan& plan, bool allow_long, const Context& context,
                         unsigned threads = 1);

// The journey-length warning `validate` adds, for the default 100,000 agents: "" when none.
std::string journey_length_warning(const CompiledJourney& journey);

// Refuses a run (one journey) or comparison (several) whose sums per thread and per
// replication would not fit in the memory available (sim/engine/machine_memory.h).
void check_run_memory(std::span<const CompiledJourney> journeys, const RunOptions& options);

// Refuses per-agent records (--agents-detail, --paths, fit, attribute) that would not fit.
void check_detail_memory(std::uint64_t agents, std::uint64_t replications, bool detail);

// States the size of the order-k attribution chains, warns when large and refuses
// past kMostAttributionWork unless allow_long.
void check_attribution_size(const ChannelPaths& paths, int max_order, bool allow_long,
                            const Context& context);

// Drops a compiled scenario's parts (touchpoints, transitions, personas and the places they
// were written), keeping what results record: name, seed, source texts.
void release_compiled_parts(Scenario& scenario);

// What the command is doing, for an out-of-memory message ("out of memory while reading
// x.yaml"); a Doing names it for as long as it lives, and when an exception ends it, until
// the exception is handled (main.cc reads it then).
class Doing {
 public:
  explicit Doing(std::string what);
  ~Doing();
  Doing(const Doing&) = delete;
  Doing& operator=(const Doing&) = delete;
  static const std::string& now();

 private:
  std::string before_;
  int unwinding_ = 0;  // exceptions in flight when it began
};

}  // namespace cjsim
