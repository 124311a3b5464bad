// How long journeys are expected to be before anything runs, and what that means for a run:
// a near-trapping cycle or a huge max_steps can make a run last hours or months, which the
// absorbing chain (sim/model/markov.h) tells in advance. Commands warn above a size and refuse
// above a larger one unless asked (--allow-long).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "sim/model/compiled_journey.h"

namespace cjsim {

// Above these a run is announced with its expected length, above the last it is refused.
inline constexpr double kLongAgentSteps = 1e11;
inline constexpr double kLongStepsPerAgent = 1e5;
inline constexpr double kMostAgentSteps = 1e13;  // about 12 days at 10 million a second
// The speed the expected time is quoted at: a modest machine's agent-steps per second.
inline constexpr double kQuotedStepsPerSecond = 1e7;
// Chains past these sizes are not solved before a run (the estimate is then left out, and the
// note says so): an acyclic journey takes one pass per persona, a cyclic one a sparse LU.
inline constexpr double kMostAcyclicWork = 5e7;        // personas x (touchpoints + transitions)
inline constexpr double kMostCyclicTouchpoints = 2e5;  // touchpoints x personas

struct JourneyLength {
  bool known = false;            // false: too large to estimate (see note)
  double steps_per_agent = 0.0;  // expected touchpoint visits of an agent, at most max_steps
  bool exact = false;            // kappa 0 and no emotion bias: the chain is the journey
  bool capped = false;           // max_steps is below the uncapped expectation
  std::string note;              // how it was estimated, when not exactly; "" otherwise
};

// The expected number of touchpoint visits of an agent: from the absorbing chain of each
// persona at neutral emotion (exact when emotion steers nothing), mixed by share, capped at
// max_steps (E[min(T, cap)] <= min(E[T], cap), so with the cap it is an upper bound). A
// horizon can end journeys sooner; it is not counted. Bounded work: see kMost* above.
JourneyLength expected_journey_length(const CompiledJourney& journey);

// The sparse LU of a cyclic journey's chain, kept between chains of one pattern (the same
// touchpoint graph with other probabilities: a journey's personas, a sweep's design points):
// the fill-reducing ordering is found once per pattern, a chain seen before (the same step
// probabilities, to the bit) is not solved again, and each answer is what a fresh solver
// gives, to the bit. One per thread.
class ChainSolver {
 public:
  ChainSolver();
  ~ChainSolver();
  ChainSolver(ChainSolver&&) noexcept;
  ChainSolver& operator=(ChainSolver&&) noexcept;
  struct State;

 private:
  friend JourneyLength expected_journey_length(const CompiledJourney&, ChainSolver&);
  std::unique_ptr<State> state_;
};

// The same, with `solver` kept by the caller between journeys of one graph.
JourneyLength expected_journey_length(const CompiledJourney& journey, ChainSolver& solver);

struct RunLengthCheck {
  enum class Verdict { fine, warn, refuse };
  Verdict verdict = Verdict::fine;
  double agent_steps = 0.0;
  std::string message;  // for warn and refuse: the estimate, the time it means, what to do
};

// `journeys` agents x replications each (a comparison runs every journey on them), summed.
RunLengthCheck check_run_length(const JourneyLength& length, double agent_journeys,
                                bool allow_long);

// "2.8 hours", "4.1 months": a duration in seconds for people.
std::string duration_words(double seconds);

}  // namespace cjsim
