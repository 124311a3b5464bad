// Publishing output files safely: each is written under a temporary name beside its target
// and renamed into place when complete, so an interruption never leaves a partial file; an
// existing file is never replaced unless asked (--force), even one that appeared while a
// long run was under way.
#pragma once

#include <string>
#include <string_view>

namespace cjsim {

enum class Overwrite { refuse, replace };

// What a command's --force asks for.
inline Overwrite overwrite_if(bool force) { return force ? Overwrite::replace : Overwrite::refuse; }

// A file being written: `temporary()` is where to write it. commit() puts it in place; if
// the object dies uncommitted (an exception, a failure), the temporary is removed. While it
// lives, the temporary is also removed by remove_pending_files_on_signal().
class PendingFile {
 public:
  PendingFile(std::string path, Overwrite overwrite);
  ~PendingFile();
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

  const std::string& path() const { return path_; }
  const std::string& temporary() const { return temporary_; }

  // Renames the temporary to the path. With Overwrite::refuse, an existing file at the path
  // is left alone and std::runtime_error says so (the temporary is removed).
  void commit();

 private:
  std::string path_;
  std::string temporary_;
  Overwrite overwrite_;
  int slot_ = -1;  // in the table of temporaries the signal handler removes
  bool committed_ = false;
};

// Writes `text` to `path` through a PendingFile; errors name the path.
void write_text_file(const std::string& path, std::string_view text, Overwrite overwrite);

// Removes the temporaries of every live PendingFile. Async-signal-safe: for a handler of a
// signal that is about to end the process.
void remove_pending_files_on_signal() noexcept;

}  // namespace cjsim
