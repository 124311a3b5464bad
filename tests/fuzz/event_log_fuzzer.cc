// libFuzzer target: any bytes as an event log. Reading must report problems as diagnostics,
// never crash or hang; what it accepts must fit, and the fit must write a valid journey.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "models/event_log.h"
#include "tests/fuzz/observed_fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  cjsim::Diagnostics diagnostics;
  const auto journeys = cjsim::read_event_log(in, "input.csv", {}, diagnostics);
  (void)diagnostics.to_string();
  if (journeys) cjsim::fuzz::fit_and_attribute(*journeys);
  return 0;
}
