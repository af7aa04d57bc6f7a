// `klp-lsp build` usage errors: exit code 2, one exact "klp-lsp: error: ..." line, nothing on
// stdout and no module written. No kernel tree needed: every case fails before a tree is opened.
#include "klp/error.h"
#include "klp/patch.h"
#include "run_binary.h"

using namespace klp;
using namespace klp::test;
namespace fs = std::filesystem;

namespace {

const std::string GoodPatch = "--- a/fs/a.c\n"
                              "+++ b/fs/a.c\n"
                              "@@ -1,2 +1,2 @@\n"
                              " int a;\n"
                              "-int b;\n"
                              "+int c;\n";

// The hunk claims 3 old lines but has 2.
const std::string MalformedPatch = "--- a/fs/a.c\n"
                                   "+++ b/fs/a.c\n"
                                   "@@ -1,3 +1,2 @@\n"
                                   " int a;\n"
                                   "-int b;\n"
                                   "+int c;\n";

void expectFailure(const RunResult &R, const std::string &Message) {
  EXPECT_EQ(R.ExitCode, 2);
  EXPECT_EQ(R.Err, "klp-lsp: error: " + Message + "\n");
  EXPECT_EQ(R.Out, "");
}

TEST(CliBuildUsage, MissingOutput) {
  Scratch S("build-no-o");
  writeText(S.Dir / "p.patch", GoodPatch);
  expectFailure(runKlpLsp({"build", "--kernel", S.Dir.string(), (S.Dir / "p.patch").string()}),
                "missing -o FILE.ko (where to write the livepatch module)");
}

TEST(CliBuildUsage, MissingKernel) {
  Scratch S("build-no-kernel");
  writeText(S.Dir / "p.patch", GoodPatch);
  std::string Ko = (S.Dir / "x.ko").string();
  expectFailure(runKlpLsp({"build", "-o", Ko, (S.Dir / "p.patch").string()}),
                "missing --kernel TREE (the prepared kernel tree the patch applies to)");
  EXPECT_FALSE(fs::exists(Ko));
}

TEST(CliBuildUsage, TreeIsNotADirectory) {
  Scratch S("build-tree-file");
  std::string P = (S.Dir / "p.patch").string();
  writeText(P, GoodPatch);
  expectFailure(runKlpLsp({"build", "--kernel", P, "-o", (S.Dir / "x.ko").string(), P}),
                "kernel tree '" + P + "' is not a directory");
}

TEST(CliBuildUsage, UnreadablePatch) {
  Scratch S("build-unreadable");
  std::string Missing = (S.Dir / "missing.patch").string();
  std::string Ko = (S.Dir / "x.ko").string();
  expectFailure(runKlpLsp({"build", "--kernel", S.Dir.string(), "-o", Ko, Missing}),
                "cannot read patch '" + Missing + "': No such file or directory");
  EXPECT_FALSE(fs::exists(Ko));
}

TEST(CliBuildUsage, MalformedPatch) {
  Scratch S("build-malformed");
  std::string P = (S.Dir / "bad.patch").string();
  std::string Ko = (S.Dir / "x.ko").string();
  writeText(P, MalformedPatch);
  std::string Expected;
  try {
    parsePatch(MalformedPatch, P);
  } catch (const Error &E) {
    Expected = E.what();
  }
  ASSERT_EQ(Expected.rfind(P + ":", 0), 0u) << Expected;
  expectFailure(runKlpLsp({"build", "--kernel", S.Dir.string(), "-o", Ko, P}), Expected);
  EXPECT_FALSE(fs::exists(Ko));
}

TEST(CliBuildUsage, OutputWithoutValue) {
  expectFailure(runKlpLsp({"build", "-o"}), "for the -o option: requires a value!");
}

} // namespace
