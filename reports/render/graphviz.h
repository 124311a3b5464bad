// A journey's touchpoint graph as Graphviz DOT: touchpoints grouped by stage, conversion
// touchpoints marked, edges labelled with their weights.
#pragma once

#include <ostream>

#include "sim/model/compiled_journey.h"

namespace cjsim {

void write_dot(std::ostream& out, const CompiledJourney& journey);

}  // namespace cjsim
