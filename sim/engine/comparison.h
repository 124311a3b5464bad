// Comparing journeys on the same agents (common random numbers, sim/model/MODEL.md): a current
// state and one or more future states are run together, agent by agent, and every figure's
// difference gets a confidence interval from the paired agents. `cjsim compare` calls this;
// so will anything else that needs paired differences (attribution by removal, sweeps).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "sim/engine/engine.h"
#include "sim/engine/figures.h"
#include "sim/engine/statistics.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/exact_sum.h"

namespace cjsim {

// One compared figure: a figure of the table (sim/engine/figures.h) in a scope ("overall",
// "stage:NAME", "touchpoint:ID", "persona:ID"). `per_agent` figures are means over all agents
// (b = 1); the others are ratios over a subset (customers, visits, agents of a persona).
struct ComparedMetric {
  std::string metric;
  std::string scope;
  bool per_agent = false;
};

// The figures two journeys are compared on. Stages, touchpoints and personas are matched by
// name and id; one that exists in only one of the journeys counts as never visited (or never
// drawn) in the other.
class ComparisonLayout {
 public:
  ComparisonLayout(const CompiledJourney& current, const CompiledJourney& future);

  // Indexed by slot (the order of the stored paired sums).
  const std::vector<ComparedMetric>& metrics() const { return metrics_; }
  // The slots in the order people read them: the overall figures, then each stage's,
  // touchpoint's and persona's figures together, each scope's in kComparedFigures order.
  const std::vector<std::size_t>& reading_order() const { return reading_order_; }

  // Slots of the figures, for the accumulator: the compared figures of each scope
  // (kComparedFigures, sim/engine/figures.h), overall first, then per stage, touchpoint,
  // persona; this for the figures of the table's first edition, then the same again for each
  // later edition's, so the slots of earlier figures do not move when figures are added.
  // `k` is the figure's index in kComparedFigures of the scope.
  static constexpr std::size_t kOverallCount = kComparedFigures<kOverall>.size();
  static constexpr std::size_t kStageCount = kComparedFigures<kStage>.size();
  static constexpr std::size_t kTouchpointCount = kComparedFigures<kTouchpoint>.size();
  static constexpr std::size_t kPersonaCount = kComparedFigures<kPersona>.size();
  std::size_t overall_slot(std::size_t k) const { return slot<kOverall>(overall_begin_, 0, k); }
  std::size_t stage_slot(std::uint32_t stage, std::size_t k) const {
    return slot<kStage>(stage_begin_, stage, k);
  }
  std::size_t touchpoint_slot(std::uint32_t touchpoint, std::size_t k) const {
    return slot<kTouchpoint>(touchpoint_begin_, touchpoint, k);
  }
  std::size_t persona_slot(std::uint32_t persona, std::size_t k) const {
    return slot<kPersona>(persona_begin_, persona, k);
  }

  // For side 0 (current) and 1 (future): journey index -> index in the union.
  std::array<std::vector<std::uint32_t>, 2> stage_of, touchpoint_of, persona_of;
  std::size_t stage_count = 0, touchpoint_count = 0, persona_count = 0;

 private:
  using Begins = std::array<std::size_t, kComparedEditions>;

  // Where a scope's k-th compared figure lies: its edition, and the index and number of that
  // edition's first figure among the scope's. A table made at compile time, since slot() runs
  // for every compared figure of every agent.
  struct EditionSpan {
    std::size_t edition = 0, first = 0, count = 0;
  };
  template <unsigned kScope>
  static constexpr auto kEditionSpans = [] {
    std::array<EditionSpan, kComparedFigures<kScope>.size()> spans{};
    for (std::size_t k = 0; k < spans.size(); ++k) {
      const int edition = kComparedFigures<kScope>[k] -> compared_edition;
      const std::size_t first = detail::compared_before_edition<kScope>(edition);
      spans[k] = {static_cast<std::size_t>(edition), first,
                  detail::compared_before_edition<kScope>(edition + 1) - first};
    }
    return spans;
  }();

  template <unsigned kScope>
  static std::size_t slot(const Begins& begin, std::size_t item, std::size_t k) {
    const EditionSpan& span = kEditionSpans<kScope>[k];
    return begin[span.edition] + span.count * item + (k - span.first);
  }

  std::vector<ComparedMetric> metrics_;
  std::vector<std::size_t> reading_order_;
  Begins overall_begin_{}, stage_begin_{}, touchpoint_begin_{}, persona_begin_{};
};

// Exact sums of the paired moments of every compared figure, mergeable like an Aggregate.
struct PairedAggregate {
  std::uint64_t agents = 0;
  std::vector<std::array<ExactSum, 14>> moments;  // per metric: sum[4], then product[10]

  void merge(const PairedAggregate& other);
  PairedMoments moments_of(std::size_t metric, bool per_agent) const;
  friend bool operator==(const PairedAggregate&, const PairedAggregate&) = default;
};

// Two future states (journeys `first` < `second`, both after the current state) on the same
// agents, their overall figures paired: whether one is ahead of the other beyond the noise.
struct RivalPair {
  std::size_t first = 0, second = 0;
  std::vector<PairedAggregate> replications;  // the overall figures' moments only
  friend bool operator==(const RivalPair&, const RivalPair&) = default;
};

struct ComparisonRun {
  std::vector<RunResult> runs;              // per journey: what `run` gives with the same options
  std::vector<ComparisonLayout> layouts;    // per future state (journey k compares as k - 1)
  std::vector<std::vector<PairedAggregate>> paired;  // [future state][replication]
  std::vector<RivalPair> rivals;            // every pair of future states, in order
  double seconds = 0.0;
  // Walks of future states not walked but told from the current state's (run_comparison),
  // over the replications, in this process.
  std::uint64_t shared_walks = 0;
};

// Runs journeys[0] (the current state) and every other journey on the same agents. The agent
// records options are ignored.
// An agent whose walk through a future state would be its walk through the current state (it
// starts alike and visits only touchpoints whose step is the same, sim/model/walk_sharing.h)
// is walked once: the future state's aggregate is told the same calls, in its own indices.
ComparisonRun run_comparison(std::span<const CompiledJourney> journeys, const RunOptions& options);

namespace detail {
// run_comparison with every agent walked in every state: what sharing walks must give, to the
// bit (for tests).
ComparisonRun run_comparison_walking_every_state(std::span<const CompiledJourney> journeys,
                                                 const RunOptions& options);
}  // namespace detail

struct Difference {
  std::string metric;
  std::string scope;
  std::size_t scenario = 0;  // the future state's index in the journeys compared
  std::size_t versus = 0;    // what it is compared with: 0 the current state, else a future state
  Estimate current, future, difference;
  double paired_half_width = 0.0;       // from the agents of every replication together
  double independent_half_width = 0.0;  // the same without the pairing
  bool significant = false;             // the difference's interval excludes 0
  std::string note;  // why the difference or its interval is n/a, when it is and a reason is known
};

// Every figure's difference for every future state. With one replication the intervals come
// from the paired agents (delta method for ratios); with several, each replication gives a
// difference and the interval is Student t across them.
std::vector<Difference> differences(const ComparisonRun& comparison);

// The overall figures' differences between every two future states (`versus` the first of the
// pair, `scenario` the second; `current` is then the first's estimate), computed as
// differences() computes them against the current state.
std::vector<Difference> rival_differences(const ComparisonRun& comparison);

// How differences() computed the intervals of a comparison with `replications`, for people.
std::string comparison_method(std::uint32_t replications);

}  // namespace cjsim
