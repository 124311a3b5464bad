// Segments fitted as personas: each segment of the data (an event log's --segment-column) gets
// a persona of its own whose entry weights, dropouts and transition weights are the counts of
// its own paths on the fitted chain (sim/model/MODEL.md 1.12), with its share of the
// customers; the journey's numbers stay the pooled fit's.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "models/observed/observed_journeys.h"
#include "scenarios/scenario.h"

namespace cjsim {

// What was fitted for one segment, and how its chain converts against its customers.
struct SegmentFit {
  std::string segment;  // as the data name it ("" for customers without one)
  std::string persona;  // the persona's id
  double customers = 0.0;
  double share = 0.0;                 // of the customers fitted
  std::size_t entry_weights = 0;      // its own numbers written
  std::size_t dropouts = 0;
  std::size_t transition_weights = 0;
  double data_conversion_rate = 0.0;  // of its customers
  // Its persona's chain (the closed form), NaN when the journey is no Markov chain.
  double fitted_conversion_probability = 0.0;
};

// One persona's counts on the fitted chain, by touchpoint of the scenario: a segment's
// customers, or a latent persona's expected counts (each path weighted by its
// responsibility, so fractional). `visits` counts every visit, `stops` the visits that end a
// path, `moves_on` the others, and `moves` each transition taken.
struct PersonaCounts {
  std::string id;
  std::string name;
  std::string description;
  double customers = 0.0;
  double converted = 0.0;
  std::vector<double> entries, visits, stops, moves_on;
  std::map<std::pair<std::uint32_t, std::uint32_t>, double> moves;
};

// Writes one persona per element of `counts` with customers into `scenario` (replacing its
// personas), its share its customers, its numbers its counts as add_segment_personas says.
// Returns what was fitted, persona by persona (`segment` left empty).
std::vector<SegmentFit> add_count_personas(const std::vector<PersonaCounts>& counts,
                                           Scenario& scenario);

// Writes one persona per segment of `data` into `scenario` (replacing its personas), where
// `data` are the paths fitted in the scenario's own terms (in_fitted_terms: touchpoint v of the
// data is touchpoint v of the scenario) and `scenario` is the Markov fit of all of them. For
// each segment: its entry weights are its customers' first visits; at each touchpoint it
// visits that has transitions out, its dropout is its customers stopping there over its visits
// there, and where its customers moved on, each transition out has the number of its moves as
// weight (0 for a transition it never took). `column` names the data's column in the
// personas' words. Returns what was fitted, segment by segment, in the data's order.
std::vector<SegmentFit> add_segment_personas(const ObservedJourneys& data,
                                             const std::string& column, Scenario& scenario);

}  // namespace cjsim
