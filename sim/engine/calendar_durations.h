// A visit's duration read ahead: the calendar engine knows when a visit ends as soon as a server
// takes the agent, so it reads the duration step 2.2 will draw a step early (sim/model/MODEL.md
// 2.6: "from the same word step 2.2 later reads").
#pragma once

#include <boost/random/detail/int_float_pair.hpp>
#include <boost/random/exponential_distribution.hpp>
#include <boost/random/normal_distribution.hpp>

#include <cmath>
#include <cstdint>

#include "sim/model/agent.h"
#include "sim/model/compiled_journey.h"
#include "sim/model/random_stream.h"

namespace cjsim {

// detail::draw_duration(j, v, s) on the stream `stream` will be after next_step(), to the bit.
// The ziggurat's first try, accepted about 99% of the time, needs only the duration's word of
// the next step, which the stream holds already (AgentStream::next_word): no copy of the stream,
// whose record is usually a miss in the cache. The acceptance tests are those of
// detail::standard_exponential and detail::standard_normal; a rejection draws on a copy of the
// stream at the next step, as step 2.2 will.
inline double duration_ahead(const CompiledJourney& j, std::uint32_t v, const AgentStream& stream) {
  switch (j.duration_kind[v]) {
    case DurationKind::fixed:
      return j.duration_a[v];
    case DurationKind::exponential: {
      const double* const table_x = boost::random::detail::exponential_table<double>::table_x;
      const detail::ZigguratTry first =
          detail::ziggurat_first_try(stream.next_word(slot_duration));
      const double x = first.fraction * table_x[first.bucket];
      if (x < table_x[first.bucket + 1]) return j.duration_a[v] * x;
      break;
    }
    case DurationKind::lognormal: {
      const double* const table_x = boost::random::detail::normal_table<double>::table_x;
      const detail::ZigguratTry first =
          detail::ziggurat_first_try(stream.next_word(slot_duration));
      const int i = first.bucket >> 1;
      const double x = first.fraction * table_x[i];
      if (x < table_x[i + 1]) {
        const int sign = (first.bucket & 1) * 2 - 1;
        return std::exp(j.duration_a[v] + j.duration_b[v] * (x * sign + 0.0));
      }
      break;
    }
  }
  return detail::draw_duration(j, v, stream.at_next_step());
}

}  // namespace cjsim
