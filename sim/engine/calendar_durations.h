// A visit's duration read ahead: the calendar engine knows when a visit ends as soon as a server
// takes the agent, so it reads the duration step 2.2 will draw a step early (sim/model/MODEL.md
// 2.6: "from the same word step 2.2 later reads").
#pragma once

#include <cmath>
#include <cstdint>

#include "sim/model/agent.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/random_stream.h"

namespace cjsim {

// detail::draw_duration(j, v, s) on the stream `stream` will be after next_step(), to the bit.
// The ziggurat's first try, accepted about 99% of the time, needs only the duration's word of
// the next step, which the stream holds already (AgentStream::next_word): no copy of the stream,
// whose record is usually a miss in the cache. The first tries are detail::standard_exponential's
// and detail::standard_normal's own; a rejection draws on a copy of the stream at the next step,
// as step 2.2 will.
inline double duration_ahead(const CompiledJourney& j, std::uint32_t v, const AgentStream& stream) {
  double unit = 0.0;
  switch (j.duration_kind[v]) {
    case DurationKind::fixed:
      return j.duration_a[v];
    case DurationKind::exponential:
      if (detail::standard_exponential_first_try(stream.next_word(slot_duration), unit)) {
        return j.duration_a[v] * unit;
      }
      break;
    case DurationKind::lognormal:
      if (detail::standard_normal_first_try(stream.next_word(slot_duration), unit)) {
        return std::exp(j.duration_a[v] + j.duration_b[v] * unit);
      }
      break;
  }
  return detail::draw_duration(j, v, stream.at_next_step());
}

}  // namespace cjsim
