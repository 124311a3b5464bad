// Paired simulation of journeys and the differences of their figures.
#include "sim/engine/comparison.h"

#include <fmt/format.h>
#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cmath>
#include <cstring>
#include <map>
#include <stdexcept>
#include <string_view>

#include "sim/engine/aggregate.h"
#include "sim/engine/block_runner.h"
#include "sim/engine/paired_sums.h"
#include "sim/model/agent.h"
#include "sim/model/walk_sharing.h"

namespace cjsim {
namespace {

// Within a block of agents (sim/engine/block_runner.h), paired moments are summed in doubles in
// agent order, then added exactly, so results do not depend on how blocks are spread over threads.

// The place of the figure `name` among the figures compared in `kScope`.
template <unsigned kScope>
constexpr std::size_t paired_index(std::string_view name) {
  const auto& figures = kComparedFigures<kScope>;
  for (std::size_t k = 0; k < figures.size(); ++k) {
    if (name == figures[k]->name) return k;
  }
  throw std::invalid_argument("not a compared figure");
}

// Stage and touchpoint figures are computed from each agent's visits below, one by one: a
// figure the table compares there that is not computed here does not compile.
constexpr std::size_t kStageReach = paired_index<kStage>("reach_rate");
constexpr std::size_t kStageDropout = paired_index<kStage>("dropout_rate");
constexpr std::size_t kStageEmotion = paired_index<kStage>("mean_emotion");
constexpr std::size_t kStageGaveUp = paired_index<kStage>("dropout_before_converting_rate");
constexpr std::size_t kStageLeft = paired_index<kStage>("dropout_after_converting_rate");
static_assert(ComparisonLayout::kStageCount == 5);
constexpr std::size_t kTouchpointVisits = paired_index<kTouchpoint>("visits_per_agent");
constexpr std::size_t kTouchpointDropout = paired_index<kTouchpoint>("dropout_rate");
constexpr std::size_t kTouchpointEmotion = paired_index<kTouchpoint>("mean_emotion");
constexpr std::size_t kTouchpointGaveUp =
    paired_index<kTouchpoint>("dropout_before_converting_rate");
constexpr std::size_t kTouchpointLeft = paired_index<kTouchpoint>("dropout_after_converting_rate");
static_assert(ComparisonLayout::kTouchpointCount == 5);

// Union of two name lists, first-seen order; fills each side's index map.
std::vector<std::string> unite(const std::vector<std::string>& a, const std::vector<std::string>& b,
                               std::array<std::vector<std::uint32_t>, 2>& index_of) {
  std::vector<std::string> names;
  std::map<std::string, std::uint32_t, std::less<>> position;
  for (int side = 0; side < 2; ++side) {
    const auto& list = side == 0 ? a : b;
    index_of[side].clear();
    for (const std::string& name : list) {
      auto [it, inserted] = position.emplace(name, static_cast<std::uint32_t>(names.size()));
      if (inserted) names.push_back(name);
      index_of[side].push_back(it->second);
    }
  }
  return names;
}

std::vector<std::string> persona_ids(const CompiledJourney& j) {
  std::vector<std::string> ids;
  for (const PersonaTables& p : j.personas) ids.push_back(p.id);
  return ids;
}

// The place in kComparedFigures<kOverall> of each figure compared per persona: every figure
// compared per persona is compared overall too (else this does not compile), so an agent's
// values are computed once for both.
constexpr auto kPersonaInOverall = [] {
  std::array<std::size_t, ComparisonLayout::kPersonaCount> in_overall{};
  for (std::size_t k = 0; k < in_overall.size(); ++k) {
    in_overall[k] = paired_index<kOverall>(kComparedFigures<kPersona>[k] -> name);
  }
  return in_overall;
}();

// What one agent did in one journey, as the comparison needs it, and the tape of what its walk
// told the recorder: enough to replay the same calls in the same order (replay_visits).
struct AgentTrace {
  std::vector<std::pair<std::uint32_t, double>> visits;  // touchpoint, emotion after it
  std::vector<std::uint32_t> transitions;                // taken after each visit but the last
  std::size_t converted_at = kNoVisit;                   // the visit at which the agent converted
  AgentOutcome outcome;
  // The agent's value of each overall compared figure (Figure::agent_value), computed once
  // for every future state and rival it is paired in.
  std::array<double, ComparisonLayout::kOverallCount> values{};

  static constexpr std::size_t kNoVisit = ~std::size_t{0};
};

// Records an agent's walk in one journey into its trace and that journey's aggregate.
class TraceRecorder {
 public:
  TraceRecorder(const CompiledJourney& journey, AggregateRecorder& aggregate, AgentTrace& trace)
      : journey_(journey), aggregate_(aggregate), trace_(trace) {}
  void start(std::uint32_t persona) {
    trace_.visits.clear();
    trace_.transitions.clear();
    trace_.converted_at = AgentTrace::kNoVisit;
    aggregate_.start(persona);
  }
  void visit(std::uint32_t touchpoint, double emotion) {
    trace_.visits.emplace_back(touchpoint, emotion);
    aggregate_.visit(touchpoint, emotion);
  }
  void convert(std::uint32_t touchpoint) {
    trace_.converted_at = trace_.visits.size() - 1;
    aggregate_.convert(touchpoint);
  }
  void transition(std::uint32_t index) {
    trace_.transitions.push_back(index);
    aggregate_.transition(index);
  }
  void finish(const AgentOutcome& outcome) {
    trace_.outcome = outcome;
    for (std::size_t k = 0; k < ComparisonLayout::kOverallCount; ++k) {
      trace_.values[k] = kComparedFigures<kOverall>[k] -> agent_value(outcome, journey_);
    }
    aggregate_.finish(outcome);
  }

