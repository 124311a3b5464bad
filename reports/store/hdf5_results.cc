// Run results as HDF5: metadata attributes, the human tables of a Summary, the raw aggregates
// and the agent detail; the file is written under a temporary name and renamed into place.
#include "reports/store/hdf5_results.h"

#include <H5Cpp.h>
#include <nlohmann/json.hpp>

#include <array>
#include <filesystem>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "reports/store/hdf5_agents.h"
#include "reports/store/hdf5_checksum.h"
#include "reports/store/hdf5_io.h"
#include "reports/store/hdf5_raw.h"
#include "reports/store/hdf5_table.h"
#include "reports/store/output_file.h"

namespace cjsim {
namespace {

constexpr const char* kRunFormat = "cjsim-run";
// 2: touchpoint and stage tallies per persona ([R, P, n] instead of [R, n]).
// 3: checksums (the attributes' checksum, Fletcher32 on every dataset); version 2 files are
// still read, with a warning that damage to them would go unnoticed.
constexpr std::uint64_t kRunFormatVersion = 3;
constexpr std::uint64_t kOldestReadVersion = 2;

template <class T, class Row, class Get>
std::vector<T> column(std::span<const Row> rows, Get get) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (const Row& row : rows) out.push_back(static_cast<T>(get(row)));
  return out;
}

// Three columns: the figure, then <name>_ci_low and <name>_ci_high.
template <class Row, class Get>
void add_estimate(hdf5::CompoundTable& table, const std::string& name, std::span<const Row> rows,
                  Get get) {
  table.add_f64(name, column<double>(rows, [&](const Row& r) { return get(r).value; }));
  table.add_f64(name + "_ci_low", column<double>(rows, [&](const Row& r) { return get(r).low; }));
  table.add_f64(name + "_ci_high", column<double>(rows, [&](const Row& r) { return get(r).high; }));
}

// Every figure of the table (sim/engine/figures.h) that a Row holds: `held` is the Figure's
// member pointer into Row (Figure::stage_member, touchpoint_member or transition_member).
template <class Row>
void add_table_estimates(hdf5::CompoundTable& table, std::span<const Row> rows,
                         Estimate Row::*Figure::*held) {
  for (const Figure& f : kFigures) {
    Estimate Row::*const member = f.*held;
    if (member == nullptr) continue;
    add_estimate(table, f.name, rows, [&](const Row& r) -> const Estimate& { return r.*member; });
  }
}

template <class Row, class Get>
void add_headline_estimates(hdf5::CompoundTable& table, std::span<const Row> rows, Get figures) {
  for (const Figure& f : kHeadlineFigures) {
    add_estimate(table, f.name, rows,
                 [&](const Row& r) -> const Estimate& { return figures(r).*f.member; });
  }
}

void write_metadata(H5::Group& run, const RunMetadata& m, const std::string& scenario_name,
                    const std::string& interval_method) {
  hdf5::write_attribute(run, "format", kRunFormat);
  hdf5::write_attribute(run, "format_version", kRunFormatVersion);
  hdf5::write_attribute(run, "software_version", m.software_version);
  hdf5::write_attribute(run, "scenario_name", scenario_name);
  hdf5::write_attribute(run, "scenario_path", m.scenario_path);
  hdf5::write_attribute(run, "scenario_yaml", m.scenario_text);
  if (!m.base_files.empty()) {
    nlohmann::json bases = nlohmann::json::array();
    for (const auto& [path, text] : m.base_files) bases.push_back({{"path", path}, {"yaml", text}});
    hdf5::write_attribute(run, "scenario_bases", bases.dump());
  }
  hdf5::write_attribute(run, "command_line", m.command_line);
  hdf5::write_attribute(run, "created", m.created);
  hdf5::write_attribute(run, "seed", m.seed);
  hdf5::write_attribute(run, "agents", m.agents);
  hdf5::write_attribute(run, "replications", std::uint64_t{m.replications});
  hdf5::write_attribute(run, "threads", std::uint64_t{m.threads});
  hdf5::write_attribute(run, "seconds", m.seconds);
  hdf5::write_attribute(run, "interval_method", interval_method);
  hdf5::write_checksum(run);
}

void write_headline(H5::Group& run, const HeadlineFigures& h) {
  std::vector<std::string> metric;
  std::vector<double> value, low, high;
  for (const Figure& f : kHeadlineFigures) {
    metric.emplace_back(f.name);
    value.push_back((h.*f.member).value);
    low.push_back((h.*f.member).low);
    high.push_back((h.*f.member).high);
  }
  hdf5::CompoundTable table(metric.size());
  table.add_text("metric", metric);
  table.add_f64("value", value);
  table.add_f64("ci_low", low);
  table.add_f64("ci_high", high);
  table.write(run, "headline");
}

void write_counts(H5::Group& run, const HeadlineFigures& h) {
  std::vector<std::string> names = {"agents", "steps", "conversions", "promoters", "detractors"};
  std::vector<std::uint64_t> counts = {h.agents, h.steps, h.conversions, h.promoters, h.detractors};
  // The journeys that ended dropped, by whether the agent had converted.
  if (h.gave_up && h.left_after_converting) {
    names.insert(names.end(), {"gave_up", "left_after_converting"});
    counts.insert(counts.end(), {*h.gave_up, *h.left_after_converting});
  }
  hdf5::CompoundTable table(names.size());
  table.add_text("name", names);
  table.add_u64("count", counts);
  table.write(run, "counts");
}

void write_ended(H5::Group& run, const HeadlineFigures& h) {
  const std::vector<std::string> endings(kEndingNames.begin(), kEndingNames.end());
  hdf5::CompoundTable table(endings.size());
  table.add_text("ending", endings);
  table.add_u64("count", h.ended);
  table.write(run, "ended");
}

// Columns dropouts_before_converting and dropouts_after_converting, when every row knows them.
template <class Row>
void add_dropout_split(hdf5::CompoundTable& table, std::span<const Row> rows) {
  for (const Row& r : rows) {
    if (!r.dropouts_after_converting) return;
  }
  table.add_u64("dropouts_before_converting", column<std::uint64_t>(rows, [](const Row& r) {
                  return *r.dropouts_before_converting;
                }));
  table.add_u64("dropouts_after_converting", column<std::uint64_t>(rows, [](const Row& r) {
                  return *r.dropouts_after_converting;
                }));
}

// `personas`, when given, is a first column naming each row's persona.
void write_touchpoints(H5::Group& run, const std::string& name,
                       std::span<const TouchpointFigures> rows,
                       std::span<const std::string> personas = {}) {
  using Row = TouchpointFigures;
  hdf5::CompoundTable table(rows.size());
  if (!personas.empty()) table.add_text("persona", personas);
  table.add_text("id", column<std::string>(rows, [](const Row& r) { return r.id; }));
  table.add_text("name", column<std::string>(rows, [](const Row& r) { return r.name; }));
  table.add_text("stage", column<std::string>(rows, [](const Row& r) { return r.stage; }));
  table.add_text("channel", column<std::string>(rows, [](const Row& r) { return r.channel; }));
  table.add_u64("visits", column<std::uint64_t>(rows, [](const Row& r) { return r.visits; }));
  table.add_u64("dropouts", column<std::uint64_t>(rows, [](const Row& r) { return r.dropouts; }));
  add_dropout_split(table, rows);
  table.add_u64("completions",
                column<std::uint64_t>(rows, [](const Row& r) { return r.completions; }));
  table.add_u64("conversions",
                column<std::uint64_t>(rows, [](const Row& r) { return r.conversions; }));
  add_table_estimates(table, rows, &Figure::touchpoint_member);
  table.write(run, name);
}

void write_transitions(H5::Group& run, std::span<const TransitionFigures> rows) {
  using Row = TransitionFigures;
  hdf5::CompoundTable table(rows.size());
  table.add_text("from", column<std::string>(rows, [](const Row& r) { return r.from; }));
  table.add_text("to", column<std::string>(rows, [](const Row& r) { return r.to; }));
  table.add_u64("count", column<std::uint64_t>(rows, [](const Row& r) { return r.count; }));
  add_table_estimates(table, rows, &Figure::transition_member);
  table.write(run, "transitions");
}

void write_stages(H5::Group& run, const std::string& name, std::span<const StageFigures> rows,
                  std::span<const std::string> personas = {}) {
  using Row = StageFigures;
  hdf5::CompoundTable table(rows.size());
  if (!personas.empty()) table.add_text("persona", personas);
  table.add_text("stage", column<std::string>(rows, [](const Row& r) { return r.name; }));
  table.add_u64("reach", column<std::uint64_t>(rows, [](const Row& r) { return r.reach; }));
  table.add_u64("visits", column<std::uint64_t>(rows, [](const Row& r) { return r.visits; }));
  table.add_u64("dropouts", column<std::uint64_t>(rows, [](const Row& r) { return r.dropouts; }));
  add_dropout_split(table, rows);
  add_table_estimates(table, rows, &Figure::stage_member);
  table.write(run, name);
}

void write_personas(H5::Group& run, std::span<const PersonaFigures> rows) {
  using Row = PersonaFigures;
  hdf5::CompoundTable table(rows.size());
  table.add_text("id", column<std::string>(rows, [](const Row& r) { return r.id; }));
  table.add_f64("share", column<double>(rows, [](const Row& r) { return r.share; }));
  table.add_u64("agents",
                column<std::uint64_t>(rows, [](const Row& r) { return r.figures.agents; }));
  table.add_u64("conversions",
                column<std::uint64_t>(rows, [](const Row& r) { return r.figures.conversions; }));
  add_headline_estimates(table, rows,
                         [](const Row& r) -> const HeadlineFigures& { return r.figures; });
  table.write(run, "personas");

  // Every persona's stages and touchpoints, one after the other.
  std::vector<std::string> stage_persona, touchpoint_persona;
  std::vector<StageFigures> stages;
  std::vector<TouchpointFigures> touchpoints;
  for (const PersonaFigures& p : rows) {
    stages.insert(stages.end(), p.stages.begin(), p.stages.end());
    stage_persona.insert(stage_persona.end(), p.stages.size(), p.id);
    touchpoints.insert(touchpoints.end(), p.touchpoints.begin(), p.touchpoints.end());
    touchpoint_persona.insert(touchpoint_persona.end(), p.touchpoints.size(), p.id);
  }
  write_stages(run, "persona_stages", stages, stage_persona);
  write_touchpoints(run, "persona_touchpoints", touchpoints, touchpoint_persona);
}

void write_histograms(H5::Group& run, const Summary& s) {
  H5::Group histograms = run.createGroup("histograms");
  std::vector<double> low, high;
  for (int k = 0; k < kScoreBins; ++k) {
    const bool last = k == kScoreBins - 1;
    low.push_back(0.5 * k);
    high.push_back(last ? 0.5 * k : 0.5 * (k + 1));
  }
  hdf5::CompoundTable scores(kScoreBins);
  scores.add_f64("bin_low", low);
  scores.add_f64("bin_high", high);
  scores.add_u64("customers", s.score_customers);
  scores.add_u64("all_agents", s.score_all);
  scores.write(histograms, "likelihood_to_recommend");
  hdf5::write_attribute(histograms.openDataSet("likelihood_to_recommend"), "note",
                        "Bins are [bin_low, bin_high); the last bin holds scores of exactly 10.");

  std::vector<std::uint64_t> touchpoints;
  for (int k = 0; k < kPathLengthBins; ++k)
    touchpoints.push_back(static_cast<std::uint64_t>(k) + 1);
  hdf5::CompoundTable lengths(kPathLengthBins);
  lengths.add_u64("touchpoints", touchpoints);
  lengths.add_u64("agents", s.path_length);
  lengths.write(histograms, "path_length");
  hdf5::write_attribute(histograms.openDataSet("path_length"), "note",
                        "Journeys by the number of touchpoints visited; the last row counts "
                        "journeys of " +
                            std::to_string(kPathLengthBins) + " or more.");
}

void write_replications(H5::Group& run, std::span<const Aggregate> replications) {
  std::vector<HeadlineFigures> rows;
  for (const Aggregate& a : replications) rows.push_back(headline_figures(a.overall()));
  using Row = HeadlineFigures;
  const std::span<const Row> view = rows;
  hdf5::CompoundTable table(rows.size());
  std::vector<std::uint64_t> index(rows.size());
  for (std::size_t r = 0; r < index.size(); ++r) index[r] = r;
  table.add_u64("replication", index);
  table.add_u64("agents", column<std::uint64_t>(view, [](const Row& r) { return r.agents; }));
  table.add_u64("steps", column<std::uint64_t>(view, [](const Row& r) { return r.steps; }));
  table.add_u64("conversions",
                column<std::uint64_t>(view, [](const Row& r) { return r.conversions; }));
  add_headline_estimates(table, view, [](const Row& r) -> const Row& { return r; });
  table.write(run, "replications");
}

void write_group(H5::Group& run, const CompiledJourney& journey, const RunMetadata& metadata,
                 const RunResult& result, const Summary& summary) {
  write_metadata(run, metadata, journey.name, summary.interval_method);
  hdf5::write_text_list(run, "touchpoint_ids", journey.touchpoint_ids);
  std::vector<std::string> persona_ids;
  for (const PersonaTables& p : journey.personas) persona_ids.push_back(p.id);
  hdf5::write_text_list(run, "persona_ids", persona_ids);
  write_headline(run, summary.overall);
  write_counts(run, summary.overall);
  write_ended(run, summary.overall);
  write_touchpoints(run, "touchpoints", summary.touchpoints);
  write_transitions(run, summary.transitions);
  write_stages(run, "stages", summary.stages);
  write_personas(run, summary.personas);
  write_histograms(run, summary);
  write_replications(run, result.replications);
  hdf5::write_raw_aggregates(run, result.replications);
  if (result.detail) hdf5::write_agent_detail(run, *result.detail);
}

RunMetadata read_metadata(const H5::Group& run) {
  RunMetadata m;
  m.software_version = hdf5::read_text_attribute(run, "software_version");
  m.scenario_path = hdf5::read_text_attribute(run, "scenario_path");
  m.scenario_text = hdf5::read_text_attribute(run, "scenario_yaml");
  if (run.attrExists("scenario_bases")) {
    for (const nlohmann::json& base :
         nlohmann::json::parse(hdf5::read_text_attribute(run, "scenario_bases"))) {
      m.base_files.emplace_back(base.at("path").get<std::string>(),
                                base.at("yaml").get<std::string>());
    }
  }
  m.command_line = hdf5::read_text_attribute(run, "command_line");
  m.created = hdf5::read_text_attribute(run, "created");
  m.seed = hdf5::read_u64_attribute(run, "seed");
  m.agents = hdf5::read_u64_attribute(run, "agents");
  m.replications = static_cast<std::uint32_t>(hdf5::read_u64_attribute(run, "replications"));
  m.threads = static_cast<unsigned>(hdf5::read_u64_attribute(run, "threads"));
  m.seconds = hdf5::read_f64_attribute(run, "seconds");
  return m;
}

// Checks the format and version of a run's group and its attributes' checksum; returns
// whether the group is checksummed (files of version 2 are not).
bool check_format(const H5::Group& run) {
  if (!run.attrExists("format")) {
    throw std::runtime_error("not a cjsim result file (no 'format' attribute)");
  }
  const std::string format = hdf5::read_text_attribute(run, "format");
  if (format != kRunFormat) {
    throw std::runtime_error("not a cjsim result file (format '" + format + "')");
  }
  const std::uint64_t version = hdf5::read_u64_attribute(run, "format_version");
  if (version < kOldestReadVersion) {
    throw std::runtime_error("format version " + std::to_string(version) +
                             " was written by an older cjsim, without the per-persona tallies "
                             "this one reads; run the scenario again to make a new file");
  }
  if (version > kRunFormatVersion) {
    throw std::runtime_error("format version " + std::to_string(version) +
                             " is newer than this cjsim reads (" + std::to_string(kRunFormatVersion) +
                             "); update cjsim");
  }
  const bool checksummed = hdf5::verify_checksum(run);
  if (!checksummed && version >= kRunFormatVersion) {
    throw std::runtime_error("the file is damaged: the checksum of " + run.getObjName() +
                             " is missing");
  }
  return checksummed;
}

H5::Group open_run(const H5::H5File& file, const std::string& group_path) {
  const std::size_t start = group_path.find_first_not_of('/');
  if (start == std::string::npos) return file.openGroup("/");
  return hdf5::open_group(file.openGroup("/"), group_path.substr(start));
}

StoredRun read_file(const std::string& path, const std::string& group_path) {
  if (!std::filesystem::exists(path)) throw std::runtime_error("no such file");
  const bool whole_file_checked = hdf5::check_file_bytes(path);
  if (!H5::H5File::isHdf5(path)) throw std::runtime_error("not an HDF5 file");
  const H5::H5File file(path, H5F_ACC_RDONLY);
  const H5::Group run = open_run(file, group_path);
  StoredRun stored;
  stored.checksummed = check_format(run);
  if (stored.checksummed && !whole_file_checked) throw hdf5::missing_file_checksum();
  stored.metadata = read_metadata(run);
  stored.replications = hdf5::read_raw_aggregates(run);
  stored.detail = hdf5::read_agent_detail(run);
  return stored;
}

}  // namespace

