// Expected journey lengths before a run, and the bounds that warn or refuse: exact on absorbing
// chains, capped by max_steps, fast on huge journeys; and the machine's memory as read.
#include "sim/model/journey_length.h"

#include <gtest/gtest.h>

#include <bit>
#include <chrono>
#include <cstdint>
#include <string>

#include "scenarios/scenario.h"
#include "scenarios/validate.h"
#include "sim/engine/machine_memory.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/markov.h"

namespace cjsim {
namespace {

Touchpoint touchpoint(const std::string& id, double dropout, double entry = 0.0) {
  Touchpoint t;
  t.id = id;
  t.stage = "only";
  t.channel = "web";
  t.dropout = dropout;
  t.entry_weight = entry;
  return t;
}

void add(Scenario& s, const std::string& from, const std::string& to, double weight) {
  Transition t;
  t.from = from;
  t.to = to;
  t.weight = weight;
  s.transitions.push_back(t);
}

// a <-> b, b -> buy: leaving the cycle has probability `exit` per round.
Scenario cycle(double back_weight, double out_weight, double dropout, std::int64_t max_steps) {
  Scenario s;
  s.name = "cycle";
  s.stages = {"only"};
  s.settings.max_steps = max_steps;
  s.personas.push_back(neutral_persona());
  s.touchpoints = {touchpoint("a", dropout, 1.0), touchpoint("b", dropout), touchpoint("buy", 0)};
  s.touchpoints[2].conversion = true;
  add(s, "a", "b", 1.0);
  add(s, "b", "a", back_weight);
  add(s, "b", "buy", out_weight);
  return s;
}

TEST(JourneyLength, ExpectedStepsMatchTheFundamentalMatrixOnAnAbsorbingChain) {
  const CompiledJourney j = compile(cycle(2.0, 1.0, 0.1, 1000));
  const JourneyLength length = expected_journey_length(j);
  ASSERT_TRUE(length.known);
  EXPECT_TRUE(length.exact);
  EXPECT_NEAR(length.steps_per_agent, analyse_markov(j).expected_steps, 1e-9);
}

TEST(JourneyLength, ANearTrappingCycleIsAboutABillionVisitsOrTheCap) {
  const JourneyLength uncapped = expected_journey_length(compile(cycle(1e6, 1e-6, 1e-9, 1000000000000)));
  EXPECT_GT(uncapped.steps_per_agent, 5e8);
  EXPECT_LT(uncapped.steps_per_agent, 2e9);
  const JourneyLength capped = expected_journey_length(compile(cycle(1e6, 1e-6, 1e-9, 1000000)));
  EXPECT_TRUE(capped.capped);
  EXPECT_EQ(capped.steps_per_agent, 1e6);
}

TEST(JourneyLength, EmotionThatSteersMakesItAnEstimateAndSaysSo) {
  Scenario s = cycle(2.0, 1.0, 0.1, 1000);
  s.settings.kappa = 1.0;
  const JourneyLength length = expected_journey_length(compile(s));
  EXPECT_FALSE(length.exact);
  EXPECT_NE(length.note.find("estimate from the chain at neutral emotion"), std::string::npos);
}

// "t12" (appended: GCC 12 warns falsely on "t" + std::to_string(i)).
std::string id_of(int i) {
  std::string id = "t";
  id += std::to_string(i);
  return id;
}

TEST(JourneyLength, AMillionTouchpointChainIsEstimatedFast) {
  Scenario s;
  s.name = "chain";
  s.stages = {"only"};
  s.personas.push_back(neutral_persona());
  constexpr int kCount = 1000000;
  const Touchpoint like = touchpoint("t", 0.0);
  for (int i = 0; i < kCount; ++i) {
    Touchpoint t = like;
    t.id = id_of(i);
    t.entry_weight = i == 0 ? 1.0 : 0.0;
    s.touchpoints.push_back(std::move(t));
    if (i > 0) add(s, id_of(i - 1), id_of(i), 1.0);
  }
  s.settings.max_steps = 2 * kCount;
  const CompiledJourney j = compile(s);
  const auto start = std::chrono::steady_clock::now();
  const JourneyLength length = expected_journey_length(j);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(), 10.0);
  EXPECT_DOUBLE_EQ(length.steps_per_agent, kCount);
}

TEST(JourneyLength, LongRunsWarnAndHugeOnesAreRefusedUnlessAllowed) {
  JourneyLength length;
  length.known = true;
  length.steps_per_agent = 10;
  EXPECT_EQ(check_run_length(length, 1e5, false).verdict, RunLengthCheck::Verdict::fine);
  EXPECT_EQ(check_run_length(length, 1e11, false).verdict, RunLengthCheck::Verdict::warn);
  const RunLengthCheck refused = check_run_length(length, 1e13, false);
  EXPECT_EQ(refused.verdict, RunLengthCheck::Verdict::refuse);
  EXPECT_NE(refused.message.find("--allow-long"), std::string::npos);
  EXPECT_EQ(check_run_length(length, 1e13, true).verdict, RunLengthCheck::Verdict::warn);
  length.steps_per_agent = 1e6;  // long journeys warn even for a few agents
  EXPECT_EQ(check_run_length(length, 10, false).verdict, RunLengthCheck::Verdict::warn);
}

TEST(MachineMemory, ReadsMemAvailableAndTheRoomUnderACgroupLimit) {
  EXPECT_EQ(meminfo_available("MemTotal: 100 kB\nMemAvailable:   2048 kB\n"), 2048u * 1024);
  EXPECT_FALSE(meminfo_available("MemTotal: 100 kB\n"));
  EXPECT_FALSE(cgroup_room("max\n", "100\n"));
  EXPECT_EQ(cgroup_room("1000\n", "300\n"), 700u);
  EXPECT_EQ(cgroup_room("1000\n", "3000\n"), 0u);
  const std::optional<AvailableMemory> available = available_memory();
  ASSERT_TRUE(available);  // Linux: /proc/meminfo at least
  EXPECT_GT(available->bytes, 0u);
}

TEST(JourneyLength, AChainSolverKeptBetweenJourneysGivesWhatAFreshOneGivesToTheBit) {
  // Points of a sweep: one graph with other dropouts and weights (the ordering is reused), and
  // between them a journey of another graph (the ordering is found again).
  ChainSolver kept;
  // The kept solver's lengths and notes are a fresh solver's, to the bit.
  const auto expect_as_fresh = [&](const Scenario& scenario, int k) {
    const CompiledJourney j = compile(scenario);
    const JourneyLength fresh = expected_journey_length(j);
    const JourneyLength reused = expected_journey_length(j, kept);
    ASSERT_TRUE(fresh.known);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(reused.steps_per_agent),
              std::bit_cast<std::uint64_t>(fresh.steps_per_agent))
        << k << ": " << reused.steps_per_agent << " against " << fresh.steps_per_agent;
    EXPECT_EQ(reused.note, fresh.note);
  };
  for (int k = 0; k < 6; ++k) {
    const Scenario s = k == 3 ? cycle(5.0, 1.0, 0.01, 1000)
                              : cycle(1.0 + k, 0.5 + 0.25 * k, 0.01 * (k + 1), 1000);
    Scenario other = s;
    if (k == 3) add(other, "a", "buy", 0.5);  // another pattern
    expect_as_fresh(other, k);
  }
  // And the retail example's cycles and personas, its dropouts varied as a sweep does.
  Diagnostics d;
  const std::optional<Scenario> retail =
      load_valid_scenario(std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/retail.yaml", d);
  ASSERT_TRUE(retail) << d.to_string();
  const auto retail_point = [&](int k) {
    Scenario point = *retail;
    for (std::size_t t = 0; t < point.touchpoints.size(); t += 3) {
      point.touchpoints[t].dropout = 0.05 + 0.1 * k + 0.01 * static_cast<double>(t);
    }
    return point;
  };
  for (int k = 0; k < 5; ++k) expect_as_fresh(retail_point(k), k);
  // Chains solved before, met again in another order and with what leaves the chain at
  // neutral emotion as it is changed (kappa): the kept answers are a solve's.
  for (int k = 4; k >= 0; --k) {
    Scenario point = retail_point(k);
    point.settings.kappa = 0.5 * k;
    expect_as_fresh(point, 10 + k);
  }
  // Personas of one chain (the same numbers under other names) share its answer.
  Scenario twins = *retail;
  for (Persona& p : twins.personas) {
    p.channel_affinity = twins.personas.front().channel_affinity;
    p.dropout_odds = twins.personas.front().dropout_odds;
  }
  expect_as_fresh(twins, 20);
}

}  // namespace
}  // namespace cjsim
