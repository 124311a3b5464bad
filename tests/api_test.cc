// The library API used as a Python package or the studio would use it: no command line, a
// Context of its own, results as values.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include "sim/api/api.h"
#include "tests/scratch.h"

namespace cjsim {
namespace {

namespace fs = std::filesystem;

const std::string kRetail = std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/retail.yaml";
const std::string kOneClick =
    std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/retail_one_click_checkout.yaml";

// Records what the library hands a front end.
class Recorder final : public Progress {
 public:
  void start(std::string_view stage, std::string_view unit) override {
    const std::lock_guard lock(mutex_);
    events.push_back("start " + std::string(stage) + " " + std::string(unit));
  }
  void update(std::uint64_t done, std::uint64_t total) override {
    const std::lock_guard lock(mutex_);
    last_done = done;
    last_total = total;
  }
  void status(std::string_view words) override {
    const std::lock_guard lock(mutex_);
    events.push_back("status " + std::string(words));
    if (on_status) on_status(events.size());
  }
  void finish() override {
    const std::lock_guard lock(mutex_);
    events.push_back("finish");
  }

  std::vector<std::string> events;
  std::uint64_t last_done = 0, last_total = 0;
  std::function<void(std::size_t)> on_status;

 private:
  std::mutex mutex_;
};

struct Front {
  Front() {
    context.command_line = "notebook cell 3";
    context.cancel = &cancel;
    context.progress = &progress;
    context.notice = [this](std::string_view words) { notices.emplace_back(words); };
    context.diagnostics = [this](const std::string& path, const Diagnostics& d) {
      diagnostics.push_back(path + ": " + std::to_string(d.error_count()) + " errors");
    };
  }
  std::atomic<bool> cancel{false};
  Recorder progress;
  std::vector<std::string> notices, diagnostics;
  Context context;
};

TEST(Api, RunJourneyGivesTheEngineResultsWithMetadataAndProgress) {
  Front front;
  const Scenario scenario = load_journey(kRetail, front.context);
  ASSERT_EQ(front.diagnostics, std::vector<std::string>{kRetail + ": 0 errors"});
  RunSettings settings;
  settings.agents = 3000;
  settings.replications = 2;
  settings.seed = 7;
  settings.threads = 2;
  const RunOutcome outcome = run_journey(scenario, kRetail, settings, front.context);

  RunOptions options;
  options.agents = 3000;
  options.replications = 2;
  options.seed = 7;
  const RunResult direct = run(compile(scenario), options);
  ASSERT_EQ(outcome.result.replications.size(), 2u);
  EXPECT_EQ(outcome.result.replications, direct.replications);  // to the bit
  ASSERT_TRUE(outcome.summary.has_value());
  EXPECT_EQ(outcome.metadata.command_line, "notebook cell 3");
  EXPECT_EQ(outcome.metadata.seed, 7u);
  EXPECT_EQ(outcome.metadata.scenario_path, kRetail);
  EXPECT_EQ(front.progress.events.front(), "start simulating agents");
  EXPECT_EQ(front.progress.events.back(), "finish");
  EXPECT_EQ(front.progress.last_done, 6000u);
  EXPECT_EQ(front.progress.last_total, 6000u);
}

TEST(Api, TheSeedFallsBackToTheJourneysThenToOne) {
  Scenario scenario;
  EXPECT_EQ(run_options(RunSettings{}, scenario).seed, kDefaultSeed);
  scenario.settings.seed = 99;
  EXPECT_EQ(run_options(RunSettings{}, scenario).seed, 99u);
  RunSettings settings;
  settings.seed = 5;
  EXPECT_EQ(run_options(settings, scenario).seed, 5u);
}

TEST(Api, ARaisedCancelStopsARun) {
  Front front;
  const Scenario scenario = load_journey(kRetail, front.context);
  front.cancel = true;
  RunSettings settings;
  settings.agents = 100000;
  EXPECT_THROW(run_journey(scenario, kRetail, settings, front.context), RunCancelled);
}

TEST(Api, AnInvalidFileIsInvalidInputAfterItsDiagnostics) {
  const fs::path file = fs::temp_directory_path() / ("cjsim-api-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(file) << "name: broken\nstages: [a]\ntouchpoints:\n  - {id: x, stage: nowhere}\n";
  Front front;
  try {
    load_journey(file.string(), front.context);
    ADD_FAILURE() << "no InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.path, file.string());
    EXPECT_GT(e.errors, 0u);
    EXPECT_NE(std::string(e.what()).find(", nothing was run"), std::string::npos) << e.what();
  }
  ASSERT_EQ(front.diagnostics.size(), 1u);
  EXPECT_EQ(front.diagnostics[0].rfind(file.string(), 0), 0u);
  fs::remove(file);
}

TEST(Api, CompareLabelsAndRanksWithoutTheCommandLine) {
  Front front;
  const CompiledJourneys journeys = load_journeys({kRetail, kOneClick}, front.context);
  RunSettings settings;
  settings.agents = 2000;
  const CompareOutcome outcome = compare_journeys(journeys, settings, "nps", front.context);
  ASSERT_TRUE(outcome.report.has_value());
  EXPECT_EQ(outcome.report->labels,
            (std::vector<std::string>{journeys.scenarios[0].name, journeys.scenarios[1].name}));
  EXPECT_EQ(outcome.report->rank_by, "nps");
  EXPECT_EQ(outcome.report->summaries.size(), 2u);
  EXPECT_FALSE(outcome.report->differences.empty());
  EXPECT_EQ(outcome.report->metadata[1].command_line, "notebook cell 3");
}

TEST(Api, LabelsNameTheFileOnlyWhereTwoJourneysShareAName) {
  EXPECT_EQ(journey_labels({"Today", "Today", "Tomorrow"}, {"a.yaml", "b.yaml", "c.yaml"}),
            (std::vector<std::string>{"Today (a.yaml)", "Today (b.yaml)", "Tomorrow"}));
}

TEST(Api, CompareRefusesASingleJourney) {
  Front front;
  const CompiledJourneys journeys = load_journeys({kRetail}, front.context);
  EXPECT_THROW(compare_journeys(journeys, RunSettings{}, "nps", front.context),
               std::runtime_error);
}

class ApiSweep : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("cjsim-api-sweep-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
    experiment_ = (directory_ / "experiment.yaml").string();
    std::ofstream(experiment_) << "name: API sweep\nscenario: " << kRetail
                               << "\ndesign: grid\nagents: 500\nreplications: 1\nseed: 3\n"
                                  "parameters:\n  touchpoints.basket.dropout: [0.2, 0.3]\n"
                                  "  settings.kappa: [0.5, 1.0]\n";
  }
  void TearDown() override { fs::remove_all(directory_); }

  // Runs a job to its end and, when it finished, puts its file in place: what the job returned.
  static std::optional<StoredSweep> run_to_the_end(SweepJob& job) {
    std::optional<StoredSweep> result = job.run();
    if (result.has_value()) job.commit();
    return result;
  }

  SweepRequest request(const std::string& out) const {
    SweepRequest r;
    r.experiment = experiment_;
    r.out = (directory_ / out).string();
    r.threads = 2;
    return r;
  }

  fs::path directory_;
  std::string experiment_;
};

TEST_F(ApiSweep, AnInterruptedJobResumesToTheFiguresOfAStraightOne) {
  Front straight_front;
  SweepJob straight(request("straight.h5"), straight_front.context);
  const std::optional<StoredSweep> expected = run_to_the_end(straight);
  ASSERT_TRUE(expected.has_value());
  EXPECT_TRUE(fs::is_regular_file(straight.out()));
  EXPECT_FALSE(fs::exists(straight.parts_directory()));
  ASSERT_EQ(expected->figures.size(), 4u);

  // Cancelled as the second round starts: the first round's points are kept.
  Front front;
  int statuses = 0;
  front.progress.on_status = [&](std::size_t) {
    if (++statuses == 2) front.cancel = true;
  };
  {
    // On one thread every point of 500 agents keeps the thread busy: a round of its own (on
    // more, small points share a round).
    SweepRequest one_thread = request("resumed.h5");
    one_thread.threads = 1;
    SweepJob job(one_thread, front.context);
    try {
      job.run();
      ADD_FAILURE() << "not interrupted";
    } catch (const Interrupted& e) {
      EXPECT_NE(std::string(e.what()).find("--resume"), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(job.out()));
    EXPECT_TRUE(fs::is_directory(job.parts_directory()));
  }
  front.cancel = false;
  front.progress.on_status = nullptr;
  SweepRequest resume = request("resumed.h5");
  resume.resume = true;
  SweepJob job(resume, front.context);
  const std::optional<StoredSweep> resumed = run_to_the_end(job);
  ASSERT_TRUE(resumed.has_value());
  ASSERT_FALSE(front.notices.empty());
  EXPECT_NE(front.notices.back().find("resuming: "), std::string::npos) << front.notices.back();
  EXPECT_EQ(front.notices.back().find("resuming: 0 of"), std::string::npos) << front.notices.back();
  ASSERT_EQ(resumed->figures.size(), expected->figures.size());
  for (std::size_t k = 0; k < resumed->figures.size(); ++k) {
    for (std::size_t f = 0; f < resumed->figures[k].size(); ++f) {
      EXPECT_EQ(resumed->figures[k][f].value, expected->figures[k][f].value) << k << " " << f;
    }
  }

  // Resuming a finished sweep runs nothing and says so.
  SweepJob again(resume, front.context);
  EXPECT_FALSE(again.run().has_value());
  EXPECT_NE(front.notices.back().find("already complete"), std::string::npos);
}

// The numbers' bits, so that a figure without a value (NaN) compares equal to itself.
std::vector<std::uint64_t> bits_of(const StoredSweep& s) {
  std::vector<std::uint64_t> out;
  const auto add = [&](double x) { out.push_back(std::bit_cast<std::uint64_t>(x)); };
  const auto add_estimates = [&](const auto& estimates) {
    for (const Estimate& e : estimates) {
      add(e.value);
      add(e.low);
      add(e.high);
    }
  };
  for (const auto& point : s.values) std::for_each(point.begin(), point.end(), add);
  std::for_each(s.figures.begin(), s.figures.end(), add_estimates);
  for (const auto& point : s.replication_figures) {
    for (const FigureValues& r : point) std::for_each(r.begin(), r.end(), add);
  }
  std::for_each(s.differences.difference.begin(), s.differences.difference.end(), add_estimates);
  for (const FigureValues& point : s.differences.unpaired_half_width) {
    std::for_each(point.begin(), point.end(), add);
  }
  for (const auto& point : s.agent_groups) {
    for (const AgentGroupFigures& g : point) {
      out.push_back(g.agents);
      out.push_back(g.customers);
      std::for_each(g.values.begin(), g.values.end(), add);
    }
  }
  return out;
}

// The job reads its file back without hashing it again (it sealed those bytes itself); what
// it returns is what any reader of the finished file gets.
TEST_F(ApiSweep, WhatAJobReturnsIsWhatItsFinishedFileReadsBack) {
  Front front;
  SweepJob job(request("read_back.h5"), front.context);
  const std::optional<StoredSweep> returned = run_to_the_end(job);
  ASSERT_TRUE(returned.has_value());
  const StoredSweep stored = read_sweep_file(job.out());
  EXPECT_TRUE(stored.checksummed);
  EXPECT_EQ(returned->checksummed, stored.checksummed);
  EXPECT_EQ(returned->fingerprint, stored.fingerprint);
  ASSERT_EQ(stored.agent_groups.size(), 4u);
  EXPECT_EQ(bits_of(*returned), bits_of(stored));
}

TEST_F(ApiSweep, AnExperimentWithAnUnknownMetricIsInvalidInput) {
  std::ofstream(experiment_, std::ios::app) << "metric: happiness\n";
  Front front;
  EXPECT_THROW(SweepJob(request("x.h5"), front.context), InvalidInput);
  ASSERT_EQ(front.diagnostics.size(), 1u);
  EXPECT_NE(front.diagnostics[0].find("1 errors"), std::string::npos);
}

TEST(Api, AttributeSharesConversionsOfAJourneyByRemoval) {
  Front front;
  AttributeRequest request;
  request.input = kRetail;
  request.simulate_removals = false;
  request.run.agents = 5000;
  const AttributionTable table = attribute(request, front.context);
  EXPECT_EQ(table.level, "channel");
  EXPECT_FALSE(table.channels.empty());
  double shared = 0.0;
  for (const auto& [name, values] : table.columns) {
    if (name != "markov_1_conversions") continue;
    for (double v : values) shared += v;
  }
  double total = 0.0;
  for (const auto& [name, value] : table.totals) {
    if (name == "conversions") total = value;
  }
  EXPECT_GT(total, 0.0);
  EXPECT_NEAR(shared, total, 1e-6 * total);  // the removal effects share every conversion
}

// A journey fitted from path data ends in a `conversion` touchpoint of its own: the conversion
// itself, which attribution must not credit as a channel (it took every last-touch conversion
// and a removal effect of 1).
TEST(Api, AttributionOfAJourneyLeavesOutTheConversionWithNoWayOn) {
  const std::string file = cjsim::testing::scratch_directory() + "fitted_like.yaml";
  std::ofstream(file) << R"(name: fitted
stages: [journey]
touchpoints:
  - {id: search, stage: journey, channel: Search, dropout: 0.2, entry_weight: 2}
  - {id: social, stage: journey, channel: Social, dropout: 0.4, entry_weight: 1}
  - {id: conversion, stage: journey, channel: conversion, conversion: {value: 10}}
transitions:
  - {from: search, to: social, weight: 1}
  - {from: search, to: conversion, weight: 1}
  - {from: social, to: search, weight: 1}
  - {from: social, to: conversion, weight: 2}
personas:
  - {id: everyone, share: 1}
)";
  Front front;
  AttributeRequest request;
  request.input = file;
  request.simulate_removals = false;
  request.run.agents = 4000;
  const AttributionTable table = attribute(request, front.context);
  std::vector<std::string> channels = table.channels;
  std::sort(channels.begin(), channels.end());
  EXPECT_EQ(channels, (std::vector<std::string>{"Search", "Social"}));
  double conversions = 0.0;
  for (const auto& [name, value] : table.totals) {
    if (name == "conversions") conversions = value;
  }
  ASSERT_GT(conversions, 0.0);
  for (const auto& [name, values] : table.columns) {
    if (name != "last_touch_conversions" && name != "markov_1_conversions") continue;
    EXPECT_NEAR(values[0] + values[1], conversions, 1e-9 * conversions) << name;
  }
  bool said = false;
  for (const std::string& note : table.notes)
    said = said || note.find("Touchpoint 'conversion' converts with no way on") != std::string::npos;
  EXPECT_TRUE(said);
}

}  // namespace
}  // namespace cjsim
