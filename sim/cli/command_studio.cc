// `cjsim studio`: the options, then the studio's server (sim/studio) until Ctrl-C.
#include <cctype>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/cli/commands.h"
#include "sim/cli/run_support.h"
#if CJSIM_WITH_HTML
#include "sim/studio/studio.h"
#endif

namespace cjsim {
namespace {

struct StudioCommandOptions {
  std::string dir = ".";
  std::string host;
  std::vector<std::string> allowed_hosts;
  int port = 0;
  std::uint64_t most_agents = 1'000'000;
  unsigned threads = 0;
};

int studio_command(const StudioCommandOptions& o) {
#if CJSIM_WITH_HTML
  StudioOptions options;
  options.dir = o.dir;
  options.host_given = !o.host.empty();
  if (options.host_given) options.host = o.host;
  options.allowed_hosts = o.allowed_hosts;
  options.port = o.port;
  options.most_agents = o.most_agents;
  options.threads = o.threads;
  const InterruptGuard interrupt;
  serve_studio(
      options, interrupt_flag(), [](std::string_view line) { std::cout << line << std::endl; },
      [](std::string_view words) { std::cerr << "cjsim: " << words << std::endl; });
  std::cerr << "cjsim: the studio stopped\n";
  return 0;
#else
  (void)o;
  throw std::runtime_error(
      "this build of cjsim has no studio (it was configured with -DCJSIM_HTML=OFF)");
#endif
}

}  // namespace

CommandAction add_studio_command(CLI::App& command) {
  auto o = std::make_shared<StudioCommandOptions>();
  command.add_option("dir", o->dir, "The folder whose journeys, future states and results it serves")
      ->capture_default_str();
  command.add_option("-p,--port", o->port, "The port to listen on (0: a free one)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  command.add_option("--host", o->host,
                     "Listen on this address instead of 127.0.0.1 (reachable from other "
                     "machines: a warning says so)");
  command
      .add_option("--allowed-host", o->allowed_hosts,
                  "A name (or address) this machine is reached by, which the Host and Origin "
                  "headers may give besides the loopback names (with --host 0.0.0.0; repeatable)")
      ->check([](const std::string& name) -> std::string {
        // A host name, or an IPv6 address (hex digits and ':'; the studio adds the brackets).
        const bool address = name.find(':') != std::string::npos;
        for (const char c : name) {
          const bool fits = address ? std::isxdigit(static_cast<unsigned char>(c)) || c == ':'
                                    : std::isalnum(static_cast<unsigned char>(c)) || c == '-' ||
                                          c == '.';
          if (!fits) {
            return "'" + name + "' is not a host name (letters, digits, '-' and '.') or an IPv6 "
                   "address, without a port";
          }
        }
        return name.empty() ? "an empty host name" : "";
      });
  command.add_option("--most-agents", o->most_agents,
                     "The most agents a run or comparison from the page may ask for")
      ->check(whole_number(1, kMaxAgents))
      ->capture_default_str();
  add_threads_option(command, o->threads);
  return [o](const Context&) { return studio_command(*o); };
}

}  // namespace cjsim
