// compileCommand against kbuild's own commands for the pinned tree (recorded from a top-level
// `make -n`: tests/data/kbuild/compile-commands.txt), argument for argument.
#include "../../unit/kbuild/kbuild_test_data.h"
#include "kernel_tree_fixture.h"

#include "klp/error.h"

using namespace klp;

TEST(CompileCommandKernel, EqualsKbuildsOwnCommands) {
  KLP_REQUIRE_KERNEL_TREE();
  const KernelTree &T = test::pinnedTree();
  auto Ref = test::referenceCommands();
  ASSERT_EQ(Ref.size(), 10u);
  for (const auto &[Source, Argv] : Ref) {
    CompileCommand C = T.compileCommand(Source);
    EXPECT_EQ(C.Argv, Argv) << Source;
    EXPECT_EQ(C.Directory, T.root());
    EXPECT_EQ(C.Source, Source);
    EXPECT_EQ(C.Object, Source.substr(0, Source.size() - 2) + ".o");
  }
}

TEST(CompileCommandKernel, ObjectListedThroughParentPath) {
  KLP_REQUIRE_KERNEL_TREE();
  // arch/x86/kvm/Makefile builds virt/kvm/kvm_main.c into kvm.ko as ../../../virt/kvm/.
  CompileCommand C = test::pinnedTree().compileCommand("virt/kvm/kvm_main.c");
  EXPECT_EQ(C.Source, "virt/kvm/kvm_main.c");
  ASSERT_GE(C.Argv.size(), 5u);
  EXPECT_EQ(std::vector<std::string>(C.Argv.end() - 4, C.Argv.end()),
            (std::vector<std::string>{"-c", "-o", "arch/x86/kvm/../../../virt/kvm/kvm_main.o",
                                      "arch/x86/kvm/../../../virt/kvm/kvm_main.c"}));
  EXPECT_NE(std::find(C.Argv.begin(), C.Argv.end(), "-DKBUILD_MODNAME=\"kvm\""), C.Argv.end());
}

TEST(CompileCommandKernel, NotBuiltOrMissingThrows) {
  KLP_REQUIRE_KERNEL_TREE();
  const KernelTree &T = test::pinnedTree();
  try {
    T.compileCommand("fs/ext2/inode.c");
    FAIL() << "no error";
  } catch (const Error &E) {
    EXPECT_EQ(std::string(E.what()),
              "fs/ext2/inode.c is not compiled under the configuration of " + T.root() +
                  ": directory fs/ext2 is not descended into: CONFIG_EXT2_FS is not set "
                  "(fs/Makefile)");
  }
  EXPECT_THROW(T.compileCommand("fs/proc/no-such-file.c"), Error);
  EXPECT_THROW(T.compileCommand("include/linux/sched.h"), Error);
}
