// `klp-lsp status` as users run it: exit codes 0, 1, 2, stdout only when the status was read.
#include "../cli/run_binary.h"
#include "status_root.h"
#include <gtest/gtest.h>

namespace klp::test {
namespace {

TEST(StatusBinary, ReadySystemExitsZero) {
  RecordedRoot R;
  R.readySystem();
  RunResult Run = runKlpLsp({"status", "--root", R.root()});
  EXPECT_EQ(Run.ExitCode, 0) << Run.Err;
  EXPECT_EQ(Run.Err, "");
  EXPECT_TRUE(Run.Out.starts_with("kernel 6.1.0-50-amd64 (root " + R.root() + ")\n")) << Run.Out;
  EXPECT_TRUE(Run.Out.ends_with("verdict: ok\n")) << Run.Out;
}

TEST(StatusBinary, JsonOfANotReadySystemExitsOne) {
  RecordedRoot R;
  R.readySystem();
  R.file("proc/sys/kernel/modules_disabled", "1\n");
  RunResult Run = runKlpLsp({"status", "--root", R.root(), "--format", "json"});
  EXPECT_EQ(Run.ExitCode, 1) << Run.Err;
  EXPECT_EQ(Run.Err, "");
  EXPECT_NE(Run.Out.find("\"reasons\": [\n    \"modules_disabled is 1: no module can be loaded "
                         "until reboot\"\n  ],"),
            std::string::npos)
      << Run.Out;
}

TEST(StatusBinary, MissingRootExitsTwoWithNothingOnStdout) {
  RunResult Run = runKlpLsp({"status", "--root", "/nonexistent/klp-status-root"});
  EXPECT_EQ(Run.ExitCode, 2);
  EXPECT_EQ(Run.Out, "");
  EXPECT_EQ(Run.Err, "klp-lsp: error: root '/nonexistent/klp-status-root' does not exist\n");
}

TEST(StatusBinary, UnreadableEssentialFileExitsTwoWithNothingOnStdout) {
  RecordedRoot R;
  R.readySystem();
  R.remove("proc/sys/kernel/tainted");
  RunResult Run = runKlpLsp({"status", "--root", R.root(), "--format", "json"});
  EXPECT_EQ(Run.ExitCode, 2);
  EXPECT_EQ(Run.Out, "");
  EXPECT_EQ(Run.Err, "klp-lsp: error: " + R.root() +
                         "/proc/sys/kernel/tainted does not exist (the kernel's taint flags)\n");
}

TEST(StatusBinary, UnknownFormatExitsTwo) {
  RecordedRoot R;
  R.readySystem();
  RunResult Run = runKlpLsp({"status", "--root", R.root(), "--format", "sarif"});
  EXPECT_EQ(Run.ExitCode, 2);
  EXPECT_EQ(Run.Out, "");
  EXPECT_EQ(Run.Err, "klp-lsp: error: unknown --format 'sarif' (expected text or json)\n");
}

// The machine running the tests: whatever its kernel, the status is read (0 or 1), never 2.
TEST(StatusBinary, TheRunningSystemIsRead) {
  RunResult Run = runKlpLsp({"status"});
  EXPECT_TRUE(Run.ExitCode == 0 || Run.ExitCode == 1) << Run.ExitCode << " " << Run.Err;
  EXPECT_TRUE(Run.Out.starts_with("kernel ")) << Run.Out;
  EXPECT_NE(Run.Out.find("\nverdict: "), std::string::npos) << Run.Out;
}

} // namespace
} // namespace klp::test