 private:
  const CompiledJourney& journey_;
  AggregateRecorder& aggregate_;
  AgentTrace& trace_;
};

// Tells `recorder` the start and the first `visits` visits (with the conversion and the
// transitions after them) of a walk through another journey, `walked`, in this journey's
// indices (`sharing`: what that journey's walk is in this one): the same calls with the same
// values in the same order, which is what this journey's walk tells it as long as the agent,
// started alike, visits only touchpoints whose step is the same (WalkSharing).
template <class Recorder>
void replay_visits(const AgentTrace& walked, std::size_t visits, const WalkSharing& sharing,
                   Recorder& recorder) {
  recorder.start(walked.outcome.persona);
  for (std::size_t i = 0; i < visits; ++i) {
    const std::uint32_t v = sharing.touchpoint[walked.visits[i].first];
    recorder.visit(v, walked.visits[i].second);
    if (i == walked.converted_at) recorder.convert(v);
    if (i < walked.transitions.size()) {
      recorder.transition(sharing.transition[walked.transitions[i]]);
    }
  }
}

// The whole walk, and its end. `recorder` is the state's TraceRecorder, or its AggregateRecorder
// alone when the state's trace would be the walked one's (pairs_alike, and the same values).
template <class Recorder>
void replay_walk(const AgentTrace& walked, const WalkSharing& sharing, Recorder& recorder) {
  replay_visits(walked, walked.visits.size(), sharing, recorder);
  const auto in_this = [&](std::uint32_t v) {
    return v == kLostEntry ? kLostEntry : sharing.touchpoint[v];
  };
  AgentOutcome outcome = walked.outcome;
  outcome.entry = in_this(outcome.entry);
  outcome.last = in_this(outcome.last);
  recorder.finish(outcome);
}

// The overall figures' sums over a block of agents in two journeys: a mean of each agent's
// value over the agents (x = (value, 0)), or over the customers (x = (converted x value,
// converted)), whose counts of customers are summed once for all of them. The values must be
// finite (paired_sums.h); one that is not makes its figure n/a, with or without the split.
class OverallSums {
 public:
  // kSame: `f` pairs as `c` does (pairs_alike), so only `c` is read, and each product of a
  // value with itself is computed once for the sums it goes to: the same terms, the same sums.
  template <bool kSame = false>
  void add(const AgentTrace& c, const AgentTrace& f) {
    const double cc = c.outcome.converted, fc = kSame ? cc : f.outcome.converted;
    customers_.add(cc, fc);
    for (std::size_t k = 0; k < kCount; ++k) {
      const double vc = c.values[k], vf = kSame ? vc : f.values[k];
      if (kComparedFigures<kOverall>[k] -> over == Over::customers) {
        ratios_[k].add(cc * vc, cc, fc * vf, fc);
      } else {
        means_[k].add(vc, vf);
      }
    }
  }

  // The k-th figure's moments (kComparedFigures<kOverall> order).
  std::array<double, 14> moments(std::size_t k) const {
    return kComparedFigures<kOverall>[k] -> over == Over::customers
                                                ? paired_moments(ratios_[k], customers_)
                                                : per_agent_moments(means_[k]);
  }

 private:
  static constexpr std::size_t kCount = ComparisonLayout::kOverallCount;
  CountSums customers_;
  std::array<CountSums, kCount> means_{};
  std::array<RatioSums, kCount> ratios_{};
};

// One persona's figures over a block: ratios over the agents of the persona in each journey
// (x = (value if of the persona, of the persona)), or over its customers; the counts of its
// agents and of its customers are summed once for all of them.
struct PersonaSums {
  static constexpr std::size_t kCount = ComparisonLayout::kPersonaCount;
  CountSums agents, customers;
  std::array<RatioSums, kCount> ratios{};

  std::array<double, 14> moments(std::size_t k) const {
    return paired_moments(
        ratios[k], kComparedFigures<kPersona>[k] -> over == Over::customers ? customers : agents);
  }
};

// Accumulates one future state's paired moments over a block of agents, in doubles in agent
// order. The figures of a scope share their sums (sim/engine/paired_sums.h): the counts they
// divide by once (customers, a persona's agents, a touchpoint's visits, a stage's reach), a
// touchpoint's or stage's emotions once, its dropouts only for the agents that dropped out
// there. The block's end spreads the shared sums over the figures' slots.
class PairAccumulator {
 public:
  PairAccumulator(const ComparisonLayout& layout, const CompiledJourney& current,
                  const CompiledJourney& future)
      : layout_(layout), journeys_{&current, &future}, personas_(layout.persona_count) {
    for (int side = 0; side < 2; ++side) {
      touchpoint_[side].assign(layout.touchpoint_count, {});
      stage_[side].assign(layout.stage_count, {});
    }
    touchpoint_seen_.assign(layout.touchpoint_count, 0);
    stage_seen_.assign(layout.stage_count, 0);
    touchpoint_sums_.assign(layout.touchpoint_count, {});
    stage_sums_.assign(layout.stage_count, {});
    touchpoint_in_block_.assign(layout.touchpoint_count, 0);
    stage_in_block_.assign(layout.stage_count, 0);
  }

