// How much memory this process can still take: the least of the machine's MemAvailable, the
// room left under the cgroup's memory.max and under an address-space limit (ulimit -v), so
// that a command refuses up front what would not fit instead of failing half-way.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cjsim {

struct AvailableMemory {
  std::uint64_t bytes = 0;
  std::string source;  // what bounds it, for messages: "MemAvailable in /proc/meminfo", ...
};

// Nothing when no bound could be read (not Linux, /proc not mounted).
std::optional<AvailableMemory> available_memory();

// The parts, for tests: MemAvailable from /proc/meminfo's text; the room under a cgroup v2
// memory.max ("max" is no bound) given memory.current.
std::optional<std::uint64_t> meminfo_available(std::string_view meminfo);
std::optional<std::uint64_t> cgroup_room(std::string_view memory_max, std::string_view memory_current);

// "1.5 GiB", "300.0 MiB".
std::string bytes_words(double bytes);

}  // namespace cjsim
