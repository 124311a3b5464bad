// Scenario -> CompiledJourney: names become indices, transitions become compressed rows, and
// the per-persona tables are built once.
#include "sim/model/compiled_journey.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <numeric>
#include <span>
#include <unordered_map>

#include "sim/model/behaviour.h"

namespace cjsim {
namespace {

template <class T>
std::uint32_t index_of(std::vector<T>& names, const T& name) {
  auto it = std::find(names.begin(), names.end(), name);
  if (it != names.end()) return static_cast<std::uint32_t>(it - names.begin());
  names.push_back(name);
  return static_cast<std::uint32_t>(names.size() - 1);
}

// The touchpoints' names and indices: what a sweep's parameters never change.
void compile_touchpoint_structure(const Scenario& scenario, CompiledJourney& j) {
  const std::size_t n = scenario.touchpoints.size();
  j.touchpoint_ids.reserve(n);
  for (const Touchpoint& t : scenario.touchpoints) {
    j.touchpoint_ids.push_back(t.id);
    j.touchpoint_names.push_back(t.name.empty() ? t.id : t.name);
    j.touchpoint_words.push_back(t.words);
    auto stage = std::find(j.stages.begin(), j.stages.end(), t.stage);
    j.stage_of.push_back(static_cast<std::uint32_t>(stage - j.stages.begin()));
    j.channel_of.push_back(index_of(j.channels, t.channel));
  }
}

// The touchpoints' numbers, written in place (the vectors keep their capacity).
void compile_touchpoint_values(const Scenario& scenario, CompiledJourney& j) {
  const std::size_t n = scenario.touchpoints.size();
  j.emotion_mean.resize(n);
  j.emotion_sd.resize(n);
  j.dropout.resize(n);
  j.duration_kind.resize(n);
  j.duration_a.resize(n);
  j.duration_b.resize(n);
  j.cost.resize(n);
  j.is_conversion.resize(n);
  j.conversion_value.resize(n);
  j.entry_weight.resize(n);
  for (std::size_t v = 0; v < n; ++v) {
    const Touchpoint& t = scenario.touchpoints[v];
    j.emotion_mean[v] = t.emotion_mean;
    j.emotion_sd[v] = t.emotion_sd;
    j.dropout[v] = t.dropout;
    switch (t.duration.kind) {
      case Duration::Kind::fixed:
        j.duration_kind[v] = DurationKind::fixed;
        j.duration_a[v] = t.duration.hours;
        j.duration_b[v] = 0.0;
        break;
      case Duration::Kind::exponential:
        j.duration_kind[v] = DurationKind::exponential;
        j.duration_a[v] = t.duration.hours;
        j.duration_b[v] = 0.0;
        break;
      case Duration::Kind::lognormal:
        j.duration_kind[v] = DurationKind::lognormal;
        j.duration_a[v] = std::log(t.duration.median);
        j.duration_b[v] = t.duration.sigma;
        break;
    }
    j.cost[v] = t.cost;
    j.is_conversion[v] = t.conversion ? 1 : 0;
    j.conversion_value[v] = t.conversion ? t.value : 0.0;
    j.entry_weight[v] = t.entry_weight;
  }
}

// The transitions' ends, grouped by source, and which of the scenario's transitions each is.
void compile_transition_structure(const Scenario& scenario, CompiledJourney& j) {
  const std::size_t n = j.touchpoint_count();
  std::unordered_map<std::string_view, std::uint32_t> index;
  for (std::uint32_t v = 0; v < n; ++v) index.emplace(j.touchpoint_ids[v], v);

  // Stable grouping by source keeps each touchpoint's transitions in file order.
  std::vector<std::size_t> order(scenario.transitions.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return index.at(scenario.transitions[a].from) < index.at(scenario.transitions[b].from);
  });

