// Aggregates -> figures with confidence intervals.
#include "sim/engine/summary.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <optional>

namespace cjsim {
namespace {

// Visits every Estimate of a summary in a fixed order, so that the summaries of several
// replications can be combined figure by figure.
template <class F>
void for_each_estimate(HeadlineFigures& h, F&& f) {
  for (const Figure& figure : kHeadlineFigures) f(h.*figure.member);
}

template <class F>
void for_each_estimate(std::vector<StageFigures>& stages, std::vector<TouchpointFigures>& touchpoints,
                       F&& f) {
  for (StageFigures& st : stages) {
    for (const Figure& figure : kFigures) {
      if (figure.stage_member) f(st.*figure.stage_member);
    }
  }
  for (TouchpointFigures& t : touchpoints) {
    for (const Figure& figure : kFigures) {
      if (figure.touchpoint_member) f(t.*figure.touchpoint_member);
    }
  }
}

template <class F>
void for_each_estimate(Summary& s, F&& f) {
  for_each_estimate(s.overall, f);
  for_each_estimate(s.stages, s.touchpoints, f);
  for (TransitionFigures& t : s.transitions) {
    for (const Figure& figure : kFigures) {
      if (figure.transition_member) f(t.*figure.transition_member);
    }
  }
  for (PersonaFigures& p : s.personas) {
    for_each_estimate(p.figures, f);
    for_each_estimate(p.stages, p.touchpoints, f);
  }
}

std::vector<Estimate*> estimates_of(Summary& s) {
  std::vector<Estimate*> out;
  for_each_estimate(s, [&](Estimate& e) { out.push_back(&e); });
  return out;
}

// The mean of a count per agent, with its interval, from the count and the agents. Counts per
// agent are not 0/1, so the interval uses a Poisson-like variance estimate (count itself);
// across replications it is replaced by the t interval anyway.
Estimate rate_per_agent(std::uint64_t count, std::uint64_t agents) {
  if (agents == 0) return wilson_interval(0, 0);
  const double n = static_cast<double>(agents);
  const double mean = static_cast<double>(count) / n;
  const double half = kZ95 * std::sqrt(static_cast<double>(count)) / n;
  return {mean, std::max(0.0, mean - half), mean + half};
}

// An undefined estimate: the figure cannot be computed from what is known.
constexpr Estimate kUnknown = {std::numeric_limits<double>::quiet_NaN(),
                               std::numeric_limits<double>::quiet_NaN(),
                               std::numeric_limits<double>::quiet_NaN()};

// The dropouts `dropped` split into those before and after converting (`after` of them), as
// counts and as rates over `base`; unknown when the split is.
void split_dropouts(bool known, std::uint64_t dropped, std::uint64_t after, std::uint64_t base,
                    std::optional<std::uint64_t>& before_count,
                    std::optional<std::uint64_t>& after_count, Estimate& before_rate,
                    Estimate& after_rate) {
  if (!known) {
    before_count.reset();
    after_count.reset();
    before_rate = after_rate = kUnknown;
    return;
  }
  before_count = dropped - after;
  after_count = after;
  before_rate = wilson_interval(dropped - after, base);
  after_rate = wilson_interval(after, base);
}

// Stage and touchpoint figures of a group of `agents` agents from their tallies.
void tally_figures(const CompiledJourney& j, const TouchpointTallies& a, std::uint64_t agents,
                   std::vector<StageFigures>& stages, std::vector<TouchpointFigures>& touchpoints) {
  stages.assign(j.stage_count(), {});
  std::vector<BoundedSum> stage_emotion(j.stage_count()), stage_emotion_sq(j.stage_count());
  std::vector<std::uint64_t> stage_after(j.stage_count(), 0);
  for (std::size_t v = 0; v < j.touchpoint_count(); ++v) {
    StageFigures& st = stages[j.stage_of[v]];
    st.visits += a.visits[v];
    st.dropouts += a.dropouts[v];
    if (a.split_known) stage_after[j.stage_of[v]] += a.dropouts_after_converting[v];
    stage_emotion[j.stage_of[v]].merge(a.emotion[v]);
    stage_emotion_sq[j.stage_of[v]].merge(a.emotion_sq[v]);
  }
  for (std::size_t k = 0; k < j.stage_count(); ++k) {
    StageFigures& st = stages[k];
    st.name = j.stages[k];
    st.reach = a.stage_reach[k];
    st.reach_rate = wilson_interval(st.reach, agents);
    st.dropout_rate = wilson_interval(st.dropouts, st.reach);
    split_dropouts(a.split_known, st.dropouts, stage_after[k], st.reach,
                   st.dropouts_before_converting, st.dropouts_after_converting,
                   st.dropout_before_converting_rate, st.dropout_after_converting_rate);
    st.mean_emotion =
        mean_interval(stage_emotion[k].value(), stage_emotion_sq[k].value(), st.visits);
  }

  touchpoints.clear();
  for (std::size_t v = 0; v < j.touchpoint_count(); ++v) {
    TouchpointFigures t;
    t.id = j.touchpoint_ids[v];
    t.name = j.touchpoint_names[v];
    t.stage = j.stages[j.stage_of[v]];
    t.channel = j.channels[j.channel_of[v]];
    t.visits = a.visits[v];
    t.dropouts = a.dropouts[v];
    t.completions = a.completions[v];
    t.conversions = a.conversions[v];
    t.visits_per_agent = rate_per_agent(t.visits, agents);
    t.dropout_rate = wilson_interval(t.dropouts, t.visits);
    split_dropouts(a.split_known, t.dropouts, a.split_known ? a.dropouts_after_converting[v] : 0,
                   t.visits, t.dropouts_before_converting, t.dropouts_after_converting,
                   t.dropout_before_converting_rate, t.dropout_after_converting_rate);
    t.mean_emotion = mean_interval(a.emotion[v].value(), a.emotion_sq[v].value(), t.visits);
    touchpoints.push_back(std::move(t));
  }
}

// The exact sums a headline figure is computed from.
struct SumsOfFigure {
  std::string_view figure;
  std::string_view words;  // "each agent's cost", for the note
  std::array<ExactSum OutcomeSums::*, 3> sums;
};
constexpr SumsOfFigure kSumsOfFigures[] = {
    {"revenue_per_agent", "each agent's revenue",
     {&OutcomeSums::revenue, &OutcomeSums::revenue_sq, nullptr}},
    {"cost_per_agent", "each agent's cost",
     {&OutcomeSums::cost, &OutcomeSums::cost_sq, nullptr}},
    {"margin_per_agent", "each agent's margin",
     {&OutcomeSums::revenue, &OutcomeSums::cost, &OutcomeSums::margin_sq}},
    {"hours_to_convert", "each customer's hours to convert",
     {&OutcomeSums::hours_to_convert, &OutcomeSums::hours_to_convert_sq, nullptr}},
    {"journey_hours", "each agent's journey hours",
     {&OutcomeSums::hours, &OutcomeSums::hours_sq, nullptr}},
    {"nps", "", {nullptr, nullptr, nullptr}},
    {"likelihood_to_recommend", "each customer's likelihood to recommend",
     {&OutcomeSums::score, &OutcomeSums::score_sq, nullptr}},
    {"peak_end", "each agent's peak-end emotion",
     {&OutcomeSums::peak_end, &OutcomeSums::peak_end_sq, nullptr}},
};

Summary summarize_one(const CompiledJourney& j, const Aggregate& a) {
  Summary s;
  s.scenario = j.name;
  const OutcomeSums total = a.overall();
  s.overall = headline_figures(total);
  const std::uint64_t agents = total.agents;
  tally_figures(j, a.tallies(), agents, s.stages, s.touchpoints);

  for (std::size_t e = 0; e < j.transition_count(); ++e) {
    TransitionFigures t;
    t.from = j.touchpoint_ids[j.transition_from[e]];
    t.to = j.touchpoint_ids[j.transition_to[e]];
    t.count = a.transitions[e];
    t.per_agent = rate_per_agent(t.count, agents);
    s.transitions.push_back(std::move(t));
  }

  for (std::size_t p = 0; p < j.persona_count(); ++p) {
    PersonaFigures figures;
    figures.id = j.personas[p].id;
    figures.share = j.personas[p].share;
    figures.figures = headline_figures(a.personas[p]);
    tally_figures(j, a.persona_tallies[p], a.personas[p].agents, figures.stages,
                  figures.touchpoints);
    s.personas.push_back(std::move(figures));
  }
  s.score_customers = a.score_customers;
  s.score_all = a.score_all;
  s.path_length = a.path_length;
  return s;
}

}  // namespace

HeadlineFigures headline_figures(const OutcomeSums& t) {
  HeadlineFigures h;
  h.agents = t.agents;
  h.steps = t.steps;
  h.conversions = t.conversions;
  h.ended = t.ended;
  h.lost = t.lost;
  h.promoters = t.promoters;
  h.detractors = t.detractors;
  h.conversion_rate = wilson_interval(t.conversions, t.agents);
  h.revenue_per_agent = mean_interval(t.revenue.value(), t.revenue_sq.value(), t.agents);
  h.cost_per_agent = mean_interval(t.cost.value(), t.cost_sq.value(), t.agents);
  h.margin_per_agent =
      mean_interval(t.revenue.value() - t.cost.value(), t.margin_sq.value(), t.agents);
  h.hours_to_convert =
      mean_interval(t.hours_to_convert.value(), t.hours_to_convert_sq.value(), t.conversions);
  h.journey_hours = mean_interval(t.hours.value(), t.hours_sq.value(), t.agents);
  h.steps_per_agent = rate_per_agent(t.steps, t.agents);
  h.nps = nps_interval(t.promoters, t.detractors, t.conversions);
  h.likelihood_to_recommend = mean_interval(t.score.value(), t.score_sq.value(), t.conversions);
  h.peak_end = mean_interval(t.peak_end.value(), t.peak_end_sq.value(), t.agents);
  split_dropouts(t.split_known, t.ended[static_cast<int>(Ending::dropped)], t.left_after_converting,
                 t.agents, h.gave_up, h.left_after_converting, h.gave_up_rate,
                 h.left_after_converting_rate);
  return h;
}

std::string why_undefined(std::string_view name, const OutcomeSums& t) {
  if (t.agents == 0) return "no agents were simulated";
  if ((name == "gave_up_rate" || name == "left_after_converting_rate") && !t.split_known) {
    return "the results were stored by an older cjsim, which did not count whether a journey "
           "that dropped out had converted, and the journey does not decide it";
  }
  const Figure* over = find_figure(name);
  if (over && over->over == Over::customers && t.conversions == 0) return "no agent converted";
  for (const SumsOfFigure& f : kSumsOfFigures) {
    if (f.figure != name) continue;
    for (ExactSum OutcomeSums::*sum : f.sums) {
      if (sum == nullptr || !(t.*sum).invalid()) continue;
      return fmt::format(
          "a sum over the agents of {} (or of its square) left the range of exact sums "
          "(+-1.7e38); smaller amounts or durations, shorter journeys or fewer agents keep it "
          "in range",
          f.words);
    }
  }
  return "";
}

std::vector<std::string> undefined_figure_notes(const HeadlineFigures& h, const OutcomeSums& t) {
  std::vector<std::string> notes;
  for (const Figure& figure : kHeadlineFigures) {
    const Estimate& e = h.*figure.member;
    const bool value_defined = std::isfinite(e.value);
    if (value_defined && std::isfinite(e.low) && std::isfinite(e.high)) continue;
    const std::string reason = why_undefined(figure.name, t);
    if (reason.empty()) continue;
    notes.push_back(fmt::format("{}{} is n/a: {}", figure.name,
                                value_defined ? "'s interval" : "", reason));
  }
  return notes;
}

std::string emotionless_note(const CompiledJourney& journey) {
  const auto zero = [](double x) { return x == 0.0; };
  const bool touchpoints = std::ranges::all_of(journey.emotion_mean, zero) &&
                           std::ranges::all_of(journey.emotion_sd, zero);
  const bool personas = std::ranges::all_of(journey.personas, [](const PersonaTables& p) {
    return p.initial_emotion_mean == 0.0 && p.initial_emotion_sd == 0.0;
  });
  if (!touchpoints || !personas) return "";
  const double likelihood = 5.0;  // likelihood_to_recommend of a peak-end of 0 (MODEL.md 1.5)
  const char* as = likelihood >= journey.promoter_threshold    ? "a promoter"
                   : likelihood < journey.detractor_threshold ? "a detractor"
                                                               : "a passive";
  return fmt::format(
      "NPS, likelihood to recommend and peak-end emotion say nothing of this journey: no "
      "touchpoint leaves any emotion and every persona starts at 0, so every customer scores 5, "
      "{}. A journey fitted from paths alone is like this: fit it on a skeleton with emotion "
      "(cjsim fit --skeleton), or give its touchpoints their emotion, to measure them.",
      as);
}

HeadlineFigures summarize_overall(const CompiledJourney& journey,
                                  std::span<const Aggregate> replications) {
  // Pooled in summarize's order: each persona's sums over the replications (as
  // Aggregate::merge adds them), then over the personas (as Aggregate::overall does).
  std::vector<OutcomeSums> personas(journey.persona_count());
  for (const Aggregate& a : replications) {
    if (personas.size() < a.personas.size()) personas.resize(a.personas.size());
    for (std::size_t p = 0; p < a.personas.size(); ++p) personas[p].merge(a.personas[p]);
  }
  OutcomeSums pooled;
  for (const OutcomeSums& p : personas) pooled.merge(p);
  HeadlineFigures overall = headline_figures(pooled);
  if (replications.size() <= 1) return overall;
  // Each replication's figures as summarize_one makes them (from the replication's overall
  // sums), and every estimate then from their values.
  std::vector<HeadlineFigures> each;
  for (const Aggregate& a : replications) each.push_back(headline_figures(a.overall()));
  std::vector<Estimate*> target;
  for_each_estimate(overall, [&](Estimate& e) { target.push_back(&e); });
  std::vector<std::vector<Estimate*>> sources(each.size());
  for (std::size_t r = 0; r < each.size(); ++r) {
    for_each_estimate(each[r], [&](Estimate& e) { sources[r].push_back(&e); });
  }
  std::vector<double> values(replications.size());
  for (std::size_t k = 0; k < target.size(); ++k) {
    for (std::size_t r = 0; r < sources.size(); ++r) values[r] = sources[r][k]->value;
    *target[k] = replication_interval(values);
  }
  return overall;
}

Summary summarize(const CompiledJourney& journey, std::span<const Aggregate> replications) {
  Aggregate pooled = Aggregate::for_journey(journey);
  for (const Aggregate& a : replications) pooled.merge(a);
  Summary s = summarize_one(journey, pooled);
  s.replications = static_cast<std::uint32_t>(replications.size());
  s.agents_per_replication =
      replications.empty() ? 0 : replications.front().overall().agents;
  const OutcomeSums pooled_sums = pooled.overall();
  if (replications.size() <= 1) {
    s.interval_method =
        "95% intervals from the agents: Wilson for rates, normal approximation for means";
    s.notes = undefined_figure_notes(s.overall, pooled_sums);
    if (std::string note = emotionless_note(journey); !note.empty()) s.notes.push_back(note);
    return s;
  }
  s.interval_method = "95% intervals across " + std::to_string(replications.size()) +
                      " replications: mean of the replications, Student t";
  std::vector<Summary> each;
  for (const Aggregate& a : replications) each.push_back(summarize_one(journey, a));
  std::vector<Estimate*> target = estimates_of(s);
  std::vector<std::vector<Estimate*>> sources;
  for (Summary& r : each) sources.push_back(estimates_of(r));
  std::vector<double> values(replications.size());
  for (std::size_t k = 0; k < target.size(); ++k) {
    for (std::size_t r = 0; r < sources.size(); ++r) values[r] = sources[r][k]->value;
    *target[k] = replication_interval(values);
  }
  s.notes = undefined_figure_notes(s.overall, pooled_sums);
  if (std::string note = emotionless_note(journey); !note.empty()) s.notes.push_back(note);
  return s;
}

}  // namespace cjsim
