// A future state's changes read with the loader's YAML reader, and written back in place.
#include "sim/api/future_state_changes.h"

#include <fmt/format.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <vector>

#include "scenarios/yaml_tree.h"
#include "sim/api/errors.h"

namespace cjsim {
namespace {

using detail::YamlKind;
using detail::YamlNode;
using detail::YamlTree;
using nlohmann::ordered_json;

// A scalar as YAML 1.2's core schema reads it: unquoted numbers, booleans and nulls as such.
ordered_json scalar_json(const YamlNode& node) {
  const std::string_view text = node.text();
  if (node.is_quoted()) return std::string(text);
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return nullptr;
  }
  const char* end = text.data() + text.size();
  std::int64_t whole = 0;
  if (auto [at, error] = std::from_chars(text.data(), end, whole);
      error == std::errc() && at == end) {
    return whole;
  }
  double number = 0;
  if (auto [at, error] = std::from_chars(text.data(), end, number);
      error == std::errc() && at == end) {
    return number;
  }
  return std::string(text);
}

ordered_json node_json(const YamlNode& node) {
  switch (node.kind()) {
    case YamlKind::null:
      return nullptr;
    case YamlKind::scalar:
      return scalar_json(node);
    case YamlKind::list: {
      ordered_json items = ordered_json::array();
      for (std::size_t i = 0; i < node.size(); ++i) items.push_back(node_json(node.item(i)));
      return items;
    }
    case YamlKind::map: {
      ordered_json map = ordered_json::object();
      for (std::size_t i = 0; i < node.size(); ++i) {
        map[std::string(node.key(i).text())] = node_json(node.value(i));
      }
      return map;
    }
  }
  return nullptr;
}

// Whether two changes say the same, whatever the order of their keys (a front end may hand
// them back with the keys sorted).
bool same_change(const ordered_json& a, const ordered_json& b) {
  return nlohmann::json::parse(a.dump()) == nlohmann::json::parse(b.dump());
}

std::string scalar_text(const ordered_json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

// The text read as one document with a map at its top, or InvalidInput saying where not.
YamlTree read_tree(std::string_view text, const std::string& path) {
  detail::YamlProblem problem;
  std::optional<YamlTree> tree = YamlTree::parse(text, problem);
  if (!tree) {
    const std::string why = problem.kind == detail::YamlProblem::Kind::syntax
                                ? problem.message
                                : "not one YAML document";
    throw InvalidInput(path, fmt::format("{}: line {}: {}", path, problem.line, why));
  }
  if (!tree->root().is_map()) {
    throw InvalidInput(path, fmt::format("{}: a future state is a map of keys (base:, changes:)",
                                         path));
  }
  return std::move(*tree);
}

// The index among the top-level keys of `changes`, if written.
std::optional<std::size_t> changes_key(const YamlNode& root) {
  for (std::size_t i = 0; i < root.size(); ++i) {
    if (root.key(i).text() == "changes") return i;
  }
  return std::nullopt;
}

std::vector<std::string_view> lines_of(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) {
      lines.push_back(text.substr(at));
      break;
    }
    lines.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return lines;
}

bool blank_or_comment(std::string_view line) {
  const std::size_t first = line.find_first_not_of(" \t\r");
  return first == std::string_view::npos || line[first] == '#';
}

bool comment(std::string_view line) {
  const std::size_t first = line.find_first_not_of(" \t\r");
  return first != std::string_view::npos && line[first] == '#';
}

}  // namespace

ordered_json future_state_changes(std::string_view text, const std::string& path) {
  const YamlTree tree = read_tree(text, path);
  ordered_json out = ordered_json::array();
  const std::optional<std::size_t> key = changes_key(tree.root());
  if (!key) return out;
  const YamlNode list = tree.root().value(*key);
  if (!list.is_list()) return out;  // validation says what is wrong with it
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YamlNode item = list.item(i);
    ordered_json change = node_json(item);
    ordered_json entry = {{"kind", ""}, {"target", ""}, {"fields", ordered_json::object()},
                          {"line", item.line()}, {"change", change}};
    if (item.is_map() && item.size() == 1) {
      entry["kind"] = std::string(item.key(0).text());
      const ordered_json& value = change.begin().value();
      if (value.is_object()) {
        for (const auto& [name, field] : value.items()) {
          if (name == "id") {
            entry["target"] = scalar_text(field);
          } else if (name != "from" && name != "to") {
            entry["fields"][name] = field;
          }
        }
        if (value.contains("from") && value.contains("to")) {
          entry["target"] = scalar_text(value["from"]) + " -> " + scalar_text(value["to"]);
        }
      } else if (!value.is_null()) {
        entry["target"] = scalar_text(value);
      }
    }
    out.push_back(std::move(entry));
  }
  return out;
}

