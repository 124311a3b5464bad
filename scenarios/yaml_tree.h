// A YAML (or JSON) document read into a compact tree: every map, list and scalar with the
// line and column it starts at, built from libfyaml's parser events.
// Internal to scenarios/: the loader and the change list read scenario files through it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace cjsim::detail {

class YamlTree;

enum class YamlKind : std::uint8_t { null, scalar, list, map };

// One node of a YamlTree, a cheap handle to copy. A default node is the absent value of a
// key that is not there: null, with no place in the file (line 0).
class YamlNode {
 public:
  YamlNode() = default;

  YamlKind kind() const;
  bool is_null() const { return kind() == YamlKind::null; }
  bool is_scalar() const { return kind() == YamlKind::scalar; }
  bool is_list() const { return kind() == YamlKind::list; }
  bool is_map() const { return kind() == YamlKind::map; }
  // Whether the node is in the file at all (a null written as "~" or left empty is).
  bool exists() const { return tree_ != nullptr; }

  // The text of a scalar (empty for anything else).
  std::string_view text() const;
  // Scalars written quoted or as a block (| or >) are text even when they look like numbers.
  bool is_quoted() const;

  // Where the node starts, counting from 1; 0 for a node that is not in the file.
  int line() const;
  int column() const;

  // The items of a list, or the key/value pairs of a map.
  std::size_t size() const;
  YamlNode item(std::size_t i) const;
  YamlNode key(std::size_t i) const;
  YamlNode value(std::size_t i) const;
  // The value of the first scalar key spelled `name` in a map; an absent node if none.
  YamlNode find(std::string_view name) const;

 private:
  friend class YamlTree;
  YamlNode(const YamlTree* tree, std::uint32_t index) : tree_(tree), index_(index) {}
  const YamlTree* tree_ = nullptr;
  std::uint32_t index_ = 0;
};

// Why a text could not be read as one YAML document, and where.
struct YamlProblem {
  enum class Kind {
    syntax,        // the parser's own message
    too_deep,      // lists and maps nested beyond kMostYamlDepth
    runaway,       // more parser events than the text could hold
    no_document,   // nothing but comments and blank lines (or a null document)
    two_documents  // a second document follows the first
  };
  Kind kind = Kind::syntax;
  int line = 0;  // from 1
  int column = 0;
  std::string message;  // the parser's message, for syntax errors
};

// Deeper than any scenario (it needs 5 levels) yet far from exhausting anything.
inline constexpr int kMostYamlDepth = 64;

class YamlTree {
 public:
  // Reads the one document of `text`; on failure `problem` says why and the tree is empty.
  static std::optional<YamlTree> parse(std::string_view text, YamlProblem& problem);

  YamlNode root() const { return YamlNode(this, 0); }

  YamlTree(YamlTree&&) = default;
  YamlTree& operator=(YamlTree&&) = default;
  YamlTree(const YamlTree&) = delete;
  YamlTree& operator=(const YamlTree&) = delete;

 private:
  friend class YamlNode;
  friend class TreeBuilder;
  YamlTree() = default;

  // 20 bytes a node: a touchpoint written in full is about 40 nodes.
  struct Node {
    std::uint32_t line = 0;  // from 1
    std::uint32_t column = 0;
    // A scalar's text in text_; a list's items or a map's keys and values (alternating) in
    // children_.
    std::uint32_t begin = 0;
    std::uint32_t size = 0;
    YamlKind kind = YamlKind::null;
    bool quoted = false;
  };
  std::vector<Node> nodes_;
  std::vector<std::uint32_t> children_;
  std::string text_;
};

}  // namespace cjsim::detail
