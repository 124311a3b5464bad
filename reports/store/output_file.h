// Publishing output files safely: each is written under a temporary name beside its target
// and renamed into place when complete, so an interruption or a full disk never leaves a
// partial file; an existing file is never replaced unless asked (--force), even one that
// appeared while a long run was under way.
#pragma once

#include <string>
#include <string_view>

namespace cjsim {

enum class Overwrite { refuse, replace };

// What a command's --force asks for.
inline Overwrite overwrite_if(bool force) { return force ? Overwrite::replace : Overwrite::refuse; }

// A file being written: write() stores its whole content under the temporary name, commit()
// puts it in place; if the object dies uncommitted (an exception, a failure), the temporary is
// removed. While it lives, the temporary is also removed by remove_pending_files_on_signal().
class PendingFile {
 public:
  PendingFile(std::string path, Overwrite overwrite);
  ~PendingFile();
  PendingFile(const PendingFile&) = delete;
  PendingFile& operator=(const PendingFile&) = delete;

  const std::string& path() const { return path_; }
  const std::string& temporary() const { return temporary_; }

  // Creates the temporary (empty), so that it is there while a large content is being made.
  void create();
  // Stores `bytes` as the whole content (creating the temporary if needed), synced to disk.
  // Throws std::runtime_error naming the path and the system's reason; the temporary is
  // removed then.
  void write(std::string_view bytes);

  // Renames the temporary to the path. With Overwrite::refuse, an existing file at the path
  // is left alone and std::runtime_error says so (the temporary is removed).
  void commit();
  // Removes the file commit() put in place: a later output of the same command failed.
  void withdraw() noexcept;

 private:
  std::string path_;
  std::string temporary_;
  Overwrite overwrite_;
  int slot_ = -1;  // in the table of temporaries the signal handler removes
  bool committed_ = false;
};

// The temporary name of `path` for process `pid`: hidden beside it, and within the file
// system's limit on a name however long the target's name is.
std::string temporary_path_of(const std::string& path, long pid);

// Removes the temporaries of `path` left by processes that no longer exist (killed while
// writing it).
void remove_stale_temporaries(const std::string& path);

// Removes the temporaries of every live PendingFile. Async-signal-safe: for a handler of a
// signal that is about to end the process.
void remove_pending_files_on_signal() noexcept;

// The words for an errno value ("No space left on device").
std::string system_error_text(int error);

}  // namespace cjsim