  j.out_begin.assign(n + 1, 0);
  for (std::size_t k : order) {
    const Transition& t = scenario.transitions[k];
    const std::uint32_t from = index.at(t.from);
    j.transition_from.push_back(from);
    j.transition_to.push_back(index.at(t.to));
    j.transition_source.push_back(static_cast<std::uint32_t>(k));
    ++j.out_begin[from + 1];
  }
  for (std::size_t v = 0; v < n; ++v) {
    j.max_out_degree = std::max(j.max_out_degree, j.out_begin[v + 1]);
    j.out_begin[v + 1] += j.out_begin[v];
  }
}

// The transitions' weights and emotion biases, and what the biases decide, in place.
void compile_transition_values(const Scenario& scenario, CompiledJourney& j) {
  const std::size_t n = j.touchpoint_count();
  const std::size_t m = j.transition_count();
  j.transition_weight.resize(m);
  j.emotion_bias.resize(m);
  j.emotion_steers_choice.assign(n, 0);
  for (std::size_t e = 0; e < m; ++e) {
    const Transition& t = scenario.transitions[j.transition_source[e]];
    j.transition_weight[e] = t.weight;
    j.emotion_bias[e] = t.emotion_bias;
    if (t.emotion_bias != 0.0) j.emotion_steers_choice[j.transition_from[e]] = 1;
  }

  j.bias_begin.assign(n + 1, 0);
  j.bias_group.assign(m, 0);
  j.bias_values.clear();
  for (std::size_t v = 0; v < n; ++v) {
    for (std::uint32_t e = j.out_begin[v]; e < j.out_begin[v + 1]; ++e) {
      const auto first = j.bias_values.begin() + j.bias_begin[v];
      const auto it = std::find(first, j.bias_values.end(), j.emotion_bias[e]);
      j.bias_group[e] = static_cast<std::uint32_t>(it - first);
      if (it == j.bias_values.end()) j.bias_values.push_back(j.emotion_bias[e]);
    }
    j.bias_begin[v + 1] = static_cast<std::uint32_t>(j.bias_values.size());
  }
}

// The journey's numbers as `persona` sees them (MODEL.md 1.12): its own where it has them.
// A persona without any reads the compiled journey's, exactly as before there were any.
struct PersonaNumbers {
  std::vector<double> entry_weight;       // per touchpoint
  std::vector<double> dropout;            // per touchpoint
  std::vector<double> transition_weight;  // per transition, in CompiledJourney order
};

PersonaNumbers persona_numbers(const Scenario& scenario, const Persona& persona,
                               const CompiledJourney& j) {
  PersonaNumbers out{j.entry_weight, j.dropout, j.transition_weight};
  if (!persona.entry.empty()) {
    for (std::size_t v = 0; v < j.touchpoint_count(); ++v) {
      out.entry_weight[v] = persona_entry_weight(persona, scenario.touchpoints[v]);
    }
  }
  for (std::size_t v = 0; v < j.touchpoint_count() && !persona.dropout.empty(); ++v) {
    out.dropout[v] = persona_dropout(persona, scenario.touchpoints[v]);
  }
  if (!persona.transitions.empty()) {
    std::map<std::pair<std::string_view, std::string_view>, double> own;
    for (const PersonaTransition& t : persona.transitions) {
      own.emplace(std::pair<std::string_view, std::string_view>(t.from, t.to), t.weight);
    }
    for (std::size_t e = 0; e < j.transition_count(); ++e) {
      const Transition& t = scenario.transitions[j.transition_source[e]];
      auto it = own.find({t.from, t.to});
      if (it != own.end()) out.transition_weight[e] = it->second;
    }
  }
  return out;
}

// Fills `p` (its vectors keep their capacity: a recompiled journey allocates nothing here,
// unless the persona has numbers of its own). Without `walk_tables`, dropout_sure and
// dropout_never are left as they were and marked as computed from no kappa, so that the next
// compile with them computes them all.
void compile_persona(const Scenario& scenario, const Persona& persona, double share,
                     const CompiledJourney& j, double kappa,
                     std::span<const LostEntry> lost_entries, bool walk_tables, PersonaTables& p) {
  std::optional<PersonaNumbers> own;
  if (has_overrides(persona)) own = persona_numbers(scenario, persona, j);
  const std::vector<double>& entry_weight = own ? own->entry_weight : j.entry_weight;
  const std::vector<double>& dropout = own ? own->dropout : j.dropout;
  const std::vector<double>& transition_weight = own ? own->transition_weight : j.transition_weight;

  p.id = persona.id;
  p.share = share;
  p.sensitivity = persona.sensitivity;
  p.value_multiplier = persona.value_multiplier;
  p.initial_emotion_mean = persona.initial_emotion_mean;
  p.initial_emotion_sd = persona.initial_emotion_sd;
  p.dropout_odds = persona.dropout_odds;

  // Each channel's affinity looked up once (a touchpoint's is its channel's), not per
  // touchpoint and transition: a sweep recompiles every design point's personas.
  std::vector<double> channel_affinities(j.channels.size());
  for (std::size_t c = 0; c < j.channels.size(); ++c) {
    channel_affinities[c] = channel_affinity(persona, j.channels[c]);
  }
  auto affinity = [&](std::uint32_t v) { return channel_affinities[j.channel_of[v]]; };
  double entry_total = 0.0;
  p.entry_touchpoints.clear();
  p.entry_cumulative.clear();
  auto add_entry = [&](std::uint32_t touchpoint, double w) {
    if (w <= 0.0) return;
    entry_total += w;
    p.entry_touchpoints.push_back(touchpoint);
    p.entry_cumulative.push_back(entry_total);
  };
  // Lost entries keep their place in the draw's order, so that the running sums are the
  // base's to the bit when nothing else changed the entries (MODEL.md 1.11).
  std::size_t lost = 0;
  auto add_lost_entries_before = [&](std::size_t position) {
    for (; lost < lost_entries.size() && lost_entries[lost].position <= position; ++lost) {
      const LostEntry& e = lost_entries[lost];
      // A persona with entry weights of its own never named a lost entry among them: a future
      // state refuses to remove one it names (scenarios/changes.cc).
      const double weight = persona.entry.empty() ? e.entry_weight : 0.0;
      add_entry(kLostEntry, weight * channel_affinity(persona, e.channel));
    }
  };
  for (std::uint32_t v = 0; v < j.touchpoint_count(); ++v) {
    add_lost_entries_before(v);
    add_entry(v, entry_weight[v] * affinity(v));
  }
  add_lost_entries_before(j.touchpoint_count());

  p.transition_weight.resize(j.transition_count());
  p.transition_cumulative.resize(j.transition_count());
  p.bias_max.assign(j.touchpoint_count(), 0.0);
  p.bias_min.assign(j.touchpoint_count(), 0.0);
  for (std::uint32_t v = 0; v < j.touchpoint_count(); ++v) {
    double total = 0.0;
    bool any = false;
    for (std::uint32_t e = j.out_begin[v]; e < j.out_begin[v + 1]; ++e) {
      p.transition_weight[e] = transition_weight[e] * affinity(j.transition_to[e]);
      total += p.transition_weight[e];
      p.transition_cumulative[e] = total;
      if (p.transition_weight[e] <= 0.0) continue;
      p.bias_max[v] = any ? std::max(p.bias_max[v], j.emotion_bias[e]) : j.emotion_bias[e];
      p.bias_min[v] = any ? std::min(p.bias_min[v], j.emotion_bias[e]) : j.emotion_bias[e];
      any = true;
    }
  }

  const std::size_t n = j.touchpoint_count();
  // Bits, not values: -0.0 and 0.0 are equal values, and NaN equals nothing.
  const auto same = [](double a, double b) {
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
  };
  const bool same_odds = p.dropout_tables_from.size() == n && p.dropout_log_odds.size() == n &&
                         same(p.dropout_odds_tables_from, persona.dropout_odds);
  const bool same_kappa = same_odds && same(p.kappa_tables_from, kappa);
  p.dropout_log_odds.resize(n);
  p.dropout_static.resize(n);
  p.dropout_sure.resize(n);
  p.dropout_never.resize(n);
  p.dropout_tables_from.resize(n);
  p.dropout_odds_tables_from = persona.dropout_odds;
  // A NaN kappa is no scenario's (validation wants it finite): nothing is the same as it.
  p.kappa_tables_from = walk_tables ? kappa : std::numeric_limits<double>::quiet_NaN();
  for (std::uint32_t v = 0; v < n; ++v) {
    const bool same_dropout = same_odds && same(p.dropout_tables_from[v], dropout[v]);
    if (same_dropout && (same_kappa || !walk_tables)) continue;
    p.dropout_tables_from[v] = dropout[v];
    if (!same_dropout) {
      p.dropout_log_odds[v] = model::dropout_log_odds(dropout[v], persona.dropout_odds);
      p.dropout_static[v] = model::static_dropout_probability(dropout[v], persona.dropout_odds);
    }
    if (!walk_tables) continue;
    const double at_plus = model::dropout_probability(p.dropout_log_odds[v], kappa, 1.0);
    const double at_minus = model::dropout_probability(p.dropout_log_odds[v], kappa, -1.0);
    constexpr double widen = 0x1.0p-40;
    p.dropout_sure[v] = std::min(at_plus, at_minus) * (1.0 - widen);
    p.dropout_never[v] = std::max(at_plus, at_minus) * (1.0 + widen);
  }
}

// The scenario's personas, or `neutral` (neutral_persona()) for a journey without any.
std::span<const Persona> personas_of(const Scenario& scenario, const Persona& neutral) {
  if (scenario.personas.empty()) return std::span<const Persona>(&neutral, 1);
  return scenario.personas;
}

// The personas' tables and shares, and the settings, in place: `j.personas` holds a table
// per persona (or one for the neutral persona of a journey without personas).
void compile_values(const Scenario& scenario, CompiledJourney& j, bool walk_tables = true) {
  compile_touchpoint_values(scenario, j);
  compile_transition_values(scenario, j);

  const Persona neutral = scenario.personas.empty() ? neutral_persona() : Persona{};
  const std::span<const Persona> personas = personas_of(scenario, neutral);
  double share_total = 0.0;
  for (const Persona& p : personas) share_total += p.share;
  double cumulative = 0.0;
  j.persona_cumulative.resize(personas.size());
  for (std::size_t k = 0; k < personas.size(); ++k) {
    const double share = personas[k].share / share_total;
    compile_persona(scenario, personas[k], share, j, scenario.settings.kappa,
                    scenario.lost_entries, walk_tables, j.personas[k]);
    cumulative += share;
    j.persona_cumulative[k] = cumulative;
  }

  const Settings& s = scenario.settings;
  j.memory = s.memory;
  j.kappa = s.kappa;
  j.max_steps = s.max_steps;
  j.has_horizon = s.horizon_hours.has_value();
  j.horizon_hours = s.horizon_hours.value_or(std::numeric_limits<double>::infinity());
  j.promoter_threshold = s.promoter_threshold;
  j.detractor_threshold = s.detractor_threshold;
  j.loses_entries = !scenario.lost_entries.empty();
}

}  // namespace

