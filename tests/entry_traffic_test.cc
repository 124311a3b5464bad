// Removing an entry in a future state (sim/model/MODEL.md 1.11): both forms of
// remove_touchpoint and their mistakes, what validation and diff say, the lost agents paired to
// the agent with those that entered there in the current state, and `compare` agreeing with
// attribution's removal effect.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>

#include "diagnostic_matchers.h"
#include "models/attribution/removal_effects.h"
#include "models/fit/markov_fit.h"
#include "models/observed/path_table.h"
#include "reports/html/html_report.h"
#include "reports/render/json_report.h"
#include "reports/render/text_report.h"
#include "scenarios/diff.h"
#include "scenarios/loader.h"
#include "scenarios/validate.h"
#include "scenarios/writer.h"
#include "sim/engine/comparison.h"
#include "sim/engine/engine.h"
#include "sim/engine/figures.h"
#include "sim/engine/summary.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/markov.h"

namespace cjsim {
namespace {

using testing::ReportsError;
using testing::WarnsOf;

// A journey where emotion steers choices and dropout (not a Markov chain), with three entries:
// `ad` and `mail` are entries no transition leads into, `shop` an entry also reached mid-way.
constexpr std::string_view kEntriesJourney = R"(name: Entries
stages: [awareness, purchase]
settings: {memory: 0.7, kappa: 1.2}
touchpoints:
  - {id: ad, stage: awareness, channel: social, entry_weight: 2, dropout: 0.3,
     emotion: {mean: 0.1, sd: 0.3}}
  - {id: shop, stage: purchase, channel: web, entry_weight: 1, dropout: 0.2,
     emotion: {mean: 0.2, sd: 0.2}, duration: {exponential: 0.5}}
  - {id: mail, stage: awareness, channel: email, entry_weight: 1.5, dropout: 0.4,
     emotion: {mean: -0.1, sd: 0.2}}
  - {id: checkout, stage: purchase, channel: web, conversion: {value: 50}, dropout: 0.1,
     emotion: {mean: 0.3, sd: 0.1}}
  - {id: help, stage: purchase, channel: phone, cost: 4, emotion: {mean: -0.2, sd: 0.2}}
transitions:
  - {from: ad, to: shop, weight: 2, emotion_bias: 0.5}
  - {from: ad, to: help}
  - {from: mail, to: shop}
  - {from: mail, to: checkout, weight: 0.5}
  - {from: shop, to: checkout, emotion_bias: 1}
  - {from: shop, to: help, weight: 0.3}
  - {from: checkout, to: help, weight: 0.2}
personas:
  - {id: regular, share: 3, initial_emotion: {mean: 0.1, sd: 0.2}}
  - {id: keen, share: 1, channel_affinity: {social: 1.5, email: 0.5}}
)";

class EntryRemoval : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("cjsim_entry_traffic_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    write("base.yaml", kEntriesJourney);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string path(std::string_view name) const { return (dir_ / name).string(); }
  void write(std::string_view name, std::string_view text) const {
    std::ofstream(path(name)) << text;
  }

  // A future state of base.yaml with `changes` (the lines after "changes:").
  std::string future_text(std::string_view changes) const {
    return "name: Future\nbase: base.yaml\nchanges:\n" + std::string(changes);
  }

  // Loads and validates; fails the test on errors. Warnings go to `warnings`.
  Scenario valid(std::string_view name, Diagnostics* warnings = nullptr) const {
    Diagnostics diagnostics;
    std::optional<Scenario> s = load_valid_scenario(path(name), diagnostics);
    EXPECT_TRUE(s) << diagnostics.to_string();
    if (warnings) *warnings = diagnostics;
    return s ? *s : Scenario{};
  }

  Scenario future(std::string_view changes, Diagnostics* warnings = nullptr) {
    write("future.yaml", future_text(changes));
    return valid("future.yaml", warnings);
  }

  Diagnostics problems(std::string_view changes) {
    write("future.yaml", future_text(changes));
    Diagnostics diagnostics;
    EXPECT_FALSE(load_valid_scenario(path("future.yaml"), diagnostics)) << "expected errors";
    return diagnostics;
  }

  SourceLocation place(std::string_view changes, std::string_view needle) const {
    return testing::find_place(future_text(changes), needle, path("future.yaml"));
  }

  std::filesystem::path dir_;
};

RunResult entry_records(const CompiledJourney& journey, std::uint64_t agents) {
  RunOptions options;
  options.agents = agents;
  options.seed = 11;
  options.threads = 2;
  options.agent_records = true;
  return run(journey, options);
}

std::string entry_of(const CompiledJourney& j, const AgentOutcome& o) {
  return o.entry == kLostEntry ? "(lost)" : j.touchpoint_ids[o.entry];
}

// --- the two forms and their mistakes -----------------------------------------------------------

TEST_F(EntryRemoval, TheBareFormLosesTheEntryAndWarnsAtTheChange) {
  const std::string changes = "  - remove_touchpoint: ad\n";
  Diagnostics warnings;
  const Scenario s = future(changes, &warnings);
  ASSERT_EQ(s.lost_entries.size(), 1u);
  EXPECT_EQ(s.lost_entries[0].id, "ad");
  EXPECT_EQ(s.lost_entries[0].channel, "social");
  EXPECT_EQ(s.lost_entries[0].entry_weight, 2.0);
  EXPECT_EQ(s.lost_entries[0].position, 0u);
  // 2 of the entry weights' 4.5.
  EXPECT_TRUE(WarnsOf(warnings,
                      {"removing 'ad' loses its 44.4% of arrivals",
                       "write entry_traffic: redistributed to send them to the other entries"},
                      place(changes, "remove_touchpoint")));
}

TEST_F(EntryRemoval, TheMapFormSaysLostOrRedistributedWithoutAWarning) {
  // Only warnings about arrivals count here: removing `ad` also leaves a persona's affinity
  // for its channel unused, which validation says as it always did.
  auto arrival_warnings = [](const Diagnostics& d) {
    return std::count_if(d.all().begin(), d.all().end(), [](const Diagnostic& x) {
      return x.severity == Severity::warning && x.message.find("arrivals") != std::string::npos;
    });
  };
  Diagnostics warnings;
  const Scenario lost = future("  - remove_touchpoint: {id: ad, entry_traffic: lost}\n", &warnings);
  EXPECT_EQ(lost.lost_entries.size(), 1u);
  EXPECT_EQ(arrival_warnings(warnings), 0) << warnings.to_string();

  const Scenario moved =
      future("  - remove_touchpoint: {id: ad, entry_traffic: redistributed}\n", &warnings);
  EXPECT_TRUE(moved.lost_entries.empty());
  EXPECT_EQ(arrival_warnings(warnings), 0) << warnings.to_string();
  // Redistributed is the journey without the touchpoint, as removing it always gave.
  const CompiledJourney j = compile(moved);
  EXPECT_FALSE(j.loses_entries);
  for (const PersonaTables& p : j.personas) {
    EXPECT_EQ(std::count(p.entry_touchpoints.begin(), p.entry_touchpoints.end(), kLostEntry), 0);
  }
  const Scenario by_id = future("  - remove_touchpoint: {id: ad}\n", &warnings);
  EXPECT_EQ(by_id.lost_entries.size(), 1u);  // lost, the default
  EXPECT_EQ(arrival_warnings(warnings), 1) << warnings.to_string();
}

TEST_F(EntryRemoval, RemovingATouchpointNobodyStartsAtLosesNothingAndSaysNothingNew) {
  Diagnostics warnings;
  const Scenario s = future("  - remove_touchpoint: {id: help, entry_traffic: lost}\n", &warnings);
  EXPECT_TRUE(s.lost_entries.empty());
  EXPECT_FALSE(compile(s).loses_entries);
  for (const Diagnostic& d : warnings.all()) {
    EXPECT_EQ(d.message.find("arrivals"), std::string::npos) << d.message;
  }
}

TEST_F(EntryRemoval, AnUnknownKeyIsReportedAtItsLineAndColumn) {
  const std::string changes = "  - remove_touchpoint: {id: ad, entry_trafic: lost}\n";
  const Diagnostics d = problems(changes);
  EXPECT_TRUE(ReportsError(d, {"change 1 (remove_touchpoint)", "entry_trafic"},
                           place(changes, "entry_trafic")));
}

TEST_F(EntryRemoval, ABadValueIsReportedAtItsLineAndColumn) {
  const std::string changes = "  - remove_touchpoint:\n      id: ad\n      entry_traffic: gone\n";
  const Diagnostics d = problems(changes);
  EXPECT_TRUE(ReportsError(d,
                           {"change 1 (remove_touchpoint): entry_traffic must be lost",
                            "or redistributed", "got 'gone'"},
                           place(changes, "entry_traffic: gone")));
  EXPECT_EQ(d.error_count(), 1u);
}

TEST_F(EntryRemoval, TheMapFormNeedsAnId) {
  const std::string changes = "  - remove_touchpoint: {entry_traffic: lost}\n";
  const Diagnostics d = problems(changes);
  EXPECT_TRUE(ReportsError(d, {"change 1 (remove_touchpoint)", "missing required key 'id'"},
                           place(changes, "{entry_traffic")));
}

TEST_F(EntryRemoval, ANameThatIsNotThereIsReportedAtTheId) {
  const std::string changes = "  - remove_touchpoint: {id: adz, entry_traffic: lost}\n";
  const Diagnostics d = problems(changes);
  EXPECT_TRUE(ReportsError(d, {"no touchpoint 'adz'", "did you mean 'ad'?"},
                           place(changes, "id: adz")));
}

TEST_F(EntryRemoval, ACalendarJourneyRefusesALostEntryAtTheChange) {
  const std::string changes =
      "  - update_calendar: {days: 7, arrivals_per_day: 100}\n"
      "  - remove_touchpoint: mail\n";
  const Diagnostics d = problems(changes);
  EXPECT_TRUE(ReportsError(d,
                           {"removing 'mail' would lose its entry traffic, which a calendar "
                            "journey cannot do",
                            "{id: mail, entry_traffic: redistributed}"},
                           place(changes, "remove_touchpoint")));
  future(
      "  - update_calendar: {days: 7, arrivals_per_day: 100}\n"
      "  - remove_touchpoint: {id: mail, entry_traffic: redistributed}\n");
}

// --- diff ---------------------------------------------------------------------------------------

TEST_F(EntryRemoval, DiffShowsTheShareOfArrivalsLostOrMoved) {
  const Scenario base = valid("base.yaml");
  auto note_of = [&](const Scenario& after, std::string_view id) {
    for (const JourneyDifference& d : diff_scenarios(base, after)) {
      if (d.part == JourneyDifference::Part::touchpoint && d.id == id) return d.note;
    }
    return std::string("(not removed)");
  };
  EXPECT_EQ(note_of(future("  - remove_touchpoint: mail\n"), "mail"),
            "its 33.3% of arrivals lost");
  EXPECT_EQ(note_of(future("  - remove_touchpoint: {id: mail, entry_traffic: redistributed}\n"),
                    "mail"),
            "its 33.3% of arrivals start at the other entries");
  EXPECT_EQ(note_of(future("  - remove_touchpoint: help\n"), "help"), "");
  const std::string text =
      format_differences(diff_scenarios(base, future("  - remove_touchpoint: mail\n")));
  EXPECT_NE(text.find("- removed  mail (awareness, email, its 33.3% of arrivals lost)"),
            std::string::npos)
      << text;
}

// --- the engine: what is exactly true -----------------------------------------------------------

// The lost agents are, to the agent, those that entered at the removed entry in the current
// state; removing entries in another order than the touchpoints' keeps the entry draw's order.
TEST_F(EntryRemoval, TheLostAgentsAreThoseThatEnteredThereInTheCurrentState) {
  const CompiledJourney current = compile(valid("base.yaml"));
  const CompiledJourney changed =
      compile(future("  - remove_touchpoint: mail\n  - remove_touchpoint: ad\n"));
  ASSERT_TRUE(changed.loses_entries);
  // The running sums of the entry draw are the base's, to the bit.
  for (std::size_t p = 0; p < current.persona_count(); ++p) {
    EXPECT_EQ(changed.personas[p].entry_cumulative, current.personas[p].entry_cumulative);
  }
  const RunResult a = entry_records(current, 30000);
  const RunResult b = entry_records(changed, 30000);
  const auto& ra = a.detail->records;
  const auto& rb = b.detail->records;
  ASSERT_EQ(ra.size(), rb.size());
  std::uint64_t entered_there = 0, lost = 0;
  for (std::size_t k = 0; k < ra.size(); ++k) {
    const AgentOutcome& c = ra[k].outcome;
    const AgentOutcome& f = rb[k].outcome;
    const std::string entry = entry_of(current, c);
    const bool there = entry == "ad" || entry == "mail";
    entered_there += there;
    lost += f.ending == Ending::lost;
    ASSERT_EQ(f.ending == Ending::lost, there) << "agent " << k << " entered at " << entry;
    ASSERT_EQ(c.persona, f.persona);
    if (there) {
      EXPECT_EQ(f.steps, 0u);
      EXPECT_FALSE(f.converted);
      EXPECT_EQ(f.revenue, 0.0);
      EXPECT_EQ(f.cost, 0.0);
      EXPECT_EQ(f.hours, 0.0);
      EXPECT_EQ(f.final_emotion, f.peak_emotion);
    } else {
      EXPECT_EQ(entry_of(changed, f), entry);
    }
  }
  EXPECT_EQ(lost, entered_there);
  EXPECT_GT(lost, 10000u);  // ad 2 and mail 1.5 of 4.5 (affinities aside): most agents
  const OutcomeSums sums = b.pooled().overall();
  EXPECT_EQ(sums.lost, lost);
  EXPECT_EQ(sums.agents, 30000u);
  std::uint64_t ended = 0;
  for (std::uint64_t n : sums.ended) ended += n;
  EXPECT_EQ(ended + sums.lost, sums.agents);
  std::uint64_t paths = 0;
  for (std::uint64_t n : b.pooled().path_length) paths += n;
  EXPECT_EQ(paths, sums.agents - sums.lost);
}

// With no transition into the removed entry, every agent that is not lost walks exactly as in
// the current state: the future state's conversions are the current state's less those of the
// agents that entered there, to the agent.
TEST_F(EntryRemoval, AgentsNotLostWalkExactlyAsBefore) {
  const CompiledJourney current = compile(valid("base.yaml"));
  const CompiledJourney changed = compile(future("  - remove_touchpoint: mail\n"));
  const RunResult a = entry_records(current, 20000);
  const RunResult b = entry_records(changed, 20000);
  const auto& ra = a.detail->records;
  const auto& rb = b.detail->records;
  std::uint64_t converted_at_mail = 0;
  for (std::size_t k = 0; k < ra.size(); ++k) {
    const AgentOutcome& c = ra[k].outcome;
    const AgentOutcome& f = rb[k].outcome;
    if (entry_of(current, c) == "mail") {
      converted_at_mail += c.converted;
      continue;
    }
    ASSERT_EQ(f.ending, c.ending) << "agent " << k;
    ASSERT_EQ(f.converted, c.converted);
    ASSERT_EQ(f.steps, c.steps);
    ASSERT_EQ(changed.touchpoint_ids[f.last], current.touchpoint_ids[c.last]);
    ASSERT_EQ(f.revenue, c.revenue);
    ASSERT_EQ(f.cost, c.cost);
    ASSERT_EQ(f.hours, c.hours);
    ASSERT_EQ(f.final_emotion, c.final_emotion);
    ASSERT_EQ(f.peak_end, c.peak_end);
  }
  const OutcomeSums before = a.pooled().overall();
  const OutcomeSums after = b.pooled().overall();
  EXPECT_GT(converted_at_mail, 0u);
  EXPECT_EQ(after.conversions, before.conversions - converted_at_mail);
  EXPECT_EQ(after.agents, before.agents);
}

TEST_F(EntryRemoval, ResultsShowLostOnlyWhenThereAreSome) {
  const CompiledJourney current = compile(valid("base.yaml"));
  const CompiledJourney changed = compile(future("  - remove_touchpoint: ad\n"));
  RunOptions options;
  options.agents = 5000;
  options.threads = 2;
  const RunResult a = run(current, options);
  const RunResult b = run(changed, options);
  const nlohmann::json ja = summary_json(summarize(current, a.replications), 0.0);
  const nlohmann::json jb = summary_json(summarize(changed, b.replications), 0.0);
  EXPECT_FALSE(ja["ended"].contains("lost")) << ja["ended"].dump();
  ASSERT_TRUE(jb["ended"].contains("lost")) << jb["ended"].dump();
  EXPECT_EQ(jb["ended"]["lost"].get<std::uint64_t>(), b.replications[0].overall().lost);
  EXPECT_GT(jb["ended"]["lost"].get<std::uint64_t>(), 0u);
}

// The HTML page shows the lost agents, in the endings table and as the Sankey chart's sink,
// with the count `compare --json` gives (its "ended" of the state); a page without a lost entry
// has neither.
TEST_F(EntryRemoval, TheComparisonPageShowsTheLostAgents) {
  const std::vector<CompiledJourney> journeys = {compile(valid("base.yaml")),
                                                 compile(future("  - remove_touchpoint: ad\n"))};
  RunOptions options;
  options.agents = 5000;
  options.threads = 2;
  const ComparisonRun comparison = run_comparison(journeys, options);
  ComparisonReport report;
  report.labels = {"Entries", "Future"};
  report.metadata.resize(2);
  for (std::size_t k = 0; k < journeys.size(); ++k) {
    report.summaries.push_back(summarize(journeys[k], comparison.runs[k].replications));
  }
  report.differences = differences(comparison);
  report.method = comparison_method(1);
  const std::uint64_t lost = report.summaries[1].overall.lost;
  EXPECT_EQ(summary_json(report.summaries[1], 0.0)["ended"]["lost"].get<std::uint64_t>(), lost);
  EXPECT_GT(lost, 1000u);  // ad's entry weight 2 of 4.5

  const std::string html = html_report(report);
  const std::string label = "<tr><td>lost (started at an entry the future state removed)</td>";
  const std::size_t row = html.find(label);
  ASSERT_NE(row, std::string::npos);
  const std::string cells = html.substr(row, html.find("</tr>", row) - row);
  EXPECT_NE(cells.find("<td class=\"num\">0<span"), std::string::npos) << cells;
  EXPECT_NE(cells.find("<td class=\"num\">" + with_thousands(lost) + "<span"), std::string::npos)
      << cells;
  const std::string charts = chart_data_json(report).dump();
  EXPECT_NE(charts.find(fmt::format(
                R"x({{"source":"Start","target":"Lost (entry removed)","value":{}}})x", lost)),
            std::string::npos);

  ComparisonReport current_alone = report;
  current_alone.labels.resize(1);
  current_alone.metadata.resize(1);
  current_alone.summaries.resize(1);
  current_alone.differences.clear();
  EXPECT_EQ(html_report(current_alone).find("started at an entry the future state removed"),
            std::string::npos);
  EXPECT_EQ(chart_data_json(current_alone).dump().find("Lost (entry removed)"), std::string::npos);
}

// --- compare agrees with attribute --------------------------------------------------------------

// A path table where `search` only ever starts a path (an entry no transition leads into) and
// `email` is also met mid-path.
constexpr std::string_view kEntryPaths =
    "path,total_conversions,total_conversion_value,total_null\n"
    "search > email,40,4000,60\n"
    "social > email,30,3000,90\n"
    "social,10,1000,120\n"
    "search,20,2000,80\n"
    "email,5,500,50\n"
    "email > social,8,800,40\n"
    "social > email > social,6,600,30\n";

Scenario fitted_entry_journey() {
  std::istringstream in{std::string(kEntryPaths)};
  Diagnostics diagnostics;
  const std::optional<ObservedJourneys> data =
      read_path_table(in, "paths.csv", PathTableColumns{}, diagnostics);
  EXPECT_TRUE(data) << diagnostics.to_string();
  return fit_markov(*data).scenario;
}

TEST_F(EntryRemoval, CompareAgreesWithAttributeOnAFittedJourney) {
  write("base.yaml", scenario_yaml(fitted_entry_journey()));
  const Scenario base = valid("base.yaml");
  const Scenario without_search = future("  - remove_touchpoint: search\n");
  const CompiledJourney current = compile(base);
  const CompiledJourney changed = compile(without_search);

  const ExactRemovals removal =
      exact_removal_effects(base, {{"channel 'search'", {"search"}}}, EntryTraffic::lost);
  const double effect = removal.groups[0].conversion_effect;
  ASSERT_GT(effect, 0.2);
  // The closed forms agree exactly: the future state is attribution's removal.
  const MarkovAnalysis exact = analyse_markov(changed);
  EXPECT_NEAR(exact.conversion_probability, removal.groups[0].conversion_probability, 1e-12);
  EXPECT_NEAR(exact.conversion_probability / analyse_markov(current).conversion_probability,
              1.0 - effect, 1e-12);

  // And `compare` measures it: the paired difference's 95% interval holds the conversion lost
  // that 1 - removal effect predicts from the current state's rate.
  RunOptions options;
  options.agents = 200000;
  options.threads = 2;
  const CompiledJourney journeys[] = {current, changed};
  const ComparisonRun comparison = run_comparison(journeys, options);
  const Difference* d = nullptr;
  const std::vector<Difference> all = differences(comparison);
  for (const Difference& x : all) {
    if (x.metric == "conversion_rate" && x.scope == "overall") d = &x;
  }
  ASSERT_NE(d, nullptr);
  const double predicted = -effect * d->current.value;
  EXPECT_LE(d->difference.low, predicted);
  EXPECT_GE(d->difference.high, predicted);
  // The ratio within the interval's half width relative to the current rate (about 0.5%).
  const double tolerance = (d->difference.high - d->difference.low) / 2.0 / d->current.value;
  EXPECT_NEAR(d->future.value / d->current.value, 1.0 - effect, tolerance);
  EXPECT_LT(tolerance, 0.01);
  EXPECT_GT(comparison.runs[1].replications[0].overall().lost, 0u);

  // Redistributed is attribution's `--entry-traffic redistributed`.
  const ExactRemovals moved =
      exact_removal_effects(base, {{"channel 'search'", {"search"}}}, EntryTraffic::redistributed);
  EXPECT_NEAR(
      analyse_markov(compile(future("  - remove_touchpoint: {id: search, entry_traffic: "
                                    "redistributed}\n")))
          .conversion_probability,
      moved.groups[0].conversion_probability, 1e-12);
}

// A channel also reached mid-journey: the removal effect also loses those who choose a way into
// it, which a future state does not (MODEL.md 1.11), so the future state converts more.
TEST_F(EntryRemoval, AChannelReachedMidJourneyConvertsMoreThanItsRemovalEffectSays) {
  write("base.yaml", scenario_yaml(fitted_entry_journey()));
  const Scenario base = valid("base.yaml");
  const ExactRemovals removal =
      exact_removal_effects(base, {{"channel 'email'", {"email"}}}, EntryTraffic::lost);
  const double future_rate =
      analyse_markov(compile(future("  - remove_touchpoint: email\n"))).conversion_probability;
  EXPECT_GT(future_rate, removal.groups[0].conversion_probability + 1e-3);
}

}  // namespace
}  // namespace cjsim
