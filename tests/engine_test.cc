// The engine: determinism across threads and batches, and the model's step order on journeys
// small enough to reason about exactly.
#include "sim/engine/engine.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "random_journeys.h"
#include "scenarios/validate.h"
#include "sim/engine/aggregate.h"
#include "sim/model/agent.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {
namespace {

CompiledJourney tiny() {
  Diagnostics diagnostics;
  auto scenario = load_valid_scenario(std::string(CJSIM_TEST_DATA) + "/tiny.yaml", diagnostics);
  EXPECT_TRUE(scenario.has_value()) << diagnostics.to_string();
  return compile(*scenario);
}

Touchpoint touchpoint(std::string id, double dropout = 0.0) {
  Touchpoint t;
  t.id = std::move(id);
  t.stage = "only";
  t.channel = "web";
  t.dropout = dropout;
  return t;
}

Transition transition(std::string from, std::string to, double weight = 1.0) {
  Transition t;
  t.from = std::move(from);
  t.to = std::move(to);
  t.weight = weight;
  return t;
}

Scenario line_journey() {
  Scenario s;
  s.name = "line";
  s.stages = {"only"};
  s.touchpoints = {touchpoint("a"), touchpoint("b"), touchpoint("c")};
  s.touchpoints[0].entry_weight = 1;
  s.touchpoints[1].conversion = true;
  s.touchpoints[1].value = 100;
  for (auto& t : s.touchpoints) {
    t.duration.hours = 1.0;
    t.cost = 2.0;
  }
  s.transitions = {transition("a", "b"), transition("b", "c")};
  return s;
}

struct NullObserver {
  void start(std::uint32_t) {}
  void visit(std::uint32_t, double) {}
  void convert(std::uint32_t) {}
  void transition(std::uint32_t) {}
  void finish(const AgentOutcome&) {}
};

AgentOutcome one_agent(const CompiledJourney& j, std::uint64_t agent = 0) {
  AgentScratch scratch(j);
  NullObserver observer;
  return simulate_agent(j, 1, 0, agent, scratch, observer);
}

TEST(Engine, SameSeedGivesIdenticalResultsForAnyThreadCount) {
  const CompiledJourney j = tiny();
  RunOptions options;
  options.agents = 100000;
  options.seed = 11;
  options.replications = 2;
  options.threads = 1;
  const RunResult one = run(j, options);
  options.threads = 2;
  const RunResult two = run(j, options);
  options.threads = 8;
  const RunResult eight = run(j, options);
  EXPECT_EQ(one.replications, two.replications);
  EXPECT_EQ(one.replications, eight.replications);
}

TEST(Engine, AnySplitIntoBatchesGivesTheSameAggregate) {
  const CompiledJourney j = tiny();
  RunOptions options;
  options.agents = 50000;
  options.seed = 3;
  const Aggregate whole = run(j, options).replications.front();
  for (std::uint64_t batch : {1u, 977u, 16384u, 50000u}) {
    Aggregate merged = Aggregate::for_journey(j);
    for (std::uint64_t first = 0; first < options.agents; first += batch) {
      Aggregate part = Aggregate::for_journey(j);
      simulate_block(j, options.seed, 0, first, std::min(batch, options.agents - first), part);
      merged.merge(part);
    }
    EXPECT_EQ(merged, whole) << "batch size " << batch;
  }
}

// The calendar engine's way of recording: many journeys under way at once, each visit told as it
// comes with the journey's persona (visit_of, convert_of), the journey keeping its own stages.
TEST(Engine, RecordingJourneysUnderWayTogetherGivesTheAggregateOfOneByOne) {
  const CompiledJourney j = tiny();
  constexpr std::uint64_t kAgents = 3000;
  AgentScratch scratch(j);
  Aggregate one_by_one = Aggregate::for_journey(j);
  {
    AggregateRecorder recorder(j, one_by_one);
    for (std::uint64_t i = 0; i < kAgents; ++i) simulate_agent(j, 1, 0, i, scratch, recorder);
  }
  struct Live {
    AggregateRecorder& recorder;
    std::uint32_t persona;
    std::uint64_t& stages;
    void start(std::uint32_t) {}
    void visit(std::uint32_t v, double emotion) { stages |= recorder.visit_of(persona, v, emotion); }
    void convert(std::uint32_t v) { recorder.convert_of(persona, v); }
    void transition(std::uint32_t t) { recorder.transition(t); }
    void finish(const AgentOutcome&) {}
  };
  Aggregate together = Aggregate::for_journey(j);
  {
    AggregateRecorder recorder(j, together);
    NullObserver unobserved;
    // 40 journeys under way, each taking a step in turn; a journey that ends makes way for the
    // next agent, so journeys end in another order than they started.
    std::vector<AgentState> states;
    std::vector<std::uint64_t> stages;
    std::uint64_t started = 0;
    auto start = [&](std::size_t k) {
      AgentState s(1, 0, started++);
      start_agent(j, s, unobserved);
      if (k == states.size()) {
        states.push_back(s);
        stages.push_back(0);
      } else {
        states[k] = s;
        stages[k] = 0;
      }
    };
    for (std::size_t k = 0; k < 40; ++k) start(k);
    std::vector<bool> active(states.size(), true);
    for (std::size_t under_way = states.size(); under_way > 0;) {
      for (std::size_t k = 0; k < states.size(); ++k) {
        if (!active[k]) continue;
        Live live{recorder, states[k].out.persona, stages[k]};
        if (take_step(j, states[k], scratch, live)) continue;
        recorder.finish_of(finish_agent(states[k], unobserved), stages[k]);
        if (started < kAgents) {
          start(k);
        } else {
          active[k] = false;
          --under_way;
        }
      }
    }
  }
  EXPECT_EQ(one_by_one.overall().agents, kAgents);
  EXPECT_GT(one_by_one.overall().conversions, 0u);
  EXPECT_EQ(one_by_one, together);
}

TEST(Engine, DifferentSeedsAndReplicationsDiffer) {
  const CompiledJourney j = tiny();
  RunOptions options;
  options.agents = 20000;
  options.replications = 2;
  options.seed = 1;
  const RunResult a = run(j, options);
  options.seed = 2;
  const RunResult b = run(j, options);
  EXPECT_NE(a.replications[0], b.replications[0]);
  EXPECT_NE(a.replications[0], a.replications[1]);
}

TEST(Engine, AgentRecordsAgreeWithTheAggregate) {
  const CompiledJourney j = tiny();
  RunOptions options;
  options.agents = 30000;
  options.agent_paths = true;
  const RunResult r = run(j, options);
  ASSERT_TRUE(r.detail.has_value());
  ASSERT_EQ(r.detail->records.size(), options.agents);
  std::uint64_t conversions = 0, steps = 0;
  for (std::size_t k = 0; k < r.detail->records.size(); ++k) {
    const AgentRecord& rec = r.detail->records[k];
    EXPECT_EQ(rec.agent, k);
    conversions += rec.outcome.converted;
    steps += rec.outcome.steps;
    ASSERT_EQ(r.detail->path_offsets[k + 1] - r.detail->path_offsets[k], rec.outcome.steps);
    EXPECT_EQ(r.detail->path_touchpoints[r.detail->path_offsets[k]], rec.outcome.entry);
  }
  const OutcomeSums total = r.replications.front().overall();
  EXPECT_EQ(conversions, total.conversions);
  EXPECT_EQ(steps, total.steps);
  EXPECT_EQ(r.detail->path_touchpoints.size(), steps);
}

TEST(Engine, AgentsShareSetUpDrawsAcrossJourneys) {
  // Common random numbers: the persona and initial emotion of agent i depend on the seed and
  // i only, not on the journey's touchpoints.
  Scenario s = line_journey();
  Persona a, b;
  a.id = "a";
  a.initial_emotion_sd = 0.3;
  b.id = "b";
  b.initial_emotion_sd = 0.3;
  s.personas = {a, b};
  Scenario changed = s;
  changed.touchpoints[1].dropout = 0.5;
  changed.touchpoints[0].emotion_sd = 0.4;
  const CompiledJourney j1 = compile(s), j2 = compile(changed);
  for (std::uint64_t agent = 0; agent < 200; ++agent) {
    EXPECT_EQ(one_agent(j1, agent).persona, one_agent(j2, agent).persona);
  }
}

TEST(Engine, LineJourneyFollowsTheStepOrder) {
  const CompiledJourney j = compile(line_journey());
  const AgentOutcome o = one_agent(j);
  EXPECT_EQ(o.ending, Ending::completed);
  EXPECT_EQ(o.steps, 3u);
  EXPECT_TRUE(o.converted);
  EXPECT_DOUBLE_EQ(o.revenue, 100.0);
  EXPECT_DOUBLE_EQ(o.hours_to_convert, 2.0);  // the clock includes the converting visit
  EXPECT_DOUBLE_EQ(o.hours, 3.0);
  EXPECT_DOUBLE_EQ(o.cost, 6.0);
  EXPECT_EQ(o.last, 2u);
}

TEST(Engine, HorizonCensorsBeforeConversionAtTheSameVisit) {
  Scenario s = line_journey();
  s.settings.horizon_hours = 1.5;  // passed during the visit to b, before its conversion
  const AgentOutcome o = one_agent(compile(s));
  EXPECT_EQ(o.ending, Ending::censored);
  EXPECT_FALSE(o.converted);
  EXPECT_EQ(o.steps, 2u);
  EXPECT_DOUBLE_EQ(o.cost, 4.0);  // the censored visit's cost counts
}

TEST(Engine, ConversionHappensBeforeDropout) {
  Scenario s = line_journey();
  s.touchpoints[1].dropout = 1.0;
  const AgentOutcome o = one_agent(compile(s));
  EXPECT_TRUE(o.converted);
  EXPECT_EQ(o.ending, Ending::dropped);
  EXPECT_EQ(o.last, 1u);
}

TEST(Engine, TerminalTouchpointCompletesEvenWithFullDropout) {
  Scenario s = line_journey();
  s.touchpoints[2].dropout = 1.0;  // step 4 (no way on) comes before step 5 (dropout)
  EXPECT_EQ(one_agent(compile(s)).ending, Ending::completed);
}

TEST(Engine, StepCapEndsCyclesAsCapped) {
  Scenario s = line_journey();
  s.transitions.push_back(transition("c", "a"));
  s.settings.max_steps = 7;
  const AgentOutcome o = one_agent(compile(s));
  EXPECT_EQ(o.ending, Ending::capped);
  EXPECT_EQ(o.steps, 7u);
  EXPECT_DOUBLE_EQ(o.revenue, 100.0);  // converts once only, though b is visited twice
}

TEST(Engine, EmotionFollowsMemoryAndClamps) {
  Scenario s = line_journey();
  s.settings.memory = 0.5;
  s.touchpoints[0].emotion_mean = 0.8;
  s.touchpoints[1].emotion_mean = 0.8;
  s.touchpoints[2].emotion_mean = -0.1;
  Persona p;
  p.id = "keen";
  p.sensitivity = 1.0;
  p.initial_emotion_mean = 0.4;
  s.personas = {p};
  const AgentOutcome o = one_agent(compile(s));
  // 0.5*0.4+0.8 = 1.0; 0.5*1.0+0.8 = 1.3 -> 1.0; 0.5*1.0-0.1 = 0.4.
  EXPECT_DOUBLE_EQ(o.peak_emotion, 1.0);
  EXPECT_DOUBLE_EQ(o.final_emotion, 0.4);
  EXPECT_DOUBLE_EQ(o.peak_end, 0.7);
  EXPECT_DOUBLE_EQ(o.likelihood_to_recommend, 8.5);
}

TEST(Engine, ExtremeEmotionBiasesDoNotOverflow) {
  Scenario s = line_journey();
  s.touchpoints[0].emotion_mean = 0.9;
  s.transitions.push_back(transition("a", "c"));
  s.transitions[0].emotion_bias = 5000.0;  // exp(4500) overflows a double
  s.transitions[2].emotion_bias = -5000.0;
  const AgentOutcome o = one_agent(compile(s));
  EXPECT_TRUE(o.converted);  // the happy customer takes a -> b with probability ~1
}

TEST(Engine, ZeroDropoutOddsMeansNobodyDrops) {
  Scenario s = line_journey();
  s.touchpoints[0].dropout = 0.9;
  Persona p;
  p.id = "never";
  p.dropout_odds = 0.0;
  s.personas = {p};
  s.settings.kappa = 2.0;
  RunOptions options;
  options.agents = 5000;
  const OutcomeSums total = run(compile(s), options).pooled().overall();
  EXPECT_EQ(total.ended[static_cast<int>(Ending::dropped)], 0u);
}

TEST(Engine, CancelStopsTheRun) {
  const CompiledJourney j = tiny();
  std::atomic<bool> cancel{true};
  RunOptions options;
  options.agents = 100000;
  options.cancel = &cancel;
  EXPECT_THROW(run(j, options), RunCancelled);
}

CompiledJourney retail_with_kappa(double kappa) {
  Diagnostics diagnostics;
  auto scenario = load_valid_scenario(
      std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/retail.yaml", diagnostics);
  EXPECT_TRUE(scenario.has_value()) << diagnostics.to_string();
  scenario->settings.kappa = kappa;
  return compile(*scenario);
}

// The dropout test skips the logistic when the uniform lies outside q's range over emotions
// in [-1, 1]; its decision must be u < q in every case, including uniforms at q's own value
// and next to it, and the bounds themselves.
TEST(Engine, DropoutShortcutDecidesExactlyAsTheLogistic) {
  std::mt19937_64 rng(17);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (double kappa : {1.5, 0.01, 40.0}) {
    const CompiledJourney j = retail_with_kappa(kappa);
    for (const PersonaTables& p : j.personas) {
      for (std::uint32_t v = 0; v < j.touchpoint_count(); ++v) {
        for (int k = 0; k < 200; ++k) {
          const double e = k == 0 ? -1.0 : k == 1 ? 1.0 : k == 2 ? 0.0 : 2.0 * unit(rng) - 1.0;
          const double q = model::dropout_probability(p.dropout_log_odds[v], kappa, e);
          for (double u : {unit(rng), q, std::nextafter(q, 0.0), std::nextafter(q, 1.0),
                           p.dropout_sure[v], p.dropout_never[v],
                           std::nextafter(p.dropout_sure[v], 0.0)}) {
            if (!(u >= 0.0 && u < 1.0)) continue;
            ASSERT_EQ(detail::drops_out(j, p, v, e, u), u < q)
                << "kappa " << kappa << ", touchpoint " << v << ", e " << e << ", u " << u;
          }
        }
      }
    }
  }
}

// The steered choice finds its shift from the persona's largest and smallest bias; it must
// choose what the shift from a pass over the transitions chooses.
TEST(Engine, SteeredChoiceChoosesAsWithTheShiftOverAllTransitions) {
  const CompiledJourney j = retail_with_kappa(1.5);
  AgentScratch scratch(j);
  std::mt19937_64 rng(19);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (const PersonaTables& p : j.personas) {
    for (std::uint32_t v = 0; v < j.touchpoint_count(); ++v) {
      if (j.is_terminal(v) || !j.emotion_steers_choice[v]) continue;
      for (int k = 0; k < 500; ++k) {
        const double e = k == 0 ? -1.0 : k == 1 ? 1.0 : k == 2 ? -0.0 : 2.0 * unit(rng) - 1.0;
        const double u = unit(rng);
        double shift = -std::numeric_limits<double>::infinity();
        for (std::uint32_t t = j.out_begin[v]; t < j.out_begin[v + 1]; ++t) {
          if (p.transition_weight[t] > 0.0) shift = std::max(shift, j.emotion_bias[t] * e);
        }
        std::vector<double> cumulative;
        double total = 0.0;
        for (std::uint32_t t = j.out_begin[v]; t < j.out_begin[v + 1]; ++t) {
          const double x = j.emotion_bias[t] * e - shift;
          total += p.transition_weight[t] > 0.0
                       ? p.transition_weight[t] * (x == 0.0 ? 1.0 : std::exp(x))
                       : 0.0;
          cumulative.push_back(total);
        }
        const std::uint32_t expected =
            j.out_begin[v] + detail::pick_cumulative(cumulative, u * total);
        ASSERT_EQ(detail::choose_transition(j, p, v, e, u, scratch), expected)
            << "touchpoint " << v << ", e " << e << ", u " << u;
      }
    }
  }
}

}  // namespace
}  // namespace cjsim
