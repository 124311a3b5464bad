// The figures a run reports, with their 95% confidence intervals, computed from aggregates:
// across replications (Student t) when there are several, else from the agents. Reports in
// every format (text, JSON, HDF5, HTML) print a Summary; none computes figures itself.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sim/engine/aggregate.h"
#include "sim/engine/figures.h"
#include "sim/engine/statistics.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {

struct PersonaFigures {
  std::string id;
  double share = 0.0;  // as configured, normalised
  HeadlineFigures figures;
  // The stage and touchpoint figures of this persona's agents alone (rates over them): the
  // persona's own emotion curve and funnel.
  std::vector<StageFigures> stages;
  std::vector<TouchpointFigures> touchpoints;
};

struct Summary {
  std::string scenario;
  std::uint64_t agents_per_replication = 0;
  std::uint32_t replications = 0;
  std::string interval_method;  // how the intervals were computed, for people
  HeadlineFigures overall;
  std::vector<StageFigures> stages;
  std::vector<TouchpointFigures> touchpoints;
  std::vector<TransitionFigures> transitions;
  std::vector<PersonaFigures> personas;
  std::array<std::uint64_t, kScoreBins> score_customers{};
  std::array<std::uint64_t, kScoreBins> score_all{};
  std::array<std::uint64_t, kPathLengthBins> path_length{};
  // Why a headline figure, or its interval, is n/a, or why it says nothing of this journey
  // (emotionless_note): one sentence each, naming the figure.
  std::vector<std::string> notes;
};

// Requires at least one replication, all of the same journey.
Summary summarize(const CompiledJourney& journey, std::span<const Aggregate> replications);

// summarize(journey, replications).overall, to the bit, without the stage, touchpoint,
// transition and persona tables: what a sweep keeps of each of its points.
HeadlineFigures summarize_overall(const CompiledJourney& journey,
                                  std::span<const Aggregate> replications);

HeadlineFigures headline_figures(const OutcomeSums& sums);

// Why the headline figure `name` (a kHeadlineFigures name, sim/engine/figures.h) of these sums is
// undefined, or "" when nothing is in the way: no agents, no customers, or a sum that left its
// exact range.
std::string why_undefined(std::string_view name, const OutcomeSums& sums);

// The note a journey in which no one ever feels anything gets ("" when some touchpoint or
// persona carries emotion): its NPS, likelihood to recommend and peak-end are then fixed by the
// thresholds (every customer scores 5, a detractor at the default 7), and say nothing of it. A
// journey fitted from paths alone is one. summarize() adds it to the notes.
std::string emotionless_note(const CompiledJourney& journey);

// A sentence for each figure of `figures` that is n/a, or whose interval is, with the reason.
std::vector<std::string> undefined_figure_notes(const HeadlineFigures& figures,
                                                const OutcomeSums& sums);

}  // namespace cjsim
