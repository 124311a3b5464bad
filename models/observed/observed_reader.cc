// Dispatch on the kind of observed data.
#include "models/observed/observed_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <set>
#include <string_view>

#include "models/observed/xes_reader.h"

namespace cjsim {
namespace {

// File names from other systems come in any case: LOG.XES.GZ is XES too.
bool ends_with_ignoring_case(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  text.remove_prefix(text.size() - suffix.size());
  return std::equal(text.begin(), text.end(), suffix.begin(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) ==
           std::tolower(static_cast<unsigned char>(b));
  });
}

bool is_xes_name(std::string_view path) {
  return ends_with_ignoring_case(path, ".xes") || ends_with_ignoring_case(path, ".xes.gz");
}

using Given = std::set<std::string, std::less<>>;

// Options that do not apply to the data's format would be ignored: each given is an error.
void refuse(std::string_view path, const Given& given,
            std::initializer_list<std::string_view> options, std::string_view why,
            Diagnostics& diagnostics) {
  for (std::string_view option : options) {
    if (given.contains(option)) {
      diagnostics.error({std::string(path), 0, 0}, fmt::format("{} {}", option, why));
    }
  }
}

// The path table's options on an event log, an event log's on a path table, and in XES the
// columns whose place its standard attributes take.
bool options_apply(std::string_view path, ObservedFormat format, const ObservedReadOptions& options,
                   Diagnostics& diagnostics) {
  const std::size_t before = diagnostics.error_count();
  const Given& events = options.events.given;
  if (format == ObservedFormat::path_table) {
    refuse(path, events,
           {"--customer-column", "--timestamp-column", "--touchpoint-column", "--channel-column",
            "--stage-column", "--value-column", "--converted-column", "--segment-column",
            "--conversion-touchpoint", "--lifecycle-column", "--lifecycle", "--classifier",
            "--activity", "--exclude-activity"},
           "applies to event logs, and the data are read as a path table", diagnostics);
  } else {
    refuse(path, options.paths.given,
           {"--path-column", "--conversions-column", "--conversion-value-column", "--null-column",
            "--path-separator"},
           "applies to path tables, and the data are read as an event log", diagnostics);
  }
  if (format == ObservedFormat::xes) {
    refuse(path, events, {"--customer-column", "--timestamp-column", "--touchpoint-column"},
           "does not apply to XES, whose traces and events are named by concept:name and timed "
           "by time:timestamp",
           diagnostics);
  }
  return diagnostics.error_count() == before;
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
  if (format == ObservedFormat::automatic && is_xes_name(path)) format = ObservedFormat::xes;
  if (format == ObservedFormat::xes) {
    if (!options_apply(path, format, options, diagnostics)) return std::nullopt;
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
  if (!options_apply(path, format, options, diagnostics)) return std::nullopt;
  if (format == ObservedFormat::path_table)
    return read_path_table(in, path, options.paths, diagnostics);
  return read_event_log(in, path, options.events, diagnostics);
}

}  // namespace cjsim
