#include "../../../kbuild-integration/src/include_index.h"
#include "kbuild_test_data.h"

#include <gtest/gtest.h>

using namespace klp;
using Strings = std::vector<std::string>;

TEST(IncludeScan, DirectiveKinds) {
  Strings Got;
  for (const IncludeDirective &D : scanIncludes(test::readData("include-scan.c")))
    Got.push_back(std::string(D.Next ? "next " : "") + (D.Angled ? "<" : "\"") + D.Name +
                  (D.Angled ? ">" : "\""));
  EXPECT_EQ(Got, test::lines(test::readData("include-scan.expected")));
}

TEST(IncludeScan, SearchConfigFromCompilerArgs) {
  SearchConfig C = searchConfigFromArgs(
      {"-nostdinc", "-I./arch/x86/include", "-I", "include", "-Idrivers/foo/../bar", "-iquote",
       "/tree/kernel", "-isystem", "/usr/lib/gcc/include", "-idirafter", "lib", "-include",
       "./include/linux/kconfig.h", "-I/elsewhere", "-DINCLUDE=1"},
      "/tree");
  EXPECT_EQ(C.Quote, Strings{"kernel"});
  EXPECT_EQ(C.Angle, (Strings{"arch/x86/include", "include", "drivers/bar", "lib"}));
  EXPECT_EQ(C.Forced, Strings{"include/linux/kconfig.h"});
}

namespace {

// tests/data/kbuild/include-tree: three units sharing include/linux/base.h, whose
// #include "common.h" resolves through each unit's own -I directory (or nowhere).
std::unique_ptr<IncludeIndex> smallTree() {
  std::string Root = test::dataPath("include-tree");
  auto Tu = [&](const std::string &Src, Strings Extra) {
    Strings Args = {"-I./include", "-include", "./include/linux/forced.h"};
    for (const std::string &E : Extra)
      Args.push_back("-I" + E);
    return IncludeTu{Src, searchConfigFromArgs(Args, Root)};
  };
  return IncludeIndex::build(Root,
                             {Tu("kernel/main.c", {}), Tu("drivers/foo/foo.c", {"drivers/foo/inc"}),
                              Tu("drivers/bar/bar.c", {"drivers/bar/inc"})});
}

void expectSmallTree(const IncludeIndex &X) {
  EXPECT_EQ(X.includers("include/linux/base.h"),
            (Strings{"drivers/bar/bar.c", "drivers/foo/foo.c", "kernel/main.c"}));
  EXPECT_EQ(X.includers("include/linux/forced.h"),
            (Strings{"drivers/bar/bar.c", "drivers/foo/foo.c", "kernel/main.c"}));
  // base.h reaches foo's common.h only under foo.c's search path, bar's only under bar.c's.
  EXPECT_EQ(X.includers("drivers/foo/inc/common.h"), Strings{"drivers/foo/foo.c"});
  EXPECT_EQ(X.includers("drivers/bar/inc/common.h"), Strings{"drivers/bar/bar.c"});
  EXPECT_EQ(X.includers("drivers/bar/bar.h"), Strings{"drivers/foo/foo.c"});
  EXPECT_EQ(X.includers("include/linux/commented.h"), Strings{});
  EXPECT_EQ(X.includers("kernel/main.c"), Strings{});
  EXPECT_EQ(X.includers("no/such.h"), Strings{});
}

} // namespace

TEST(IncludeIndex, ResolvesPerSearchConfiguration) {
  std::unique_ptr<IncludeIndex> X = smallTree();
  EXPECT_EQ(X->fileCount(), 10u);
  expectSmallTree(*X);
}

TEST(IncludeIndex, SaveLoadRoundTrip) {
  std::unique_ptr<IncludeIndex> X = smallTree();
  std::unique_ptr<IncludeIndex> Y = IncludeIndex::load(X->save());
  ASSERT_TRUE(Y);
  EXPECT_EQ(Y->save(), X->save());
  expectSmallTree(*Y);
  EXPECT_FALSE(IncludeIndex::load("not an index"));
}
