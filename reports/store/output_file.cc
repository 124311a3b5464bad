// Temporary files renamed into place, without replacing what is there unless asked; the
// checks a command's outputs pass before it works; standard output with its errors kept.
#include "reports/store/output_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <climits>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <streambuf>
#include <system_error>

namespace cjsim {
namespace {

namespace fs = std::filesystem;

// The temporaries in progress, readable from a signal handler: fixed storage, and a slot's
// path is only read once its flag says it is complete.
constexpr int kSlots = 16;
constexpr std::size_t kPathBytes = 4096;
struct Slot {
  std::atomic<int> state{0};  // 0 free, 1 being filled, 2 holds a path to remove
  char path[kPathBytes];
};
std::array<Slot, kSlots> g_slots;

int claim_slot(const std::string& path) {
  if (path.size() >= kPathBytes) return -1;
  for (int i = 0; i < kSlots; ++i) {
    int expected = 0;
    if (g_slots[i].state.compare_exchange_strong(expected, 1)) {
      std::memcpy(g_slots[i].path, path.c_str(), path.size() + 1);
      g_slots[i].state.store(2);
      return i;
    }
  }
  return -1;  // more files at once than slots: the temporary is still removed on failure
}

void release_slot(int slot) {
  if (slot >= 0) g_slots[slot].state.store(0);
}

std::runtime_error cannot_write(const std::string& path, int error) {
  return std::runtime_error(path + ": cannot write: " + system_error_text(error));
}

// rename() that fails with EEXIST instead of replacing. renameat2 where the file system has
// it; else link + unlink, which cannot replace either.
int rename_no_replace(const char* from, const char* to) {
  if (::renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return errno;
  if (::link(from, to) != 0) return errno;
  ::unlink(from);
  return 0;
}

// Opens (creating or emptying) a temporary for writing; never follows a link planted there.
int open_temporary(const std::string& temporary) {
  return ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
}

bool write_all(int fd, std::string_view bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      if (n == 0) errno = EIO;
      return false;
    }
    written += static_cast<std::size_t>(n);
  }
  return true;
}

// 64-bit FNV-1a: a stable short stand-in for a name too long to put in a temporary's name.
std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  return hash;
}

// A temporary's name without its process id: ".NAME.tmp-", or ".cjsim-HASH.tmp-" when NAME is
// so long that the whole would pass NAME_MAX (255 bytes on Linux file systems).
std::string temporary_prefix(const std::string& name) {
  constexpr std::size_t kPidDigits = 10;
  const std::string plain = "." + name + ".tmp-";
  if (plain.size() + kPidDigits <= NAME_MAX) return plain;
  char hash[17];
  std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(fnv1a(name)));
  return std::string(".cjsim-") + hash + ".tmp-";
}

fs::path directory_of(const std::string& path) {
  const fs::path target(path);
  return target.has_parent_path() ? target.parent_path() : fs::path(".");
}

}  // namespace

std::string temporary_path_of(const std::string& path, long pid) {
  const fs::path target(path);
  return (target.parent_path() / (temporary_prefix(target.filename().string()) +
                                  std::to_string(pid)))
      .string();
}

void remove_stale_temporaries(const std::string& path) {
  const std::string prefix = temporary_prefix(fs::path(path).filename().string());
  std::error_code ignored;
  for (const fs::directory_entry& entry : fs::directory_iterator(directory_of(path), ignored)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix)) continue;
    const std::string pid_text = name.substr(prefix.size());
    if (pid_text.empty() || pid_text.size() > 9 ||
        pid_text.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    const long pid = std::stol(pid_text);
    if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH) {
      fs::remove(entry.path(), ignored);
    }
  }
}

PendingFile::PendingFile(std::string path, Overwrite overwrite)
    : path_(std::move(path)),
      temporary_(temporary_path_of(path_, ::getpid())),
      overwrite_(overwrite),
      slot_(claim_slot(temporary_)) {}

PendingFile::~PendingFile() {
  if (!committed_) ::unlink(temporary_.c_str());
  release_slot(slot_);
}

void PendingFile::create() {
  const int fd = open_temporary(temporary_);
  if (fd < 0) throw cannot_write(path_, errno);
  ::close(fd);
}

void PendingFile::write(std::string_view bytes) {
  const int fd = open_temporary(temporary_);
  if (fd < 0) throw cannot_write(path_, errno);
  // Synced, so that a file system that reports a full disk late (at sync or close) is heard.
  bool ok = write_all(fd, bytes) && ::fsync(fd) == 0;
  int error = ok ? 0 : errno;
  if (::close(fd) != 0 && ok) {
    ok = false;
    error = errno;
  }
  if (ok) return;
  ::unlink(temporary_.c_str());
  throw cannot_write(path_, error);
}

void PendingFile::commit() {
  const int error = overwrite_ == Overwrite::replace
                        ? (std::rename(temporary_.c_str(), path_.c_str()) == 0 ? 0 : errno)
                        : rename_no_replace(temporary_.c_str(), path_.c_str());
  if (error == EEXIST) {
    throw std::runtime_error(path_ +
                             ": appeared while cjsim was working and was left alone; pass "
                             "--force to overwrite it");
  }
  if (error != 0) throw cannot_write(path_, error);
  committed_ = true;
  release_slot(slot_);
  slot_ = -1;
}

void PendingFile::withdraw() noexcept {
  if (committed_) ::unlink(path_.c_str());
}

void remove_pending_files_on_signal() noexcept {
  for (Slot& slot : g_slots) {
    if (slot.state.load() == 2) ::unlink(slot.path);
  }
}

std::string system_error_text(int error) { return std::generic_category().message(error); }

}  // namespace cjsim
