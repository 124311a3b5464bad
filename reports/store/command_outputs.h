// The outputs of one command, files and standard output: checked together before the command
// works, so that a long run never ends in "cannot write", and put in place together at the end,
// so that a failed command leaves none of them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "reports/store/output_file.h"

namespace cjsim {

// The output files of one command. add() checks, before any work: the option names a file
// (not ""); no other output or input of the command is that file (by device and inode, else
// by normalised path); it is not a directory, device, FIFO or socket; it does not exist unless
// replacing was asked for; its directory exists, takes a new file (a temporary is created and
// removed) and has room for it. commit() flushes standard output, then puts every file in
// place; if one fails, those already in place are removed.
class CommandOutputs {
 public:
  explicit CommandOutputs(Overwrite overwrite) : overwrite_(overwrite) {}

  // A file the command reads, described as `what` ("the data file"); no output may be it.
  // Ignored when it does not exist, or is "-".
  void add_input(const std::string& path, std::string_view what);
  // Checks the output `path`, named by `option`, now; throws std::runtime_error saying what is
  // wrong. `least_bytes` is a lower bound of its size, refused when the file system has less.
  PendingFile& add(std::string_view option, const std::string& path,
                   std::uint64_t least_bytes = 1);
  // The command prints results: standard output is refused now when it is closed, or a file on
  // a file system with no room left, and no output file may be the file it goes to.
  void add_standard_output();

  // flush_standard_output(), then every added file (each must have been written) renamed
  // into place; throws std::runtime_error when any fails, leaving none of them.
  void commit();

  // The output files added, in order (what commit() puts in place).
  std::vector<std::string> output_paths() const {
    std::vector<std::string> paths;
    for (const std::unique_ptr<PendingFile>& file : files_) paths.push_back(file->path());
    return paths;
  }

 private:
  struct Named {
    std::string path;
    std::string what;  // "--out", "the data file", "standard output", ...
    bool output = false;
    bool exists = false;
    std::uint64_t device = 0, inode = 0;
    std::string normal;  // absolute, with symbolic links of its existing part resolved
  };
  static Named identify(const std::string& path, std::string_view what);
  void check_distinct(const Named& output) const;

  Overwrite overwrite_;
  std::vector<Named> named_;
  std::vector<std::unique_ptr<PendingFile>> files_;
};

// Makes std::cout write to descriptor 1 through a buffer that keeps the reason of a failed
// write (the C library's forgets it), and keeps descriptors 0-2 from going to files the
// command opens when the process started with them closed. Call first in main().
void take_over_standard_output();

// Flushes standard output; throws std::runtime_error("standard output: cannot write: REASON")
// when anything printed could not be written (a full disk, a closed descriptor, /dev/full).
void flush_standard_output();

}  // namespace cjsim
