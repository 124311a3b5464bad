// Journeys built in code for tests: random absorbing Markov journeys of a given size.
#pragma once

#include <random>
#include <string>

#include <fmt/format.h>

#include "scenarios/scenario.h"

namespace cjsim::testing {

// A random journey with kappa 0 and no emotion bias (an absorbing Markov chain): every
// touchpoint with a way on has a dropout, some touchpoints are terminal, a few convert.
inline Scenario random_markov_journey(std::uint64_t seed, int touchpoints) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Scenario s;
  s.name = "random " + std::to_string(seed);
  s.stages = {"first", "middle", "last"};
  s.settings.kappa = 0.0;
  s.settings.max_steps = 100000;
  const int terminals = std::max(1, touchpoints / 4);
  for (int v = 0; v < touchpoints; ++v) {
    Touchpoint t;
    t.id = fmt::format("t{}", v);
    t.stage = s.stages[static_cast<std::size_t>(3 * v / touchpoints)];
    t.channel = v % 2 ? "web" : "store";
    t.emotion_mean = u(rng) - 0.5;
    t.emotion_sd = 0.3 * u(rng);
    t.dropout = 0.05 + 0.4 * u(rng);
    t.cost = u(rng);
    t.entry_weight = v < 3 ? 0.5 + u(rng) : 0.0;
    t.conversion = v % 3 == 2;
    t.value = t.conversion ? 10 + 50 * u(rng) : 0.0;
    t.duration.hours = u(rng);
    s.touchpoints.push_back(t);
  }
  // Terminal touchpoints are the last ones; the others get 1-4 transitions, cycles allowed.
  std::uniform_int_distribution<int> degree(1, 4), target(0, touchpoints - 1);
  for (int v = 0; v < touchpoints - terminals; ++v) {
    const int k = degree(rng);
    std::vector<int> used;
    for (int i = 0; i < k; ++i) {
      const int w = target(rng);
      if (std::find(used.begin(), used.end(), w) != used.end()) continue;
      used.push_back(w);
      Transition t;
      t.from = fmt::format("t{}", v);
      t.to = fmt::format("t{}", w);
      t.weight = 0.2 + u(rng);
      s.transitions.push_back(t);
    }
  }
  Persona p;
  p.id = "everyone";
  p.initial_emotion_sd = 0.2;
  s.personas.push_back(p);
  return s;
}

}  // namespace cjsim::testing
