// Exact results for journeys that are absorbing Markov chains: kappa = 0 and no emotion bias,
// so that emotion steers nothing (personas may still differ in affinities and dropout odds;
// the result is their mixture). Expected visits come from the fundamental matrix
// N = (I - Q)^-1, hitting probabilities from the same chain with the target made absorbing.
// The step cap and horizon are ignored: they are assumed not to bind.
#pragma once

#include <string>
#include <vector>

#include "sim/model/compiled_journey.h"

namespace cjsim {

struct MarkovAnalysis {
  double conversion_probability = 0.0;
  double revenue_per_agent = 0.0;
  double cost_per_agent = 0.0;
  double expected_steps = 0.0;
  std::vector<double> expected_visits;         // per touchpoint, per agent
  std::vector<double> dropout_probability;     // per touchpoint: P(the journey drops there)
  // The part of dropout_probability before the agent converted (it gave up there); the rest is
  // after converting (a customer left there).
  std::vector<double> dropout_before_converting_probability;
  double gave_up_probability = 0.0;                // P(the journey drops before converting)
  double left_after_converting_probability = 0.0;  // P(it drops after converting)
  std::vector<double> completion_probability;  // per touchpoint: P(the journey completes there)
  std::vector<double> transition_flow;         // per transition: expected traversals per agent
  std::vector<double> stage_reach;             // per stage: P(the journey visits it)
};

// Empty string when the journey is such a chain, else why it is not.
// The probability that a persona at neutral emotion takes each transition from its source
// (staying on rather than dropping out, times the transition's share of the weights out).
std::vector<double> step_probabilities(const CompiledJourney& journey, const PersonaTables& persona);

std::string why_not_markov(const CompiledJourney& journey);

// Requires why_not_markov(journey) to be empty.
MarkovAnalysis analyse_markov(const CompiledJourney& journey);

}  // namespace cjsim
