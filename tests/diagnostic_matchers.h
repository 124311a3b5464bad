// Test helpers for diagnostics: where a piece of text sits in a file, and assertions that a
// diagnostic with given words sits exactly there.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <initializer_list>
#include <string>
#include <string_view>

#include "scenarios/diagnostic.h"

namespace cjsim::testing {

// Where the `nth` (from 0) occurrence of `needle` starts in `text`, as a place in `file`;
// line and column -1 when it does not occur.
inline SourceLocation find_place(std::string_view text, std::string_view needle,
                                 const std::string& file, int nth = 0) {
  std::size_t at = text.find(needle);
  for (int i = 0; i < nth && at != std::string_view::npos; ++i) at = text.find(needle, at + 1);
  if (at == std::string_view::npos) return {file, -1, -1};
  const std::size_t newline = text.rfind('\n', at);
  const std::size_t line_start = newline == std::string_view::npos ? 0 : newline + 1;
  const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
  return {file, line, static_cast<int>(at - line_start) + 1};
}

// Passes when some diagnostic of this severity holds every fragment and sits exactly at
// `where`; otherwise says what was found instead.
inline ::testing::AssertionResult Reports(const Diagnostics& diagnostics, Severity severity,
                                          std::initializer_list<std::string_view> fragments,
                                          const SourceLocation& where) {
  for (const Diagnostic& d : diagnostics.all()) {
    if (d.severity != severity) continue;
    const bool holds_all = std::all_of(fragments.begin(), fragments.end(), [&](std::string_view f) {
      return d.message.find(f) != std::string::npos;
    });
    if (!holds_all) continue;
    if (d.where.file == where.file && d.where.line == where.line &&
        d.where.column == where.column) {
      return ::testing::AssertionSuccess();
    }
    return ::testing::AssertionFailure() << "found " << format_diagnostic(d) << ", expected it at "
                                         << where.file << ":" << where.line << ":" << where.column;
  }
  std::string wanted;
  for (std::string_view f : fragments) wanted += " '" + std::string(f) + "'";
  return ::testing::AssertionFailure() << "no diagnostic holds" << wanted << "; got:\n"
                                       << diagnostics.to_string();
}

inline ::testing::AssertionResult ReportsError(const Diagnostics& diagnostics,
                                               std::initializer_list<std::string_view> fragments,
                                               const SourceLocation& where) {
  return Reports(diagnostics, Severity::error, fragments, where);
}
inline ::testing::AssertionResult ReportsError(const Diagnostics& diagnostics,
                                               std::string_view fragment,
                                               const SourceLocation& where) {
  return Reports(diagnostics, Severity::error, {fragment}, where);
}
inline ::testing::AssertionResult WarnsOf(const Diagnostics& diagnostics,
                                          std::initializer_list<std::string_view> fragments,
                                          const SourceLocation& where) {
  return Reports(diagnostics, Severity::warning, fragments, where);
}
inline ::testing::AssertionResult WarnsOf(const Diagnostics& diagnostics,
                                          std::string_view fragment, const SourceLocation& where) {
  return Reports(diagnostics, Severity::warning, {fragment}, where);
}

}  // namespace cjsim::testing
