// Where two compiled journeys make the same walk (sim/model/walk_sharing.h): every number a
// step reads, changed alone, makes that touchpoint's step differ (or the set-up), and nothing
// else does; touchpoints and transitions match by id across added and removed touchpoints.
#include "sim/model/walk_sharing.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "sim/model/compiled_journey.h"
#include "tests/retail_variants.h"

namespace cjsim {
namespace {

using test::load_example;
using test::retail_with;

std::uint32_t index(const CompiledJourney& j, const std::string& id) {
  const std::int64_t v = j.find_touchpoint(id);
  if (v < 0) throw std::runtime_error("no touchpoint " + id);
  return static_cast<std::uint32_t>(v);
}

std::vector<std::string> differing(const CompiledJourney& first, const WalkSharing& sharing) {
  std::vector<std::string> ids;
  for (std::size_t v = 0; v < first.touchpoint_count(); ++v) {
    if (!sharing.same_step[v]) ids.push_back(first.touchpoint_ids[v]);
  }
  return ids;
}

TEST(WalkSharing, AJourneySharesEveryStepWithItself) {
  const CompiledJourney j = load_example("retail.yaml");
  const WalkSharing sharing = walk_sharing(j, j);
  EXPECT_TRUE(sharing.same_start);
  EXPECT_TRUE(differing(j, sharing).empty());
  for (std::uint32_t v = 0; v < j.touchpoint_count(); ++v) EXPECT_EQ(sharing.touchpoint[v], v);
  for (std::uint32_t e = 0; e < j.transition_count(); ++e) EXPECT_EQ(sharing.transition[e], e);
}

// Each number a step reads (sim/model/agent.h), changed at one touchpoint of a copy of the
// compiled journey: that touchpoint's step differs and no other's, the set-up is the same.
TEST(WalkSharing, EveryNumberAStepReadsMakesItsTouchpointDiffer) {
  const CompiledJourney base = load_example("retail.yaml");
  const std::uint32_t v = index(base, "basket");
  const std::uint32_t e = base.out_begin[v];  // its first transition
  const std::vector<std::pair<std::string, std::function<void(CompiledJourney&)>>> changes = {
      {"emotion_mean", [&](CompiledJourney& j) { j.emotion_mean[v] += 0.01; }},
      {"emotion_sd", [&](CompiledJourney& j) { j.emotion_sd[v] += 0.01; }},
      {"duration_kind", [&](CompiledJourney& j) { j.duration_kind[v] = DurationKind::lognormal; }},
      {"duration_a", [&](CompiledJourney& j) { j.duration_a[v] += 0.01; }},
      {"duration_b", [&](CompiledJourney& j) { j.duration_b[v] += 0.01; }},
      {"cost", [&](CompiledJourney& j) { j.cost[v] += 0.01; }},
      {"is_conversion", [&](CompiledJourney& j) { j.is_conversion[v] = 1; }},
      {"conversion_value", [&](CompiledJourney& j) { j.conversion_value[v] += 1; }},
      {"emotion_steers_choice", [&](CompiledJourney& j) { j.emotion_steers_choice[v] ^= 1; }},
      {"transition_to", [&](CompiledJourney& j) { j.transition_to[e] = index(j, "referral"); }},
      {"bias_group", [&](CompiledJourney& j) { j.bias_group[e] += 1; }},
      {"bias_values", [&](CompiledJourney& j) { j.bias_values[j.bias_begin[v]] += 0.01; }},
      {"dropout_log_odds", [&](CompiledJourney& j) { j.personas[1].dropout_log_odds[v] += 0.01; }},
      {"dropout_static", [&](CompiledJourney& j) { j.personas[1].dropout_static[v] += 0.01; }},
      {"dropout_sure", [&](CompiledJourney& j) { j.personas[1].dropout_sure[v] += 0.01; }},
      {"dropout_never", [&](CompiledJourney& j) { j.personas[1].dropout_never[v] += 0.01; }},
      {"bias_max", [&](CompiledJourney& j) { j.personas[1].bias_max[v] += 0.01; }},
      {"bias_min", [&](CompiledJourney& j) { j.personas[1].bias_min[v] -= 0.01; }},
      {"transition_weight", [&](CompiledJourney& j) { j.personas[1].transition_weight[e] *= 2; }},
      {"transition_cumulative",
       [&](CompiledJourney& j) { j.personas[1].transition_cumulative[e] *= 2; }},
      {"a negative zero", [&](CompiledJourney& j) { j.duration_b[v] = -j.duration_b[v]; }},
  };
  ASSERT_EQ(base.duration_b[v], 0.0);
  for (const auto& [what, change] : changes) {
    SCOPED_TRACE(what);
    CompiledJourney changed = base;
    change(changed);
    const WalkSharing sharing = walk_sharing(base, changed);
    EXPECT_TRUE(sharing.same_start);
    EXPECT_EQ(differing(base, sharing), std::vector<std::string>{"basket"});
    EXPECT_EQ(sharing.transition[e], kNotInOther);
  }
}

// Each number the set-up or every step reads, changed: no walk starts alike.
TEST(WalkSharing, EveryNumberTheSetUpReadsMakesTheStartDiffer) {
  const CompiledJourney base = load_example("retail.yaml");
  const std::uint32_t entry = base.personas[0].entry_touchpoints[0];
  const std::vector<std::pair<std::string, std::function<void(CompiledJourney&)>>> changes = {
      {"memory", [](CompiledJourney& j) { j.memory += 0.01; }},
      {"kappa", [](CompiledJourney& j) { j.kappa += 0.01; }},
      {"max_steps", [](CompiledJourney& j) { j.max_steps += 1; }},
      {"horizon_hours", [](CompiledJourney& j) { j.horizon_hours += 1; }},
      {"persona_cumulative", [](CompiledJourney& j) { j.persona_cumulative[0] += 0.01; }},
      {"persona count", [](CompiledJourney& j) { j.personas.pop_back(); }},
      {"sensitivity", [](CompiledJourney& j) { j.personas[2].sensitivity += 0.01; }},
      {"value_multiplier", [](CompiledJourney& j) { j.personas[2].value_multiplier += 0.01; }},
      {"initial_emotion_mean",
       [](CompiledJourney& j) { j.personas[2].initial_emotion_mean += 0.01; }},
      {"initial_emotion_sd", [](CompiledJourney& j) { j.personas[2].initial_emotion_sd += 0.01; }},
      {"entry_cumulative", [](CompiledJourney& j) { j.personas[2].entry_cumulative[0] += 0.01; }},
      {"entry_touchpoints",
       [&](CompiledJourney& j) { j.personas[0].entry_touchpoints[0] = entry + 1; }},
      {"a lost entry", [](CompiledJourney& j) { j.personas[0].entry_touchpoints[0] = kLostEntry; }},
  };
  for (const auto& [what, change] : changes) {
    SCOPED_TRACE(what);
    CompiledJourney changed = base;
    change(changed);
    const WalkSharing sharing = walk_sharing(base, changed);
    EXPECT_FALSE(sharing.same_start);
    EXPECT_EQ(differing(base, sharing).size(), base.touchpoint_count());
  }
}

// What the walk does not read (names, stages, channels, thresholds, the journey's own weights
// before the personas' tables) changes no step.
TEST(WalkSharing, WhatNoStepReadsChangesNothing) {
  const CompiledJourney base = load_example("retail.yaml");
  CompiledJourney changed = base;
  changed.name = "renamed";
  changed.touchpoint_names[3] = "renamed";
  changed.stage_of[3] = 0;
  changed.promoter_threshold = 8;
  changed.detractor_threshold = 6;
  changed.personas[1].id = "renamed";
  const WalkSharing sharing = walk_sharing(base, changed);
  EXPECT_TRUE(sharing.same_start);
  EXPECT_TRUE(differing(base, sharing).empty());
}

TEST(WalkSharing, ChangesOfTheScenarioDifferWhereTheyAct) {
  const CompiledJourney base = load_example("retail.yaml");
  {
    SCOPED_TRACE("a touchpoint");
    const CompiledJourney changed =
        retail_with("  - update_touchpoint: {id: review_request, emotion: {mean: 0.4}}\n");
    const WalkSharing sharing = walk_sharing(base, changed);
    EXPECT_TRUE(sharing.same_start);
    EXPECT_EQ(differing(base, sharing), std::vector<std::string>{"review_request"});
  }
  {
    SCOPED_TRACE("a transition's weight: its source");
    const CompiledJourney changed = retail_with(
        "  - reweight_transition: {from: delivery, to: support_call, factor: 0.5}\n");
    const WalkSharing sharing = walk_sharing(base, changed);
    EXPECT_TRUE(sharing.same_start);
    EXPECT_EQ(differing(base, sharing), std::vector<std::string>{"delivery"});
  }
  for (const char* change : {"  - update_settings: {kappa: 1.2}\n",
                             "  - update_touchpoint: {id: email_promo, entry_weight: 4}\n",
                             "  - update_persona: {id: bargain_hunter, sensitivity: 1.4}\n",
                             "  - remove_touchpoint: {id: email_promo, entry_traffic: lost}\n"}) {
    SCOPED_TRACE(change);
    EXPECT_FALSE(walk_sharing(base, retail_with(change)).same_start);
  }
}

// One-click checkout removes account_signup (every later touchpoint moves down one) and adds
// one_click at the end: the others still match by id, and only the touchpoints it changed
// (or whose transitions it changed) differ.
TEST(WalkSharing, TouchpointsAndTransitionsMatchByIdAcrossRemovedAndAddedOnes) {
  const CompiledJourney base = load_example("retail.yaml");
  const CompiledJourney future = load_example("retail_one_click_checkout.yaml");
  const WalkSharing sharing = walk_sharing(base, future);
  EXPECT_TRUE(sharing.same_start);
  EXPECT_EQ(sharing.touchpoint[index(base, "account_signup")], kNotInOther);
  for (std::uint32_t v = 0; v < base.touchpoint_count(); ++v) {
    const std::string& id = base.touchpoint_ids[v];
    if (id == "account_signup") continue;
    EXPECT_EQ(sharing.touchpoint[v], index(future, id)) << id;
  }
  EXPECT_EQ(differing(base, sharing),
            (std::vector<std::string>{"basket", "account_signup", "web_checkout"}));
  // A shared touchpoint's transitions go to the same touchpoints, in the same order.
  const std::uint32_t v = index(base, "delivery");
  const std::uint32_t w = index(future, "delivery");
  ASSERT_TRUE(sharing.same_step[v]);
  for (std::uint32_t e = base.out_begin[v]; e < base.out_begin[v + 1]; ++e) {
    const std::uint32_t f = sharing.transition[e];
    ASSERT_NE(f, kNotInOther);
    EXPECT_EQ(future.transition_from[f], w);
    EXPECT_EQ(future.touchpoint_ids[future.transition_to[f]],
              base.touchpoint_ids[base.transition_to[e]]);
  }
}

}  // namespace
}  // namespace cjsim
