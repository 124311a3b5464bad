// future_state_changes and with_changes: a future state's changes read as the loader reads
// them (flow style, comments) and written back with the rest of the text kept.
#include "sim/api/future_state_changes.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "sim/api/errors.h"
#include "sim/api/journey_sources.h"

namespace cjsim {
namespace {

using nlohmann::ordered_json;

const std::string kExamples = std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/";

std::string text_of(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

ordered_json changes_of(const ordered_json& listing) {
  ordered_json out = ordered_json::array();
  for (const ordered_json& entry : listing) out.push_back(entry["change"]);
  return out;
}

TEST(FutureStateChanges, ReadsKindTargetFieldsAndLineOfEachChange) {
  const std::string path = kExamples + "retail_one_click_checkout.yaml";
  const ordered_json listing = future_state_changes(text_of(path), path);
  ASSERT_GE(listing.size(), 4u);
  EXPECT_EQ(listing[0]["kind"], "remove_touchpoint");
  EXPECT_EQ(listing[0]["target"], "account_signup");
  EXPECT_EQ(listing[0]["line"], 16);
  EXPECT_EQ(listing[1]["kind"], "add_touchpoint");
  EXPECT_EQ(listing[1]["target"], "one_click");
  EXPECT_EQ(listing[1]["fields"]["dropout"], 0.01);
  EXPECT_EQ(listing[1]["fields"]["emotion"]["mean"], 0.35);
  EXPECT_EQ(listing[2]["kind"], "add_transition");
  EXPECT_EQ(listing[2]["target"], "basket -> one_click");
  EXPECT_EQ(listing[2]["fields"]["weight"], 1.5);
}

TEST(FutureStateChanges, ReadsAFlowStyleListWithComments) {
  const std::string text =
      "base: retail.yaml  # the current state\n"
      "changes: [{update_touchpoint: {id: basket, dropout: 0.2}},  # cheaper\n"
      "          {remove_persona: \"bargain_hunter\"}]\n";
  const ordered_json listing = future_state_changes(text, "flow.yaml");
  ASSERT_EQ(listing.size(), 2u);
  EXPECT_EQ(listing[0]["target"], "basket");
  EXPECT_EQ(listing[0]["fields"]["dropout"], 0.2);
  EXPECT_EQ(listing[1]["kind"], "remove_persona");
  EXPECT_EQ(listing[1]["target"], "bargain_hunter");
  EXPECT_EQ(listing[1]["line"], 3);
}

TEST(FutureStateChanges, RemovingAChangeKeepsEveryOtherLineAsWritten) {
  const std::string path = kExamples + "retail_one_click_checkout.yaml";
  const std::string text = text_of(path);
  ordered_json changes = changes_of(future_state_changes(text, path));
  const ordered_json removed = changes[2];
  changes.erase(2);
  const std::string written = with_changes(text, path, changes);
  EXPECT_EQ(changes_of(future_state_changes(written, path)), changes);
  EXPECT_EQ(written.find("{from: basket, to: one_click, weight: 1.5"), std::string::npos);
  // The comments, the name and the other changes' text are still there, byte for byte.
  EXPECT_NE(written.find("# The one-click button: no form at all"), std::string::npos);
  EXPECT_NE(written.find("cost: 1.2            # the same payment fees"), std::string::npos);
  EXPECT_EQ(written.substr(0, text.find("changes:")), text.substr(0, text.find("changes:")));
  EXPECT_EQ(text.size() - written.size(),
            std::string("  - add_transition: {from: basket, to: one_click, weight: 1.5, "
                        "emotion_bias: 0.5}\n")
                .size());
}

TEST(FutureStateChanges, AnAddedChangeValidatesAndAppliesAsWritten) {
  const std::string path = kExamples + "retail_one_click_checkout.yaml";
  const std::string text = text_of(path);
  ordered_json changes = changes_of(future_state_changes(text, path));
  changes.push_back({{"update_touchpoint", {{"id", "social_ad"}, {"dropout", 0.25}}}});
  const std::string written = with_changes(text, path, changes);
  EXPECT_TRUE(written.starts_with(text.substr(0, text.size() - 1)));
  const JourneyCheck check = check_journey_text(written, path);
  ASSERT_TRUE(check.scenario.has_value()) << written;
  bool found = false;
  for (const Touchpoint& t : check.scenario->touchpoints) {
    if (t.id == "social_ad") found = t.dropout == 0.25;
  }
  EXPECT_TRUE(found);
}

TEST(FutureStateChanges, AChangeHandedBackWithItsKeysSortedKeepsItsText) {
  const std::string text = "base: retail.yaml\nchanges:\n  - update_touchpoint: {id: basket, dropout: 0.2}  # kept\n";
  const ordered_json sorted = ordered_json::array(
      {{{"update_touchpoint", nlohmann::json::parse(R"({"id": "basket", "dropout": 0.2})")}}});
  EXPECT_EQ(with_changes(text, "sorted.yaml", sorted), text);
}

TEST(FutureStateChanges, AFlowListIsRewrittenInBlockStyleAndTheRestKept) {
  const std::string text =
      "# a sketch\n"
      "base: retail.yaml\n"
      "changes: [{remove_touchpoint: a}, {remove_touchpoint: b}]\n"
      "name: Sketch  # after the list\n";
  ordered_json changes = changes_of(future_state_changes(text, "flow.yaml"));
  changes.erase(0);
  const std::string written = with_changes(text, "flow.yaml", changes);
  EXPECT_EQ(written,
            "# a sketch\n"
            "base: retail.yaml\n"
            "changes:\n"
            "  - remove_touchpoint: \"b\"\n"
            "name: Sketch  # after the list\n");
  EXPECT_EQ(with_changes(text, "flow.yaml", ordered_json::array()),
            "# a sketch\nbase: retail.yaml\nchanges: []\nname: Sketch  # after the list\n");
}

TEST(FutureStateChanges, ATextWithoutChangesGetsTheListAtItsEnd) {
  const ordered_json changes = {{{"update_settings", {{"kappa", 2}}}}};
  EXPECT_EQ(with_changes("base: retail.yaml\n", "new.yaml", changes),
            "base: retail.yaml\n\nchanges:\n  - update_settings: {\"kappa\":2}\n");
}

TEST(FutureStateChanges, BadInputIsRefusedNamingTheFileAndLine) {
  try {
    future_state_changes("base: a.yaml\nchanges: [\n", "bad.yaml");
    FAIL() << "a broken flow list was read";
  } catch (const InvalidInput& e) {
    EXPECT_TRUE(std::string(e.what()).starts_with("bad.yaml: line ")) << e.what();
  }
  EXPECT_THROW(future_state_changes("- a\n- b\n", "list.yaml"), InvalidInput);
  EXPECT_THROW(with_changes("base: a.yaml\n", "x.yaml", ordered_json::array({1})), InvalidInput);
  EXPECT_THROW(with_changes("base: a.yaml\n", "x.yaml",
                            ordered_json::array({{{"a", 1}, {"b", 2}}})),
               InvalidInput);
}

}  // namespace
}  // namespace cjsim
