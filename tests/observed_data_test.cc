// Readers of observed data: CSV records with their lines, event logs, path tables, timestamps,
// and errors that name the line and what is wrong.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string_view>
#include <utility>

#include "models/observed/csv_reader.h"
#include "models/observed/event_log.h"
#include "models/observed/observed_reader.h"
#include "models/observed/path_table.h"
#include "tests/scratch.h"

namespace cjsim {
namespace {

std::vector<std::vector<std::string>> records(const std::string& text, Diagnostics& diagnostics,
                                              std::vector<int>* lines = nullptr) {
  std::istringstream in(text);
  CsvReader reader(in, "t.csv");
  std::vector<std::vector<std::string>> out;
  std::vector<std::string> fields;
  while (reader.next(fields, diagnostics)) {
    out.push_back(fields);
    if (lines) lines->push_back(reader.line());
  }
  return out;
}

TEST(CsvReader, QuotedFieldsMaySpanLinesAndRecordsKeepTheLineTheyBeganOn) {
  Diagnostics d;
  std::vector<int> lines;
  const auto r = records("a,b\n\"x\ny\",\"say \"\"hi\"\"\"\r\nlast,\n", d, &lines);
  EXPECT_FALSE(d.has_errors()) << d.to_string();
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[1], (std::vector<std::string>{"x\ny", "say \"hi\""}));
  EXPECT_EQ(r[2], (std::vector<std::string>{"last", ""}));
  EXPECT_EQ(lines, (std::vector<int>{1, 2, 4}));
}

TEST(CsvReader, DetectsSemicolonAndTabDelimitersFromTheHeader) {
  for (const char delimiter : {';', '\t'}) {
    std::string text = "path;total_conversions\nA > B;3\n";
    if (delimiter == '\t') text = "path\ttotal_conversions\nA,B\t3\n";
    std::istringstream in(text);
    CsvReader reader(in, "t.csv");
    Diagnostics d;
    std::vector<std::string> fields;
    ASSERT_TRUE(reader.next(fields, d));
    EXPECT_EQ(reader.delimiter(), delimiter);
    ASSERT_TRUE(reader.next(fields, d));
    EXPECT_EQ(fields.size(), 2u);
    EXPECT_EQ(fields[1], "3");
  }
}

TEST(CsvReader, AQuoteNeverClosedIsAnErrorAtItsLine) {
  Diagnostics d;
  records("a,b\nx,\"open\nmore\n", d);
  ASSERT_TRUE(d.has_errors());
  EXPECT_NE(d.to_string().find("never closed"), std::string::npos) << d.to_string();
  EXPECT_NE(d.to_string().find("t.csv:"), std::string::npos);
}

// Found by the event-log fuzzer: a stage name that is not UTF-8 made a fitted journey that
// its own (UTF-8) scenario reader refused.
TEST(CsvReader, AFieldThatIsNotUtf8IsAnErrorAtItsLineAndField) {
  Diagnostics d;
  const auto rows = records("a,b,c\nx,y,z\nx,consider\xA1tion,z\nx,caf\xC3\xA9,z\n", d);
  ASSERT_EQ(rows.size(), 4u);
  ASSERT_EQ(d.error_count(), 1u) << d.to_string();
  EXPECT_NE(d.to_string().find("t.csv:3:2: error: field 2 is not UTF-8 text (the byte 0xA1)"),
            std::string::npos)
      << d.to_string();
}

TEST(CsvReader, AFieldOverAMebibyteIsRefusedAndReadingGoesOn) {
  Diagnostics d;
  const std::string huge(std::size_t{3} << 20, 'x');
  const auto r = records("a,b\n" + huge + ",1\nnext,2\n", d);
  EXPECT_EQ(d.error_count(), 1u) << d.to_string();
  EXPECT_NE(d.to_string().find("longer than"), std::string::npos);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[2], (std::vector<std::string>{"next", "2"}));
}

TEST(Timestamps, EpochSecondsAndIso8601AgreeOnTheSameInstant) {
  const double instant = 1709290800.0;  // 2024-03-01T11:00:00Z
  EXPECT_EQ(parse_timestamp("1709290800"), instant);
  EXPECT_EQ(parse_timestamp("2024-03-01T11:00:00Z"), instant);
  EXPECT_EQ(parse_timestamp("2024-03-01 11:00:00"), instant);
  EXPECT_EQ(parse_timestamp("2024-03-01T12:00:00+01:00"), instant);
  EXPECT_EQ(parse_timestamp("2024-03-01T06:30-04:30"), instant);
  EXPECT_EQ(parse_timestamp("2024-03-01T11:00:00.5Z"), instant + 0.5);
  EXPECT_EQ(parse_timestamp("2024-03-01"), instant - 11 * 3600.0);
  EXPECT_EQ(parse_timestamp("1970-01-01T00:00:00Z"), 0.0);
  EXPECT_EQ(parse_timestamp("2000-02-29T00:00:00Z"), 951782400.0);
  for (const char* bad : {"", "yesterday", "2024-13-01", "2024-03-01T11", "2024-03-01X11:00",
                          "2024-03-01T11:00:00Q", "12:00"}) {
    EXPECT_FALSE(parse_timestamp(bad)) << bad;
  }
}

