// Engine throughput on the shipped retail journey, and the hot loop's pieces in isolation.
// Counters: agent_steps/s and agents/s (Google Benchmark rates), for 1 thread and all threads.
#include <benchmark/benchmark.h>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>
#include <tbb/info.h>

#include <stdexcept>
#include <string>

#include "scenarios/validate.h"
#include "sim/engine/engine.h"
#include "sim/model/agent.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/exact_sum.h"

namespace {

const cjsim::CompiledJourney& retail() {
  static const cjsim::CompiledJourney journey = [] {
    cjsim::Diagnostics diagnostics;
    auto scenario = cjsim::load_valid_scenario(
        std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/retail.yaml", diagnostics);
    if (!scenario) throw std::runtime_error(diagnostics.to_string());
    return cjsim::compile(*scenario);
  }();
  return journey;
}

void BM_EngineRetail(benchmark::State& state) {
  const auto& journey = retail();
  cjsim::RunOptions options;
  options.agents = static_cast<std::uint64_t>(state.range(0));
  options.threads = static_cast<unsigned>(state.range(1));
  std::uint64_t steps = 0;
  for (auto _ : state) {
    cjsim::RunResult result = cjsim::run(journey, options);
    steps += result.replications.front().overall().steps;
    ++options.seed;
  }
  state.counters["agent_steps"] =
      benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kIsRate);
  state.counters["agents"] = benchmark::Counter(
      static_cast<double>(options.agents * state.iterations()), benchmark::Counter::kIsRate);
  state.counters["threads"] = static_cast<double>(options.threads);
}
BENCHMARK(BM_EngineRetail)
    ->ArgsProduct({{100000, 1000000, 10000000}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// One Philox4x64-10 block: what every step pays for its four words.
void BM_StepBlock(benchmark::State& state) {
  cjsim::AgentStream stream(42, 0, 7);
  stream.begin_step(0);
  for (auto _ : state) {
    stream.next_step();
    benchmark::DoNotOptimize(stream.word(0));
  }
}
BENCHMARK(BM_StepBlock);

// The engine's draws (an inline first ziggurat try) beside Boost's own on the slot engine,
// which they must equal: the difference is what the inline try saves per draw.
void BM_NormalDraw(benchmark::State& state) {
  cjsim::AgentStream stream(42, 0, 7);
  stream.begin_step(0);
  for (auto _ : state) {
    stream.next_step();
    benchmark::DoNotOptimize(cjsim::detail::standard_normal(stream, cjsim::slot_experience));
  }
}
BENCHMARK(BM_NormalDraw);

void BM_BoostNormalDraw(benchmark::State& state) {
  cjsim::AgentStream stream(42, 0, 7);
  stream.begin_step(0);
  for (auto _ : state) {
    stream.next_step();
    auto engine = stream.engine(cjsim::slot_experience);
    benchmark::DoNotOptimize(boost::random::normal_distribution<double>()(engine));
  }
}
BENCHMARK(BM_BoostNormalDraw);

void BM_ExponentialDraw(benchmark::State& state) {
  cjsim::AgentStream stream(42, 0, 7);
  stream.begin_step(0);
  for (auto _ : state) {
    stream.next_step();
    benchmark::DoNotOptimize(cjsim::detail::standard_exponential(stream, cjsim::slot_duration));
  }
}
BENCHMARK(BM_ExponentialDraw);

// ExactSum::add on the magnitudes the engine sums per agent (costs, hours, their squares).
void BM_ExactSumAdd(benchmark::State& state) {
  cjsim::AgentStream stream(42, 0, 7);
  stream.begin_step(0);
  cjsim::ExactSum sum;
  for (auto _ : state) {
    stream.next_step();
    const double x = (stream.uniform(0) - 0.25) * 100.0;
    sum.add(x);
    sum.add(x * x);
    benchmark::DoNotOptimize(sum);
  }
}
BENCHMARK(BM_ExactSumAdd);

void BM_AggregateMerge(benchmark::State& state) {
  const auto& journey = retail();
  cjsim::Aggregate a = cjsim::Aggregate::for_journey(journey);
  cjsim::simulate_block(journey, 1, 0, 0, 10000, a);
  cjsim::Aggregate total = cjsim::Aggregate::for_journey(journey);
  for (auto _ : state) {
    total.merge(a);
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_AggregateMerge);

// The choice of the next touchpoint, over every touchpoint of the retail journey that has a way
// on, at a mid emotion: emotion-steered and static choices alike.
void BM_ChooseTransition(benchmark::State& state) {
  const auto& journey = retail();
  const cjsim::PersonaTables& persona = journey.personas.front();
  cjsim::AgentScratch scratch(journey);
  std::vector<std::uint32_t> sources;
  for (std::uint32_t v = 0; v < journey.touchpoint_count(); ++v) {
    if (!journey.is_terminal(v)) sources.push_back(v);
  }
  cjsim::AgentStream stream(42, 0, 7);
  stream.begin_step(0);
  std::size_t k = 0;
  for (auto _ : state) {
    stream.next_step();
    const std::uint32_t v = sources[k++ % sources.size()];
    benchmark::DoNotOptimize(cjsim::detail::choose_transition(
        journey, persona, v, 0.3, stream.uniform(cjsim::slot_choice), scratch));
  }
}
BENCHMARK(BM_ChooseTransition);

// The dropout test with emotion in play (kappa > 0): one logistic and one comparison.
void BM_DropoutTest(benchmark::State& state) {
  const auto& journey = retail();
  const cjsim::PersonaTables& persona = journey.personas.front();
  cjsim::AgentStream stream(42, 0, 7);
  stream.begin_step(0);
  std::uint64_t step = 0;
  for (auto _ : state) {
    stream.next_step();
    ++step;
    const std::uint32_t v = static_cast<std::uint32_t>(step % journey.touchpoint_count());
    const double q = cjsim::model::dropout_probability(persona.dropout_log_odds[v], 1.5, 0.2);
    benchmark::DoNotOptimize(stream.uniform(cjsim::slot_dropout) < q);
  }
}
BENCHMARK(BM_DropoutTest);

}  // namespace
