// The CSV state machine, over a chunked buffer so that large files stream.
#include "models/observed/csv_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <unordered_map>

#include "models/observed/observed_data.h"
#include "scenarios/did_you_mean.h"
#include "scenarios/utf8.h"

namespace cjsim {
namespace {

constexpr std::size_t kChunk = std::size_t{64} << 10;

char detect_delimiter(std::string_view first_line) {
  std::array<std::size_t, 3> counts{};
  constexpr std::array<char, 3> candidates{',', ';', '\t'};
  bool quoted = false;
  for (char c : first_line) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    for (std::size_t k = 0; k < candidates.size(); ++k) counts[k] += c == candidates[k];
  }
  const auto best = std::max_element(counts.begin(), counts.end());
  return *best == 0 ? ',' : candidates[static_cast<std::size_t>(best - counts.begin())];
}

}  // namespace

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

int find_column(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t k = 0; k < header.size(); ++k) {
    if (trim(header[k]) == name) return static_cast<int>(k);
  }
  for (std::size_t k = 0; k < header.size(); ++k) {
    const std::string_view h = trim(header[k]);
    if (h.size() == name.size() && std::equal(h.begin(), h.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return static_cast<int>(k);
    }
  }
  return -1;
}

void check_header(const CsvReader& reader, const std::vector<std::string>& header,
                  Diagnostics& diagnostics) {
  std::unordered_map<std::string, std::size_t> first;  // lower-case name -> its field
  for (std::size_t k = 0; k < header.size(); ++k) {
    std::string name(trim(header[k]));
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto [seen, fresh] = first.try_emplace(std::move(name), k);
    if (fresh) continue;
    diagnostics.error(reader.where(static_cast<int>(k) + 1),
                      fmt::format("the column '{}' appears twice (fields {} and {})",
                                  trim(header[k]).substr(0, 80), seen->second + 1, k + 1));
  }
}

bool has_header_width(const CsvReader& reader, const std::vector<std::string>& fields,
                      std::size_t header_size, Diagnostics& diagnostics) {
  if (fields.size() == header_size) return true;
  if (fields.size() < header_size) {
    diagnostics.error(reader.where(),
                      fmt::format("{} fields where the header has {}", fields.size(), header_size));
    return false;
  }
  diagnostics.error(
      reader.where(static_cast<int>(header_size) + 1),
      fmt::format("{} fields where the header has {} (a value holding the "
                  "delimiter '{}' needs quotes)",
                  fields.size(), header_size,
                  reader.delimiter() == '\t' ? "\\t" : std::string(1, reader.delimiter())));
  return false;
}

int optional_column(const CsvReader& reader, const std::vector<std::string>& header,
                    const std::string& name, std::string_view option,
                    const std::set<std::string, std::less<>>& given, Diagnostics& diagnostics) {
  const int column = find_column(header, name);
  if (column < 0 && given.contains(option)) {
    diagnostics.error(reader.where(), fmt::format("the header has no '{}' column (named with {}){}",
                                                  name, option, did_you_mean_column(name, header)));
  }
  return column;
}

std::string did_you_mean_column(std::string_view name, const std::vector<std::string>& header) {
  std::vector<std::string_view> names;
  names.reserve(header.size());
  for (const std::string& h : header) names.push_back(trim(h));
  return did_you_mean(name, names);
}

CsvReader::CsvReader(std::istream& in, std::string path, char delimiter)
    : in_(in), path_(std::move(path)), delimiter_(delimiter) {}

bool CsvReader::fill() {
  buffer_.erase(0, position_);
  position_ = 0;
  const std::size_t old = buffer_.size();
  buffer_.resize(old + kChunk);
  in_.read(buffer_.data() + old, static_cast<std::streamsize>(kChunk));
  buffer_.resize(old + static_cast<std::size_t>(in_.gcount()));
  return buffer_.size() > old;
}

int CsvReader::get() {
  if (position_ == buffer_.size() && !fill()) return -1;
  return static_cast<unsigned char>(buffer_[position_++]);
}

