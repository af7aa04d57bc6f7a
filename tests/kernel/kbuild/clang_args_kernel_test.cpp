// clangArgsFor: Clang 19 parses kbuild's gcc commands without a single diagnostic.
#include "../../../kbuild-integration/src/run_process.h"
#include "kernel_tree_fixture.h"

using namespace klp;

TEST(ClangArgsKernel, SyntaxOnlyWithoutDiagnostics) {
  KLP_REQUIRE_KERNEL_TREE();
  for (const char *Source : {"fs/proc/cmdline.c", "kernel/sched/core.c", "fs/ext4/inode.c"}) {
    std::vector<std::string> Args = clangArgsFor(test::pinnedTree().compileCommand(Source));
    ASSERT_EQ(Args.front(), "clang");
    ASSERT_EQ(Args.back(), Source);
    Args[0] = "/usr/lib/llvm-19/bin/clang";
    Args.push_back("-fsyntax-only");
    ProcessResult R = runProcess(Args, test::pinnedTree().root());
    EXPECT_EQ(R.ExitCode, 0) << Source;
    EXPECT_EQ(R.Err, "") << Source;
  }
}