// Found by a tester: 2024-02-30 was read as March 1st, T24:00:00 as the next day and :60 as
// the next minute. The calendar is the date library's now, and the values of valid timestamps
// are what they always were, to the bit.
TEST(Timestamps, ImpossibleDatesAndClockTimesAreRefused) {
  for (const char* bad :
       {"2024-02-30", "2023-02-29", "2024-04-31", "2024-00-10", "2024-03-00",
        "2024-03-01T24:00:00Z", "2024-03-01T24:00", "2024-03-01T12:60:00", "2024-03-01T23:59:60Z",
        "24-03-01", "2024-3-1", "2024-03-01T9:05:01", "2024-03-01T12:00:00+24:00",
        "2024-03-01T12:00:00+01:60", "2024-03-01T12:00:00+01:", "2024-03-01T12:00:00.Z",
        "2024-03-01T12:00.5"}) {
    EXPECT_FALSE(parse_timestamp(bad)) << bad;
  }
  EXPECT_EQ(parse_timestamp("2024-02-29"), 1709164800.0);
  EXPECT_EQ(parse_timestamp("2024-03-01T23:59:59Z"), 1709337599.0);
  // Fractions and zones in the order cjsim has always added them up.
  const double days = 14973.0;  // 2010-12-30
  EXPECT_EQ(parse_timestamp("2010-12-30 14:32:00.250+01:00"),
            days * 86400.0 + 14 * 3600.0 + 32 * 60.0 + 0 + (0.1 * 2 + 0.01 * 5) - 60 * 60.0);
  EXPECT_EQ(parse_timestamp("2010-12-30T14:32:07,3-0430"),
            days * 86400.0 + 14 * 3600.0 + 32 * 60.0 + 7 + 0.1 * 3 + 270 * 60.0);
}

TEST(EventLog, UnsortedRowsBecomeOnePathPerCustomerInTimeOrder) {
  std::ifstream in(CJSIM_TEST_DATA "/observed/tiny_events.csv");
  Diagnostics d;
  const auto data = read_event_log(in, "tiny_events.csv", {}, d);
  ASSERT_TRUE(data) << d.to_string();
  ASSERT_EQ(data->paths.size(), 4u);
  auto names = [&](const ObservedPath& p) {
    std::string s;
    for (std::uint32_t t : p.touchpoints) s += data->touchpoints[t] + " ";
    return s;
  };
  // Customers in order of first appearance: c3, c1, c2, c4.
  EXPECT_EQ(names(data->paths[0]), "search product checkout ");
  EXPECT_EQ(names(data->paths[1]), "ad product checkout ");
  EXPECT_EQ(names(data->paths[2]), "ad product ");
  EXPECT_EQ(names(data->paths[3]), "ad ");
  EXPECT_EQ(data->paths[0].conversion_step, 2);
  EXPECT_EQ(data->paths[0].value, 70.0);
  EXPECT_EQ(data->paths[2].conversion_step, -1);
  EXPECT_EQ(data->paths[1].hours, (std::vector<double>{0.0, 1.0, 3.0}));
  EXPECT_EQ(data->paths[2].hours, (std::vector<double>{0.0, 3.0}));
  const auto ad = std::find(data->touchpoints.begin(), data->touchpoints.end(), "ad") -
                  data->touchpoints.begin();
  EXPECT_EQ(data->channels[ad], "social");
  EXPECT_EQ(data->stages[ad], "awareness");
}

TEST(EventLog, MalformedRowsAreReportedWithTheirLines) {
  std::istringstream in(
      "customer,timestamp,touchpoint,value\n"
      "c1,2024-03-01T10:00:00Z,ad,\n"
      "c1,not a time,ad,\n"
      "c2,2024-03-01T10:00:00Z,,\n"
      "c3,2024-03-01T10:00:00Z,ad,lots\n"
      "c4,2024-03-01T10:00:00Z\n"
      "c5,2024-03-01T10:00:00Z,ad,-3\n");
  Diagnostics d;
  EXPECT_FALSE(read_event_log(in, "log.csv", {}, d));
  const std::string text = d.to_string();
  EXPECT_NE(text.find("log.csv:3:2: error: timestamp 'not a time'"), std::string::npos) << text;
  EXPECT_NE(text.find("log.csv:4:3: error: the touchpoint is empty"), std::string::npos) << text;
  EXPECT_NE(text.find("log.csv:5:4: error: value 'lots' is not a number"), std::string::npos)
      << text;
  EXPECT_NE(text.find("log.csv:6: error: 2 fields where the header has 4"), std::string::npos)
      << text;
  EXPECT_NE(text.find("log.csv:7:4: error: value '-3' is negative"), std::string::npos) << text;
}

