// A directory for a test's files, this process's own: ctest runs the GoogleTest cases as
// separate processes, two or more at a time, and other checkouts' suites may run beside them,
// so a fixed name under the temporary directory (GoogleTest's TempDir()) is shared by cases
// that write it at once. Removed with what is in it when the process ends.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace cjsim::testing {

// The directory's path, ending in '/' as GoogleTest's TempDir() does.
inline const std::string& scratch_directory() {
  struct Directory {
    std::filesystem::path path = std::filesystem::temp_directory_path() /
                                 ("cjsim-test-" + std::to_string(::getpid()));
    Directory() { std::filesystem::create_directories(path); }
    ~Directory() {
      std::error_code ignored;  // nothing to do at exit if it cannot be removed
      std::filesystem::remove_all(path, ignored);
    }
  };
  static const Directory directory;
  static const std::string text = directory.path.string() + "/";
  return text;
}

}  // namespace cjsim::testing
