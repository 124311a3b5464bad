// The funnel CSV reader: what it accepts, and an error at the right line and column for each
// thing it refuses.
#include <gtest/gtest.h>

#include "models/observed/funnel.h"

namespace cjsim {
namespace {

std::string errors_of(std::string_view text) {
  Diagnostics diagnostics;
  EXPECT_FALSE(parse_funnel_csv(text, "funnel.csv", diagnostics));
  return diagnostics.to_string();
}

TEST(Funnel, ReadsSegmentsStepsAndEnteredInAnyColumnOrder) {
  Diagnostics diagnostics;
  const auto funnel = parse_funnel_csv(
      "\xEF\xBB\xBFreached,step,segment\r\n"
      "# counts from the web analytics export\r\n"
      "1000,entered,\r\n"
      "600,consideration,\r\n"
      "\r\n"
      "400,entered,\"sceptic\"\r\n"
      "120,\"check,out\",sceptic\r\n",
      "funnel.csv", diagnostics);
  ASSERT_TRUE(funnel) << diagnostics.to_string();
  EXPECT_EQ(funnel->entered_in(""), 1000u);
  EXPECT_EQ(funnel->entered_in("sceptic"), 400u);
  EXPECT_FALSE(funnel->entered_in("regular"));
  ASSERT_EQ(funnel->counts.size(), 2u);
  EXPECT_EQ(funnel->counts[0].step, "consideration");
  EXPECT_EQ(funnel->counts[0].reached, 600u);
  EXPECT_EQ(funnel->counts[0].where.line, 4);
  EXPECT_EQ(funnel->counts[1].step, "check,out");
  EXPECT_EQ(funnel->counts[1].segment, "sceptic");
  EXPECT_EQ(funnel->counts[1].where.line, 7);
}

TEST(Funnel, TheSegmentColumnIsOptional) {
  Diagnostics diagnostics;
  const auto funnel = parse_funnel_csv("step,reached\nentered,50\ncheckout,7\n", "f.csv", diagnostics);
  ASSERT_TRUE(funnel) << diagnostics.to_string();
  EXPECT_EQ(funnel->counts[0].segment, "");
  EXPECT_EQ(funnel->entered_in(""), 50u);
}

TEST(Funnel, BadCountsAreErrorsAtTheirLineAndColumn) {
  const std::string text = errors_of(
      "step,reached\n"
      "entered,100\n"
      "consideration,-3\n"
      "purchase, 2.5\n"
      "loyalty,\n"
      "service,101\n");
  EXPECT_NE(text.find("funnel.csv:3:15: error: reached must be a whole number of customers, got '-3'"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("funnel.csv:4:10: error: reached must be a whole number of customers, got '2.5'"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("funnel.csv:5:9: error: reached must be a whole number"), std::string::npos) << text;
  EXPECT_NE(text.find("funnel.csv:6:9: error: 101 customers reached 'service', more than the 100 who entered"),
            std::string::npos)
      << text;
}

TEST(Funnel, HeaderProblemsAreNamed) {
  EXPECT_NE(errors_of("step,count\nentered,1\n").find("unknown column 'count'"), std::string::npos);
  EXPECT_NE(errors_of("step,count\nentered,1\n").find("must name the columns step and reached"),
            std::string::npos);
  EXPECT_NE(errors_of("step,reached,step\n").find("funnel.csv:1:14: error: the column 'step' appears twice"),
            std::string::npos);
  EXPECT_NE(errors_of("").find("the funnel file is empty"), std::string::npos);
  EXPECT_NE(errors_of("# only a comment\n\n").find("the funnel file is empty"), std::string::npos);
}

TEST(Funnel, RowProblemsAreNamed) {
  EXPECT_NE(errors_of("step,reached\nentered,10\na,1,2\n").find("funnel.csv:3:1: error: 3 fields where the header has 2"),
            std::string::npos);
  EXPECT_NE(errors_of("step,reached\nentered,10\n\"a,1\n").find("funnel.csv:3: error: a quoted field is not closed"),
            std::string::npos);
  EXPECT_NE(errors_of("step,reached\nentered,10\na,1\na,2\n").find("funnel.csv:4:1: error: step 'a' is given twice (first on line 3)"),
            std::string::npos);
  EXPECT_NE(errors_of("step,reached\nentered,10\n,1\n").find("funnel.csv:3:1: error: the step is empty"),
            std::string::npos);
  EXPECT_NE(errors_of("segment,step,reached\n,entered,10\nvip,a,1\n")
                .find("funnel.csv:3:7: error: no 'entered' row for segment 'vip'"),
            std::string::npos);
  EXPECT_NE(errors_of("step,reached\nentered,10\n").find("the funnel has no count to fit"),
            std::string::npos);
}

// Found by a tester: a funnel no one entered "calibrated" to nan%.
TEST(Funnel, NoCustomerEnteringIsAnError) {
  const std::string text = errors_of("segment,step,reached\n,entered,0\n,checkout,0\n");
  EXPECT_NE(text.find("funnel.csv:2:10: error: 'entered' is 0: a funnel's counts are shares of "
                      "the customers who entered"),
            std::string::npos)
      << text;
  EXPECT_NE(errors_of("segment,step,reached\nweb,entered,0\nweb,checkout,0\n")
                .find("'entered' is 0 for segment 'web'"),
            std::string::npos);
}

TEST(Funnel, GarbageAndOverflowAreErrorsNotCrashes) {
  EXPECT_NE(errors_of("step,reached\nentered,18446744073709551616\n")
                .find("reached must be a whole number of customers, got '18446744073709551616'"),
            std::string::npos);
  std::string garbage;
  std::uint64_t state = 12345;
  for (int i = 0; i < 20000; ++i) {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    garbage += static_cast<char>(state >> 56);
  }
  for (std::size_t cut : {std::size_t{0}, std::size_t{1}, std::size_t{777}, garbage.size()}) {
    Diagnostics diagnostics;
    EXPECT_FALSE(parse_funnel_csv(std::string("step,reached\n") + garbage.substr(0, cut), "g.csv",
                                  diagnostics));
    EXPECT_TRUE(diagnostics.has_errors());
  }
}

TEST(Funnel, AMissingFileIsAnErrorNamingIt) {
  Diagnostics diagnostics;
  EXPECT_FALSE(read_funnel_csv("/nonexistent/funnel.csv", diagnostics));
  EXPECT_EQ(diagnostics.to_string(), "/nonexistent/funnel.csv: error: cannot open the funnel file\n");
  Diagnostics directory;
  EXPECT_FALSE(read_funnel_csv(CJSIM_TEST_DATA, directory));
  EXPECT_NE(directory.to_string().find("is a directory"), std::string::npos);
}

}  // namespace
}  // namespace cjsim
