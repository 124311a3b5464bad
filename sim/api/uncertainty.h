// Runs and comparisons with uncertain inputs (sim/model/MODEL.md, "Uncertain inputs"): K
// parameter sets from a Latin hypercube on a stream of their own, each simulated on the same
// agents as the central run, and what the draws say: every figure's interval over the draws,
// the probability that each future state is better, and which input matters most.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/design.h"
#include "scenarios/uncertain.h"
#include "sim/api/compare.h"
#include "sim/api/run.h"
#include "sim/engine/uncertainty.h"

namespace cjsim {

// The inputs varied and the quantile each draw takes of each. An input is a parameter path;
// when several scenarios of a comparison have it, every one takes the same quantile in a draw
// (their distributions may differ: a future state may narrow a guess).
struct UncertaintyDesign {
  std::uint64_t seed = 0;  // of the design's own stream
  std::vector<std::string> paths;
  std::vector<std::string> distributions;  // as the first scenario with the input writes it
  DesignRows quantiles;                    // [draw][input], in (0, 1)
  // With total effects: a second Latin hypercube B, independent of the first (its own seed),
  // from which the pick-freeze draws take one input at a time. Empty otherwise.
  DesignRows second;
};

// How many parameter sets to draw, and whether to run the pick-freeze draws that total Sobol
// indices need: K more runs per uncertain input (K (inputs + 1) runs in all, plus the central
// one), so off unless asked for.
struct DrawSettings {
  std::uint32_t draws = 0;
  bool total_effects = false;
};

// The design's seed, from the run's: apart from every agent stream (those are Philox keyed by
// the seed; this one seeds a std::mt19937_64 through SplitMix64 of the seed and a constant).
std::uint64_t design_seed(std::uint64_t run_seed);

// The union of the scenarios' uncertain inputs, in order of first appearance, and `draws`
// rows of a Latin hypercube on (0, 1) for them (and the second design for total effects).
// Throws when no scenario has one.
UncertaintyDesign uncertainty_design(const std::vector<const Scenario*>& scenarios,
                                     const DrawSettings& draws, std::uint64_t run_seed);

// `scenario` with every uncertain input it has set to its value at draw `draw`, validated;
// throws a message naming the draw and the inputs when the values make it invalid.
Scenario drawn_scenario(const Scenario& scenario, const UncertaintyDesign& design,
                        std::size_t draw);
// The same at pick-freeze draw `draw` with input `input` taken from the second design.
Scenario frozen_scenario(const Scenario& scenario, const UncertaintyDesign& design,
                         std::size_t draw, std::size_t input);

// For a run without draws of journeys with uncertain inputs, the note that says they ran at
// their means and how to draw them; "" when none has one.
std::string uncertain_means_note(const std::vector<const Scenario*>& scenarios);

// One simulation of the draws: draw `draw` of the design, with input `frozen_input` taken from
// the second design (a pick-freeze draw for total effects) when it has a value.
struct DrawPoint {
  std::size_t draw = 0;
  std::optional<std::size_t> frozen_input;
};
// `scenario` with its uncertain inputs as `point` sets them (drawn_scenario, frozen_scenario).
Scenario scenario_at_point(const Scenario& scenario, const UncertaintyDesign& design,
                           const DrawPoint& point);

// What one simulation of the draws gives the statistics over the draws: each scenario's
// summary, the differences from the current state and between future states (overall figures
// have scope "overall"; both lists empty for a run).
struct DrawFigures {
  std::vector<Summary> summaries;
  std::vector<Difference> differences;
  std::vector<Difference> rivals;
};
// Simulates the journeys as `point` makes them; nullopt on a process that does not report.
using DrawSimulation = std::function<std::optional<DrawFigures>(const DrawPoint& point)>;

// The one loop over the draws of every kind of journey: each draw of `design`, then with total
// effects each pick-freeze draw, simulated by `simulate`, and what they say: the report's
// design, figures and differences per draw, and the sensitivity of `figure` (of the run, or of
// each future state's difference from the current state). nullopt when `simulate` gave nothing
// (a process that does not report).
std::optional<UncertaintyReport> simulate_draws(const UncertaintyDesign& design,
                                                const std::vector<const Scenario*>& scenarios,
                                                std::string_view figure, const Context& context,
                                                const DrawSimulation& simulate);

// A context whose runs say nothing: the central run already gave every note and warning.
Context quiet_context(const Context& context);

struct UncertainRunOutcome {
  RunOutcome central;  // the run at the inputs' means: what `run` without draws gives
  std::optional<UncertaintyReport> uncertainty;  // where Context::reports()
};

// The value each draw takes of each input, [draw][input], from the first of `scenarios` with
// the input (the quantiles are shared; a later scenario may draw from another distribution).
std::vector<std::vector<double>> drawn_values(const std::vector<const Scenario*>& scenarios,
                                              const UncertaintyDesign& design);

// The central run, then `draws` runs of the drawn journeys with the same settings (and so the
// same agents), and with total effects the pick-freeze draws; sensitivity of the conversion
// rate.
UncertainRunOutcome run_journey_with_draws(const Scenario& scenario, const std::string& path,
                                           const RunSettings& settings, const DrawSettings& draws,
                                           const Context& context);

struct UncertainCompareOutcome {
  CompareOutcome central;
  std::optional<UncertaintyReport> uncertainty;
};

// The central comparison, then one per draw on the same agents (and per pick-freeze draw with
// total effects); sensitivity of each future
// state's difference of `rank_by`. `journeys` must keep their parts (load_journeys with
// keep_parts).
UncertainCompareOutcome compare_journeys_with_draws(const CompiledJourneys& journeys,
                                                    const RunSettings& settings,
                                                    const std::string& rank_by,
                                                    const DrawSettings& draws,
                                                    const Context& context);

}  // namespace cjsim
