// Result files back into reports: the runs through read_run_file and summarize, the table of
// differences of a comparison column by column.
#include "reports/store/results_reader.h"

#include <H5Cpp.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <type_traits>

#include "reports/store/hdf5_checksum.h"
#include "reports/store/hdf5_io.h"
#include "reports/store/hdf5_table.h"
#include "scenarios/validate.h"
#include "sim/engine/statistics.h"

namespace cjsim {
namespace {

namespace fs = std::filesystem;

// A temporary directory removed when it goes out of scope.
class TemporaryDirectory {
 public:
  TemporaryDirectory() {
    std::string pattern = (fs::temp_directory_path() / "cjsim-report-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      throw std::runtime_error("cannot create a temporary directory to rebuild the journey");
    }
    path_ = pattern;
  }
  ~TemporaryDirectory() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TemporaryDirectory(const TemporaryDirectory&) = delete;
  TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

int leading_parents(const fs::path& p) {
  int count = 0;
  for (const fs::path& part : p) {
    if (part != "..") break;
    ++count;
  }
  return count;
}

// Where a stored file goes under `root`: the paths keep their relative places, so that a
// future state's `base:` resolves to the stored text of its base.
fs::path place_of(const fs::path& root, const std::string& stored) {
  const fs::path p = fs::path(stored).lexically_normal();
  return p.is_absolute() ? root / p.relative_path() : root / p;
}

void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::vector<std::string> text_column(const H5::DataSet& dataset, const std::string& name) {
  return hdf5::read_text_column(dataset, name);
}

template <class T>
std::vector<T> number_column(const H5::DataSet& dataset, const std::string& name) {
  if constexpr (std::is_same_v<T, double>) {
    return hdf5::read_f64_column(dataset, name);
  } else {
    return hdf5::read_u64_column(dataset, name);
  }
}

}  // namespace

Scenario scenario_of(const RunMetadata& m) {
  TemporaryDirectory directory;
  std::vector<std::string> paths = {m.scenario_path};
  for (const auto& [path, text] : m.base_files) paths.push_back(path);
  int depth = 0;
  for (const std::string& p : paths)
    depth = std::max(depth, leading_parents(fs::path(p).lexically_normal()));
  fs::path root = directory.path();
  for (int k = 0; k < depth; ++k) root /= "d";
  const fs::path scenario_file =
      place_of(root, m.scenario_path.empty() ? "scenario.yaml" : m.scenario_path);
  write_text(scenario_file, m.scenario_text);
  for (const auto& [path, text] : m.base_files) write_text(place_of(root, path), text);

  Diagnostics diagnostics;
  const std::optional<Scenario> scenario = load_valid_scenario(scenario_file.string(), diagnostics);
  if (!scenario) {
    std::string first;
    for (const Diagnostic& d : diagnostics.all()) {
      if (d.severity == Severity::error) {
        first = d.message;
        break;
      }
    }
    throw std::runtime_error(
        fmt::format("the scenario stored for {} no longer reads as a valid journey: {}",
                    m.scenario_path, first));
  }
  return *scenario;
}

CompiledJourney journey_of(const RunMetadata& m) { return compile(scenario_of(m)); }

std::vector<Difference> read_differences(const std::string& path, const std::string& name) {
  H5::Exception::dontPrint();
  try {
    const H5::H5File file(path, H5F_ACC_RDONLY);
    const H5::Group root = file.openGroup("/");
    if (name == "rivals" && !root.nameExists(name)) return {};
    const H5::DataSet table = hdf5::open_dataset(root, name);
    const std::vector<std::string> metric = text_column(table, "metric");
    const std::vector<std::string> scope = text_column(table, "scope");
    const auto index = number_column<std::uint64_t>(table, "scenario_index");
    const auto current = number_column<double>(table, "current");
    const auto future = number_column<double>(table, "future");
    const auto difference = number_column<double>(table, "difference");
    const auto low = number_column<double>(table, "ci_low");
    const auto high = number_column<double>(table, "ci_high");
    const auto significant = number_column<std::uint64_t>(table, "significant");
    const auto paired = number_column<double>(table, "paired_half_width");
    const auto independent = number_column<double>(table, "independent_half_width");
    const auto versus = name == "rivals" ? number_column<std::uint64_t>(table, "versus_index")
                                         : std::vector<std::uint64_t>(metric.size(), 0);
    std::vector<Difference> out(metric.size());
    for (std::size_t r = 0; r < out.size(); ++r) {
      Difference& d = out[r];
      d.metric = metric[r];
      d.scope = scope[r];
      d.scenario = index[r];
      d.current = {current[r], kNaN, kNaN};
      d.future = {future[r], kNaN, kNaN};
      d.difference = {difference[r], low[r], high[r]};
      d.significant = significant[r] != 0;
      d.paired_half_width = paired[r];
      d.independent_half_width = independent[r];
      d.versus = versus[r];
    }
    return out;
  } catch (const H5::Exception& e) {
    throw std::runtime_error(
        fmt::format("{}: cannot read the {} table: {}", path, name, e.getDetailMsg()));
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("{}: {}", path, e.what()));
  }
}

ComparisonReport single_run_report(const Summary& summary, const RunMetadata& metadata) {
  ComparisonReport report;
  report.labels = {summary.scenario};
  report.metadata = {metadata};
  report.summaries = {summary};
  report.method = summary.interval_method;
  report.seconds = metadata.seconds;
  return report;
}

namespace {

// Version 1 comparison files have no checksums; they are read with a warning.
constexpr std::uint64_t kComparisonVersion = 2;

std::string unchecked_warning(const std::string& path) {
  return fmt::format(
      "{} was written by an older cjsim, without checksums: damage to it would go unnoticed "
      "(run the scenarios again to make a checked file)",
      path);
}

// What the root of a result file says: its format and, for a comparison, the groups of its
// runs and their labels. Throws std::runtime_error (or H5::Exception) saying what is wrong.
struct ResultRoot {
  std::string format;
  bool checksummed = true;
  std::vector<std::string> groups;
  std::vector<std::string> labels;
};

ResultRoot read_root(const std::string& path, ComparisonReport& report) {
  ResultRoot out;
  if (!fs::exists(path)) throw std::runtime_error("no such file");
  const bool whole_file_checked = hdf5::check_file_bytes(path);
  if (!H5::H5File::isHdf5(path)) throw std::runtime_error("not an HDF5 file");
  const H5::H5File file(path, H5F_ACC_RDONLY);
  const H5::Group root = file.openGroup("/");
  if (!root.attrExists("format")) {
    throw std::runtime_error(
        "not a result file of cjsim run, compare or sweep (it has no format attribute)");
  }
  out.format = hdf5::read_text_attribute(root, "format");
  if (out.format != "cjsim-comparison") return out;
  const std::uint64_t version = hdf5::read_u64_attribute(root, "format_version");
  if (version > kComparisonVersion) {
    throw std::runtime_error(fmt::format(
        "format version {} is newer than this cjsim reads ({}); update cjsim", version,
        kComparisonVersion));
  }
  out.checksummed = hdf5::verify_checksum(root);
  if (!out.checksummed && version >= kComparisonVersion) {
    throw std::runtime_error("the file is damaged: the checksum of / is missing");
  }
  if (out.checksummed && !whole_file_checked) throw hdf5::missing_file_checksum();
  report.method = hdf5::read_text_attribute(root, "method");
  report.rank_by = hdf5::read_text_attribute(root, "rank_by");
  for (int k = 0;; ++k) {
    const std::string name = k == 0 ? "current" : fmt::format("future_{}", k);
    if (!hdf5::has_link(root, name)) break;
    out.groups.push_back("/" + name);
    out.labels.push_back(hdf5::read_text_attribute(hdf5::open_group(root, name), "label"));
  }
  return out;
}

// The stored aggregates must be of the journey stored with them: summarize() indexes them by
// the journey's personas, touchpoints, stages and transitions.
void check_aggregates_fit(const std::string& path, const CompiledJourney& journey,
                          const std::vector<Aggregate>& replications) {
  const Aggregate expected = Aggregate::for_journey(journey);
  const TouchpointTallies& tally = expected.persona_tallies.front();
  for (const Aggregate& a : replications) {
    bool fits = a.personas.size() == expected.personas.size() &&
                a.persona_tallies.size() == expected.persona_tallies.size() &&
                a.transitions.size() == expected.transitions.size();
    for (const TouchpointTallies& t : a.persona_tallies) {
      fits =
          fits && t.visits.size() == tally.visits.size() &&
          t.dropouts.size() == tally.visits.size() && t.completions.size() == tally.visits.size() &&
          t.conversions.size() == tally.visits.size() &&
          t.dropouts_after_converting.size() == tally.visits.size() &&
          t.emotion.size() == tally.visits.size() && t.emotion_sq.size() == tally.visits.size() &&
          t.stage_reach.size() == tally.stage_reach.size();
    }
    if (!fits) {
      throw std::runtime_error(fmt::format(
          "{}: the raw aggregates do not fit the journey stored with them ({} personas, {} "
          "touchpoints, {} stages, {} transitions)",
          path, journey.persona_count(), journey.touchpoint_count(), journey.stage_count(),
          journey.transition_count()));
    }
  }
}

// A stored run as the summary a report prints; `warnings` gets a line when it is unchecked.
Summary summary_of(const std::string& path, const StoredRun& run,
                   std::vector<std::string>& warnings) {
  if (!run.checksummed && warnings.empty()) warnings.push_back(unchecked_warning(path));
  const CompiledJourney journey = journey_of(run.metadata);
  check_aggregates_fit(path, journey, run.replications);
  // Results of a cjsim that did not split dropouts by whether the agent had converted: the
  // journey decides the split where only one of the two could happen.
  std::vector<Aggregate> replications = run.replications;
  for (Aggregate& a : replications) fill_split_from_journey(journey, a);
  return summarize(journey, replications);
}

}  // namespace

ReportedResults read_results_file(const std::string& path) {
  H5::Exception::dontPrint();
  ReportedResults out;
  ResultRoot root;
  try {
    root = read_root(path, out.report);
  } catch (const H5::Exception& e) {
    throw std::runtime_error(
        fmt::format("{}: not a readable cjsim result file ({})", path, e.getDetailMsg()));
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("{}: {}", path, e.what()));
  }
  if (root.format == "cjsim-calendar-comparison" ||
      (root.format == "cjsim-run" && has_calendar(path))) {
    out.calendar = read_calendar_file(path, out.warnings);
    out.comparison = root.format != "cjsim-run";
    out.calendar_draws = read_calendar_draws(path, *out.calendar, out.warnings);
    return out;
  }
  if (root.format == "cjsim-run") {
    const StoredRun run = read_run_file(path);
    out.report = single_run_report(summary_of(path, run, out.warnings), run.metadata);
    out.draws = read_draws(path);
    return out;
  }
  if (root.format == "cjsim-fit") {
    throw std::runtime_error(fmt::format(
        "{}: the goodness of fit that `cjsim fit --report-out` writes; cjsim report reads the "
        "results of cjsim run, compare and sweep",
        path));
  }
  if (root.format != "cjsim-comparison") {
    throw std::runtime_error(fmt::format(
        "{}: format '{}' is not one cjsim reports on (cjsim-run, cjsim-comparison, "
        "cjsim-calendar-comparison or cjsim-sweep)",
        path, root.format));
  }
  if (root.groups.size() < 2) throw std::runtime_error(path + ": the comparison holds no future state");
  if (!root.checksummed) out.warnings.push_back(unchecked_warning(path));
  out.comparison = true;
  out.report.labels = root.labels;
  for (const std::string& group : root.groups) {
    const StoredRun run = read_run_file(path, group);
    out.report.summaries.push_back(summary_of(path, run, out.warnings));
    out.report.metadata.push_back(run.metadata);
  }
  out.report.seconds = out.report.metadata.front().seconds;
  out.report.differences = read_differences(path, "differences");
  out.report.rivals = read_differences(path, "rivals");
  for (const Difference& d : out.report.differences) {
    if (d.scenario == 0 || d.scenario >= root.groups.size()) {
      throw std::runtime_error(fmt::format(
          "{}: differences: scenario_index {} names no future state", path, d.scenario));
    }
  }
  for (const Difference& d : out.report.rivals) {
    if (d.versus == 0 || d.versus >= d.scenario || d.scenario >= root.groups.size()) {
      throw std::runtime_error(fmt::format(
          "{}: rivals: future states {} and {} are not two of this comparison", path, d.versus,
          d.scenario));
    }
  }
  out.draws = read_draws(path);
  if (out.draws) {
    for (const DrawsDigest::FigureRange& f : out.draws->figures) {
      if (f.scenario >= root.groups.size()) {
        throw std::runtime_error(fmt::format(
            "{}: uncertainty/intervals: scenario_index {} names no scenario of this comparison",
            path, f.scenario));
      }
    }
  }
  return out;
}

}  // namespace cjsim
