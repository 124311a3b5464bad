// A command's outputs: temporary names within the file system's limit, and commits that leave
// all outputs or none.
#include "reports/store/command_outputs.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <climits>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace cjsim {
namespace {

namespace fs = std::filesystem;

class CommandOutputsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("cjsim-outputs-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
  }
  void TearDown() override { fs::remove_all(directory_); }
  std::string path(const std::string& name) const { return (directory_ / name).string(); }

  fs::path directory_;
};

std::string read(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST_F(CommandOutputsTest, TemporaryNamesFitNameMaxHoweverLongTheTarget) {
  for (const std::size_t length : {1, 200, 240, 253, 255}) {
    const std::string target = path(std::string(length, 'r'));
    const std::string temporary = temporary_path_of(target, 4194304);
    EXPECT_LE(fs::path(temporary).filename().string().size(), std::size_t{NAME_MAX}) << length;
    EXPECT_EQ(fs::path(temporary).parent_path(), directory_);
    EXPECT_EQ(fs::path(temporary).filename().string().front(), '.') << "hidden";
  }
  EXPECT_NE(temporary_path_of(path(std::string(253, 'a')), 1),
            temporary_path_of(path(std::string(253, 'b')), 1));
}

TEST_F(CommandOutputsTest, AFailedCommitLeavesNoneOfTheOutputs) {
  {
    CommandOutputs outputs(Overwrite::refuse);
    PendingFile& first = outputs.add("--out", path("first.h5"));
    PendingFile& second = outputs.add("--report", path("second.html"));
    first.write("first");
    second.write("second");
    std::ofstream(path("second.html")) << "someone else's";  // appears during the work
    EXPECT_THROW(outputs.commit(), std::runtime_error);
    EXPECT_FALSE(fs::exists(path("first.h5")));
  }  // as a failed command unwinds: the temporaries go too
  EXPECT_EQ(read(path("second.html")), "someone else's");
  EXPECT_EQ(std::distance(fs::directory_iterator(directory_), fs::directory_iterator()), 1);
}

TEST_F(CommandOutputsTest, ASuccessfulCommitPutsEveryOutputInPlace) {
  CommandOutputs outputs(Overwrite::refuse);
  outputs.add("--out", path("a")).write("a");
  outputs.add("--csv", path("b")).write("b");
  outputs.commit();
  EXPECT_EQ(read(path("a")), "a");
  EXPECT_EQ(read(path("b")), "b");
  EXPECT_EQ(std::distance(fs::directory_iterator(directory_), fs::directory_iterator()), 2);
}

TEST_F(CommandOutputsTest, AnInputIsNeverAnOutputEvenUnderAnotherName) {
  std::ofstream(path("data.csv")) << "data";
  fs::create_hard_link(path("data.csv"), path("alias.csv"));
  CommandOutputs outputs(Overwrite::replace);
  outputs.add_input(path("data.csv"), "the data file");
  EXPECT_THROW(outputs.add("-o", path("alias.csv")), std::runtime_error);
  EXPECT_THROW(outputs.add("-o", (directory_ / "." / "data.csv").string()), std::runtime_error);
  EXPECT_EQ(read(path("data.csv")), "data");
}

}  // namespace
}  // namespace cjsim
