// Simulated agents seen as observed journeys: the paths a run recorded (RunOptions with
// agent_paths) in the form fitting, goodness of fit and attribution read, so that data
// simulated from a known journey can be fitted back, and a fitted journey's simulated paths
// compared with the data it was fitted to.
#pragma once

#include "models/observed/observed_journeys.h"
#include "sim/engine/engine.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {

// One ObservedPath per agent (count 1), in record order. Touchpoint indices are the
// journey's; the conversion step is the path's first visit to a conversion touchpoint, as in
// the model; the segment is the agent's persona, and the segments are the persona ids. Each
// visit's hours are the clock when it began (0 at the first), as the data's are its
// timestamp's hours since the first visit: so the last visit's start is the journey's
// duration and the conversion visit's start its time to convert, on both sides alike (the
// model's own hours and hours_to_convert end after the visit's duration). Hours are left
// empty when the run did not record them (RunOptions::agent_path_hours). Requires detail
// recorded with paths.
ObservedJourneys observed_from_simulation(const CompiledJourney& journey, const AgentDetail& detail);

}  // namespace cjsim
