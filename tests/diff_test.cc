// Comparing two journeys: a journey against itself has no differences, and a future state
// against its base shows exactly the changes it applied, as a strategist and a program read them.
#include "scenarios/diff.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <utility>

#include "sanitized.h"

#include "scenarios/diagnostic.h"
#include "scenarios/loader.h"
#include "scenarios/scenario.h"

namespace cjsim {
namespace {

const std::string kFuture = std::string(CJSIM_TEST_DATA) + "/future/";
const std::string kExamples = std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/";

Scenario load(const std::string& path) {
  Diagnostics diagnostics;
  std::optional<Scenario> scenario = load_scenario_file(path, diagnostics);
  EXPECT_TRUE(scenario) << diagnostics.to_string();
  return scenario ? *scenario : Scenario{};
}

using Part = JourneyDifference::Part;
using Change = JourneyDifference::Change;

// A difference in the short form the tests compare: "touchpoint changed checkout".
std::string brief(const JourneyDifference& d) {
  return std::string(part_name(d.part)) + " " + change_name(d.change) + " " + d.id;
}

std::vector<std::string> briefs(const std::vector<JourneyDifference>& differences) {
  std::vector<std::string> out;
  for (const JourneyDifference& d : differences) out.push_back(brief(d));
  return out;
}

TEST(Diff, AJourneyComparedWithItselfHasNoDifferences) {
  for (const std::string& path :
       {kExamples + "retail.yaml", kExamples + "airline.yaml",
        kExamples + "retail_one_click_checkout.yaml", kFuture + "nested.yaml"}) {
    const Scenario s = load(path);
    EXPECT_TRUE(diff_scenarios(s, s).empty()) << path;
    EXPECT_EQ(format_differences(diff_scenarios(s, s)), "No differences.\n");
  }
}

TEST(Diff, AnEmptyChangeListHasNoDifferencesFromItsBase) {
  EXPECT_TRUE(
      diff_scenarios(load(kFuture + "base.yaml"), load(kFuture + "no_changes.yaml")).empty());
}

TEST(Diff, ListsExactlyTheChangesOfAFutureStateWithEveryKind) {
  const std::vector<JourneyDifference> d =
      diff_scenarios(load(kFuture + "base.yaml"), load(kFuture + "one_of_each.yaml"));
  EXPECT_EQ(briefs(d), (std::vector<std::string>{
                           "journey changed ",
                           "settings changed ",
                           "touchpoint removed signup",
                           "touchpoint added one_click",
                           "touchpoint changed checkout",
                           "transition removed basket -> signup",
                           "transition removed signup -> checkout",
                           "transition removed checkout -> help",
                           "transition added basket -> one_click",
                           "transition changed ad -> basket",
                           "transition changed basket -> checkout",
                           "persona removed regular",
                           "persona added student",
                           "persona changed bargain_hunter",
                       }));
  EXPECT_EQ(d[0].fields, (std::vector<FieldChange>{{"name", "Base shop", "One of each"}}));
  EXPECT_EQ(d[1].fields, (std::vector<FieldChange>{{"kappa", 1.5, 2.0}}));
  EXPECT_EQ(d[4].fields,
            (std::vector<FieldChange>{{"emotion.mean", 0.25, 0.5}, {"dropout", 0.05, 0.01}}));
  EXPECT_EQ(d[5].note, "with signup");
  EXPECT_EQ(d[7].note, "");  // removed on its own
  EXPECT_EQ(d[9].fields, (std::vector<FieldChange>{{"weight", 2.0, 1.0}}));
  // Only the affinity written changes; the one for web is kept from the base.
  EXPECT_EQ(d[13].fields,
            (std::vector<FieldChange>{{"share", 1.0, 2.0}, {"channel_affinity.social", 1.0, 0.5}}));
  EXPECT_EQ(d[3].fields, (std::vector<FieldChange>{{"stage", std::monostate{}, "purchase"},
                                                   {"channel", std::monostate{}, "web"},
                                                   {"dropout", std::monostate{}, 0.01},
                                                   {"conversion.value", std::monostate{}, 85.0}}));
}

TEST(Diff, ListsExactlyTheChangesOfTheOneClickCheckoutExample) {
  const std::vector<JourneyDifference> d = diff_scenarios(
      load(kExamples + "retail.yaml"), load(kExamples + "retail_one_click_checkout.yaml"));
  EXPECT_EQ(briefs(d), (std::vector<std::string>{
                           "journey changed ",
                           "touchpoint removed account_signup",
                           "touchpoint added one_click",
                           "touchpoint changed basket",
                           "touchpoint changed web_checkout",
                           "transition removed basket -> account_signup",
                           "transition removed account_signup -> web_checkout",
                           "transition added basket -> one_click",
                           "transition added one_click -> order_confirmation",
                           "transition changed basket -> basket_reminder",
                       }));
}

TEST(Diff, ListsExactlyTheChangesOfTheOtherExamples) {
  EXPECT_EQ(briefs(diff_scenarios(load(kExamples + "retail.yaml"),
                                  load(kExamples + "retail_proactive_delivery.yaml"))),
            (std::vector<std::string>{
                "journey changed ",
                "touchpoint added delay_alert",
                "touchpoint changed dispatch_notice",
                "touchpoint changed delivery_delay",
                "transition removed dispatch_notice -> delivery_delay",
                "transition added dispatch_notice -> delay_alert",
                "transition added delay_alert -> delivery_delay",
                "transition changed delivery_delay -> support_call",
                "transition changed delivery -> support_call",
            }));
  EXPECT_EQ(briefs(diff_scenarios(load(kExamples + "retail.yaml"),
                                  load(kExamples + "retail_store_push.yaml"))),
            (std::vector<std::string>{
                "journey changed ",
                "touchpoint added store_push",
                "transition added store_push -> store_browse",
                "transition added store_push -> app_browse",
                "transition changed store_browse -> store_till",
            }));
  EXPECT_EQ(briefs(diff_scenarios(load(kExamples + "airline.yaml"),
                                  load(kExamples + "airline_delay_care.yaml"))),
            (std::vector<std::string>{
                "journey changed ",
                "touchpoint added app_rebooking",
                "touchpoint added meal_voucher",
                "touchpoint changed flight_delay",
                "transition added flight_delay -> app_rebooking",
                "transition added flight_delay -> meal_voucher",
                "transition added app_rebooking -> boarding",
                "transition added meal_voucher -> boarding",
                "transition changed flight_delay -> rebooking_desk",
                "transition changed arrival -> baggage_call_centre",
            }));
}

TEST(Diff, IgnoresOrderPlacesAndDefaultsWrittenOut) {
  const std::string a =
      "name: A\nstages: [s]\ntouchpoints:\n"
      "  - {id: x, stage: s, channel: web, entry_weight: 1}\n"
      "  - {id: y, stage: s, channel: app, conversion: {value: 1}}\n"
      "transitions: [{from: x, to: y}]\npersonas: [{id: p}]\n";
  const std::string b =
      "name: A\n\nstages: [s]\ntouchpoints:\n"
      "  - {id: y, name: y, stage: s, channel: app, dropout: 0, conversion: {value: 1}}\n"
      "  - {id: x, stage: s, channel: web, entry_weight: 1}\n"
      "transitions: [{from: x, to: y, weight: 1}]\n"
      "personas: [{id: p, share: 1, channel_affinity: {web: 1}}]\n";
  Diagnostics diagnostics;
  const std::optional<Scenario> first = parse_scenario(a, "a.yaml", diagnostics);
  const std::optional<Scenario> second = parse_scenario(b, "b.yaml", diagnostics);
  ASSERT_TRUE(first && second) << diagnostics.to_string();
  EXPECT_TRUE(diff_scenarios(*first, *second).empty());
}

TEST(Diff, TextReadsAsAStrategistWouldSayIt) {
  const std::string text = format_differences(
      diff_scenarios(load(kFuture + "base.yaml"), load(kFuture + "one_of_each.yaml")));
  for (const char* line : {
           "Journey\n  ~ changed  name \"Base shop\" -> \"One of each\"\n",
           "Settings\n  ~ changed  kappa 1.5 -> 2\n",
           "Touchpoints\n  - removed  signup (purchase, web)\n",
           "  + added    one_click (purchase, web): dropout 1%, conversion 85\n",
           "  ~ changed  checkout: emotion mean +0.25 -> +0.50, dropout 5% -> 1%\n",
           "Transitions\n  - removed  basket -> signup (weight 2, with signup)\n",
           "  + added    basket -> one_click (weight 3)\n",
           "  ~ changed  ad -> basket: weight 2 -> 1\n",
           "  ~ changed  basket -> checkout: emotion bias +0.50 -> +1.00\n",
           "Personas\n  - removed  regular (share 3)\n",
           "  + added    student (share 0.5): affinity for social 2\n",
           "  ~ changed  bargain_hunter: share 1 -> 2, affinity for social 1 -> 0.5\n",
       }) {
    EXPECT_NE(text.find(line), std::string::npos) << "missing:\n" << line << "in:\n" << text;
  }
}

TEST(Diff, JsonHasNumbersAsNumbersAndNoneAsNull) {
  const nlohmann::json json = differences_to_json(
      diff_scenarios(load(kFuture + "base.yaml"), load(kFuture + "one_of_each.yaml")));
  ASSERT_EQ(json.size(), 14u);
  const nlohmann::json& checkout = json[4];
  EXPECT_EQ(checkout["part"], "touchpoint");
  EXPECT_EQ(checkout["change"], "changed");
  EXPECT_EQ(checkout["id"], "checkout");
  EXPECT_EQ(checkout["fields"][1]["field"], "dropout");
  EXPECT_EQ(checkout["fields"][1]["before"], 0.05);
  EXPECT_EQ(checkout["fields"][1]["after"], 0.01);
  const nlohmann::json& added = json[8];
  EXPECT_EQ(added["from"], "basket");
  EXPECT_EQ(added["to"], "one_click");
  EXPECT_TRUE(added["fields"][0]["before"].is_null());
  EXPECT_EQ(json[5]["note"], "with signup");
}

// Two chains of `count` touchpoints, the second with every tenth touchpoint renamed and its
// two transitions with it.
std::pair<Scenario, Scenario> large_pair(int count) {
  Scenario current;
  current.stages = {"s"};
  for (int i = 0; i < count; ++i) {
    Touchpoint t;
    t.id = "t" + std::to_string(i);
    t.stage = "s";
    t.channel = "web";
    current.touchpoints.push_back(t);
    if (i > 0) {
      Transition next;
      next.from = "t" + std::to_string(i - 1);
      next.to = t.id;
      current.transitions.push_back(next);
    }
  }
  Scenario future = current;
  for (Touchpoint& t : future.touchpoints) {
    if (std::stoi(t.id.substr(1)) % 10 == 0) t.id += "_new";
  }
  for (Transition& t : future.transitions) {
    if (std::stoi(t.from.substr(1)) % 10 == 0) t.from += "_new";
    if (std::stoi(t.to.substr(1)) % 10 == 0) t.to += "_new";
  }
  return {std::move(current), std::move(future)};
}

TEST(Diff, TwoHundredThousandTouchpointsDiffInBoundedTime) {
  // Matching by searching the other journey per entity took 48 s at 40,000 touchpoints and
  // grew with the square; by hash it is linear.
  const int count = testing::kSanitized ? 50000 : 200000;
  const auto [current, future] = large_pair(count);
  const auto start = std::chrono::steady_clock::now();
  const std::vector<JourneyDifference> d = diff_scenarios(current, future);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Each renamed touchpoint: removed and added, and so are its transitions in and out.
  const std::size_t renamed = static_cast<std::size_t>(count / 10);
  EXPECT_EQ(d.size(), 2 * renamed + 2 * (2 * renamed - 1));
  EXPECT_LT(seconds, 20.0);
}

}  // namespace
}  // namespace cjsim
