// HDF5 result files: what is written reads back exactly, the write is atomic, and bad files
// give errors that name them.
#include "reports/store/hdf5_results.h"

#include <H5Cpp.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "reports/store/file_checksum.h"
#include "reports/store/hdf5_checksum.h"
#include "reports/store/hdf5_io.h"
#include "sim/engine/engine.h"
#include "sim/engine/summary.h"
#include "sim/model/compiled_journey.h"

namespace cjsim {
namespace {

namespace fs = std::filesystem;

// A run file written and put in place, as a command does with one output.
void write_run_file_at(const std::string& path, Overwrite overwrite, const CompiledJourney& journey,
                       const RunMetadata& metadata, const RunResult& result,
                       const Summary& summary) {
  PendingFile file(path, overwrite);
  write_run_file(file, journey, metadata, result, summary);
  file.commit();
}

Touchpoint touchpoint(std::string id, std::string name, std::string stage, std::string channel,
                      double emotion_mean, double dropout) {
  Touchpoint t;
  t.id = std::move(id);
  t.name = std::move(name);
  t.stage = std::move(stage);
  t.channel = std::move(channel);
  t.emotion_mean = emotion_mean;
  t.emotion_sd = 0.3;
  t.dropout = dropout;
  t.duration.hours = 0.5;
  t.cost = 1.5;
  return t;
}

Transition transition(std::string from, std::string to, double weight, double bias = 0.0) {
  Transition t;
  t.from = std::move(from);
  t.to = std::move(to);
  t.weight = weight;
  t.emotion_bias = bias;
  return t;
}

// Four touchpoints in two stages, two personas; one touchpoint upsets people, so that emotion
// sums are negative somewhere (the high half of a BoundedSum is then all ones).
Scenario shop() {
  Scenario s;
  s.name = "Shop in code";
  s.stages = {"discover", "buy"};
  s.settings.kappa = 0.5;
  s.settings.max_steps = 40;
  s.touchpoints = {touchpoint("ad", "Advert", "discover", "social", 0.1, 0.3),
                   touchpoint("cafe", "Caf\u00e9 visit", "discover", "store", -0.6, 0.2),
                   touchpoint("page", "Product page", "buy", "web", 0.2, 0.2),
                   touchpoint("checkout", "Checkout", "buy", "web", 0.3, 0.0)};
  s.touchpoints[0].entry_weight = 2;
  s.touchpoints[1].entry_weight = 1;
  s.touchpoints[3].conversion = true;
  s.touchpoints[3].value = 80;
  s.transitions = {transition("ad", "page", 1), transition("ad", "cafe", 1),
                   transition("cafe", "page", 1, 1.0), transition("page", "cafe", 1),
                   transition("page", "checkout", 2, 1.5)};
  Persona regular;
  regular.id = "regular";
  regular.share = 3;
  regular.initial_emotion_sd = 0.2;
  Persona sceptic;
  sceptic.id = "sceptic";
  sceptic.share = 1;
  sceptic.dropout_odds = 1.8;
  sceptic.initial_emotion_mean = -0.2;
  sceptic.channel_affinity["social"] = 0.5;
  s.personas = {regular, sceptic};
  return s;
}

RunMetadata metadata_for(const RunResult& result) {
  RunMetadata m;
  m.scenario_path = "examples/shop \u00e9t\u00e9.yaml";
  m.scenario_text = "name: Shop in code\n# " + std::string(100000, 'x') + "\n";  // > 64 KiB
  m.base_files = {{"base.yaml", "name: Base\n"}, {"root.yaml", "name: Root \"quoted\"\n"}};
  m.software_version = "0.1.0-test";
  m.command_line = "cjsim run shop.yaml --agents 2000 --replications 2";
  m.created = utc_timestamp();
  m.seed = result.seed;
  m.agents = result.agents;
  m.replications = static_cast<std::uint32_t>(result.replications.size());
  m.threads = result.threads;
  m.seconds = result.seconds;
  return m;
}

struct Fixture {
  CompiledJourney journey;
  RunResult result;
  RunMetadata metadata;
  Summary summary;
};

const Fixture& shared_run() {
  static const Fixture fixture = [] {
    Fixture f;
    f.journey = compile(shop());
    RunOptions options;
    options.agents = 2000;
    options.seed = 42;
    options.replications = 2;
    options.agent_records = true;
    options.agent_paths = true;
    f.result = run(f.journey, options);
    f.metadata = metadata_for(f.result);
    f.summary = summarize(f.journey, f.result.replications);
    return f;
  }();
  return fixture;
}

class Hdf5Results : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("cjsim-hdf5-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }

  std::string path(const std::string& name) const { return (directory_ / name).string(); }

  std::string write_shared(const std::string& name = "run.h5") const {
    const Fixture& f = shared_run();
    const std::string file = path(name);
    write_run_file_at(file, Overwrite::refuse, f.journey, f.metadata, f.result, f.summary);
    return file;
  }

  fs::path directory_;
};

// The message of the runtime_error that `action` throws, or "" when it throws none.
template <class Action>
std::string error_of(Action action) {
  try {
    action();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

std::string bytes_of(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_bytes(const std::string& file, std::string_view bytes) {
  std::ofstream(file, std::ios::binary | std::ios::trunc).write(bytes.data(), bytes.size());
}

// Writes the whole-file checksum of `file` again after a test changed it through HDF5, so that
// the checks behind it, which it would otherwise stop first, are the ones tested.
void seal_again(const std::string& file) {
  std::string bytes = bytes_of(file);
  seal_file_image(bytes);
  write_bytes(file, bytes);
}

void expect_same_outcome(const AgentOutcome& a, const AgentOutcome& b) {
  EXPECT_EQ(a.persona, b.persona);
  EXPECT_EQ(a.entry, b.entry);
  EXPECT_EQ(a.last, b.last);
  EXPECT_EQ(a.ending, b.ending);
  EXPECT_EQ(a.converted, b.converted);
  EXPECT_EQ(a.steps, b.steps);
  EXPECT_EQ(a.final_emotion, b.final_emotion);
  EXPECT_EQ(a.peak_emotion, b.peak_emotion);
  EXPECT_EQ(a.peak_end, b.peak_end);
  EXPECT_EQ(a.likelihood_to_recommend, b.likelihood_to_recommend);
  EXPECT_EQ(a.hours, b.hours);
  EXPECT_EQ(a.hours_to_convert, b.hours_to_convert);
  EXPECT_EQ(a.revenue, b.revenue);
  EXPECT_EQ(a.cost, b.cost);
}

TEST_F(Hdf5Results, ReplicationsReadBackBitIdentical) {
  const Fixture& f = shared_run();
  ASSERT_EQ(f.result.replications.size(), 2u);
  bool negative_emotion = false;
  for (const BoundedSum& s : f.result.replications[0].tallies().emotion) {
    negative_emotion |= s.raw() < 0;
  }
  ASSERT_TRUE(negative_emotion) << "the journey should give a negative emotion sum";

  const StoredRun stored = read_run_file(write_shared());
  ASSERT_EQ(stored.replications.size(), f.result.replications.size());
  for (std::size_t r = 0; r < stored.replications.size(); ++r) {
    EXPECT_TRUE(stored.replications[r] == f.result.replications[r]) << "replication " << r;
  }
}

TEST_F(Hdf5Results, ReadBackReplicationsSummarizeToTheSameFigures) {
  const Fixture& f = shared_run();
  const StoredRun stored = read_run_file(write_shared());
  const Summary again = summarize(f.journey, stored.replications);
  EXPECT_EQ(again.overall.conversion_rate, f.summary.overall.conversion_rate);
  EXPECT_EQ(again.overall.revenue_per_agent, f.summary.overall.revenue_per_agent);
  EXPECT_EQ(again.touchpoints[1].mean_emotion, f.summary.touchpoints[1].mean_emotion);
}

TEST_F(Hdf5Results, InvalidExactSumsKeepTheirFlag) {
  const Fixture& f = shared_run();
  RunResult result = f.result;
  result.detail.reset();
  result.replications[1].personas[0].revenue.add(std::numeric_limits<double>::infinity());
  ASSERT_TRUE(result.replications[1].personas[0].revenue.invalid());
  const std::string file = path("invalid.h5");
  write_run_file_at(file, Overwrite::refuse, f.journey, f.metadata, result, f.summary);
  const StoredRun stored = read_run_file(file);
  ASSERT_EQ(stored.replications.size(), 2u);
  EXPECT_TRUE(stored.replications[1].personas[0].revenue.invalid());
  EXPECT_TRUE(stored.replications[1] == result.replications[1]);
}

// Counts are stored in the bits their chunk needs and each limb of the exact sums in a chunk of
// its own (HDF5's scale-offset filter, checked by Fletcher32 before it unpacks); values at
// the ends of their range, which need every bit, read back as they were.
TEST_F(Hdf5Results, RawAggregatesArePackedWithoutLoss) {
  const Fixture& f = shared_run();
  RunResult result = f.result;
  result.detail.reset();
  result.replications[1].persona_tallies[0].visits[0] = std::numeric_limits<std::uint64_t>::max();
  result.replications[1].personas[0].revenue.add(-1e30);
  result.replications[1].personas[0].cost.add(1e-30);
  const std::string file = path("packed.h5");
  write_run_file_at(file, Overwrite::refuse, f.journey, f.metadata, result, f.summary);
  const StoredRun stored = read_run_file(file);
  ASSERT_EQ(stored.replications.size(), 2u);
  EXPECT_TRUE(stored.replications[0] == result.replications[0]);
  EXPECT_TRUE(stored.replications[1] == result.replications[1]);

  const H5::H5File h5(file, H5F_ACC_RDONLY);
  const auto filters = [&](const std::string& name) {
    const H5::DSetCreatPropList plist = h5.openDataSet(name).getCreatePlist();
    std::vector<H5Z_filter_t> out;
    for (int k = 0; k < plist.getNfilters(); ++k) {
      unsigned flags = 0;
      std::size_t count = 0;
      unsigned info = 0;
      char text[64];
      out.push_back(plist.getFilter(k, flags, count, nullptr, sizeof text, text, info));
    }
    return out;
  };
  const std::vector<H5Z_filter_t> packed{H5Z_FILTER_SCALEOFFSET, H5Z_FILTER_FLETCHER32};
  EXPECT_EQ(filters("raw/visits"), packed);
  EXPECT_EQ(filters("raw/persona_counts"), packed);
  EXPECT_EQ(filters("raw/emotion"), packed);
  EXPECT_EQ(filters("raw/persona_sums"), packed);
  const auto last_chunk = [&](const std::string& name) {
    const H5::DataSet dataset = h5.openDataSet(name);
    std::vector<hsize_t> chunk(static_cast<std::size_t>(dataset.getSpace().getSimpleExtentNdims()));
    dataset.getCreatePlist().getChunk(static_cast<int>(chunk.size()), chunk.data());
    return chunk.back();
  };
  EXPECT_EQ(last_chunk("raw/emotion"), 1u);
  EXPECT_EQ(last_chunk("raw/persona_sums"), 1u);
  EXPECT_GT(last_chunk("raw/visits"), 1u);
}

TEST_F(Hdf5Results, AgentRecordsAndPathsReadBackEqual) {
  const Fixture& f = shared_run();
  ASSERT_TRUE(f.result.detail.has_value());
  const AgentDetail& written = *f.result.detail;
  ASSERT_EQ(written.records.size(), 2u * 2000u);

  const StoredRun stored = read_run_file(write_shared());
  ASSERT_TRUE(stored.detail.has_value());
  const AgentDetail& read = *stored.detail;
  ASSERT_EQ(read.records.size(), written.records.size());
  for (std::size_t k = 0; k < read.records.size(); ++k) {
    ASSERT_EQ(read.records[k].agent, written.records[k].agent) << "row " << k;
    ASSERT_EQ(read.records[k].replication, written.records[k].replication) << "row " << k;
    expect_same_outcome(read.records[k].outcome, written.records[k].outcome);
    if (::testing::Test::HasFailure()) FAIL() << "first difference at row " << k;
  }
  EXPECT_EQ(read.path_offsets, written.path_offsets);
  EXPECT_EQ(read.path_touchpoints, written.path_touchpoints);
}

TEST_F(Hdf5Results, RunWithoutDetailReadsBackWithoutDetail) {
  const Fixture& f = shared_run();
  RunResult result = f.result;
  result.detail.reset();
  const std::string file = path("plain.h5");
  write_run_file_at(file, Overwrite::refuse, f.journey, f.metadata, result, f.summary);
  EXPECT_FALSE(read_run_file(file).detail.has_value());
}

TEST_F(Hdf5Results, RecordsWithoutPathsReadBackWithoutPaths) {
  const Fixture& f = shared_run();
  // The detail is changed apart and put in whole (GCC 12 otherwise warns that the copied
  // optional's payload may be uninitialized).
  AgentDetail records = f.result.detail.value();
  records.path_offsets.clear();
  records.path_touchpoints.clear();
  RunResult result = f.result;
  result.detail.emplace(std::move(records));
  const std::string file = path("records.h5");
  write_run_file_at(file, Overwrite::refuse, f.journey, f.metadata, result, f.summary);
  const StoredRun stored = read_run_file(file);
  ASSERT_TRUE(stored.detail.has_value());
  EXPECT_EQ(stored.detail->records.size(), result.detail->records.size());
  EXPECT_TRUE(stored.detail->path_offsets.empty());
}

TEST_F(Hdf5Results, MetadataReadsBackEqual) {
  const RunMetadata& written = shared_run().metadata;
  const RunMetadata read = read_run_file(write_shared()).metadata;
  EXPECT_EQ(read.scenario_path, written.scenario_path);
  EXPECT_EQ(read.scenario_text, written.scenario_text);
  EXPECT_EQ(read.base_files, written.base_files);
  EXPECT_EQ(read.software_version, written.software_version);
  EXPECT_EQ(read.command_line, written.command_line);
  EXPECT_EQ(read.created, written.created);
  EXPECT_EQ(read.seed, written.seed);
  EXPECT_EQ(read.agents, written.agents);
  EXPECT_EQ(read.replications, written.replications);
  EXPECT_EQ(read.threads, written.threads);
  EXPECT_EQ(read.seconds, written.seconds);
}

TEST_F(Hdf5Results, TimestampIsIso8601Utc) {
  const std::string created = utc_timestamp();
  ASSERT_EQ(created.size(), 20u) << created;
  EXPECT_EQ(created[4], '-');
  EXPECT_EQ(created[10], 'T');
  EXPECT_EQ(created.back(), 'Z');
}

TEST_F(Hdf5Results, WritingLeavesOnlyTheFinalFile) {
  write_shared("only.h5");
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory_)) {
    names.push_back(entry.path().filename().string());
  }
  EXPECT_EQ(names, std::vector<std::string>{"only.h5"});
}

TEST_F(Hdf5Results, AnExistingFileIsReplacedOnlyWhenAsked) {
  const Fixture& f = shared_run();
  const std::string file = path("again.h5");
  std::ofstream(file) << "old contents";
  const std::string message = error_of([&] { write_shared("again.h5"); });
  EXPECT_NE(message.find("--force"), std::string::npos) << message;
  std::ifstream kept(file);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(kept), {}), "old contents");
  EXPECT_EQ(std::distance(fs::directory_iterator(directory_), fs::directory_iterator()), 1)
      << "the temporary file was left behind";

