// The streaming, mergeable summary of many agents: counts and exact sums only, so memory does
// not grow with the number of agents and merging is associative and commutative (results are
// bit-identical however the agents were split between threads, batches or processes).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "sim/model/compiled_journey.h"
#include "sim/model/exact_sum.h"
#include "sim/model/outcome.h"

namespace cjsim {

// Likelihood-to-recommend histogram: 21 bins of width 0.5 ([0, 0.5), ..., [9.5, 10), {10}).
inline constexpr int kScoreBins = 21;
// Path length histogram: bin k holds journeys of k + 1 touchpoints; the last bin, longer ones.
inline constexpr int kPathLengthBins = 101;

int score_bin(double likelihood_to_recommend);

// Headline sums for a group of agents (one persona; the total is their merge).
struct OutcomeSums {
  std::uint64_t agents = 0;
  std::uint64_t steps = 0;
  std::uint64_t conversions = 0;
  std::array<std::uint64_t, kEndingCount> ended{};
  std::uint64_t abandoned = 0;   // calendar journeys that ended abandoned (Ending::abandoned)
  std::uint64_t lost = 0;        // agents whose entry a future state removed (Ending::lost)
  // Journeys that ended dropped after the agent converted (the others of ended[dropped] gave
  // up before converting). `split_known` is false for aggregates read from results of an older
  // cjsim that did not count them, whose journey does not decide them either.
  std::uint64_t left_after_converting = 0;
  bool split_known = true;
  std::uint64_t promoters = 0;   // among customers (converted agents)
  std::uint64_t detractors = 0;  // among customers
  ExactSum revenue, revenue_sq;
  ExactSum cost, cost_sq;
  ExactSum margin_sq;            // (revenue - cost)^2, for the margin's variance
  ExactSum hours, hours_sq;      // journey duration, all agents
  ExactSum hours_to_convert, hours_to_convert_sq;  // customers only
  ExactSum score, score_sq;      // likelihood to recommend, customers only
  ExactSum peak_end, peak_end_sq;  // all agents

  void add(const AgentOutcome& outcome, double promoter_threshold, double detractor_threshold);
  void merge(const OutcomeSums& other);

  // The exact sums in a fixed order, and one agent's term for each in that order: first the
  // kAgentSums that every agent adds to, then those that only customers add to (an agent that
  // did not convert has terms of 0 there, which add nothing). add() is add_counts() and these
  // terms; the engine's recorder stages the terms between agents.
  static constexpr int kExactSums = 13;
  static constexpr int kAgentSums = 7;
  // The places in exact_sums() of the first moments: cost, hours and peak_end (every agent's),
  // then revenue, hours_to_convert and score (customers').
  static constexpr std::array<int, 6> kFirstMoments = {0, 3, 5, 7, 9, 11};
  static constexpr int kAgentFirstMoments = 3;
  std::array<ExactSum*, kExactSums> exact_sums();
  static std::array<double, kExactSums> terms(const AgentOutcome& outcome);
  void add_counts(const AgentOutcome& outcome, double promoter_threshold,
                  double detractor_threshold);
  friend bool operator==(const OutcomeSums&, const OutcomeSums&) = default;
};

// An OutcomeSums's exact sums in deferred form (DeferredExactSum), agent by agent: cheaper per
// agent than adding to the sums themselves; move_into adds what was staged to the sums and
// leaves nothing staged, ready for other sums.
class StagedOutcomeSums {
 public:
  // The agent's terms (OutcomeSums::terms); a customer's only terms only when it converted.
  void add(const AgentOutcome& outcome);
  void move_into(OutcomeSums& sums);
  // The first moments alone (OutcomeSums::kFirstMoments), added to both `sums` and `also`.
  void move_first_moments_into(OutcomeSums& sums, OutcomeSums& also);

 private:
  std::array<DeferredExactSum, OutcomeSums::kExactSums> staged_;
  unsigned agents_ = 0;  // agents staged since the sums were last folded
};

// Per touchpoint and per stage counts and sums of a group of agents (one persona; the
// total is their merge).
struct TouchpointTallies {
  std::vector<std::uint64_t> visits;
  std::vector<std::uint64_t> dropouts;     // journeys that ended dropped here
  std::vector<std::uint64_t> completions;  // journeys that ended completed here
  std::vector<std::uint64_t> conversions;  // agents that converted here
  // Journeys that ended dropped here after the agent converted; see OutcomeSums::split_known.
  std::vector<std::uint64_t> dropouts_after_converting;
  bool split_known = true;
  std::vector<BoundedSum> emotion;         // emotion after the experience, summed over visits
  std::vector<BoundedSum> emotion_sq;
  std::vector<std::uint64_t> stage_reach;  // per stage, agents that visited it at least once

