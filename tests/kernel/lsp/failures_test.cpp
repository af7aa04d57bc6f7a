// When the analysis cannot do its job on kernel/acct.c: text Clang cannot parse, a crash inside
// one analysis (the test hook KLP_LSP_TEST_CRASH), and the baseline setting (a pristine copy as
// the original side, or a directory that does not exist). The server keeps serving after each.
#include "kernel_lsp_session.h"

using namespace klp::testing;
namespace fs = std::filesystem;

namespace {

// "return acct->active;" in check_free_space(), whose ';' the compile-error test deletes.
const int ReturnLine = 127;
const std::string ReturnText = "\t\treturn acct->active;";

TEST(KernelLsp, CompileErrorIsReportedAndCleared) {
  KLP_LSP_REQUIRE_TREE();
  Expectations E("compile-error.json");
  Expectations Acct("acct-dropped.json", /*ReadOnly=*/true);
  KernelSession S;
  S.initialize({{"debounceMs", 0}});
  acct::expectPinnedLines(S);
  ASSERT_EQ(lineOf(S.diskText(acct::Path), ReturnLine), ReturnText);
  std::string U = S.uri(acct::Path);
  S.open(acct::Path);
  ASSERT_FALSE(S.publishAt(acct::Path, 1).is_null());

  int Semicolon = int(ReturnText.size()) - 1;
  int V = S.edit(acct::Path, range(ReturnLine, Semicolon, ReturnLine, Semicolon + 1), "");
  Json Broken = S.publishAt(acct::Path, V);
  ASSERT_FALSE(Broken.is_null());
  EXPECT_EQ(summary(Broken["diagnostics"]),
            std::vector<std::string>{"compile-error 1 127:21-127:21"});
  ASSERT_EQ(Broken["diagnostics"].size(), 1u);
  EXPECT_EQ(Broken["diagnostics"][0]["message"],
            "the patched code does not compile: expected ';' after return statement");
  E.check("diagnostics", S.normalize(Broken["diagnostics"]));

  // The ';' typed back: the text is the baseline's again, nothing to report.
  V = S.insert(acct::Path, ReturnLine, Semicolon, ";");
  EXPECT_EQ(S.publishAt(acct::Path, V),
            Json({{"uri", U}, {"version", V}, {"diagnostics", Json::array()}}));
  Json Lenses = S.call("textDocument/codeLens", {{"textDocument", {{"uri", U}}}});
  EXPECT_EQ(Lenses.value("result", Json()), Json::array());

  // And the next real change is analysed as usual.
  V = acct::addField(S);
  Json P = S.publishAt(acct::Path, V);
  EXPECT_EQ(S.normalize(P.value("diagnostics", Json())), Acct["diagnostics"]);
  S.shutdownAndExit();
  EXPECT_EQ(S.unconsumed(), std::vector<Json>{});
}

// Sets an environment variable for the scope (the server reads it on its worker thread).
struct ScopedEnv {
  ScopedEnv(const char *Name, const char *Value) : Name(Name) { ::setenv(Name, Value, 1); }
  ~ScopedEnv() { ::unsetenv(Name); }
  const char *Name;
};

TEST(KernelLsp, CrashInsideAnAnalysisIsSurvived) {
  KLP_LSP_REQUIRE_TREE();
  Expectations Acct("acct-dropped.json", /*ReadOnly=*/true);
  KernelSession S;
  S.initialize({{"debounceMs", 0}});
  acct::expectPinnedLines(S);
  std::string U = S.uri(acct::Path);
  S.open(acct::Path); // unchanged: not part of an analysis yet, so no crash
  ASSERT_EQ(S.publishAt(acct::Path, 1),
            Json({{"uri", U}, {"version", 1}, {"diagnostics", Json::array()}}));
  {
    ScopedEnv Crash("KLP_LSP_TEST_CRASH", acct::Path.c_str());
    int Crashed = acct::addField(S);
    EXPECT_EQ(S.showMessage(),
              Json({{"type", 1},
                    {"message", "klp-lsp: the analysis crashed (the server recovered; the "
                                "previous results are kept)"}}));
    // Requests about the crashed version are answered (from an empty result), not left waiting.
    Json Lenses = S.call("textDocument/codeLens", {{"textDocument", {{"uri", U}}}});
    EXPECT_EQ(Lenses.value("result", Json()), Json::array()) << Lenses.dump();
    for (const Json &M : S.unconsumed())
      EXPECT_NE(M.value("method", ""), "textDocument/publishDiagnostics")
          << "version " << Crashed << " crashed, yet: " << M.dump();
  }
  int V = acct::typeInComment(S, 'x');
  Json P = S.publishAt(acct::Path, V);
  EXPECT_EQ(S.normalize(P.value("diagnostics", Json())), Acct["diagnostics"]);
  S.shutdownAndExit();
  EXPECT_EQ(S.unconsumed(), std::vector<Json>{});
}

// A fresh directory under the system's temporary directory, removed at the end.
struct TempDir {
  TempDir() : Path(fs::temp_directory_path() / ("klp-lsp-baseline-" + std::to_string(::getpid()))) {
    fs::remove_all(Path);
    fs::create_directories(Path);
  }
  ~TempDir() { fs::remove_all(Path); }
  fs::path Path;
};

// The baseline is a pristine copy whose kernel/acct.c differs from the tree's in one line of
// check_free_space(): the tree's file, opened unmodified, is the patched side.
TEST(KernelLsp, BaselineIsAPristineCopy) {
  KLP_LSP_REQUIRE_TREE();
  Expectations E("baseline-path.json");
  TempDir Pristine;
  std::string Text = readFile(kernelTreeRoot() + "/" + acct::Path);
  const std::string Line = "pr_info(\"Process accounting paused\\n\");";
  ASSERT_EQ(positionOf(Text, Line), std::make_pair(138, 3));
  fs::create_directories(Pristine.Path / "kernel");
  std::ofstream(Pristine.Path / acct::Path, std::ios::binary)
      << replaceAll(Text, Line, "pr_info(\"Process accounting stopped\\n\");");

  KernelSession S;
  S.initialize({{"debounceMs", 0}, {"baseline", Pristine.Path.string()}});
  S.open(acct::Path);
  Json P = S.publishAt(acct::Path, 1);
  ASSERT_FALSE(P.is_null());
  EXPECT_EQ(summary(P["diagnostics"]),
            (std::vector<std::string>{"changed-function 3 122:12-122:28",
                                      "inline-callers 2 122:12-122:28"}));
  E.check("diagnostics", S.normalize(P["diagnostics"]));
  Json Report = S.call("workspace/executeCommand", {{"command", "klp.checkPatch"}});
  ASSERT_TRUE(Report.contains("result")) << Report.dump();
  EXPECT_EQ(Report["result"]["changedFiles"], Json({acct::Path}));
  E.check("functions", Report["result"]["functions"]);
  S.shutdownAndExit();
}

TEST(KernelLsp, BaselineDirectoryThatDoesNotExist) {
  KLP_LSP_REQUIRE_TREE();
  TempDir Gone;
  std::string Missing = (Gone.Path / "missing").string();
  KernelSession S;
  S.initialize({{"debounceMs", 0}, {"baseline", Missing}});
  EXPECT_EQ(S.showMessage(), Json({{"type", 1},
                                   {"message", "klp-lsp cannot analyse this workspace: baseline '" +
                                                   Missing + "': not a directory"}}));
  // Requests still get an answer: the request fails with the reason.
  S.open(acct::Path);
  Json Report = S.call("workspace/executeCommand", {{"command", "klp.checkPatch"}});
  EXPECT_EQ(Report.value("error", Json()),
            Json({{"code", -32803}, {"message", "baseline '" + Missing + "': not a directory"}}));
  S.shutdownAndExit();
  EXPECT_EQ(S.unconsumed(), std::vector<Json>{}) << "the error is shown once";
}

} // namespace
