// How journeys ended, as outcomes that say what happened: a journey that ended `dropped` gave
// up before converting or was a customer's that left after converting (sim/model/MODEL.md 1.5).
// The split refines the old count, agent by agent, and leaves every other number alone.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "scenarios/validate.h"
#include "sim/engine/comparison.h"
#include "sim/engine/engine.h"
#include "sim/engine/summary.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {
namespace {

const std::string kExamples = std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/";

CompiledJourney example(const std::string& file) {
  Diagnostics diagnostics;
  auto scenario = load_valid_scenario(kExamples + file, diagnostics);
  if (!scenario) throw std::runtime_error(diagnostics.to_string());
  return compile(*scenario);
}

RunResult run_with_records(const CompiledJourney& journey, std::uint32_t replications) {
  RunOptions options;
  options.agents = 6000;
  options.seed = 42;
  options.replications = replications;
  options.threads = 2;
  options.agent_records = true;
  return run(journey, options);
}

class OutcomeSplit : public ::testing::TestWithParam<const char*> {};

// Every agent's record says whether it dropped out and whether it had converted: the counts of
// the aggregate, per persona and per touchpoint, are those of the records.
TEST_P(OutcomeSplit, CountsAreThoseOfTheAgentsRecords) {
  const CompiledJourney journey = example(GetParam());
  const RunResult result = run_with_records(journey, 1);
  const Aggregate& a = result.replications.front();
  std::vector<std::uint64_t> left(journey.persona_count(), 0), gave_up(journey.persona_count(), 0);
  std::vector<std::uint64_t> left_at(journey.touchpoint_count(), 0);
  for (const AgentRecord& r : result.detail->records) {
    if (r.outcome.ending != Ending::dropped) continue;
    if (r.outcome.converted) {
      ++left[r.outcome.persona];
      ++left_at[r.outcome.last];
    } else {
      ++gave_up[r.outcome.persona];
    }
  }
  std::uint64_t all_left = 0;
  for (std::size_t p = 0; p < journey.persona_count(); ++p) {
    SCOPED_TRACE(journey.personas[p].id);
    const OutcomeSums& sums = a.personas[p];
    EXPECT_TRUE(sums.split_known);
    EXPECT_EQ(sums.left_after_converting, left[p]);
    EXPECT_EQ(sums.ended[static_cast<int>(Ending::dropped)] - sums.left_after_converting,
              gave_up[p]);
    all_left += left[p];
  }
  EXPECT_EQ(a.tallies().dropouts_after_converting, left_at);
  EXPECT_EQ(a.overall().left_after_converting, all_left);
}

// The split adds up to the old count everywhere it is reported: overall, per persona, per stage
// and per touchpoint, as counts and as rates (over the same base as the dropout).
TEST_P(OutcomeSplit, GaveUpAndLeftAfterConvertingAddUpToDropped) {
  const CompiledJourney journey = example(GetParam());
  const RunResult result = run_with_records(journey, 1);
  const Summary s = summarize(journey, result.replications);
  auto check_headline = [](const HeadlineFigures& h) {
    ASSERT_TRUE(h.gave_up && h.left_after_converting);
    EXPECT_EQ(*h.gave_up + *h.left_after_converting, h.ended[static_cast<int>(Ending::dropped)]);
    const double dropped = static_cast<double>(h.ended[static_cast<int>(Ending::dropped)]) /
                           static_cast<double>(h.agents);
    EXPECT_NEAR(h.gave_up_rate.value + h.left_after_converting_rate.value, dropped, 1e-12);
    EXPECT_LE(*h.left_after_converting, h.conversions);
  };
  check_headline(s.overall);
  for (const PersonaFigures& p : s.personas) check_headline(p.figures);
  for (const StageFigures& st : s.stages) {
    SCOPED_TRACE(st.name);
    ASSERT_TRUE(st.dropouts_before_converting && st.dropouts_after_converting);
    EXPECT_EQ(*st.dropouts_before_converting + *st.dropouts_after_converting, st.dropouts);
    if (st.reach == 0) continue;
    EXPECT_NEAR(st.dropout_before_converting_rate.value + st.dropout_after_converting_rate.value,
                st.dropout_rate.value, 1e-12);
  }
  for (const TouchpointFigures& t : s.touchpoints) {
    SCOPED_TRACE(t.id);
    ASSERT_TRUE(t.dropouts_before_converting && t.dropouts_after_converting);
    EXPECT_EQ(*t.dropouts_before_converting + *t.dropouts_after_converting, t.dropouts);
    if (t.visits == 0) continue;
    EXPECT_NEAR(t.dropout_before_converting_rate.value + t.dropout_after_converting_rate.value,
                t.dropout_rate.value, 1e-12);
  }
}

INSTANTIATE_TEST_SUITE_P(Examples, OutcomeSplit,
                         ::testing::Values("retail.yaml", "airline.yaml",
                                           "retail_one_click_checkout.yaml"),
                         [](const auto& info) {
                           std::string name = info.param;
                           return name.substr(0, name.find('.'));
                         });

// The shipped retail journey has customers who leave after converting (its post-purchase
// touchpoints can be dropped): the split is not trivially all one way.
TEST(OutcomeSplit, RetailHasBothOutcomes) {
  const CompiledJourney journey = example("retail.yaml");
  const Summary s = summarize(journey, run_with_records(journey, 1).replications);
  EXPECT_GT(*s.overall.gave_up, 0u);
  EXPECT_GT(*s.overall.left_after_converting, 0u);
}

// Several replications: the rates' intervals are across replications, and the split still
// adds up in each replication's aggregate.
TEST(OutcomeSplit, ReplicationIntervalsHoldTheRate) {
  const CompiledJourney journey = example("retail.yaml");
  const RunResult result = run_with_records(journey, 3);
  const Summary s = summarize(journey, result.replications);
  for (const Estimate& e : {s.overall.gave_up_rate, s.overall.left_after_converting_rate}) {
    EXPECT_LE(e.low, e.value);
    EXPECT_GE(e.high, e.value);
    EXPECT_LT(e.low, e.high);
  }
}

// Aggregates of an older cjsim, without the split: where the journey decides it, it is filled
// in exactly; where it does not, the new figures are n/a with a reason.
Aggregate without_split(const Aggregate& a) {
  Aggregate old = a;
  for (OutcomeSums& p : old.personas) {
    p.left_after_converting = 0;
    p.split_known = false;
  }
  for (TouchpointTallies& t : old.persona_tallies) {
    std::fill(t.dropouts_after_converting.begin(), t.dropouts_after_converting.end(), 0);
    t.split_known = false;
  }
  return old;
}

Scenario funnel(bool dropout_after_converting, bool dropout_before_converting) {
  // look -> buy (converts) -> review (terminal): dropouts at `look` give up, at `buy` leave.
  Scenario s;
  s.name = "funnel";
  s.stages = {"only"};
  Touchpoint look;
  look.id = "look";
  look.stage = "only";
  look.channel = "web";
  look.entry_weight = 1;
  look.dropout = dropout_before_converting ? 0.3 : 0.0;
  Touchpoint buy = look;
  buy.id = "buy";
  buy.entry_weight = 0;
  buy.conversion = true;
  buy.dropout = dropout_after_converting ? 0.4 : 0.0;
  Touchpoint review = buy;
  review.id = "review";
  review.conversion = false;
  review.dropout = 0;
  s.touchpoints = {look, buy, review};
  Transition a;
  a.from = "look";
  a.to = "buy";
  Transition b = a;
  b.from = "buy";
  b.to = "review";
  s.transitions = {a, b};
  return s;
}

TEST(OutcomeSplitOfOlderResults, JourneyThatDecidesItGetsTheSplitBack) {
  const CompiledJourney journey = compile(funnel(true, true));
  RunOptions options;
  options.agents = 5000;
  const Aggregate fresh = run(journey, options).replications.front();
  ASSERT_GT(fresh.overall().left_after_converting, 0u);
  Aggregate old = without_split(fresh);
  EXPECT_FALSE(old.split_known());
  fill_split_from_journey(journey, old);
  EXPECT_TRUE(old.split_known());
  EXPECT_EQ(old, fresh);
}

TEST(OutcomeSplitOfOlderResults, JourneyThatDoesNotDecideItLeavesTheFiguresUndefined) {
  // A way back from the conversion to the first touchpoint: a dropout there may be either.
  Scenario s = funnel(true, true);
  Transition back;
  back.from = "buy";
  back.to = "look";
  s.transitions.push_back(back);
  const CompiledJourney journey = compile(s);
  RunOptions options;
  options.agents = 5000;
  const Aggregate fresh = run(journey, options).replications.front();
  Aggregate old = without_split(fresh);
  fill_split_from_journey(journey, old);
  EXPECT_FALSE(old.split_known());
  const Summary summary = summarize(journey, std::vector<Aggregate>{old});
  EXPECT_FALSE(summary.overall.gave_up.has_value());
  EXPECT_TRUE(std::isnan(summary.overall.gave_up_rate.value));
  EXPECT_TRUE(std::isnan(summary.overall.left_after_converting_rate.value));
  EXPECT_FALSE(summary.touchpoints[0].dropouts_after_converting.has_value());
  EXPECT_FALSE(summary.stages[0].dropouts_after_converting.has_value());
  // Every old figure is unchanged.
  const Summary whole = summarize(journey, std::vector<Aggregate>{fresh});
  EXPECT_EQ(summary.overall.conversion_rate, whole.overall.conversion_rate);
  EXPECT_EQ(summary.overall.ended, whole.overall.ended);
  EXPECT_EQ(summary.stages[0].dropout_rate, whole.stages[0].dropout_rate);
  bool noted = false;
  for (const std::string& note : summary.notes) {
    noted = noted || note.find("gave_up_rate is n/a: the results were stored by an older cjsim") !=
                         std::string::npos;
  }
  EXPECT_TRUE(noted);
}

TEST(OutcomeSplitOfOlderResults, NoDropoutWhereTheJourneyDoesNotDecideIsEnough) {
  // With the way back, `look` can be reached before and after converting, but nobody drops out
  // there: every dropout is at `buy`, after converting, and the split is decided.
  Scenario s = funnel(true, false);
  Transition back;
  back.from = "buy";
  back.to = "look";
  s.transitions.push_back(back);
  const CompiledJourney journey = compile(s);
  RunOptions options;
  options.agents = 3000;
  const Aggregate fresh = run(journey, options).replications.front();
  Aggregate old = without_split(fresh);
  fill_split_from_journey(journey, old);
  EXPECT_TRUE(old.split_known());
  EXPECT_EQ(old, fresh);
}

const Difference& find(const std::vector<Difference>& ds, std::string_view metric,
                       std::string_view scope) {
  for (const Difference& d : ds) {
    if (d.metric == metric && d.scope == scope) return d;
  }
  throw std::runtime_error("no difference " + std::string(metric) + " " + std::string(scope));
}

// `compare` pairs the new figures like the others: their current and future values are those
// of the two runs, and the two parts of a dropout move by as much as the dropout does.
TEST(OutcomeComparison, NewFiguresArePairedLikeTheOthers) {
  const std::vector<CompiledJourney> journeys = {example("retail.yaml"),
                                                 example("retail_one_click_checkout.yaml")};
  RunOptions options;
  options.agents = 20000;
  options.seed = 11;
  const ComparisonRun comparison = run_comparison(journeys, options);
  const std::vector<Difference> ds = differences(comparison);
  const Summary current = summarize(journeys[0], comparison.runs[0].replications);
  const Summary future = summarize(journeys[1], comparison.runs[1].replications);
  for (const char* name : {"gave_up_rate", "left_after_converting_rate"}) {
    SCOPED_TRACE(name);
    const Difference& d = find(ds, name, "overall");
    const Figure& f = figure(name);
    EXPECT_NEAR(d.current.value, (current.overall.*f.member).value, 1e-12);
    EXPECT_NEAR(d.future.value, (future.overall.*f.member).value, 1e-12);
    EXPECT_NEAR(d.difference.value, d.future.value - d.current.value, 1e-12);
    EXPECT_LT(d.difference.low, d.difference.value);
    EXPECT_GT(d.difference.high, d.difference.value);
    // Paired on the same agents, the interval is narrower than two independent runs'.
    EXPECT_LT(d.paired_half_width, d.independent_half_width);
  }
  // One-click checkout loses fewer at checkout: fewer give up, beyond the noise.
  const Difference& gave_up = find(ds, "gave_up_rate", "overall");
  EXPECT_TRUE(gave_up.significant);
  EXPECT_LT(gave_up.difference.value, 0.0);
  const Difference& dropped_before = find(ds, "dropout_before_converting_rate", "stage:purchase");
  const Difference& dropped_after = find(ds, "dropout_after_converting_rate", "stage:purchase");
  const Difference& dropped = find(ds, "dropout_rate", "stage:purchase");
  EXPECT_NEAR(dropped_before.difference.value + dropped_after.difference.value,
              dropped.difference.value, 1e-12);
  for (const StageFigures& st : current.stages) {
    SCOPED_TRACE(st.name);
    EXPECT_NEAR(find(ds, "dropout_before_converting_rate", "stage:" + st.name).current.value,
                st.dropout_before_converting_rate.value, 1e-12);
  }
  for (const char* persona_figure : {"gave_up_rate", "left_after_converting_rate"}) {
    const std::string scope = "persona:" + current.personas[0].id;
    const Difference& d = find(ds, persona_figure, scope);
    EXPECT_NEAR(d.current.value, (current.personas[0].figures.*figure(persona_figure).member).value,
                1e-12)
        << persona_figure;
  }
}

}  // namespace
}  // namespace cjsim
