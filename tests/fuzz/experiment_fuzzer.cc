// libFuzzer target: any bytes as an experiment file. Reading must report problems as
// diagnostics, never crash, hang or leak; what it accepts must expand into its design.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "scenarios/diagnostic.h"
#include "scenarios/experiment.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  cjsim::Diagnostics diagnostics;
  const std::optional<cjsim::Experiment> experiment =
      cjsim::parse_experiment(text, "/nonexistent-cjsim-fuzz/experiment.yaml", diagnostics);
  (void)diagnostics.to_string();
  if (!experiment) return 0;
  // Bounded by kMostDesignPoints, which the reader enforces.
  (void)cjsim::design_rows(*experiment);
  return 0;
}
