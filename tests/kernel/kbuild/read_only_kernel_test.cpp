// Everything KernelTree does, from a cold (fresh) cache, leaves the tree untouched: afterwards
// no file or directory of the tree is newer than a stamp taken before. Prints the timings.
#include "kernel_tree_fixture.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using namespace klp;

namespace {

template <typename F> double timed(F &&Fn) {
  auto T0 = std::chrono::steady_clock::now();
  Fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - T0).count();
}

std::vector<std::string> newerThan(const std::string &Root, fs::file_time_type Stamp) {
  std::vector<std::string> R;
  std::error_code EC;
  if (fs::last_write_time(Root, EC) > Stamp)
    R.push_back(".");
  for (auto It = fs::recursive_directory_iterator(
           Root, fs::directory_options::skip_permission_denied, EC);
       It != fs::recursive_directory_iterator(); It.increment(EC)) {
    if (EC)
      break;
    if (It->is_symlink(EC))
      continue;
    if (It->last_write_time(EC) > Stamp)
      R.push_back(It->path().string());
  }
  return R;
}

} // namespace

TEST(ReadOnlyKernel, ColdCacheWritesNothingIntoTheTree) {
  KLP_REQUIRE_KERNEL_TREE();
  std::string Cache = fs::temp_directory_path().string() + "/klp-kbuild-cold-XXXXXX";
  ASSERT_TRUE(mkdtemp(Cache.data()));
  std::string Stamp = Cache + "/stamp";
  std::ofstream(Stamp) << "before\n";
  fs::file_time_type Before = fs::last_write_time(Stamp);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));

  std::unique_ptr<KernelTree> T;
  std::printf("open                                   %7.2fs\n",
              timed([&] { T = KernelTree::open(test::kernelTreePath(), Cache); }));
  std::printf("compileCommand fs/proc/cmdline.c, cold %7.2fs (captures kbuild's environment)\n",
              timed([&] { T->compileCommand("fs/proc/cmdline.c"); }));
  std::printf("compileCommand fs/proc/cmdline.c, warm %7.4fs\n",
              timed([&] { T->compileCommand("fs/proc/cmdline.c"); }));
  std::printf("compileCommand kernel/sched/core.c     %7.2fs\n",
              timed([&] { T->compileCommand("kernel/sched/core.c"); }));
  std::printf(
      "compileCommand lib/string.c            %7.2fs (kbuild also lists its fortify tests)\n",
      timed([&] { T->compileCommand("lib/string.c"); }));
  std::printf("buildInfo fs/ext4/inode.c              %7.2fs\n",
              timed([&] { EXPECT_EQ(T->buildInfo("fs/ext4/inode.c").Module, "ext4"); }));
  std::printf("buildInfo drivers/gpu/drm/i915/gt/intel_gt.c %7.2fs\n", timed([&] {
                EXPECT_EQ(T->buildInfo("drivers/gpu/drm/i915/gt/intel_gt.c").Module, "i915");
              }));
  std::printf("includers fs/proc/internal.h, cold     %7.2fs (whole descent + include graph)\n",
              timed([&] { EXPECT_EQ(T->includers("fs/proc/internal.h").size(), 24u); }));
  std::printf("includers include/linux/sched.h        %7.4fs\n",
              timed([&] { EXPECT_EQ(T->includers("include/linux/sched.h").size(), 13289u); }));
  std::printf("buildInfo virt/kvm/kvm_main.c          %7.2fs (listed via ../ by arch/x86/kvm)\n",
              timed([&] { EXPECT_EQ(T->buildInfo("virt/kvm/kvm_main.c").Module, "kvm"); }));
  CompileCommand Core = T->compileCommand("kernel/sched/core.c");
  std::printf("symbolVersions kernel/sched/core.c     %7.2fs\n",
              timed([&] { EXPECT_EQ(symbolVersions(*T, Core, std::nullopt).size(), 82u); }));
  std::printf("symbolVersions core.c, patched copy    %7.2fs\n",
              timed([&] { EXPECT_EQ(symbolVersions(*T, Core, "int x;\n").size(), 0u); }));
  // A second process finds everything in the cache.
  std::unique_ptr<KernelTree> Again = KernelTree::open(test::kernelTreePath(), Cache);
  std::printf("reopened: compileCommand kernel/trace/trace.c %7.2fs (directories cached)\n",
              timed([&] { Again->compileCommand("kernel/trace/trace.c"); }));
  std::printf("reopened: compileCommand fs/proc/cmdline.c   %7.4fs\n",
              timed([&] { Again->compileCommand("fs/proc/cmdline.c"); }));
  std::printf("reopened: includers fs/proc/internal.h      %7.2fs (graph loaded from the cache)\n",
              timed([&] { Again->includers("fs/proc/internal.h"); }));

  EXPECT_EQ(newerThan(T->root(), Before), std::vector<std::string>{});
  fs::remove_all(Cache);
}
