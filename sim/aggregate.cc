// Accumulating and merging aggregates.
#include "sim/aggregate.h"

#include <algorithm>
#include <cmath>

namespace cjsim {

int score_bin(double likelihood_to_recommend) {
  const int bin = static_cast<int>(std::floor(likelihood_to_recommend * 2.0));
  return std::clamp(bin, 0, kScoreBins - 1);
}

void OutcomeSums::add(const AgentOutcome& o, double promoter_threshold,
                      double detractor_threshold) {
  ++agents;
  steps += o.steps;
  ++ended[static_cast<int>(o.ending)];
  revenue.add(o.revenue);
  revenue_sq.add(o.revenue * o.revenue);
  cost.add(o.cost);
  cost_sq.add(o.cost * o.cost);
  const double margin = o.revenue - o.cost;
  margin_sq.add(margin * margin);
  hours.add(o.hours);
  hours_sq.add(o.hours * o.hours);
  peak_end.add(o.peak_end);
  peak_end_sq.add(o.peak_end * o.peak_end);
  if (!o.converted) return;
  ++conversions;
  hours_to_convert.add(o.hours_to_convert);
  hours_to_convert_sq.add(o.hours_to_convert * o.hours_to_convert);
  score.add(o.likelihood_to_recommend);
  score_sq.add(o.likelihood_to_recommend * o.likelihood_to_recommend);
  if (o.likelihood_to_recommend >= promoter_threshold) ++promoters;
  if (o.likelihood_to_recommend < detractor_threshold) ++detractors;
}

void OutcomeSums::merge(const OutcomeSums& o) {
  agents += o.agents;
  steps += o.steps;
  conversions += o.conversions;
  for (int k = 0; k < kEndingCount; ++k) ended[k] += o.ended[k];
  promoters += o.promoters;
  detractors += o.detractors;
  for (auto [mine, theirs] : {std::pair{&revenue, &o.revenue}, {&revenue_sq, &o.revenue_sq},
                              {&cost, &o.cost}, {&cost_sq, &o.cost_sq},
                              {&margin_sq, &o.margin_sq}, {&hours, &o.hours},
                              {&hours_sq, &o.hours_sq}, {&hours_to_convert, &o.hours_to_convert},
                              {&hours_to_convert_sq, &o.hours_to_convert_sq},
                              {&score, &o.score}, {&score_sq, &o.score_sq},
                              {&peak_end, &o.peak_end}, {&peak_end_sq, &o.peak_end_sq}}) {
    mine->merge(*theirs);
  }
}

TouchpointTallies TouchpointTallies::sized(std::size_t touchpoints, std::size_t stages) {
  TouchpointTallies t;
  t.visits.assign(touchpoints, 0);
  t.dropouts.assign(touchpoints, 0);
  t.completions.assign(touchpoints, 0);
  t.conversions.assign(touchpoints, 0);
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

void AggregateRecorder::finish(const AgentOutcome& outcome) {
  into_.personas[outcome.persona].add(outcome, journey_.promoter_threshold,
                                      journey_.detractor_threshold);
  if (outcome.ending == Ending::dropped) ++tallies_->dropouts[outcome.last];
  if (outcome.ending == Ending::completed) ++tallies_->completions[outcome.last];
  for (std::uint64_t seen = stages_seen_; seen != 0; seen &= seen - 1) {
    ++tallies_->stage_reach[static_cast<std::size_t>(__builtin_ctzll(seen))];
  }
  const int bin = score_bin(outcome.likelihood_to_recommend);
  ++into_.score_all[bin];
  if (outcome.converted) ++into_.score_customers[bin];
  const std::uint32_t length = std::min<std::uint32_t>(outcome.steps, kPathLengthBins);
  ++into_.path_length[length == 0 ? 0 : length - 1];
}

}  // namespace cjsim
