// UTF-8 validity, for text that ends up in scenario files (which are UTF-8): the offset of the
// first byte that does not belong to well-formed UTF-8 (no overlong forms, nothing past
// U+10FFFF, no UTF-16 surrogates), or none.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>

namespace cjsim {

// The code point that starts at text[i] and its length in bytes, or nullopt when the bytes
// there are not well-formed UTF-8.
inline std::optional<std::pair<char32_t, std::size_t>> decode_utf8(std::string_view text,
                                                                   std::size_t i) {
  const auto byte = static_cast<unsigned char>(text[i]);
  if (byte < 0x80) return std::pair<char32_t, std::size_t>{byte, 1};
  // The length a lead byte announces, and the least value it may encode.
  std::size_t length = 0;
  char32_t code = 0;
  char32_t least = 0;
  if (byte >= 0xC2 && byte <= 0xDF) {
    length = 2, code = byte & 0x1F, least = 0x80;
  } else if (byte >= 0xE0 && byte <= 0xEF) {
    length = 3, code = byte & 0x0F, least = 0x800;
  } else if (byte >= 0xF0 && byte <= 0xF4) {
    length = 4, code = byte & 0x07, least = 0x10000;
  } else {
    return std::nullopt;
  }
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0;
    if ((next & 0xC0) != 0x80) return std::nullopt;
    code = (code << 6) | (next & 0x3F);
  }
  if (code < least || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return std::nullopt;
  return std::pair{code, length};
}

inline std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto decoded = decode_utf8(text, i);
    if (!decoded) return i;
    i += decoded->second;
  }
  return std::nullopt;
}

// The line and the column in characters (lead bytes, 1-based) of byte `at` of `text`, as
// messages name a place.
inline std::pair<int, int> line_and_column(std::string_view text, std::size_t at) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < at && i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte == '\n') {
      ++line;
      column = 1;
    } else if ((byte & 0xC0) != 0x80) {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace cjsim
