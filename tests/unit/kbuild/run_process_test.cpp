// runProcess: output capture, exit codes, and cancellation that kills the whole process group
// (gcc's cc1 and as are children of the driver; a build cancel must not wait for them).
#include "../../../kbuild-integration/src/run_process.h"
#include <atomic>
#include <chrono>
#include <gtest/gtest.h>

namespace {

using Clock = std::chrono::steady_clock;

TEST(RunProcess, CapturesOutputAndExitCode) {
  klp::ProcessResult R = klp::runProcess({"sh", "-c", "echo out; echo err >&2; exit 3"}, "/");
  EXPECT_EQ(R.Out, "out\n");
  EXPECT_EQ(R.Err, "err\n");
  EXPECT_EQ(R.ExitCode, 3);
  EXPECT_FALSE(R.Cancelled);
}

TEST(RunProcess, ACancelPredicateThatStaysFalseChangesNothing) {
  klp::ProcessResult R = klp::runProcess({"sh", "-c", "sleep 0.3; echo done"}, "/", std::nullopt,
                                         "", [] { return false; });
  EXPECT_EQ(R.Out, "done\n");
  EXPECT_EQ(R.ExitCode, 0);
  EXPECT_FALSE(R.Cancelled);
}

TEST(RunProcess, CancelKillsTheChildAndItsChildren) {
  // The shell's child `sleep` holds the output pipe: only killing the group ends the read.
  auto Start = Clock::now();
  std::atomic<int> Polls{0};
  klp::ProcessResult R =
      klp::runProcess({"sh", "-c", "sleep 30; echo never"}, "/", std::nullopt, "", [&] {
        return ++Polls >= 3 && Clock::now() - Start > std::chrono::milliseconds(200);
      });
  auto Took = Clock::now() - Start;
  EXPECT_TRUE(R.Cancelled);
  EXPECT_EQ(R.ExitCode, 128 + 9); // SIGKILL
  EXPECT_EQ(R.Out, "");
  EXPECT_LT(Took, std::chrono::seconds(10)) << "the group was not killed (sleep 30 kept the pipe)";
}

} // namespace
