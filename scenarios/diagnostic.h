// Problems found in user input, collected as values so that every one of them can be
// reported at once, each with the place in the file it comes from.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace cjsim {

// A place in a source file; line and column count from 1, 0 when unknown.
struct SourceLocation {
  std::string file;
  int line = 0;
  int column = 0;
};

enum class Severity { error, warning };

struct Diagnostic {
  Severity severity = Severity::error;
  SourceLocation where;
  std::string message;
};

// "file:line:column: error: message", the form compilers and editors understand.
std::string format_diagnostic(const Diagnostic& diagnostic);

class Diagnostics {
 public:
  void error(SourceLocation where, std::string message);
  void warning(SourceLocation where, std::string message);

  bool has_errors() const;
  std::size_t error_count() const;
  const std::vector<Diagnostic>& all() const { return items_; }

  // Every diagnostic, one per line, errors and warnings in the order they were found.
  std::string to_string() const;

 private:
  std::vector<Diagnostic> items_;
};

// "1 error", "3 errors": a count and its noun, for messages.
inline std::string counted(std::size_t n, std::string_view noun) {
  std::string out = std::to_string(n) + " ";
  out += noun;
  if (n != 1) out += 's';
  return out;
}

}  // namespace cjsim