  write_run_file_at(file, Overwrite::replace, f.journey, f.metadata, f.result, f.summary);
  EXPECT_EQ(read_run_file(file).replications.size(), 2u);
}

TEST_F(Hdf5Results, FailedWriteNamesThePathAndLeavesNothing) {
  const Fixture& f = shared_run();
  const std::string file = path("no/such/directory/run.h5");
  const std::string message = error_of(
      [&] { write_run_file_at(file, Overwrite::refuse, f.journey, f.metadata, f.result, f.summary); });
  EXPECT_NE(message.find(file), std::string::npos) << message;
  EXPECT_TRUE(fs::is_empty(directory_));
}

TEST_F(Hdf5Results, WriteThatFailsMidwayRemovesTheTemporaryFile) {
  const Fixture& f = shared_run();
  AgentDetail inconsistent = f.result.detail.value();
  inconsistent.path_offsets.pop_back();  // inconsistent: written after the tables
  RunResult broken = f.result;
  broken.detail.emplace(std::move(inconsistent));
  const std::string file = path("broken.h5");
  const std::string message = error_of(
      [&] { write_run_file_at(file, Overwrite::refuse, f.journey, f.metadata, broken, f.summary); });
  EXPECT_NE(message.find(file), std::string::npos) << message;
  EXPECT_TRUE(fs::is_empty(directory_));
}

TEST_F(Hdf5Results, MissingFileErrorNamesTheFile) {
  const std::string file = path("absent.h5");
  const std::string message = error_of([&] { read_run_file(file); });
  EXPECT_NE(message.find(file), std::string::npos) << message;
}

TEST_F(Hdf5Results, TextFileIsNotAnHdf5File) {
  const std::string file = path("notes.h5");
  std::ofstream(file) << "not hdf5 at all\n";
  const std::string message = error_of([&] { read_run_file(file); });
  EXPECT_EQ(message, file + ": not an HDF5 file");
}

TEST_F(Hdf5Results, OtherHdf5FileIsNotACjsimResultFile) {
  const std::string file = path("other.h5");
  {
    H5::H5File other(file, H5F_ACC_TRUNC);
    other.createGroup("something");
  }
  const std::string message = error_of([&] { read_run_file(file); });
  EXPECT_EQ(message, file + ": not a cjsim result file (no 'format' attribute)");
}

TEST_F(Hdf5Results, MissingRawDatasetIsNamed) {
  const std::string file = write_shared();
  {
    H5::H5File h5(file, H5F_ACC_RDWR);
    h5.unlink("raw/visits");
  }
  seal_again(file);
  const std::string message = error_of([&] { read_run_file(file); });
  EXPECT_EQ(message, file + ": dataset raw/visits missing");
}

TEST_F(Hdf5Results, TextAttributeOfManyValuesIsRefusedNotReadPastItsVariable) {
  const std::string file = write_shared();
  {
    H5::H5File h5(file, H5F_ACC_RDWR);
    H5::Group root = h5.openGroup("/");
    root.removeAttr("format");
    const hsize_t three[] = {3};
    const H5::StrType type = hdf5::variable_text_type();
    H5::Attribute format = root.createAttribute("format", type, H5::DataSpace(1, three));
    const char* values[] = {"cjsim-run", "cjsim-run", "cjsim-run"};
    format.write(type, values);
  }
  seal_again(file);
  const std::string message = error_of([&] { read_run_file(file); });
  EXPECT_EQ(message, file + ": attribute format does not hold exactly one value");
}

TEST_F(Hdf5Results, ChangedAttributeIsDetectedByTheChecksum) {
  const std::string file = write_shared();
  {
    H5::H5File h5(file, H5F_ACC_RDWR);
    H5::Group root = h5.openGroup("/");
    root.removeAttr("seed");
    hdf5::write_attribute(root, "seed", std::uint64_t{424242});
  }
  seal_again(file);
  const std::string message = error_of([&] { read_run_file(file); });
  EXPECT_EQ(message,
            file + ": the file is damaged: the attributes of / do not match their checksum");
}

TEST_F(Hdf5Results, FileOfTheFormerVersionIsReadUnchecked) {
  const std::string file = write_shared();
  {
    H5::H5File h5(file, H5F_ACC_RDWR);
    H5::Group root = h5.openGroup("/");
    root.removeAttr(hdf5::kChecksumAttribute);
    root.removeAttr("format_version");
    hdf5::write_attribute(root, "format_version", std::uint64_t{2});
  }
  seal_again(file);
  EXPECT_FALSE(read_run_file(file).checksummed);
  EXPECT_TRUE(read_run_file(write_shared("fresh.h5")).checksummed);
}

TEST_F(Hdf5Results, MissingChecksumOfTheCurrentVersionIsDamage) {
  const std::string file = write_shared();
  {
    H5::H5File h5(file, H5F_ACC_RDWR);
    h5.openGroup("/").removeAttr(hdf5::kChecksumAttribute);
  }
  seal_again(file);
  const std::string message = error_of([&] { read_run_file(file); });
  EXPECT_EQ(message, file + ": the file is damaged: the checksum of / is missing");
}

TEST_F(Hdf5Results, AnyChangedByteIsRefusedByTheWholeFileChecksum) {
  const std::string file = write_shared();
  const std::string clean = bytes_of(file);
  ASSERT_TRUE(clean.starts_with("cjsim-checksum 1 sha256 "));
  for (std::size_t at : {std::size_t{20}, kUserBlockSize, clean.size() / 2, clean.size() - 1}) {
    std::string damaged = clean;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x01);
    write_bytes(file, damaged);
    EXPECT_EQ(error_of([&] { read_run_file(file); }),
              file + ": damaged: checksum does not match")
        << "byte " << at;
  }
}

