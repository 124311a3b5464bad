// Hostile input: each file under tests/data/bad/, and the inputs too large to commit (made
// here in a temporary directory), gets a clear error or loads, validates and runs within
// bounded time and memory. Every crash the fuzzers found is replayed from
// tests/data/fuzz_regressions/.
#include <gtest/gtest.h>

#include "sanitized.h"
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>

#include "models/observed/event_log.h"
#include "models/observed/path_table.h"
#include "scenarios/diagnostic.h"
#include "scenarios/loader.h"
#include "scenarios/scenario.h"
#include "scenarios/validate.h"
#include "sim/engine/engine.h"
#include "sim/engine/summary.h"
#include "sim/model/compiled_journey.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/fuzz/observed_fuzz_support.h"
#include "tests/fuzz/result_fuzz_support.h"

namespace cjsim {
namespace {

namespace fs = std::filesystem;
const std::string kBad = std::string(CJSIM_TEST_DATA) + "/bad/";

// A directory of its own for each test, removed afterwards.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    path_ =
        fs::temp_directory_path() / ("cjsim-hostile-" + std::to_string(::getpid()) + "-" +
                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  std::string file(std::string_view name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

void write(const std::string& path, std::string_view text) {
  std::ofstream(path, std::ios::binary) << text;
}

// The messages of every error, one per line, for assertions and failure output.
std::string errors_of(const Diagnostics& diagnostics) {
  std::string out;
  for (const Diagnostic& d : diagnostics.all()) {
    if (d.severity == Severity::error) out += d.message + "\n";
  }
  return out;
}

// Loads and validates `path`; passes when it is refused with an error holding `fragment`.
::testing::AssertionResult RefusedWith(const std::string& path, std::string_view fragment) {
  Diagnostics diagnostics;
  const std::optional<Scenario> scenario = load_valid_scenario(path, diagnostics);
  if (scenario) return ::testing::AssertionFailure() << path << " was accepted";
  const std::string errors = errors_of(diagnostics);
  if (errors.find(fragment) == std::string::npos) {
    return ::testing::AssertionFailure() << "no error with '" << fragment << "'; got:\n" << errors;
  }
  return ::testing::AssertionSuccess();
}

// The most memory the process has held so far, in KiB.
long peak_resident_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

using testing::kSanitized;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(HostileInput, EmptyFileSaysItHoldsNoScenario) {
  EXPECT_TRUE(RefusedWith(kBad + "empty.yaml", "holds no scenario"));
}

TEST(HostileInput, BinaryGarbageIsASyntaxError) {
  EXPECT_TRUE(RefusedWith(kBad + "binary_garbage.yaml", "YAML syntax error"));
}

TEST(HostileInput, EveryNonFiniteNumberIsNamed) {
  Diagnostics diagnostics;
  EXPECT_FALSE(load_valid_scenario(kBad + "nan_and_infinity.yaml", diagnostics));
  const std::string errors = errors_of(diagnostics);
  for (std::string_view field :
       {"memory", "kappa", "emotion.mean", "emotion.sd", "dropout", "cost", "entry_weight",
        "exponential", "value", "weight", "emotion_bias"}) {
    EXPECT_NE(errors.find(std::string(field) + " "), std::string::npos) << field << "\n" << errors;
  }
  EXPECT_EQ(diagnostics.error_count(), 11u) << errors;
}

TEST(HostileInput, ZeroEntryWeightsAreRefused) {
  EXPECT_TRUE(RefusedWith(kBad + "zero_entry_weights.yaml", "no entry touchpoint"));
}

TEST(HostileInput, ZeroTransitionWeightsAreRefused) {
  EXPECT_TRUE(RefusedWith(kBad + "zero_transition_weights.yaml", "must be greater than 0, got 0"));
  EXPECT_TRUE(RefusedWith(kBad + "zero_transition_weights.yaml",
                          "persona 'online_only' can never leave 'product'"));
}

TEST(HostileInput, ZeroPersonaSharesAreRefused) {
  EXPECT_TRUE(RefusedWith(kBad + "zero_persona_shares.yaml", "every persona has share 0"));
}

TEST(HostileInput, SelfLoopWithoutDropoutIsATrap) {
  EXPECT_TRUE(RefusedWith(kBad + "self_loop_zero_dropout.yaml", "{hold} can never end"));
}

TEST(HostileInput, NestedAliasesAreNotExpanded) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(RefusedWith(kBad + "billion_aliases.yaml", "expected a string for name"));
  EXPECT_LT(seconds_since(start), 10.0);
}

TEST(HostileInput, AGigabyteOnOneLineIsRefusedWithoutReadingIt) {
  const TemporaryDirectory dir;
  const std::string path = dir.file("huge.yaml");
  { std::ofstream(path) << "name: "; }
  fs::resize_file(path, std::uintmax_t{1} << 30);  // sparse: 1 GiB on one line, no disk used
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(RefusedWith(path, "larger than 32 MiB"));
  EXPECT_LT(seconds_since(start), 10.0);
}

TEST(HostileInput, AnEndlessStreamIsRefusedAtTheLimit) {
  // A device that never ends, read through the same path as a pipe would be.
  EXPECT_TRUE(RefusedWith("/dev/zero", "larger than 32 MiB"));
}

TEST(HostileInput, ABaseThatIsNoRegularFileIsRefused) {
  const TemporaryDirectory dir;
  const std::string path = dir.file("future.yaml");
  write(path, "name: Future\nbase: /dev/zero\nchanges: []\n");
  EXPECT_TRUE(RefusedWith(path, "not a regular file"));
}

TEST(HostileInput, ABaseThatIsNoJourneyFileIsNeitherParsedNorQuoted) {
  const TemporaryDirectory dir;
  const std::string secret = dir.file("secrets");
  write(secret, "root:*:19000:0:99999:7:::\n");
  const std::string path = dir.file("future.yaml");
  write(path, "name: Future\nbase: secrets\nchanges: []\n");
  Diagnostics diagnostics;
  EXPECT_FALSE(load_scenario_file(path, diagnostics).has_value());
  const std::string messages = diagnostics.to_string();
  EXPECT_NE(messages.find("is not a journey file: its name must end in .yaml, .yml or .json"),
            std::string::npos)
      << messages;
  EXPECT_EQ(messages.find("root:*"), std::string::npos) << messages;
}

TEST(HostileInput, DeepFlowNestingIsRefusedWithoutOverflowingTheStack) {
  const TemporaryDirectory dir;
  const std::string path = dir.file("deep.yaml");
  constexpr int kDepth = 100000;
  write(path, "name: " + std::string(kDepth, '[') + std::string(kDepth, ']') + "\n");
  EXPECT_TRUE(RefusedWith(path, "levels deep"));
}

TEST(HostileInput, DeepBlockNestingIsRefusedWithoutOverflowingTheStack) {
  const TemporaryDirectory dir;
  const std::string path = dir.file("deep.yaml");
  std::string text = "name:\n";
  for (int depth = 1; depth < 2000; ++depth) text += std::string(depth, ' ') + "a:\n";
  text += std::string(2000, ' ') + "b: 1\n";
  write(path, text);
  EXPECT_TRUE(RefusedWith(path, "levels deep"));
}

TEST(HostileInput, DeepNestingInAChangeListIsRefused) {
  const TemporaryDirectory dir;
  const std::string path = dir.file("future.yaml");
  constexpr int kDepth = 5000;
  write(path, "name: Future\nbase: " + std::string(CJSIM_TEST_DATA) + "/future/base.yaml\n" +
                  "changes: " + std::string(kDepth, '[') + std::string(kDepth, ']') + "\n");
  EXPECT_TRUE(RefusedWith(path, "levels deep"));
}

// A long chain: t0 -> t1 -> ... with a little dropout, several channels, one conversion at
// the end, built in code (the YAML path is measured below at a tenth of the size).
Scenario chain_of(std::size_t touchpoints) {
  Scenario s;
  s.name = "Chain";
  s.stages = {"awareness", "purchase"};
  s.settings.max_steps = 1000;
  s.personas.push_back(neutral_persona());
  s.touchpoints.resize(touchpoints);
  for (std::size_t i = 0; i < touchpoints; ++i) {
    Touchpoint& t = s.touchpoints[i];
    t.id = "t" + std::to_string(i);
    t.stage = i + 1 == touchpoints ? "purchase" : "awareness";
    t.channel = "c" + std::to_string(i % 1000);
    t.dropout = 0.001;
    t.entry_weight = i % 1000 == 0 ? 1.0 : 0.0;
    t.conversion = i + 1 == touchpoints;
    if (i + 1 < touchpoints) {
      Transition next;
      next.from = t.id;
      next.to = "t" + std::to_string(i + 1);
      s.transitions.push_back(next);
    }
  }
  return s;
}

TEST(HostileInput, AMillionTouchpointsValidateCompileAndRunInBoundedTime) {
  // Sanitizer builds look for memory errors and races in the same code on a quarter of it.
  const int count = kSanitized ? 250000 : 1000000;
  const Scenario scenario = chain_of(count);
  const auto start = std::chrono::steady_clock::now();
  Diagnostics diagnostics;
  validate_scenario(scenario, diagnostics);
  EXPECT_FALSE(diagnostics.has_errors()) << errors_of(diagnostics);
  const CompiledJourney journey = compile(scenario);
  RunOptions options;
  options.agents = 1000;
  options.threads = 1;
  const RunResult result = run(journey, options);
  EXPECT_EQ(summarize(journey, result.replications).overall.agents, 1000u);
  // Linear work: seconds, a minute at most in a sanitizer build; a quadratic step would take
  // hours.
  EXPECT_LT(seconds_since(start), 120.0);
}

TEST(HostileInput, AHundredThousandTouchpointsLoadFromYamlInBoundedTime) {
  const TemporaryDirectory dir;
  const std::string path = dir.file("chain.yaml");
  {
    std::ofstream out(path);
    out << "name: Chain\nstages: [awareness, purchase]\ntouchpoints:\n";
    constexpr int kCount = 100000;
    for (int i = 0; i < kCount; ++i) {
      out << "- {id: t" << i << ", stage: " << (i + 1 == kCount ? "purchase" : "awareness")
          << ", channel: c" << i % 1000 << ", dropout: 0.001"
          << (i % 1000 == 0 ? ", entry_weight: 1" : "")
          << (i + 1 == kCount ? ", conversion: {value: 1}" : "") << "}\n";
    }
    out << "transitions:\n";
    for (int i = 0; i + 1 < kCount; ++i) out << "- {from: t" << i << ", to: t" << i + 1 << "}\n";
  }
  const long peak_before = peak_resident_kib();
  const auto start = std::chrono::steady_clock::now();
  Diagnostics diagnostics;
  const std::optional<Scenario> scenario = load_valid_scenario(path, diagnostics);
  ASSERT_TRUE(scenario) << errors_of(diagnostics);
  EXPECT_EQ(scenario->touchpoints.size(), 100000u);
  EXPECT_LT(seconds_since(start), 120.0);
  // About 1.7 KB a touchpoint with its transition (the earlier reader's tree alone took 7 KB): a
  // 10^6 journey within the file limit stays within a few GB. Sanitizers pad every allocation.
  if (!kSanitized) {
    EXPECT_LT(peak_resident_kib() - peak_before, 400 * 1024)
        << "KiB of peak memory grew while loading 10^5 touchpoints";
  }
}

TEST(HostileInput, AStageListOfMillionsIsRefusedUnread) {
  const TemporaryDirectory dir;
  const std::string path = dir.file("stages.yaml");
  std::string text = "name: x\ntouchpoints: []\nstages: [";
  for (int i = 0; i < 4000000; ++i) text += "a,";
  text += "a]\n";
  write(path, text);
  const long peak_before = peak_resident_kib();
  EXPECT_TRUE(RefusedWith(path, "at most 64 stages are allowed, got 4000001"));
  // The tree of 4*10^6 names, not the 100 bytes each would take as names with places.
  if (!kSanitized) {
    EXPECT_LT(peak_resident_kib() - peak_before, 300 * 1024);
  }
}

TEST(HostileInput, UnknownReferencesAmongManyTouchpointsStayFast) {
  // Every transition names a touchpoint that is not there: the spelling suggestions must not
  // compare each against every id.
  Scenario scenario = chain_of(100000);
  for (Transition& t : scenario.transitions) t.to += "x";
  const auto start = std::chrono::steady_clock::now();
  Diagnostics diagnostics;
  validate_scenario(scenario, diagnostics);
  EXPECT_GE(diagnostics.error_count(), 99999u);
  EXPECT_LT(seconds_since(start), 60.0);
}

TEST(HostileInput, ManyStagesAndTouchpointsInNoStageStayFast) {
  Scenario scenario = chain_of(100000);
  for (int i = 0; i < 100000; ++i) scenario.stages.push_back("stage" + std::to_string(i));
  for (Touchpoint& t : scenario.touchpoints) t.stage = "nowhere";
  const auto start = std::chrono::steady_clock::now();
  Diagnostics diagnostics;
  validate_scenario(scenario, diagnostics);
  EXPECT_NE(errors_of(diagnostics).find("at most 64 stages"), std::string::npos);
  EXPECT_LT(seconds_since(start), 60.0);
}

// Each input a fuzzer once crashed on goes through that fuzzer's own path again: the file's
// name says which (scenario_, changes_, experiment_, events_, paths_).
TEST(FuzzRegressions, EveryFoundInputIsHandled) {
  const std::pair<std::string_view, void (*)(std::string_view)> fuzzers[] = {
      {"scenario_", fuzz::scenario_input},     {"changes_", fuzz::changes_input},
      {"experiment_", fuzz::experiment_input}, {"events_", fuzz::event_log_input},
      {"paths_", fuzz::path_table_input},      {"results_", fuzz::result_file_input}};
  const fs::path directory = fs::path(CJSIM_TEST_DATA) / "fuzz_regressions";
  int inputs = 0;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory)) {
    if (!entry.is_regular_file() || entry.path().extension() == ".md") continue;
    const std::string name = entry.path().filename().string();
    SCOPED_TRACE(name);
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto fuzzer = std::ranges::find_if(
        fuzzers, [&](const auto& f) { return name.starts_with(f.first); });
    ASSERT_NE(fuzzer, std::end(fuzzers)) << name << " begins with no fuzzer's prefix";
    EXPECT_NO_THROW(fuzzer->second(text));
    ++inputs;
  }
  EXPECT_GE(inputs, 6);
}

}  // namespace
}  // namespace cjsim
