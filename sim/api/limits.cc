// Up-front estimates of time and memory, and the messages that state them.
#include "sim/api/limits.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <exception>
#include <stdexcept>
#include <thread>

#include "sim/engine/aggregate.h"
#include "sim/engine/block_runner.h"
#include "sim/engine/comparison.h"
#include "sim/engine/machine_memory.h"
#include "sim/model/journey_length.h"
#include "sim/sweep/sweep.h"

namespace cjsim {
namespace {

constexpr std::uint64_t kValidateAgents = 100000;  // `run`'s default
// Without any readable bound, per-agent records are limited to this much.
constexpr double kFallbackMemory = 8.0 * 1024 * 1024 * 1024;

std::string& doing_now() {
  thread_local std::string now;  // per thread: the studio checks and runs on several at once
  return now;
}

// The memory of one Aggregate of the journey (sim/engine/aggregate.h).
double aggregate_bytes(const CompiledJourney& j) {
  const double personas = static_cast<double>(j.persona_count());
  const double per_touchpoint = 5 * sizeof(std::uint64_t) + 2 * sizeof(BoundedSum);
  return personas * (sizeof(OutcomeSums) + static_cast<double>(j.touchpoint_count()) * per_touchpoint +
                     static_cast<double>(j.stage_count()) * sizeof(std::uint64_t)) +
         static_cast<double>(j.transition_count()) * sizeof(std::uint64_t);
}

// The paired sums of comparing `current` with `future` (sim/engine/comparison.h): 14 exact
// sums per compared figure, and a block's 14 doubles per figure in each thread's accumulator.
// Stages, touchpoints and personas of both journeys are counted (at most their union is).
double paired_bytes(const CompiledJourney& current, const CompiledJourney& future,
                    bool accumulator) {
  using Layout = ComparisonLayout;
  const auto both = [](std::size_t a, std::size_t b) { return static_cast<double>(a + b); };
  const double figures =
      static_cast<double>(Layout::kOverallCount) +
      static_cast<double>(Layout::kStageCount) * both(current.stage_count(), future.stage_count()) +
      static_cast<double>(Layout::kTouchpointCount) *
          both(current.touchpoint_count(), future.touchpoint_count()) +
      static_cast<double>(Layout::kPersonaCount) *
          both(current.persona_count(), future.persona_count());
  return figures * 14 * (sizeof(ExactSum) + (accumulator ? sizeof(double) : 0));
}

double available_bytes(std::string& source) {
  const std::optional<AvailableMemory> memory = available_memory();
  if (!memory) {
    source = "no memory bound could be read; assumed";
    return kFallbackMemory;
  }
  source = memory->source;
  return static_cast<double>(memory->bytes);
}

}  // namespace

namespace {

// Adds one journey's expected length to `total`; when it is not known, says so (naming
// `what`) and returns false: the total is then not known either, and nothing is checked.
bool add_length(JourneyLength& total, const JourneyLength& one, const std::string& what,
                const Context& context) {
  if (!one.known) {
    context.note(fmt::format("note: {}: {}", what, one.note));
    return false;
  }
  total.steps_per_agent += one.steps_per_agent;
  total.capped = total.capped || one.capped;
  if (!one.note.empty() && total.note.empty()) total.note = one.note;
  return true;
}

}  // namespace

void check_journey_lengths(std::span<const CompiledJourney> journeys, std::uint64_t agents,
                           std::uint32_t replications, bool allow_long,
                           const Context& context) {
  JourneyLength total;
  total.known = true;
  for (const CompiledJourney& j : journeys) {
    if (!add_length(total, expected_journey_length(j), j.name, context)) return;
  }
  const RunLengthCheck check = check_run_length(
      total, static_cast<double>(agents) * replications, allow_long);
  if (check.verdict == RunLengthCheck::Verdict::fine) return;
  std::vector<std::string> names;
  for (const CompiledJourney& j : journeys) names.push_back(fmt::format("'{}'", j.name));
  const std::string message = fmt::format("{}: {}", fmt::join(names, ", "), check.message);
  if (check.verdict == RunLengthCheck::Verdict::refuse) throw std::runtime_error(message);
  context.note("warning: " + message);
}

void check_sweep_lengths(const SweepPlan& plan, bool allow_long, const Context& context,
                         unsigned threads) {
  JourneyLength total;
  total.known = true;
  const Experiment& e = plan.experiment;
  // A calendar point's agents are its organic arrivals (at least: referrals and returns add
  // to them), so its steps are weighed by them, and the points by replications only.
  const bool calendar = is_calendar_plan(plan);
  // A thread's working journeys, and its chain solver: the points share their base's graph.
  struct Worker {
    PointJourneys journeys;
    ChainSolver solver;
  };
  const auto length_of = [&](Worker& worker, std::size_t point) {
    const auto [scenario, journey] = worker.journeys.at(point);
    JourneyLength one = expected_journey_length(journey, worker.solver);
    if (calendar && scenario.calendar) {
      const double days = static_cast<double>(e.days > 0 ? e.days : scenario.calendar->days);
      one.steps_per_agent *= scenario.calendar->arrivals_per_day * days;
    }
    return one;
  };
  // Slices of points: each point's length found on any thread, then added in the points'
  // order, so the total (and the first point whose length is unknown) is the serial loop's.
  constexpr std::size_t kSlicePoints = 4096;
  threads = BlockRunner::threads_for(threads);
  const ThreadAllowance allowance(threads);
  tbb::task_arena arena(static_cast<int>(threads));
  tbb::enumerable_thread_specific<Worker> per_thread(
      [&] { return Worker{PointJourneys(plan, /*for_chains=*/true), {}}; });
  std::vector<JourneyLength> lengths;
  for (std::size_t first = 0; first < plan.points.size(); first += kSlicePoints) {
    const std::size_t count = std::min(kSlicePoints, plan.points.size() - first);
    lengths.assign(count, {});
    arena.execute([&] {
      tbb::parallel_for(std::size_t{0}, count, [&](std::size_t j) {
        lengths[j] = length_of(per_thread.local(), first + j);
      });
    });
    for (std::size_t j = 0; j < count; ++j) {
      const std::string what = lengths[j].known ? "" : describe_point(plan, first + j);
      if (!add_length(total, lengths[j], what, context)) return;
    }
  }
  const double agents = calendar ? 1.0 : static_cast<double>(e.agents);
  const RunLengthCheck check = check_run_length(total, agents * e.replications, allow_long);
  if (check.verdict == RunLengthCheck::Verdict::fine) return;
  const std::string message = fmt::format("{} ({} design points): {}", e.path,
                                          plan.points.size(), check.message);
  if (check.verdict == RunLengthCheck::Verdict::refuse) throw std::runtime_error(message);
  context.note("warning: " + message);
}

std::string journey_length_warning(const CompiledJourney& journey) {
  const JourneyLength length = expected_journey_length(journey);
  if (!length.known) return length.note;
  const RunLengthCheck check =
      check_run_length(length, static_cast<double>(kValidateAgents), /*allow_long=*/true);
  if (check.verdict == RunLengthCheck::Verdict::fine) return "";
  return fmt::format("with {} agents, {}", kValidateAgents, check.message);
}

void check_run_memory(std::span<const CompiledJourney> journeys, const RunOptions& options) {
  if (journeys.empty()) return;
  const double threads =
      options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  double per_set = 0.0, per_thread = 0.0;  // a set: every journey's sums, once
  for (std::size_t k = 0; k < journeys.size(); ++k) {
    per_set += aggregate_bytes(journeys[k]);
    per_thread += aggregate_bytes(journeys[k]);
    if (k == 0) continue;
    per_set += paired_bytes(journeys[0], journeys[k], false);
    per_thread += paired_bytes(journeys[0], journeys[k], true);
  }
  // Each thread's sums, each replication's merged sums, and a pooled set for the summaries.
  const double needed = threads * per_thread + (options.replications + 1.0) * per_set;
  std::string source;
  const double available = available_bytes(source);
  if (needed <= available) return;
  throw std::runtime_error(fmt::format(
      "{} needs about {} of memory for its sums ({} per thread x {:g} threads, {} per "
      "replication x {}), but {} are available ({}); use fewer threads (--threads), fewer "
      "replications{}",
      journeys.size() > 1 ? fmt::format("comparing {} journeys", journeys.size()) : "the run",
      bytes_words(needed), bytes_words(per_thread), threads, bytes_words(per_set),
      options.replications, bytes_words(available), source,
      journeys.size() > 2 ? ", or compare fewer future states at once" : ""));
}

void check_detail_memory(std::uint64_t agents, std::uint64_t replications, bool detail) {
  if (!detail) return;
  const double needed = static_cast<double>(agents) * static_cast<double>(replications) *
                        static_cast<double>(sizeof(AgentRecord));
  std::string source;
  const double available = available_bytes(source);
  if (needed <= available) return;
  throw std::runtime_error(fmt::format(
      "per-agent records for {} agents x {} replications need about {} of memory, but {} are "
      "available ({}); ask for fewer agents or replications, or drop --agents-detail",
      agents, replications, bytes_words(needed), bytes_words(available), source));
}

void check_attribution_size(const ChannelPaths& paths, int max_order, bool allow_long,
                            const Context& context) {
  const double channels = static_cast<double>(paths.channels.size());
  for (int k = 1; k <= max_order; ++k) {
    const double states = most_states_of_order(paths, k);
    const double work = states * channels;
    if (states <= kManyAttributionStates) continue;
    std::string message = fmt::format(
        "the order-{} chain has up to {:.3g} states ({:g} channels^{}, or the data's {}-step "
        "windows if fewer), and each of the {:g} channel removals solves it once",
        k, states, channels, k, k, channels);
    if (work > kMostAttributionWork && !allow_long) {
      throw std::runtime_error(
          message + fmt::format(": {:.3g} state-solves is more than the {:g} run without "
                                "--allow-long; lower --order, attribute fewer channels, or pass "
                                "--allow-long",
                                work, kMostAttributionWork));
    }
    context.note("warning: " + message + "; this can take long and much memory");
  }
}

void release_compiled_parts(Scenario& scenario) {
  // Swapping with empty containers returns their memory, unlike clear().
  std::vector<Touchpoint>().swap(scenario.touchpoints);
  std::vector<Transition>().swap(scenario.transitions);
  std::vector<Persona>().swap(scenario.personas);
  std::vector<Removal>().swap(scenario.removals);
  FieldLocations().swap(scenario.fields);
  FieldLocations().swap(scenario.settings.fields);
}

Doing::Doing(std::string what)
    : before_(std::move(doing_now())), unwinding_(std::uncaught_exceptions()) {
  doing_now() = std::move(what);
}

Doing::~Doing() {
  if (std::uncaught_exceptions() > unwinding_) return;  // keep the innermost for the handler
  doing_now() = std::move(before_);
}
const std::string& Doing::now() { return doing_now(); }

}  // namespace cjsim