  void add_agent(const AgentTrace& current, const AgentTrace& future) {
    add<false>(current, future);
  }
  // An agent whose future trace pairs as its current one does (pairs_alike): the same sums as
  // add_agent(current, future), with half the tallies and products.
  void add_alike_agent(const AgentTrace& current) { add<true>(current, current); }

  // Adds the block's sums exactly to `into` and starts a new block.
  void flush(PairedAggregate& into) {
    into.agents += agents_;
    agents_ = 0;
    for (std::size_t k = 0; k < ComparisonLayout::kOverallCount; ++k) {
      put(into, layout_.overall_slot(k), overall_.moments(k));
    }
    overall_ = {};
    for (std::uint32_t p = 0; p < personas_.size(); ++p) {
      for (std::size_t k = 0; k < ComparisonLayout::kPersonaCount; ++k) {
        put(into, layout_.persona_slot(p, k), personas_[p].moments(k));
      }
      personas_[p] = {};
    }
    for (std::uint32_t s : stages_in_block_) {
      const StageSums& sums = stage_sums_[s];
      put_scope(into,
                {layout_.stage_slot(s, kStageReach), layout_.stage_slot(s, kStageEmotion),
                 layout_.stage_slot(s, kStageDropout), layout_.stage_slot(s, kStageGaveUp),
                 layout_.stage_slot(s, kStageLeft)},
                sums.reached, sums.visits, sums.emotion, sums.dropouts);
      stage_sums_[s] = {};
      stage_in_block_[s] = 0;
    }
    stages_in_block_.clear();
    for (std::uint32_t t : touchpoints_in_block_) {
      const TouchpointSums& sums = touchpoint_sums_[t];
      put_scope(into,
                {layout_.touchpoint_slot(t, kTouchpointVisits),
                 layout_.touchpoint_slot(t, kTouchpointEmotion),
                 layout_.touchpoint_slot(t, kTouchpointDropout),
                 layout_.touchpoint_slot(t, kTouchpointGaveUp),
                 layout_.touchpoint_slot(t, kTouchpointLeft)},
                sums.visits, sums.visits, sums.emotion, sums.dropouts);
      touchpoint_sums_[t] = {};
      touchpoint_in_block_[t] = 0;
    }
    touchpoints_in_block_.clear();
  }

 private:
  // Flattened: the sums' adds and the gathering inline into each of the two.
  template <bool kSame>
  [[gnu::flatten]] void add(const AgentTrace& current, const AgentTrace& future) {
    ++agents_;
    gather(0, current);
    if constexpr (!kSame) gather(1, future);
    overall_.add<kSame>(current, future);
    add_personas<kSame>(current, future);
    for (std::uint32_t s : stages_touched_) {
      const StageTally& c = stage_[0][s];
      const StageTally& f = kSame ? c : stage_[1][s];
      StageSums& sums = stage_sums_[s];
      sums.reached.add(c.reached, f.reached);
      sums.visits.add(c.visits, f.visits);
      sums.emotion.add(c.emotion, c.visits, f.emotion, f.visits);
      if (c.dropped != 0 || f.dropped != 0) {
        sums.dropouts.add(c, f, c.reached, f.reached);
      }
      if (!stage_in_block_[s]) {
        stage_in_block_[s] = 1;
        stages_in_block_.push_back(s);
      }
      stage_[0][s] = {};
      if constexpr (!kSame) stage_[1][s] = {};
      stage_seen_[s] = 0;
    }
    for (std::uint32_t t : touchpoints_touched_) {
      const TouchpointTally& c = touchpoint_[0][t];
      const TouchpointTally& f = kSame ? c : touchpoint_[1][t];
      TouchpointSums& sums = touchpoint_sums_[t];
      sums.visits.add(c.visits, f.visits);
      sums.emotion.add(c.emotion, c.visits, f.emotion, f.visits);
      if (c.dropped != 0 || f.dropped != 0) {
        sums.dropouts.add(c, f, c.visits, f.visits);
      }
      if (!touchpoint_in_block_[t]) {
        touchpoint_in_block_[t] = 1;
        touchpoints_in_block_.push_back(t);
      }
      touchpoint_[0][t] = {};
      if constexpr (!kSame) touchpoint_[1][t] = {};
      touchpoint_seen_[t] = 0;
    }
    stages_touched_.clear();
    touchpoints_touched_.clear();
  }

  // `left`: the agent dropped out here after converting (then `dropped` is 1 too).
  struct TouchpointTally {
    double visits = 0, emotion = 0, dropped = 0, left = 0;
  };
  struct StageTally {
    double reached = 0, visits = 0, emotion = 0, dropped = 0, left = 0;
  };

  // The a-sums of the three dropout figures of a touchpoint or stage (dropped out, gave up
  // before converting, left after converting), added for the agents that dropped out there.
  struct DropoutSums {
    RatioSums dropped, gave_up, left;

    template <class Tally>
    void add(const Tally& c, const Tally& f, double b_current, double b_future) {
      dropped.add(c.dropped, b_current, f.dropped, b_future);
      gave_up.add(c.dropped - c.left, b_current, f.dropped - f.left, b_future);
      left.add(c.left, b_current, f.left, b_future);
    }
  };
  struct TouchpointSums {
    CountSums visits;  // visits_per_agent, and what the others divide by
    RatioSums emotion;
    DropoutSums dropouts;
  };
  struct StageSums {
    CountSums reached;  // reach_rate, and what the dropouts divide by
    CountSums visits;   // what the emotion divides by
    RatioSums emotion;
    DropoutSums dropouts;
  };

