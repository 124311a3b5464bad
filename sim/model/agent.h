// One agent's journey under the reference model (sim/model/MODEL.md), step order included.
// Templated on an observer (an aggregate, a per-agent recorder, a paired comparison) so
// that the hot loop has no virtual call and no allocation: the observer's calls inline.
//
// Observer interface:
//   void start(uint32_t persona);
//   void visit(uint32_t touchpoint, double emotion);   // after the experience
//   void convert(uint32_t touchpoint);
//   void transition(uint32_t transition_index);        // taken, the agent arrives
//   void finish(const AgentOutcome&);
#pragma once

#include <boost/random/detail/int_float_pair.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "sim/model/behaviour.h"
#include "sim/model/cancellation.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/outcome.h"
#include "sim/model/random_stream.h"

namespace cjsim {

// Scratch memory for emotion-steered choices, sized once per worker.
struct AgentScratch {
  std::vector<double> weights;
  std::vector<double> bias_factors;  // exp(bias x e - shift), per distinct bias
  explicit AgentScratch(const CompiledJourney& journey)
      : weights(journey.max_out_degree), bias_factors(journey.max_out_degree) {}
};

namespace detail {

// Boost's ziggurat samplers accept their first try about 99% of the time, and that try is
// a pure function of the slot's word. So the first try is made here, inline, with Boost's
// own helper on a one-word engine; only when it is rejected does Boost run, from the start
// on the slot's full engine. The numbers are Boost's to the bit either way, but the common
// case no longer pays for an out-of-line call and the engine's per-word bookkeeping.
struct ZigguratTry {
  double fraction;  // in [0, 1)
  int bucket;       // the low 8 bits of the word
};

inline ZigguratTry ziggurat_first_try(std::uint64_t word) {
  struct OneWord {
    using result_type = std::uint64_t;
    static constexpr result_type min() { return 0; }
    static constexpr result_type max() { return std::numeric_limits<result_type>::max(); }
    result_type word;
    result_type operator()() const { return word; }
  } engine{word};
  const auto [fraction, bucket] = boost::random::detail::generate_int_float_pair<double, 8>(engine);
  return {fraction, bucket};
}

// The rare rejections, kept out of line so that the common case stays small enough to
// inline into the step.
[[gnu::noinline]] inline double boost_normal(const AgentStream& stream, int slot) {
  auto engine = stream.engine(slot);
  return boost::random::normal_distribution<double>()(engine);
}

[[gnu::noinline]] inline double boost_exponential(const AgentStream& stream, int slot) {
  auto engine = stream.engine(slot);
  return boost::random::exponential_distribution<double>()(engine);
}

// The standard normal Boost draws from a slot whose word is `word`, into `x`, when its first
// try is accepted (true); false when Boost would reject it and draw again.
inline bool standard_normal_first_try(std::uint64_t word, double& x) {
  const double* const table_x = boost::random::detail::normal_table<double>::table_x;
  const ZigguratTry first = ziggurat_first_try(word);
  const int i = first.bucket >> 1;
  const double y = first.fraction * table_x[i];
  if (y >= table_x[i + 1]) return false;
  const int sign = (first.bucket & 1) * 2 - 1;
  // Boost returns unit * sigma + mean with sigma 1 and mean 0: adding +0.0 turns a -0.0 into
  // +0.0 exactly as it does.
  x = y * sign + 0.0;
  return true;
}

// The same for the standard exponential: an accepted first try is Boost's 0 + x divided by a
// rate of 1, which is x.
inline bool standard_exponential_first_try(std::uint64_t word, double& x) {
  const double* const table_x = boost::random::detail::exponential_table<double>::table_x;
  const ZigguratTry first = ziggurat_first_try(word);
  x = first.fraction * table_x[first.bucket];
  return x < table_x[first.bucket + 1];
}

// boost::random::normal_distribution<double>()(slot engine), without its cost.
inline double standard_normal(const AgentStream& stream, int slot) {
  double x;
  return standard_normal_first_try(stream.word(slot), x) ? x : boost_normal(stream, slot);
}

// boost::random::exponential_distribution<double>()(slot engine), likewise.
inline double standard_exponential(const AgentStream& stream, int slot) {
  double x;
  return standard_exponential_first_try(stream.word(slot), x) ? x
                                                               : boost_exponential(stream, slot);
}

// The first index whose running sum exceeds `target`; ties and rounding at the top fall on
// the last item with a positive weight.
inline std::uint32_t pick_cumulative(std::span<const double> cumulative, double target) {
  const std::size_t n = cumulative.size();
  if (n <= 16) {
    for (std::size_t i = 0; i < n; ++i) {
      if (target < cumulative[i]) return static_cast<std::uint32_t>(i);
    }
  } else {
    auto it = std::upper_bound(cumulative.begin(), cumulative.end(), target);
    if (it != cumulative.end()) return static_cast<std::uint32_t>(it - cumulative.begin());
  }
  std::size_t last = n - 1;
  while (last > 0 && cumulative[last] == cumulative[last - 1]) --last;
  return static_cast<std::uint32_t>(last);
}

inline double draw_duration(const CompiledJourney& j, std::uint32_t v, const AgentStream& stream) {
  switch (j.duration_kind[v]) {
    case DurationKind::fixed:
      return j.duration_a[v];
    case DurationKind::exponential:
      return j.duration_a[v] * standard_exponential(stream, slot_duration);
    case DurationKind::lognormal:
      return std::exp(j.duration_a[v] + j.duration_b[v] * standard_normal(stream, slot_duration));
  }
  return 0.0;
}

// Step 2.5: u < q. With kappa != 0, q needs an exp only when u falls between the persona's
// bounds for the touchpoint (see PersonaTables::dropout_sure); the decision is the same.
inline bool drops_out(const CompiledJourney& j, const PersonaTables& p, std::uint32_t v,
                      double emotion, double u) {
  if (j.kappa == 0.0) return u < p.dropout_static[v];
  if (u < p.dropout_sure[v]) return true;
  if (u >= p.dropout_never[v]) return false;
  return u < model::dropout_probability(p.dropout_log_odds[v], j.kappa, emotion);
}

// Step 2.6: the next transition, with probability proportional to
// weight x affinity x exp(emotion_bias x e). The exponent is shifted by its maximum, which
// leaves the proportions unchanged and keeps extreme biases from overflowing.
inline std::uint32_t choose_transition(const CompiledJourney& j, const PersonaTables& p,
                                       std::uint32_t v, double emotion, double u,
                                       AgentScratch& scratch) {
  const std::uint32_t begin = j.out_begin[v];
  const std::uint32_t end = j.out_begin[v + 1];
  if (!j.emotion_steers_choice[v]) {
    std::span<const double> cumulative(&p.transition_cumulative[begin], end - begin);
    return begin + pick_cumulative(cumulative, u * cumulative.back());
  }
  // The largest bias x emotion over the transitions of positive weight: the largest bias's
  // when emotion is positive, the smallest's when it is negative. With none of positive
  // weight every term below is 0, whatever the shift.
  const double shift = emotion >= 0.0 ? p.bias_max[v] * emotion : p.bias_min[v] * emotion;
  // exp is the step's largest cost, and transitions often share a bias (most have none), so
  // it is taken once per distinct bias. The same argument gives the same factor, and the
  // largest term's argument is exactly 0, whose exp is exactly 1.
  const std::uint32_t bias_begin = j.bias_begin[v];
  for (std::uint32_t k = bias_begin; k < j.bias_begin[v + 1]; ++k) {
    const double x = j.bias_values[k] * emotion - shift;
    scratch.bias_factors[k - bias_begin] = x == 0.0 ? 1.0 : std::exp(x);
  }
  double total = 0.0;
  for (std::uint32_t e = begin; e < end; ++e) {
    const double w = p.transition_weight[e] > 0.0
                         ? p.transition_weight[e] * scratch.bias_factors[j.bias_group[e]]
                         : 0.0;
    total += w;
    scratch.weights[e - begin] = total;
  }
  std::span<const double> cumulative(scratch.weights.data(), end - begin);
  return begin + pick_cumulative(cumulative, u * total);
}

}  // namespace detail

// One agent between its steps: what a driver holds for it. The block driver keeps it on the
// stack for one agent at a time; a driver of agents in time (queues, a calendar) keeps many,
// and calls take_step when each agent's visit comes.
struct AgentState {
  AgentStream stream;
  AgentOutcome out;
  const PersonaTables* persona = nullptr;
  double emotion = 0.0;
  double peak = 0.0;
  double clock = 0.0;      // hours since the journey started
  std::uint32_t touchpoint = 0;  // where the agent is
  std::uint64_t step = 0;  // touchpoints visited

