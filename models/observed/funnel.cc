// The funnel CSV reader: a small quoted-field splitter and the row checks.
#include "models/observed/funnel.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

namespace cjsim {
namespace {

struct Field {
  std::string text;
  int column = 1;  // where it starts, from 1
};

// Splits one CSV line (RFC 4180 quoting: "a,b" and "" for a quote); false on an unclosed quote.
bool split_line(std::string_view line, std::vector<Field>& fields) {
  fields.clear();
  std::size_t i = 0;
  for (;;) {
    Field field;
    field.column = static_cast<int>(i) + 1;
    while (i < line.size() && line[i] == ' ') ++i;
    if (i < line.size() && line[i] == '"') {
      ++i;
      for (;;) {
        if (i >= line.size()) return false;
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.text += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.text += line[i++];
      }
      while (i < line.size() && line[i] != ',') ++i;
    } else {
      const std::size_t end = std::min(line.find(',', i), line.size());
      field.text = std::string(line.substr(i, end - i));
      while (!field.text.empty() && (field.text.back() == ' ' || field.text.back() == '\t')) {
        field.text.pop_back();
      }
      i = end;
    }
    fields.push_back(std::move(field));
    if (i >= line.size()) return true;
    ++i;  // the comma
  }
}

std::optional<std::uint64_t> whole_number(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

}  // namespace

std::optional<std::uint64_t> ObservedFunnel::entered_in(std::string_view segment) const {
  for (const FunnelEntry& e : entered) {
    if (e.segment == segment) return e.customers;
  }
  return std::nullopt;
}

std::optional<ObservedFunnel> parse_funnel_csv(std::string_view text, const std::string& source,
                                               Diagnostics& diagnostics) {
  const std::size_t errors_before = diagnostics.error_count();
  auto at = [&](int line, int column) { return SourceLocation{source, line, column}; };
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);

  ObservedFunnel funnel;
  funnel.source = source;
  int column_step = -1, column_reached = -1, column_segment = -1;
  std::size_t header_size = 0;
  bool have_header = false;
  std::map<std::pair<std::string, std::string>, int> seen;  // (segment, step) -> line
  std::vector<Field> fields;
  int line_number = 0;
  std::size_t position = 0;
  while (position < text.size()) {
    std::size_t end = text.find('\n', position);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(position, end - position);
    position = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;
    if (line.front() == '#') continue;
    if (!split_line(line, fields)) {
      diagnostics.error(at(line_number, 0), "a quoted field is not closed on this line");
      continue;
    }
    if (!have_header) {
      have_header = true;
      header_size = fields.size();
      for (std::size_t c = 0; c < fields.size(); ++c) {
        const std::string& name = fields[c].text;
        int* slot = name == "step"      ? &column_step
                    : name == "reached" ? &column_reached
                    : name == "segment" ? &column_segment
                                        : nullptr;
        if (!slot) {
          diagnostics.error(at(line_number, fields[c].column),
                            fmt::format("unknown column '{}': a funnel has the columns step, "
                                        "reached and (optionally) segment",
                                        name));
        } else if (*slot >= 0) {
          diagnostics.error(at(line_number, fields[c].column),
                            fmt::format("the column '{}' appears twice", name));
        } else {
          *slot = static_cast<int>(c);
        }
      }
      if (column_step < 0 || column_reached < 0) {
        diagnostics.error(at(line_number, 1),
                          fmt::format("the header must name the columns step and reached (it "
                                      "has: {})",
                                      std::string(line)));
        return std::nullopt;
      }
      continue;
    }
    if (fields.size() != header_size) {
      diagnostics.error(at(line_number, 1),
                        fmt::format("{} fields where the header has {}", fields.size(), header_size));
      continue;
    }
    const Field& step = fields[column_step];
    const Field& reached = fields[column_reached];
    const std::string segment = column_segment >= 0 ? fields[column_segment].text : "";
    if (step.text.empty()) {
      diagnostics.error(at(line_number, step.column), "the step is empty");
      continue;
    }
    const std::optional<std::uint64_t> count = whole_number(reached.text);
    if (!count) {
      diagnostics.error(at(line_number, reached.column),
                        fmt::format("reached must be a whole number of customers, got '{}'",
                                    reached.text));
      continue;
    }
    auto [it, fresh] = seen.emplace(std::pair(segment, step.text), line_number);
    if (!fresh) {
      diagnostics.error(at(line_number, step.column),
                        fmt::format("step '{}'{} is given twice (first on line {})", step.text,
                                    segment.empty() ? "" : " of segment '" + segment + "'",
                                    it->second));
      continue;
    }
    if (step.text == kFunnelEntered && *count == 0) {
      // Every other count is a share of this one.
      diagnostics.error(at(line_number, reached.column),
                        fmt::format("'{}' is 0{}: a funnel's counts are shares of the customers "
                                    "who entered, so it needs 1 or more",
                                    kFunnelEntered,
                                    segment.empty() ? "" : " for segment '" + segment + "'"));
    }
    if (step.text == kFunnelEntered) {
      funnel.entered.push_back({segment, *count, at(line_number, reached.column)});
    } else {
      funnel.counts.push_back({segment, step.text, *count, at(line_number, reached.column)});
    }
  }
  if (!have_header) {
    diagnostics.error(at(0, 0), "the funnel file is empty: expected a header (step,reached)");
    return std::nullopt;
  }
  if (funnel.counts.empty()) {
    diagnostics.error(at(0, 0), "the funnel has no count to fit (only a header or 'entered')");
  }
  std::vector<std::string> missing;
  for (const FunnelCount& c : funnel.counts) {
    const std::optional<std::uint64_t> entered = funnel.entered_in(c.segment);
    if (!entered) {
      if (std::find(missing.begin(), missing.end(), c.segment) == missing.end()) {
        missing.push_back(c.segment);
        diagnostics.error(c.where,
                          fmt::format("no '{}' row {}: the funnel needs how many customers "
                                      "started",
                                      kFunnelEntered,
                                      c.segment.empty() ? "for all customers"
                                                        : "for segment '" + c.segment + "'"));
      }
    } else if (c.reached > *entered) {
      diagnostics.error(c.where, fmt::format("{} customers reached '{}', more than the {} who "
                                             "entered",
                                             c.reached, c.step, *entered));
    }
  }
  if (diagnostics.error_count() > errors_before) return std::nullopt;
  return funnel;
}

bool has_funnel_header(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string line;
  std::vector<Field> fields;
  while (std::getline(in, line)) {
    if (line.size() >= 3 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos || line.front() == '#') continue;
    if (!split_line(line, fields)) return false;
    auto named = [&](std::string_view name) {
      return std::any_of(fields.begin(), fields.end(),
                         [&](const Field& f) { return f.text == name; });
    };
    return named("step") && named("reached");
  }
  return false;
}

std::optional<ObservedFunnel> read_funnel_csv(const std::string& path, Diagnostics& diagnostics) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    diagnostics.error({path, 0, 0}, "the funnel file is a directory");
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diagnostics.error({path, 0, 0}, "cannot open the funnel file");
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_funnel_csv(text.str(), path, diagnostics);
}

}  // namespace cjsim