std::int64_t CompiledJourney::find_touchpoint(std::string_view id) const {
  auto it = std::find(touchpoint_ids.begin(), touchpoint_ids.end(), id);
  return it == touchpoint_ids.end() ? -1 : it - touchpoint_ids.begin();
}

CompiledJourney compile(const Scenario& scenario) {
  CompiledJourney j;
  j.name = scenario.name;
  j.stages = scenario.stages;
  j.notes = scenario.notes;
  for (const std::string& stage : scenario.stages) {
    auto words = scenario.stage_words.find(stage);
    j.stage_words.push_back(words == scenario.stage_words.end() ? StageWords{}
                                                                 : words->second.words);
  }
  compile_touchpoint_structure(scenario, j);
  compile_transition_structure(scenario, j);
  const Persona neutral = scenario.personas.empty() ? neutral_persona() : Persona{};
  for (const Persona& p : personas_of(scenario, neutral)) {
    PersonaWords words = p.words;
    if (words.name.empty()) words.name = p.id;
    j.persona_words.push_back(std::move(words));
  }
  j.personas.resize(j.persona_words.size());
  compile_values(scenario, j);
  return j;
}

void recompile_values(const Scenario& scenario, CompiledJourney& journey) {
  compile_values(scenario, journey);
}

void recompile_chain_values(const Scenario& scenario, CompiledJourney& journey) {
  compile_values(scenario, journey, /*walk_tables=*/false);
}

}  // namespace cjsim
