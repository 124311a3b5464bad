// A run's summary as text for a terminal: the headline figures with their intervals, how
// journeys ended, the stages (the emotion curve of the journey map), touchpoints, personas.
#pragma once

#include <string>

#include "reports/store/run_metadata.h"
#include "sim/engine/summary.h"

namespace cjsim {

std::string text_report(const Summary& summary, const RunMetadata& metadata);

// Number formatting shared by the text outputs: "1,234,567", "12.34 %", "+0.12".
std::string with_thousands(std::uint64_t n);
std::string percent(double share, int decimals = 2);

}  // namespace cjsim
