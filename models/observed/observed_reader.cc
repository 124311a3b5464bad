// Dispatch on the kind of observed data.
#include "models/observed/observed_reader.h"

#include <fmt/format.h>

#include <cerrno>
#include <filesystem>
#include <fstream>

#include "models/observed/xes_reader.h"

namespace cjsim {
namespace {

bool ends_with(const std::string& text, std::string_view suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::optional<ObservedJourneys> read_observed_file(const std::string& path,
                                                   const ObservedReadOptions& options,
                                                   Diagnostics& diagnostics) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    diagnostics.error({path, 0, 0}, "is a directory, not a data file");
    return std::nullopt;
  }
  ObservedFormat format = options.format;
  if (format == ObservedFormat::automatic &&
      (ends_with(path, ".xes") || ends_with(path, ".xes.gz") || ends_with(path, ".XES"))) {
    format = ObservedFormat::xes;
  }
  if (format == ObservedFormat::xes) {
    return read_xes_file(path, options.events, diagnostics);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diagnostics.error({path, 0, 0},
                      fmt::format("cannot open the data file: {}",
                                  std::error_code(errno, std::generic_category()).message()));
    return std::nullopt;
  }
  if (format == ObservedFormat::automatic) {
    format = looks_like_path_table(in, options.paths) ? ObservedFormat::path_table
                                                      : ObservedFormat::event_log;
    in.clear();
    in.seekg(0);
  }
  if (format == ObservedFormat::path_table)
    return read_path_table(in, path, options.paths, diagnostics);
  return read_event_log(in, path, options.events, diagnostics);
}

}  // namespace cjsim
