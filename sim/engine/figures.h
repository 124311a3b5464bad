// Every figure cjsim reports, defined once: the structs a summary holds them in, and the table
// that names each (its JSON and HDF5 key), labels it for people, gives its unit, which way is
// better, what it is a share or a mean over, and how a comparison pairs it. The summary,
// comparisons, every report (text, JSON, HDF5, Markdown, CSV, HTML) and the command line read
// this table: adding a figure touches it, the code that computes the figure, and its tests.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sim/engine/statistics.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/outcome.h"

namespace cjsim {

// The figures of all agents, or of one persona's agents.
struct HeadlineFigures {
  std::uint64_t agents = 0;
  std::uint64_t steps = 0;  // touchpoint visits summed over agents
  std::uint64_t conversions = 0;
  std::array<std::uint64_t, kEndingCount> ended{};
  // Agents lost at their entry (Ending::lost, MODEL.md 1.11); 0 unless a future state removed an
  // entry with its traffic lost. Reports show it only when it is not 0.
  std::uint64_t lost = 0;
  // The journeys that ended dropped (ended[dropped]), split by whether the agent had converted:
  // `gave_up` before converting, `left_after_converting` after; empty for results of an older
  // cjsim that did not count the split (and whose journey does not decide it).
  std::optional<std::uint64_t> gave_up, left_after_converting;
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
  Estimate gave_up_rate;             // share of agents that dropped out before converting
  Estimate left_after_converting_rate;  // share of agents that dropped out after converting
};

struct TouchpointFigures {
  std::string id, name, stage, channel;
  std::uint64_t visits = 0, dropouts = 0, completions = 0, conversions = 0;
  // The dropouts split by whether the agent had converted (see HeadlineFigures).
  std::optional<std::uint64_t> dropouts_before_converting, dropouts_after_converting;
  Estimate visits_per_agent;
  Estimate dropout_rate;  // dropouts per visit
  Estimate dropout_before_converting_rate;  // the dropout rate's two parts, per visit
  Estimate dropout_after_converting_rate;
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
  // The dropouts split by whether the agent had converted (see HeadlineFigures).
  std::optional<std::uint64_t> dropouts_before_converting, dropouts_after_converting;
  Estimate reach_rate;    // share of all agents
  Estimate dropout_rate;  // share of those reaching the stage whose journey ended in it, dropped
  Estimate dropout_before_converting_rate;  // the dropout rate's two parts, over the reach
  Estimate dropout_after_converting_rate;
  Estimate mean_emotion;  // over visits: the journey map's emotion curve
};

// How a figure is written for people (one scheme for every report: reports/render/report_format.h).
enum class Unit {
  share,  // 0 to 1, written in percent; differences in percentage points
  money,  // in the journey's currency
  hours,
  // A duration held in hours (its key says so: `mean_wait_hours`) and written in minutes when
  // under an hour, in hours from an hour on: the short waits of calendar journeys. Stored
  // values, JSON keys and the HDF5 `units` attribute stay in hours (unit_key); only what people
  // read changes (reports/render/report_format.h).
  minutes,
  nps_points,  // -100 to 100
  score,       // the likelihood to recommend, 0 to 10
  emotion,     // -1 (furious) to +1 (delighted)
  count,       // visits or moves per agent
};

// Which change of a figure is an improvement: reports colour and rank by it.
enum class Better { higher, lower, neither };

// What a figure is a share or a mean over, within its scope (a persona's figures are over its
// own agents).
enum class Over {
  agents,     // every agent
  customers,  // the agents that converted
  visits,     // the visits of a touchpoint or stage (a stage's dropout: the agents reaching it)
};

// Where a figure is reported or compared: a set of these bits.
enum Scope : unsigned {
  kOverall = 1u << 0,
  kPersona = 1u << 1,
  kStage = 1u << 2,
  kTouchpoint = 1u << 3,
  kTransition = 1u << 4,
};

struct Figure {
  const char* name = "";   // the key in `cjsim run --json`, HDF5 tables, CSV and comparisons
  const char* label = "";  // for people
  Unit unit = Unit::count;
  Better better = Better::neither;
  Over over = Over::agents;
  bool key = false;          // a column of the compact tables (per persona, per design point)
  unsigned compared_in = 0;  // the scopes in which `compare` pairs it (Scope bits)
  int compared_order = -1;   // its place among a scope's paired figures (the paired sums are
                             // stored and pinned by golden results in this order)
  // The paired sums of a figure compared since a later edition of the table come after every
  // sum of the earlier editions' figures, so those keep their places (comparison.h).
  int compared_edition = 0;
  // Where a summary holds it: a headline figure (overall and per persona), or a stage's, a
  // touchpoint's or a transition's.
  Estimate HeadlineFigures::*member = nullptr;
  Estimate StageFigures::*stage_member = nullptr;
  Estimate TouchpointFigures::*touchpoint_member = nullptr;
  Estimate TransitionFigures::*transition_member = nullptr;
  // For a headline figure compared by `compare`: one agent's value, whose mean over the
  // agents (or, over customers, over those that converted) is the figure.
  double (*agent_value)(const AgentOutcome&, const CompiledJourney&) = nullptr;

