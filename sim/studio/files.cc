// The studio's files: paths checked against the folder, kinds, reads with etags, atomic writes.
#include "sim/studio/files.h"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "reports/store/output_file.h"
#include "scenarios/loader.h"

namespace cjsim::studio {
namespace fs = std::filesystem;

namespace {

bool has_extension(std::string_view name, std::initializer_list<std::string_view> extensions) {
  return std::any_of(extensions.begin(), extensions.end(),
                     [&](std::string_view e) { return name.ends_with(e); });
}

bool is_text_kind(FileKind kind) {
  return kind == FileKind::journey || kind == FileKind::future_state ||
         kind == FileKind::experiment;
}

// Whether `path` (canonical) is `root` or inside it.
bool inside(const fs::path& path, const fs::path& root) {
  auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return r == root.end();
}

std::string read_whole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw RequestError(404, fmt::format("cannot read {}", path.string()));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string_view kind_name(FileKind kind) {
  switch (kind) {
    case FileKind::journey: return "journey";
    case FileKind::future_state: return "future_state";
    case FileKind::experiment: return "experiment";
    case FileKind::result: return "result";
    case FileKind::other: break;
  }
  return "other";
}

FileKind kind_of(std::string_view name, std::string_view text) {
  if (has_extension(name, {".h5", ".hdf5"})) return FileKind::result;
  if (!has_extension(name, {".yaml", ".yml", ".json"})) return FileKind::other;
  auto kind_of_keys = [](auto&& has) {
    if (has("base")) return FileKind::future_state;
    if (has("parameters")) return FileKind::experiment;
    if (has("touchpoints")) return FileKind::journey;
    return FileKind::other;
  };
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    const nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_object()) return FileKind::other;
    return kind_of_keys([&](const char* key) { return json.contains(key); });
  }
  // YAML: a key at the start of a line, outside any indentation.
  return kind_of_keys([&](std::string_view key) {
    const std::string line_start = fmt::format("{}:", key);
    if (text.starts_with(line_start)) return true;
    return text.find("\n" + line_start) != std::string_view::npos;
  });
}

