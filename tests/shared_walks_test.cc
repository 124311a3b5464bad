// A comparison tells a future state the current state's walk of an agent that walks the same
// way in both (sim/model/walk_sharing.h) instead of walking it again, and walks on from where
// the walks part: every aggregate, paired moment and rival's moment must be what walking every
// state gives, to the bit, whatever the future state changed, with several states,
// replications and threads.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "sim/engine/comparison.h"
#include "sim/engine/engine.h"
#include "sim/model/compiled_journey.h"
#include "tests/retail_variants.h"
#include "tests/sanitized.h"

namespace cjsim {
namespace {

using test::load_example;
using test::retail_with;

RunOptions options(std::uint64_t agents, std::uint32_t replications = 1, unsigned threads = 1) {
  RunOptions o;
  o.agents = agents;
  o.replications = replications;
  o.threads = threads;
  o.seed = 7;
  return o;
}

// The comparison with shared walks, checked against walking every state; returns the walks
// shared.
std::uint64_t shared_walks_of(const std::vector<CompiledJourney>& journeys,
                              const RunOptions& options) {
  const ComparisonRun shared = run_comparison(journeys, options);
  const ComparisonRun walked = detail::run_comparison_walking_every_state(journeys, options);
  EXPECT_EQ(walked.shared_walks, 0u);
  EXPECT_EQ(shared.runs.size(), walked.runs.size());
  for (std::size_t k = 0; k < shared.runs.size() && k < walked.runs.size(); ++k) {
    EXPECT_TRUE(shared.runs[k].replications == walked.runs[k].replications) << "state " << k;
  }
  EXPECT_TRUE(shared.paired == walked.paired);
  EXPECT_TRUE(shared.rivals == walked.rivals);
  // The differences people read, to the bit too (NaN where both are undefined).
  const std::vector<Difference> a = differences(shared);
  const std::vector<Difference> b = differences(walked);
  EXPECT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    const double x = a[i].difference.value, y = b[i].difference.value;
    EXPECT_TRUE(x == y || (std::isnan(x) && std::isnan(y))) << a[i].metric << " " << a[i].scope;
  }
  return shared.shared_walks;
}

TEST(SharedWalks, ALateTouchpointChangedSharesMostWalksAndChangesNoNumber) {
  const std::vector<CompiledJourney> journeys = {
      load_example("retail.yaml"),
      retail_with("  - update_touchpoint: {id: review_request, emotion: {mean: 0.4}}\n")};
  const std::uint64_t agents = 20000;
  // Most shoppers never buy, so never reach the review request.
  EXPECT_GT(shared_walks_of(journeys, options(agents)), agents / 2);
}

TEST(SharedWalks, AnEarlyTouchpointChangedSharesTheWalksThatMissIt) {
  const std::vector<CompiledJourney> journeys = {
      load_example("retail.yaml"),
      retail_with("  - update_touchpoint: {id: social_ad, dropout: 0.5}\n")};
  const std::uint64_t agents = 20000;
  const std::uint64_t shared = shared_walks_of(journeys, options(agents));
  EXPECT_GT(shared, 0u);  // those entering elsewhere
  EXPECT_LT(shared, agents);
}

TEST(SharedWalks, ATransitionChangedSharesTheWalksThatMissItsSource) {
  const std::vector<CompiledJourney> journeys = {
      load_example("retail.yaml"),
      retail_with("  - reweight_transition: {from: delivery, to: support_call, factor: 0.5}\n")};
  EXPECT_GT(shared_walks_of(journeys, options(20000)), 10000u);
}

// Changes every agent's set-up meets: no walk is shared, and the numbers are those of walking.
TEST(SharedWalks, AnEntryAPersonaOrASettingChangedSharesNoWalk) {
  for (const char* change : {"  - update_touchpoint: {id: email_promo, entry_weight: 4}\n",
                             "  - update_persona: {id: bargain_hunter, sensitivity: 1.4}\n",
                             "  - update_persona: {id: bargain_hunter, share: 0.3}\n",
                             "  - update_settings: {kappa: 1.2}\n",
                             "  - remove_touchpoint: {id: email_promo, entry_traffic: lost}\n"}) {
    SCOPED_TRACE(change);
    const std::vector<CompiledJourney> journeys = {load_example("retail.yaml"),
                                                   retail_with(change)};
    EXPECT_EQ(shared_walks_of(journeys, options(5000)), 0u);
  }
}

// A persona's channel affinity changes that persona's tables at the touchpoints it weighs.
TEST(SharedWalks, APersonasAffinityChangedSharesTheWalksThatMissItsTables) {
  const std::vector<CompiledJourney> journeys = {
      load_example("retail.yaml"),
      retail_with("  - update_persona: {id: store_loyalist, channel_affinity: {phone: 2}}\n")};
  EXPECT_GT(shared_walks_of(journeys, options(10000)), 0u);
}

// Added and removed touchpoints renumber the others: the shared walks are told in the future
// state's numbers.
TEST(SharedWalks, AddedAndRemovedTouchpointsShareWalksInTheirOwnNumbers) {
  for (const char* future : {"retail_one_click_checkout.yaml", "retail_proactive_delivery.yaml"}) {
    SCOPED_TRACE(future);
    const std::vector<CompiledJourney> journeys = {load_example("retail.yaml"),
                                                   load_example(future)};
    EXPECT_GT(shared_walks_of(journeys, options(20000)), 5000u);
  }
}

TEST(SharedWalks, SeveralStatesReplicationsAndThreadsChangeNoNumber) {
  const std::vector<CompiledJourney> journeys = {
      load_example("retail.yaml"), load_example("retail_one_click_checkout.yaml"),
      load_example("retail_proactive_delivery.yaml"), load_example("retail_store_push.yaml"),
      retail_with("  - update_touchpoint: {id: review_request, emotion: {mean: 0.4}}\n")};
  // Blocks of 16,384 agents: 3 blocks, or 2 in a sanitized build (several times slower), so
  // that two threads share the work either way.
  const std::uint64_t agents = testing::kSanitized ? 20000 : 40000;
  const std::uint64_t two_threads = shared_walks_of(journeys, options(agents, 3, 2));
  EXPECT_GT(two_threads, 0u);
  EXPECT_EQ(shared_walks_of(journeys, options(agents, 3, 1)), two_threads);
}

// Walks that are shared but pair differently: a touchpoint moved to another stage (the pair's
// layout places it apart) and other promoter thresholds (the same walk, other values). Their
// pairing must take both sides, as for walks that part.
TEST(SharedWalks, SharedWalksWithAnotherStageOrOtherValuesPairBothSides) {
  const CompiledJourney retail = load_example("retail.yaml");
  const CompiledJourney moved =
      retail_with("  - update_touchpoint: {id: basket, stage: consideration}\n");
  EXPECT_GT(shared_walks_of({retail, moved}, options(10000)), 0u);
  const CompiledJourney promoters = retail_with("  - update_settings: {promoter_threshold: 8}\n");
  const CompiledJourney detractors =
      retail_with("  - update_settings: {detractor_threshold: 5}\n");
  EXPECT_GT(shared_walks_of({retail, promoters, detractors, moved}, options(10000, 2)), 0u);
}

// Short walks that end capped or censored, and an identical future state (every walk shared,
// every difference exactly 0).
TEST(SharedWalks, CappedCensoredAndIdenticalWalksChangeNoNumber) {
  const std::vector<CompiledJourney> capped = {
      retail_with("  - update_settings: {max_steps: 4, horizon_hours: 30}\n"),
      retail_with("  - update_settings: {max_steps: 4, horizon_hours: 30}\n"
                  "  - update_touchpoint: {id: basket, cost: 3}\n")};
  EXPECT_GT(shared_walks_of(capped, options(10000)), 0u);
  const CompiledJourney retail = load_example("retail.yaml");
  EXPECT_EQ(shared_walks_of({retail, retail, retail}, options(5000, 2)), 2u * 2u * 5000u);
}

}  // namespace
}  // namespace cjsim
