// Attribution: removal effects of order 1 and 2, attributed conversions and value, and the
// heuristics, on a path table worked out by hand; simulated removal effects agree with the
// exact ones on a Markov journey.
#include "models/attribution/attribution.h"

#include <gtest/gtest.h>

#include <fstream>
#include <numeric>

#include "models/attribution/removal_effects.h"
#include "models/observed/observed_reader.h"
#include "reports/render/attribution_report.h"
#include "scenarios/loader.h"
#include "scenarios/validate.h"

namespace cjsim {
namespace {

// tiny_paths.csv: A > B: 2 conversions worth 20 and 1 null; A: 1 null; B: 1 conversion worth 30.
ChannelPaths tiny_paths() {
  Diagnostics d;
  const auto data = read_observed_file(CJSIM_TEST_DATA "/observed/tiny_paths.csv", {}, d);
  EXPECT_TRUE(data) << d.to_string();
  return channel_paths(*data, AttributionLevel::channel);
}

TEST(Attribution, ChannelPathsLeaveOutTheAppendedConversion) {
  const ChannelPaths paths = tiny_paths();
  EXPECT_EQ(paths.channels, (std::vector<std::string>{"A", "B"}));
  ASSERT_EQ(paths.paths.size(), 3u);
  EXPECT_EQ(paths.paths[0].channels, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(paths.paths[0].conversions, 2.0);
  EXPECT_EQ(paths.paths[0].nulls, 1.0);
  EXPECT_EQ(paths.conversions(), 3.0);
  EXPECT_EQ(paths.value(), 50.0);
}

// Order 1: start -> A 4/5, -> B 1/5; A -> B 3/4, A stops 1/4; B -> conversion 3/4, stops 1/4.
// P(conversion) = 4/5 3/4 3/4 + 1/5 3/4 = 3/5. Without A: 1/5 3/4 = 3/20, a loss of 3/4;
// without B: 0, a loss of 1. Shares of the 3 conversions: 9/7 and 12/7.
TEST(Attribution, FirstOrderRemovalEffectsMatchTheHandComputedChain) {
  const MarkovAttribution m = markov_attribution(tiny_paths(), 1);
  EXPECT_EQ(m.states, 2u);
  EXPECT_NEAR(m.conversion_probability, 0.6, 1e-15);
  EXPECT_NEAR(m.removal_effect[0], 0.75, 1e-15);
  EXPECT_NEAR(m.removal_effect[1], 1.0, 1e-15);
  EXPECT_NEAR(m.conversions[0], 9.0 / 7.0, 1e-14);
  EXPECT_NEAR(m.conversions[1], 12.0 / 7.0, 1e-14);
  // Every conversion comes after B, worth 50/3 on average: value shares as conversions.
  EXPECT_NEAR(m.value_removal_effect[0], 0.75, 1e-15);
  EXPECT_NEAR(m.value[0], 150.0 / 7.0, 1e-12);
  EXPECT_NEAR(m.value[1], 200.0 / 7.0, 1e-12);
}

// Order 2: states (A,B), (A), (B) entered 3, 1, 1 times. (A,B) converts 2/3 (mean value 10),
// (B) always (30). P = 3/5 2/3 + 1/5 = 3/5; value per customer 3/5 2/3 10 + 1/5 30 = 10.
// Without A only (B) is left: P = 1/5 (loss 2/3), value 6 (loss 2/5). Without B: nothing.
TEST(Attribution, SecondOrderStatesAreWindowsOfTwoChannels) {
  const MarkovAttribution m = markov_attribution(tiny_paths(), 2);
  EXPECT_EQ(m.states, 3u);
  EXPECT_NEAR(m.conversion_probability, 0.6, 1e-15);
  EXPECT_NEAR(m.removal_effect[0], 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(m.removal_effect[1], 1.0, 1e-15);
  EXPECT_NEAR(m.conversions[0], 6.0 / 5.0, 1e-14);
  EXPECT_NEAR(m.conversions[1], 9.0 / 5.0, 1e-14);
  EXPECT_NEAR(m.value_removal_effect[0], 0.4, 1e-15);
  EXPECT_NEAR(m.value[0], 100.0 / 7.0, 1e-12);
  EXPECT_NEAR(m.value[1], 250.0 / 7.0, 1e-12);
}

TEST(Attribution, HeuristicsCreditFirstLastAndEveryStep) {
  ChannelPaths paths = tiny_paths();
  // A repeated channel: A > A > B converting once, worth 9.
  paths.paths.push_back({{0, 0, 1}, 1.0, 9.0, 0.0});
  const HeuristicAttribution h = heuristic_attribution(paths);
  EXPECT_EQ(h.first_touch_conversions, (std::vector<double>{3.0, 1.0}));
  EXPECT_EQ(h.first_touch_value, (std::vector<double>{29.0, 30.0}));
  EXPECT_EQ(h.last_touch_conversions, (std::vector<double>{0.0, 4.0}));
  EXPECT_EQ(h.last_touch_value, (std::vector<double>{0.0, 59.0}));
  EXPECT_NEAR(h.linear_conversions[0], 1.0 + 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(h.linear_conversions[1], 1.0 + 1.0 + 1.0 / 3.0, 1e-15);
  EXPECT_NEAR(h.linear_value[0], 10.0 + 6.0, 1e-14);
  EXPECT_NEAR(h.linear_value[1], 10.0 + 30.0 + 3.0, 1e-14);
  // Repeats of a state are one step in the chain: A > A > B is the chain's A > B.
  const ChainOfOrder chain = markov_chain_of_order(paths, 1);
  EXPECT_EQ(chain.state_channels.size(), 2u);
}

TEST(Attribution, ConversionsAttributedAddUpToTheData) {
  Diagnostics d;
  const auto data = read_observed_file(CJSIM_TEST_DATA "/observed/pathdata_head.csv", {}, d);
  ASSERT_TRUE(data) << d.to_string();
  const ChannelPaths paths = channel_paths(*data, AttributionLevel::channel);
  for (int order = 1; order <= 3; ++order) {
    Diagnostics chain_problems;
    validate_scenario(markov_chain_of_order(paths, order).scenario, chain_problems);
    EXPECT_FALSE(chain_problems.has_errors()) << chain_problems.to_string();
    const MarkovAttribution m = markov_attribution(paths, order);
    EXPECT_NEAR(std::accumulate(m.conversions.begin(), m.conversions.end(), 0.0),
                paths.conversions(), 1e-9);
    EXPECT_NEAR(std::accumulate(m.value.begin(), m.value.end(), 0.0), paths.value(), 1e-9);
    double customers = 0.0;
    for (const auto& p : paths.paths) customers += p.conversions + p.nulls;
    EXPECT_NEAR(m.conversion_probability, paths.conversions() / customers, 1e-12) << order;
    for (double effect : m.removal_effect) {
      EXPECT_GE(effect, 0.0);
      EXPECT_LE(effect, 1.0 + 1e-12);
    }
  }
}

TEST(RemovalEffects, SimulationOnCommonRandomNumbersAgreesWithTheExactChain) {
  Diagnostics d;
  auto scenario = load_valid_scenario(CJSIM_SOURCE_DIR "/scenarios/examples/retail.yaml", d);
  ASSERT_TRUE(scenario) << d.to_string();
  scenario->settings.kappa = 0.0;
  for (Transition& t : scenario->transitions) t.emotion_bias = 0.0;
  std::vector<TouchpointGroup> groups;
  std::map<std::string, std::size_t> by_channel;
  for (const Touchpoint& t : scenario->touchpoints) {
    auto [it, added] = by_channel.try_emplace(t.channel, groups.size());
    if (added) groups.push_back({t.channel, {}});
    groups[it->second].touchpoints.insert(t.id);
  }
  const ExactRemovals exact = exact_removal_effects(*scenario, groups);
  RunOptions options;
  options.agents = 40000;
  options.threads = 2;
  const SimulatedRemovals simulated = simulated_removal_effects(*scenario, groups, options);
  ASSERT_EQ(simulated.groups.size(), groups.size());
  for (std::size_t k = 0; k < groups.size(); ++k) {
    const double exact_loss = exact.conversion_probability - exact.groups[k].conversion_probability;
    const SimulatedRemoval& s = simulated.groups[k];
    // The 95% interval, widened to about 4 standard errors, holds the exact loss.
    const double half = (s.conversion_loss.high - s.conversion_loss.low) / 2.0;
    EXPECT_NEAR(s.conversion_loss.value, exact_loss, 2.0 * half + 1e-12) << groups[k].name;
  }
}

// Entries a (weight 3, converts half the time) and b (weight 1, always converts): conversion
// 0.75 x 0.5 + 0.25 = 0.625. Removing b with its customers lost leaves 0.375 (effect 0.4);
// with them starting at a instead, 0.5 (effect 0.2). With no entry left, all is lost either way.
TEST(RemovalEffects, RemovedEntryTrafficIsLostByDefaultOrRedistributedWhenAsked) {
  Diagnostics d;
  auto scenario = parse_scenario(
      "name: Doors\nstages: [s]\n"
      "touchpoints:\n"
      "  - {id: a, stage: s, channel: web, entry_weight: 3, dropout: 0.5}\n"
      "  - {id: b, stage: s, channel: store, entry_weight: 1}\n"
      "  - {id: c, stage: s, channel: web, conversion: {value: 10}}\n"
      "transitions:\n"
      "  - {from: a, to: c}\n"
      "  - {from: b, to: c}\n",
      "doors.yaml", d);
  ASSERT_TRUE(scenario) << d.to_string();
  const std::vector<TouchpointGroup> groups = {{"b", {"b"}}, {"a and b", {"a", "b"}}};
  EXPECT_EQ(removed_entries(*scenario, {"b", "c"}), (std::vector<std::string>{"b"}));
  const ExactRemovals lost = exact_removal_effects(*scenario, groups);
  const ExactRemovals moved = exact_removal_effects(*scenario, groups, EntryTraffic::redistributed);
  EXPECT_NEAR(lost.conversion_probability, 0.625, 1e-15);
  EXPECT_NEAR(lost.groups[0].conversion_effect, 0.4, 1e-12);
  EXPECT_NEAR(moved.groups[0].conversion_effect, 0.2, 1e-12);
  EXPECT_NEAR(lost.groups[1].conversion_effect, 1.0, 1e-12);
  EXPECT_NEAR(moved.groups[1].conversion_effect, 1.0, 1e-12);
  // Simulation on common random numbers agrees with the exact redistributed removal.
  RunOptions options;
  options.agents = 20000;
  options.threads = 2;
  const SimulatedRemovals simulated =
      simulated_removal_effects(*scenario, groups, options, EntryTraffic::redistributed);
  const SimulatedRemoval& s = simulated.groups[0];
  // The 95% interval, widened to about 4 standard errors, holds the exact loss 0.125.
  const double half = (s.conversion_loss.high - s.conversion_loss.low) / 2.0;
  EXPECT_GT(half, 0.0);
  EXPECT_NEAR(s.conversion_loss.value, 0.125, 2.0 * half);
  EXPECT_EQ(entry_traffic_from_name("redistributed"), EntryTraffic::redistributed);
  EXPECT_EQ(entry_traffic_from_name("moved"), std::nullopt);
}

// Totals of millions read as numbers, not as 4.47514e+06 (which also lost the last digits).
TEST(AttributionText, LargeAndWholeFiguresPrintWithoutAnExponent) {
  AttributionTable table;
  table.source = "bpic.xes";
  table.level = "channel";
  table.channels = {"web"};
  table.totals = {{"conversions", 4475143.0}, {"conversion_value", 12345678.9},
                  {"markov_1_conversion_probability", 0.2075213}};
  table.columns = {{"linear_conversions", {1234567.25}}, {"markov_1_removal_effect", {0.6032841}}};
  const std::string text = attribution_text(table);
  EXPECT_NE(text.find("conversions: 4475143\n"), std::string::npos) << text;
  EXPECT_NE(text.find("conversion_value: 12345679\n"), std::string::npos) << text;
  EXPECT_NE(text.find("markov_1_conversion_probability: 0.207521\n"), std::string::npos) << text;
  EXPECT_NE(text.find("1234567"), std::string::npos) << text;
  EXPECT_NE(text.find("0.603284"), std::string::npos) << text;
  EXPECT_EQ(text.find("e+0"), std::string::npos) << text;
}

}  // namespace
}  // namespace cjsim
