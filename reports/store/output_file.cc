// Temporary files renamed into place, without replacing what is there unless asked.
#include "reports/store/output_file.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace cjsim {
namespace {

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

std::string error_text(int error) { return std::generic_category().message(error); }

// rename() that fails with EEXIST instead of replacing. renameat2 where the file system has
// it; else link + unlink, which cannot replace either.
int rename_no_replace(const char* from, const char* to) {
  if (::renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return errno;
  if (::link(from, to) != 0) return errno;
  ::unlink(from);
  return 0;
}

}  // namespace

PendingFile::PendingFile(std::string path, Overwrite overwrite)
    : path_(std::move(path)),
      temporary_(path_ + ".tmp-" + std::to_string(::getpid())),
      overwrite_(overwrite),
      slot_(claim_slot(temporary_)) {}

PendingFile::~PendingFile() {
  if (!committed_) ::unlink(temporary_.c_str());
  release_slot(slot_);
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
  if (error != 0) throw std::runtime_error(path_ + ": cannot write: " + error_text(error));
  committed_ = true;
  release_slot(slot_);
  slot_ = -1;
}

void write_text_file(const std::string& path, std::string_view text, Overwrite overwrite) {
  PendingFile file(path, overwrite);
  {
    std::ofstream out(file.temporary(), std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    out.close();
    if (!out) throw std::runtime_error(path + ": cannot write: " + error_text(errno));
  }
  file.commit();
}

void remove_pending_files_on_signal() noexcept {
  for (Slot& slot : g_slots) {
    if (slot.state.load() == 2) ::unlink(slot.path);
  }
}

}  // namespace cjsim
