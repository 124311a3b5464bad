// The shipped retail example and future states of it written inline, compiled: what the tests
// of shared walks (tests/walk_sharing_test.cc, tests/shared_walks_test.cc) compare.
#pragma once

#include <stdexcept>
#include <string>

#include "scenarios/loader.h"
#include "scenarios/validate.h"
#include "sim/model/compiled_journey.h"

namespace cjsim::test {

inline std::string example_path(const std::string& name) {
  return std::string(CJSIM_SOURCE_DIR) + "/scenarios/examples/" + name;
}

inline CompiledJourney load_example(const std::string& name) {
  Diagnostics diagnostics;
  auto scenario = load_valid_scenario(example_path(name), diagnostics);
  if (!scenario) throw std::runtime_error(diagnostics.to_string());
  return compile(*scenario);
}

// Retail with `changes` (a future state's list, YAML).
inline CompiledJourney retail_with(const std::string& changes) {
  Diagnostics diagnostics;
  auto scenario = parse_scenario("name: changed\nbase: retail.yaml\nchanges:\n" + changes,
                                 example_path("changed.yaml"), diagnostics);
  if (scenario) validate_scenario(*scenario, diagnostics);
  if (!scenario || diagnostics.has_errors()) throw std::runtime_error(diagnostics.to_string());
  return compile(*scenario);
}

}  // namespace cjsim::test
