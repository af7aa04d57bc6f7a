// KernelTree::open on small fake trees: what it checks and the messages it gives.
#include "klp/error.h"
#include "klp/kernel_tree.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace fs = std::filesystem;
using namespace klp;

namespace {

struct FakeTree : ::testing::Test {
  std::string Dir, Cache;
  void SetUp() override {
    std::string Templ = fs::temp_directory_path().string() + "/klp-fake-tree-XXXXXX";
    ASSERT_TRUE(mkdtemp(Templ.data()));
    Dir = fs::canonical(Templ).string();
    Cache = Dir + "-cache";
  }
  void TearDown() override {
    fs::remove_all(Dir);
    fs::remove_all(Cache);
  }
  void file(const std::string &Rel, const std::string &Text = "") {
    fs::create_directories(fs::path(Dir + "/" + Rel).parent_path());
    std::ofstream(Dir + "/" + Rel) << Text;
  }
  void kernelSkeleton() {
    file("Makefile");
    file("Kconfig");
    fs::create_directories(Dir + "/scripts");
  }
  void prepared(const std::string &AutoConf) {
    kernelSkeleton();
    file(".config", AutoConf);
    file("include/generated/autoconf.h");
    file("include/generated/utsrelease.h");
    file("include/config/auto.conf", AutoConf);
  }
  std::string openError(const std::string &Root) {
    try {
      KernelTree::open(Root, Cache);
    } catch (const Error &E) {
      return E.what();
    }
    return "";
  }
};

} // namespace

TEST_F(FakeTree, MissingOrNotATree) {
  EXPECT_EQ(openError(Dir + "/nope"), "kernel tree " + Dir + "/nope does not exist");
  file("plain");
  EXPECT_EQ(openError(Dir + "/plain"), "kernel tree " + Dir + "/plain is not a directory");
  EXPECT_EQ(openError(Dir), Dir + " is not a kernel source tree: Makefile is missing");
}

TEST_F(FakeTree, NotPrepared) {
  kernelSkeleton();
  file(".config");
  EXPECT_EQ(openError(Dir), "kernel tree " + Dir +
                                " is not prepared: include/config/auto.conf is missing; run "
                                "`make olddefconfig && make prepare` in it (for the pinned test "
                                "tree: scripts/kernel-fixture)");
}

TEST_F(FakeTree, ModversionsNeedsGenksyms) {
  prepared("CONFIG_MODVERSIONS=y\n");
  EXPECT_EQ(openError(Dir), "kernel tree " + Dir +
                                " is not prepared: scripts/genksyms/genksyms is missing "
                                "(CONFIG_MODVERSIONS is set); run `make scripts` in it (for the "
                                "pinned test tree: scripts/kernel-fixture)");
}

TEST_F(FakeTree, StaleConfiguration) {
  prepared("CONFIG_X=y\n");
  fs::last_write_time(Dir + "/.config", fs::last_write_time(Dir + "/include/config/auto.conf") +
                                            std::chrono::hours(1));
  EXPECT_EQ(openError(Dir), "kernel tree " + Dir +
                                " is not prepared: .config is newer than include/config/auto.conf; "
                                "run `make olddefconfig && make prepare` in it (for the pinned "
                                "test tree: scripts/kernel-fixture)");
}

TEST_F(FakeTree, ConfigAndPaths) {
  prepared("# comment\nCONFIG_EXT4_FS=m\nCONFIG_CC_VERSION_TEXT=\"gcc-12 (Debian) \\\"x\\\"\"\n"
           "CONFIG_HZ=250\n");
  std::unique_ptr<KernelTree> T = KernelTree::open(Dir + "/./", Cache);
  EXPECT_EQ(T->root(), Dir);
  EXPECT_EQ(T->config("CONFIG_EXT4_FS"), "m");
  EXPECT_EQ(T->config("EXT4_FS"), "m");
  EXPECT_EQ(T->config("CONFIG_CC_VERSION_TEXT"), "gcc-12 (Debian) \"x\"");
  EXPECT_EQ(T->config("CONFIG_HZ"), "250");
  EXPECT_EQ(T->config("CONFIG_NOT_THERE"), "");
  EXPECT_EQ(T->absolute("fs/./proc/../proc/x.c"), Dir + "/fs/proc/x.c");
  EXPECT_EQ(T->relative(Dir + "/fs/proc/x.c"), "fs/proc/x.c");
  EXPECT_EQ(T->relative("fs//proc/./x.c"), "fs/proc/x.c");
  EXPECT_EQ(T->relative("/etc/passwd"), std::nullopt);
  EXPECT_EQ(T->relative("../x.c"), std::nullopt);
  EXPECT_TRUE(fs::is_directory(Cache + "/trees"));
}

TEST_F(FakeTree, CacheInsideTheTreeIsRefused) {
  prepared("CONFIG_X=y\n");
  try {
    KernelTree::open(Dir, Dir + "/cache");
    FAIL() << "no error";
  } catch (const Error &E) {
    EXPECT_EQ(std::string(E.what()),
              "cache directory " + Dir + "/cache is inside the kernel tree " + Dir +
                  "; the tree is never written: choose a cache directory outside it");
  }
  EXPECT_FALSE(fs::exists(Dir + "/cache"));
}