std::string etag_of(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

Folder::Folder(const std::string& dir) {
  std::error_code error;
  root_ = fs::canonical(dir, error);
  if (error || !fs::is_directory(root_)) {
    throw std::runtime_error(fmt::format("{}: not a folder the studio can serve ({})", dir,
                                         error ? error.message() : "not a directory"));
  }
}

std::vector<ListedFile> Folder::list() const {
  constexpr std::size_t kMostListed = 2000;
  constexpr int kDeepest = 4;
  std::vector<ListedFile> files;
  std::error_code error;
  fs::recursive_directory_iterator it(root_, fs::directory_options::skip_permission_denied,
                                      error);
  for (; !error && it != fs::recursive_directory_iterator() && files.size() < kMostListed;
       it.increment(error)) {
    const fs::path& path = it->path();
    const std::string name = path.filename().string();
    if (name.starts_with(".")) {
      if (it->is_directory()) it.disable_recursion_pending();
      continue;
    }
    if (it->is_directory()) {
      if (it.depth() >= kDeepest || it->is_symlink()) it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file()) continue;
    std::error_code own;
    const fs::path real = fs::canonical(path, own);
    if (own || !inside(real, root_)) continue;
    const std::uintmax_t bytes = it->file_size(own);
    if (own) continue;
    FileKind kind = kind_of(name, "");
    if (kind == FileKind::other && has_extension(name, {".yaml", ".yml", ".json"}) &&
        bytes <= kMostScenarioBytes) {
      kind = kind_of(name, read_whole(path));
    }
    if (kind == FileKind::other) continue;
    files.push_back({path.lexically_relative(root_).generic_string(), kind, bytes});
  }
  std::sort(files.begin(), files.end(),
            [](const ListedFile& a, const ListedFile& b) { return a.path < b.path; });
  return files;
}

std::string Folder::resolve(std::string_view relative, bool must_exist) const {
  if (relative.empty()) throw RequestError(400, "no file named (path is empty)");
  if (relative.find('\0') != std::string_view::npos || relative.find('\\') != std::string_view::npos) {
    throw RequestError(400, fmt::format("'{}' is not a file name the studio takes", relative));
  }
  const fs::path given(relative);
  if (given.is_absolute()) {
    throw RequestError(400, fmt::format("'{}' is an absolute path; name files relative to the "
                                        "studio's folder",
                                        relative));
  }
  for (const fs::path& part : given) {
    if (part == "..") {
      throw RequestError(400, fmt::format("'{}' leads out of the studio's folder (..)", relative));
    }
  }
  const fs::path full = root_ / given;
  std::error_code error;
  const fs::path real = fs::weakly_canonical(full, error);
  if (error || !inside(real, root_)) {
    throw RequestError(403, fmt::format("'{}' is outside the studio's folder", relative));
  }
  if (fs::exists(full, error) && !inside(fs::canonical(full, error), root_)) {
    throw RequestError(403, fmt::format("'{}' is outside the studio's folder", relative));
  }
  if (must_exist && !fs::is_regular_file(real, error)) {
    throw RequestError(404, fmt::format("no file '{}' in the studio's folder", relative));
  }
  return fs::relative(real, root_).generic_string();
}

Folder::Read Folder::read(std::string_view relative) const {
  const std::string path = resolve(relative, true);
  std::error_code error;
  if (fs::file_size(root_ / path, error) > kMostScenarioBytes) {
    throw RequestError(413, fmt::format("'{}' is larger than {} MiB, the most a scenario may "
                                        "hold", path, kMostScenarioBytes >> 20));
  }
  Read out;
  out.text = read_whole(root_ / path);
  out.kind = kind_of(path, out.text);
  if (!is_text_kind(out.kind)) {
    throw RequestError(403, fmt::format("'{}' is not a journey, future state or experiment",
                                        relative));
  }
  out.etag = etag_of(out.text);
  return out;
}

std::string Folder::write(std::string_view relative, std::string_view text,
                          const std::optional<std::string>& etag, bool force) const {
  const std::string path = resolve(relative, false);
  if (!is_text_kind(kind_of(path, text))) {
    throw RequestError(400, fmt::format("'{}': the studio saves journeys (touchpoints:), future "
                                        "states (base: and changes:) and experiments "
                                        "(parameters:) as .yaml, .yml or .json files",
                                        relative));
  }
  if (text.size() > kMostScenarioBytes) {
    throw RequestError(413, fmt::format("the text is larger than {} MiB, the most a scenario "
                                        "may hold", kMostScenarioBytes >> 20));
  }
  const fs::path full = root_ / path;
  std::error_code error;
  const bool exists = fs::exists(full, error);
  if (exists && !fs::is_regular_file(full, error)) {
    throw RequestError(403, fmt::format("'{}' is not a regular file", relative));
  }
  if (!force) {
    const std::optional<std::string> now =
        exists ? std::optional<std::string>(etag_of(read_whole(full))) : std::nullopt;
    if (now != etag) {
      throw RequestError(409, !etag ? fmt::format("'{}' already exists; open it, or save with "
                                                  "force to replace it", relative)
                              : !now ? fmt::format("'{}' was removed since it was opened; save "
                                                   "with force to write it again", relative)
                                     : fmt::format("'{}' changed on disk since it was opened; "
                                                   "reload it, or save with force to replace "
                                                   "the file on disk", relative));
    }
  }
  if (!fs::is_directory(full.parent_path(), error)) {
    throw RequestError(404, fmt::format("'{}': no such folder in the studio's folder", relative));
  }
  PendingFile file(full.string(), Overwrite::replace);
  file.write(text);
  file.commit();
  return etag_of(text);
}

}  // namespace cjsim::studio
