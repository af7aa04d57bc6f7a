// Compile failures become "compile-error" findings at the diagnostic's position.
#include "output/compile_errors.h"
#include <gtest/gtest.h>

using namespace klp;
using namespace klp::output;

namespace {

std::optional<std::string> stripRoot(const std::string &Path) {
  const std::string Root = "/src/linux/";
  if (Path.rfind(Root, 0) == 0)
    return Path.substr(Root.size());
  if (!Path.empty() && Path[0] != '/')
    return Path;
  return std::nullopt;
}

std::string where(const Finding &F) {
  return F.File + ":" + std::to_string(F.Where.Start.Line) + ":" +
         std::to_string(F.Where.Start.Character) + "-" + std::to_string(F.Where.End.Line) + ":" +
         std::to_string(F.Where.End.Character);
}

TEST(CompileErrors, OneFindingPerDiagnostic) {
  analysis::CheckResult R;
  R.Result.Findings.push_back({"changed-function", Severity::Info, "a.c", {}, "x", {}, {}, "f"});
  R.Failures = {{"fs/ext4/super.c",
                 true,
                 {"/src/linux/fs/ext4/super.c:120:5: error: use of undeclared identifier 'foo'",
                  "/src/linux/include/linux/fs.h:7:1: fatal error: 'x.h' file not found\n"
                  "    7 | #include <x.h>",
                  "/usr/include/stdio.h:3:2: error: outside the tree",
                  "too many errors emitted, stopping now"}}};
  addCompileErrorFindings(R, stripRoot);
  ASSERT_EQ(R.Result.Findings.size(), 5u);
  std::vector<std::string> Got;
  for (size_t I = 1; I < 5; ++I) {
    const Finding &F = R.Result.Findings[I];
    EXPECT_EQ(F.Rule, "compile-error");
    EXPECT_EQ(F.Sev, Severity::Error);
    EXPECT_EQ(F.Symbol, "");
    Got.push_back(where(F) + " " + F.Message);
  }
  EXPECT_EQ(Got, (std::vector<std::string>{
                     "fs/ext4/super.c:119:4-119:4 patched code does not compile: use of "
                     "undeclared identifier 'foo'",
                     "include/linux/fs.h:6:0-6:0 patched code does not compile: 'x.h' file not "
                     "found",
                     "/usr/include/stdio.h:2:1-2:1 patched code does not compile: outside the "
                     "tree",
                     "fs/ext4/super.c:0:0-0:0 patched code does not compile: too many errors "
                     "emitted, stopping now"}));
  EXPECT_EQ(R.Result.verdict(), "unsafe");
}

TEST(CompileErrors, OriginalSideIsMappedToPatchedLines) {
  // Two lines inserted after original line 2: original line 10 is patched line 12.
  FileChange C;
  C.Path = C.OldPath = "a.c";
  C.Original = "x\ny\n1\n2\n3\n4\n5\n6\n7\n8\n";
  C.Patched = "x\ny\nn1\nn2\n1\n2\n3\n4\n5\n6\n7\n8\n";
  C.Lines = LineMap::fromTexts(*C.Original, *C.Patched);
  FileChange Renamed;
  Renamed.Path = "new.c";
  Renamed.OldPath = "old.c";
  Renamed.Original = Renamed.Patched = "a\nb\nc\n";
  analysis::CheckResult R;
  R.Failures = {{"a.c", false, {"a.c:10:3: error: bad"}},
                {"b.c", false, {"b.c:10:3: error: bad"}},
                {"old.c", false, {"old.c:3:1: error: gone"}}};
  addCompileErrorFindings(R, stripRoot, {C, Renamed});
  ASSERT_EQ(R.Result.Findings.size(), 3u);
  EXPECT_EQ(where(R.Result.Findings[2]), "new.c:2:0-2:0");
  EXPECT_EQ(where(R.Result.Findings[0]), "a.c:11:2-11:2");
  EXPECT_EQ(R.Result.Findings[0].Message, "original code does not compile: bad");
  EXPECT_EQ(where(R.Result.Findings[1]), "b.c:9:2-9:2"); // not a changed file: kept as is
}

TEST(CompileErrors, AlreadyReportedByTheAnalysis) {
  analysis::CheckResult R;
  R.Result.Findings.push_back({"compile-error",
                               Severity::Error,
                               "a.c",
                               {},
                               "the patched code does not compile: x",
                               {},
                               {},
                               ""});
  R.Failures = {{"a.c", true, {"a.c:1:1: error: x"}}};
  addCompileErrorFindings(R, stripRoot);
  ASSERT_EQ(R.Result.Findings.size(), 1u);
  EXPECT_EQ(R.Result.Findings[0].Message, "the patched code does not compile: x");
}

TEST(CompileErrors, NoFailuresNoFindings) {
  analysis::CheckResult R;
  addCompileErrorFindings(R, stripRoot);
  EXPECT_TRUE(R.Result.Findings.empty());
}

} // namespace
