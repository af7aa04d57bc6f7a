#include "kbuild_test_data.h"
#include "klp/kernel_tree.h"

#include <gtest/gtest.h>

using namespace klp;

TEST(ClangFlags, PinnedTreeCommandOfCmdlineC) {
  CompileCommand C;
  C.Directory = "/tree";
  C.Source = "fs/proc/cmdline.c";
  C.Object = "fs/proc/cmdline.o";
  C.Argv = test::referenceCommands()["fs/proc/cmdline.c"];
  EXPECT_EQ(clangArgsFor(C), test::lines(test::readData("clang-args-cmdline.txt")));
}

TEST(ClangFlags, GccOnlyFamiliesAndNormalizedSource) {
  CompileCommand C;
  C.Source = "virt/kvm/kvm_main.c";
  C.Object = "virt/kvm/kvm_main.o";
  C.Argv = {"gcc-12",
            "-Wp,-MMD,x.d",
            "-I./arch/arm64/include",
            "-fplugin=./p.so",
            "-fplugin-arg-p-x",
            "-fno-ipa-sra",
            "-fno-tree-loop-im",
            "--param",
            "asan-globals=1",
            "-fsched-pressure",
            "-mabi=lp64",
            "-O2",
            "-c",
            "-o",
            "arch/x86/kvm/../../../virt/kvm/kvm_main.o",
            "arch/x86/kvm/../../../virt/kvm/kvm_main.c"};
  std::vector<std::string> Args = clangArgsFor(C);
  EXPECT_EQ(Args, (std::vector<std::string>{
                      "clang", "--target=aarch64-linux-gnu", "-Wno-unknown-warning-option",
                      "-I./arch/arm64/include", "-mabi=lp64", "-O2", "-Qunused-arguments",
                      "-Wno-gnu", "-Wno-initializer-overrides", "-Wno-pointer-to-enum-cast",
                      "-Wno-tautological-constant-out-of-range-compare", "-Wno-unaligned-access",
                      "-Wno-cast-function-type-strict", "-Wno-enum-compare-conditional",
                      "virt/kvm/kvm_main.c"}));
}