TEST(EventLog, AMissingColumnNamesTheOptionThatMapsIt) {
  std::istringstream in("user,when,page\nu,1,home\n");
  Diagnostics d;
  EXPECT_FALSE(read_event_log(in, "log.csv", {}, d));
  EXPECT_NE(d.to_string().find("no 'customer' column; name the column with --customer-column"),
            std::string::npos)
      << d.to_string();
  std::istringstream again("user,when,page\nu,1,home\n");
  EventLogColumns columns;
  columns.customer = "user";
  columns.timestamp = "when";
  columns.touchpoint = "page";
  Diagnostics ok;
  EXPECT_TRUE(read_event_log(again, "log.csv", columns, ok)) << ok.to_string();
}

std::string event_log_errors(const std::string& text, const EventLogColumns& columns = {}) {
  std::istringstream in(text);
  Diagnostics d;
  EXPECT_FALSE(read_event_log(in, "log.csv", columns, d)) << text;
  return d.to_string();
}

// Found by a tester: "c1,2,Paid, Search,web" was read as touchpoint "Paid" and channel
// "Search", the last field dropped.
TEST(EventLog, ARowWithMoreFieldsThanTheHeaderIsAnErrorAtTheFirstExtraField) {
  const std::string text = event_log_errors(
      "customer,timestamp,touchpoint,channel\n"
      "c1,2,Paid, Search,web\n");
  EXPECT_NE(text.find("log.csv:2:5: error: 5 fields where the header has 4 (a value holding the "
                      "delimiter ',' needs quotes)"),
            std::string::npos)
      << text;
}

TEST(EventLog, AColumnNamedTwiceIsAnErrorAtItsField) {
  const std::string text = event_log_errors(
      "customer,timestamp,touchpoint, Touchpoint\n"
      "c1,2,ad,search\n");
  EXPECT_NE(text.find("log.csv:1:4: error: the column 'Touchpoint' appears twice (fields 3 and 4)"),
            std::string::npos)
      << text;
}

// An option naming a column that is not there was ignored, and the column's default used.
TEST(EventLog, AColumnNamedByAnOptionMustBeInTheHeader) {
  EventLogColumns columns;
  columns.channel = "chanel";
  columns.given = {"--channel-column"};
  std::string text =
      event_log_errors("customer,timestamp,touchpoint,channel\nc1,2,ad,web\n", columns);
  EXPECT_NE(text.find("log.csv:1: error: the header has no 'chanel' column (named with "
                      "--channel-column); did you mean 'channel'?"),
            std::string::npos)
      << text;
  // Not named: a default name that is absent only means there is no such column.
  std::istringstream in("customer,timestamp,touchpoint\nc1,2,ad\n");
  Diagnostics d;
  EXPECT_TRUE(read_event_log(in, "log.csv", {}, d)) << d.to_string();
  text = event_log_errors("custmer,timestamp,touchpoint\nc1,2,ad\n");
  EXPECT_NE(text.find("no 'customer' column; name the column with --customer-column; did you "
                      "mean 'custmer'?"),
            std::string::npos)
      << text;
}

TEST(EventLog, AConversionTouchpointTheDataNeverVisitIsAnErrorWithASuggestion) {
  EventLogColumns columns;
  columns.conversion_touchpoints = {"chekout"};
  const std::string text =
      event_log_errors("customer,timestamp,touchpoint\nc1,1,ad\nc1,2,checkout\n", columns);
  EXPECT_NE(text.find("log.csv: error: --conversion-touchpoint 'chekout' is no touchpoint of the "
                      "data; did you mean 'checkout'?"),
            std::string::npos)
      << text;
}

TEST(PathTable, RowsGiveConvertingPathsWithTheConversionTouchpointAndNullPaths) {
  std::ifstream in(CJSIM_TEST_DATA "/observed/tiny_paths.csv");
  Diagnostics d;
  const auto data = read_path_table(in, "tiny_paths.csv", {}, d);
  ASSERT_TRUE(data) << d.to_string();
  EXPECT_EQ(data->customers(), 5u);
  ASSERT_GE(data->conversion_touchpoint, 0);
  EXPECT_EQ(data->touchpoints[data->conversion_touchpoint], "conversion");
  ASSERT_EQ(data->paths.size(), 4u);  // A>B converted, A>B null, A null, B converted
  EXPECT_EQ(data->paths[0].touchpoints.size(), 3u);
  EXPECT_EQ(data->paths[0].conversion_step, 2);
  EXPECT_EQ(data->paths[0].count, 2u);
  EXPECT_EQ(data->paths[0].value, 20.0);
  EXPECT_EQ(data->paths[1].count, 1u);
  EXPECT_EQ(data->paths[1].conversion_step, -1);
}

