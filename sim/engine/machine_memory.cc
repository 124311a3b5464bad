// Reading the memory bounds of Linux: /proc/meminfo, the cgroup v2 files of this process's
// group, and RLIMIT_AS with the address space already in use.
#include "sim/engine/machine_memory.h"

#include <fmt/format.h>
#include <sys/resource.h>

#include <charconv>
#include <fstream>
#include <sstream>

namespace cjsim {
namespace {

std::string file_text(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "";
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::optional<std::uint64_t> number_at(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data()) return std::nullopt;
  return value;
}

// "Key:   123 kB" -> bytes.
std::optional<std::uint64_t> kib_field(std::string_view text, std::string_view key) {
  const std::size_t at = text.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  const std::optional<std::uint64_t> kib = number_at(text.substr(at + key.size()));
  if (!kib) return std::nullopt;
  return *kib * 1024;
}

// The line of /proc/self/cgroup for `controller` ("0::" for cgroup v2, ":memory:" for v1):
// the group's path below the controller's mount.
std::optional<std::string> cgroup_path(const std::string& text, std::string_view controller) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    const std::size_t at = line.find(controller);
    if (at == std::string::npos || (controller == "0::" && at != 0)) continue;
    return line.substr(at + controller.size());
  }
  return std::nullopt;
}

// The memory limit of this process's group and what it uses, v2 first, then v1 (whose files
// in a container are often those of the group's own mount root).
std::optional<std::uint64_t> cgroup_memory_room() {
  const std::string text = file_text("/proc/self/cgroup");
  if (auto path = cgroup_path(text, "0::")) {
    const std::string group = "/sys/fs/cgroup" + *path;
    const std::string max = file_text(group + "/memory.max");
    if (!max.empty()) return cgroup_room(max, file_text(group + "/memory.current"));
  }
  if (auto path = cgroup_path(text, ":memory:")) {
    for (const std::string& group : {"/sys/fs/cgroup/memory" + *path, std::string("/sys/fs/cgroup/memory")}) {
      const std::string max = file_text(group + "/memory.limit_in_bytes");
      if (!max.empty()) return cgroup_room(max, file_text(group + "/memory.usage_in_bytes"));
    }
  }
  return std::nullopt;
}

void keep_least(std::optional<AvailableMemory>& least, std::uint64_t bytes, std::string source) {
  if (!least || bytes < least->bytes) least = AvailableMemory{bytes, std::move(source)};
}

}  // namespace

std::optional<std::uint64_t> meminfo_available(std::string_view meminfo) {
  return kib_field(meminfo, "MemAvailable:");
}

std::optional<std::uint64_t> cgroup_room(std::string_view memory_max,
                                         std::string_view memory_current) {
  const std::optional<std::uint64_t> max = number_at(memory_max);
  if (!max) return std::nullopt;  // "max": no bound
  const std::uint64_t used = number_at(memory_current).value_or(0);
  return used >= *max ? 0 : *max - used;
}

std::optional<AvailableMemory> available_memory() {
  std::optional<AvailableMemory> least;
  if (auto bytes = meminfo_available(file_text("/proc/meminfo"))) {
    keep_least(least, *bytes, "MemAvailable in /proc/meminfo");
  }
  if (auto room = cgroup_memory_room()) {
    keep_least(least, *room, "the room under the cgroup's memory limit");
  }
  rlimit limit{};
  if (getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    const std::uint64_t used = kib_field(file_text("/proc/self/status"), "VmSize:").value_or(0);
    const std::uint64_t cap = limit.rlim_cur;
    keep_least(least, used >= cap ? 0 : cap - used, "the room under the address-space limit (ulimit -v)");
  }
  return least;
}

std::string bytes_words(double bytes) {
  if (bytes >= 1024.0 * 1024 * 1024) return fmt::format("{:.1f} GiB", bytes / (1024.0 * 1024 * 1024));
  return fmt::format("{:.1f} MiB", bytes / (1024.0 * 1024));
}

}  // namespace cjsim
