// Sweep points run through the engine with the experiment's seed (common random numbers), and
// their part files restore the aggregates to the bit.
#include "sim/sweep/sweep.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <filesystem>

#include "reports/store/hdf5_sweep.h"
#include "scenarios/fields.h"
#include "scenarios/parameter_path.h"
#include "scenarios/validate.h"
#include "scenarios/writer.h"
#include "sim/engine/block_runner.h"
#include "sim/model/compiled_calendar.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/journey_length.h"

namespace cjsim {
namespace {

const std::string kPath = std::string(CJSIM_TEST_DATA) + "/experiment.yaml";

SweepPlan plan_of(const std::string& text) {
  Diagnostics d;
  auto x = parse_experiment(text, kPath, d);
  EXPECT_TRUE(x) << d.to_string();
  auto plan = plan_sweep(*x, d);
  EXPECT_TRUE(plan) << d.to_string();
  return *plan;
}

TEST(Sweep, APointIsAPlainRunOfItsScenarioWithTheExperimentsSeed) {
  const SweepPlan plan = plan_of(
      "scenario: tiny.yaml\nagents: 3000\nreplications: 2\nseed: 77\nparameters:\n"
      "  touchpoints.checkout.value: [60, 90]\n");
  RunOptions base;
  base.threads = 2;
  const std::vector<Aggregate> point = run_sweep_point(plan, 1, base);

  Diagnostics d;
  Scenario scenario = *load_valid_scenario(std::string(CJSIM_TEST_DATA) + "/tiny.yaml", d);
  scenario.touchpoints[3].value = 90;
  RunOptions options;
  options.agents = 3000;
  options.replications = 2;
  options.seed = 77;
  options.threads = 1;
  EXPECT_EQ(point, run(compile(scenario), options).replications);
}

TEST(Sweep, PointsRunSideBySideOnlyWhenTooSmallToKeepTheThreadsBusy) {
  EXPECT_EQ(points_side_by_side(1, 1), 1u);
  EXPECT_EQ(points_side_by_side(1000, 2), 2u);
  EXPECT_EQ(points_side_by_side(BlockRunner::kBlockAgents, 2), 2u);  // one block
  EXPECT_EQ(points_side_by_side(BlockRunner::kBlockAgents + 1, 2), 1u);
  EXPECT_EQ(points_side_by_side(3 * BlockRunner::kBlockAgents, 4), 4u);
  EXPECT_EQ(points_side_by_side(4 * BlockRunner::kBlockAgents, 4), 1u);
}

// Points run side by side, one per thread, give each point's results as it alone gives them;
// their progress adds up to every agent of every point; a cancelled batch keeps nothing.
TEST(Sweep, PointsRunSideBySideGiveEachPointsOwnResults) {
  const SweepPlan plan = plan_of(
      "scenario: tiny.yaml\nagents: 5000\nreplications: 2\nseed: 5\nparameters:\n"
      "  settings.kappa: [0, 1, 2, 3]\n");
  const std::vector<std::size_t> points = {3, 0, 2};
  std::atomic<std::uint64_t> last{0};
  RunOptions base;
  base.threads = 3;
  base.progress = [&](std::uint64_t done, std::uint64_t total) {
    EXPECT_EQ(total, 3u * 5000 * 2);
    std::uint64_t seen = last.load();
    while (done > seen && !last.compare_exchange_weak(seen, done)) {
    }
  };
  const std::vector<std::vector<Aggregate>> together = run_sweep_points(plan, points, base);
  ASSERT_EQ(together.size(), 3u);
  RunOptions alone;
  alone.threads = 1;
  for (std::size_t j = 0; j < points.size(); ++j) {
    EXPECT_EQ(together[j], run_sweep_point(plan, points[j], alone)) << "point " << points[j];
  }
  EXPECT_EQ(last.load(), 3u * 5000 * 2);

  const std::atomic<bool> cancel{true};
  base.cancel = &cancel;
  base.progress = nullptr;
  for (const std::vector<Aggregate>& point : run_sweep_points(plan, points, base)) {
    EXPECT_TRUE(point.empty());
  }
}

TEST(Sweep, PointsThatDifferOnlyInValueShareEveryAgentsPath) {
  // Common random numbers: changing the revenue of a conversion changes no agent's walk, so
  // conversions and visits agree exactly and revenue scales by the ratio of values.
  const SweepPlan plan = plan_of(
      "scenario: tiny.yaml\nagents: 4000\nparameters:\n  touchpoints.checkout.value: [60, 120]\n");
  RunOptions base;
  const auto low = run_sweep_point(plan, 0, base);
  const auto high = run_sweep_point(plan, 1, base);
  EXPECT_EQ(low[0].tallies().visits, high[0].tallies().visits);
  EXPECT_EQ(low[0].overall().conversions, high[0].overall().conversions);
  const PointFigures a = point_figures(plan, 0, low);
  const PointFigures b = point_figures(plan, 1, high);
  EXPECT_DOUBLE_EQ(b.overall.conversion_rate.value, a.overall.conversion_rate.value);
  EXPECT_NEAR(b.overall.revenue_per_agent.value, 2 * a.overall.revenue_per_agent.value, 1e-9);
}

TEST(Sweep, PointFiguresHaveOneRowPerReplicationAndIntervalsAcrossThem) {
  const SweepPlan plan = plan_of(
      "scenario: tiny.yaml\nagents: 2000\nreplications: 3\nparameters:\n  settings.kappa: [1]\n");
  const auto aggregates = run_sweep_point(plan, 0, RunOptions{});
  const PointFigures f = point_figures(plan, 0, aggregates);
  ASSERT_EQ(f.replications.size(), 3u);
  double mean = 0;
  for (const HeadlineFigures& r : f.replications) mean += r.conversion_rate.value / 3;
  EXPECT_NEAR(f.overall.conversion_rate.value, mean, 1e-12);
  EXPECT_LT(f.overall.conversion_rate.low, mean);
  EXPECT_GT(f.overall.conversion_rate.high, mean);
}

TEST(Sweep, APartFileRestoresEveryPointsAggregatesToTheBit) {
  const SweepPlan plan = plan_of(
      "scenario: tiny.yaml\nagents: 1500\nreplications: 2\nparameters:\n"
      "  settings.kappa: [0.5, 1, 2]\n");
  SweepPart part{plan.fingerprint, {2, 0, 1}, {}, {}, {}};
  for (std::uint64_t point : part.points) {
    part.replications.push_back(
        run_sweep_point(plan, point, RunOptions{}, nullptr, &part.groups.emplace_back()));
  }
  ASSERT_EQ(part.groups[0].size(), 2u * kAgentGroups);
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("cjsim_part_test_" + std::to_string(::getpid()) + ".h5"))
                               .string();
  const std::vector<char> image = sweep_part_image(part);
  write_sweep_part_image(path, image);
  const SweepPart back = read_sweep_part(path);
  std::filesystem::remove(path);
  EXPECT_EQ(back.fingerprint, plan.fingerprint);
  EXPECT_EQ(back.points, part.points);
  EXPECT_EQ(back.replications, part.replications);
  EXPECT_EQ(back.groups, part.groups);
  // The same bytes sent to another process read back the same.
  const SweepPart sent = read_sweep_part_image(image, "sent");
  EXPECT_EQ(sent.points, part.points);
  EXPECT_EQ(sent.replications, part.replications);
  EXPECT_EQ(sent.groups, part.groups);
}

TEST(Sweep, APartHoldsPointsOfDifferentlyShapedJourneys) {
  const SweepPlan tiny = plan_of(
      "scenario: tiny.yaml\nagents: 500\nparameters:\n  settings.kappa: [1]\n");
  const std::string retail = std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/retail.yaml";
  const SweepPlan other = plan_of("scenario: " + retail +
                                  "\nagents: 500\nparameters:\n  settings.kappa: [1]\n");
  SweepPart part{"x", {7, 3}, {}, {}, {{}, {}}};
  part.replications = {run_sweep_point(other, 0, RunOptions{}, nullptr, &part.groups[0]),
                       run_sweep_point(tiny, 0, RunOptions{}, nullptr, &part.groups[1])};
  ASSERT_NE(part.groups[0], part.groups[1]);
  ASSERT_NE(part.replications[0][0].transitions.size(), part.replications[1][0].transitions.size());
  const SweepPart back = read_sweep_part_image(sweep_part_image(part), "part");
  // Stored in sets by shape: the points come back with their own aggregates.
  ASSERT_EQ(back.points.size(), 2u);
  for (std::size_t j = 0; j < 2; ++j) {
    const auto at = std::find(part.points.begin(), part.points.end(), back.points[j]);
    ASSERT_NE(at, part.points.end());
    const auto index = static_cast<std::size_t>(at - part.points.begin());
    EXPECT_EQ(back.replications[j], part.replications[index]);
    EXPECT_EQ(back.groups[j], part.groups[index]);  // the groups follow their point
  }
}

TEST(Sweep, SmallPointsRunManyToARoundAndLargeOnesAlone) {
  EXPECT_EQ(points_per_round(10'000'000, 1, 2), 1u);
  // About 2^18 agents a round: 263 points of 1000 agents, 132 of 1000 x 2 replications.
  EXPECT_EQ(points_per_round(1000, 1, 2), 263u);
  EXPECT_EQ(points_per_round(1000, 2, 2), 132u);
  EXPECT_EQ(points_per_round(1, 1, 2), 4096u);  // at most 4096, the round's results in memory
  EXPECT_GE(points_per_round(600'000, 1, 64), 64u);  // at least one point per thread
}

TEST(Sweep, AFileThatIsNotAPartIsRefusedWithItsName) {
  const std::string path = std::string(CJSIM_TEST_DATA) + "/tiny.yaml";
  try {
    read_sweep_part(path);
    FAIL() << "read a YAML file as a part";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

// --- calendar journeys ---------------------------------------------------------------------

const std::string kBank = std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/bank_call_centre.yaml";

SweepPlan calendar_plan(std::int64_t days, std::int64_t warmup_days) {
  Diagnostics d;
  auto x = parse_experiment("scenario: " + kBank +
                                "\nreplications: 2\nseed: 9\nparameters:\n"
                                "  resources.desks.capacity: [1, 3]\n"
                                "  word_of_mouth.referrals_per_promoter: [0.1, 0.6]\n",
                            kPath, d);
  EXPECT_TRUE(x) << d.to_string();
  x->days = days;
  x->warmup_days = warmup_days;
  auto plan = plan_sweep(*x, d);
  EXPECT_TRUE(plan) << d.to_string();
  return *plan;
}

void expect_same(const Estimate& a, const Estimate& b, const std::string& what) {
  const auto same = [](double x, double y) { return x == y || (std::isnan(x) && std::isnan(y)); };
  EXPECT_TRUE(same(a.value, b.value) && same(a.low, b.low) && same(a.high, b.high))
      << what << ": " << a.value << " [" << a.low << ", " << a.high << "] vs " << b.value << " ["
      << b.low << ", " << b.high << "]";
}

// A calendar point runs the calendar engine on its scenario with the experiment's seed,
// replications, days and warm-up: its figures are summarize_calendar's of that run, to the bit.
TEST(CalendarSweep, APointIsACalendarRunOfItsScenario) {
  const SweepPlan plan = calendar_plan(10, 2);
  ASSERT_TRUE(is_calendar_plan(plan));
  RunOptions base;
  base.threads = 2;
  std::vector<CalendarTotals> totals;
  const std::vector<Aggregate> point = run_sweep_point(plan, 3, base, &totals);
  ASSERT_EQ(point.size(), 2u);
  ASSERT_EQ(totals.size(), 2u);

  Diagnostics d;
  Scenario scenario = *load_valid_scenario(kBank, d);
  scenario.resources[1].capacity = 3;
  scenario.word_of_mouth->referrals_per_promoter = 0.6;
  const CompiledJourney journey = compile(scenario);
  const CompiledCalendar calendar = compile_calendar(scenario, journey, 10);
  CalendarOptions options;
  options.seed = 9;
  options.replications = 2;
  options.warmup_days = 2;
  options.threads = 1;
  const CalendarRunResult result = run_calendar(journey, calendar, options);
  const CalendarSummary expected = summarize_calendar(journey, calendar, result);
  EXPECT_EQ(point[0], result.replications[0].aggregate);
  EXPECT_EQ(point[1], result.replications[1].aggregate);

  const PointFigures f = calendar_point_figures(plan, journey, calendar, point, totals);
  ASSERT_TRUE(f.calendar);
  const CalendarSummary& got = *f.calendar;
  EXPECT_EQ(got.journeys, expected.journeys);
  EXPECT_EQ(got.abandoned, expected.abandoned);
  EXPECT_EQ(got.referred_agents, expected.referred_agents);
  EXPECT_GT(got.referred_agents, 0u);
  expect_same(got.staff_cost, expected.staff_cost, "staff_cost");
  expect_same(got.lifetime_value, expected.lifetime_value, "lifetime_value");
  expect_same(got.referred_per_organic, expected.referred_per_organic, "referred_per_organic");
  expect_same(f.overall.conversion_rate, expected.plain.overall.conversion_rate, "conversion");
  ASSERT_EQ(got.resources.size(), expected.resources.size());
  for (std::size_t k = 0; k < got.resources.size(); ++k) {
    EXPECT_EQ(got.resources[k].abandoned, expected.resources[k].abandoned);
    for (const auto& [name, member] : kResourceColumns) {
      expect_same(got.resources[k].*member, expected.resources[k].*member,
                  got.resources[k].id + "." + name);
    }
  }
}

// Points run side by side (one per thread) give what each gives alone, totals included.
// A calendar sweep's calendar figures, paired with the reference point's by replication: the
// reference against itself is 0 with [0, 0]; each difference is the mean of the replications'
// differences, its interval Student t across them; the plain figures stay paired by
// replication too (calendar journeys' agents interact: no agent groups).
TEST(CalendarSweep, CalendarFiguresArePairedWithTheReferenceByReplication) {
  const SweepPlan plan = calendar_plan(7, 0);
  RunOptions base;
  base.threads = 2;
  std::vector<std::vector<Aggregate>> results;
  std::vector<std::vector<CalendarTotals>> totals(plan.points.size());
  for (std::size_t k = 0; k < plan.points.size(); ++k) {
    results.push_back(run_sweep_point(plan, k, base, &totals[k]));
  }
  const SweepFigures figures = sweep_figures(plan, results, {}, totals, 0);
  EXPECT_EQ(figures.differences.method, kReplicationsMethod);
  EXPECT_TRUE(figures.agent_groups.empty());
  ASSERT_EQ(figures.calendar_differences.size(), plan.points.size());
  const CalendarPointDifference& itself = figures.calendar_differences[0];
  ASSERT_EQ(itself.run.size(), kCalendarPointColumns.size());
  EXPECT_EQ(itself.run[0], (Estimate{0, 0, 0}));  // staff cost
  ASSERT_FALSE(itself.resource_ids.empty());
  for (const std::vector<Estimate>& resource : itself.resources) {
    EXPECT_EQ(resource.at(5), (Estimate{0, 0, 0}));  // staff cost
  }
  // Point 1: the desks' capacity 1 -> 3 (resources.desks.capacity is the first parameter).
  std::size_t more_desks = plan.points.size();
  for (std::size_t k = 0; k < plan.points.size(); ++k) {
    if (plan.points[k].values[0] == 3 && plan.points[k].values[1] == plan.points[0].values[1]) {
      more_desks = k;
    }
  }
  ASSERT_LT(more_desks, plan.points.size());
  const CalendarPointDifference& d = figures.calendar_differences[more_desks];
  const auto desks = std::find(d.resource_ids.begin(), d.resource_ids.end(), "desks");
  ASSERT_NE(desks, d.resource_ids.end());
  const std::vector<Estimate>& desk = d.resources[static_cast<std::size_t>(desks - d.resource_ids.begin())];
  const std::size_t utilisation = 0, staff_cost = 5;
  double sum = 0;
  for (std::size_t r = 0; r < 2; ++r) {
    const auto at = [&](std::size_t k) {
      const CalendarReplicationValues& v = figures.points[k].calendar_replications.at(r);
      const auto i = std::find(v.resource_ids.begin(), v.resource_ids.end(), "desks");
      return v.resources.at(static_cast<std::size_t>(i - v.resource_ids.begin())).at(utilisation);
    };
    sum += at(more_desks) - at(0);
  }
  EXPECT_DOUBLE_EQ(desk[utilisation].value, sum / 2);
  EXPECT_LT(desk[utilisation].value, 0);  // three desks are each less busy than one
  EXPECT_TRUE(std::isfinite(desk[utilisation].low) && desk[utilisation].low <= desk[utilisation].high);
  EXPECT_GT(desk[staff_cost].value, 0);  // and cost more
}

TEST(CalendarSweep, PointsSideBySideGiveWhatEachGivesAlone) {
  const SweepPlan plan = calendar_plan(7, 0);
  EXPECT_EQ(points_per_round(plan, 4), 4u);
  EXPECT_EQ(points_per_round(plan, 2), 1u);  // 2 replications keep 2 threads busy
  const std::vector<std::size_t> points = {0, 1, 2, 3};
  RunOptions base;
  base.threads = 2;
  std::vector<std::vector<CalendarTotals>> totals;
  const auto together = run_sweep_points(plan, points, base, nullptr, nullptr, &totals);
  for (std::size_t j = 0; j < points.size(); ++j) {
    RunOptions alone;
    alone.threads = 1;
    std::vector<CalendarTotals> own;
    EXPECT_EQ(together[j], run_sweep_point(plan, points[j], alone, &own)) << "point " << j;
    ASSERT_EQ(own.size(), totals[j].size());
    for (std::size_t r = 0; r < own.size(); ++r) {
      EXPECT_EQ(own[r].journeys, totals[j][r].journeys);
      EXPECT_EQ(own[r].resources.size(), totals[j][r].resources.size());
    }
  }
}

// A part keeps a calendar point's totals to the bit (p90 waits that are NaN included).
TEST(CalendarSweep, APartRestoresTheCalendarTotalsToTheBit) {
  const SweepPlan plan = calendar_plan(7, 0);
  SweepPart part{plan.fingerprint, {1, 0}, {}, {}, {}};
  for (std::uint64_t point : part.points) {
    std::vector<CalendarTotals> totals;
    part.replications.push_back(run_sweep_point(plan, point, RunOptions{}, &totals));
    part.calendar.push_back(std::move(totals));
  }
  part.calendar[0][1].resources[0].p90_wait_hours = kNaN;
  // Journeys that ended abandoned, which raw aggregates have no column for, come back too.
  EXPECT_GT(part.replications[0][0].overall().abandoned, 0u);
  const SweepPart back = read_sweep_part_image(sweep_part_image(part), "part");
  ASSERT_EQ(back.calendar.size(), 2u);
  EXPECT_EQ(back.replications, part.replications);
  for (std::size_t j = 0; j < 2; ++j) {
    ASSERT_EQ(back.calendar[j].size(), part.calendar[j].size());
    for (std::size_t r = 0; r < part.calendar[j].size(); ++r) {
      const CalendarTotals& a = back.calendar[j][r];
      const CalendarTotals& b = part.calendar[j][r];
      for (const auto& [name, member] : kCalendarTotalColumns) EXPECT_EQ(a.*member, b.*member) << name;
      ASSERT_EQ(a.resources.size(), b.resources.size());
      for (std::size_t k = 0; k < a.resources.size(); ++k) {
        for (const auto& [name, member] : kResourceTotalColumns) {
          const double x = a.resources[k].*member, y = b.resources[k].*member;
          EXPECT_TRUE(x == y || (std::isnan(x) && std::isnan(y))) << name;
        }
      }
    }
  }
}

// A sweep runs calendar journeys or plain ones, and days take calendar journeys only.
TEST(CalendarSweep, PlansRefuseMixingCalendarAndPlainJourneys) {
  Diagnostics d;
  auto x = parse_experiment("scenarios: [" + kBank + ", tiny.yaml]\nparameters:\n"
                                "  settings.kappa: [1]\n",
                            kPath, d);
  ASSERT_TRUE(x) << d.to_string();
  EXPECT_FALSE(plan_sweep(*x, d));
  EXPECT_NE(d.to_string().find("not both"), std::string::npos) << d.to_string();

  Diagnostics plain;
  auto y = parse_experiment("scenario: tiny.yaml\ndays: 5\nparameters:\n  settings.kappa: [1]\n",
                            kPath, plain);
  ASSERT_TRUE(y) << plain.to_string();
  EXPECT_FALSE(plan_sweep(*y, plain));
  EXPECT_NE(plain.to_string().find("has no calendar"), std::string::npos) << plain.to_string();
}

// Every number of two compiled journeys, as bits (a double's sign of zero included).
std::vector<std::uint64_t> bits(const std::vector<double>& values) {
  std::vector<std::uint64_t> out;
  for (double v : values) out.push_back(std::bit_cast<std::uint64_t>(v));
  return out;
}

void expect_same_journey(const CompiledJourney& a, const CompiledJourney& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.stages, b.stages);
  EXPECT_EQ(a.channels, b.channels);
  EXPECT_EQ(a.touchpoint_ids, b.touchpoint_ids);
  EXPECT_EQ(a.touchpoint_names, b.touchpoint_names);
  EXPECT_EQ(a.stage_of, b.stage_of);
  EXPECT_EQ(a.channel_of, b.channel_of);
  EXPECT_EQ(bits(a.emotion_mean), bits(b.emotion_mean));
  EXPECT_EQ(bits(a.emotion_sd), bits(b.emotion_sd));
  EXPECT_EQ(bits(a.dropout), bits(b.dropout));
  EXPECT_EQ(a.duration_kind, b.duration_kind);
  EXPECT_EQ(bits(a.duration_a), bits(b.duration_a));
  EXPECT_EQ(bits(a.duration_b), bits(b.duration_b));
  EXPECT_EQ(bits(a.cost), bits(b.cost));
  EXPECT_EQ(a.is_conversion, b.is_conversion);
  EXPECT_EQ(bits(a.conversion_value), bits(b.conversion_value));
  EXPECT_EQ(bits(a.entry_weight), bits(b.entry_weight));
  EXPECT_EQ(a.emotion_steers_choice, b.emotion_steers_choice);
  EXPECT_EQ(a.out_begin, b.out_begin);
  EXPECT_EQ(a.transition_from, b.transition_from);
  EXPECT_EQ(a.transition_to, b.transition_to);
  EXPECT_EQ(a.transition_source, b.transition_source);
  EXPECT_EQ(bits(a.transition_weight), bits(b.transition_weight));
  EXPECT_EQ(bits(a.emotion_bias), bits(b.emotion_bias));
  EXPECT_EQ(a.max_out_degree, b.max_out_degree);
  EXPECT_EQ(a.bias_begin, b.bias_begin);
  EXPECT_EQ(bits(a.bias_values), bits(b.bias_values));
  EXPECT_EQ(a.bias_group, b.bias_group);
  ASSERT_EQ(a.personas.size(), b.personas.size());
  for (std::size_t k = 0; k < a.personas.size(); ++k) {
    const PersonaTables& p = a.personas[k];
    const PersonaTables& q = b.personas[k];
    SCOPED_TRACE(p.id);
    EXPECT_EQ(p.id, q.id);
    EXPECT_EQ(bits({p.share, p.sensitivity, p.value_multiplier, p.initial_emotion_mean,
                    p.initial_emotion_sd, p.dropout_odds}),
              bits({q.share, q.sensitivity, q.value_multiplier, q.initial_emotion_mean,
                    q.initial_emotion_sd, q.dropout_odds}));
    EXPECT_EQ(p.entry_touchpoints, q.entry_touchpoints);
    EXPECT_EQ(bits(p.entry_cumulative), bits(q.entry_cumulative));
    EXPECT_EQ(bits(p.transition_weight), bits(q.transition_weight));
    EXPECT_EQ(bits(p.transition_cumulative), bits(q.transition_cumulative));
    EXPECT_EQ(bits(p.bias_max), bits(q.bias_max));
    EXPECT_EQ(bits(p.bias_min), bits(q.bias_min));
    EXPECT_EQ(bits(p.dropout_log_odds), bits(q.dropout_log_odds));
    EXPECT_EQ(bits(p.dropout_static), bits(q.dropout_static));
    EXPECT_EQ(bits(p.dropout_sure), bits(q.dropout_sure));
    EXPECT_EQ(bits(p.dropout_never), bits(q.dropout_never));
  }
  EXPECT_EQ(bits(a.persona_cumulative), bits(b.persona_cumulative));
  EXPECT_EQ(a.notes, b.notes);
  EXPECT_EQ(a.touchpoint_words.size(), b.touchpoint_words.size());
  EXPECT_EQ(a.stage_words.size(), b.stage_words.size());
  ASSERT_EQ(a.persona_words.size(), b.persona_words.size());
  for (std::size_t k = 0; k < a.persona_words.size(); ++k) {
    EXPECT_EQ(a.persona_words[k].name, b.persona_words[k].name);
  }
  EXPECT_EQ(bits({a.memory, a.kappa, a.horizon_hours, a.promoter_threshold,
                  a.detractor_threshold}),
            bits({b.memory, b.kappa, b.horizon_hours, b.promoter_threshold,
                  b.detractor_threshold}));
  EXPECT_EQ(a.max_steps, b.max_steps);
  EXPECT_EQ(a.has_horizon, b.has_horizon);
}

// The sweepable fields of the journey itself (not of a calendar), as paths into tiny.yaml:
// every field of the tables for the first touchpoint, transition and persona it applies to.
std::vector<std::string> journey_parameter_paths(const Scenario& s) {
  std::vector<std::string> paths;
  for (const auto& field : settings_fields()) {
    if (field.sweepable) paths.push_back(settings_path(field.name));
  }
  for (const auto& field : touchpoint_fields()) {
    if (!field.sweepable) continue;
    for (const Touchpoint& t : s.touchpoints) {
      if (field_applies(field, t)) paths.push_back(touchpoint_path(t.id, field.name));
    }
  }
  for (const auto& field : transition_fields()) {
    if (!field.sweepable) continue;
    for (const Transition& t : s.transitions) {
      paths.push_back(transition_path(t.from, t.to, field.name));
    }
  }
  for (const auto& field : persona_fields()) {
    if (!field.sweepable) continue;
    for (const Persona& p : s.personas) {
      if (field.form == FieldForm::channel_affinity) {
        for (const char* channel : {"web", "social"}) {
          paths.push_back(persona_path(p.id, fmt::format("channel_affinity.{}", channel)));
        }
      } else if (field.form == FieldForm::dropouts) {
        // A persona's own numbers: only those it has can be varied.
        for (const auto& [id, dropout] : p.dropout) {
          paths.push_back(persona_path(p.id, "dropout." + id));
        }
      } else if (field.form == FieldForm::entry_weights) {
        for (const auto& [id, weight] : p.entry) paths.push_back(persona_path(p.id, "entry." + id));
      } else if (field.form == FieldForm::transition_weights) {
        for (const PersonaTransition& t : p.transitions) {
          paths.push_back(persona_path(p.id, fmt::format("transitions.{}->{}", t.from, t.to)));
        }
      } else {
        paths.push_back(persona_path(p.id, field.name));
      }
    }
  }
  return paths;
}

// A value the field accepts, unlike `now` (a whole number for whole-number fields).
double value_for(const ParameterPath& path, double now, int step) {
  if (is_whole_number_parameter(path)) return now + 7 + step;
  if (!std::isfinite(now)) return 30.0 + step;  // no horizon
  const double value = now == 0.0 ? 0.35 + 0.1 * step : now * (0.45 + 0.2 * step);
  return std::min(value, 0.95 + 0.01 * step);
}

// recompile_values on a journey compiled from another point gives, field by field and to the
// bit, what compile gives of the point's scenario: for every sweepable field of the journey,
// on tiny.yaml with its transitions out of source order (so that grouping them matters), with
// personas and without (the neutral persona), and for values that silence an emotion bias, an
// entry and a transition (zeros change which values the tables hold).
TEST(Sweep, RecompiledValuesAreWhatCompilingGivesToTheBit) {
  const SweepPlan plan = plan_of("scenario: tiny.yaml\nparameters:\n  settings.kappa: [1]\n");
  Scenario shuffled = plan.bases[0];
  std::reverse(shuffled.transitions.begin(), shuffled.transitions.end());
  Scenario neutral = shuffled;
  neutral.personas.clear();
  std::size_t compared = 0;
  for (const Scenario* base : {&shuffled, &neutral}) {
    for (const std::string& text : journey_parameter_paths(*base)) {
      SCOPED_TRACE(text);
      std::string error;
      const std::optional<ParameterPath> path = parse_parameter_path(text, error);
      ASSERT_TRUE(path) << error;
      ASSERT_EQ(check_parameter_path(*base, *path), std::nullopt);
      const double now = parameter_value(*base, *path);
      const bool zero_allowed = !text.ends_with(".max_steps") && !text.ends_with(".share") &&
                                !text.ends_with("sensitivity") && !text.ends_with("duration") &&
                                !text.ends_with("dropout_odds") && !text.ends_with("median") &&
                                !text.ends_with("exponential") && !text.ends_with("_threshold") &&
                                !text.ends_with("horizon_hours");
      CompiledJourney journey = compile(*base);
      for (int step = 0; step < 3; ++step) {
        Scenario point = *base;
        const double value = step == 2 && zero_allowed ? 0.0 : value_for(*path, now, step);
        ASSERT_EQ(set_parameter(point, *path, value), std::nullopt);
        Diagnostics d;
        validate_scenario(point, d);
        if (d.has_errors()) continue;  // not a point a sweep would run
        recompile_values(point, journey);
        expect_same_journey(journey, compile(point));
        ++compared;
      }
      // And back to the base's values.
      recompile_values(*base, journey);
      expect_same_journey(journey, compile(*base));
    }
  }
  EXPECT_GT(compared, 100u);
}

// recompile_chain_values leaves a journey whose chain (expected_journey_length) is compile's
// of the point, to the bit, and after it recompile_values gives the whole of compile's: the
// tables it left stale are computed again, whatever changed in between (kappa or not).
TEST(Sweep, ChainValuesGiveCompilesChainAndAFullRecompileAfterThem) {
  const SweepPlan plan = plan_of("scenario: tiny.yaml\nparameters:\n  settings.kappa: [1]\n");
  const Scenario& base = plan.bases[0];
  const auto same_length = [](const JourneyLength& a, const JourneyLength& b) {
    EXPECT_EQ(a.known, b.known);
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a.steps_per_agent),
              std::bit_cast<std::uint64_t>(b.steps_per_agent));
    EXPECT_EQ(a.capped, b.capped);
    EXPECT_EQ(a.exact, b.exact);
    EXPECT_EQ(a.note, b.note);
  };
  std::size_t compared = 0;
  for (const std::string& text : journey_parameter_paths(base)) {
    SCOPED_TRACE(text);
    std::string error;
    const std::optional<ParameterPath> path = parse_parameter_path(text, error);
    ASSERT_TRUE(path) << error;
    const double now = parameter_value(base, *path);
    CompiledJourney journey = compile(base);
    for (int step = 0; step < 2; ++step) {
      Scenario point = base;
      ASSERT_EQ(set_parameter(point, *path, value_for(*path, now, step)), std::nullopt);
      ASSERT_EQ(set_parameter(point, parse_parameter_path("settings.kappa", error).value(),
                              0.5 + step),
                std::nullopt);
      Diagnostics d;
      validate_scenario(point, d);
      if (d.has_errors()) continue;  // not a point a sweep would run
      const CompiledJourney compiled = compile(point);
      recompile_chain_values(point, journey);
      same_length(expected_journey_length(journey), expected_journey_length(compiled));
      recompile_values(point, journey);
      expect_same_journey(journey, compiled);
      ++compared;
    }
  }
  EXPECT_GT(compared, 30u);
}

// PointJourneys, in any order of the points of two bases, gives each point's own scenario
// and compile(point_scenario) of it.
TEST(Sweep, PointJourneysGiveEveryPointsOwnCompiledJourneyInAnyOrder) {
  const SweepPlan plan = plan_of(R"(scenarios: [tiny.yaml, tiny.yaml]
parameters:
  settings.kappa: [0, 2]
  touchpoints.checkout.dropout: [0.1, 0.5]
  transitions.product->checkout.emotion_bias: [0, 1.5]
  personas.regular.channel_affinity.web: [0.5, 2]
)");
  PointJourneys journeys(plan);
  const std::size_t n = plan.points.size();
  for (std::size_t i = 0; i < 2 * n; ++i) {
    const std::size_t k = i < n ? n - 1 - i : i - n;
    SCOPED_TRACE(k);
    const Scenario expected = point_scenario(plan, k);
    const auto [scenario, journey] = journeys.at(k);
    EXPECT_EQ(scenario_yaml(scenario), scenario_yaml(expected));
    expect_same_journey(journey, compile(expected));
  }
}

// Every number of a point's headline figures, as bits (an undefined figure's NaN included).
std::vector<std::uint64_t> figure_bits(const HeadlineFigures& h) {
  std::vector<double> values;
  for (const auto& figure : kHeadlineFigures) {
    const Estimate& e = h.*figure.member;
    values.insert(values.end(), {e.value, e.low, e.high});
  }
  std::vector<std::uint64_t> out = bits(values);
  out.insert(out.end(), {h.agents, h.steps, h.conversions, h.promoters, h.detractors,
                         h.gave_up.value_or(~0ULL), h.left_after_converting.value_or(~0ULL)});
  out.insert(out.end(), h.ended.begin(), h.ended.end());
  return out;
}

// A point's figures (summarize_overall) are the overall figures of summarize, to the bit,
// for one replication and for several (intervals across them), pooled and each on its own.
TEST(Sweep, PointFiguresAreTheSummarysOverallFiguresToTheBit) {
  Diagnostics d;
  const std::optional<Scenario> scenario =
      load_valid_scenario(std::string(CJSIM_TEST_DATA) + "/tiny.yaml", d);
  ASSERT_TRUE(scenario) << d.to_string();
  const CompiledJourney journey = compile(*scenario);
  for (std::uint32_t replications : {1u, 3u}) {
    SCOPED_TRACE(replications);
    RunOptions options;
    options.agents = 2000;
    options.replications = replications;
    options.seed = 5;
    options.threads = 1;
    const std::vector<Aggregate> runs = run(journey, options).replications;
    const PointFigures point = point_figures(journey, runs);
    EXPECT_EQ(figure_bits(point.overall), figure_bits(summarize(journey, runs).overall));
    ASSERT_EQ(point.replications.size(), replications);
    for (std::size_t r = 0; r < runs.size(); ++r) {
      EXPECT_EQ(figure_bits(point.replications[r]),
                figure_bits(summarize(journey, std::span(&runs[r], 1)).overall));
    }
    EXPECT_GT(point.overall.conversions, 0u);
  }
}

}  // namespace
}  // namespace cjsim