TEST(PathTable, BadCountsAndEmptyChannelsAreErrorsAtTheirCells) {
  std::istringstream in(
      "path,total_conversions,total_null\n"
      "A > B,2.5,1\n"
      "A >  > B,1,0\n"
      "B,-1,0\n");
  Diagnostics d;
  EXPECT_FALSE(read_path_table(in, "p.csv", {}, d));
  const std::string text = d.to_string();
  EXPECT_NE(text.find("p.csv:2:2: error: total_conversions '2.5' is not a whole number"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("p.csv:3:1: error: the path 'A >  > B' has an empty channel name"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("p.csv:4:2: error: total_conversions '-1'"), std::string::npos) << text;
}

std::string path_table_errors(const std::string& text, const PathTableColumns& columns = {}) {
  std::istringstream in(text);
  Diagnostics d;
  EXPECT_FALSE(read_path_table(in, "p.csv", columns, d)) << text;
  return d.to_string();
}

// The same rules as event logs: every reader of CSV holds its rows to the header.
TEST(PathTable, ExtraFieldsColumnsNamedTwiceAndMissingNamedColumnsAreErrors) {
  std::string text = path_table_errors("path,total_conversions\nA > B,2,1\n");
  EXPECT_NE(text.find("p.csv:2:3: error: 3 fields where the header has 2"), std::string::npos)
      << text;
  text = path_table_errors("path,total_conversions,Path\nA > B,2,B\n");
  EXPECT_NE(text.find("p.csv:1:3: error: the column 'Path' appears twice"), std::string::npos)
      << text;
  PathTableColumns columns;
  columns.nulls = "total_nul";
  columns.given = {"--null-column"};
  text = path_table_errors("path,total_conversions,total_null\nA > B,2,1\n", columns);
  EXPECT_NE(text.find("p.csv:1: error: the header has no 'total_nul' column (named with "
                      "--null-column); did you mean 'total_null'?"),
            std::string::npos)
      << text;
}

// Hostile inputs kept in the fuzz corpus (so that the fuzzers start from them) are refused,
// each at its line and field.
TEST(ObservedReader, HostileInputsOfTheFuzzCorpusAreRefusedAtTheirLineAndField) {
  const std::pair<const char*, const char*> cases[] = {
      {"events_unquoted_delimiter.csv", ":2:5: error: 5 fields where the header has 4"},
      {"events_column_named_twice.csv", ":1:4: error: the column 'Touchpoint' appears twice"},
      {"events_impossible_dates.csv", ":3:2: error: timestamp '2024-02-30T10:00:00Z'"},
      {"events_impossible_dates.csv", ":4:2: error: timestamp '2024-03-01T24:00:00Z'"},
      {"events_impossible_dates.csv", ":5:2: error: timestamp '2024-03-01T12:00:60Z'"},
      {"paths_extra_field.csv", ":2:4: error: 4 fields where the header has 3"},
      {"paths_column_named_twice.csv", ":1:3: error: the column 'PATH' appears twice"},
  };
  for (const auto& [name, message] : cases) {
    Diagnostics d;
    const std::string path = std::string(CJSIM_TEST_DATA "/fuzz_regressions/") + name;
    EXPECT_FALSE(read_observed_file(path, {}, d)) << name;
    EXPECT_NE(d.to_string().find(path + message), std::string::npos) << d.to_string();
  }
}

// An option that does not apply to the data's format was ignored.
TEST(ObservedReader, AnOptionForAnotherFormatIsAnError) {
  ObservedReadOptions options;
  options.events.given = {"--channel-column"};
  Diagnostics d;
  EXPECT_FALSE(read_observed_file(CJSIM_TEST_DATA "/observed/tiny_paths.csv", options, d));
  EXPECT_NE(d.to_string().find("--channel-column applies to event logs, and the data are read as "
                               "a path table"),
            std::string::npos)
      << d.to_string();
  options = {};
  options.paths.given = {"--null-column"};
  EXPECT_FALSE(read_observed_file(CJSIM_TEST_DATA "/observed/tiny_events.csv", options, d));
  EXPECT_NE(d.to_string().find("--null-column applies to path tables"), std::string::npos)
      << d.to_string();
  options = {};
  options.events.given = {"--customer-column"};
  EXPECT_FALSE(read_observed_file(CJSIM_TEST_DATA "/observed/running-example.xes", options, d));
  EXPECT_NE(d.to_string().find("--customer-column does not apply to XES"), std::string::npos)
      << d.to_string();
}

TEST(ObservedReader, TellsPathTablesFromEventLogsByTheirHeader) {
  Diagnostics d;
  const auto paths = read_observed_file(CJSIM_TEST_DATA "/observed/tiny_paths.csv", {}, d);
  ASSERT_TRUE(paths) << d.to_string();
  EXPECT_GE(paths->conversion_touchpoint, 0);
  const auto events = read_observed_file(CJSIM_TEST_DATA "/observed/tiny_events.csv", {}, d);
  ASSERT_TRUE(events) << d.to_string();
  EXPECT_LT(events->conversion_touchpoint, 0);
  EXPECT_FALSE(read_observed_file(CJSIM_TEST_DATA "/observed/missing.csv", {}, d));
  EXPECT_NE(d.to_string().find("cannot open"), std::string::npos);
}

TEST(ObservedReader, ReadsRealPathDataAndEventLogs) {
  Diagnostics d;
  const auto paths = read_observed_file(CJSIM_TEST_DATA "/observed/pathdata_head.csv", {}, d);
  ASSERT_TRUE(paths) << d.to_string();
  EXPECT_EQ(paths->touchpoints.size(), 11u);  // the 10 channels of these paths and the conversion
  ObservedReadOptions options;
  options.events.customer = "customer_id";
  options.events.timestamp = "time";
  options.events.touchpoint = "channel";
  options.events.value = "conversion_value";
  options.events.converted = "conversion";
  const auto events = read_observed_file(CJSIM_TEST_DATA "/observed/si05_head.csv", options, d);
  ASSERT_TRUE(events) << d.to_string();
  EXPECT_EQ(events->paths.size(), 300u);
  EXPECT_EQ(events->touchpoints.size(), 5u);
}

}  // namespace
}  // namespace cjsim

