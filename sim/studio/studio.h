// `cjsim studio`: a local web server where a strategist opens the journeys of a folder as maps,
// edits them, sketches future states and runs comparisons, every one through the library API
// (sim/api). Safe by default: loopback only, a token on every request, Host and Origin checked,
// files only under the folder, bodies and runs bounded.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cjsim {

struct StudioOptions {
  std::string dir = ".";         // the folder whose journeys are served
  std::string host = "127.0.0.1";
  bool host_given = false;       // --host: listen beyond loopback, with a warning
  std::vector<std::string> allowed_hosts;  // --allowed-host: more names Host and Origin may give
  int port = 0;                  // 0: a free port
  std::uint64_t most_agents = 1'000'000;       // per run or comparison
  std::uint32_t most_replications = 20;
  std::uint32_t most_draws = 256;  // parameter sets of the uncertain inputs per run (0: none)
  std::size_t most_request_bytes = std::size_t{8} << 20;
  int most_runs = 2;             // runs and comparisons under way at once
  unsigned threads = 0;          // per run; 0: every core
};

// Serves until `stop` is raised (Ctrl-C), then stops the runs under way and returns. The first
// line on `out` is the address with its token; `say` takes notes and warnings ("warning: ...").
// Makes `dir` the working directory, so that files are named as the command line names them
// from there. Throws std::runtime_error when the folder or the port cannot be used.
void serve_studio(const StudioOptions& options, const std::atomic<bool>& stop,
                  const std::function<void(std::string_view)>& out,
                  const std::function<void(std::string_view)>& say);

}  // namespace cjsim
