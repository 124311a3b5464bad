// The journey writer: whatever text a journey's names hold (they come from users' data), the
// file written loads back with the loader to the same strings.
#include "scenarios/writer.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "awkward_texts.h"
#include "scenarios/loader.h"
#include "scenarios/validate.h"

namespace cjsim {
namespace {

// tests/data/tiny.yaml: every field the writer writes, every kind of duration.
Scenario tiny() {
  Diagnostics d;
  const auto s = load_valid_scenario(CJSIM_TEST_DATA "/tiny.yaml", d);
  EXPECT_TRUE(s) << d.to_string();
  return s ? *s : Scenario{};
}

TEST(ScenarioWriter, EveryTextLoadsBackAsWritten) {
  const Scenario base = tiny();
  ASSERT_EQ(base.stages.size(), 3u);
  for (const std::string& text : awkward_texts()) {
    Scenario s = base;
    s.name = text;
    s.description = text;
    s.touchpoints[0].name = text;
    s.touchpoints[1].channel = text;
    s.stages[2] = text;  // purchase: the checkout's stage
    s.touchpoints[3].stage = text;
    s.personas[1].channel_affinity[text] = 2.0;
    const std::string yaml = scenario_yaml(s);
    Diagnostics d;
    const auto back = parse_scenario(yaml, "written.yaml", d);
    ASSERT_TRUE(back) << ::testing::PrintToString(text) << "\n" << d.to_string() << yaml;
    EXPECT_EQ(back->name, text) << yaml;
    EXPECT_EQ(back->description, text) << yaml;
    EXPECT_EQ(back->touchpoints[0].name, text) << yaml;
    EXPECT_EQ(back->touchpoints[1].channel, text) << yaml;
    EXPECT_EQ(back->stages, s.stages) << yaml;
    EXPECT_EQ(back->touchpoints[3].stage, text) << yaml;
    ASSERT_EQ(back->personas.size(), 2u);
    EXPECT_EQ(back->personas[1].channel_affinity, s.personas[1].channel_affinity) << yaml;
    validate_scenario(*back, d);
    EXPECT_FALSE(d.has_errors()) << d.to_string() << yaml;
  }
}

// Text that is not UTF-8 cannot be in a journey file: writing it is an error, not a file
// that the loader would refuse.
TEST(ScenarioWriter, TextThatIsNotUtf8IsAnError) {
  Scenario s = tiny();
  s.touchpoints[0].name = "caf\xe9";
  try {
    (void)scenario_yaml(s);
    FAIL() << "expected an error";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("is not UTF-8 at byte 4"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace cjsim
