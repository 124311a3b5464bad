// Numerical edges: probabilities of exactly 0 and 1, extreme emotion biases, the smallest
// step cap and a horizon shorter than the first visit. Every figure stays finite (or NaN only
// where it is undefined) and the rate intervals stay correct at 0% and 100%.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "scenarios/scenario.h"
#include "scenarios/validate.h"
#include "sim/engine/comparison.h"
#include "sim/engine/engine.h"
#include "sim/engine/summary.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {
namespace {

void add_transition(Scenario& s, const char* from, const char* to, double weight = 1.0,
                    double emotion_bias = 0.0) {
  Transition t;
  t.from = from;
  t.to = to;
  t.weight = weight;
  t.emotion_bias = emotion_bias;
  s.transitions.push_back(t);
}

// entry -> middle -> buy, every number at its default unless a test sets it.
Scenario three_steps() {
  Scenario s;
  s.name = "Edges";
  s.stages = {"awareness", "purchase"};
  s.personas.push_back(neutral_persona());
  s.touchpoints.resize(3);
  const char* ids[] = {"entry", "middle", "buy"};
  for (int i = 0; i < 3; ++i) {
    s.touchpoints[i].id = ids[i];
    s.touchpoints[i].stage = i == 2 ? "purchase" : "awareness";
    s.touchpoints[i].channel = "web";
  }
  s.touchpoints[0].entry_weight = 1.0;
  s.touchpoints[2].conversion = true;
  s.touchpoints[2].value = 10.0;
  add_transition(s, "entry", "middle");
  add_transition(s, "middle", "buy");
  return s;
}

Summary simulate(const Scenario& scenario, std::uint64_t agents = 4000) {
  Diagnostics diagnostics;
  validate_scenario(scenario, diagnostics);
  EXPECT_FALSE(diagnostics.has_errors()) << diagnostics.to_string();
  const CompiledJourney journey = compile(scenario);
  RunOptions options;
  options.agents = agents;
  options.threads = 2;
  const RunResult result = run(journey, options);
  return summarize(journey, result.replications);
}

void expect_inside(const Estimate& e, const std::string& what) {
  EXPECT_TRUE(std::isfinite(e.value) && std::isfinite(e.low) && std::isfinite(e.high)) << what;
  EXPECT_LE(e.low, e.value) << what;
  EXPECT_LE(e.value, e.high) << what;
}

TEST(NumericalEdges, NobodyConvertsGivesAWilsonIntervalFromZero) {
  Scenario s = three_steps();
  s.touchpoints[0].dropout = 1.0;  // everybody leaves at once (a dead end would complete)
  const Summary summary = simulate(s);
  const Estimate& rate = summary.overall.conversion_rate;
  EXPECT_EQ(rate.value, 0.0);
  EXPECT_EQ(rate.low, 0.0);
  EXPECT_GT(rate.high, 0.0);
  EXPECT_LT(rate.high, 0.01);
  EXPECT_EQ(summary.overall.ended[static_cast<int>(Ending::dropped)], 4000u);
  expect_inside(summary.overall.revenue_per_agent, "revenue");
  // No customer: figures over customers are undefined, not a made-up number.
  EXPECT_TRUE(std::isnan(summary.overall.hours_to_convert.value));
}

TEST(NumericalEdges, EverybodyConvertsGivesAWilsonIntervalToOne) {
  const Summary summary = simulate(three_steps());  // dropout 0 everywhere
  const Estimate& rate = summary.overall.conversion_rate;
  EXPECT_EQ(rate.value, 1.0);
  EXPECT_EQ(rate.high, 1.0);
  EXPECT_LT(rate.low, 1.0);
  EXPECT_GT(rate.low, 0.99);
  for (const auto& figure : kHeadlineFigures) {
    expect_inside(summary.overall.*figure.member, figure.name);
  }
}

TEST(NumericalEdges, ExtremeEmotionBiasesNeitherOverflowNorLoseTheChoice) {
  Scenario s = three_steps();
  s.settings.kappa = 1e300;  // emotion moves dropout as hard as a double allows
  s.touchpoints[0].emotion_mean = 0.5;
  s.touchpoints[0].emotion_sd = 1e10;  // the emotion is clamped to [-1, 1]
  s.touchpoints[1].dropout = 0.5;
  s.touchpoints.push_back(s.touchpoints[1]);
  s.touchpoints.back().id = "other";
  s.transitions.clear();
  add_transition(s, "entry", "middle", 1.0, 1e300);
  add_transition(s, "entry", "other", 1.0, -1e300);
  add_transition(s, "entry", "buy", 1e-300, 700.0);
  add_transition(s, "middle", "buy");
  add_transition(s, "other", "buy");
  const Summary summary = simulate(s);
  for (const auto& figure : kHeadlineFigures) {
    const Estimate& e = summary.overall.*figure.member;
    if (std::isnan(e.value)) continue;  // undefined (no customers) is allowed, infinite is not
    expect_inside(e, figure.name);
  }
  std::uint64_t taken = 0;
  for (const TransitionFigures& t : summary.transitions) taken += t.count;
  EXPECT_GT(taken, 0u);
}

TEST(NumericalEdges, OneStepCapsEveryJourneyThatGoesOn) {
  Scenario s = three_steps();
  s.settings.max_steps = 1;
  const Summary summary = simulate(s);
  EXPECT_EQ(summary.overall.ended[static_cast<int>(Ending::capped)], 4000u);
  EXPECT_EQ(summary.overall.steps, 4000u);
  EXPECT_EQ(summary.overall.conversion_rate.value, 0.0);
}

TEST(NumericalEdges, AHorizonShorterThanTheFirstVisitCensorsEveryJourney) {
  Scenario s = three_steps();
  s.settings.horizon_hours = 0.5;
  s.touchpoints[0].duration.hours = 1.0;
  const Summary summary = simulate(s);
  EXPECT_EQ(summary.overall.ended[static_cast<int>(Ending::censored)], 4000u);
  EXPECT_EQ(summary.overall.steps, 4000u);
  expect_inside(summary.overall.journey_hours, "journey_hours");
}

TEST(NumericalEdges, CertainDropoutAtAConversionStillConverts) {
  Scenario s = three_steps();
  s.touchpoints[2].dropout = 1.0;
  add_transition(s, "buy", "entry");
  const Summary summary = simulate(s);
  EXPECT_EQ(summary.overall.conversion_rate.value, 1.0);
  EXPECT_EQ(summary.overall.ended[static_cast<int>(Ending::dropped)], 4000u);
}

TEST(NumericalEdges, ZeroPersonaDropoutOddsMeanNobodyLeaves) {
  Scenario s = three_steps();
  s.touchpoints[1].dropout = 0.999;
  s.personas.front().dropout_odds = 0.0;
  s.settings.kappa = 5.0;
  EXPECT_EQ(simulate(s).overall.conversion_rate.value, 1.0);
}

// Costs past validation's bound (1e9), as code may still build them: the squares of 1e18 per
// visit over a few thousand agents leave the exact sums' range of 1.7e38.
CompiledJourney overflowing_costs(double cost) {
  Scenario s = three_steps();
  for (Touchpoint& t : s.touchpoints) t.cost = cost;
  return compile(s);
}

bool mentions(const std::vector<std::string>& notes, const std::string& fragment) {
  for (const std::string& note : notes) {
    if (note.find(fragment) != std::string::npos) return true;
  }
  return false;
}

TEST(NumericalEdges, AnOverflowingSumOfSquaresLeavesTheIntervalNaAndSaysWhy) {
  const CompiledJourney journey = overflowing_costs(1e18);
  RunOptions options;
  options.agents = 4000;
  const RunResult result = run(journey, options);
  const Summary summary = summarize(journey, result.replications);
  EXPECT_DOUBLE_EQ(summary.overall.cost_per_agent.value, 3e18);
  EXPECT_TRUE(std::isnan(summary.overall.cost_per_agent.low));
  EXPECT_TRUE(std::isnan(summary.overall.cost_per_agent.high));
  EXPECT_TRUE(mentions(summary.notes, "cost_per_agent's interval is n/a: a sum over the agents "
                                      "of each agent's cost (or of its square) left the range"))
      << ::testing::PrintToString(summary.notes);
}

TEST(NumericalEdges, AnOverflowingPairedSumIsNeitherZeroWidthNorSignificant) {
  const CompiledJourney current = overflowing_costs(1e18);
  const CompiledJourney future = overflowing_costs(0.9e18);
  const std::vector<CompiledJourney> journeys = {current, future};
  RunOptions options;
  options.agents = 4000;
  const std::vector<Difference> all = differences(run_comparison(journeys, options));
  bool seen = false;
  for (const Difference& d : all) {
    if (d.metric != "cost_per_agent" || d.scope != "overall") continue;
    seen = true;
    EXPECT_FALSE(d.significant);
    EXPECT_TRUE(std::isnan(d.difference.low));
    EXPECT_NE(d.note.find("left the range of exact sums"), std::string::npos) << d.note;
  }
  EXPECT_TRUE(seen);
}

TEST(NumericalEdges, FiguresWithoutCustomersSayWhyTheyAreNa) {
  Scenario s = three_steps();
  s.touchpoints[0].dropout = 1.0;
  const Summary summary = simulate(s);
  EXPECT_TRUE(mentions(summary.notes, "hours_to_convert is n/a: no agent converted"))
      << ::testing::PrintToString(summary.notes);
}

// A journey in which no one feels anything (a fit from paths alone) scores every customer 5:
// its NPS is -100 by the thresholds alone, and the notes say so; any source of emotion, on a
// touchpoint or in a persona's start, takes the note away.
TEST(NumericalEdges, AJourneyWithoutEmotionSaysItsNpsMeansNothing) {
  const std::string said = "NPS, likelihood to recommend and peak-end emotion say nothing";
  const Summary flat = simulate(three_steps());
  EXPECT_EQ(flat.overall.nps.value, -100.0);
  EXPECT_TRUE(mentions(flat.notes, said + " of this journey: no touchpoint leaves any emotion "
                                          "and every persona starts at 0, so every customer "
                                          "scores 5, a detractor."))
      << ::testing::PrintToString(flat.notes);

  Scenario lenient = three_steps();
  lenient.settings.detractor_threshold = 5.0;
  lenient.settings.promoter_threshold = 5.0;
  EXPECT_EQ(simulate(lenient).overall.nps.value, 100.0);
  EXPECT_TRUE(mentions(simulate(lenient).notes, "scores 5, a promoter."));

  Scenario felt = three_steps();
  felt.touchpoints[1].emotion_sd = 0.1;
  EXPECT_FALSE(mentions(simulate(felt).notes, said));
  Scenario moody = three_steps();
  moody.personas.front().initial_emotion_mean = -0.2;
  EXPECT_FALSE(mentions(simulate(moody).notes, said));
}

}  // namespace
}  // namespace cjsim
