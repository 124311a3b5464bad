// libFuzzer target: any bytes as a path table. Reading must report problems as diagnostics,
// never crash or hang; what it accepts must fit and attribute.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "models/path_table.h"
#include "tests/fuzz/observed_fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  cjsim::Diagnostics diagnostics;
  const auto journeys = cjsim::read_path_table(in, "input.csv", {}, diagnostics);
  (void)diagnostics.to_string();
  if (journeys) cjsim::fuzz::fit_and_attribute(*journeys);
  return 0;
}
