// What the result-file fuzz target does with its bytes, one function, which
// tests/hostile_input_test.cc calls again on every input the fuzzer once crashed on: the bytes
// become a file that every reader of result files opens (`cjsim report` in each format, `cjsim
// sweep --summary`, the check a resumed sweep makes of a finished file, a sweep's part). Each
// may refuse the file with an exception, never crash, hang or leak.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>

#include "reports/html/html_report.h"
#include "reports/render/compare_report.h"
#include "reports/render/json_report.h"
#include "reports/render/sweep_report.h"
#include "reports/store/hdf5_results.h"
#include "reports/store/hdf5_sweep.h"
#include "reports/store/results_reader.h"
#include "sim/sweep/sweep.h"

namespace cjsim::fuzz {

// A file holding `bytes`, removed when it goes out of scope.
class BytesFile {
 public:
  explicit BytesFile(std::string_view bytes) {
    char pattern[] = "/tmp/cjsim-fuzz-result-XXXXXX";
    const int fd = ::mkstemp(pattern);
    if (fd < 0) throw std::runtime_error("cannot create a temporary file");
    path_ = pattern;
    std::size_t written = 0;
    while (written < bytes.size()) {
      const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
      if (n <= 0) break;
      written += static_cast<std::size_t>(n);
    }
    ::close(fd);
  }
  ~BytesFile() { std::remove(path_.c_str()); }
  BytesFile(const BytesFile&) = delete;
  BytesFile& operator=(const BytesFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// `cjsim report FILE` in every format, as a run or comparison.
inline void report_results(const std::string& path) {
  const ReportedResults results = read_results_file(path);
  (void)markdown_report(results.report);
  (void)csv_report(results.report);
  (void)html_report(results.report);
  if (results.comparison) {
    (void)comparison_json(results.report).dump();
  } else {
    (void)summary_json(results.report.summaries.front(), results.report.seconds).dump();
  }
}

// `cjsim report FILE` and `cjsim sweep --summary FILE`, as a sweep.
inline void report_sweep(const std::string& path) {
  if (!is_sweep_file(path)) return;
  const StoredSweep sweep = read_sweep_file(path);
  for (std::string_view metric : {std::string_view(sweep.metric), std::string_view("nps")}) {
    if (find_headline_figure(metric) == nullptr) continue;
    (void)sweep_summary_text(sweep, metric, 20);
    (void)sweep_table_markdown(sweep, metric);
    (void)sweep_table_csv(sweep, metric);
    (void)html_sweep_report(sweep, metric);
  }
}

inline void result_file_input(std::string_view bytes) {
  const BytesFile file(bytes);
  const std::string& path = file.path();
  for (void (*reader)(const std::string&) :
       {report_results, report_sweep,
        +[](const std::string& p) { (void)verify_sweep_file(p); },
        +[](const std::string& p) { (void)read_sweep_part(p); },
        +[](const std::string& p) { (void)read_run_file(p); }}) {
    try {
      reader(path);
    } catch (const std::runtime_error&) {
      // A refusal, with its message: what a damaged file should get.
    }
  }
}

}  // namespace cjsim::fuzz
