// A command's outputs checked before its work and committed together; standard output whose
// write errors are kept and reported.
#include "reports/store/command_outputs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <streambuf>
#include <system_error>

#include <fmt/format.h>

#include "reports/store/output_file.h"

namespace cjsim {
namespace {

namespace fs = std::filesystem;

// Whether the process started with standard output closed (take_over_standard_output()).
bool g_standard_output_closed = false;

// What a file that cjsim must not replace is; nullptr for a regular file.
const char* kind_of(mode_t mode) {
  if (S_ISREG(mode)) return nullptr;
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

void check_kind(const std::string& path, std::string_view option) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) return;
  const char* kind = kind_of(status.st_mode);
  if (kind == nullptr) return;
  throw std::runtime_error(fmt::format(
      "{}: is {}, not a regular file; {} names a file for cjsim to write, and cjsim replaces "
      "only regular files (even with --force)",
      path, kind, option));
}

void check_absent(const std::string& path, Overwrite overwrite) {
  struct stat status {};
  if (overwrite == Overwrite::replace || ::lstat(path.c_str(), &status) != 0) return;
  throw std::runtime_error(fmt::format("{}: already exists; pass --force to overwrite it", path));
}

void check_directory(const std::string& path, const fs::path& directory) {
  std::error_code error;
  if (!fs::is_directory(directory, error)) {
    throw std::runtime_error(
        fmt::format("{}: the directory {} does not exist", path, directory.string()));
  }
  const std::string name = fs::path(path).filename().string();
  const long most = ::pathconf(directory.c_str(), _PC_NAME_MAX);
  if (most > 0 && name.size() > static_cast<std::size_t>(most)) {
    throw std::runtime_error(fmt::format(
        "{}: the file name is {} bytes long; the file system allows {}", path, name.size(), most));
  }
}

// Creates and removes the file's temporary: the directory takes a new file now, so the
// command's work will not end in "cannot write" (read-only, permission denied, out of inodes).
void check_writable(const std::string& path, const fs::path& directory) {
  const std::string probe = temporary_path_of(path, ::getpid());
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) {
    throw std::runtime_error(fmt::format("{}: cannot write in {}: {}", path, directory.string(),
                                         system_error_text(errno)));
  }
  ::close(fd);
  ::unlink(probe.c_str());
}

// The room left on a file system for this process (root may use the blocks reserved for it).
std::uint64_t room_on(const struct statvfs& space) {
  const std::uint64_t blocks = ::geteuid() == 0 ? space.f_bfree : space.f_bavail;
  return blocks * space.f_frsize;
}

// Refuses an output when its file system has less room than `least_bytes`.
void check_room(const std::string& path, const fs::path& directory, std::uint64_t least_bytes) {
  struct statvfs space {};
  if (least_bytes == 0 || ::statvfs(directory.c_str(), &space) != 0) return;
  const std::uint64_t room = room_on(space);
  if (room >= least_bytes) return;
  throw std::runtime_error(fmt::format(
      "{}: cannot write: {} ({} has {} bytes free; this output needs at least {})", path,
      system_error_text(ENOSPC), directory.string(), room, least_bytes));
}

}  // namespace

CommandOutputs::Named CommandOutputs::identify(const std::string& path, std::string_view what) {
  Named named;
  named.path = path;
  named.what = what;
  struct stat status {};
  if (::stat(path.c_str(), &status) == 0) {
    named.exists = true;
    named.device = status.st_dev;
    named.inode = status.st_ino;
  }
  std::error_code error;
  const fs::path absolute = fs::absolute(path, error);
  const fs::path canonical = fs::weakly_canonical(absolute, error);
  named.normal = (error ? absolute.lexically_normal() : canonical).string();
  return named;
}

void CommandOutputs::check_distinct(const Named& output) const {
  for (const Named& other : named_) {
    const bool same = output.exists && other.exists
                          ? output.device == other.device && output.inode == other.inode
                          : output.normal == other.normal;
    if (!same) continue;
    if (other.output) {
      throw std::runtime_error(fmt::format(
          "{}: named by both {} and {}; give each output its own file", output.path, other.what,
          output.what));
    }
    throw std::runtime_error(fmt::format(
        "{}: {} names {} ({}); cjsim does not write over its own input, give {} another file",
        output.path, output.what, other.what, other.path, output.what));
  }
}

void CommandOutputs::add_input(const std::string& path, std::string_view what) {
  if (path.empty() || path == "-") return;
  Named input = identify(path, what);
  if (input.exists) named_.push_back(std::move(input));
}

