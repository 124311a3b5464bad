// libFuzzer target: any bytes as an experiment file. Reading must report problems as
// diagnostics, never crash, hang or leak; what it accepts must expand into its design.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cjsim::fuzz::experiment_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
