// The files the studio may touch: only under its folder, by relative paths without `..`, not
// through a symbolic link that leads out, and only journeys, future states, experiments and
// results. Reads carry an etag (the content's SHA-256) so that a save can tell whether the
// file changed on disk since it was opened.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cjsim::studio {

// An HTTP status and the message the client is shown (403 outside the folder, 404 missing,
// 409 changed on disk, 400 malformed, 413 too large, 429 too many runs).
struct RequestError : std::runtime_error {
  RequestError(int status, const std::string& message)
      : std::runtime_error(message), status(status) {}
  int status;
};

enum class FileKind { journey, future_state, experiment, result, other };
std::string_view kind_name(FileKind kind);

// The kind of a file by its name and, for YAML and JSON, by its top-level keys: `base:`
// (a future state), `parameters:` (an experiment), `touchpoints:` (a journey).
FileKind kind_of(std::string_view name, std::string_view text);

struct ListedFile {
  std::string path;  // relative to the folder, with '/'
  FileKind kind;
  std::uintmax_t bytes;
};

class Folder {
 public:
  // Throws std::runtime_error when `dir` is not a readable folder.
  explicit Folder(const std::string& dir);
  const std::filesystem::path& root() const { return root_; }

  // The journeys, future states, experiments and results under the folder (hidden entries
  // and links out skipped), sorted by path.
  std::vector<ListedFile> list() const;

  // `relative` checked (RequestError 400 for an absolute path, `..`, an empty name; 403 for a
  // way out of the folder through a link): the path to use, relative to the folder (the
  // working directory). With `must_exist`, 404 when there is no such regular file.
  std::string resolve(std::string_view relative, bool must_exist) const;

  // The text of a journey, future state or experiment (RequestError 403 for other kinds).
  struct Read {
    std::string text;
    std::string etag;
    FileKind kind;
  };
  Read read(std::string_view relative) const;

  // Writes `text` atomically (a temporary beside it, renamed into place). `etag` is the one the
  // client read, or none for a new file: RequestError 409 when the file on disk is not that
  // file (changed, or created meanwhile) unless `force`. Returns the new etag.
  std::string write(std::string_view relative, std::string_view text,
                    const std::optional<std::string>& etag, bool force) const;

 private:
  std::filesystem::path root_;  // canonical
};

// SHA-256 of `bytes` as 64 hex digits.
std::string etag_of(std::string_view bytes);

}  // namespace cjsim::studio
