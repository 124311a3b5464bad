// Accumulating and merging aggregates.
#include "sim/engine/aggregate.h"

#include <algorithm>
#include <cmath>

namespace cjsim {

int score_bin(double likelihood_to_recommend) {
  const int bin = static_cast<int>(std::floor(likelihood_to_recommend * 2.0));
  return std::clamp(bin, 0, kScoreBins - 1);
}

void OutcomeSums::add_counts(const AgentOutcome& o, double promoter_threshold,
                             double detractor_threshold) {
  ++agents;
  steps += o.steps;
  if (o.ending == Ending::abandoned) {
    ++abandoned;
  } else if (o.ending == Ending::lost) {
    ++lost;
  } else {
    ++ended[static_cast<int>(o.ending)];
  }
  if (!o.converted) return;
  if (o.ending == Ending::dropped) ++left_after_converting;
  ++conversions;
  if (o.likelihood_to_recommend >= promoter_threshold) ++promoters;
  if (o.likelihood_to_recommend < detractor_threshold) ++detractors;
}

std::array<ExactSum*, OutcomeSums::kExactSums> OutcomeSums::exact_sums() {
  return {&cost,    &cost_sq,    &margin_sq,        &hours,
          &hours_sq, &peak_end,  &peak_end_sq,      &revenue,
          &revenue_sq, &hours_to_convert, &hours_to_convert_sq, &score, &score_sq};
}

static_assert(OutcomeSums::kFirstMoments[0] == 0 && OutcomeSums::kFirstMoments[1] == 3 &&
                  OutcomeSums::kFirstMoments[2] == 5 && OutcomeSums::kFirstMoments[3] == 7 &&
                  OutcomeSums::kFirstMoments[4] == 9 && OutcomeSums::kFirstMoments[5] == 11,
              "kFirstMoments names cost, hours, peak_end, revenue, hours_to_convert and score "
              "in exact_sums()");
static_assert(OutcomeSums::kFirstMoments[OutcomeSums::kAgentFirstMoments - 1] <
                      OutcomeSums::kAgentSums &&
                  OutcomeSums::kFirstMoments[OutcomeSums::kAgentFirstMoments] >=
                      OutcomeSums::kAgentSums,
              "the agents' first moments come before the customers'");

std::array<double, OutcomeSums::kExactSums> OutcomeSums::terms(const AgentOutcome& o) {
  const double margin = o.revenue - o.cost;
  const double to_convert = o.converted ? o.hours_to_convert : 0.0;
  const double score = o.converted ? o.likelihood_to_recommend : 0.0;
  const double revenue = o.converted ? o.revenue : 0.0;
  return {o.cost,   o.cost * o.cost, margin * margin,         o.hours,
          o.hours * o.hours, o.peak_end, o.peak_end * o.peak_end, revenue,
          revenue * revenue, to_convert, to_convert * to_convert, score, score * score};
}

void OutcomeSums::add(const AgentOutcome& o, double promoter_threshold,
                      double detractor_threshold) {
  add_counts(o, promoter_threshold, detractor_threshold);
  const std::array<double, kExactSums> t = terms(o);
  const std::array<ExactSum*, kExactSums> sums = exact_sums();
  for (int k = 0; k < kExactSums; ++k) sums[k]->add(t[k]);
}

void OutcomeSums::merge(const OutcomeSums& o) {
  agents += o.agents;
  steps += o.steps;
  conversions += o.conversions;
  for (int k = 0; k < kEndingCount; ++k) ended[k] += o.ended[k];
  abandoned += o.abandoned;
  lost += o.lost;
  left_after_converting += o.left_after_converting;
  split_known = split_known && o.split_known;
  promoters += o.promoters;
  detractors += o.detractors;
  const std::array<ExactSum*, kExactSums> mine = exact_sums();
  const std::array<ExactSum*, kExactSums> theirs = const_cast<OutcomeSums&>(o).exact_sums();
  for (int k = 0; k < kExactSums; ++k) mine[k]->merge(*theirs[k]);
}

TouchpointTallies TouchpointTallies::sized(std::size_t touchpoints, std::size_t stages) {
  TouchpointTallies t;
  t.visits.assign(touchpoints, 0);
  t.dropouts.assign(touchpoints, 0);
  t.completions.assign(touchpoints, 0);
  t.conversions.assign(touchpoints, 0);
  t.dropouts_after_converting.assign(touchpoints, 0);
  t.emotion.assign(touchpoints, {});
  t.emotion_sq.assign(touchpoints, {});
  t.stage_reach.assign(stages, 0);
  return t;
}

Aggregate Aggregate::for_journey(const CompiledJourney& journey) {
  Aggregate a;
  a.personas.resize(journey.persona_count());
  a.persona_tallies.assign(
      journey.persona_count(),
      TouchpointTallies::sized(journey.touchpoint_count(), journey.stage_count()));
  a.transitions.assign(journey.transition_count(), 0);
  return a;
}

bool Aggregate::split_known() const {
  for (const OutcomeSums& p : personas) {
    if (!p.split_known) return false;
  }
  for (const TouchpointTallies& t : persona_tallies) {
    if (!t.split_known) return false;
  }
  return true;
}

namespace {

// Which touchpoints the walk can reach from `from` (marked 1), along transitions, not going on
// from a touchpoint where `stop` is 1.
std::vector<std::uint8_t> reachable(const CompiledJourney& j, std::vector<std::uint32_t> from,
                                    const std::vector<std::uint8_t>& stop) {
  std::vector<std::uint8_t> seen(j.touchpoint_count(), 0);
  for (std::uint32_t v : from) seen[v] = 1;
  while (!from.empty()) {
    const std::uint32_t v = from.back();
    from.pop_back();
    if (stop[v]) continue;
    for (std::uint32_t e = j.out_begin[v]; e < j.out_begin[v + 1]; ++e) {
      const std::uint32_t w = j.transition_to[e];
      if (seen[w]) continue;
      seen[w] = 1;
      from.push_back(w);
    }
  }
  return seen;
}

}  // namespace

void fill_split_from_journey(const CompiledJourney& j, Aggregate& a) {
  if (a.split_known()) return;
  const std::size_t n = j.touchpoint_count();
  std::vector<std::uint32_t> entries, conversions;
  for (std::uint32_t v = 0; v < n; ++v) {
    if (j.is_conversion[v]) conversions.push_back(v);
  }
  // Where any persona starts: its own entry weights may differ from the journey's (MODEL.md
  // 1.12). A journey whose personas have none starts where its entry weights say.
  std::vector<std::uint8_t> entry(n, 0);
  for (const PersonaTables& p : j.personas) {
    for (const std::uint32_t v : p.entry_touchpoints) {
      if (v != kLostEntry) entry[v] = 1;
    }
  }
  for (std::uint32_t v = 0; v < n; ++v) {
    if (entry[v] || j.entry_weight[v] > 0) entries.push_back(v);
  }
  // Reached by an agent that has not converted: from the entries, not on past a conversion
  // (which converts the agent at step 3, before its dropout at step 5).
  const std::vector<std::uint8_t> before = reachable(j, entries, j.is_conversion);
  const std::vector<std::uint8_t> after =
      reachable(j, conversions, std::vector<std::uint8_t>(n, 0));
  // Where the journey does not decide the split, no dropout may have happened.
  for (const TouchpointTallies& t : a.persona_tallies) {
    for (std::size_t v = 0; v < n; ++v) {
      const bool can_give_up = before[v] && !j.is_conversion[v];
      if (t.dropouts[v] != 0 && after[v] && can_give_up) return;
    }
  }
  for (std::size_t p = 0; p < a.persona_tallies.size(); ++p) {
    TouchpointTallies& t = a.persona_tallies[p];
    t.dropouts_after_converting.assign(n, 0);
    std::uint64_t left = 0;
    for (std::size_t v = 0; v < n; ++v) {
      if (!after[v]) continue;
      t.dropouts_after_converting[v] = t.dropouts[v];
      left += t.dropouts[v];
    }
    a.personas[p].left_after_converting = left;
  }
  for (OutcomeSums& p : a.personas) p.split_known = true;
  for (TouchpointTallies& t : a.persona_tallies) t.split_known = true;
}

OutcomeSums Aggregate::overall() const {
  OutcomeSums total;
  for (const OutcomeSums& p : personas) total.merge(p);
  return total;
}

TouchpointTallies Aggregate::tallies() const {
  TouchpointTallies total;
  for (const TouchpointTallies& p : persona_tallies) total.merge(p);
  return total;
}

namespace {

template <class T>
void add_elementwise(std::vector<T>& into, const std::vector<T>& from) {
  if (into.size() < from.size()) into.resize(from.size());
  for (std::size_t i = 0; i < from.size(); ++i) into[i] += from[i];
}

template <class T>
void merge_elementwise(std::vector<T>& into, const std::vector<T>& from) {
  if (into.size() < from.size()) into.resize(from.size());
  for (std::size_t i = 0; i < from.size(); ++i) into[i].merge(from[i]);
}

template <class T, std::size_t N>
void add_elementwise(std::array<T, N>& into, const std::array<T, N>& from) {
  for (std::size_t i = 0; i < N; ++i) into[i] += from[i];
}

}  // namespace

void TouchpointTallies::merge(const TouchpointTallies& o) {
  add_elementwise(visits, o.visits);
  add_elementwise(dropouts, o.dropouts);
  add_elementwise(completions, o.completions);
  add_elementwise(conversions, o.conversions);
  add_elementwise(dropouts_after_converting, o.dropouts_after_converting);
  split_known = split_known && o.split_known;
  merge_elementwise(emotion, o.emotion);
  merge_elementwise(emotion_sq, o.emotion_sq);
  add_elementwise(stage_reach, o.stage_reach);
}

void Aggregate::merge(const Aggregate& o) {
  merge_elementwise(personas, o.personas);
  merge_elementwise(persona_tallies, o.persona_tallies);
  add_elementwise(transitions, o.transitions);
  add_elementwise(score_customers, o.score_customers);
  add_elementwise(score_all, o.score_all);
  add_elementwise(path_length, o.path_length);
}

void StagedOutcomeSums::add(const AgentOutcome& outcome) {
  const std::array<double, OutcomeSums::kExactSums> terms = OutcomeSums::terms(outcome);
  // Most agents do not convert, and their customers-only terms are 0: one test skips them.
  // Each sum takes at most one term per agent, so the agents count the terms for all of them.
  for (int k = 0; k < OutcomeSums::kAgentSums; ++k) staged_[k].add_unfolded(terms[k]);
  if (outcome.converted) {
    for (int k = OutcomeSums::kAgentSums; k < OutcomeSums::kExactSums; ++k) {
      staged_[k].add_unfolded(terms[k]);
    }
  }
  if (++agents_ == DeferredExactSum::kFoldEvery) {
    agents_ = 0;
    for (DeferredExactSum& sum : staged_) sum.fold();
  }
}

void StagedOutcomeSums::move_first_moments_into(OutcomeSums& sums, OutcomeSums& also) {
  const std::array<ExactSum*, OutcomeSums::kExactSums> into = sums.exact_sums();
  const std::array<ExactSum*, OutcomeSums::kExactSums> other = also.exact_sums();
  for (const int k : OutcomeSums::kFirstMoments) {
    const ExactSum part = staged_[k].take();
    into[k]->merge(part);
    other[k]->merge(part);
  }
}

void StagedOutcomeSums::move_into(OutcomeSums& sums) {
  agents_ = 0;
  const std::array<ExactSum*, OutcomeSums::kExactSums> into = sums.exact_sums();
  for (int k = 0; k < OutcomeSums::kExactSums; ++k) into[k]->merge(staged_[k].take());
}

void AggregateRecorder::flush() {
  for (std::size_t p = 0; p < staged_.size(); ++p) staged_[p].move_into(into_.personas[p]);
}

void AggregateRecorder::flush_first_moments(OutcomeSums& group) {
  for (std::size_t p = 0; p < staged_.size(); ++p) {
    staged_[p].move_first_moments_into(into_.personas[p], group);
  }
}

void AggregateRecorder::finish(const AgentOutcome& outcome) {
  into_.personas[outcome.persona].add_counts(outcome, journey_.promoter_threshold,
                                             journey_.detractor_threshold);
  staged_[outcome.persona].add(outcome);
  if (outcome.ending == Ending::dropped) {
    ++tallies_->dropouts[outcome.last];
    if (outcome.converted) ++tallies_->dropouts_after_converting[outcome.last];
  }
  if (outcome.ending == Ending::completed) ++tallies_->completions[outcome.last];
  for (std::uint64_t seen = stages_seen_; seen != 0; seen &= seen - 1) {
    ++tallies_->stage_reach[static_cast<std::size_t>(__builtin_ctzll(seen))];
  }
  const int bin = score_bin(outcome.likelihood_to_recommend);
  ++into_.score_all[bin];
  if (outcome.converted) ++into_.score_customers[bin];
  if (outcome.ending == Ending::lost) return;  // no path to count
  const std::uint32_t length = std::min<std::uint32_t>(outcome.steps, kPathLengthBins);
  ++into_.path_length[length == 0 ? 0 : length - 1];
}

}  // namespace cjsim