PendingFile& CommandOutputs::add(std::string_view option, const std::string& path,
                                 std::uint64_t least_bytes) {
  if (path.empty()) throw std::runtime_error(fmt::format("{}: the file name is empty", option));
  if (fs::path(path).filename().empty()) {
    throw std::runtime_error(fmt::format("{}: names a directory, not a file to write", path));
  }
  Named output = identify(path, option);
  output.output = true;
  check_distinct(output);
  check_kind(path, option);
  check_absent(path, overwrite_);
  const fs::path target(path);
  const fs::path directory = target.has_parent_path() ? target.parent_path() : fs::path(".");
  check_directory(path, directory);
  check_writable(path, directory);
  check_room(path, directory, least_bytes);
  named_.push_back(std::move(output));
  files_.push_back(std::make_unique<PendingFile>(path, overwrite_));
  return *files_.back();
}

void CommandOutputs::add_standard_output() {
  if (g_standard_output_closed) {
    throw std::runtime_error("standard output: cannot write: " + system_error_text(EBADF) +
                             " (it is closed), and this command prints its results there");
  }
  struct stat status {};
  if (::fstat(STDOUT_FILENO, &status) != 0 || !S_ISREG(status.st_mode)) return;
  struct statvfs space {};
  if (::fstatvfs(STDOUT_FILENO, &space) == 0 && room_on(space) == 0) {
    throw std::runtime_error("standard output: cannot write: " + system_error_text(ENOSPC) +
                             " (the file it goes to is on a full file system)");
  }
  Named named;
  named.path = "standard output";
  named.what = "standard output";
  named.output = true;
  named.exists = true;
  named.device = status.st_dev;
  named.inode = status.st_ino;
  named_.push_back(std::move(named));
}

void CommandOutputs::commit() {
  flush_standard_output();
  for (std::size_t k = 0; k < files_.size(); ++k) {
    try {
      files_[k]->commit();
    } catch (...) {
      for (std::size_t j = 0; j < k; ++j) files_[j]->withdraw();
      throw;
    }
  }
}

namespace {

// std::cout's buffer: writes to descriptor 1 and keeps the first error's errno.
class StandardOutputBuffer : public std::streambuf {
 public:
  StandardOutputBuffer() { setp(buffer_.data(), buffer_.data() + buffer_.size()); }
  int error() const { return error_; }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
    return c;
  }
  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    const char* next = pbase();
    std::size_t left = static_cast<std::size_t>(pptr() - pbase());
    while (left > 0 && error_ == 0) {
      const ssize_t n = ::write(STDOUT_FILENO, next, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        error_ = n < 0 ? errno : EIO;
        break;
      }
      next += n;
      left -= static_cast<std::size_t>(n);
    }
    setp(buffer_.data(), buffer_.data() + buffer_.size());
    return error_ == 0;
  }

  std::array<char, 1 << 16> buffer_{};
  int error_ = 0;
};

// Never destroyed: std::cout is flushed after static objects are gone, at exit.
StandardOutputBuffer* g_standard_output = nullptr;

bool is_closed(int fd) { return ::fcntl(fd, F_GETFD) == -1 && errno == EBADF; }

}  // namespace

void take_over_standard_output() {
  // open() takes the lowest free descriptor, so these fill 0, 1, 2 in order. Standard output
  // gets /dev/null read-only: writing to it fails (EBADF) as writing to a closed one does.
  for (const int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    if (!is_closed(fd)) continue;
    if (fd == STDOUT_FILENO) g_standard_output_closed = true;
    ::open("/dev/null", fd == STDERR_FILENO ? O_WRONLY : O_RDONLY);
  }
  std::cout.flush();
  g_standard_output = new StandardOutputBuffer;
  std::cout.rdbuf(g_standard_output);
  // On a terminal, each line shows as it is printed.
  if (::isatty(STDOUT_FILENO)) std::cout.setf(std::ios::unitbuf);
}

void flush_standard_output() {
  std::cout.flush();
  int error = g_standard_output != nullptr ? g_standard_output->error() : 0;
  if (g_standard_output == nullptr && (std::fflush(stdout) != 0 || std::ferror(stdout))) {
    error = errno != 0 ? errno : EIO;
  }
  if (error == 0 && std::cout.good()) return;
  throw std::runtime_error("standard output: cannot write: " + system_error_text(error != 0 ? error : EIO));
}

}  // namespace cjsim
