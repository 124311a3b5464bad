// load_journey_text: a journey from text in memory reads and validates as from its file.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "scenarios/diagnostic.h"
#include "sim/api/errors.h"
#include "sim/api/journey_text.h"
#include "sim/api/run.h"

namespace cjsim {
namespace {

const std::string kTiny = std::string(CJSIM_TEST_DATA) + "/tiny.yaml";

std::string text_of(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(JourneyText, RunsToTheSameFiguresAsItsFile) {
  const Context context;
  const Scenario from_text = load_journey_text(text_of(kTiny), "<memory>", context);
  const Scenario from_file = load_journey(kTiny, context);
  EXPECT_EQ(from_text.name, from_file.name);
  EXPECT_EQ(from_text.source_path, "<memory>");
  EXPECT_EQ(from_text.source_text, from_file.source_text);
  RunSettings settings;
  settings.agents = 5000;
  const RunOutcome a = run_journey(from_text, "<memory>", settings, context);
  const RunOutcome b = run_journey(from_file, kTiny, settings, context);
  EXPECT_EQ(a.result.replications, b.result.replications);
}

TEST(JourneyText, ErrorsGoToTheDiagnosticsNamedAndThenInvalidInput) {
  Context context;
  std::vector<std::string> seen;
  context.diagnostics = [&](const std::string& name, const Diagnostics& diagnostics) {
    for (const Diagnostic& d : diagnostics.all()) seen.push_back(name + "|" + format_diagnostic(d));
  };
  const std::string text = "name: broken\nstages: [a]\ntouchpoints:\n  - {id: x, stage: nowhere}\n";
  try {
    load_journey_text(text, "<dict>", context);
    ADD_FAILURE() << "no InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.path, "<dict>");
    // One pass: the missing channel (shape) and the unknown stage (meaning) together.
    EXPECT_EQ(e.errors, 2u);
    EXPECT_EQ(std::string(e.what()), "<dict>: 2 errors, nothing was run");
  }
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen[0].rfind("<dict>|<dict>:4:", 0), 0u) << seen[0];
}

}  // namespace
}  // namespace cjsim