  constexpr unsigned reported_in() const {
    return (member ? kOverall | kPersona : 0u) | (stage_member ? kStage : 0u) |
           (touchpoint_member ? kTouchpoint : 0u) | (transition_member ? kTransition : 0u);
  }
};

namespace figure_values {
// One agent's value of the compared headline figures (Figure::agent_value).
double converted(const AgentOutcome& o, const CompiledJourney&);
double revenue(const AgentOutcome& o, const CompiledJourney&);
double cost(const AgentOutcome& o, const CompiledJourney&);
double margin(const AgentOutcome& o, const CompiledJourney&);
double steps(const AgentOutcome& o, const CompiledJourney&);
double hours_to_convert(const AgentOutcome& o, const CompiledJourney&);
// +100 for a promoter, -100 for a detractor, 0 otherwise (the journey's thresholds).
double promoter_score(const AgentOutcome& o, const CompiledJourney& j);
// 1 for a journey that ended dropped before the agent converted (it gave up), else 0.
double gave_up(const AgentOutcome& o, const CompiledJourney&);
// 1 for a journey that ended dropped after the agent converted, else 0.
double left_after_converting(const AgentOutcome& o, const CompiledJourney&);
}  // namespace figure_values

// The table. The headline figures come first, in the order every report lists them.
inline constexpr std::array<Figure, 19> kFigures = {{
    {.name = "conversion_rate",
     .label = "Conversion rate",
     .unit = Unit::share,
     .better = Better::higher,
     .over = Over::agents,
     .key = true,
     .compared_in = kOverall | kPersona,
     .compared_order = 0,
     .member = &HeadlineFigures::conversion_rate,
     .agent_value = &figure_values::converted},
    {.name = "revenue_per_agent",
     .label = "Revenue per agent",
     .unit = Unit::money,
     .better = Better::higher,
     .over = Over::agents,
     .key = true,
     .compared_in = kOverall | kPersona,
     .compared_order = 1,
     .member = &HeadlineFigures::revenue_per_agent,
     .agent_value = &figure_values::revenue},
    {.name = "cost_per_agent",
     .label = "Cost per agent",
     .unit = Unit::money,
     .better = Better::lower,
     .over = Over::agents,
     .key = true,
     .compared_in = kOverall | kPersona,
     .compared_order = 2,
     .member = &HeadlineFigures::cost_per_agent,
     .agent_value = &figure_values::cost},
    {.name = "margin_per_agent",
     .label = "Margin per agent",
     .unit = Unit::money,
     .better = Better::higher,
     .over = Over::agents,
     .key = true,
     .compared_in = kOverall | kPersona,
     .compared_order = 3,
     .member = &HeadlineFigures::margin_per_agent,
     .agent_value = &figure_values::margin},
    {.name = "hours_to_convert",
     .label = "Hours to convert",
     .unit = Unit::hours,
     .better = Better::lower,
     .over = Over::customers,
     .key = true,
     .compared_in = kOverall,
     .compared_order = 5,
     .member = &HeadlineFigures::hours_to_convert,
     .agent_value = &figure_values::hours_to_convert},
    {.name = "journey_hours",
     .label = "Journey length (hours)",
     .unit = Unit::hours,
     .better = Better::lower,
     .over = Over::agents,
     .member = &HeadlineFigures::journey_hours},
    {.name = "steps_per_agent",
     .label = "Touchpoints per agent",
     .unit = Unit::count,
     .better = Better::lower,
     .over = Over::agents,
     .compared_in = kOverall,
     .compared_order = 4,
     .member = &HeadlineFigures::steps_per_agent,
     .agent_value = &figure_values::steps},
    {.name = "nps",
     .label = "NPS (customers)",
     .unit = Unit::nps_points,
     .better = Better::higher,
     .over = Over::customers,
     .key = true,
     .compared_in = kOverall | kPersona,
     .compared_order = 6,
     .member = &HeadlineFigures::nps,
     .agent_value = &figure_values::promoter_score},
    {.name = "likelihood_to_recommend",
     .label = "Likelihood to recommend (0-10)",
     .unit = Unit::score,
     .better = Better::higher,
     .over = Over::customers,
     .member = &HeadlineFigures::likelihood_to_recommend},
    {.name = "peak_end",
     .label = "Peak-end emotion",
     .unit = Unit::emotion,
     .better = Better::higher,
     .over = Over::agents,
     .member = &HeadlineFigures::peak_end},
    // How journeys ended, as a strategist reads it (sim/model/MODEL.md 1.5): a journey that
    // ended `dropped` gave up before converting, or was a customer's that left after
    // converting. The two add up to the share that ended dropped.
    {.name = "gave_up_rate",
     .label = "Gave up before converting",
     .unit = Unit::share,
     .better = Better::lower,
     .over = Over::agents,
     .compared_in = kOverall | kPersona,
     .compared_order = 7,
     .compared_edition = 1,
     .member = &HeadlineFigures::gave_up_rate,
     .agent_value = &figure_values::gave_up},
    {.name = "left_after_converting_rate",
     .label = "Left after converting",
     .unit = Unit::share,
     .better = Better::neither,
     .over = Over::agents,
     .compared_in = kOverall | kPersona,
     .compared_order = 8,
     .compared_edition = 1,
     .member = &HeadlineFigures::left_after_converting_rate,
     .agent_value = &figure_values::left_after_converting},
    {.name = "reach_rate",
     .label = "Reach",
     .unit = Unit::share,
     .better = Better::higher,
     .over = Over::agents,
     .compared_in = kStage,
     .compared_order = 0,
     .stage_member = &StageFigures::reach_rate},
    {.name = "visits_per_agent",
     .label = "Visits per agent",
     .unit = Unit::count,
     .better = Better::neither,
     .over = Over::agents,
     .compared_in = kTouchpoint,
     .compared_order = 0,
     .touchpoint_member = &TouchpointFigures::visits_per_agent},
    {.name = "dropout_rate",
     .label = "Dropout",
     .unit = Unit::share,
     .better = Better::lower,
     .over = Over::visits,
     .compared_in = kStage | kTouchpoint,
     .compared_order = 1,
     .stage_member = &StageFigures::dropout_rate,
     .touchpoint_member = &TouchpointFigures::dropout_rate},
    {.name = "dropout_before_converting_rate",
     .label = "Gave up here",
     .unit = Unit::share,
     .better = Better::lower,
     .over = Over::visits,
     .compared_in = kStage | kTouchpoint,
     .compared_order = 3,
     .compared_edition = 1,
     .stage_member = &StageFigures::dropout_before_converting_rate,
     .touchpoint_member = &TouchpointFigures::dropout_before_converting_rate},
    {.name = "dropout_after_converting_rate",
     .label = "Left here after converting",
     .unit = Unit::share,
     .better = Better::neither,
     .over = Over::visits,
     .compared_in = kStage | kTouchpoint,
     .compared_order = 4,
     .compared_edition = 1,
     .stage_member = &StageFigures::dropout_after_converting_rate,
     .touchpoint_member = &TouchpointFigures::dropout_after_converting_rate},
    {.name = "mean_emotion",
     .label = "Mean emotion",
     .unit = Unit::emotion,
     .better = Better::higher,
     .over = Over::visits,
     .compared_in = kStage | kTouchpoint,
     .compared_order = 2,
     .stage_member = &StageFigures::mean_emotion,
     .touchpoint_member = &TouchpointFigures::mean_emotion},
    {.name = "per_agent",
     .label = "Moves per agent",
     .unit = Unit::count,
     .better = Better::neither,
     .over = Over::agents,
     .transition_member = &TransitionFigures::per_agent},
}};

// The index in kFigures of the figure named `name`, or kFigures.size(). By index, not by
// pointer: GCC's UndefinedBehaviorSanitizer makes comparing a global's address with null at
// compile time a non-constant expression.
constexpr std::size_t figure_index(std::string_view name) {
  for (std::size_t k = 0; k < kFigures.size(); ++k) {
    if (name == kFigures[k].name) return k;
  }
  return kFigures.size();
}

// The figure named `name`, or nullptr.
constexpr const Figure* find_figure(std::string_view name) {
  const std::size_t k = figure_index(name);
  return k < kFigures.size() ? &kFigures[k] : nullptr;
}

// The figure named `name`; a name that is not in the table does not compile where the name is
// a constant, and throws std::invalid_argument otherwise.
constexpr const Figure& figure(std::string_view name) {
  const std::size_t k = figure_index(name);
  if (k == kFigures.size()) throw std::invalid_argument("no figure '" + std::string(name) + "'");
  return kFigures[k];
}

// Whether a smaller value of the figure `name` is the better one; false for a name not in the
// table.
constexpr bool lower_is_better(std::string_view name) {
  const std::size_t k = figure_index(name);
  return k < kFigures.size() && kFigures[k].better == Better::lower;
}

constexpr std::size_t count_figures(unsigned reported_in) {
  return static_cast<std::size_t>(
      std::count_if(kFigures.begin(), kFigures.end(),
                    [&](const Figure& f) { return (f.reported_in() & reported_in) != 0; }));
}

constexpr std::size_t count_compared(unsigned scope) {
  return static_cast<std::size_t>(
      std::count_if(kFigures.begin(), kFigures.end(),
                    [&](const Figure& f) { return (f.compared_in & scope) != 0; }));
}

namespace detail {

constexpr auto headline_figures() {
  std::array<Figure, count_figures(kOverall)> out{};
  std::size_t k = 0;
  for (const Figure& f : kFigures) {
    if (f.member != nullptr) out[k++] = f;
  }
  return out;
}

template <unsigned kScope>
constexpr auto compared_figures() {
  std::array<const Figure*, count_compared(kScope)> out{};
  std::size_t k = 0;
  for (const Figure& f : kFigures) {
    if (f.compared_in & kScope) out[k++] = &f;
  }
  std::sort(out.begin(), out.end(), [](const Figure* a, const Figure* b) {
    return a->compared_edition != b->compared_edition ? a->compared_edition < b->compared_edition
                                                      : a->compared_order < b->compared_order;
  });
  return out;
}

// How many of a scope's compared figures are of editions before `edition`.
template <unsigned kScope>
constexpr std::size_t compared_before_edition(int edition) {
  return static_cast<std::size_t>(
      std::count_if(kFigures.begin(), kFigures.end(), [&](const Figure& f) {
        return (f.compared_in & kScope) != 0 && f.compared_edition < edition;
      }));
}

}  // namespace detail

// The headline figures (overall and per persona), in the order every report lists them.
inline constexpr auto kHeadlineFigures = detail::headline_figures();
// The name the sweep code knows a headline figure by.
using NamedFigure = Figure;

// The figures `compare` pairs in a scope (kOverall, kPersona, kStage or kTouchpoint), by
// edition, then in their compared_order.
template <unsigned kScope>
inline constexpr auto kComparedFigures = detail::compared_figures<kScope>();

// The editions of the table (Figure::compared_edition): 0 and 1.
inline constexpr int kComparedEditions = 2;

// The figures `compare --rank-by` can rank future states by: those it pairs overall and of
// which one direction is better.
std::vector<std::string> rankable_figure_names();
bool is_rankable(const Figure& f);

}  // namespace cjsim
