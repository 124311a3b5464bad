// Building a YamlTree from libfyaml's parser events. Aliases are not expanded: an alias is
// the very node its anchor names (as yaml-cpp did), so nested aliases ("billion laughs") cost
// nothing. Nesting is bounded here, and so is the number of events.
#include "scenarios/yaml_tree.h"

#include "scenarios/utf8.h"

#include <fmt/format.h>
#include <libfyaml.h>

#include <algorithm>
#include <memory>

namespace cjsim::detail {

YamlKind YamlNode::kind() const { return tree_ ? tree_->nodes_[index_].kind : YamlKind::null; }

std::string_view YamlNode::text() const {
  if (!is_scalar()) return {};
  const YamlTree::Node& node = tree_->nodes_[index_];
  return std::string_view(tree_->text_).substr(node.begin, node.size);
}

bool YamlNode::is_quoted() const { return tree_ && tree_->nodes_[index_].quoted; }

int YamlNode::line() const { return tree_ ? static_cast<int>(tree_->nodes_[index_].line) : 0; }

int YamlNode::column() const { return tree_ ? static_cast<int>(tree_->nodes_[index_].column) : 0; }

std::size_t YamlNode::size() const {
  if (!is_list() && !is_map()) return 0;
  const YamlTree::Node& node = tree_->nodes_[index_];
  return is_map() ? node.size / 2 : node.size;
}

YamlNode YamlNode::item(std::size_t i) const {
  return YamlNode(tree_, tree_->children_[tree_->nodes_[index_].begin + i]);
}

YamlNode YamlNode::key(std::size_t i) const {
  return YamlNode(tree_, tree_->children_[tree_->nodes_[index_].begin + 2 * i]);
}

YamlNode YamlNode::value(std::size_t i) const {
  return YamlNode(tree_, tree_->children_[tree_->nodes_[index_].begin + 2 * i + 1]);
}

YamlNode YamlNode::find(std::string_view name) const {
  if (!is_map()) return {};
  for (std::size_t i = 0; i < size(); ++i) {
    const YamlNode k = key(i);
    if (k.is_scalar() && k.text() == name) return value(i);
  }
  return {};
}

namespace {

struct ParserDeleter {
  void operator()(fy_parser* parser) const { fy_parser_destroy(parser); }
};
struct DiagDeleter {
  void operator()(fy_diag* diag) const { fy_diag_destroy(diag); }
};

// A plain scalar YAML's core schema reads as null.
bool spells_null(std::string_view text) {
  return text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
}

std::string_view token_text(fy_token* token) {
  if (!token) return {};
  std::size_t length = 0;
  const char* text = fy_token_get_text(token, &length);
  return text ? std::string_view(text, length) : std::string_view();
}

}  // namespace

// Turns the events of one parse into the nodes of a tree, in document order.
class TreeBuilder {
 public:
  TreeBuilder(YamlTree& tree, std::size_t bytes) : tree_(tree), event_limit_(4 * bytes + 64) {
    // Room for more nodes than a journey has (one per 6 bytes of the generated benchmark
    // journeys) and for all the scalars' text, which is never longer than the file: growing
    // would copy, and the room never written to is never paged in.
    tree_.nodes_.reserve(bytes / 4 + 16);
    tree_.children_.reserve(bytes / 4 + 16);
    tree_.text_.reserve(bytes + 16);
  }

  // Takes one event; false when the document cannot be read on (the problem is set).
  bool take(fy_event* event, YamlProblem& problem) {
    const fy_mark* mark = fy_event_start_mark(event);
    if (mark) last_ = *mark;
    if (++events_ > event_limit_) return fail(YamlProblem::Kind::runaway, problem);
    switch (event->type) {
      case FYET_SCALAR:
        return scalar(event->scalar, problem);
      case FYET_ALIAS:
        return alias(event->alias, problem);
      case FYET_SEQUENCE_START:
        move_back_to(event->sequence_start.anchor);
        move_back_to(event->sequence_start.tag);
        return open(YamlKind::list, event->sequence_start.anchor,
                    is_flow(event->sequence_start.sequence_start), problem);
      case FYET_MAPPING_START:
        move_back_to(event->mapping_start.anchor);
        move_back_to(event->mapping_start.tag);
        return open(YamlKind::map, event->mapping_start.anchor,
                    is_flow(event->mapping_start.mapping_start), problem);
      case FYET_SEQUENCE_END:
      case FYET_MAPPING_END:
        close();
        return true;
      default:
        return true;
    }
  }

  bool has_root() const { return has_root_; }

