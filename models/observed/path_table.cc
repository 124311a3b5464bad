// Path table rows to ObservedJourneys.
#include "models/observed/path_table.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "models/observed/csv_reader.h"
#include "models/observed/observed_data.h"

namespace cjsim {
bool looks_like_path_table(std::istream& in, const PathTableColumns& columns) {
  CsvReader reader(in, "");
  std::vector<std::string> header;
  Diagnostics ignored;
  if (!reader.next(header, ignored)) return false;
  return find_column(header, columns.path) >= 0 && find_column(header, columns.conversions) >= 0;
}

std::optional<ObservedJourneys> read_path_table(std::istream& in, const std::string& path,
                                                const PathTableColumns& columns,
                                                Diagnostics& diagnostics) {
  CsvReader reader(in, path);
  std::vector<std::string> header;
  if (!reader.next(header, diagnostics)) {
    diagnostics.error({path, 1, 0}, "the file is empty: a path table needs a header line");
    return std::nullopt;
  }
  check_header(reader, header, diagnostics);
  const int path_column = find_column(header, columns.path);
  const int conversions_column = find_column(header, columns.conversions);
  if (path_column < 0) {
    diagnostics.error(reader.where(),
                      fmt::format("the header has no '{}' column (the paths); name it with "
                                  "--path-column{}",
                                  columns.path, did_you_mean_column(columns.path, header)));
  }
  if (conversions_column < 0) {
    diagnostics.error(
        reader.where(),
        fmt::format("the header has no '{}' column (conversions per path); name it "
                    "with --conversions-column{}",
                    columns.conversions, did_you_mean_column(columns.conversions, header)));
  }
  const int value_column = optional_column(reader, header, columns.value,
                                           "--conversion-value-column", columns.given, diagnostics);
  const int nulls_column =
      optional_column(reader, header, columns.nulls, "--null-column", columns.given, diagnostics);
  if (diagnostics.has_errors()) return std::nullopt;
  if (columns.separator.empty()) {
    diagnostics.error({path, 0, 0}, "the path separator is empty");
    return std::nullopt;
  }

  ObservedJourneys out;
  out.source = path;
  TouchpointIndex touchpoints(out);
  std::vector<std::string> fields;
  std::vector<std::uint32_t> steps;
  while (reader.next(fields, diagnostics)) {
    if (fields.size() == 1 && trim(fields[0]).empty()) continue;  // a blank line
    if (diagnostics.error_count() >= kMostReportedErrors) break;
    if (!has_header_width(reader, fields, header.size(), diagnostics)) continue;
    auto cell = [&](int column) { return reader.where(column + 1); };
    steps.clear();
    const std::string_view text = fields[static_cast<std::size_t>(path_column)];
    bool bad = false;
    for (std::size_t begin = 0;;) {
      const std::size_t end = text.find(columns.separator, begin);
      const std::string_view name = trim(
          text.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin));
      if (name.empty()) {
        diagnostics.error(cell(path_column),
                          fmt::format("the path '{}' has an empty channel name", text));
        bad = true;
        break;
      }
      steps.push_back(touchpoints.index_of(name, name, ""));
      if (end == std::string_view::npos) break;
      begin = end + columns.separator.size();
    }
    const std::optional<std::uint64_t> conversions =
        read_count(fields[static_cast<std::size_t>(conversions_column)], cell(conversions_column),
                   columns.conversions, diagnostics);
    std::optional<std::uint64_t> nulls = std::uint64_t{0};
    if (nulls_column >= 0) {
      nulls = read_count(fields[static_cast<std::size_t>(nulls_column)], cell(nulls_column),
                         columns.nulls, diagnostics);
    }
    std::optional<double> value = 0.0;
    if (value_column >= 0) {
      value = read_amount(fields[static_cast<std::size_t>(value_column)], cell(value_column),
                          columns.value, diagnostics);
    }
    if (bad || !conversions || !nulls || !value) continue;
    if (*conversions == 0 && *value != 0.0) {
      diagnostics.error(cell(value_column), "a conversion value on a path with no conversions");
      continue;
    }
    if (*conversions > 0) {
      ObservedPath converted;
      converted.touchpoints = steps;
      converted.touchpoints.push_back(touchpoints.conversion());
      converted.count = *conversions;
      converted.conversion_step = static_cast<std::int64_t>(steps.size());
      converted.value = *value;
      out.paths.push_back(std::move(converted));
    }
    if (*nulls > 0) {
      ObservedPath stopped;
      stopped.touchpoints = steps;
      stopped.count = *nulls;
      out.paths.push_back(std::move(stopped));
    }
  }
  if (diagnostics.has_errors()) return std::nullopt;
  if (out.paths.empty()) {
    diagnostics.error({path, 0, 0}, "the path table holds no customer (every count is 0)");
    return std::nullopt;
  }
  return out;
}

}  // namespace cjsim