  AgentState(std::uint64_t seed, std::uint64_t replication, std::uint64_t agent)
      : stream(seed, replication, agent) {}
  explicit AgentState(const AgentStream& journey_stream) : stream(journey_stream) {}
};

// Step 1: persona, initial emotion, entry touchpoint.
template <class Observer>
inline void start_agent(const CompiledJourney& j, AgentState& s, Observer& observer) {
  s.stream.begin_step(0);
  s.out.persona = detail::pick_cumulative(
      j.persona_cumulative, s.stream.uniform(slot_persona) * j.persona_cumulative.back());
  const PersonaTables& p = j.personas[s.out.persona];
  s.persona = &p;
  s.emotion = p.initial_emotion_mean;
  if (p.initial_emotion_sd > 0.0) {
    s.emotion += p.initial_emotion_sd * detail::standard_normal(s.stream, slot_initial_emotion);
  }
  s.touchpoint = p.entry_touchpoints[detail::pick_cumulative(
      p.entry_cumulative, s.stream.uniform(slot_entry) * p.entry_cumulative.back())];
  s.out.entry = s.touchpoint;
  observer.start(s.out.persona);
}

// Whether the agent's entry draw picked an entry a future state removed with its traffic lost
// (kLostEntry, MODEL.md 1.11): the journey is over before its first step.
inline bool entered_lost(const AgentState& s) { return s.touchpoint == kLostEntry; }

// The end of a lost agent's journey: no step, no conversion, no time or cost; its peak and
// final emotion are the emotion it started with.
inline void lose_agent(AgentState& s) {
  s.out.ending = Ending::lost;
  s.peak = s.emotion;
}

// Step 2: one visit of the touchpoint the agent is at, 2.1 to 2.7 in order. Returns false
// when the journey ended there (s.out.ending says how), true when the agent moved on.
// `wait_penalty` lowers the experience's mean (a calendar journey's hours waited times the
// touchpoint's penalty); at 0 the mean is the touchpoint's own, to the bit. With kBlockAhead
// false the stream does not compute the next step's block (AgentStream::next_step_without_ahead):
// the caller computes it before the next step, if there is one.
template <bool kBlockAhead = true, class Observer>
inline bool take_step(const CompiledJourney& j, AgentState& s, AgentScratch& scratch,
                      Observer& observer, double wait_penalty = 0.0) {
  const PersonaTables& p = *s.persona;
  const std::uint32_t v = s.touchpoint;
  if constexpr (kBlockAhead) {
    s.stream.next_step();
  } else {
    s.stream.next_step_without_ahead();
  }
  const std::uint64_t step = ++s.step;
  s.out.steps = static_cast<std::uint32_t>(step);

  // 2.1 Experience, and the peak (the emotion of largest magnitude so far).
  const double z =
      j.emotion_sd[v] > 0.0 ? detail::standard_normal(s.stream, slot_experience) : 0.0;
  s.emotion = model::experience(s.emotion, j.memory, p.sensitivity,
                                j.emotion_mean[v] - wait_penalty, j.emotion_sd[v], z);
  if (step == 1 || std::abs(s.emotion) > std::abs(s.peak)) s.peak = s.emotion;
  observer.visit(v, s.emotion);
  // An observer that records paths may also record when each visit began: the clock before
  // this visit's duration (the fit's goodness of fit times journeys as the data do, by their
  // visits' starts). Observers without the hook cost nothing.
  if constexpr (requires { observer.visit_began(s.clock); }) observer.visit_began(s.clock);

  // 2.2 Time and cost; past the horizon the journey is censored.
  s.clock += detail::draw_duration(j, v, s.stream);
  s.out.cost += j.cost[v];
  if (s.clock > j.horizon_hours) {
    s.out.ending = Ending::censored;
    return false;
  }

  // 2.3 Conversion, once.
  if (j.is_conversion[v] && !s.out.converted) {
    s.out.converted = true;
    s.out.revenue = j.conversion_value[v] * p.value_multiplier;
    s.out.hours_to_convert = s.clock;
    observer.convert(v);
  }

  // 2.4 No way on: completed.
  if (j.is_terminal(v)) {
    s.out.ending = Ending::completed;
    return false;
  }

  // 2.5 Dropout.
  if (detail::drops_out(j, p, v, s.emotion, s.stream.uniform(slot_dropout))) {
    s.out.ending = Ending::dropped;
    return false;
  }

  // 2.6 Next touchpoint; 2.7 the step cap.
  const std::uint32_t t =
      detail::choose_transition(j, p, v, s.emotion, s.stream.uniform(slot_choice), scratch);
  if (static_cast<std::int64_t>(step) >= j.max_steps) {
    s.out.ending = Ending::capped;
    return false;
  }
  observer.transition(t);
  s.touchpoint = j.transition_to[t];
  return true;
}

// Step 3: the journey's advocacy figures, once it has ended.
template <class Observer>
inline const AgentOutcome& finish_agent(AgentState& s, Observer& observer) {
  s.out.last = s.touchpoint;
  s.out.final_emotion = s.emotion;
  s.out.peak_emotion = s.peak;
  s.out.hours = s.clock;
  s.out.peak_end = model::peak_end(s.peak, s.emotion);
  s.out.likelihood_to_recommend = model::likelihood_to_recommend(s.out.peak_end);
  observer.finish(s.out);
  return s.out;
}

// Steps between two looks at the cancellation flag inside one journey: a journey of a
// billion steps still stops within a fraction of a second of Ctrl-C, and the check costs a
// mask and a compare per step.
inline constexpr std::uint64_t kStepsBetweenCancelChecks = std::uint64_t{1} << 20;

// After a step: throws RunCancelled when `cancel` is set, looked at every
// kStepsBetweenCancelChecks steps of the agent's walk.
inline void throw_if_cancelled(const AgentState& s, const std::atomic<bool>* cancel) {
  if ((s.step & (kStepsBetweenCancelChecks - 1)) == 0 && is_cancelled(cancel)) {
    throw RunCancelled();
  }
}

// A whole journey, step after step. Throws RunCancelled when `cancel` is raised while the
// journey is under way (a long one; a short one ends first). `shared`: the agent's step blocks
// shared with its walks in other journeys (a comparison), reset by the caller between agents.
template <class Observer>
AgentOutcome simulate_agent(const CompiledJourney& j, std::uint64_t seed,
                            std::uint64_t replication, std::uint64_t agent,
                            AgentScratch& scratch, Observer& observer,
                            const std::atomic<bool>* cancel = nullptr,
                            SharedStepBlocks* shared = nullptr) {
  AgentState s(seed, replication, agent);
  if (shared != nullptr) s.stream.share_blocks(shared);
  start_agent(j, s, observer);
  if (entered_lost(s)) {
    lose_agent(s);
    return finish_agent(s, observer);
  }
  while (take_step(j, s, scratch, observer)) throw_if_cancelled(s, cancel);
  return finish_agent(s, observer);
}

}  // namespace cjsim