  // The parser's first error, with its place; a bracket or brace left open on an earlier line
  // is the likely cause, so it is named.
  void syntax_problem(fy_diag* diag, YamlProblem& problem) const {
    problem.kind = YamlProblem::Kind::syntax;
    problem.line = last_.line + 1;
    problem.column = last_.column + 1;
    problem.message = "the YAML cannot be read here";
    void* iterator = nullptr;
    if (const fy_diag_error* error = fy_diag_errors_iterate(diag, &iterator)) {
      // Its places count from 1 already.
      problem.line = error->line;
      problem.column = error->column;
      if (error->msg) problem.message = error->msg;
    }
    const YamlTree::Node* open_flow = open_flow_collection();
    if (open_flow && static_cast<int>(open_flow->line) < problem.line) {
      const bool list = open_flow->kind == YamlKind::list;
      problem.message += fmt::format(
          "; the {} opened with '{}' at line {}, column {} is still open "
          "here: is its '{}' missing?",
          list ? "list" : "map", list ? '[' : '{', open_flow->line, open_flow->column,
          list ? ']' : '}');
    }
  }

  // The innermost list or map written in brackets or braces that is still open, if any.
  const YamlTree::Node* open_flow_collection() const {
    for (auto it = open_.rbegin(); it != open_.rend(); ++it) {
      if (it->flow) return &tree_.nodes_[it->node];
    }
    return nullptr;
  }

 private:
  // A node starts at its anchor or tag when it has them (&a [...], !!str x), as in yaml-cpp.
  // libfyaml places an anchor (and an alias) after its '&' ('*'); a tag starts at its '!'.
  void move_back_to(fy_token* property) {
    const fy_mark* mark = property ? fy_token_start_mark(property) : nullptr;
    if (!mark) return;
    fy_mark start = *mark;
    if (fy_token_get_type(property) == FYTT_ANCHOR && start.column > 0) {
      --start.column;
      --start.input_pos;
    }
    if (start.input_pos < last_.input_pos) last_ = start;
  }

  bool fail(YamlProblem::Kind kind, YamlProblem& problem) const {
    problem.kind = kind;
    problem.line = last_.line + 1;
    problem.column = last_.column + 1;
    return false;
  }

  // A new node at the current place; refused when it would start a second document.
  bool start_node(YamlKind kind, fy_token* anchor, std::uint32_t& index, YamlProblem& problem) {
    if (open_.empty() && has_root_) return fail(YamlProblem::Kind::two_documents, problem);
    index = static_cast<std::uint32_t>(tree_.nodes_.size());
    YamlTree::Node node;
    node.kind = kind;
    node.line = static_cast<std::uint32_t>(last_.line + 1);
    node.column = static_cast<std::uint32_t>(last_.column + 1);
    tree_.nodes_.push_back(node);
    if (anchor) anchors_[std::string(token_text(anchor))] = index;
    attach(index);
    return true;
  }

  void attach(std::uint32_t index) {
    if (open_.empty()) {
      has_root_ = true;
      return;
    }
    pending_.push_back(index);
  }

  bool scalar(const fy_event_scalar_data& data, YamlProblem& problem) {
    const std::string_view text = token_text(data.value);
    const fy_scalar_style style = data.value ? fy_token_scalar_style(data.value) : FYSS_PLAIN;
    const bool plain = style == FYSS_PLAIN;
    const YamlKind kind =
        plain && !data.tag && spells_null(text) ? YamlKind::null : YamlKind::scalar;
    if (const fy_mark* mark = data.value ? fy_token_start_mark(data.value) : nullptr) {
      last_ = *mark;
      // libfyaml places a quoted scalar after its opening quote; the quote is where it starts.
      if ((style == FYSS_SINGLE_QUOTED || style == FYSS_DOUBLE_QUOTED) && last_.column > 0) {
        --last_.column;
        --last_.input_pos;
      }
    }
    move_back_to(data.anchor);
    move_back_to(data.tag);
    std::uint32_t index = 0;
    if (!start_node(kind, data.anchor, index, problem)) return false;
    YamlTree::Node& node = tree_.nodes_[index];
    node.quoted = !plain;
    node.begin = static_cast<std::uint32_t>(tree_.text_.size());
    node.size = static_cast<std::uint32_t>(text.size());
    tree_.text_.append(text);
    return true;
  }

  bool alias(const fy_event_alias_data& data, YamlProblem& problem) {
    if (last_.column > 0) {
      --last_.column;
      --last_.input_pos;
    }
    const auto found = anchors_.find(std::string(token_text(data.anchor)));
    if (found == anchors_.end()) {
      problem.message = "the referenced anchor is not defined";
      return fail(YamlProblem::Kind::syntax, problem);
    }
    if (open_.empty() && has_root_) return fail(YamlProblem::Kind::two_documents, problem);
    attach(found->second);
    return true;
  }

  // Written with '[' or '{' (a pair inside brackets, [a: b], is a map without a brace).
  static bool is_flow(fy_token* start) {
    if (!start) return false;
    const fy_token_type type = fy_token_get_type(start);
    const std::string_view text = token_text(start);
    return (type == FYTT_FLOW_SEQUENCE_START && text == "[") ||
           (type == FYTT_FLOW_MAPPING_START && text == "{");
  }

