// The engine against the exact results of absorbing Markov chains (sim/model/MODEL.md: with
// kappa 0, no emotion bias and neutral personas the journey is such a chain).
#include <Eigen/Dense>
#include <gtest/gtest.h>

#include <cmath>

#include "random_journeys.h"
#include "sim/engine/engine.h"
#include "sim/engine/summary.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/markov.h"

namespace cjsim {
namespace {

constexpr std::uint64_t kAgents = 400000;

// Standard errors of a binomial share.
double binomial_se(double p, double n) { return std::sqrt(std::max(p * (1 - p), 1e-12) / n); }

// Variance of the number of visits to each touchpoint per agent, from the fundamental matrix:
// E[V_j^2 | start i] = (N (2 N_dg - I))_ij.
Eigen::VectorXd visit_variance(const CompiledJourney& j) {
  const auto n = static_cast<Eigen::Index>(j.touchpoint_count());
  const PersonaTables& p = j.personas.front();
  Eigen::MatrixXd q = Eigen::MatrixXd::Zero(n, n);
  for (std::uint32_t v = 0; v < j.touchpoint_count(); ++v) {
    const std::uint32_t begin = j.out_begin[v], end = j.out_begin[v + 1];
    for (std::uint32_t e = begin; e < end; ++e) {
      q(v, j.transition_to[e]) += (1 - p.dropout_static[v]) * p.transition_weight[e] /
                                  p.transition_cumulative[end - 1];
    }
  }
  const Eigen::MatrixXd fundamental = (Eigen::MatrixXd::Identity(n, n) - q).inverse();
  Eigen::VectorXd start = Eigen::VectorXd::Zero(n);
  for (std::size_t k = 0; k < p.entry_touchpoints.size(); ++k) {
    const double previous = k == 0 ? 0.0 : p.entry_cumulative[k - 1];
    start[p.entry_touchpoints[k]] = (p.entry_cumulative[k] - previous) / p.entry_cumulative.back();
  }
  const Eigen::MatrixXd diagonal = fundamental.diagonal().asDiagonal();
  const Eigen::MatrixXd second = fundamental * (2 * diagonal - Eigen::MatrixXd::Identity(n, n));
  const Eigen::VectorXd mean = fundamental.transpose() * start;
  const Eigen::VectorXd second_moment = second.transpose() * start;
  return second_moment - mean.cwiseProduct(mean);
}

class ClosedForm : public ::testing::TestWithParam<int> {};

TEST_P(ClosedForm, SimulationMatchesFundamentalMatrixWithinFourStandardErrors) {
  const int seed = GetParam();
  const CompiledJourney journey = compile(testing::random_markov_journey(seed, 6 + seed % 7));
  ASSERT_EQ(why_not_markov(journey), "");
  const MarkovAnalysis exact = analyse_markov(journey);

  RunOptions options;
  options.agents = kAgents;
  options.seed = 1000 + seed;
  const Aggregate pooled = run(journey, options).pooled();
  const OutcomeSums total = pooled.overall();
  const TouchpointTallies a = pooled.tallies();
  const double n = static_cast<double>(total.agents);
  ASSERT_EQ(total.ended[static_cast<int>(Ending::capped)], 0u);

  const double conversion = static_cast<double>(total.conversions) / n;
  EXPECT_NEAR(conversion, exact.conversion_probability,
              4 * binomial_se(exact.conversion_probability, n));

  const Eigen::VectorXd variance = visit_variance(journey);
  for (std::size_t v = 0; v < journey.touchpoint_count(); ++v) {
    SCOPED_TRACE("touchpoint " + journey.touchpoint_ids[v]);
    const double visits = static_cast<double>(a.visits[v]) / n;
    EXPECT_NEAR(visits, exact.expected_visits[v],
                4 * std::sqrt(variance[static_cast<Eigen::Index>(v)] / n) + 1e-12);
    const double dropped = static_cast<double>(a.dropouts[v]) / n;
    EXPECT_NEAR(dropped, exact.dropout_probability[v],
                4 * binomial_se(exact.dropout_probability[v], n));
    const double completed = static_cast<double>(a.completions[v]) / n;
    EXPECT_NEAR(completed, exact.completion_probability[v],
                4 * binomial_se(exact.completion_probability[v], n));
  }
  for (std::size_t s = 0; s < journey.stage_count(); ++s) {
    const double reach = static_cast<double>(a.stage_reach[s]) / n;
    EXPECT_NEAR(reach, exact.stage_reach[s], 4 * binomial_se(exact.stage_reach[s], n));
  }
}

INSTANTIATE_TEST_SUITE_P(RandomJourneys, ClosedForm, ::testing::Range(1, 9));

// Giving up before converting and leaving after converting, against the absorbing chain: a
// dropout at a touchpoint other than a conversion, visited before the first conversion (the
// chain with conversions absorbing), gave up; every other dropout left after converting.
// Within four binomial standard errors, overall and touchpoint by touchpoint.
class ClosedFormOutcomes : public ::testing::TestWithParam<int> {};

TEST_P(ClosedFormOutcomes, GaveUpAndLeftAfterConvertingMatchTheChainWithinFourStandardErrors) {
  const int seed = GetParam();
  const CompiledJourney journey = compile(testing::random_markov_journey(seed, 6 + seed % 7));
  const MarkovAnalysis exact = analyse_markov(journey);
  RunOptions options;
  options.agents = kAgents;
  options.seed = 2000 + seed;
  const Aggregate pooled = run(journey, options).pooled();
  const OutcomeSums total = pooled.overall();
  const TouchpointTallies a = pooled.tallies();
  const double n = static_cast<double>(total.agents);
  ASSERT_EQ(total.ended[static_cast<int>(Ending::capped)], 0u);
  // Both outcomes occur in these chains, so the comparison below can fail either way.
  ASSERT_GT(exact.gave_up_probability, 0.01);
  ASSERT_GT(exact.left_after_converting_probability, 0.01);

  const HeadlineFigures h = headline_figures(total);
  EXPECT_NEAR(h.gave_up_rate.value, exact.gave_up_probability,
              4 * binomial_se(exact.gave_up_probability, n));
  EXPECT_NEAR(h.left_after_converting_rate.value, exact.left_after_converting_probability,
              4 * binomial_se(exact.left_after_converting_probability, n));
  for (std::size_t v = 0; v < journey.touchpoint_count(); ++v) {
    SCOPED_TRACE("touchpoint " + journey.touchpoint_ids[v]);
    const double before_exact = exact.dropout_before_converting_probability[v];
    const double after_exact = exact.dropout_probability[v] - before_exact;
    const double after = static_cast<double>(a.dropouts_after_converting[v]) / n;
    const double before = static_cast<double>(a.dropouts[v]) / n - after;
    EXPECT_NEAR(before, before_exact, 4 * binomial_se(before_exact, n));
    EXPECT_NEAR(after, after_exact, 4 * binomial_se(after_exact, n));
  }
}

INSTANTIATE_TEST_SUITE_P(RandomJourneys, ClosedFormOutcomes, ::testing::Range(1, 7));

TEST(ClosedForm, GivingUpAndLeavingAfterConvertingAddUpToDropout) {
  for (int seed : {3, 11, 77}) {
    const CompiledJourney journey = compile(testing::random_markov_journey(seed, 10));
    const MarkovAnalysis exact = analyse_markov(journey);
    double dropped = 0.0;
    for (std::size_t v = 0; v < journey.touchpoint_count(); ++v) {
      dropped += exact.dropout_probability[v];
      EXPECT_GE(exact.dropout_before_converting_probability[v], 0.0);
      EXPECT_LE(exact.dropout_before_converting_probability[v],
                exact.dropout_probability[v] + 1e-15);
      if (journey.is_conversion[v]) {
        EXPECT_EQ(exact.dropout_before_converting_probability[v], 0.0);
      }
    }
    EXPECT_NEAR(exact.gave_up_probability + exact.left_after_converting_probability, dropped,
                1e-12);
  }
}

TEST(ClosedForm, DropoutSharesAndCompletionsAccountForEveryAgent) {
  const CompiledJourney journey = compile(testing::random_markov_journey(77, 10));
  const MarkovAnalysis exact = analyse_markov(journey);
  double total = 0.0;
  for (std::size_t v = 0; v < journey.touchpoint_count(); ++v) {
    total += exact.dropout_probability[v] + exact.completion_probability[v];
  }
  EXPECT_NEAR(total, 1.0, 1e-12);
}

TEST(ClosedForm, HandComputableChainIsExact) {
  // a -> b (dropout 0.5 at a), b terminal and converting: conversion 1/2, visits a 1, b 1/2.
  Scenario s;
  s.name = "two steps";
  s.stages = {"only"};
  Touchpoint a;
  a.id = "a";
  a.stage = "only";
  a.channel = "web";
  a.dropout = 0.5;
  a.entry_weight = 1;
  Touchpoint b = a;
  b.id = "b";
  b.dropout = 0;
  b.entry_weight = 0;
  b.conversion = true;
  b.value = 10;
  s.touchpoints = {a, b};
  Transition t;
  t.from = "a";
  t.to = "b";
  s.transitions = {t};
  const MarkovAnalysis exact = analyse_markov(compile(s));
  EXPECT_DOUBLE_EQ(exact.conversion_probability, 0.5);
  EXPECT_DOUBLE_EQ(exact.expected_visits[0], 1.0);
  EXPECT_DOUBLE_EQ(exact.expected_visits[1], 0.5);
  EXPECT_DOUBLE_EQ(exact.revenue_per_agent, 5.0);
  EXPECT_DOUBLE_EQ(exact.dropout_probability[0], 0.5);
  EXPECT_DOUBLE_EQ(exact.completion_probability[1], 0.5);
  EXPECT_DOUBLE_EQ(exact.gave_up_probability, 0.5);
  EXPECT_DOUBLE_EQ(exact.left_after_converting_probability, 0.0);
}

TEST(ClosedForm, HandComputableChainAfterConvertingIsExact) {
  // a (converts) -> b (dropout 0.4) -> c terminal; a's dropout 0.5 happens after converting
  // too: nobody gives up, 0.5 + 0.5 * 0.4 = 0.7 leave after converting.
  Scenario s;
  s.name = "after converting";
  s.stages = {"only"};
  Touchpoint a;
  a.id = "a";
  a.stage = "only";
  a.channel = "web";
  a.dropout = 0.5;
  a.entry_weight = 1;
  a.conversion = true;
  Touchpoint b = a;
  b.id = "b";
  b.dropout = 0.4;
  b.entry_weight = 0;
  b.conversion = false;
  Touchpoint c = b;
  c.id = "c";
  c.dropout = 0;
  s.touchpoints = {a, b, c};
  Transition t;
  t.from = "a";
  t.to = "b";
  Transition u = t;
  u.from = "b";
  u.to = "c";
  s.transitions = {t, u};
  const MarkovAnalysis exact = analyse_markov(compile(s));
  EXPECT_DOUBLE_EQ(exact.gave_up_probability, 0.0);
  EXPECT_DOUBLE_EQ(exact.left_after_converting_probability, 0.7);
}

// Each persona's own figures (its agents' tallies) are those of the chain in which everyone is
// that persona: two personas who differ in channel affinities and dropout odds, one run.
TEST(ClosedForm, EachPersonasFiguresMatchItsOwnChain) {
  Scenario mixed = testing::random_markov_journey(7, 12);
  Persona web = mixed.personas.front();
  web.id = "web_lover";
  web.share = 2;
  web.channel_affinity = {{"web", 3.0}};
  Persona sceptic = web;
  sceptic.id = "sceptic";
  sceptic.share = 1;
  sceptic.channel_affinity = {{"store", 2.0}};
  sceptic.dropout_odds = 1.7;
  mixed.personas = {web, sceptic};
  RunOptions options;
  options.agents = kAgents;
  const Summary summary = summarize(compile(mixed), run(compile(mixed), options).replications);

  for (const Persona& persona : mixed.personas) {
    SCOPED_TRACE(persona.id);
    Scenario alone = mixed;
    alone.personas = {persona};
    const CompiledJourney journey = compile(alone);
    const MarkovAnalysis exact = analyse_markov(journey);
    const Eigen::VectorXd variance = visit_variance(journey);
    const PersonaFigures& figures =
        persona.id == summary.personas[0].id ? summary.personas[0] : summary.personas[1];
    ASSERT_EQ(figures.id, persona.id);
    const double n = static_cast<double>(figures.figures.agents);
    for (std::size_t v = 0; v < journey.touchpoint_count(); ++v) {
      SCOPED_TRACE(journey.touchpoint_ids[v]);
      const TouchpointFigures& t = figures.touchpoints[v];
      const double dropped = static_cast<double>(t.dropouts) / n;
      EXPECT_NEAR(dropped, exact.dropout_probability[v],
                  4 * binomial_se(exact.dropout_probability[v], n));
      EXPECT_NEAR(t.visits_per_agent.value, exact.expected_visits[v],
                  4 * std::sqrt(variance[static_cast<Eigen::Index>(v)] / n) + 1e-12);
    }
    for (std::size_t k = 0; k < journey.stage_count(); ++k) {
      EXPECT_NEAR(figures.stages[k].reach_rate.value, exact.stage_reach[k],
                  4 * binomial_se(exact.stage_reach[k], n));
    }
  }
  // The two personas differ enough for the test to tell them apart.
  EXPECT_GT(std::abs(summary.personas[0].figures.conversion_rate.value -
                     summary.personas[1].figures.conversion_rate.value),
            0.01);
}

}  // namespace
}  // namespace cjsim
