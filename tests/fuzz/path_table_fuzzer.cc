// libFuzzer target: any bytes as a path table. Reading must report problems as diagnostics,
// never crash or hang; what it accepts must fit and attribute.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/observed_fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cjsim::fuzz::path_table_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