TEST_F(Hdf5Results, FileOfTheCurrentFormatWithoutItsUserBlockIsRefused) {
  // The image as HDF5 writes it, before cjsim puts the user block in front: HDF5 reads it,
  // but no cjsim of this format wrote it so.
  const std::string file = write_shared();
  write_bytes(file, bytes_of(file).substr(kUserBlockSize));
  EXPECT_EQ(error_of([&] { read_run_file(file); }),
            file + ": damaged: checksum does not match (the file's checksum is missing)");
}

TEST_F(Hdf5Results, RunsInGroupsReadBackFromTheirGroups) {
  const Fixture& f = shared_run();
  RunResult other = f.result;
  other.detail.reset();
  other.replications.pop_back();
  const std::string file = path("compare.h5");
  {
    H5::FileCreatPropList creation;
    creation.setUserblock(kUserBlockSize);
    H5::H5File h5(file, H5F_ACC_TRUNC, creation);
    H5::Group current = h5.createGroup("current");
    H5::Group proposed = h5.createGroup("proposed");
    write_run(current, f.journey, f.metadata, f.result, f.summary);
    write_run(proposed, f.journey, f.metadata, other, f.summary);
  }
  seal_again(file);
  EXPECT_EQ(read_run_file(file, "/current").replications.size(), 2u);
  EXPECT_EQ(read_run_file(file, "proposed").replications.size(), 1u);
  const std::string message = error_of([&] { read_run_file(file, "/absent"); });
  EXPECT_EQ(message, file + ": group absent missing");
}