  static void put(PairedAggregate& into, std::size_t metric, const std::array<double, 14>& m) {
    for (int k = 0; k < 14; ++k) into.moments[metric][k].add(m[k]);
  }

  // A stage's or touchpoint's five figures, in `slots`: the agents it counts (reach or visits
  // per agent), the emotion per visit, and the three dropout shares over those agents.
  static void put_scope(PairedAggregate& into, const std::array<std::size_t, 5>& slots,
                        const CountSums& agents, const CountSums& visits, const RatioSums& emotion,
                        const DropoutSums& dropouts) {
    put(into, slots[0], per_agent_moments(agents));
    put(into, slots[1], paired_moments(emotion, visits));
    put(into, slots[2], paired_moments(dropouts.dropped, agents));
    put(into, slots[3], paired_moments(dropouts.gave_up, agents));
    put(into, slots[4], paired_moments(dropouts.left, agents));
  }

  void gather(int side, const AgentTrace& trace) {
    const CompiledJourney& j = *journeys_[side];
    for (auto [v, emotion] : trace.visits) {
      const std::uint32_t t = layout_.touchpoint_of[side][v];
      const std::uint32_t s = layout_.stage_of[side][j.stage_of[v]];
      TouchpointTally& tp = touchpoint_[side][t];
      tp.visits += 1;
      tp.emotion += emotion;
      StageTally& st = stage_[side][s];
      st.reached = 1;
      st.visits += 1;
      st.emotion += emotion;
      if (!touchpoint_seen_[t]) {
        touchpoint_seen_[t] = 1;
        touchpoints_touched_.push_back(t);
      }
      if (!stage_seen_[s]) {
        stage_seen_[s] = 1;
        stages_touched_.push_back(s);
      }
    }
    if (trace.outcome.ending == Ending::dropped) {
      const std::uint32_t v = trace.outcome.last;
      const double left = trace.outcome.converted ? 1 : 0;
      TouchpointTally& tp = touchpoint_[side][layout_.touchpoint_of[side][v]];
      StageTally& st = stage_[side][layout_.stage_of[side][j.stage_of[v]]];
      tp.dropped = st.dropped = 1;
      tp.left = st.left = left;
    }
  }

  // Persona figures are ratios over the agents of the persona in each journey; an agent drawn
  // as another persona in the future state (its shares changed) counts in both.
  template <bool kSame>
  void add_personas(const AgentTrace& current, const AgentTrace& future) {
    constexpr std::size_t kCount = ComparisonLayout::kPersonaCount;
    const AgentOutcome& c = current.outcome;
    const AgentOutcome& f = future.outcome;
    const std::uint32_t pc = layout_.persona_of[0][c.persona];
    const std::uint32_t pf = kSame ? pc : layout_.persona_of[1][f.persona];
    for (std::uint32_t p : {pc, pf}) {
      const double in_c = p == pc, in_f = p == pf;
      const double cc = c.converted * in_c, fc = (kSame ? c : f).converted * in_f;
      PersonaSums& sums = personas_[p];
      sums.agents.add(in_c, in_f);
      sums.customers.add(cc, fc);
      for (std::size_t k = 0; k < kCount; ++k) {
        const double vc = current.values[kPersonaInOverall[k]];
        const double vf = kSame ? vc : future.values[kPersonaInOverall[k]];
        if (kComparedFigures<kPersona>[k] -> over == Over::customers) {
          sums.ratios[k].add(cc * vc, cc, fc * vf, fc);
        } else {
          sums.ratios[k].add(vc * in_c, in_c, vf * in_f, in_f);
        }
      }
      if (pc == pf) break;
    }
  }

  const ComparisonLayout& layout_;
  const CompiledJourney* journeys_[2];
  std::uint64_t agents_ = 0;
  OverallSums overall_;
  std::vector<PersonaSums> personas_;
  std::array<std::vector<TouchpointTally>, 2> touchpoint_;
  std::array<std::vector<StageTally>, 2> stage_;
  std::vector<std::uint8_t> touchpoint_seen_, stage_seen_;
  std::vector<std::uint32_t> touchpoints_touched_, stages_touched_;  // by this agent
  std::vector<TouchpointSums> touchpoint_sums_;
  std::vector<StageSums> stage_sums_;
  std::vector<std::uint8_t> touchpoint_in_block_, stage_in_block_;
  std::vector<std::uint32_t> touchpoints_in_block_, stages_in_block_;
};

// Two future states' overall figures, paired on the same agents, over a block in doubles.
class RivalAccumulator {
 public:
  void add_agent(const AgentTrace& first, const AgentTrace& second) {
    ++agents_;
    sums_.add(first, second);
  }
  // An agent whose two traces have the same values (same_values).
  void add_alike_agent(const AgentTrace& first) {
    ++agents_;
    sums_.add<true>(first, first);
  }
  void flush(PairedAggregate& into) {
    into.agents += agents_;
    agents_ = 0;
    for (std::size_t m = 0; m < ComparisonLayout::kOverallCount; ++m) {
      const std::array<double, 14> moments = sums_.moments(m);
      for (int k = 0; k < 14; ++k) into.moments[m][k].add(moments[k]);
    }
    sums_ = {};
  }

