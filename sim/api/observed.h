// Reading observed journeys (event logs, path tables, XES) for fitting and attribution.
#pragma once

#include <string>

#include "models/observed/observed_reader.h"
#include "sim/api/context.h"

namespace cjsim {

// Every diagnostic goes to context.diagnostics; with an error, throws InvalidInput
// ("..., nothing was done").
ObservedJourneys load_observed(const std::string& path, const ObservedReadOptions& options,
                               const Context& context);

}  // namespace cjsim
