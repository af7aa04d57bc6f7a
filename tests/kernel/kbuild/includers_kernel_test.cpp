// includers on the pinned tree (the first call builds the include graph of every translation
// unit the configuration compiles).
#include "kernel_tree_fixture.h"

#include <algorithm>

using namespace klp;
using Strings = std::vector<std::string>;

TEST(IncludersKernel, SubsystemHeader) {
  KLP_REQUIRE_KERNEL_TREE();
  // The fs/proc/*.c that include "internal.h" (nommu.c and task_nommu.c are not built; 6.1's
  // cmdline.c, consoles.c, cpuinfo.c, interrupts.c, kmsg.c, stat.c do not include it) and
  // fs/proc_namespace.c with "proc/internal.h".
  EXPECT_EQ(test::pinnedTree().includers("fs/proc/internal.h"),
            (Strings{"fs/proc/array.c",       "fs/proc/base.c",     "fs/proc/devices.c",
                     "fs/proc/fd.c",          "fs/proc/generic.c",  "fs/proc/inode.c",
                     "fs/proc/kcore.c",       "fs/proc/loadavg.c",  "fs/proc/meminfo.c",
                     "fs/proc/namespaces.c",  "fs/proc/page.c",     "fs/proc/proc_net.c",
                     "fs/proc/proc_sysctl.c", "fs/proc/proc_tty.c", "fs/proc/root.c",
                     "fs/proc/self.c",        "fs/proc/softirqs.c", "fs/proc/task_mmu.c",
                     "fs/proc/thread_self.c", "fs/proc/uptime.c",   "fs/proc/util.c",
                     "fs/proc/version.c",     "fs/proc/vmcore.c",   "fs/proc_namespace.c"}));
  // kernel/sched/*.c include it, or #include the files that do (build_policy.c, build_utility.c).
  EXPECT_EQ(test::pinnedTree().includers("kernel/sched/sched.h"),
            (Strings{"kernel/sched/build_policy.c", "kernel/sched/build_utility.c",
                     "kernel/sched/core.c", "kernel/sched/fair.c"}));
}

TEST(IncludersKernel, CoreHeaderFanout) {
  KLP_REQUIRE_KERNEL_TREE();
  Strings Sched = test::pinnedTree().includers("include/linux/sched.h");
  Strings All = test::pinnedTree().builtSources();
  std::printf("include/linux/sched.h: %zu includers of %zu translation units\n", Sched.size(),
              All.size());
  EXPECT_EQ(All.size(), 13497u);
  EXPECT_EQ(Sched.size(), 13289u);
  EXPECT_TRUE(std::binary_search(Sched.begin(), Sched.end(), "kernel/sched/core.c"));
  EXPECT_FALSE(std::binary_search(Sched.begin(), Sched.end(), "fs/ext2/inode.c"));
  // -include ./include/linux/kconfig.h: every unit.
  EXPECT_EQ(test::pinnedTree().includers("include/linux/kconfig.h").size(), All.size());
}
