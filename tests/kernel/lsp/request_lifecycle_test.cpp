// Requests that wait for an analysis of kernel/acct.c: answered ContentModified when the document
// changes meanwhile, RequestCancelled on $/cancelRequest; and a flood of edits that the debounce
// collapses into few analyses of the final text.
#include "kernel_lsp_session.h"

using namespace klp::testing;

namespace {

Json hoverParams(const std::string &Uri, int Line, int Character) {
  return {{"textDocument", {{"uri", Uri}}},
          {"position", {{"line", Line}, {"character", Character}}}};
}

// The debounce of the two tests below keeps the analysis from finishing before the client's
// next message, whatever the machine's speed.
const int WaitingDebounceMs = 300;

// Opens kernel/acct.c with that debounce; returns its URI once the first diagnostics are in
// (empty when they never come).
std::string openAcctWaiting(KernelSession &S) {
  S.initialize({{"debounceMs", WaitingDebounceMs}});
  acct::expectPinnedLines(S);
  S.open(acct::Path);
  return S.publishAt(acct::Path, 1).is_null() ? "" : S.uri(acct::Path);
}

TEST(KernelLsp, HoverWaitingForAnalysisGetsContentModified) {
  KLP_LSP_REQUIRE_TREE();
  Expectations Acct("acct-dropped.json", /*ReadOnly=*/true);
  KernelSession S;
  std::string U = openAcctWaiting(S);
  ASSERT_FALSE(U.empty());

  acct::addField(S);
  // Sent right after the change: it waits for the analysis of version 2 ...
  int Hover = S.send("textDocument/hover", hoverParams(U, 114, 18));
  // ... which the next change makes stale.
  int V = acct::typeInComment(S, 'x');
  Json R = S.response(Hover);
  EXPECT_EQ(
      R,
      Json({{"jsonrpc", "2.0"},
            {"id", Hover},
            {"error",
             {{"code", -32801}, {"message", "the document changed while the request waited"}}}}));

  Json P = S.publishAt(acct::Path, V);
  EXPECT_EQ(S.normalize(P.value("diagnostics", Json())), Acct["diagnostics"]);
  // The same request now waits for nothing and is answered.
  Json Again = S.call("textDocument/hover", hoverParams(U, 114, 18));
  EXPECT_EQ(S.normalize(Again.value("result", Json())), Acct["hover"]);
  S.shutdownAndExit();
}

TEST(KernelLsp, CodeLensWaitingForAnalysisIsCancelled) {
  KLP_LSP_REQUIRE_TREE();
  Expectations Acct("acct-dropped.json", /*ReadOnly=*/true);
  KernelSession S;
  std::string U = openAcctWaiting(S);
  ASSERT_FALSE(U.empty());

  int V = acct::addField(S);
  int Lens = S.send("textDocument/codeLens", {{"textDocument", {{"uri", U}}}});
  S.client().notify("$/cancelRequest", {{"id", Lens}});
  EXPECT_EQ(S.response(Lens),
            Json({{"jsonrpc", "2.0"},
                  {"id", Lens},
                  {"error",
                   {{"code", -32800},
                    {"message", "request " + std::to_string(Lens) + " was cancelled"}}}}));

  // The analysis goes on; the server answers the next request from it.
  Json Hover = S.call("textDocument/hover", hoverParams(U, 114, 18));
  EXPECT_EQ(S.normalize(Hover.value("result", Json())), Acct["hover"]);
  Json P = S.publishAt(acct::Path, V);
  EXPECT_EQ(S.normalize(P.value("diagnostics", Json())), Acct["diagnostics"]);
  // A cancelled request is answered once: no second answer for its id.
  S.shutdownAndExit();
  for (const Json &M : S.unconsumed())
    EXPECT_NE(M.value("id", Json()), Json(Lens)) << M.dump();
}

// One analysis per generation. The first run (started by `initialized`) opens the tree and the
// baseline before it takes its snapshot of the editor, so a didOpen sent right after
// `initialized` is part of that run's snapshot. The scheduler must not run that generation
// again: a second, identical publish means it did. (Timing decides whether the open lands in
// that window; when it misses, the test passes without having shown anything.)
TEST(KernelLsp, OpenDuringFirstRunIsAnalysedOnce) {
  KLP_LSP_REQUIRE_TREE();
  KernelSession S;
  S.initialize({{"debounceMs", 0}}, /*Settle=*/false);
  std::string U = S.uri(acct::Path);
  // The worker has picked generation 1 by then and is still opening the tree (~20 ms here).
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  S.open(acct::Path);
  Json Empty = {{"uri", U}, {"version", 1}, {"diagnostics", Json::array()}};
  EXPECT_EQ(S.publishAt(acct::Path, 1), Empty);
  std::optional<Json> Again = S.client().waitFor(
      [&](const Json &M) {
        return M.value("method", "") == "textDocument/publishDiagnostics" &&
               M["params"]["uri"] == U;
      },
      std::chrono::seconds(3));
  EXPECT_FALSE(Again) << "version 1 was analysed and published twice: "
                      << Again.value_or(Json()).dump();
  S.shutdownAndExit();
}

// 200 incremental changes in a row, one character each (with the default debounce, 150 ms):
// 100 typed at the end of a comment, then 100 into the string of check_free_space()'s
// pr_info("Process accounting paused\n").
TEST(KernelLsp, FloodOfEditsIsDebounced) {
  KLP_LSP_REQUIRE_TREE();
  Expectations E("flood.json");
  KernelSession S;
  S.initialize();
  acct::expectPinnedLines(S);
  std::string Disk = S.diskText(acct::Path);
  const int PrInfoLine = 138;
  ASSERT_EQ(lineOf(Disk, PrInfoLine), "\t\t\tpr_info(\"Process accounting paused\\n\");");
  const int PrInfoColumn = int(std::string("\t\t\tpr_info(\"Process accounting paused").size());
  S.open(acct::Path);
  ASSERT_FALSE(S.publishAt(acct::Path, 1).is_null());

  const std::string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  auto Start = std::chrono::steady_clock::now();
  int V = 1;
  for (int I = 0; I < 100; ++I)
    V = acct::typeInComment(S, Alphabet[I % Alphabet.size()], I);
  for (int I = 0; I < 100; ++I)
    V = S.insert(acct::Path, PrInfoLine, PrInfoColumn + I,
                 std::string(1, Alphabet[(I + 7) % Alphabet.size()]));
  ASSERT_EQ(V, 201);
  // The I/O thread is not blocked by the analysis: a request it answers by itself comes back
  // at once.
  Json Outside = S.call("textDocument/hover", hoverParams("file:///nonexistent/x.c", 0, 0));
  EXPECT_EQ(Outside.value("result", Json("no result")), Json(nullptr)) << Outside.dump();
  EXPECT_LT(std::chrono::steady_clock::now() - Start, std::chrono::seconds(5));

  Json Final = S.publishAt(acct::Path, V);
  ASSERT_FALSE(Final.is_null()) << "no diagnostics for the final version";
  EXPECT_EQ(summary(Final["diagnostics"]),
            (std::vector<std::string>{"changed-function 3 122:12-122:28",
                                      "inline-callers 2 122:12-122:28"}));
  E.check("diagnostics", S.normalize(Final["diagnostics"]));
  // Publishes for versions 2..201: one per analysis that was not stale.
  int Analyses = S.publishes(acct::Path) - 1;
  EXPECT_GE(Analyses, 1);
  EXPECT_LE(Analyses, 10) << "the debounce did not collapse the edits";
  std::cerr << "flood: " << Analyses << " publishes for 200 edits\n";

  Json Report = S.call("workspace/executeCommand", {{"command", "klp.checkPatch"}});
  std::vector<std::string> Functions;
  for (const Json &F : Report["result"]["functions"])
    Functions.push_back(F["name"].get<std::string>() + " " + F["status"].get<std::string>());
  E.check("functions", Functions);
  S.shutdownAndExit();
}

} // namespace
