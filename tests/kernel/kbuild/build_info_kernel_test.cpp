// buildInfo on the pinned tree: tests/data/kbuild/build-info.txt lists the expectations.
#include "../../unit/kbuild/kbuild_test_data.h"
#include "kernel_tree_fixture.h"

#include <sstream>

using namespace klp;

TEST(BuildInfoKernel, DebianConfig) {
  KLP_REQUIRE_KERNEL_TREE();
  ASSERT_EQ(test::pinnedTree().config("CONFIG_EXT4_FS"), "m");
  unsigned Checked = 0;
  for (const std::string &L : test::lines(test::readData("build-info.txt"))) {
    if (L.empty() || L[0] == '#')
      continue;
    std::vector<std::string> F;
    std::istringstream In(L);
    for (std::string Field; std::getline(In, Field, '|');)
      F.push_back(Field);
    F.resize(6);
    BuildInfo B = test::pinnedTree().buildInfo(F[0]);
    EXPECT_EQ(B.Built, F[1] == "1") << F[0];
    EXPECT_EQ(B.BuiltIn, F[2] == "1") << F[0];
    EXPECT_EQ(B.Module, F[3]) << F[0];
    EXPECT_EQ(B.Ftrace, F[4] == "1") << F[0];
    EXPECT_EQ(B.Reason, F[5]) << F[0];
    EXPECT_EQ(B.object(), B.BuiltIn ? "vmlinux" : F[3]) << F[0];
    ++Checked;
  }
  EXPECT_EQ(Checked, 18u);
}
