// The YAML tree under the loader: places of nodes, nulls and quoted text, aliases shared and
// never expanded, and every way a text is refused (syntax, bytes that are not UTF-8, nesting,
// two documents, none) with its place.
#include "scenarios/yaml_tree.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>

namespace cjsim::detail {
namespace {

// The tree of `text`, failing the test when it cannot be read.
std::optional<YamlTree> tree_of(std::string_view text) {
  YamlProblem problem;
  std::optional<YamlTree> tree = YamlTree::parse(text, problem);
  EXPECT_TRUE(tree) << problem.line << ":" << problem.column << ": " << problem.message;
  return tree;
}

// Why `text` cannot be read, failing the test when it can.
YamlProblem problem_of(std::string_view text) {
  YamlProblem problem;
  EXPECT_FALSE(YamlTree::parse(text, problem)) << text;
  return problem;
}

TEST(YamlTree, NodesKnowTheLineAndColumnTheyStartAt) {
  const auto tree = tree_of("name: x\ntouchpoints:\n  - id: a\n    emotion: {mean: 1}\n");
  ASSERT_TRUE(tree);
  const YamlNode root = tree->root();
  ASSERT_TRUE(root.is_map());
  EXPECT_EQ(root.size(), 2u);
  const YamlNode list = root.find("touchpoints");
  ASSERT_TRUE(list.is_list());
  EXPECT_EQ(std::pair(list.line(), list.column()), std::pair(3, 3));  // at the '-'
  const YamlNode touchpoint = list.item(0);
  EXPECT_EQ(std::pair(touchpoint.line(), touchpoint.column()), std::pair(3, 5));
  const YamlNode emotion = touchpoint.find("emotion");
  EXPECT_EQ(std::pair(emotion.line(), emotion.column()), std::pair(4, 14));  // at the '{'
  EXPECT_EQ(emotion.find("mean").text(), "1");
  EXPECT_EQ(std::pair(touchpoint.key(1).line(), touchpoint.key(1).column()), std::pair(4, 5));
}

TEST(YamlTree, APairInBracketsStartsAtItsKey) {
  const auto tree = tree_of("scenarios: [a.yaml, 3: 4]\n");
  ASSERT_TRUE(tree);
  const YamlNode pair = tree->root().find("scenarios").item(1);
  ASSERT_TRUE(pair.is_map());
  EXPECT_EQ(std::pair(pair.line(), pair.column()), std::pair(1, 21));
}

TEST(YamlTree, QuotedScalarsAreTextAndStartAtTheirQuote) {
  const auto tree = tree_of("a: \"0.5\"\nb: 'x'\nc: 0.5\nd: |\n  block\n");
  ASSERT_TRUE(tree);
  const YamlNode a = tree->root().find("a");
  EXPECT_TRUE(a.is_quoted());
  EXPECT_EQ(a.text(), "0.5");
  EXPECT_EQ(std::pair(a.line(), a.column()), std::pair(1, 4));
  const YamlNode b = tree->root().find("b");
  EXPECT_TRUE(b.is_quoted());
  EXPECT_EQ(std::pair(b.line(), b.column()), std::pair(2, 4));
  EXPECT_FALSE(tree->root().find("c").is_quoted());
  EXPECT_TRUE(tree->root().find("d").is_quoted());
  EXPECT_EQ(tree->root().find("d").text(), "block\n");
}

TEST(YamlTree, PlainNullSpellingsAreNullButQuotedOnesAreText) {
  const auto tree = tree_of("a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: 'null'\ng: nul\n");
  ASSERT_TRUE(tree);
  for (std::string_view key : {"a", "b", "c", "d", "e"}) {
    const YamlNode value = tree->root().find(key);
    EXPECT_TRUE(value.is_null() && value.exists()) << key;
    EXPECT_GT(value.line(), 0) << key;
  }
  EXPECT_TRUE(tree->root().find("f").is_scalar());
  EXPECT_TRUE(tree->root().find("g").is_scalar());
}

TEST(YamlTree, AnAbsentKeyIsANullWithNoPlace) {
  const auto tree = tree_of("a: 1\n");
  ASSERT_TRUE(tree);
  const YamlNode missing = tree->root().find("b");
  EXPECT_FALSE(missing.exists());
  EXPECT_TRUE(missing.is_null());
  EXPECT_EQ(missing.line(), 0);
}

TEST(YamlTree, DuplicateKeysAreKeptForTheReadersToReport) {
  const auto tree = tree_of("a: 1\na: 2\n");
  ASSERT_TRUE(tree);
  ASSERT_EQ(tree->root().size(), 2u);
  EXPECT_EQ(tree->root().find("a").text(), "1");
  EXPECT_EQ(tree->root().key(1).line(), 2);
}

TEST(YamlTree, AnAliasIsTheAnchoredNodeItselfNotACopy) {
  const auto tree = tree_of("a: &x [1, 2]\nb: *x\nc: &y\n  k: v\nd: *y\n");
  ASSERT_TRUE(tree);
  const YamlNode a = tree->root().find("a");
  const YamlNode b = tree->root().find("b");
  ASSERT_TRUE(b.is_list());
  EXPECT_EQ(b.size(), 2u);
  // The same node: the place of the anchor, not of the alias.
  EXPECT_EQ(std::pair(b.line(), b.column()), std::pair(a.line(), a.column()));
  EXPECT_EQ(std::pair(a.line(), a.column()), std::pair(1, 4));  // at the '&'
  EXPECT_EQ(tree->root().find("d").find("k").text(), "v");
}

TEST(YamlTree, NestedAliasesCostOneNodeEach) {
  // Nine levels of ten aliases: 10^9 items if expanded, a few dozen nodes here.
  std::string text = "l0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int level = 1; level < 9; ++level) {
    const std::string name = std::to_string(level);
    const std::string below = std::to_string(level - 1);
    text.append("l").append(name).append(": &a").append(name).append(" [");
    for (int i = 0; i < 10; ++i) text.append(i ? ", *a" : "*a").append(below);
    text.append("]\n");
  }
  const auto tree = tree_of(text);
  ASSERT_TRUE(tree);
  const YamlNode top = tree->root().find("l8");
  ASSERT_EQ(top.size(), 10u);
  EXPECT_EQ(top.item(3).item(7).item(0).size(), 10u);
}

TEST(YamlTree, AnAliasWithoutAnchorIsASyntaxError) {
  const YamlProblem problem = problem_of("a: *nowhere\n");
  EXPECT_EQ(problem.kind, YamlProblem::Kind::syntax);
  EXPECT_EQ(problem.message, "the referenced anchor is not defined");
  EXPECT_EQ(std::pair(problem.line, problem.column), std::pair(1, 4));
}

TEST(YamlTree, BytesThatAreNotUtf8AreRefusedAtTheirPlace) {
  // libfyaml would end the stream there without an error, dropping the rest of the file.
  const YamlProblem problem = problem_of("name: x\nstages: [a]\nk: caf\xe9\ntouchpoints: []\n");
  EXPECT_EQ(problem.kind, YamlProblem::Kind::syntax);
  EXPECT_EQ(std::pair(problem.line, problem.column), std::pair(3, 7));
  EXPECT_NE(problem.message.find("0xE9 is not UTF-8"), std::string::npos) << problem.message;
  // Overlong forms and UTF-16 surrogates are not UTF-8 either; real multi-byte text is.
  EXPECT_EQ(problem_of("a: \xc0\xaf\n").column, 4);
  EXPECT_EQ(problem_of("a: \xed\xa0\x80\n").column, 4);
  EXPECT_TRUE(tree_of("a: caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\nb: 1\n"));
}

TEST(YamlTree, ANulByteIsRefusedAtItsPlace) {
  constexpr char kText[] = "a: 1\nb: \0\nc: 3\n";
  const YamlProblem problem = problem_of(std::string_view(kText, sizeof kText - 1));
  EXPECT_EQ(std::pair(problem.line, problem.column), std::pair(2, 4));
  EXPECT_NE(problem.message.find("NUL byte"), std::string::npos) << problem.message;
}

TEST(YamlTree, NestingIsBoundedAtItsPlace) {
  const std::string deepest(kMostYamlDepth, '[');
  EXPECT_TRUE(tree_of(deepest + std::string(kMostYamlDepth, ']')));
  // Under a map, the last '[' is one level too many.
  const YamlProblem problem = problem_of("a: " + deepest + std::string(kMostYamlDepth, ']'));
  EXPECT_EQ(problem.kind, YamlProblem::Kind::too_deep);
  EXPECT_EQ(std::pair(problem.line, problem.column), std::pair(1, 3 + kMostYamlDepth));
}

TEST(YamlTree, ASecondDocumentIsRefusedAtItsStart) {
  const YamlProblem problem = problem_of("a: 1\n---\nb: 2\n");
  EXPECT_EQ(problem.kind, YamlProblem::Kind::two_documents);
  EXPECT_EQ(std::pair(problem.line, problem.column), std::pair(3, 1));
}

TEST(YamlTree, CommentsAloneHoldNoDocument) {
  EXPECT_EQ(problem_of("# nothing\n\n").kind, YamlProblem::Kind::no_document);
  EXPECT_EQ(problem_of("").kind, YamlProblem::Kind::no_document);
  EXPECT_EQ(problem_of("~\n").kind, YamlProblem::Kind::no_document);
}

TEST(YamlTree, ASyntaxErrorInsideAnOpenBracketNamesTheBracket) {
  const YamlProblem problem = problem_of("a: [x, y\nb: 1\nc:\n  - z\n");
  EXPECT_EQ(problem.kind, YamlProblem::Kind::syntax);
  EXPECT_GT(problem.line, 1);
  EXPECT_NE(problem.message.find("the list opened with '[' at line 1, column 4 is still open"),
            std::string::npos)
      << problem.message;
}

TEST(YamlTree, JsonIsReadAsYaml) {
  const auto tree = tree_of(R"({"a": [1, 2.5, "x"], "b": {"c": null}})");
  ASSERT_TRUE(tree);
  EXPECT_EQ(tree->root().find("a").item(1).text(), "2.5");
  EXPECT_TRUE(tree->root().find("a").item(2).is_quoted());
  EXPECT_TRUE(tree->root().find("b").find("c").is_null());
}

}  // namespace
}  // namespace cjsim::detail
