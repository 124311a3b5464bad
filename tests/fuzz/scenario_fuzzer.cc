// libFuzzer target: any bytes as a scenario file. Loading and validation must report problems
// as diagnostics, never crash, hang or leak; what they accept must compile and run.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "scenarios/diagnostic.h"
#include "scenarios/loader.h"
#include "scenarios/validate.h"
#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  cjsim::Diagnostics diagnostics;
  // A name in a directory that does not exist: a `base:` it names resolves to nothing.
  std::optional<cjsim::Scenario> scenario =
      cjsim::parse_scenario(text, "/nonexistent-cjsim-fuzz/input.yaml", diagnostics);
  (void)diagnostics.to_string();
  if (!scenario) return 0;
  cjsim::validate_scenario(*scenario, diagnostics);
  (void)diagnostics.to_string();
  if (diagnostics.has_errors()) return 0;
  cjsim::fuzz::simulate_a_few(*scenario);
  return 0;
}
