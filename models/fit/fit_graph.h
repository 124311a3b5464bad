// The journey as the emotion fit sees it: the skeleton's CompiledJourney (touchpoints, and
// transitions in compressed rows by source, each row in file order), its entry touchpoints, the
// way back from a compiled transition to the Scenario's, and the data's paths in its indices.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <utility>
#include <vector>

#include "models/observed/observed_journeys.h"
#include "scenarios/diagnostic.h"
#include "scenarios/scenario.h"
#include "sim/model/compiled_journey.h"

namespace cjsim::fit_detail {

struct FitGraph {
  // The skeleton compiled as the engine runs it; the fit reads only its structure and settings
  // (the values it varies live in ModelValues), so that the likelihood walks the engine's graph.
  CompiledJourney journey;
  std::vector<std::uint32_t> entries;  // touchpoints with a positive entry weight, file order
  // Per compiled transition its index in Scenario::transitions, and the reverse: what the fit
  // reports and writes is in the file's order.
  std::vector<std::uint32_t> scenario_transition;
  std::vector<std::uint32_t> compiled_transition;

  explicit FitGraph(const Scenario& skeleton);

  std::size_t size() const { return journey.touchpoint_count(); }
  std::size_t transition_count() const { return journey.transition_count(); }
  bool terminal(std::uint32_t v) const { return journey.is_terminal(v); }
  std::uint32_t source(std::uint32_t e) const { return journey.transition_from[e]; }
  std::uint32_t target(std::uint32_t e) const { return journey.transition_to[e]; }
  // The compiled transitions out of v: out_begin(v) .. out_end(v), the first in file order.
  std::uint32_t out_begin(std::uint32_t v) const { return journey.out_begin[v]; }
  std::uint32_t out_end(std::uint32_t v) const { return journey.out_begin[v + 1]; }
  std::size_t out_degree(std::uint32_t v) const { return out_end(v) - out_begin(v); }
  // The compiled transition from -> to (the first in file order when there are several), or -1.
  std::int64_t transition_between(std::uint32_t from, std::uint32_t to) const;

 private:
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> transition_of_;
};

// One distinct observed path, in the graph's indices.
struct DistinctPath {
  std::vector<std::uint32_t> touchpoints;
  std::vector<std::uint32_t> transitions;  // compiled, taken after each touchpoint but the last
  double count = 0.0;
};

// The data's paths in the graph's indices, identical ones merged; every path the skeleton
// cannot produce is an error naming it.
std::vector<DistinctPath> prepare_paths(const FitGraph& graph, const ObservedJourneys& data,
                                        Diagnostics& diagnostics);

}  // namespace cjsim::fit_detail