TEST_F(Hdf5Results, TouchpointTableHoldsTheSummaryVisits) {
  const Fixture& f = shared_run();
  const std::string file = write_shared();
  H5::H5File h5(file, H5F_ACC_RDONLY);
  H5::DataSet table = h5.openDataSet("touchpoints");
  H5::CompType visits_only(sizeof(std::uint64_t));
  visits_only.insertMember("visits", 0, H5::PredType::NATIVE_UINT64);
  std::vector<std::uint64_t> visits(f.journey.touchpoint_count());
  table.read(visits.data(), visits_only);
  for (std::size_t v = 0; v < visits.size(); ++v) {
    EXPECT_EQ(visits[v], f.summary.touchpoints[v].visits) << f.journey.touchpoint_ids[v];
  }
}

// A shop whose customers go on after buying (checkout -> cafe), so that some leave after
// converting, written as a run file.
struct AfterBuying {
  CompiledJourney journey;
  RunResult result;
};

AfterBuying after_buying() {
  Scenario s = shop();
  s.transitions.push_back(transition("checkout", "cafe", 1));
  AfterBuying out;
  out.journey = compile(s);
  RunOptions options;
  options.agents = 3000;
  options.seed = 7;
  options.replications = 2;
  out.result = run(out.journey, options);
  return out;
}

