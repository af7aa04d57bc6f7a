// What readTargetStatus refuses, with messages naming the input and the problem.
#include "klp/error.h"
#include "klp/target_status.h"
#include "status_root.h"
#include <gtest/gtest.h>

namespace klp::test {
namespace {

std::string errorOf(const std::string &Root) {
  try {
    readTargetStatus(Root);
  } catch (const Error &E) {
    return E.what();
  }
  return "(no error)";
}

TEST(StatusErrors, RootMissing) {
  EXPECT_EQ(errorOf("/nonexistent/klp-status-root"),
            "root '/nonexistent/klp-status-root' does not exist");
}

TEST(StatusErrors, RootIsAFile) {
  RecordedRoot R;
  R.file("plain", "x");
  EXPECT_EQ(errorOf(R.root() + "/plain"), "root '" + R.root() + "/plain' is not a directory");
}

TEST(StatusErrors, OsreleaseMissing) {
  RecordedRoot R;
  R.readySystem();
  R.remove("proc/sys/kernel/osrelease");
  EXPECT_EQ(errorOf(R.root()),
            R.root() + "/proc/sys/kernel/osrelease does not exist (the kernel release)");
}

TEST(StatusErrors, TaintedMissing) {
  RecordedRoot R;
  R.readySystem();
  R.remove("proc/sys/kernel/tainted");
  EXPECT_EQ(errorOf(R.root()),
            R.root() + "/proc/sys/kernel/tainted does not exist (the kernel's taint flags)");
}

TEST(StatusErrors, TaintedIsADirectory) {
  RecordedRoot R;
  R.readySystem();
  R.remove("proc/sys/kernel/tainted");
  R.dir("proc/sys/kernel/tainted");
  EXPECT_EQ(errorOf(R.root()), R.root() + "/proc/sys/kernel/tainted is a directory, expected a "
                                          "file (the kernel's taint flags)");
}

TEST(StatusErrors, TaintedNotANumber) {
  RecordedRoot R;
  R.readySystem();
  R.file("proc/sys/kernel/tainted", "lots\n");
  EXPECT_EQ(errorOf(R.root()),
            R.root() + "/proc/sys/kernel/tainted: expected a decimal number, got 'lots'");
}

TEST(StatusErrors, ModulesDisabledNotZeroOrOne) {
  RecordedRoot R;
  R.readySystem();
  R.file("proc/sys/kernel/modules_disabled", "2\n");
  EXPECT_EQ(errorOf(R.root()),
            R.root() + "/proc/sys/kernel/modules_disabled: expected 0 or 1, got '2'");
}

TEST(StatusErrors, ConfigGzNotGzip) {
  RecordedRoot R;
  R.readySystem();
  R.file("proc/config.gz", "CONFIG_LIVEPATCH=y\n");
  EXPECT_EQ(errorOf(R.root()),
            R.root() + "/proc/config.gz is not gzip data (the kernel configuration)");
}

TEST(StatusErrors, ConfigGzTruncated) {
  RecordedRoot R;
  R.readySystem();
  R.gzip("proc/config.gz", RecordedRoot::config({}) + std::string(4000, '#'));
  std::filesystem::resize_file(R.path("proc/config.gz"), 30);
  std::string Message = errorOf(R.root());
  EXPECT_TRUE(Message.starts_with(R.root() + "/proc/config.gz is not valid gzip data (the kernel "
                                             "configuration): "))
      << Message;
}

} // namespace
} // namespace klp::test
