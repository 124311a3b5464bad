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
#include "sim/engine/statistics.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {

struct HeadlineFigures {
  std::uint64_t agents = 0;
  std::uint64_t steps = 0;  // touchpoint visits summed over agents
  std::uint64_t conversions = 0;
  std::array<std::uint64_t, kEndingCount> ended{};
  std::uint64_t promoters = 0;
  std::uint64_t detractors = 0;
  Estimate conversion_rate;
  Estimate revenue_per_agent;
  Estimate cost_per_agent;
  Estimate margin_per_agent;
  Estimate hours_to_convert;  // among customers
  Estimate journey_hours;
  Estimate steps_per_agent;
  Estimate nps;                      // points, among customers
  Estimate likelihood_to_recommend;  // 0-10, among customers
  Estimate peak_end;                 // all agents
};

// The headline figures by name, in the order every report lists them; the names are the keys
// of `cjsim run --json` and the metric names of the HDF5 tables.
struct NamedFigure {
  const char* name;
  Estimate HeadlineFigures::*member;
};
inline constexpr std::array<NamedFigure, 10> kHeadlineFigures = {{
    {"conversion_rate", &HeadlineFigures::conversion_rate},
    {"revenue_per_agent", &HeadlineFigures::revenue_per_agent},
    {"cost_per_agent", &HeadlineFigures::cost_per_agent},
    {"margin_per_agent", &HeadlineFigures::margin_per_agent},
    {"hours_to_convert", &HeadlineFigures::hours_to_convert},
    {"journey_hours", &HeadlineFigures::journey_hours},
    {"steps_per_agent", &HeadlineFigures::steps_per_agent},
    {"nps", &HeadlineFigures::nps},
    {"likelihood_to_recommend", &HeadlineFigures::likelihood_to_recommend},
    {"peak_end", &HeadlineFigures::peak_end},
}};

struct TouchpointFigures {
  std::string id, name, stage, channel;
  std::uint64_t visits = 0, dropouts = 0, completions = 0, conversions = 0;
  Estimate visits_per_agent;
  Estimate dropout_rate;  // dropouts per visit
  Estimate mean_emotion;  // after the experience, over visits
};

struct TransitionFigures {
  std::string from, to;
  std::uint64_t count = 0;
  Estimate per_agent;
};

struct StageFigures {
  std::string name;
  std::uint64_t reach = 0;  // agents that visited the stage
  std::uint64_t visits = 0, dropouts = 0;
  Estimate reach_rate;    // share of all agents
  Estimate dropout_rate;  // share of those reaching the stage who gave up in it
  Estimate mean_emotion;  // over visits: the journey map's emotion curve
};

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
  // Why a headline figure, or its interval, is n/a: one sentence each, naming the figure.
  std::vector<std::string> notes;
};

// Requires at least one replication, all of the same journey.
Summary summarize(const CompiledJourney& journey, std::span<const Aggregate> replications);

HeadlineFigures headline_figures(const OutcomeSums& sums);

// Why the headline figure `name` (a kHeadlineFigures name) of these sums is undefined, or ""
// when nothing is in the way: no agents, no customers, or a sum that left its exact range.
std::string why_undefined(std::string_view name, const OutcomeSums& sums);

// A sentence for each figure of `figures` that is n/a, or whose interval is, with the reason.
std::vector<std::string> undefined_figure_notes(const HeadlineFigures& figures,
                                                const OutcomeSums& sums);

}  // namespace cjsim
