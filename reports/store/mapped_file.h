// A file's bytes mapped read-only, for the checks that read a whole result file before HDF5
// does (result files with agent detail can be large, so they are mapped rather than read).
#pragma once

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstddef>
#include <span>
#include <stdexcept>
#include <string>

namespace cjsim {

class MappedFile {
 public:
  // Throws std::runtime_error("cannot be read" or "is not a regular file"), for the caller to
  // put behind the file's name.
  explicit MappedFile(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot be read");
    struct stat status {};
    if (::fstat(fd, &status) != 0 || !S_ISREG(status.st_mode)) {
      ::close(fd);
      throw std::runtime_error("is not a regular file");
    }
    length_ = static_cast<std::size_t>(status.st_size);
    void* mapped = length_ == 0 ? nullptr : ::mmap(nullptr, length_, PROT_READ, MAP_PRIVATE, fd, 0);
    ::close(fd);
    if (mapped == MAP_FAILED) throw std::runtime_error("cannot be read");
    data_ = static_cast<const unsigned char*>(mapped);
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(const_cast<unsigned char*>(data_), length_);
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;

  std::span<const unsigned char> bytes() const { return {data_, length_}; }

 private:
  const unsigned char* data_ = nullptr;
  std::size_t length_ = 0;
};

}  // namespace cjsim