int CsvReader::peek() {
  if (position_ == buffer_.size() && !fill()) return -1;
  return static_cast<unsigned char>(buffer_[position_]);
}

bool CsvReader::read_record(std::vector<std::string>& fields, Diagnostics& diagnostics) {
  fields.clear();
  if (!started_) {
    started_ = true;
    // A UTF-8 byte order mark is not part of the first column's name.
    if (peek() == 0xEF && buffer_.compare(position_, 3, "\xEF\xBB\xBF") == 0) position_ += 3;
    if (delimiter_ == 0) {
      while (buffer_.find('\n', position_) == std::string::npos &&
             buffer_.size() - position_ < kChunk * 4 && fill()) {
      }
      const std::size_t end = buffer_.find('\n', position_);
      delimiter_ = detect_delimiter(std::string_view(buffer_).substr(
          position_, end == std::string::npos ? std::string::npos : end - position_));
    }
  }
  int c = peek();
  if (c == -1) return false;
  record_line_ = line_;
  std::string field;
  bool reported = false;
  auto report = [&](const std::string& message) {
    if (reported) return;
    reported = true;
    diagnostics.error({path_, line_, static_cast<int>(fields.size()) + 1}, message);
  };
  auto too_long = [&] {
    if (field.size() <= kMostFieldBytes) return false;
    report(fmt::format("field {} is longer than {} bytes (a quote never closed?)",
                       fields.size() + 1, kMostFieldBytes));
    return true;
  };
  for (;;) {
    c = get();
    if (c == '"' && field.empty()) {
      // Quoted field: up to the closing quote; "" is a quote.
      for (;;) {
        c = get();
        if (c == -1) {
          report(fmt::format("field {} opens a quote that is never closed", fields.size() + 1));
          fields.push_back(std::move(field));
          return true;
        }
        if (c == '"') {
          if (peek() == '"') {
            get();
            field.push_back('"');
            continue;
          }
          break;
        }
        if (c == '\n') ++line_;
        field.push_back(static_cast<char>(c));
        if (too_long()) {
          fields.push_back(std::move(field));
          return true;
        }
      }
      c = peek();
      if (c != -1 && c != delimiter_ && c != '\n' && c != '\r') {
        report(fmt::format("field {}: text after the closing quote", fields.size() + 1));
        // Skip to the end of the field.
        while ((c = peek()) != -1 && c != delimiter_ && c != '\n') get();
      }
      continue;
    }
    if (c == -1 || c == '\n') {
      if (!field.empty() && field.back() == '\r') field.pop_back();
      fields.push_back(std::move(field));
      if (c == '\n') ++line_;
      return true;
    }
    if (c == delimiter_) {
      fields.push_back(std::move(field));
      field.clear();
      continue;
    }
    if (c == '"')
      report(fmt::format("field {}: a quote inside an unquoted field", fields.size() + 1));
    field.push_back(static_cast<char>(c));
    if (too_long()) {
      while ((c = get()) != -1 && c != '\n') {
      }
      if (c == '\n') ++line_;
      fields.push_back(std::move(field));
      return true;
    }
  }
}

// Observed names become touchpoint, channel and stage names in scenario files, which are UTF-8:
// a field that is not UTF-8 text is an error at its line, not a journey that cannot be read.
bool CsvReader::next(std::vector<std::string>& fields, Diagnostics& diagnostics) {
  if (!read_record(fields, diagnostics)) return false;
  for (std::size_t k = 0; k < fields.size(); ++k) {
    if (const std::optional<std::size_t> at = first_invalid_utf8(fields[k])) {
      diagnostics.error(where(static_cast<int>(k) + 1),
                        fmt::format("field {} is not UTF-8 text (the byte 0x{:02X}); save the "
                                    "file as UTF-8",
                                    k + 1, static_cast<unsigned char>(fields[k][*at])));
      break;
    }
  }
  return true;
}

}  // namespace cjsim