  bool open(YamlKind kind, fy_token* anchor, bool flow, YamlProblem& problem) {
    if (open_.size() >= static_cast<std::size_t>(kMostYamlDepth)) {
      return fail(YamlProblem::Kind::too_deep, problem);
    }
    std::uint32_t index = 0;
    if (!start_node(kind, anchor, index, problem)) return false;
    open_.push_back({index, pending_.size(), flow});
    return true;
  }

  // The children of the collection that ends move from the pending stack into place, next
  // to each other.
  void close() {
    if (open_.empty()) return;
    const Open done = open_.back();
    open_.pop_back();
    YamlTree::Node& node = tree_.nodes_[done.node];
    // A pair inside brackets ([a, b: c]) is a map that libfyaml starts at its ':'; for the
    // reader it starts where its key does.
    const bool pair_in_brackets = node.kind == YamlKind::map && !done.flow && !open_.empty() &&
                                  open_.back().flow && pending_.size() > done.first_child;
    if (pair_in_brackets) {
      const YamlTree::Node& key = tree_.nodes_[pending_[done.first_child]];
      node.line = key.line;
      node.column = key.column;
    }
    node.begin = static_cast<std::uint32_t>(tree_.children_.size());
    node.size = static_cast<std::uint32_t>(pending_.size() - done.first_child);
    tree_.children_.insert(tree_.children_.end(),
                           pending_.begin() + static_cast<std::ptrdiff_t>(done.first_child),
                           pending_.end());
    pending_.resize(done.first_child);
  }

  struct Open {
    std::uint32_t node;
    std::size_t first_child;  // in pending_
    bool flow;                // written in brackets or braces
  };

  YamlTree& tree_;
  std::size_t event_limit_;
  std::size_t events_ = 0;
  fy_mark last_{0, 0, 0};
  bool has_root_ = false;
  std::vector<Open> open_;
  std::vector<std::uint32_t> pending_;
  std::unordered_map<std::string, std::uint32_t> anchors_;
};

namespace {

// libfyaml ends the stream without an error at a byte that is not UTF-8, or at a NUL outside
// quotes, which would silently drop the rest of the file: such a byte is refused here first.
// The place of the first one, or nullopt for clean text.
std::optional<YamlProblem> unreadable_byte(std::string_view text) {
  const std::optional<std::size_t> invalid = first_invalid_utf8(text);
  const std::size_t nul = text.find('\0');
  if (!invalid && nul == std::string_view::npos) return std::nullopt;
  const std::size_t at = std::min(invalid.value_or(nul), nul);
  const auto [line, column] = line_and_column(text, at);
  if (at == nul) {
    return YamlProblem{YamlProblem::Kind::syntax, line, column,
                       "a NUL byte; a scenario file is text, not binary data"};
  }
  return YamlProblem{YamlProblem::Kind::syntax, line, column,
                     fmt::format("the byte 0x{:02X} is not UTF-8 text; a scenario file is UTF-8 "
                                 "(save it as UTF-8 in the editor)",
                                 static_cast<unsigned char>(text[at]))};
}

}  // namespace

std::optional<YamlTree> YamlTree::parse(std::string_view text, YamlProblem& problem) {
  // Errors are kept to be reported as diagnostics, never printed.
  fy_diag_cfg diag_config{};
  fy_diag_cfg_default(&diag_config);
  diag_config.fp = nullptr;
  const std::unique_ptr<fy_diag, DiagDeleter> diag(fy_diag_create(&diag_config));
  if (diag) fy_diag_set_collect_errors(diag.get(), true);
  if (std::optional<YamlProblem> unreadable = unreadable_byte(text)) {
    problem = std::move(*unreadable);
    return std::nullopt;
  }
  fy_parse_cfg config{};
  config.diag = diag.get();
  // Depth is bounded by the builder, duplicate keys are reported by the readers with both
  // places, and JSON is read as the YAML it is.
  config.flags =
      static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_COLLECT_DIAG | FYPCF_DISABLE_DEPTH_LIMIT |
                                      FYPCF_ALLOW_DUPLICATE_KEYS | FYPCF_JSON_NONE);
  const std::unique_ptr<fy_parser, ParserDeleter> parser(fy_parser_create(&config));
  if (!diag || !parser || fy_parser_set_string(parser.get(), text.data(), text.size()) != 0) {
    problem = {YamlProblem::Kind::syntax, 1, 1, "the YAML parser could not start"};
    return std::nullopt;
  }
  YamlTree tree;
  TreeBuilder builder(tree, text.size());
  while (fy_event* event = fy_parser_parse(parser.get())) {
    const bool more = builder.take(event, problem);
    fy_parser_event_free(parser.get(), event);
    if (!more) return std::nullopt;
  }
  if (fy_parser_get_stream_error(parser.get())) {
    builder.syntax_problem(diag.get(), problem);
    return std::nullopt;
  }
  if (!builder.has_root() || tree.nodes_.front().kind == YamlKind::null) {
    problem = {YamlProblem::Kind::no_document, 1, 1, ""};
    return std::nullopt;
  }
  return tree;
}

}  // namespace cjsim::detail
