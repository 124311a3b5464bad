// libFuzzer target: any bytes as a result file (run, comparison, sweep, sweep part). Every
// reader must refuse what it cannot read with an error, never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/result_fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cjsim::fuzz::result_file_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
