// Removal effects on the chain's closed forms and on paired simulation.
#include "models/attribution/removal_effects.h"

#include <algorithm>
#include <stdexcept>
#include <string_view>

#include "sim/engine/comparison.h"
#include "sim/engine/figures.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/markov.h"

namespace cjsim {
namespace {

double loss_share(double with, double without) { return with > 0.0 ? 1.0 - without / with : 0.0; }

// The two figures attribution reads from a comparison; a name the figure table lost does not
// compile.
constexpr std::string_view kConversionRate = figure("conversion_rate").name;
constexpr std::string_view kRevenuePerAgent = figure("revenue_per_agent").name;
static_assert((figure("conversion_rate").compared_in & figure("revenue_per_agent").compared_in &
               kOverall) != 0,
              "attribution by removal needs both figures compared overall");

}  // namespace

const char* entry_traffic_name(EntryTraffic traffic) {
  return traffic == EntryTraffic::lost ? "lost" : "redistributed";
}

std::optional<EntryTraffic> entry_traffic_from_name(std::string_view name) {
  if (name == "lost") return EntryTraffic::lost;
  if (name == "redistributed") return EntryTraffic::redistributed;
  return std::nullopt;
}

std::vector<std::string> removed_entries(const Scenario& scenario,
                                         const std::set<std::string>& removed) {
  std::vector<std::string> out;
  for (const Touchpoint& t : scenario.touchpoints) {
    if (!removed.contains(t.id)) continue;
    const bool persona_entry =
        std::any_of(scenario.personas.begin(), scenario.personas.end(),
                    [&](const Persona& p) { return persona_entry_weight(p, t) > 0.0; });
    if (t.entry_weight > 0.0 || persona_entry) out.push_back(t.id);
  }
  return out;
}

Scenario without_touchpoints(const Scenario& scenario, const std::set<std::string>& removed,
                             EntryTraffic entries) {
  Scenario out = scenario;
  // Entry traffic moves to the other entries only where there are some: else all is lost.
  const bool other_entry = std::any_of(
      out.touchpoints.begin(), out.touchpoints.end(),
      [&](const Touchpoint& t) { return t.entry_weight > 0.0 && !removed.contains(t.id); });
  for (Touchpoint& t : out.touchpoints) {
    if (removed.count(t.id) == 0) continue;
    // Dropout comes after the experience, the clock and the conversion in the model; a
    // removed touchpoint must have none of them.
    t.conversion = false;
    t.value = 0.0;
    t.cost = 0.0;
    t.emotion_mean = 0.0;
    t.emotion_sd = 0.0;
    t.duration = Duration{};
    t.dropout = 1.0;
    if (entries == EntryTraffic::redistributed && other_entry) {
      t.entry_weight = 0.0;
      t.uncertain.erase("entry_weight");
    }
  }
  // A persona's own numbers (MODEL.md 1.12) of a removed touchpoint go too: its dropout there
  // would stand for the 1 above, and its entry weight there moves to its other entries.
  for (Persona& p : out.personas) {
    for (const std::string& id : removed) p.dropout.erase(id);
    const bool other_own_entry = std::any_of(p.entry.begin(), p.entry.end(), [&](const auto& e) {
      return e.second > 0.0 && !removed.contains(e.first);
    });
    if (entries != EntryTraffic::redistributed || !other_own_entry) continue;
    for (auto& [id, weight] : p.entry) {
      if (removed.contains(id)) weight = 0.0;
    }
  }
  return out;
}

ExactRemovals exact_removal_effects(const Scenario& scenario,
                                    const std::vector<TouchpointGroup>& groups,
                                    EntryTraffic entries) {
  const CompiledJourney journey = compile(scenario);
  if (const std::string why = why_not_markov(journey); !why.empty()) {
    throw std::invalid_argument("exact removal effects need an absorbing Markov chain: " + why);
  }
  const MarkovAnalysis whole = analyse_markov(journey);
  ExactRemovals out;
  out.conversion_probability = whole.conversion_probability;
  out.revenue_per_agent = whole.revenue_per_agent;
  for (const TouchpointGroup& group : groups) {
    const MarkovAnalysis without =
        analyse_markov(compile(without_touchpoints(scenario, group.touchpoints, entries)));
    ExactRemoval r;
    r.conversion_probability = without.conversion_probability;
    r.revenue_per_agent = without.revenue_per_agent;
    r.conversion_effect = loss_share(whole.conversion_probability, without.conversion_probability);
    r.value_effect = loss_share(whole.revenue_per_agent, without.revenue_per_agent);
    out.groups.push_back(r);
  }
  return out;
}

SimulatedRemovals simulated_removal_effects(const Scenario& scenario,
                                            const std::vector<TouchpointGroup>& groups,
                                            const RunOptions& options, EntryTraffic entries) {
  std::vector<CompiledJourney> journeys;
  journeys.push_back(compile(scenario));
  for (const TouchpointGroup& group : groups) {
    journeys.push_back(compile(without_touchpoints(scenario, group.touchpoints, entries)));
  }
  RunOptions paired = options;
  paired.agent_records = false;
  paired.agent_paths = paired.agent_path_hours = false;
  const ComparisonRun run = run_comparison(journeys, paired);
  SimulatedRemovals out;
  out.groups.resize(groups.size());
  for (const Difference& d : differences(run)) {
    if (d.scope != "overall" || d.scenario == 0) continue;
    SimulatedRemoval& r = out.groups[d.scenario - 1];
    // A loss is the difference the other way round: current - future.
    const Estimate loss{-d.difference.value, -d.difference.high, -d.difference.low};
    if (d.metric == kConversionRate) {
      out.conversion_rate = d.current;
      r.conversion_loss = loss;
      r.conversion_effect = d.current.value > 0.0 ? loss.value / d.current.value : 0.0;
    } else if (d.metric == kRevenuePerAgent) {
      out.revenue_per_agent = d.current;
      r.revenue_loss = loss;
      r.value_effect = d.current.value > 0.0 ? loss.value / d.current.value : 0.0;
    }
  }
  return out;
}

}  // namespace cjsim
