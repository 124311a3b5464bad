// A streaming RFC 4180 CSV reader for observed data (event logs, path tables): records one at
// a time with the line each began on, quoted fields that span lines, and the delimiter
// (comma, semicolon or tab) detected from the header. Debian's libcsv reports no line
// numbers, which every error message here needs, hence this small reader.
#pragma once

#include <cstddef>
#include <functional>
#include <istream>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/diagnostic.h"

namespace cjsim {

class CsvReader {
 public:
  // `delimiter` 0: detected from the first line (the most frequent of , ; and tab outside
  // quotes; a comma when there is none).
  CsvReader(std::istream& in, std::string path, char delimiter = 0);

  // The next record's fields, false at the end of the input. A malformed record (a quote
  // inside an unquoted field, text after a closing quote, a quote never closed) is reported
  // to `diagnostics` and its fields are still returned, as far as they could be read; so is a
  // field that is not UTF-8 text.
  bool next(std::vector<std::string>& fields, Diagnostics& diagnostics);

  // The line (from 1) the last record returned began on.
  int line() const { return record_line_; }
  char delimiter() const { return delimiter_; }
  const std::string& path() const { return path_; }
  SourceLocation where(int column = 0) const { return {path_, record_line_, column}; }

 private:
  bool read_record(std::vector<std::string>& fields, Diagnostics& diagnostics);
  bool fill();  // reads the next chunk; false at the end
  int get();    // next byte or -1
  int peek();

  std::istream& in_;
  std::string path_;
  char delimiter_;
  std::string buffer_;
  std::size_t position_ = 0;
  int line_ = 1;
  int record_line_ = 0;
  bool started_ = false;
};

// Whitespace trimmed from both ends.
std::string_view trim(std::string_view text);

// The index of `name` among `header` (exact, then ignoring case), or -1.
int find_column(const std::vector<std::string>& header, std::string_view name);

// The rules every CSV reader of observed data holds its header and records to, so that a file
// is read the same way whatever it holds. A column named twice (ignoring case and the spaces
// around) is an error at its field: which of the two is meant cannot be known.
void check_header(const CsvReader& reader, const std::vector<std::string>& header,
                  Diagnostics& diagnostics);
// A record with more or fewer fields than the header is an error at its line (at the first
// extra field): a value holding an unquoted delimiter would otherwise be cut short.
bool has_header_width(const CsvReader& reader, const std::vector<std::string>& fields,
                      std::size_t header_size, Diagnostics& diagnostics);
// The column of an optional field, or -1 when the header has none. When the user named it (its
// `option` is among `given`), a header without it is an error: the option would be ignored.
int optional_column(const CsvReader& reader, const std::vector<std::string>& header,
                    const std::string& name, std::string_view option,
                    const std::set<std::string, std::less<>>& given, Diagnostics& diagnostics);
// "; did you mean 'customer'?" when a column of the header is near `name`, else "".
std::string did_you_mean_column(std::string_view name, const std::vector<std::string>& header);

}  // namespace cjsim
