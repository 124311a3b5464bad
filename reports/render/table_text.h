// Text of users' data (names of touchpoints, stages, channels, personas) as cells of the
// tables cjsim writes: CSV fields (RFC 4180) and Markdown table cells and rows.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cjsim {

// As is when plain; otherwise in double quotes with inner quotes doubled, so that a comma, a
// quote or a line break stays inside its field.
inline std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

// A Markdown table cell cannot hold '|' or a line break: '|' is escaped, a line break (CR,
// LF or CRLF) becomes one blank.
inline std::string markdown_cell(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '|') {
      out += "\\|";
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// A Markdown table row of `cells`, each made safe by markdown_cell.
inline std::string markdown_row(const std::vector<std::string>& cells) {
  std::string out = "|";
  for (const std::string& cell : cells) {
    out += ' ';
    out += markdown_cell(cell);
    out += " |";
  }
  return out + "\n";
}

// A Markdown table's header row and the rule under it: the first `left_aligned` columns
// (names) aligned left, the others (figures) right.
inline std::string markdown_head(const std::vector<std::string>& cells,
                                 std::size_t left_aligned) {
  std::string out = markdown_row(cells) + "|";
  for (std::size_t k = 0; k < cells.size(); ++k) out += k < left_aligned ? " --- |" : " ---: |";
  return out + "\n";
}

}  // namespace cjsim