 private:
  std::uint64_t agents_ = 0;
  OverallSums sums_;
};

PairedAggregate empty_rival() {
  PairedAggregate p;
  p.moments.resize(ComparisonLayout::kOverallCount);
  return p;
}

PairedAggregate empty_paired(const ComparisonLayout& layout) {
  PairedAggregate p;
  p.moments.resize(layout.metrics().size());
  return p;
}

// Whether two traces give the pairing the same numbers: the same values, conversion, ending
// and persona (bit for bit; a doubt, such as -0 against +0, says no).
bool same_values(const AgentTrace& a, const AgentTrace& b) {
  return a.outcome.converted == b.outcome.converted && a.outcome.ending == b.outcome.ending &&
         a.outcome.persona == b.outcome.persona &&
         std::memcmp(a.values.data(), b.values.data(), sizeof a.values) == 0;
}

// Whether a future state's walks replayed from the current state's (replay_walk) pair as the
// current state's own would: each touchpoint the two match, its stage, and each persona have
// one place in the pair's layout. Then such an agent with the same values (same_values) pairs
// with itself (PairAccumulator::add_alike_agent).
bool pairs_alike(const ComparisonLayout& layout, const CompiledJourney& current,
                 const CompiledJourney& future, const WalkSharing& sharing) {
  if (!sharing.same_start || current.persona_count() != future.persona_count()) return false;
  for (std::uint32_t v = 0; v < current.touchpoint_count(); ++v) {
    const std::uint32_t w = sharing.touchpoint[v];
    if (w == kNotInOther) continue;  // never in a replayed walk
    if (layout.touchpoint_of[1][w] != layout.touchpoint_of[0][v] ||
        layout.stage_of[1][future.stage_of[w]] != layout.stage_of[0][current.stage_of[v]]) {
      return false;
    }
  }
  for (std::uint32_t p = 0; p < current.persona_count(); ++p) {
    if (layout.persona_of[1][p] != layout.persona_of[0][p]) return false;
  }
  return true;
}

// Everything one worker thread needs for a comparison.
struct Worker {
  std::vector<Aggregate> aggregates;    // per journey
  std::vector<PairedAggregate> paired;  // per future state
  std::vector<PairAccumulator> accumulators;
  std::vector<PairedAggregate> rivals;  // per pair of future states
  std::vector<RivalAccumulator> rival_accumulators;
  std::vector<AgentScratch> scratch;
  std::vector<AgentTrace> traces;
  SharedStepBlocks shared;  // the current agent's step blocks, the same in every state
  // Per state, the agent where its walk parted from the current state's (walk_current).
  std::vector<AgentState> parting;
  std::uint64_t shared_walks = 0;
};

// Which future states share the current state's walks (WalkSharing): a state's walk of an
// agent that starts alike in both is the current state's walk, touchpoint for touchpoint, draw
// for draw, until the agent comes to a touchpoint whose step differs; where it never does, the
// two walks are the same walk. States are bits of a word: the first 63 future states can
// share, later ones are always walked from the start.
class SharedWalks {
 public:
  SharedWalks(std::span<const CompiledJourney> journeys, bool share)
      : sharing_(journeys.size()), parts_at_(journeys[0].touchpoint_count(), 0) {
    for (std::size_t k = 1; k < journeys.size() && k < kStates; ++k) {
      const std::uint64_t bit = std::uint64_t{1} << k;
      if (!share) {
        walks_from_start_ |= bit;
        continue;
      }
      sharing_[k] = walk_sharing(journeys[0], journeys[k]);
      if (!sharing_[k].same_start) walks_from_start_ |= bit;
      for (std::size_t v = 0; v < parts_at_.size(); ++v) {
        if (!sharing_[k].same_step[v]) parts_at_[v] |= bit;
      }
      any_ = any_ || sharing_[k].same_start;
    }
  }

  // The states that share no walk with the current state (bits; not those past the word).
  std::uint64_t walks_from_start() const { return walks_from_start_; }
  // The states whose step at touchpoint v of the current state differs.
  std::uint64_t parts_at(std::uint32_t v) const { return parts_at_[v]; }
  // Whether state k can share walks at all, and whether any state can.
  bool shares(std::size_t k) const { return k < kStates && (walks_from_start_ >> k & 1) == 0; }
  bool any() const { return any_; }
  const WalkSharing& sharing(std::size_t k) const { return sharing_[k]; }

