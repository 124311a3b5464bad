// libFuzzer target: any bytes as a future state of tests/data/future/base.yaml (the seeds are
// future-state files naming `base: base.yaml`), read through the loader as a user's file would
// be, so the change operations meet every odd list. Every problem must become a diagnostic;
// a result that validates must compile and run.
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
  // Beside base.yaml, so that `base: base.yaml` (and the other files there) resolve.
  std::optional<cjsim::Scenario> scenario =
      cjsim::parse_scenario(text, CJSIM_TEST_DATA "/future/fuzzed_future.yaml", diagnostics);
  (void)diagnostics.to_string();
  if (!scenario) return 0;
  cjsim::validate_scenario(*scenario, diagnostics);
  (void)diagnostics.to_string();
  if (diagnostics.has_errors()) return 0;
  cjsim::fuzz::simulate_a_few(*scenario);
  return 0;
}
