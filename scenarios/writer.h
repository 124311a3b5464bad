// Writing a Scenario as a journey file (YAML) that the loader reads back to the same journey:
// what `cjsim fit` produces, and what any tool that builds journeys in code can save.
#pragma once

#include <string>

#include "scenarios/scenario.h"

namespace cjsim {

// The whole journey (a future state's changes already applied), every number written with
// the fewest digits that read back to the same double. Fields at their defaults are left out.
std::string scenario_yaml(const Scenario& scenario);

}  // namespace cjsim