void write_run(H5::Group& group, const CompiledJourney& journey, const RunMetadata& metadata,
               const RunResult& result, const Summary& summary) {
  H5::Exception::dontPrint();
  try {
    write_group(group, journey, metadata, result, summary);
  } catch (const H5::Exception& e) {
    throw std::runtime_error(group.getFileName() + ": cannot write results: " + hdf5::describe(e));
  }
}

void write_hdf5_file(PendingFile& file, const std::function<void(H5::Group& root)>& write) {
  H5::Exception::dontPrint();
  file.create();  // there while the content is made, so that a second Ctrl-C removes it
  hdf5::FileImage image;
  try {
    image = hdf5::checksummed_file_image(write);
  } catch (const H5::Exception& e) {
    throw std::runtime_error(file.path() + ": cannot write results: " + hdf5::describe(e));
  } catch (const std::exception& e) {
    throw std::runtime_error(file.path() + ": cannot write results: " + e.what());
  }
  file.write(std::string_view(image.data(), image.size()));
}

void write_run_file(PendingFile& file, const CompiledJourney& journey,
                    const RunMetadata& metadata, const RunResult& result, const Summary& summary) {
  write_hdf5_file(file,
                  [&](H5::Group& root) { write_group(root, journey, metadata, result, summary); });
}

StoredRun read_run_file(const std::string& path, const std::string& group_path) {
  H5::Exception::dontPrint();
  try {
    return read_file(path, group_path);
  } catch (const H5::Exception& e) {
    throw std::runtime_error(path + ": " + hdf5::describe(e));
  } catch (const std::exception& e) {
    throw std::runtime_error(path + ": " + e.what());
  }
}

}  // namespace cjsim