 private:
  static constexpr std::size_t kStates = 64;
  std::vector<WalkSharing> sharing_;  // per state; the current state's is unused
  std::vector<std::uint64_t> parts_at_;
  std::uint64_t walks_from_start_ = 0;
  bool any_ = false;
};

// The current state's walk of an agent (simulate_agent, step by step). Before each step, every
// state sharing walks whose step at the touchpoint differs, and that had not parted from this
// walk yet, gets the agent as it is there in `parting`: its own walk goes on from there
// (resume_walk). Returns the states that parted. Flattened: the step inlines into the loop, as
// it does into a run's (the compiler would not, with two loops calling it).
[[gnu::flatten]] std::uint64_t walk_current(const CompiledJourney& j, const SharedWalks& walks,
                                            AgentState& s, AgentScratch& scratch,
                                            TraceRecorder& recorder,
                                            std::vector<AgentState>& parting,
                                            const std::atomic<bool>* cancel) {
  std::uint64_t parted = walks.walks_from_start();
  start_agent(j, s, recorder);
  if (entered_lost(s)) {
    lose_agent(s);
    finish_agent(s, recorder);
    return parted;
  }
  while (true) {
    const std::uint64_t here = walks.parts_at(s.touchpoint);
    for (std::uint64_t parting_here = here & ~parted; parting_here != 0;
         parting_here &= parting_here - 1) {
      parting[static_cast<std::size_t>(std::countr_zero(parting_here))] = s;
    }
    parted |= here;
    if (!take_step(j, s, scratch, recorder)) break;
    throw_if_cancelled(s, cancel);
  }
  finish_agent(s, recorder);
  return parted;
}

// Journey j's walk of an agent whose walk through the current state, `walked`, parted from it
// as `s` (walk_current): the visits before are the current walk's, replayed in j's indices,
// and the walk goes on in j from there.
[[gnu::flatten]] void resume_walk(const CompiledJourney& j, AgentState s, const AgentTrace& walked,
                                  const WalkSharing& sharing, AgentScratch& scratch,
                                  TraceRecorder& recorder, const std::atomic<bool>* cancel) {
  replay_visits(walked, s.step, sharing, recorder);
  // The touchpoint where it parted is the entry or the end of a transition of the same
  // step: both have their match in j (WalkSharing).
  s.touchpoint = sharing.touchpoint[s.touchpoint];
  s.out.entry = sharing.touchpoint[s.out.entry];
  s.persona = &j.personas[s.out.persona];
  while (take_step(j, s, scratch, recorder)) throw_if_cancelled(s, cancel);
  finish_agent(s, recorder);
}

}  // namespace

ComparisonLayout::ComparisonLayout(const CompiledJourney& current, const CompiledJourney& future) {
  const std::vector<std::string> stages = unite(current.stages, future.stages, stage_of);
  const std::vector<std::string> touchpoints =
      unite(current.touchpoint_ids, future.touchpoint_ids, touchpoint_of);
  const std::vector<std::string> personas =
      unite(persona_ids(current), persona_ids(future), persona_of);
  stage_count = stages.size();
  touchpoint_count = touchpoints.size();
  persona_count = personas.size();

  // The figures of one edition of one scope, as ComparedMetrics.
  const auto add = [&](const auto& figures, int edition, const std::string& scope, bool persona) {
    for (const Figure* f : figures) {
      if (f->compared_edition != edition) continue;
      // A persona's figures are ratios over its agents, never plain means over all agents.
      metrics_.push_back({f->name, scope, !persona && f->over == Over::agents});
    }
  };
  for (int edition = 0; edition < kComparedEditions; ++edition) {
    const auto e = static_cast<std::size_t>(edition);
    overall_begin_[e] = metrics_.size();
    add(kComparedFigures<kOverall>, edition, "overall", false);
    stage_begin_[e] = metrics_.size();
    for (const std::string& s : stages) add(kComparedFigures<kStage>, edition, "stage:" + s, false);
    touchpoint_begin_[e] = metrics_.size();
    for (const std::string& t : touchpoints) {
      add(kComparedFigures<kTouchpoint>, edition, "touchpoint:" + t, false);
    }
    persona_begin_[e] = metrics_.size();
    for (const std::string& p : personas) {
      add(kComparedFigures<kPersona>, edition, "persona:" + p, true);
    }
  }
  for (std::size_t k = 0; k < kOverallCount; ++k) reading_order_.push_back(overall_slot(k));
  for (std::uint32_t s = 0; s < stage_count; ++s) {
    for (std::size_t k = 0; k < kStageCount; ++k) reading_order_.push_back(stage_slot(s, k));
  }
  for (std::uint32_t t = 0; t < touchpoint_count; ++t) {
    for (std::size_t k = 0; k < kTouchpointCount; ++k) {
      reading_order_.push_back(touchpoint_slot(t, k));
    }
  }
  for (std::uint32_t p = 0; p < persona_count; ++p) {
    for (std::size_t k = 0; k < kPersonaCount; ++k) reading_order_.push_back(persona_slot(p, k));
  }
}

void PairedAggregate::merge(const PairedAggregate& other) {
  agents += other.agents;
  if (moments.size() < other.moments.size()) moments.resize(other.moments.size());
  for (std::size_t m = 0; m < other.moments.size(); ++m) {
    for (int k = 0; k < 14; ++k) moments[m][k].merge(other.moments[m][k]);
  }
}

PairedMoments PairedAggregate::moments_of(std::size_t metric, bool per_agent) const {
  PairedMoments out;
  out.n = static_cast<double>(agents);
  for (int k = 0; k < 4; ++k) out.sum[k] = moments[metric][k].value();
  for (int k = 0; k < 10; ++k) out.product[k] = moments[metric][4 + k].value();
  if (!per_agent) return out;
  // b = 1 for every agent.
  out.sum[1] = out.sum[3] = out.n;
  out.product[kPairedProduct[0][1]] = out.sum[0];
  out.product[kPairedProduct[0][3]] = out.sum[0];
  out.product[kPairedProduct[1][2]] = out.sum[2];
  out.product[kPairedProduct[2][3]] = out.sum[2];
  out.product[kPairedProduct[1][1]] = out.product[kPairedProduct[1][3]] =
      out.product[kPairedProduct[3][3]] = out.n;
  return out;
}

namespace {

ComparisonRun compare_states(std::span<const CompiledJourney> journeys, const RunOptions& options,
                             bool share_walks) {
  const auto started = std::chrono::steady_clock::now();
  const std::size_t count = journeys.size();
  ComparisonRun out;
  if (count == 0) return out;
  for (std::size_t k = 1; k < count; ++k) out.layouts.emplace_back(journeys[0], journeys[k]);
  out.runs.resize(count);
  out.paired.resize(count == 0 ? 0 : count - 1);
  for (std::size_t a = 1; a < count; ++a) {
    for (std::size_t b = a + 1; b < count; ++b) out.rivals.push_back({a, b, {}});
  }
  const SharedWalks shared_walks(journeys, share_walks);
  std::vector<std::uint8_t> alike(count, 0);  // per future state: pairs_alike
  // Per future state: its trace of a walk told whole would be the current state's trace, the
  // same values included (they read the thresholds alone from the journey: Figure::agent_value),
  // so such a walk is told to its aggregate alone, and paired as the current state's.
  std::vector<std::uint8_t> told_as_current(count, 0);
  for (std::size_t k = 1; k < count; ++k) {
    alike[k] = shared_walks.shares(k) && pairs_alike(out.layouts[k - 1], journeys[0],
                                                     journeys[k], shared_walks.sharing(k));
    told_as_current[k] = alike[k] &&
                         journeys[k].promoter_threshold == journeys[0].promoter_threshold &&
                         journeys[k].detractor_threshold == journeys[0].detractor_threshold;
  }
  BlockRunner runner(options);
  for (RunResult& r : out.runs) {
    r.agents = options.agents;
    r.seed = options.seed;
    r.threads = runner.threads();
  }

  for (std::uint32_t r = 0; r < options.replications; ++r) {
    tbb::enumerable_thread_specific<Worker> workers([&] {
      Worker w;
      for (const CompiledJourney& j : journeys) {
        w.aggregates.push_back(Aggregate::for_journey(j));
        w.scratch.emplace_back(j);
      }
      for (std::size_t k = 1; k < count; ++k) {
        w.paired.push_back(empty_paired(out.layouts[k - 1]));
        w.accumulators.emplace_back(out.layouts[k - 1], journeys[0], journeys[k]);
      }
      w.rivals.assign(out.rivals.size(), empty_rival());
      w.rival_accumulators.resize(out.rivals.size());
      w.traces.resize(count);
      w.parting.assign(count, AgentState(0, 0, 0));
      return w;
    });
    runner.for_each_block([&](std::uint64_t, std::uint64_t first, std::uint64_t agents) {
      Worker& w = workers.local();
      std::vector<AggregateRecorder> recorders;
      for (std::size_t k = 0; k < count; ++k) recorders.emplace_back(journeys[k], w.aggregates[k]);
      for (std::uint64_t agent = first; agent < first + agents; ++agent) {
        // Agent `agent` draws the same words in every state (common random numbers): its
        // walk in the first state computes each step's Philox block, the others read it. A
        // state whose walk would be the first state's is told the first state's instead.
        w.shared.reset();
        TraceRecorder current_recorder(journeys[0], recorders[0], w.traces[0]);
        std::uint64_t parted = ~std::uint64_t{0};
        if (shared_walks.any()) {
          AgentState current(options.seed, r, agent);
          current.stream.share_blocks(&w.shared);
          parted = walk_current(journeys[0], shared_walks, current, w.scratch[0], current_recorder,
                                w.parting, options.cancel);
        } else {  // the plain walk: no state needs to know where it parts
          simulate_agent(journeys[0], options.seed, r, agent, w.scratch[0], current_recorder,
                         options.cancel, count > 1 ? &w.shared : nullptr);
        }
        std::uint64_t replayed = 0;  // the states whose walk is the current state's
        for (std::size_t k = 1; k < count; ++k) {
          TraceRecorder recorder(journeys[k], recorders[k], w.traces[k]);
          if (!shared_walks.shares(k)) {
            simulate_agent(journeys[k], options.seed, r, agent, w.scratch[k], recorder,
                           options.cancel, &w.shared);
          } else if ((parted >> k & 1) != 0) {
            resume_walk(journeys[k], w.parting[k], w.traces[0], shared_walks.sharing(k),
                        w.scratch[k], recorder, options.cancel);
          } else {
            if (told_as_current[k]) {
              replay_walk(w.traces[0], shared_walks.sharing(k), recorders[k]);
            } else {
              replay_walk(w.traces[0], shared_walks.sharing(k), recorder);
            }
            replayed |= std::uint64_t{1} << k;
            ++w.shared_walks;
          }
        }
        // State k's trace of the agent: the current state's when told as it.
        const auto trace_of = [&](std::size_t k) -> const AgentTrace& {
          return told_as_current[k] && (replayed >> k & 1) != 0 ? w.traces[0] : w.traces[k];
        };
        // An agent whose walk and values are the same in both states of a pair adds the
        // same terms to the pair's sums either way: taken once, they cost half.
        for (std::size_t k = 1; k < count; ++k) {
          const AgentTrace& future = trace_of(k);
          if (alike[k] && (replayed >> k & 1) != 0 &&
              (&future == &w.traces[0] || same_values(w.traces[0], future))) {
            w.accumulators[k - 1].add_alike_agent(w.traces[0]);
          } else {
            w.accumulators[k - 1].add_agent(w.traces[0], future);
          }
        }
        for (std::size_t p = 0; p < out.rivals.size(); ++p) {
          const AgentTrace& a = trace_of(out.rivals[p].first);
          const AgentTrace& b = trace_of(out.rivals[p].second);
          if (&a == &b || same_values(a, b)) {
            w.rival_accumulators[p].add_alike_agent(a);
          } else {
            w.rival_accumulators[p].add_agent(a, b);
          }
        }
      }
      // Each block's double sums go into the exact sums at the block's end.
      for (std::size_t k = 1; k < count; ++k) w.accumulators[k - 1].flush(w.paired[k - 1]);
      for (std::size_t p = 0; p < out.rivals.size(); ++p) {
        w.rival_accumulators[p].flush(w.rivals[p]);
      }
    });
    for (const Worker& w : workers) out.shared_walks += w.shared_walks;
    for (std::size_t k = 0; k < count; ++k) {
      Aggregate merged = Aggregate::for_journey(journeys[k]);
      for (const Worker& w : workers) merged.merge(w.aggregates[k]);
      out.runs[k].replications.push_back(std::move(merged));
    }
    for (std::size_t k = 1; k < count; ++k) {
      PairedAggregate merged = empty_paired(out.layouts[k - 1]);
      for (const Worker& w : workers) merged.merge(w.paired[k - 1]);
      out.paired[k - 1].push_back(std::move(merged));
    }
    for (std::size_t p = 0; p < out.rivals.size(); ++p) {
      PairedAggregate merged = empty_rival();
      for (const Worker& w : workers) merged.merge(w.rivals[p]);
      out.rivals[p].replications.push_back(std::move(merged));
    }
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  for (RunResult& r : out.runs) r.seconds = out.seconds;
  return out;
}

}  // namespace

ComparisonRun run_comparison(std::span<const CompiledJourney> journeys, const RunOptions& options) {
  return compare_states(journeys, options, true);
}

namespace detail {
ComparisonRun run_comparison_walking_every_state(std::span<const CompiledJourney> journeys,
                                                 const RunOptions& options) {
  return compare_states(journeys, options, false);
}
}  // namespace detail

namespace {

// Why a compared figure's difference is n/a when one of its exact sums overflowed, else "".
std::string overflow_note(const PairedAggregate& pooled, std::size_t metric) {
  for (const ExactSum& sum : pooled.moments[metric]) {
    if (!sum.invalid()) continue;
    return "a sum over the agents of this figure's values, squares or products left the range "
           "of exact sums (+-1.7e38); smaller amounts or durations, shorter journeys or fewer "
           "agents keep it in range";
  }
  return "";
}

}  // namespace

namespace {

// One compared figure's difference, pooled over the replications' paired moments (or, with
// several replications, with a Student t interval across them).
Difference difference_of(const std::vector<PairedAggregate>& replications,
                         const PairedAggregate& pooled, std::size_t m,
                         const ComparedMetric& metric) {
  const PairedDifference all = paired_ratio_difference(pooled.moments_of(m, metric.per_agent));
  Difference d;
  d.metric = metric.metric;
  d.scope = metric.scope;
  d.current = all.current;
  d.future = all.future;
  d.difference = all.difference;
  d.paired_half_width = all.paired_half_width;
  d.independent_half_width = all.independent_half_width;
  if (replications.size() > 1) {
    std::vector<double> current, future, difference;
    for (const PairedAggregate& p : replications) {
      const PairedDifference one = paired_ratio_difference(p.moments_of(m, metric.per_agent));
      current.push_back(one.current.value);
      future.push_back(one.future.value);
      difference.push_back(one.difference.value);
    }
    d.current = replication_interval(current);
    d.future = replication_interval(future);
    d.difference = replication_interval(difference);
  }
  d.significant =
      std::isfinite(d.difference.low) && (d.difference.low > 0.0 || d.difference.high < 0.0);
  if (!std::isfinite(d.difference.low) || !std::isfinite(d.difference.high)) {
    d.note = overflow_note(pooled, m);
  }
  return d;
}

}  // namespace

std::vector<Difference> differences(const ComparisonRun& comparison) {
  std::vector<Difference> out;
  for (std::size_t f = 0; f < comparison.layouts.size(); ++f) {
    const ComparisonLayout& layout = comparison.layouts[f];
    const std::vector<PairedAggregate>& replications = comparison.paired[f];
    PairedAggregate pooled = empty_paired(layout);
    for (const PairedAggregate& p : replications) pooled.merge(p);
    for (std::size_t m : layout.reading_order()) {
      Difference d = difference_of(replications, pooled, m, layout.metrics()[m]);
      d.scenario = f + 1;
      out.push_back(std::move(d));
    }
  }
  return out;
}

std::vector<Difference> rival_differences(const ComparisonRun& comparison) {
  std::vector<Difference> out;
  for (const RivalPair& pair : comparison.rivals) {
    PairedAggregate pooled = empty_rival();
    for (const PairedAggregate& p : pair.replications) pooled.merge(p);
    // The rivals' moments are the overall figures' alone, in kComparedFigures<kOverall>
    // order; every layout names them alike.
    const ComparisonLayout& layout = comparison.layouts.front();
    for (std::size_t m = 0; m < ComparisonLayout::kOverallCount; ++m) {
      Difference d =
          difference_of(pair.replications, pooled, m, layout.metrics()[layout.overall_slot(m)]);
      d.versus = pair.first;
      d.scenario = pair.second;
      out.push_back(std::move(d));
    }
  }
  return out;
}

std::string comparison_method(std::uint32_t replications) {
  std::string method =
      "paired differences over the same agents (common random numbers); 95% intervals by the "
      "delta method on each agent's contributions (a ratio of sums for figures over customers, "
      "visits or a persona)";
  if (replications > 1) {
    method += fmt::format("; with {} replications, Student t across the replications' differences",
                          replications);
  }
  return method;
}

}  // namespace cjsim