std::string with_changes(std::string_view text, const std::string& path,
                         const ordered_json& changes) {
  if (!changes.is_array()) {
    throw InvalidInput(path, fmt::format("{}: the changes are a list", path));
  }
  for (std::size_t i = 0; i < changes.size(); ++i) {
    if (!changes[i].is_object() || changes[i].size() != 1) {
      throw InvalidInput(path, fmt::format("{}: change {} is not one {{kind: value}} pair", path,
                                           i + 1));
    }
  }
  const YamlTree tree = read_tree(text, path);
  const YamlNode root = tree.root();
  const std::vector<std::string_view> lines = lines_of(text);
  const std::optional<std::size_t> key = changes_key(root);

  // The lines the list takes now: from its key to the last line before the next top-level key
  // that is not a blank or a comment (those stay with that key). Counted from 0.
  std::size_t first = lines.size();
  std::size_t last = lines.size();  // one past
  std::string key_line = "changes:";
  std::string indent = "  ";
  struct Kept {
    ordered_json change;
    std::string text;
    bool used = false;
  };
  std::vector<Kept> kept;
  if (key) {
    first = static_cast<std::size_t>(root.key(*key).line() - 1);
    std::size_t next = lines.size();
    for (std::size_t i = *key + 1; i < root.size(); ++i) {
      if (root.key(i).line() > root.key(*key).line()) {
        next = static_cast<std::size_t>(root.key(i).line() - 1);
        break;
      }
    }
    last = next;
    while (last > first + 1 && blank_or_comment(lines[last - 1])) --last;
    const YamlNode list = root.value(*key);
    const std::size_t list_line = static_cast<std::size_t>(list.line() - 1);
    const bool flow = list.exists() && list_line < lines.size() &&
                      static_cast<std::size_t>(list.column() - 1) < lines[list_line].size() &&
                      lines[list_line][list.column() - 1] == '[';
    if (list.is_list() && !flow && list.size() > 0) {
      key_line = std::string(lines[first]);
      const int column = list.item(0).column();
      indent = std::string(column > 3 ? static_cast<std::size_t>(column - 3) : 0, ' ');
      // Each item's text: its own lines and the comments just above it.
      std::vector<std::size_t> starts;
      for (std::size_t i = 0; i < list.size(); ++i) {
        std::size_t start = static_cast<std::size_t>(list.item(i).line() - 1);
        while (start > first + 1 && comment(lines[start - 1])) --start;
        starts.push_back(start);
      }
      starts.push_back(last);
      for (std::size_t i = 0; i < list.size(); ++i) {
        std::string item;
        for (std::size_t l = starts[i]; l < starts[i + 1]; ++l) item.append(lines[l]).push_back('\n');
        kept.push_back({node_json(list.item(i)), std::move(item)});
      }
    }
  }

  std::string block = changes.empty() ? "changes: []\n" : key_line + "\n";
  for (const ordered_json& change : changes) {
    bool found = false;
    for (Kept& k : kept) {
      if (!k.used && same_change(k.change, change)) {
        block += k.text;
        k.used = found = true;
        break;
      }
    }
    if (found) continue;
    // The change's one key and its value (read through an iterator of `change` itself: a
    // binding to *items().begin() would refer into a temporary that is gone by the next line).
    const auto only = change.begin();
    const std::string kind = only.key();
    const ordered_json& value = only.value();
    // The kinds are words of [a-z_], written plain as in the examples; the rest as JSON.
    const bool plain = !kind.empty() && kind.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") ==
                                            std::string::npos;
    block += fmt::format("{}- {}: {}\n", indent, plain ? kind : ordered_json(kind).dump(),
                         value.dump());
  }

  std::string out;
  for (std::size_t l = 0; l < std::min(first, lines.size()); ++l) out.append(lines[l]).push_back('\n');
  if (!key && !out.empty() && !blank_or_comment(lines.back())) out.push_back('\n');
  out += block;
  for (std::size_t l = last; l < lines.size(); ++l) out.append(lines[l]).push_back('\n');
  if (!text.empty() && text.back() != '\n' && !out.empty() && last < lines.size()) out.pop_back();

  // What was written must read back as the list asked for.
  ordered_json written = ordered_json::array();
  for (const ordered_json& entry : future_state_changes(out, path)) written.push_back(entry["change"]);
  if (!same_change(written, changes)) {
    throw std::logic_error(fmt::format("{}: the changes written do not read back as given", path));
  }
  return out;
}

}  // namespace cjsim