std::string write_after_buying(const std::string& file, const AfterBuying& a) {
  const RunMetadata m = metadata_for(a.result);
  write_run_file_at(file, Overwrite::refuse, a.journey, m, a.result,
                    summarize(a.journey, a.result.replications));
  return file;
}

// Removes the split of dropouts from a file, as a cjsim before it wrote them.
void remove_split(const std::string& file) {
  {
    H5::H5File h5(file, H5F_ACC_RDWR);
    h5.unlink("raw/persona_left_after_converting");
    h5.unlink("raw/dropouts_after_converting");
  }
  seal_again(file);
}

TEST_F(Hdf5Results, SplitOfDropoutsReadsBackExactly) {
  const AfterBuying a = after_buying();
  ASSERT_GT(a.result.replications[0].overall().left_after_converting, 0u);
  ASSERT_GT(a.result.replications[0].overall().ended[static_cast<int>(Ending::dropped)],
            a.result.replications[0].overall().left_after_converting);
  const StoredRun stored = read_run_file(write_after_buying(path("split.h5"), a));
  ASSERT_EQ(stored.replications.size(), 2u);
  for (std::size_t r = 0; r < 2; ++r) {
    EXPECT_TRUE(stored.replications[r].split_known());
    EXPECT_TRUE(stored.replications[r] == a.result.replications[r]) << "replication " << r;
  }
}

