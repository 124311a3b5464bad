// A visit's duration read ahead (sim/engine/calendar_durations.h) is the draw step 2.2 makes a
// step later, to the bit, for every kind of duration and on the ziggurat's rare rejections too.
#include "sim/engine/calendar_durations.h"

#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <optional>

#include "scenarios/loader.h"
#include "scenarios/validate.h"

namespace cjsim {
namespace {

constexpr const char* kDurations = R"(name: Durations
stages: [s]
touchpoints:
  - {id: fixed, stage: s, channel: web, entry_weight: 1, duration: 0.25}
  - {id: exponential, stage: s, channel: web, duration: {exponential: 0.1}}
  - {id: lognormal, stage: s, channel: web, duration: {lognormal: {median: 0.3, sigma: 0.6}},
     conversion: {value: 5}}
transitions:
  - {from: fixed, to: exponential}
  - {from: exponential, to: lognormal}
)";

TEST(CalendarDurations, DurationReadAheadIsTheDrawOfTheNextStepToTheBit) {
  Diagnostics diagnostics;
  std::optional<Scenario> s = parse_scenario(kDurations, "durations.yaml", diagnostics);
  ASSERT_TRUE(s) << diagnostics.to_string();
  validate_scenario(*s, diagnostics);
  ASSERT_FALSE(diagnostics.has_errors()) << diagnostics.to_string();
  const CompiledJourney j = compile(*s);
  // 3 x 40,000 draws per kind: the ziggurat rejects about 1% of first tries, so several
  // hundred draws of each kind take the rejection path.
  std::uint64_t compared = 0;
  for (std::uint64_t agent = 0; agent < 40'000; ++agent) {
    AgentStream stream(7, 1, agent, agent % 2 == 0 ? 0 : (agent << 3));
    stream.begin_step(0);
    for (int step = 0; step < 3; ++step) {
      for (std::uint32_t v = 0; v < j.touchpoint_count(); ++v) {
        AgentStream next = stream;
        next.next_step();
        const double expected = detail::draw_duration(j, v, next);
        const double ahead = duration_ahead(j, v, stream);
        ASSERT_EQ(std::bit_cast<std::uint64_t>(ahead), std::bit_cast<std::uint64_t>(expected))
            << "agent " << agent << ", step " << step << ", touchpoint " << v;
        ++compared;
      }
      stream.next_step();
    }
  }
  EXPECT_EQ(compared, 40'000u * 3 * 3);
}

}  // namespace
}  // namespace cjsim
