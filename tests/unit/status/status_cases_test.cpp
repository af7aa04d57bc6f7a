// One recorded root per state, rendered as JSON and text and compared with
// tests/data/status/<case>.json and .txt (the root's path is @ROOT@ there); the exit code and
// the facts that decide it are asserted here too.
#include "klp/target_status.h"
#include "output/status_format.h"
#include "status_root.h"
#include <functional>
#include <gtest/gtest.h>

namespace klp::test {
namespace {

const std::string TaintLines =
    "5,812,20512345,-;livepatch_fix: tainting kernel with TAINT_LIVEPATCH\n"
    "5,813,20512400,-;livepatch_fix: module verification failed: signature and/or required key "
    "missing - tainting kernel\n"
    "5,814,20513000,-;livepatch: enabling patch 'livepatch_fix'\n"
    "5,815,20513010,-;livepatch: 'livepatch_fix': starting patching transition\n";

void enabledPatch(RecordedRoot &R, const std::string &Enabled, const std::string &Transition) {
  R.livepatch(
      "livepatch_fix", Enabled, Transition,
      {{"vmlinux", {"cmdline_proc_show,1"}, "1"}, {"nfsd", {"nfsd_read,2", "nfsd_open,1"}, "1"}});
  R.file("sys/module/livepatch_fix/srcversion", "0123456789ABCDEF0123456\n");
  R.file("proc/sys/kernel/tainted", "40960\n");
  R.file("dev/kmsg", TaintLines);
}

// pid 100: threads 100 (done) and 101 (stalled, with a stack); pid 200: no task directory,
// stalled; pid 300: patch_state unreadable, not counted. State is that of the stalled ones.
void tasks(RecordedRoot &R, const char *Done, const char *Stalled) {
  R.task("proc/100/task/100", "kworker", Done);
  R.task("proc/100/task/101", "worker", Stalled,
         "[<0>] do_nanosleep+0x87/0x180\n[<0>] hrtimer_nanosleep+0x9f/0x120\n");
  R.task("proc/200", "sleeper", Stalled);
  R.task("proc/300/task/300", "other", nullptr);
  R.file("proc/self", "not a task\n");
}

struct Case {
  const char *Name;
  std::function<void(RecordedRoot &)> Build;
  int ExitCode;
  std::vector<std::string> Reasons;
};

const Case Cases[] = {
    {"ready-no-patches", [](RecordedRoot &) {}, 0, {}},
    {"patch-enabled", [](RecordedRoot &R) { enabledPatch(R, "1", "0"); }, 0, {}},
    {"patch-transition-stalled",
     [](RecordedRoot &R) {
       enabledPatch(R, "1", "1");
       tasks(R, "1", "0");
     },
     1,
     {"livepatch 'livepatch_fix' is in transition to patched: 2 tasks not yet patched"}},
    {"patch-being-disabled",
     [](RecordedRoot &R) {
       enabledPatch(R, "0", "1");
       tasks(R, "0", "1");
     },
     1,
     {"livepatch 'livepatch_fix' is in transition to unpatched: 2 tasks not yet unpatched"}},
    {"patch-disabled",
     [](RecordedRoot &R) { enabledPatch(R, "0", "0"); },
     1,
     {"livepatch 'livepatch_fix' is disabled"}},
    {"modules-disabled",
     [](RecordedRoot &R) { R.file("proc/sys/kernel/modules_disabled", "1\n"); },
     1,
     {"modules_disabled is 1: no module can be loaded until reboot"}},
    {"lockdown-integrity",
     [](RecordedRoot &R) {
       R.file("sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
     },
     1,
     {"lockdown is integrity: unsigned modules are refused"}},
    {"lockdown-confidentiality",
     [](RecordedRoot &R) {
       R.file("sys/kernel/security/lockdown", "none integrity [confidentiality]\n");
     },
     1,
     {"lockdown is confidentiality: unsigned modules are refused"}},
    {"sig-enforce",
     [](RecordedRoot &R) { R.file("sys/module/module/parameters/sig_enforce", "Y\n"); },
     1,
     {"sig_enforce is Y: unsigned modules are refused"}},
    {"module-sig-force",
     [](RecordedRoot &R) {
       R.file("boot/config-6.1.0-50-amd64",
              RecordedRoot::config({{"CONFIG_MODULE_SIG_FORCE", "y"}}));
       R.file("sys/module/module/parameters/sig_enforce", "Y\n");
     },
     1,
     {"CONFIG_MODULE_SIG_FORCE=y in /boot/config-6.1.0-50-amd64: unsigned modules are refused",
      "sig_enforce is Y: unsigned modules are refused"}},
    {"unsigned-allowed",
     [](RecordedRoot &R) {
       R.file("boot/config-6.1.0-50-amd64", RecordedRoot::config({{"CONFIG_MODULE_SIG", ""}}));
       R.remove("sys/module/module");
       R.remove("sys/kernel/security");
     },
     0,
     {}},
    {"no-livepatch-config",
     [](RecordedRoot &R) {
       R.file("boot/config-6.1.0-50-amd64", RecordedRoot::config({{"CONFIG_LIVEPATCH", ""}}));
       R.remove("sys/kernel/livepatch");
     },
     1,
     {"CONFIG_LIVEPATCH is not enabled in /boot/config-6.1.0-50-amd64",
      "/sys/kernel/livepatch does not exist"}},
    {"no-livepatch-arch",
     [](RecordedRoot &R) {
       R.file("boot/config-6.1.0-50-amd64",
              RecordedRoot::config({{"CONFIG_LIVEPATCH", ""}, {"CONFIG_HAVE_LIVEPATCH", ""}}));
       R.remove("sys/kernel/livepatch");
     },
     1,
     {"CONFIG_LIVEPATCH is not enabled in /boot/config-6.1.0-50-amd64",
      "CONFIG_HAVE_LIVEPATCH is not enabled in /boot/config-6.1.0-50-amd64: this architecture "
      "cannot be livepatched",
      "/sys/kernel/livepatch does not exist"}},
    {"no-livepatch-sysfs",
     [](RecordedRoot &R) { R.remove("sys/kernel/livepatch"); },
     1,
     {"/sys/kernel/livepatch does not exist"}},
    {"config-gz",
     [](RecordedRoot &R) {
       // /proc/config.gz wins over /boot (which would say CONFIG_LIVEPATCH is not set).
       R.gzip("proc/config.gz", RecordedRoot::config({{"CONFIG_MODULE_SIG", ""}}));
       R.file("boot/config-6.1.0-50-amd64", RecordedRoot::config({{"CONFIG_LIVEPATCH", ""}}));
     },
     0,
     {}},
    {"no-config", [](RecordedRoot &R) { R.remove("boot"); }, 0, {}},
    {"no-module-support",
     [](RecordedRoot &R) {
       R.file("boot/config-6.1.0-50-amd64",
              RecordedRoot::config({{"CONFIG_MODULES", ""}, {"CONFIG_MODULE_SIG", ""}}));
       R.remove("proc/sys/kernel/modules_disabled");
       R.remove("sys/module/module");
     },
     1,
     {"/proc/sys/kernel/modules_disabled does not exist: the kernel has no module support"}},
    {"taint-all-bits",
     [](RecordedRoot &R) {
       // Bits 0-18 (every 6.1 flag), 19 and 63 (unknown to 6.1).
       R.file("proc/sys/kernel/tainted", std::to_string((uint64_t(1) << 63) | 0xfffff) + "\n");
       R.remove("dev/kmsg");
     },
     0,
     {}},
    {"kmsg-lines",
     [](RecordedRoot &R) {
       R.file("proc/sys/kernel/tainted", "4097\n");
       R.file("dev/kmsg",
              "6,1,0,-;Linux version 6.1.0-50-amd64\n"
              "4,2,1500000,-;nvidia: module license 'NVIDIA' taints kernel.\n"
              "4,3,1500001,-;Disabling lock debugging due to kernel taint\n"
              " SUBSYSTEM=module\n"
              "4,4,2000000,-,caller=T1;hello: loading out-of-tree module taints kernel.\n"
              "4,5,2000001,-;hello: module is from the staging directory, the quality is "
              "unknown, you have been warned.\n"
              "4,6,2100000,-;mod: loading test module taints kernel.\n"
              "4,7,2200000,-;dep: module uses symbols nv_x from proprietary module nvidia, "
              "inheriting taint.\n"
              "4,8,2300000,-;forced: disagrees about version of symbol x: kernel tainted.\n"
              "4,9,3000000,-;WARNING: CPU: 1 PID: 42 at mm/slub.c:100 f+0x1/0x2\n"
              "5,10,4000000,-;Loading of unsigned module is rejected\n"
              "5,11,4100000,-;Lockdown: insmod: unsigned module loading is restricted; see man "
              "kernel_lockdown.7\n"
              "5,12,4200000,-;Kernel is locked down from command line; see man kernel_lockdown.7\n"
              "5,13,5000000,-;livepatch: 'p': patching complete\n"
              "garbage without header\n"
              "x,14,1,-;livepatch: not a record\n"
              "6,15,6000000,-;usb 1-1: new device\n");
     },
     0,
     {}},
};

class StatusCase : public ::testing::TestWithParam<Case> {};

TEST_P(StatusCase, MatchesExpectedJsonAndText) {
  const Case &C = GetParam();
  RecordedRoot R;
  R.readySystem();
  C.Build(R);
  TargetStatus S = readTargetStatus(R.root());
  EXPECT_EQ(targetStatusExitCode(S), C.ExitCode);
  EXPECT_EQ(S.Reasons, C.Reasons);
  expectMatchesStatusFile(output::formatTargetStatusJson(S), R.root(),
                          std::string(C.Name) + ".json");
  expectMatchesStatusFile(output::formatTargetStatusText(S), R.root(),
                          std::string(C.Name) + ".txt");
}

INSTANTIATE_TEST_SUITE_P(Cases, StatusCase, ::testing::ValuesIn(Cases),
                         [](const ::testing::TestParamInfo<Case> &Info) {
                           std::string N = Info.param.Name;
                           for (char &Ch : N)
                             if (Ch == '-')
                               Ch = '_';
                           return N;
                         });

TEST(StatusFacts, StalledTasksAreThoseNotAtTheTarget) {
  RecordedRoot R;
  R.readySystem();
  enabledPatch(R, "1", "1");
  tasks(R, "1", "0");
  TargetStatus S = readTargetStatus(R.root());
  ASSERT_EQ(S.Patches.size(), 1u);
  const AppliedLivepatch &P = S.Patches[0];
  EXPECT_EQ(P.TargetState, 1);
  EXPECT_EQ(P.TasksChecked, 3);
  ASSERT_EQ(P.Stalled.size(), 2u);
  EXPECT_EQ(P.Stalled[0].Pid, 101);
  EXPECT_EQ(P.Stalled[0].Tgid, 100);
  EXPECT_EQ(P.Stalled[0].Comm, "worker");
  EXPECT_EQ(P.Stalled[0].PatchState, 0);
  EXPECT_EQ(P.Stalled[0].Stack, (std::vector<std::string>{"[<0>] do_nanosleep+0x87/0x180",
                                                          "[<0>] hrtimer_nanosleep+0x9f/0x120"}));
  EXPECT_EQ(P.Stalled[1].Pid, 200);
  EXPECT_EQ(P.Stalled[1].Tgid, 200);
  EXPECT_EQ(P.Stalled[1].Comm, "sleeper");
  EXPECT_EQ(P.Stalled[1].Stack, std::nullopt);
}

TEST(StatusFacts, PatchObjectsAndFunctionsAreSorted) {
  RecordedRoot R;
  R.readySystem();
  enabledPatch(R, "1", "0");
  TargetStatus S = readTargetStatus(R.root());
  ASSERT_EQ(S.Patches.size(), 1u);
  const AppliedLivepatch &P = S.Patches[0];
  EXPECT_TRUE(P.Force.Present);
  EXPECT_FALSE(P.Force.Readable);
  EXPECT_TRUE(P.Force.Writable);
  EXPECT_EQ(P.Replace, std::nullopt);
  ASSERT_EQ(P.Objects.size(), 2u);
  EXPECT_EQ(P.Objects[0].Name, "nfsd");
  ASSERT_EQ(P.Objects[0].Functions.size(), 2u);
  EXPECT_EQ(P.Objects[0].Functions[0].Name, "nfsd_open");
  EXPECT_EQ(P.Objects[0].Functions[0].Sympos, 1u);
  EXPECT_EQ(P.Objects[0].Functions[1].Name, "nfsd_read");
  EXPECT_EQ(P.Objects[0].Functions[1].Sympos, 2u);
  EXPECT_EQ(P.Objects[1].Name, "vmlinux");
  EXPECT_EQ(P.SrcVersion, "0123456789ABCDEF0123456");
  EXPECT_EQ(P.Version, std::nullopt);
}

} // namespace
} // namespace klp::test
