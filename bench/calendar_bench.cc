// Calendar engine throughput (sim/engine/calendar.h): a journey of three touchpoints with one
// queue at a resource near full use, one replication on one thread. Counters: visits/s (steps
// of the step kernel), events/s and agents/s.
#include <benchmark/benchmark.h>

#include <stdexcept>
#include <string>

#include "scenarios/loader.h"
#include "scenarios/validate.h"
#include "sim/engine/calendar.h"
#include "sim/model/compiled_calendar.h"
#include "sim/model/compiled_journey.h"

namespace {

// About 94% of the staff busy: most callers are served at once, some queue, a few give up.
constexpr const char* kQueueJourney = R"(name: One queue
stages: [s]
touchpoints:
  - {id: web, stage: s, channel: web, entry_weight: 1, duration: {exponential: 0.1},
     dropout: 0.2}
  - {id: call, stage: s, channel: phone, duration: {exponential: 0.1}, resource: staff,
     patience_hours: 0.5, dropout: 0.1}
  - {id: buy, stage: s, channel: web, duration: 0.05, conversion: {value: 5}}
transitions:
  - {from: web, to: call}
  - {from: call, to: buy}
calendar: {days: 1, arrivals_per_day: 100000}
resources:
  - {id: staff, capacity: 350}
)";

struct Compiled {
  cjsim::CompiledJourney journey;
  cjsim::Scenario scenario;
};

const Compiled& queue_journey() {
  static const Compiled compiled = [] {
    cjsim::Diagnostics diagnostics;
    std::optional<cjsim::Scenario> scenario =
        cjsim::parse_scenario(kQueueJourney, "queue.yaml", diagnostics);
    if (scenario) cjsim::validate_scenario(*scenario, diagnostics);
    if (!scenario || diagnostics.has_errors()) throw std::runtime_error(diagnostics.to_string());
    return Compiled{cjsim::compile(*scenario), *scenario};
  }();
  return compiled;
}

void BM_CalendarOneQueue(benchmark::State& state) {
  const Compiled& c = queue_journey();
  const cjsim::CompiledCalendar calendar =
      cjsim::compile_calendar(c.scenario, c.journey, state.range(0));
  cjsim::CalendarOptions options;
  std::uint64_t visits = 0, events = 0, agents = 0;
  for (auto _ : state) {
    const cjsim::CalendarReplication r =
        cjsim::simulate_calendar_replication(c.journey, calendar, options, 0);
    visits += r.aggregate.overall().steps;
    events += r.events;
    agents += r.organic_agents;
    ++options.seed;
  }
  using benchmark::Counter;
  state.counters["visits"] = Counter(static_cast<double>(visits), Counter::kIsRate);
  state.counters["events"] = Counter(static_cast<double>(events), Counter::kIsRate);
  state.counters["agents"] = Counter(static_cast<double>(agents), Counter::kIsRate);
}
BENCHMARK(BM_CalendarOneQueue)->Arg(1)->Arg(7)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
