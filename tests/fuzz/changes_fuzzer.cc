// libFuzzer target: any bytes as a future state of tests/data/future/base.yaml (the seeds are
// future-state files naming `base: base.yaml`), read through the loader as a user's file would
// be, so the change operations meet every odd list. Every problem must become a diagnostic;
// a result that validates must compile and run.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "tests/fuzz/fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  cjsim::fuzz::changes_input(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
