// A validated Scenario compiled for the engine: touchpoints and transitions as flat arrays
// indexed by number (transitions in compressed rows by their source), and every per-persona
// quantity (entry weights, transition weights with channel affinities, dropout log-odds)
// computed once, so that the hot loop only reads.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "scenarios/scenario.h"

namespace cjsim {

enum class DurationKind : std::uint8_t { fixed, exponential, lognormal };

// In PersonaTables::entry_touchpoints: an entry a future state removed with its traffic lost
// (scenarios/scenario.h LostEntry): an agent whose entry draw picks it is lost (MODEL.md 1.11).
inline constexpr std::uint32_t kLostEntry = 0xffffffffu;

struct PersonaTables {
  std::string id;
  double share = 0.0;  // normalised
  double sensitivity = 1.0;
  double value_multiplier = 1.0;
  double initial_emotion_mean = 0.0;
  double initial_emotion_sd = 0.0;
  double dropout_odds = 1.0;

  // Touchpoints with a positive entry weight, and kLostEntry for each lost entry, in the order
  // of the touchpoints (a lost entry at its place in the base's order).
  std::vector<std::uint32_t> entry_touchpoints;
  std::vector<double> entry_cumulative;          // running sum of their weights x affinity

  // Per transition (in CompiledJourney order): weight x affinity of the target's channel,
  // and the running sum of those over the source's transitions.
  std::vector<double> transition_weight;
  std::vector<double> transition_cumulative;
  // Per touchpoint: the largest and smallest emotion bias among its transitions of positive
  // weight (0 when there are none), so that a steered choice finds the largest bias x emotion
  // without a pass over the transitions (rounding is monotone, so the maximum is the same).
  std::vector<double> bias_max;
  std::vector<double> bias_min;

  // Per touchpoint: logit(dropout) + ln(dropout_odds), and the probability itself for kappa 0.
  std::vector<double> dropout_log_odds;
  std::vector<double> dropout_static;
  // Per touchpoint, for kappa != 0: emotion stays in [-1, 1], so q does too between its values
  // at the ends; a uniform below `dropout_sure` always leaves, one at or above `dropout_never`
  // never does, and only those between need q itself (an exp). The bounds are widened by
  // 2^-40 relative, far beyond the exp's and logistic's rounding, so every decision is the
  // one the exact q gives.
  std::vector<double> dropout_sure;
  std::vector<double> dropout_never;
  // What the four tables above were computed from (each touchpoint's dropout, the persona's
  // dropout_odds, kappa): a recompile (recompile_values) computes again only the entries
  // whose inputs changed, bit for bit, and keeps the others, which the same inputs give.
  std::vector<double> dropout_tables_from;
  double dropout_odds_tables_from = 0.0;
  double kappa_tables_from = 0.0;
};

struct CompiledJourney {
  std::string name;
  std::vector<std::string> stages;
  std::vector<std::string> channels;

  // Touchpoints, index-aligned.
  std::vector<std::string> touchpoint_ids;
  std::vector<std::string> touchpoint_names;
  std::vector<std::uint32_t> stage_of;
  std::vector<std::uint32_t> channel_of;
  std::vector<double> emotion_mean;
  std::vector<double> emotion_sd;
  std::vector<double> dropout;
  std::vector<DurationKind> duration_kind;
  std::vector<double> duration_a;  // fixed: hours; exponential: mean; lognormal: ln(median)
  std::vector<double> duration_b;  // lognormal: sigma
  std::vector<double> cost;
  std::vector<std::uint8_t> is_conversion;
  std::vector<double> conversion_value;
  std::vector<double> entry_weight;
  std::vector<std::uint8_t> emotion_steers_choice;  // some transition out has a bias

  // Transitions, grouped by source: those of touchpoint v are [out_begin[v], out_begin[v+1]).
  std::vector<std::uint32_t> out_begin;
  std::vector<std::uint32_t> transition_from;
  std::vector<std::uint32_t> transition_to;
  std::vector<std::uint32_t> transition_source;  // its index in the scenario's transitions
  std::vector<double> transition_weight;
  std::vector<double> emotion_bias;
  std::uint32_t max_out_degree = 0;
  // The distinct emotion biases among each touchpoint's transitions (those of v are
  // bias_values[bias_begin[v] .. bias_begin[v+1])) and, per transition, the index of its own
  // among them: a steered choice calls exp once per distinct bias, not once per transition.
  std::vector<std::uint32_t> bias_begin;
  std::vector<double> bias_values;
  std::vector<std::uint32_t> bias_group;

  std::vector<PersonaTables> personas;
  std::vector<double> persona_cumulative;  // running sum of the normalised shares

  // The journey map's words (scenarios/scenario.h), for reports: index-aligned with the
  // touchpoints, the stages and the personas, beside touchpoint_names and the personas' ids.
  // The engine never reads them; a journey without words has them all empty (a persona's
  // name is then its id). A report holding only a result file rebuilds the journey from the
  // run's metadata with parse_recorded_scenario (scenarios/loader.h) and compiles it.
  std::string notes;
  std::vector<TouchpointWords> touchpoint_words;
  std::vector<StageWords> stage_words;
  std::vector<PersonaWords> persona_words;

  double memory = 0.8;
  double kappa = 0.0;
  std::int64_t max_steps = 1000;
  double horizon_hours = 0.0;  // +inf when the journey has no horizon
  bool has_horizon = false;
  double promoter_threshold = 9.0;
  double detractor_threshold = 7.0;
  bool loses_entries = false;  // some entry table holds kLostEntry: some agents may be lost

  std::size_t touchpoint_count() const { return touchpoint_ids.size(); }
  std::size_t transition_count() const { return transition_to.size(); }
  std::size_t persona_count() const { return personas.size(); }
  std::size_t stage_count() const { return stages.size(); }
  bool is_terminal(std::uint32_t v) const { return out_begin[v] == out_begin[v + 1]; }
  // Index of a touchpoint by id, or -1.
  std::int64_t find_touchpoint(std::string_view id) const;
};

// Compiles a scenario that has passed validate_scenario (it is not checked again here).
CompiledJourney compile(const Scenario& scenario);

// Rewrites in place the numbers of `journey`, compiled from a scenario that differs from
// `scenario` at most in the values of sweepable fields (scenarios/fields.h: the same
// touchpoints, stages, channels, transitions and personas): `journey` is then what
// compile(scenario) gives, to the bit, without the names, the grouping of transitions and the
// allocations that compiling anew costs. How a sweep compiles one design point after another.
void recompile_values(const Scenario& scenario, CompiledJourney& journey);

// recompile_values but for the chain at neutral emotion alone (step_probabilities,
// expected_journey_length): every persona's dropout_sure and dropout_never, which only walks
// read, are left stale (an exp each, where kappa changes) and marked so, so that the next
// recompile_values computes them. A journey recompiled so must not be walked until then.
void recompile_chain_values(const Scenario& scenario, CompiledJourney& journey);

}  // namespace cjsim
