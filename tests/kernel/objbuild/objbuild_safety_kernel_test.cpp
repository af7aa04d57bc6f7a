// What the changed-object build must never do: write into the tree, leave a half-written area,
// hide the compiler's message; and how it stops when cancelled.
#include "objbuild_kernel_fixture.h"

#include <chrono>
#include <thread>

using namespace klp;
using namespace klp::test;
namespace fs = std::filesystem;

namespace {

using Snapshot = std::map<std::string, fs::file_time_type>;

// Every entry (recursively) of the given tree directories, with its mtime; Shallow ones
// without descending.
Snapshot snapshot(const std::vector<std::string> &Deep, const std::vector<std::string> &Shallow) {
  Snapshot S;
  std::string Root = pinnedTree().root();
  for (const std::string &D : Shallow)
    for (const auto &E : fs::directory_iterator(Root + "/" + D))
      S[E.path().string()] = fs::symlink_status(E.path()).type() == fs::file_type::symlink
                                 ? fs::file_time_type()
                                 : E.last_write_time();
  for (const std::string &D : Deep) {
    S[Root + "/" + D] = fs::last_write_time(Root + "/" + D);
    for (const auto &E : fs::recursive_directory_iterator(Root + "/" + D))
      if (!E.is_symlink())
        S[E.path().string()] = E.last_write_time();
  }
  return S;
}

} // namespace

TEST(ObjectBuildSafety, TreeIsNotWritten) {
  KLP_REQUIRE_KERNEL_TREE();
  std::vector<std::string> Deep = {"fs/proc", "include/generated", "include/config",
                                   "include/linux", "tools/objtool"};
  std::vector<std::string> Shallow = {".", "fs", "include"};
  Snapshot Before = snapshot(Deep, Shallow);
  ASSERT_GT(Before.size(), 1000u);
  std::string Scratch = scratchDir("tree-untouched");
  ObjectBuildOptions Opts;
  Opts.BuildDir = Scratch + "/area";
  std::string Header = treeFile("include/linux/seq_file.h") + "\n/* patched */\n";
  std::string Source = treeFile("fs/proc/version.c") + "\n/* patched */\n";
  auto R = buildChangedObjects(pinnedTree(), {"fs/proc/cmdline.c", "fs/proc/version.c"},
                               {{"include/linux/seq_file.h", Header},
                                {"fs/proc/version.c", Source},
                                {"fs/proc/internal.h", treeFile("fs/proc/internal.h")}},
                               Opts);
  ASSERT_EQ(R.size(), 2u);
  Snapshot After = snapshot(Deep, Shallow);
  EXPECT_TRUE(Before == After);
  for (const auto &[Path, Time] : After)
    EXPECT_TRUE(Before.count(Path)) << "new in the tree: " << Path;
  for (const auto &[Path, Time] : Before)
    EXPECT_TRUE(After.count(Path) && After[Path] == Time) << "changed in the tree: " << Path;
}

TEST(ObjectBuildSafety, CompileErrorNamesTheFileWithTheCompilersMessage) {
  KLP_REQUIRE_KERNEL_TREE();
  std::string Scratch = scratchDir("compile-error");
  ObjectBuildOptions Opts;
  Opts.BuildDir = Scratch + "/area";
  std::string Broken = edited(treeFile("fs/proc/cmdline.c"), "\treturn 0;\n}\n\nstatic int __init",
                              "\treturn undeclared_thing;\n}\n\nstatic int __init");
  std::string Msg = errorOf([&] {
    buildChangedObjects(pinnedTree(), {"fs/proc/cmdline.c"}, {{"fs/proc/cmdline.c", Broken}}, Opts);
  });
  EXPECT_TRUE(Msg.starts_with("fs/proc/cmdline.c (patched): gcc-12 failed with exit code 1:\n"))
      << Msg;
  // gcc quotes the name with the locale's quotation marks.
  size_t Line = Msg.find("\nfs/proc/cmdline.c:11:16: error: ");
  ASSERT_NE(Line, std::string::npos) << Msg;
  EXPECT_NE(Msg.substr(Line, Msg.find('\n', Line + 1) - Line).find("undeclared_thing"),
            std::string::npos)
      << Msg;
  EXPECT_EQ(Msg.find("/mirror/"), std::string::npos) << Msg;
  // Nothing was published and the staging directory is gone.
  EXPECT_EQ(entryNames(Scratch), (std::vector<std::string>{"area.lock"}));
}

