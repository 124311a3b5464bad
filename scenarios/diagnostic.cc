// Formatting and collection of diagnostics.
#include "scenarios/diagnostic.h"

#include <algorithm>

namespace cjsim {

std::string format_diagnostic(const Diagnostic& diagnostic) {
  std::string out = diagnostic.where.file.empty() ? "<input>" : diagnostic.where.file;
  if (diagnostic.where.line > 0) {
    out += ':' + std::to_string(diagnostic.where.line);
    if (diagnostic.where.column > 0) out += ':' + std::to_string(diagnostic.where.column);
  }
  out += diagnostic.severity == Severity::error ? ": error: " : ": warning: ";
  out += diagnostic.message;
  return out;
}

void Diagnostics::error(SourceLocation where, std::string message) {
  items_.push_back({Severity::error, std::move(where), std::move(message)});
}

void Diagnostics::warning(SourceLocation where, std::string message) {
  items_.push_back({Severity::warning, std::move(where), std::move(message)});
}

bool Diagnostics::has_errors() const { return error_count() > 0; }

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(std::count_if(items_.begin(), items_.end(), [](const Diagnostic& d) {
    return d.severity == Severity::error;
  }));
}

std::string Diagnostics::to_string() const {
  std::string out;
  for (const Diagnostic& d : items_) {
    out += format_diagnostic(d);
    out += '\n';
  }
  return out;
}

}  // namespace cjsim
