// klp-lsp's own failures: exit code 2, one exact "klp-lsp: error: ..." message on stderr, and
// nothing on stdout or in the -o file. No kernel tree needed: every case fails before the tree
// is opened (or opens a directory that is not a kernel tree).
#include "cli/version.h"
#include "klp/error.h"
#include "klp/kernel_tree.h"
#include "klp/patch.h"
#include "run_binary.h"
#include <algorithm>

using namespace klp;
using namespace klp::test;
namespace fs = std::filesystem;

namespace {

const std::string GoodPatch = "diff --git a/fs/a.c b/fs/a.c\n"
                              "--- a/fs/a.c\n"
                              "+++ b/fs/a.c\n"
                              "@@ -1,2 +1,2 @@\n"
                              " int a;\n"
                              "-int b;\n"
                              "+int c;\n";

// The hunk claims 3 old lines but has 2.
const std::string MalformedPatch = "diff --git a/fs/a.c b/fs/a.c\n"
                                   "--- a/fs/a.c\n"
                                   "+++ b/fs/a.c\n"
                                   "@@ -1,3 +1,2 @@\n"
                                   " int a;\n"
                                   "-int b;\n"
                                   "+int c;\n"
                                   "diff --git a/fs/b.c b/fs/b.c\n";

void expectFailure(const RunResult &R, const std::string &Message) {
  EXPECT_EQ(R.ExitCode, 2);
  EXPECT_EQ(R.Err, "klp-lsp: error: " + Message + "\n");
  EXPECT_EQ(R.Out, "");
}

std::string parseError(const std::string &Text, const std::string &Name) {
  try {
    parsePatch(Text, Name);
  } catch (const Error &E) {
    return E.what();
  }
  ADD_FAILURE() << "parsePatch accepted the malformed patch";
  return "";
}

TEST(CliUsage, UnknownCommand) {
  expectFailure(runKlpLsp({"chek"}), "unknown command 'chek'; try 'klp-lsp help'");
  expectFailure(runKlpLsp({"help", "chek"}), "unknown command 'chek'; try 'klp-lsp help'");
}

TEST(CliUsage, MissingKernel) {
  Scratch S("missing-kernel");
  const fs::path D = S.Dir;
  writeText(D / "p.patch", GoodPatch);
  expectFailure(runKlpLsp({"check", (D / "p.patch").string()}),
                "missing --kernel TREE (the prepared kernel tree to check the patch against)");
}

TEST(CliUsage, KernelWithoutValue) {
  expectFailure(runKlpLsp({"check", "--kernel"}), "for the --kernel option: requires a value!");
}

TEST(CliUsage, UnknownOption) {
  RunResult R = runKlpLsp({"check", "--kernal", "/tmp"});
  EXPECT_EQ(R.ExitCode, 2);
  EXPECT_EQ(R.Err, "klp-lsp: error: Unknown command line argument '--kernal'.  Try: 'klp-lsp "
                   "help check'\n"
                   "klp-lsp: note: did you mean '--kernel'?\n");
  EXPECT_EQ(R.Out, "");
}

TEST(CliUsage, TreeDoesNotExist) {
  Scratch S("no-tree");
  const fs::path D = S.Dir;
  writeText(D / "p.patch", GoodPatch);
  std::string Tree = (D / "no-such-tree").string();
  expectFailure(runKlpLsp({"check", "--kernel", Tree, (D / "p.patch").string()}),
                "kernel tree '" + Tree + "' does not exist");
}

TEST(CliUsage, TreeIsAFile) {
  Scratch S("tree-file");
  const fs::path D = S.Dir;
  writeText(D / "p.patch", GoodPatch);
  std::string Tree = (D / "p.patch").string();
  expectFailure(runKlpLsp({"check", "--kernel=" + Tree, Tree}),
                "kernel tree '" + Tree + "' is not a directory");
}

TEST(CliUsage, UnknownFormat) {
  Scratch S("format");
  const fs::path D = S.Dir;
  writeText(D / "p.patch", GoodPatch);
  expectFailure(
      runKlpLsp({"check", "--kernel", D.string(), "--format", "xml", (D / "p.patch").string()}),
      "unknown --format 'xml' (expected text, json or sarif)");
}

TEST(CliUsage, UnreadablePatch) {
  Scratch S("unreadable");
  const fs::path D = S.Dir;
  std::string Missing = (D / "missing.patch").string();
  expectFailure(runKlpLsp({"check", "--kernel", D.string(), Missing}),
                "cannot read patch '" + Missing + "': No such file or directory");
  expectFailure(runKlpLsp({"check", "--kernel", D.string(), D.string()}),
                "cannot read patch '" + D.string() + "': Is a directory");
}

TEST(CliUsage, MalformedPatchFile) {
  Scratch S("malformed");
  const fs::path D = S.Dir;
  std::string P = (D / "bad.patch").string();
  writeText(P, MalformedPatch);
  std::string Expected = parseError(MalformedPatch, P);
  // parsePatch's message names the patch and the line.
  EXPECT_EQ(Expected.rfind(P + ":", 0), 0u) << Expected;
  expectFailure(runKlpLsp({"check", "--kernel", D.string(), P}), Expected);
}

TEST(CliUsage, MalformedPatchOnStdin) {
  Scratch S("malformed-stdin");
  const fs::path D = S.Dir;
  writeText(D / "bad.patch", MalformedPatch);
  std::string Expected = parseError(MalformedPatch, "<stdin>");
  EXPECT_EQ(Expected.rfind("<stdin>:", 0), 0u) << Expected;
  expectFailure(runKlpLsp({"check", "--kernel", D.string()}, (D / "bad.patch").string()), Expected);
  expectFailure(runKlpLsp({"check", "--kernel", D.string(), "-"}, (D / "bad.patch").string()),
                Expected);
}

// A series is validated completely before the tree is used: the second patch's error is
// reported even though the first one is fine.
TEST(CliUsage, MalformedSecondPatchOfSeries) {
  Scratch S("series");
  const fs::path D = S.Dir;
  writeText(D / "1.patch", GoodPatch);
  writeText(D / "2.patch", MalformedPatch);
  expectFailure(runKlpLsp({"check", "--kernel", D.string(), (D / "1.patch").string(),
                           (D / "2.patch").string()}),
                parseError(MalformedPatch, (D / "2.patch").string()));
}

TEST(CliUsage, NotAKernelTree) {
  Scratch S("not-kernel");
  const fs::path D = S.Dir;
  fs::create_directories(D / "tree");
  writeText(D / "p.patch", GoodPatch);
  std::string Expected;
  try {
    KernelTree::open((D / "tree").string(), (D / "cache").string());
    ADD_FAILURE() << "an empty directory opened as a kernel tree";
  } catch (const Error &E) {
    Expected = E.what();
  }
  expectFailure(runKlpLsp({"check", "--kernel", (D / "tree").string(), "--cache-dir",
                           (D / "cache").string(), (D / "p.patch").string()}),
                Expected);
}

TEST(CliUsage, FailedRunLeavesOutputFileAlone) {
  Scratch S("no-output");
  const fs::path D = S.Dir;
  writeText(D / "bad.patch", MalformedPatch);
  writeText(D / "old.json", "previous report\n");
  expectFailure(runKlpLsp({"check", "--kernel", D.string(), "--format", "json", "-o",
                           (D / "new.json").string(), (D / "bad.patch").string()}),
                parseError(MalformedPatch, (D / "bad.patch").string()));
  EXPECT_FALSE(fs::exists(D / "new.json"));
  runKlpLsp({"check", "--kernel", D.string(), "-o", (D / "old.json").string(),
             (D / "bad.patch").string()});
  EXPECT_EQ(slurp(D / "old.json"), "previous report\n");
  std::vector<std::string> Left;
  for (const auto &E : fs::directory_iterator(D))
    Left.push_back(E.path().filename().string());
  std::sort(Left.begin(), Left.end());
  EXPECT_EQ(Left, (std::vector<std::string>{"bad.patch", "old.json"}));
}

TEST(CliInfo, Version) {
  RunResult R = runKlpLsp({"--version"});
  EXPECT_EQ(R.ExitCode, 0);
  EXPECT_EQ(R.Out, std::string("klp-lsp ") + cli::toolVersion() + "\n");
  EXPECT_EQ(R.Err, "");
}

TEST(CliInfo, Help) {
  RunResult R = runKlpLsp({"help"});
  EXPECT_EQ(R.ExitCode, 0);
  EXPECT_EQ(R.Err, "");
  EXPECT_NE(R.Out.find("USAGE: klp-lsp [subcommand] [options]"), std::string::npos) << R.Out;
  // Names padded to the longest subcommand ("status").
  for (const char *Line : {"\n  build  - Build a livepatch module from a patch",
                           "\n  check  - Check a patch against a prepared kernel tree",
                           "\n  serve  - Speak the Language Server Protocol (3.17)",
                           "\n  status - Show the livepatch status of a running or recorded"})
    EXPECT_NE(R.Out.find(Line), std::string::npos) << Line << "\n" << R.Out;
  // libLLVM's own options stay hidden.
  EXPECT_EQ(R.Out.find("--print-after"), std::string::npos) << R.Out;

  RunResult Check = runKlpLsp({"help", "check"});
  EXPECT_EQ(Check.ExitCode, 0);
  for (const char *Opt : {"--kernel=<tree>", "--format=<format>", "-o <file>", "--cache-dir=<dir>"})
    EXPECT_NE(Check.Out.find(Opt), std::string::npos) << Opt << "\n" << Check.Out;
  EXPECT_EQ(runKlpLsp({"check", "--help"}).Out, Check.Out);
}

} // namespace