TEST(ObjectBuildSafety, FailedRebuildKeepsThePreviousArea) {
  KLP_REQUIRE_KERNEL_TREE();
  std::string Scratch = scratchDir("keep-previous");
  ObjectBuildOptions Opts;
  Opts.BuildDir = Scratch + "/area";
  auto R = buildChangedObjects(pinnedTree(), {"fs/proc/cmdline.c"}, {}, Opts);
  ASSERT_EQ(R.size(), 1u);
  std::string Before = fileText(R[0].Original);
  std::string Msg = errorOf([&] {
    buildChangedObjects(pinnedTree(), {"fs/proc/cmdline.c"}, {{"fs/proc/cmdline.c", "#error no\n"}},
                        Opts);
  });
  EXPECT_NE(Msg.find("fs/proc/cmdline.c:1:2: error: #error no"), std::string::npos) << Msg;
  EXPECT_TRUE(fileText(R[0].Original) == Before);
  EXPECT_EQ(entryNames(Scratch + "/area"),
            (std::vector<std::string>{"mirror", "original", "patched"}));
  EXPECT_EQ(entryNames(Scratch), (std::vector<std::string>{"area", "area.lock"}));
}

TEST(ObjectBuildSafety, CancelledBetweenUnits) {
  KLP_REQUIRE_KERNEL_TREE();
  std::string Scratch = scratchDir("cancel");
  ObjectBuildOptions Opts;
  Opts.BuildDir = Scratch + "/area";
  std::vector<std::string> Progress;
  Opts.Progress = [&](const std::string &M) { Progress.push_back(M); };
  Opts.Cancelled = [&] { return !Progress.empty(); }; // cancel once the first unit started
  EXPECT_THROW(
      buildChangedObjects(pinnedTree(), {"fs/proc/cmdline.c", "fs/proc/version.c"}, {}, Opts),
      BuildCancelled);
  EXPECT_EQ(Progress, (std::vector<std::string>{"compiling fs/proc/cmdline.c (original)",
                                                "compiling fs/proc/cmdline.c (patched)"}));
  EXPECT_EQ(entryNames(Scratch), (std::vector<std::string>{"area.lock"}));
  Opts.Cancelled = [] { return true; };
  Progress.clear();
  EXPECT_THROW(buildChangedObjects(pinnedTree(), {"fs/proc/cmdline.c"}, {}, Opts), BuildCancelled);
  EXPECT_EQ(Progress, std::vector<std::string>{});
}

TEST(ObjectBuildSafety, BuildDirectoryInsideTheTreeIsRefused) {
  KLP_REQUIRE_KERNEL_TREE();
  ObjectBuildOptions Opts;
  Opts.BuildDir = pinnedTree().root() + "/klp-build";
  EXPECT_EQ(errorOf([&] { buildChangedObjects(pinnedTree(), {"fs/proc/cmdline.c"}, {}, Opts); }),
            "build directory " + pinnedTree().root() + "/klp-build is inside the kernel tree " +
                pinnedTree().root() + "; the tree is never written: choose a directory outside it");
  EXPECT_FALSE(fs::exists(Opts.BuildDir));
  EXPECT_FALSE(fs::exists(Opts.BuildDir + ".lock"));
  EXPECT_EQ(errorOf([&] {
              buildChangedObjects(pinnedTree(), {"fs/proc/cmdline.c"}, {{"/etc/passwd", "x"}},
                                  ObjectBuildOptions{});
            }),
            "patched file /etc/passwd is not inside the kernel tree " + pinnedTree().root());
}

TEST(ObjectBuildSafety, DefaultBuildDirectoryIsKeyedByTheInputs) {
  KLP_REQUIRE_KERNEL_TREE();
  std::string Scratch = scratchDir("default-dir");
  const char *Old = getenv("XDG_CACHE_HOME");
  std::string Saved = Old ? Old : "";
  setenv("XDG_CACHE_HOME", Scratch.c_str(), 1);
  ObjectBuildOptions Opts;
  Opts.IpaClones = false;
  std::string A = treeFile("fs/proc/version.c") + "\n";
  auto R1 =
      buildChangedObjects(pinnedTree(), {"fs/proc/version.c"}, {{"fs/proc/version.c", A}}, Opts);
  auto R2 = buildChangedObjects(pinnedTree(), {"fs/proc/version.c"},
                                {{"fs/proc/version.c", A + "\n"}}, Opts);
  if (Old)
    setenv("XDG_CACHE_HOME", Saved.c_str(), 1);
  else
    unsetenv("XDG_CACHE_HOME");
  ASSERT_EQ(R1.size(), 1u);
  ASSERT_EQ(R2.size(), 1u);
  std::string Base = Scratch + "/klp-lsp/build/";
  EXPECT_TRUE(R1[0].Original.starts_with(Base)) << R1[0].Original;
  EXPECT_TRUE(R1[0].Original.ends_with("/original/fs/proc/version.o")) << R1[0].Original;
  EXPECT_EQ(R1[0].Original.size(),
            Base.size() + 16 + std::string("/original/fs/proc/version.o").size());
  EXPECT_NE(R1[0].Original, R2[0].Original);
  EXPECT_TRUE(fs::exists(R1[0].Patched));
  EXPECT_TRUE(fs::exists(R2[0].Patched));
}