  static TouchpointTallies sized(std::size_t touchpoints, std::size_t stages);
  void merge(const TouchpointTallies& other);
  friend bool operator==(const TouchpointTallies&, const TouchpointTallies&) = default;
};

struct Aggregate {
  std::vector<OutcomeSums> personas;
  std::vector<TouchpointTallies> persona_tallies;  // per persona, like `personas`

  std::vector<std::uint64_t> transitions;  // per transition, journeys that took it

  std::array<std::uint64_t, kScoreBins> score_customers{};
  std::array<std::uint64_t, kScoreBins> score_all{};
  std::array<std::uint64_t, kPathLengthBins> path_length{};

  // An empty aggregate sized for the journey.
  static Aggregate for_journey(const CompiledJourney& journey);

  // Whether every dropout's split (before or after converting) is known.
  bool split_known() const;

  OutcomeSums overall() const;
  TouchpointTallies tallies() const;  // every persona's merged
  void merge(const Aggregate& other);
  friend bool operator==(const Aggregate&, const Aggregate&) = default;
};

// The observer that the engine feeds while it walks agents (see sim/model/agent.h), filling an
// Aggregate. Holds the current agent's persona and set of stages visited, and the per-persona
// exact sums in deferred form (DeferredExactSum), which go into the Aggregate when the recorder
// is flushed or destroyed: read the Aggregate only after that.
// For aggregates read from results of an older cjsim, which counted dropouts but not whether
// the agent had converted: where the journey decides it, fills the split in and marks it known.
// It decides it at a touchpoint no converted agent can reach (every dropout there gave up) and
// at one only converted agents reach (a conversion touchpoint, or one every way to which passes
// one); a touchpoint with no dropouts needs neither. One undecided touchpoint with dropouts
// leaves the aggregate's split unknown.
void fill_split_from_journey(const CompiledJourney& journey, Aggregate& aggregate);

class AggregateRecorder {
 public:
  AggregateRecorder(const CompiledJourney& journey, Aggregate& into)
      : journey_(journey), into_(into), staged_(journey.persona_count()) {}
  AggregateRecorder(const AggregateRecorder&) = delete;
  AggregateRecorder& operator=(const AggregateRecorder&) = delete;
  AggregateRecorder(AggregateRecorder&& other) noexcept
      : journey_(other.journey_), into_(other.into_), staged_(std::move(other.staged_)) {
    other.staged_.clear();
  }
  ~AggregateRecorder() { flush(); }

  // Moves the staged sums into the Aggregate.
  void flush();
  // Moves the staged first moments (OutcomeSums::kFirstMoments) of every persona into the
  // Aggregate and into `group` as well: the sums of the agents finished since the last call,
  // which an agent group keeps (RunOptions::agent_groups: its counts and first moments, which
  // its figures' values read; the squares, which only intervals read, stay 0). Exact sums add
  // in any order to the same bits, so the Aggregate is the one flush() alone would make.
  void flush_first_moments(OutcomeSums& group);

  void start(std::uint32_t persona) {
    tallies_ = &into_.persona_tallies[persona];
    stages_seen_ = 0;
  }
  void visit(std::uint32_t touchpoint, double emotion) {
    ++tallies_->visits[touchpoint];
    tallies_->emotion[touchpoint].add(emotion);
    tallies_->emotion_sq[touchpoint].add(emotion * emotion);
    stages_seen_ |= std::uint64_t{1} << journey_.stage_of[touchpoint];
  }
  void convert(std::uint32_t touchpoint) { ++tallies_->conversions[touchpoint]; }
  void transition(std::uint32_t index) { ++into_.transitions[index]; }
  void finish(const AgentOutcome& outcome);

  // For a driver that follows many journeys at once (the calendar engine): each journey's
  // calls as they come, with its persona, the journey keeping its own set of stages visited
  // (visit_of returns the visit's stage bit to add to it). The tallies are integer sums, so
  // the Aggregate is the one that calls journey by journey would make.
  std::uint64_t visit_of(std::uint32_t persona, std::uint32_t touchpoint, double emotion) {
    TouchpointTallies& tallies = into_.persona_tallies[persona];
    ++tallies.visits[touchpoint];
    tallies.emotion[touchpoint].add(emotion);
    tallies.emotion_sq[touchpoint].add(emotion * emotion);
    return std::uint64_t{1} << journey_.stage_of[touchpoint];
  }
  void convert_of(std::uint32_t persona, std::uint32_t touchpoint) {
    ++into_.persona_tallies[persona].conversions[touchpoint];
  }
  void finish_of(const AgentOutcome& outcome, std::uint64_t stages_seen) {
    tallies_ = &into_.persona_tallies[outcome.persona];
    stages_seen_ = stages_seen;
    finish(outcome);
  }

 private:
  const CompiledJourney& journey_;
  Aggregate& into_;
  TouchpointTallies* tallies_ = nullptr;  // the current agent's persona's
  std::vector<StagedOutcomeSums> staged_;  // per persona
  std::uint64_t stages_seen_ = 0;
};

}  // namespace cjsim
