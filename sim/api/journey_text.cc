// Loading a journey from text in memory.
#include "sim/api/journey_text.h"

#include <fmt/format.h>

#include "scenarios/loader.h"
#include "scenarios/validate.h"
#include "sim/api/errors.h"
#include "sim/api/limits.h"

namespace cjsim {

Scenario load_journey_text(std::string_view text, const std::string& name,
                           const Context& context) {
  const Doing doing("reading " + name);
  Diagnostics diagnostics;
  std::optional<Scenario> scenario;
  if (text.size() > kMostScenarioBytes) {
    diagnostics.error({name, 0, 0},
                      fmt::format("it is larger than {} MiB, the most a scenario may hold",
                                  kMostScenarioBytes >> 20));
  } else {
    scenario = parse_scenario(text, name, diagnostics);
    if (scenario) validate_scenario(*scenario, diagnostics);
  }
  if (context.diagnostics) context.diagnostics(name, diagnostics);
  if (!scenario || diagnostics.has_errors()) {
    throw InvalidInput(name, diagnostics.error_count(), "nothing was run");
  }
  return std::move(*scenario);
}

}  // namespace cjsim
