// /dev/kmsg records and which lines are kept, with the exact strings 6.1 prints.
#include "../../../kbuild-integration/src/target_status_impl.h"
#include <gtest/gtest.h>

namespace klp::test {
namespace {

using status_detail::classifyKmsgText;
using status_detail::parseKmsgRecord;

TEST(Kmsg, ParsesARecord) {
  std::optional<KernelLogLine> L =
      parseKmsgRecord("13,812,20512345,-,caller=T42;hello: tainting kernel with TAINT_LIVEPATCH\n"
                      " SUBSYSTEM=module\n");
  ASSERT_TRUE(L.has_value());
  KernelLogLine Line = L.value_or(KernelLogLine{});
  EXPECT_EQ(Line.Level, 5);
  EXPECT_EQ(Line.Seq, 812u);
  EXPECT_EQ(Line.Usec, 20512345u);
  EXPECT_EQ(Line.Text, "hello: tainting kernel with TAINT_LIVEPATCH");
}

TEST(Kmsg, RejectsWhatIsNotARecord) {
  EXPECT_FALSE(parseKmsgRecord(""));
  EXPECT_FALSE(parseKmsgRecord(" SUBSYSTEM=module"));
  EXPECT_FALSE(parseKmsgRecord("no header at all"));
  EXPECT_FALSE(parseKmsgRecord("6,1;two fields"));
  EXPECT_FALSE(parseKmsgRecord("x,1,2,-;not a number"));
}

// What classifyKmsgText says of a line: "not kept", "kept" or "kept, flag X".
std::string classify(const std::string &Text) {
  std::optional<char> Flag = 'Z'; // must be reset when there is no flag
  if (!classifyKmsgText(Text, Flag))
    return "not kept";
  return Flag ? std::string("kept, flag ") + *Flag : "kept";
}
std::string flagOf(char C) { return std::string("kept, flag ") + C; }
const std::string KeptWithoutFlag = "kept";

TEST(Kmsg, KeepsTheSixOneTaintMessages) {
  // kernel/module/main.c
  EXPECT_EQ(classify("m: module verification failed: signature and/or required key "
                     "missing - tainting kernel"),
            flagOf('E'));
  EXPECT_EQ(classify("m: tainting kernel with TAINT_LIVEPATCH"), flagOf('K'));
  EXPECT_EQ(classify("m: loading out-of-tree module taints kernel."), flagOf('O'));
  EXPECT_EQ(classify("m: loading test module taints kernel."), flagOf('N'));
  EXPECT_EQ(classify("m: module license 'Proprietary' taints kernel."), flagOf('P'));
  EXPECT_EQ(classify("m: module license taints kernel."), flagOf('P'));
  EXPECT_EQ(classify("m: module uses symbols s from proprietary module p, inheriting "
                     "taint."),
            flagOf('P'));
  EXPECT_EQ(classify("m: module is from the staging directory, the quality is unknown, "
                     "you have been warned."),
            flagOf('C'));
  EXPECT_EQ(classify("m: no version for \"x\" found: kernel tainted."), flagOf('F'));
  // kernel/panic.c
  EXPECT_EQ(classify("WARNING: CPU: 0 PID: 1 at kernel/x.c:1 f+0x0/0x10"), flagOf('W'));
  EXPECT_EQ(classify("Disabling lock debugging due to kernel taint"), KeptWithoutFlag);
  // kernel/livepatch, kernel/module/signing.c, security/lockdown
  EXPECT_EQ(classify("livepatch: enabling patch 'p'"), KeptWithoutFlag);
  EXPECT_EQ(classify("livepatch: 'p': starting unpatching transition"), KeptWithoutFlag);
  EXPECT_EQ(classify("livepatch: signaling remaining tasks"), KeptWithoutFlag);
  EXPECT_EQ(classify("Loading of unsigned module is rejected"), KeptWithoutFlag);
  EXPECT_EQ(classify("Lockdown: insmod: unsigned module loading is restricted; see man "
                     "kernel_lockdown.7"),
            KeptWithoutFlag);
  EXPECT_EQ(classify("Kernel is locked down from EFI Secure Boot mode; see man "
                     "kernel_lockdown.7"),
            KeptWithoutFlag);
}

TEST(Kmsg, DropsOtherLines) {
  EXPECT_EQ(classify("usb 1-1: new high-speed USB device"), "not kept");
  EXPECT_EQ(classify("Linux version 6.1.0-50-amd64"), "not kept");
  EXPECT_EQ(classify("mylivepatch: livepatch: not at the start"), "not kept");
}

} // namespace
} // namespace klp::test