// A file of a cjsim before the split reads as it did: every other count and sum is the same,
// and the split is unknown, not zero.
TEST_F(Hdf5Results, FileWithoutTheSplitReadsWithTheSplitUnknown) {
  const AfterBuying a = after_buying();
  const std::string file = write_after_buying(path("old.h5"), a);
  remove_split(file);
  const StoredRun stored = read_run_file(file);
  ASSERT_EQ(stored.replications.size(), 2u);
  for (std::size_t r = 0; r < 2; ++r) {
    Aggregate old = stored.replications[r];
    EXPECT_FALSE(old.split_known());
    // The journey does not decide it: the cafe is reached before and after buying.
    fill_split_from_journey(a.journey, old);
    EXPECT_FALSE(old.split_known());
    Aggregate expected = a.result.replications[r];
    for (OutcomeSums& p : expected.personas) {
      p.left_after_converting = 0;
      p.split_known = false;
    }
    for (TouchpointTallies& t : expected.persona_tallies) {
      std::fill(t.dropouts_after_converting.begin(), t.dropouts_after_converting.end(), 0);
      t.split_known = false;
    }
    EXPECT_TRUE(old == expected) << "replication " << r;
  }
  const Summary summary = summarize(a.journey, stored.replications);
  EXPECT_FALSE(summary.overall.gave_up.has_value());
  EXPECT_TRUE(std::isnan(summary.overall.gave_up_rate.value));
  EXPECT_EQ(summary.overall.conversion_rate,
            summarize(a.journey, a.result.replications).overall.conversion_rate);
}

// Where the journey decides the split (the shop ends at its checkout: nobody can drop out after
// buying), an older file's split is filled in, equal to what the engine counted.
TEST_F(Hdf5Results, FileWithoutTheSplitGetsItFromAJourneyThatDecidesIt) {
  const Fixture& f = shared_run();
  const std::string file = write_shared();
  remove_split(file);
  const StoredRun stored = read_run_file(file);
  for (std::size_t r = 0; r < stored.replications.size(); ++r) {
    Aggregate old = stored.replications[r];
    ASSERT_FALSE(old.split_known());
    fill_split_from_journey(f.journey, old);
    EXPECT_TRUE(old == f.result.replications[r]) << "replication " << r;
  }
}

TEST_F(Hdf5Results, HalfOfTheSplitIsRefusedByName) {
  const std::string file = write_shared();
  {
    H5::H5File h5(file, H5F_ACC_RDWR);
    h5.unlink("raw/dropouts_after_converting");
  }
  seal_again(file);
  EXPECT_EQ(error_of([&] { read_run_file(file); }),
            file + ": raw/dropouts_after_converting is missing, though its companion is there");
}

}  // namespace
}  // namespace cjsim
