// The creation time stamp of result files.
#include "reports/store/run_metadata.h"

#include <ctime>

namespace cjsim {

std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);  // the thread-safe gmtime: runs may write results from several threads
  char text[sizeof "2026-11-26T21:30:00Z"];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace cjsim