namespace cjsim {
namespace {

TEST(XesReader, TracesAreCustomersAndEventsVisitsInTimeOrder) {
  for (const char* name : {"running-example.xes", "running-example.xes.gz"}) {
    ObservedReadOptions options;
    options.events.conversion_touchpoints = {"pay compensation"};
    Diagnostics d;
    const auto data =
        read_observed_file(std::string(CJSIM_TEST_DATA "/observed/") + name, options, d);
    ASSERT_TRUE(data) << d.to_string();
    EXPECT_EQ(data->paths.size(), 6u) << name;
    EXPECT_EQ(data->touchpoints.size(), 8u) << name;
    std::size_t converted = 0;
    for (const ObservedPath& p : data->paths) {
      EXPECT_EQ(data->touchpoints[p.touchpoints.front()], "register request");
      ASSERT_EQ(p.hours.size(), p.touchpoints.size());
      EXPECT_TRUE(std::is_sorted(p.hours.begin(), p.hours.end()));
      if (p.conversion_step >= 0) {
        ++converted;
        EXPECT_EQ(data->touchpoints[p.touchpoints[p.conversion_step]], "pay compensation");
      }
    }
    EXPECT_EQ(converted, 3u) << name;
  }
}

std::string write_temporary(const std::string& name, const std::string& text) {
  const std::string path = cjsim::testing::scratch_directory() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// Found by a tester: upper-case names were read as CSV.
TEST(XesReader, FileNamesEndingInXesOrXesGzInAnyCaseAreXes) {
  std::ifstream in(CJSIM_TEST_DATA "/observed/running-example.xes.gz", std::ios::binary);
  const std::string gzipped((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ifstream plain_in(CJSIM_TEST_DATA "/observed/running-example.xes", std::ios::binary);
  const std::string plain((std::istreambuf_iterator<char>(plain_in)),
                          std::istreambuf_iterator<char>());
  for (const auto& [name, text] :
       {std::pair{"RUNNING.XES.GZ", &gzipped}, std::pair{"Running.Xes.Gz", &gzipped},
        std::pair{"RUNNING.XES", &plain}}) {
    Diagnostics d;
    const auto data = read_observed_file(write_temporary(name, *text), {}, d);
    ASSERT_TRUE(data) << name << ": " << d.to_string();
    EXPECT_EQ(data->paths.size(), 6u) << name;
  }
}

// Two traces named `first` and `second` (no name when empty): ad then checkout, and search
// in between, by time.
std::string two_traces(std::string_view first, std::string_view second) {
  auto name = [](std::string_view n) {
    return n.empty() ? std::string()
                     : "<string key=\"concept:name\" value=\"" + std::string(n) + "\"/>";
  };
  auto event = [](const char* touchpoint, const char* hour) {
    return fmt::format(
        "<event><string key=\"concept:name\" value=\"{}\"/><date "
        "key=\"time:timestamp\" value=\"2024-03-01T{}:00:00Z\"/></event>\n",
        touchpoint, hour);
  };
  return "<log>\n<trace>" + name(first) + "\n" + event("ad", "10") + event("checkout", "12") +
         "</trace>\n<trace>" + name(second) + "\n" + event("search", "11") + "</trace>\n</log>\n";
}

// Found by a tester: two traces of the same name were merged by time into one customer who
// went ad > search > checkout, a transition nobody made.
TEST(XesReader, TracesSharingANameAreAnErrorNotOneMergedJourney) {
  ObservedReadOptions options;
  options.events.conversion_touchpoints = {"checkout"};
  Diagnostics d;
  EXPECT_FALSE(read_observed_file(write_temporary("same.xes", two_traces("c1", "c1")), options, d));
  EXPECT_NE(d.to_string().find("same.xes:6: error: trace 'c1' has the concept:name of the trace "
                               "on line 2"),
            std::string::npos)
      << d.to_string();
  Diagnostics fine;
  const auto data =
      read_observed_file(write_temporary("apart.xes", two_traces("c1", "c2")), options, fine);
  ASSERT_TRUE(data) << fine.to_string();
  EXPECT_EQ(data->paths.size(), 2u);
  // A trace without a name never shares one, even with a trace called like its stand-in.
  Diagnostics unnamed;
  const std::string nameless = two_traces("trace 2", "");
  const auto both = read_observed_file(write_temporary("unnamed.xes", nameless), options, unnamed);
  ASSERT_TRUE(both) << unnamed.to_string();
  EXPECT_EQ(both->paths.size(), 2u);
}

TEST(XesReader, NamedAttributesAndConversionTouchpointsMustBeInTheLog) {
  ObservedReadOptions options;
  options.events.conversion_touchpoints = {"chekout"};
  options.events.channel = "chanel";
  options.events.given = {"--channel-column", "--conversion-touchpoint"};
  Diagnostics d;
  EXPECT_FALSE(
      read_observed_file(write_temporary("named.xes", two_traces("c1", "c2")), options, d));
  EXPECT_NE(d.to_string().find("no trace or event has the attribute 'chanel' (named with "
                               "--channel-column)"),
            std::string::npos)
      << d.to_string();
  EXPECT_NE(d.to_string().find("--conversion-touchpoint 'chekout' is no touchpoint of the data; "
                               "did you mean 'checkout'?"),
            std::string::npos)
      << d.to_string();
}

// One trace: 'review' scheduled, started and completed, then 'pay' with no lifecycle (atomic).
std::string lifecycle_trace() {
  auto event = [](const char* activity, const char* transition, int minute) {
    const std::string lifecycle =
        *transition ? fmt::format("<string key=\"lifecycle:transition\" value=\"{}\"/>", transition)
                    : std::string();
    return fmt::format(
        "<event><string key=\"concept:name\" value=\"{}\"/>{}<date key=\"time:timestamp\" "
        "value=\"2024-03-01T10:{:02}:00Z\"/></event>\n",
        activity, lifecycle, minute);
  };
  return "<log>\n<trace><string key=\"concept:name\" value=\"c1\"/>\n" +
         event("review", "schedule", 0) + event("review", "start", 5) +
         event("review", "complete", 30) + event("pay", "", 40) + "</trace>\n</log>\n";
}

std::string path_names(const ObservedJourneys& data, std::size_t k) {
  std::string s;
  for (std::uint32_t t : data.paths[k].touchpoints) s += data.touchpoints[t] + " ";
  return s;
}

// Found by a modeller: BPIC 2012's schedule, start and complete events became self-loops
// (an activity visited three times in a row).
TEST(XesReader, LifecycleFilterKeepsOneVisitPerActivity) {
  const std::string path = write_temporary("lifecycle.xes", lifecycle_trace());
  Diagnostics all;
  const auto every = read_observed_file(path, {}, all);
  ASSERT_TRUE(every) << all.to_string();
  EXPECT_EQ(path_names(*every, 0), "review review review pay ");
  EXPECT_NE(all.to_string().find("warning: the events have 3 lifecycle transitions (complete, "
                                 "schedule, start): each event is a visit"),
            std::string::npos)
      << all.to_string();
  ObservedReadOptions options;
  options.events.lifecycles = {"COMPLETE"};
  options.events.given = {"--lifecycle"};
  Diagnostics d;
  const auto completed = read_observed_file(path, options, d);
  ASSERT_TRUE(completed) << d.to_string();
  EXPECT_EQ(d.to_string().find("warning"), std::string::npos) << d.to_string();
  // 'pay' has no transition: atomic, so complete.
  EXPECT_EQ(path_names(*completed, 0), "review pay ");
  EXPECT_EQ(completed->paths[0].hours, (std::vector<double>{0.0, 10.0 / 60.0}));
  options.events.lifecycles = {"compelte"};
  Diagnostics wrong;
  EXPECT_FALSE(read_observed_file(path, options, wrong));
  EXPECT_NE(wrong.to_string().find("--lifecycle 'compelte' is no lifecycle transition of the "
                                   "data; did you mean 'complete'?"),
            std::string::npos)
      << wrong.to_string();
}

TEST(XesReader, ClassifierNamesTouchpointsBySeveralAttributes) {
  ObservedReadOptions options;
  options.events.classifier = classifier_keys("concept:name+lifecycle:transition");
  options.events.given = {"--classifier"};
  Diagnostics d;
  const auto data =
      read_observed_file(write_temporary("classified.xes", lifecycle_trace()), options, d);
  ASSERT_TRUE(data) << d.to_string();
  EXPECT_EQ(path_names(*data, 0), "review+schedule review+start review+complete pay+ ");
  options.events.classifier = {"concept:name", "org:resource"};
  Diagnostics missing;
  EXPECT_FALSE(
      read_observed_file(write_temporary("classified.xes", lifecycle_trace()), options, missing));
  EXPECT_NE(missing.to_string().find("no trace or event has the attribute 'org:resource' (named "
                                     "with --classifier)"),
            std::string::npos)
      << missing.to_string();
  EXPECT_THROW(classifier_keys("concept:name+"), std::invalid_argument);
}

// pm4py writes event logs with the XES keys as CSV headers; a lifecycle column filters them
// like XES, and a classifier names touchpoints by several columns.
TEST(EventLog, Pm4pyHeadersLifecycleAndClassifierAreRead) {
  const std::string text =
      "case:concept:name,concept:name,time:timestamp,lifecycle:transition\n"
      "c1,review,2024-03-01T10:00:00Z,start\n"
      "c1,review,2024-03-01T10:30:00Z,complete\n"
      "c1,pay,2024-03-01T11:00:00Z,complete\n"
      "c2,review,2024-03-01T09:00:00Z,complete\n";
  const std::string path = write_temporary("pm4py.csv", text);
  Diagnostics d;
  const auto every = read_observed_file(path, {}, d);
  ASSERT_TRUE(every) << d.to_string();
  EXPECT_EQ(path_names(*every, 0), "review review pay ");
  ObservedReadOptions options;
  options.events.lifecycles = {"complete"};
  options.events.given = {"--lifecycle"};
  Diagnostics filtered;
  const auto completed = read_observed_file(path, options, filtered);
  ASSERT_TRUE(completed) << filtered.to_string();
  EXPECT_EQ(path_names(*completed, 0), "review pay ");
  EXPECT_EQ(completed->paths[0].hours, (std::vector<double>{0.0, 0.5}));
  ObservedReadOptions classified;
  classified.events.classifier = {"concept:name", "lifecycle:transition"};
  classified.events.given = {"--classifier"};
  Diagnostics named;
  const auto pairs = read_observed_file(path, classified, named);
  ASSERT_TRUE(pairs) << named.to_string();
  EXPECT_EQ(path_names(*pairs, 0), "review+start review+complete pay+complete ");
  // A lifecycle filter on a log without the column says so.
  Diagnostics none;
  EXPECT_FALSE(read_observed_file(
      write_temporary("plain.csv", "customer,timestamp,touchpoint\nc1,1,ad\n"), options, none));
  EXPECT_NE(none.to_string().find("the header has no 'lifecycle:transition' column"),
            std::string::npos)
      << none.to_string();
}

// BPIC 2012 mixes the application's states (A_), its offers (O_) and the staff's work items
// (W_): a customer's journey keeps some of them, by shell patterns, after the classifier.
TEST(EventLog, ActivityFiltersKeepAndLeaveOutTouchpointsByPattern) {
  const std::string text =
      "case:concept:name,concept:name,time:timestamp\n"
      "c1,A_SUBMITTED,2024-03-01T10:00:00Z\n"
      "c1,W_Calling,2024-03-01T10:10:00Z\n"
      "c1,O_SENT,2024-03-01T10:20:00Z\n"
      "c1,A_APPROVED,2024-03-01T10:30:00Z\n"
      "c2,W_Calling,2024-03-01T09:00:00Z\n";
  const std::string path = write_temporary("activities.csv", text);
  ObservedReadOptions options;
  options.events.activities = {"A_*", "O_*"};
  options.events.given = {"--activity"};
  Diagnostics d;
  const auto kept = read_observed_file(path, options, d);
  ASSERT_TRUE(kept) << d.to_string();
  // c2 had only a work item: no visit kept, no journey.
  ASSERT_EQ(kept->paths.size(), 1u);
  EXPECT_EQ(path_names(*kept, 0), "A_SUBMITTED O_SENT A_APPROVED ");
  EXPECT_EQ(kept->paths[0].hours, (std::vector<double>{0.0, 20.0 / 60.0, 0.5}));
  // Leaving out: everything but the patterns; both together: listed and not left out.
  options.events.activities = {};
  options.events.excluded_activities = {"W_*"};
  options.events.given = {"--exclude-activity"};
  Diagnostics left;
  const auto without = read_observed_file(path, options, left);
  ASSERT_TRUE(without) << left.to_string();
  EXPECT_EQ(path_names(*without, 0), "A_SUBMITTED O_SENT A_APPROVED ");
  options.events.activities = {"A_*"};
  options.events.excluded_activities = {"A_APPROVED"};
  options.events.given = {"--activity", "--exclude-activity"};
  Diagnostics both;
  const auto applications = read_observed_file(path, options, both);
  ASSERT_TRUE(applications) << both.to_string();
  EXPECT_EQ(path_names(*applications, 0), "A_SUBMITTED ");
  // A pattern that matches nothing is misspelt: an error with a suggestion.
  options.events.activities = {"A_SUBMITED"};
  options.events.excluded_activities = {"X_*"};
  Diagnostics wrong;
  EXPECT_FALSE(read_observed_file(path, options, wrong));
  EXPECT_NE(wrong.to_string().find("--activity 'A_SUBMITED' matches no touchpoint (activity) of "
                                   "the data; did you mean 'A_SUBMITTED'?"),
            std::string::npos)
      << wrong.to_string();
  EXPECT_NE(wrong.to_string().find("--exclude-activity 'X_*' matches no touchpoint"),
            std::string::npos)
      << wrong.to_string();
  // A conversion touchpoint filtered out would convert no one.
  options.events.activities = {"A_SUBMITTED", "O_*"};
  options.events.excluded_activities = {};
  options.events.conversion_touchpoints = {"A_APPROVED"};
  options.events.given = {"--activity", "--conversion-touchpoint"};
  Diagnostics lost;
  EXPECT_FALSE(read_observed_file(path, options, lost));
  EXPECT_NE(lost.to_string().find("--conversion-touchpoint 'A_APPROVED' is left out by --activity "
                                  "or --exclude-activity"),
            std::string::npos)
      << lost.to_string();
}

TEST(XesReader, ActivityFiltersApplyAfterTheClassifier) {
  ObservedReadOptions options;
  options.events.classifier = classifier_keys("concept:name+lifecycle:transition");
  options.events.excluded_activities = {"*+schedule", "*+start"};
  options.events.given = {"--classifier", "--exclude-activity"};
  Diagnostics d;
  const auto data =
      read_observed_file(write_temporary("filtered.xes", lifecycle_trace()), options, d);
  ASSERT_TRUE(data) << d.to_string();
  EXPECT_EQ(path_names(*data, 0), "review+complete pay+ ");
  // On a path table the option has nothing to filter: refused, not ignored.
  ObservedReadOptions paths;
  paths.events.activities = {"a*"};
  paths.events.given = {"--activity"};
  Diagnostics refused;
  EXPECT_FALSE(read_observed_file(
      write_temporary("paths.csv", "path,total_conversions,total_null\na > b,1,2\n"), paths,
      refused));
  EXPECT_NE(refused.to_string().find("--activity applies to event logs"), std::string::npos)
      << refused.to_string();
}

// Found by a tester: a 50 MB attribute took 41 s and 2.1 GB, as expat parsed the growing
// value again for every buffer. Values are bounded like CSV fields, and refused at once.
TEST(XesReader, AnAttributeValueOverAMebibyteIsRefusedWithoutReadingItAll) {
  for (const std::size_t bytes : {(std::size_t{1} << 20) + 1, std::size_t{16} << 20}) {
    std::string text = two_traces("c1", "c2");
    const std::size_t at = text.find("value=\"ad\"") + 7;
    text.insert(at, std::string(bytes, 'a'));
    const auto start = std::chrono::steady_clock::now();
    Diagnostics d;
    EXPECT_FALSE(read_observed_file(write_temporary("long.xes", text), {}, d));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_NE(d.to_string().find(bytes < (std::size_t{2} << 20)
                                     ? "the value of attribute 'concept:name' is longer than "
                                       "1048576 bytes"
                                     : "runs on for more than 2097152 bytes"),
              std::string::npos)
        << d.to_string();
    EXPECT_LT(seconds, 5.0) << bytes;
  }
}

TEST(XesReader, MalformedXmlIsReportedAtItsLine) {
  const std::string path = cjsim::testing::scratch_directory() + "/broken.xes";
  {
    std::ofstream out(path);
    out << "<log>\n<trace>\n<event>\n<string key=\"concept:name\" value=\"a\">\n</event>\n</log>\n";
  }
  Diagnostics d;
  EXPECT_FALSE(read_observed_file(path, {}, d));
  EXPECT_NE(d.to_string().find("broken.xes:5:"), std::string::npos) << d.to_string();
  EXPECT_NE(d.to_string().find("not well-formed XML"), std::string::npos) << d.to_string();
}

}  // namespace
}  // namespace cjsim
