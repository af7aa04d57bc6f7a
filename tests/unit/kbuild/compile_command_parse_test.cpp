// Reading kbuild's compile command out of a recorded `make -n` listing and a .o.cmd file.
#include "../../../kbuild-integration/src/makefile_query.h"
#include "kbuild_test_data.h"

#include <gtest/gtest.h>

using namespace klp;

TEST(CompileCommandParse, MakeListingOfMakefileBuild) {
  // make -n -f ./scripts/Makefile.build obj=fs/proc ... fs/proc/cmdline.o on the pinned tree.
  std::vector<std::string> Argv = findCompileArgv(test::readData("make-n-cmdline.txt"),
                                                  "fs/proc/cmdline.o", "fs/proc/cmdline.c");
  EXPECT_EQ(Argv, test::referenceCommands()["fs/proc/cmdline.c"]);
}

TEST(CompileCommandParse, DotCmdFile) {
  std::vector<std::string> Argv =
      parseDotCmd(test::readData("dot-cmd-cmdline.txt"), "fs/proc/cmdline.o", "fs/proc/cmdline.c");
  EXPECT_EQ(Argv, test::referenceCommands()["fs/proc/cmdline.c"]);
}

TEST(CompileCommandParse, DotCmdMakeEscapesAndSavedcmd) {
  // Since 6.3 the variable is savedcmd_; "$$" and "$(pound)" are make's escapes.
  std::string Text = "savedcmd_lib/x.o := gcc -DA='$$x' -DB=\"$(pound)\" -c -o lib/x.o lib/x.c\n"
                     "source_lib/x.o := lib/x.c\n";
  EXPECT_EQ(parseDotCmd(Text, "lib/x.o", "lib/x.c"),
            (std::vector<std::string>{"gcc", "-DA=$x", "-DB=#", "-c", "-o", "lib/x.o", "lib/x.c"}));
  EXPECT_TRUE(parseDotCmd(Text, "lib/y.o", "lib/y.c").empty());
}

TEST(CompileCommandParse, DotCmdThroughParentPath) {
  // arch/x86/kvm/Makefile compiles virt/kvm/*.c as ../../../virt/kvm/*.o.
  std::string Text = "cmd_arch/x86/kvm/../../../virt/kvm/eventfd.o := gcc -c -o "
                     "arch/x86/kvm/../../../virt/kvm/eventfd.o "
                     "arch/x86/kvm/../../../virt/kvm/eventfd.c ; objtool x\n";
  EXPECT_EQ(parseDotCmd(Text, "virt/kvm/eventfd.o", "virt/kvm/eventfd.c"),
            (std::vector<std::string>{"gcc", "-c", "-o", "arch/x86/kvm/../../../virt/kvm/eventfd.o",
                                      "arch/x86/kvm/../../../virt/kvm/eventfd.c"}));
}

TEST(CompileCommandParse, NoCompileCommand) {
  EXPECT_TRUE(findCompileArgv("set -e; echo fs/proc/cmdline.o fs/proc/cmdline.c\n",
                              "fs/proc/cmdline.o", "fs/proc/cmdline.c")
                  .empty());
}
