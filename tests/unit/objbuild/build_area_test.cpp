// BuildArea: the final directory is replaced only by publish(); an unpublished (killed or
// failed) build leaves the previous one as it was; leftovers of killed runs are removed.
#include "../../../kbuild-integration/src/objbuild.h"
#include "text_edits.h"
#include "vm_process.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

using namespace klp;
using namespace klp::test;
namespace fs = std::filesystem;

TEST(BuildArea, PublishReplacesThePreviousBuildAsAWhole) {
  TempDir Area("klp-objbuild-area");
  std::string Root = Area.path();
  std::string Final = Root + "/b";
  {
    BuildArea A(Final);
    EXPECT_TRUE(A.staging().starts_with(Final + ".tmp-"));
    EXPECT_EQ(A.finalPath(A.staging() + "/original/x.o"), Final + "/original/x.o");
    std::ofstream(A.staging() + "/one") << "1";
    EXPECT_FALSE(fs::exists(Final));
    A.publish();
  }
  EXPECT_EQ(entryNames(Final), (std::vector<std::string>{"one"}));
  {
    BuildArea A(Final);
    std::ofstream(A.staging() + "/two") << "2";
    A.publish();
  }
  EXPECT_EQ(entryNames(Final), (std::vector<std::string>{"two"}));
  EXPECT_EQ(entryNames(Root), (std::vector<std::string>{"b", "b.lock"}));
}

TEST(BuildArea, UnpublishedBuildLeavesThePreviousOne) {
  TempDir Area("klp-objbuild-area");
  std::string Root = Area.path();
  std::string Final = Root + "/b";
  {
    BuildArea A(Final);
    std::ofstream(A.staging() + "/one") << "1";
    A.publish();
  }
  {
    BuildArea A(Final);
    std::ofstream(A.staging() + "/half") << "h";
  } // e.g. a compile error: destroyed without publish()
  EXPECT_EQ(entryNames(Final), (std::vector<std::string>{"one"}));
  EXPECT_EQ(fileText(Final + "/one"), "1");
  EXPECT_EQ(entryNames(Root), (std::vector<std::string>{"b", "b.lock"}));
}

TEST(BuildArea, LeftoversOfAKilledRunAreRemoved) {
  TempDir Area("klp-objbuild-area");
  std::string Root = Area.path();
  std::string Final = Root + "/b";
  fs::create_directories(Final + ".tmp-killed/original");
  fs::create_directories(Final + ".old-killed");
  fs::create_directories(Root + "/bb.tmp-other"); // another area's: kept
  {
    BuildArea A(Final);
    EXPECT_FALSE(fs::exists(Final + ".tmp-killed"));
    EXPECT_FALSE(fs::exists(Final + ".old-killed"));
    EXPECT_TRUE(fs::exists(Root + "/bb.tmp-other"));
  }
  EXPECT_EQ(entryNames(Root), (std::vector<std::string>{"b.lock", "bb.tmp-other"}));
}
