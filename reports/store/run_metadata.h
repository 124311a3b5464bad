// What a result file says about how it was made, so that any result can be reproduced.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cjsim {

struct RunMetadata {
  std::string scenario_path;  // as given on the command line
  std::string scenario_text;  // the journey's YAML text as run
  // For a future state, the files it builds on, nearest first: (path, text) pairs.
  std::vector<std::pair<std::string, std::string>> base_files;
  std::string software_version;
  std::string command_line;
  std::string created;  // ISO 8601, UTC
  std::uint64_t seed = 0;
  std::uint64_t agents = 0;  // per replication
  std::uint32_t replications = 1;
  unsigned threads = 0;
  double seconds = 0.0;
};

// The current time as ISO 8601 in UTC, e.g. 2026-11-26T21:30:00Z.
std::string utc_timestamp();

}  // namespace cjsim
