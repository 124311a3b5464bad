// Spelling suggestions for names a user mistyped (keys, touchpoint ids, channels): the
// nearest known name, if it is within two edits. Shared by the loader and validation.
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cjsim {

// Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. Swaps count
// as one edit because "dropuot" is one slip of the fingers, not two.
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t columns = b.size() + 1;
  std::vector<std::size_t> table((a.size() + 1) * columns);
  auto cell = [&](std::size_t i, std::size_t j) -> std::size_t& { return table[i * columns + j]; };
  for (std::size_t i = 0; i <= a.size(); ++i) cell(i, 0) = i;
  for (std::size_t j = 0; j <= b.size(); ++j) cell(0, j) = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t best =
          std::min({cell(i - 1, j) + 1, cell(i, j - 1) + 1, cell(i - 1, j - 1) + substitution});
      const bool swapped = i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1];
      if (swapped) best = std::min(best, cell(i - 2, j - 2) + 1);
      cell(i, j) = best;
    }
  }
  return cell(a.size(), b.size());
}

// The known name nearest to `typed`, when it is at most two edits away and those edits do
// not rewrite the whole name (so "to" does not suggest "id"). Ties go to the first listed.
// No suggestion for very long names or among very many: the search costs the product of the
// lengths for every name known, which a hostile file could make take hours.
template <typename Names>
std::optional<std::string> nearest_name(std::string_view typed, const Names& known) {
  constexpr std::size_t kMostEdits = 2;
  constexpr std::size_t kLongestName = 256;
  constexpr std::size_t kMostNames = 10000;
  if (typed.size() > kLongestName || std::size(known) > kMostNames) return std::nullopt;
  std::optional<std::string> best;
  std::size_t best_distance = kMostEdits + 1;
  for (const auto& name : known) {
    const std::string_view candidate(name);
    if (candidate == typed) continue;
    // The distance is at least the difference in length.
    const std::size_t longer = std::max(candidate.size(), typed.size());
    if (longer - std::min(candidate.size(), typed.size()) > kMostEdits) continue;
    const std::size_t distance = edit_distance(typed, candidate);
    if (distance >= best_distance || distance >= candidate.size()) continue;
    best = std::string(candidate);
    best_distance = distance;
  }
  return best;
}

// "; did you mean 'dropout'?" or "", ready to append to a message.
template <typename Names>
std::string did_you_mean(std::string_view typed, const Names& known) {
  const std::optional<std::string> nearest = nearest_name(typed, known);
  if (!nearest) return "";
  return "; did you mean '" + *nearest + "'?";
}

// "a, b, c": names listed for a message.
template <typename Names>
std::string join_names(const Names& names, std::string_view separator = ", ") {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += separator;
    out += std::string_view(name);
  }
  return out;
}

}  // namespace cjsim
