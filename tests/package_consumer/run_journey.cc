// Loads a journey, runs it through cjsim's library and prints the counts of the run as JSON, the
// keys as `cjsim run --json` names them. Usage: run_journey JOURNEY AGENTS SEED
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

#include "scenarios/validate.h"
#include "sim/engine/engine.h"
#include "sim/model/compiled_journey.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: run_journey JOURNEY AGENTS SEED\n");
    return 2;
  }
  cjsim::Diagnostics diagnostics;
  const std::optional<cjsim::Scenario> scenario = cjsim::load_valid_scenario(argv[1], diagnostics);
  if (!scenario) {
    std::fprintf(stderr, "%s", diagnostics.to_string().c_str());
    return 1;
  }
  cjsim::RunOptions options;
  options.agents = std::stoull(argv[2]);
  options.seed = std::stoull(argv[3]);
  options.threads = 2;
  const cjsim::RunResult result = cjsim::run(cjsim::compile(*scenario), options);
  const cjsim::OutcomeSums sums = result.pooled().overall();
  std::printf(
      "{\"agents\": %llu, \"conversions\": %llu, \"steps\": %llu, \"promoters\": %llu, "
      "\"detractors\": %llu}\n",
      static_cast<unsigned long long>(sums.agents),
      static_cast<unsigned long long>(sums.conversions),
      static_cast<unsigned long long>(sums.steps),
      static_cast<unsigned long long>(sums.promoters),
      static_cast<unsigned long long>(sums.detractors));
  return 0;
}
