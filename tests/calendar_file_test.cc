// Calendar runs and comparisons stored in HDF5 and read back (reports/store/calendar_file.h):
// every figure and difference recomputed from the stored tallies equals what was simulated, to
// the bit, and a file whose tallies do not fit its calendar is refused with what is wrong.
#include "reports/store/calendar_file.h"

#include <H5Cpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "reports/render/calendar_report.h"
#include "reports/store/hdf5_io.h"
#include "reports/store/results_reader.h"
#include "scenarios/loader.h"
#include "scenarios/validate.h"
#include "sim/engine/calendar_summary.h"
#include "tests/calendar_example_run.h"

namespace cjsim {
namespace {

namespace fs = std::filesystem;

using test::Simulated;

// Seed 11, no lives traced.
Simulated simulate(const std::string& file, std::int64_t days, std::uint32_t replications) {
  return test::simulate(file, days, replications, 0, 11);
}

using test::temporary;

TEST(CalendarFile, ARunReadsBackToTheSameFiguresToTheBit) {
  const Simulated s = simulate("bank_call_centre.yaml", 6, 3);  // hourly series too
  const std::string path = test::stored(s, "calendar-run");
  std::vector<std::string> warnings;
  const CalendarComparisonReport read = read_calendar_file(path, warnings);
  ASSERT_EQ(read.summaries.size(), 1u);
  EXPECT_TRUE(read.differences.empty());
  EXPECT_TRUE(warnings.empty());
  EXPECT_FALSE(read.summaries[0].hour_figures.empty());
  EXPECT_EQ(calendar_summary_json(read.summaries[0], 0.0).dump(),
            calendar_summary_json(s.summary, 0.0).dump());
  // Through the results reader every report uses.
  const ReportedResults results = read_results_file(path);
  ASSERT_TRUE(results.calendar.has_value());
  EXPECT_FALSE(results.comparison);
  EXPECT_EQ(calendar_summary_json(results.calendar->summaries[0], 0.0).dump(),
            calendar_summary_json(s.summary, 0.0).dump());
  // The plain run's layout is there for readers of run files: its aggregates are the same.
  const StoredRun plain = read_run_file(path);
  ASSERT_EQ(plain.replications.size(), 3u);
  EXPECT_EQ(plain.replications[1].overall().conversions,
            s.result.replications[1].aggregate.overall().conversions);
  fs::remove(path);
}

TEST(CalendarFile, AComparisonReadsBackWithTheSameDifferences) {
  const Simulated now = simulate("bank_call_centre.yaml", 9, 3);
  const Simulated peak = simulate("bank_call_centre_peak_staff.yaml", 9, 3);
  CalendarComparisonReport report;
  report.names = {"now", "peak"};
  report.metadata = {now.metadata, peak.metadata};
  report.summaries = {now.summary, peak.summary};
  report.differences = {calendar_differences(now.result, now.calendar, peak.result, peak.calendar)};
  report.replications = 3;
  const std::string path = temporary("calendar-comparison");
  {
    PendingFile file(path, Overwrite::replace);
    write_calendar_comparison_file(file, report, {now.data(), peak.data()});
    file.commit();
  }
  std::vector<std::string> warnings;
  const CalendarComparisonReport read = read_calendar_file(path, warnings);
  EXPECT_EQ(read.names, report.names);
  EXPECT_EQ(calendar_comparison_json(read).dump(), calendar_comparison_json(report).dump());
  EXPECT_TRUE(read_results_file(path).comparison);
  fs::remove(path);
}

TEST(CalendarFile, TalliesThatDoNotFitTheRunAreRefused) {
  const Simulated s = simulate("bank_call_centre.yaml", 4, 2);
  const std::string path = test::stored(s, "calendar-damaged");
  // Replace the per-day counts with a table of one day fewer, as a damaged or edited file might
  // hold; the whole-file checksum is left out of the question by rewriting it after.
  std::vector<std::string> warnings;
  {
    H5::H5File file(path, H5F_ACC_RDWR);
    H5::Group raw = file.openGroup("/calendar/raw");
    raw.unlink("day_counts");
    const std::vector<hsize_t> dims = {2, 2, 12};
    const std::vector<std::uint64_t> zeros(2 * 2 * 12, 0);
    hdf5::write_array<std::uint64_t>(raw, "day_counts", dims, zeros);
  }
  try {
    read_calendar_file(path, warnings);
    ADD_FAILURE() << "a damaged file was read";
  } catch (const std::runtime_error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(path), std::string::npos) << what;
    EXPECT_TRUE(what.find("damaged") != std::string::npos ||
                what.find("day_counts") != std::string::npos)
        << what;
  }
  fs::remove(path);
}

}  // namespace
}  // namespace cjsim
