// CSV fields and Markdown cells of users' text: a CSV field reads back through cjsim's own
// RFC 4180 reader as the same text, and a Markdown cell never ends its cell or row.
#include "reports/render/table_text.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "awkward_texts.h"
#include "models/observed/csv_reader.h"

namespace cjsim {
namespace {

TEST(TableText, EveryCsvFieldReadsBackAsWritten) {
  for (const std::string& text : awkward_texts()) {
    std::istringstream in("before," + csv_field(text) + ",after\n");
    CsvReader reader(in, "table.csv", ',');
    std::vector<std::string> fields;
    Diagnostics d;
    ASSERT_TRUE(reader.next(fields, d)) << ::testing::PrintToString(text);
    EXPECT_FALSE(d.has_errors()) << ::testing::PrintToString(text) << d.to_string();
    ASSERT_EQ(fields.size(), 3u) << ::testing::PrintToString(text);
    EXPECT_EQ(fields[0], "before");
    EXPECT_EQ(fields[1], text);
    EXPECT_EQ(fields[2], "after");
    EXPECT_FALSE(reader.next(fields, d));
  }
}

TEST(TableText, MarkdownCellsHoldNoBreakAndNoBarePipe) {
  for (const std::string& text : awkward_texts()) {
    const std::string cell = markdown_cell(text);
    EXPECT_EQ(cell.find_first_of("\r\n"), std::string::npos) << ::testing::PrintToString(text);
    for (std::size_t i = 0; i < cell.size(); ++i) {
      if (cell[i] == '|') {
        EXPECT_TRUE(i > 0 && cell[i - 1] == '\\') << ::testing::PrintToString(cell);
      }
    }
  }
  EXPECT_EQ(markdown_cell("a|b"), "a\\|b");
  EXPECT_EQ(markdown_cell("a\r\nb\nc\rd"), "a b c d");
}

TEST(TableText, MarkdownRowsEscapeTheirCellsAndTheHeadAlignsNamesLeftFiguresRight) {
  EXPECT_EQ(markdown_row({"a|b", "1\n2"}), "| a\\|b | 1 2 |\n");
  EXPECT_EQ(markdown_head({"stage", "channel", "reach"}, 2),
            "| stage | channel | reach |\n| --- | --- | ---: |\n");
}

}  // namespace
}  // namespace cjsim
