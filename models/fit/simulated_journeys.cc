// Agent records and paths as ObservedJourneys.
#include "models/fit/simulated_journeys.h"

#include <stdexcept>

namespace cjsim {

ObservedJourneys observed_from_simulation(const CompiledJourney& journey, const AgentDetail& detail) {
  if (detail.path_offsets.size() != detail.records.size() + 1) {
    throw std::invalid_argument("observed_from_simulation: the run recorded no paths");
  }
  ObservedJourneys out;
  out.source = "simulated: " + journey.name;
  out.touchpoints = journey.touchpoint_ids;
  out.channels.reserve(journey.touchpoint_count());
  out.stages.reserve(journey.touchpoint_count());
  for (std::size_t v = 0; v < journey.touchpoint_count(); ++v) {
    out.channels.push_back(journey.channels[journey.channel_of[v]]);
    out.stages.push_back(journey.stages[journey.stage_of[v]]);
  }
  out.segments.clear();
  for (const PersonaTables& p : journey.personas) out.segments.push_back(p.id);

  // A run's paths carry when each visit began when it was asked to record it.
  const bool timed = detail.path_hours.size() == detail.path_touchpoints.size();
  out.paths.reserve(detail.records.size());
  for (std::size_t k = 0; k < detail.records.size(); ++k) {
    const AgentOutcome& outcome = detail.records[k].outcome;
    ObservedPath path;
    path.touchpoints.assign(detail.path_touchpoints.begin() + detail.path_offsets[k],
                            detail.path_touchpoints.begin() + detail.path_offsets[k + 1]);
    if (timed) {
      path.hours.assign(detail.path_hours.begin() + detail.path_offsets[k],
                        detail.path_hours.begin() + detail.path_offsets[k + 1]);
    }
    path.segment = outcome.persona;
    if (outcome.converted) {
      path.value = outcome.revenue;
      for (std::size_t i = 0; i < path.touchpoints.size(); ++i) {
        if (journey.is_conversion[path.touchpoints[i]]) {
          path.conversion_step = static_cast<std::int64_t>(i);
          break;
        }
      }
    }
    out.paths.push_back(std::move(path));
  }
  return out;
}

}  // namespace cjsim
