// libFuzzer target: any bytes as a scenario file. Loading and validation must report problems
// as diagnostics, never crash, hang or leak; what they accept must compile and run.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cjsim::fuzz::scenario_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
