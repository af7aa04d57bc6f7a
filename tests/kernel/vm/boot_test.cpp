// The VM harness itself: the pinned Debian kernel boots under qemu with a busybox initramfs, has
// livepatch support, and loads shipped modules with their modules.dep dependencies.
#include "vm.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

using namespace klp::test;

TEST(VmHarness, ShippedModuleLoadOrderFollowsModulesDep) {
  std::string Dir = VmConfig().ModulesDir;
  EXPECT_EQ(shippedModuleLoadOrder(Dir, "nls_utf8"),
            std::vector<std::string>{"kernel/fs/nls/nls_utf8.ko"});
  EXPECT_EQ(shippedModuleLoadOrder(Dir, "ext4"),
            (std::vector<std::string>{"kernel/lib/crc16.ko", "kernel/fs/mbcache.ko",
                                      "kernel/fs/jbd2/jbd2.ko", "kernel/fs/ext4/ext4.ko"}));
  // nfsd's dependencies have dependencies of their own: each appears once, before its users.
  std::vector<std::string> Nfsd = shippedModuleLoadOrder(Dir, "nfsd");
  auto Pos = [&](const std::string &P) {
    return std::find(Nfsd.begin(), Nfsd.end(), P) - Nfsd.begin();
  };
  EXPECT_EQ(Nfsd.back(), "kernel/fs/nfsd/nfsd.ko");
  EXPECT_LT(Pos("kernel/net/sunrpc/sunrpc.ko"), Pos("kernel/fs/lockd/lockd.ko"));
  EXPECT_LT(Pos("kernel/net/sunrpc/sunrpc.ko"), Pos("kernel/net/sunrpc/auth_gss/auth_rpcgss.ko"));
  EXPECT_EQ(std::set<std::string>(Nfsd.begin(), Nfsd.end()).size(), Nfsd.size());
  EXPECT_THROW(shippedModuleLoadOrder(Dir, "no_such_module"), std::runtime_error);
}

TEST(VmHarness, SerialLinesLoseEscapesAndCarriageReturns) {
  std::vector<std::string> L =
      serialLines("\x1b"
                  "c\x1b[?7l\x1b[2J\x1b[0mKLPVM:a=1\r\nBooting\r\n[    1.0] KLPVM:b=x y\r\n");
  EXPECT_EQ(L, (std::vector<std::string>{"KLPVM:a=1", "Booting", "[    1.0] KLPVM:b=x y"}));
  VmRun R;
  R.Lines = L;
  EXPECT_EQ(R.marker("a"), "1");
  EXPECT_EQ(R.marker("b"), "x y");
  EXPECT_EQ(R.marker("c"), std::nullopt);
}

TEST(VmBoot, PinnedKernelBootsAndLoadsShippedModules) {
  VmConfig C;
  C.Modules = {"nls_utf8", "ext4"};
  C.Script = R"SH(
mark uname "$(uname -r)"
[ -d /sys/kernel/livepatch ] && mark livepatch-dir yes
mark modules-before "$(wc -l < /proc/modules)"
load_module nls_utf8 && mark nls_utf8 loaded
mark nls_utf8-refcnt "$(cat /sys/module/nls_utf8/refcnt)"
load_module ext4 && mark ext4 loaded
mark modules "$(cut -d' ' -f1 /proc/modules | sort | tr '\n' ' ')"
grep -qw ext4 /proc/filesystems && mark ext4-fs registered
rmmod nls_utf8 && mark nls_utf8 removed
)SH";
  VmRun R = runVm(C);
  ASSERT_FALSE(R.TimedOut) << R.tail();
  EXPECT_EQ(R.QemuExit, 0) << R.tail();
  EXPECT_EQ(R.scriptExit(), 0) << R.tail();
  EXPECT_EQ(R.marker("uname"), "6.1.0-50-amd64") << R.tail();
  EXPECT_EQ(R.marker("livepatch-dir"), "yes") << R.tail();
  EXPECT_EQ(R.marker("modules-before"), "0") << R.tail();
  EXPECT_EQ(R.markers("nls_utf8"), (std::vector<std::string>{"loaded", "removed"})) << R.tail();
  EXPECT_EQ(R.marker("nls_utf8-refcnt"), "0") << R.tail();
  EXPECT_EQ(R.marker("ext4"), "loaded") << R.tail();
  EXPECT_EQ(R.marker("modules"), "crc16 ext4 jbd2 mbcache nls_utf8 ") << R.tail();
  EXPECT_EQ(R.marker("ext4-fs"), "registered") << R.tail();
  RecordProperty("vm_seconds", std::to_string(R.Seconds));
}

TEST(VmHarness, TimeoutKillsTheVm) {
  VmConfig C;
  C.Timeout = std::chrono::seconds(3);
  C.Script = "sleep 600";
  VmRun R = runVm(C);
  EXPECT_TRUE(R.TimedOut);
  EXPECT_EQ(R.QemuExit, 128 + SIGKILL);
  EXPECT_EQ(R.scriptExit(), std::nullopt);
  EXPECT_LT(R.Seconds, 10.0);
}
