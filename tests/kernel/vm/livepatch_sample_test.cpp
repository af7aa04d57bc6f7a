// The kernel's own livepatch sample (samples/livepatch/livepatch-sample.c, replaces
// cmdline_proc_show), built out of tree against the pinned headers and driven through a whole
// patch lifecycle in the VM: this proves the harness the product's own modules are tested with.
#include "external_module.h"
#include "vm.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

using namespace klp::test;

TEST(VmLivepatch, KernelSampleEnablesPatchesDisablesAndUnloads) {
  const char *Tree = std::getenv("KLP_KERNEL_TREE");
  if (!Tree || !*Tree)
    GTEST_SKIP() << "KLP_KERNEL_TREE is not set (scripts/kernel-fixture prints the tree)";
  TempDir Src("klp-lp-sample");
  // Copied out: the tree is never written, and kbuild writes next to the sources.
  std::filesystem::copy_file(std::string(Tree) + "/samples/livepatch/livepatch-sample.c",
                             Src.path() + "/livepatch-sample.c");
  std::string Ko = buildExternalModule(Src.path(), "livepatch-sample");

  VmConfig C;
  C.Files["/livepatch-sample.ko"] = Ko;
  C.Script = R"SH(
LP=/sys/kernel/livepatch/livepatch_sample
mark cmdline-before "$(cat /proc/cmdline)"
insmod /livepatch-sample.ko && mark insmod ok
mark enabled "$(cat $LP/enabled)"
wait_value $LP/transition 0 30 && mark transition-enable done
mark cmdline-patched "$(cat /proc/cmdline)"
echo 0 > $LP/enabled && mark disable written
# The patch's sysfs directory goes away when the unpatching transition has finished.
wait_gone $LP 30 && mark transition-disable done
rmmod livepatch_sample && mark rmmod ok
mark modules-after "$(wc -l < /proc/modules)"
mark cmdline-after "$(cat /proc/cmdline)"
)SH";
  VmRun R = runVm(C);
  ASSERT_FALSE(R.TimedOut) << R.tail();
  EXPECT_EQ(R.QemuExit, 0) << R.tail();
  EXPECT_EQ(R.scriptExit(), 0) << R.tail();
  EXPECT_EQ(R.marker("cmdline-before"), C.Append) << R.tail();
  EXPECT_EQ(R.marker("insmod"), "ok") << R.tail();
  EXPECT_EQ(R.marker("enabled"), "1") << R.tail();
  EXPECT_EQ(R.marker("transition-enable"), "done") << R.tail();
  EXPECT_EQ(R.marker("cmdline-patched"), "this has been live patched") << R.tail();
  EXPECT_EQ(R.marker("disable"), "written") << R.tail();
  EXPECT_EQ(R.marker("transition-disable"), "done") << R.tail();
  EXPECT_EQ(R.marker("rmmod"), "ok") << R.tail();
  EXPECT_EQ(R.marker("modules-after"), "0") << R.tail();
  EXPECT_EQ(R.marker("cmdline-after"), C.Append) << R.tail();
  RecordProperty("vm_seconds", std::to_string(R.Seconds));
}
