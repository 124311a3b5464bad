// The options of the commands that read observed data (fit, attribute): the format and the
// column names, in the same words everywhere.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "models/observed/observed_reader.h"

namespace cjsim {

// Registers --format, the event-log columns (--customer-column, ...) and the path-table
// columns (--path-column, ...). With `funnel`, --format also takes `funnel` (an aggregate
// funnel CSV, models/observed/funnel.h), which sets *funnel.
void add_observed_data_flags(CLI::App& command, ObservedReadOptions& options,
                             bool* funnel = nullptr);

}  // namespace cjsim
