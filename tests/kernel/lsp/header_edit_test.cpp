// A header edit reaches the translation units that include it: kernel/async.c and the
// subsystem-local header kernel/workqueue_internal.h are open; the static inline
// current_wq_worker() in the header changes. The header gets the findings, async.c (unchanged)
// one diagnostic on its #include line for them, and its current_is_async(), into which the
// inline function is compiled, a code lens. Expectations:
// tests/data/lsp-kernel/workqueue-internal-header.json.
#include "kernel_lsp_session.h"

using namespace klp::testing;

namespace {

const std::string Header = "kernel/workqueue_internal.h";
const std::string Source = "kernel/async.c";

TEST(KernelLsp, HeaderEditReachesIncluders) {
  KLP_LSP_REQUIRE_TREE();
  Expectations E("workqueue-internal-header.json");
  KernelSession S;
  S.initialize({{"debounceMs", 0}});
  std::string HeaderText = S.diskText(Header);
  ASSERT_EQ(lineOf(HeaderText, 67), "\tif (in_task() && (current->flags & PF_WQ_WORKER))");
  ASSERT_NE(S.diskText(Source).find("#include \"workqueue_internal.h\""), std::string::npos);

  // One at a time, so that each open gets an analysis of its own: nothing changed, an empty
  // list for each open document.
  Json Empty = Json::array();
  S.open(Header);
  EXPECT_EQ(S.publishAt(Header, 1),
            Json({{"uri", S.uri(Header)}, {"version", 1}, {"diagnostics", Empty}}));
  S.open(Source);
  EXPECT_EQ(S.publishAt(Source, 1),
            Json({{"uri", S.uri(Source)}, {"version", 1}, {"diagnostics", Empty}}));
  EXPECT_EQ(S.nextPublish(Header),
            Json({{"uri", S.uri(Header)}, {"version", 1}, {"diagnostics", Empty}}));
  EXPECT_EQ(S.unconsumed(), std::vector<Json>{});

  // current->flags -> READ_ONCE(current->flags)
  int V = S.edit(Header, range(67, 19, 67, 33), "READ_ONCE(current->flags)");
  // One analysis, one publish per open document and nothing else: the header's findings, and
  // on async.c's `#include "workqueue_internal.h"` line the header's worst finding.
  std::map<std::string, Json> Published;
  for (int I = 0; I < 2; ++I) {
    std::optional<Json> M = S.client().waitFor(
        [](const Json &X) { return X.value("method", "") != "window/logMessage"; }, LspWait);
    ASSERT_TRUE(M) << "publish " << I << " did not arrive";
    Json X = M.value_or(Json());
    ASSERT_EQ(X.value("method", ""), "textDocument/publishDiagnostics") << X.dump();
    Published[X["params"].value("uri", "")] = X["params"];
  }
  Json HeaderP = Published[S.uri(Header)], SourceP = Published[S.uri(Source)];
  EXPECT_EQ(HeaderP["version"], V);
  EXPECT_EQ(
      summary(HeaderP["diagnostics"]),
      (std::vector<std::string>{"changed-function 3 65:29-65:46", "inline-callers 2 65:29-65:46",
                                "header-fanout 3 67:0-67:61"}));
  E.check("headerDiagnostics", S.normalize(HeaderP["diagnostics"]));

  EXPECT_EQ(SourceP["version"], 1);
  EXPECT_EQ(lineOf(S.diskText(Source), 55), "#include \"workqueue_internal.h\"");
  EXPECT_EQ(summary(SourceP["diagnostics"]),
            std::vector<std::string>{"inline-callers 2 55:0-55:31"});
  ASSERT_EQ(SourceP["diagnostics"].size(), 1u);
  const Json &Included = SourceP["diagnostics"][0];
  EXPECT_TRUE(
      Included.value("message", "")
          .starts_with(
              "in included file kernel/workqueue_internal.h: 'current_wq_worker' is inline: "))
      << Included.dump();
  EXPECT_TRUE(Included.value("message", "").ends_with(" (and 2 more findings there)"))
      << Included.dump();
  std::vector<std::string> Related;
  for (const Json &R : Included["relatedInformation"])
    Related.push_back(
        S.normalize(R["location"]["uri"]).get<std::string>() + " " +
        rangeText(R["location"]["range"]) + " " +
        R["message"].get<std::string>().substr(0, R["message"].get<std::string>().find(':')));
  const std::string H = "$TREE/" + Header;
  EXPECT_EQ(Related, (std::vector<std::string>{H + " 65:29-65:46 changed-function",
                                               H + " 65:29-65:46 inline-callers",
                                               H + " 67:0-67:61 header-fanout"}));
  E.check("sourceDiagnostics", S.normalize(SourceP["diagnostics"]));
  EXPECT_EQ(S.unconsumed(), std::vector<Json>{});

  Json SourceLenses = S.call("textDocument/codeLens", {{"textDocument", {{"uri", S.uri(Source)}}}});
  EXPECT_EQ(SourceLenses.value("result", Json()),
            Json::array({{{"range", range(339, 5, 339, 21)},
                          {"command",
                           {{"title", "livepatch: replaced (a changed inline callee is compiled "
                                      "into it)"},
                            {"command", ""}}}}}))
      << SourceLenses.dump();
  Json HeaderLenses = S.call("textDocument/codeLens", {{"textDocument", {{"uri", S.uri(Header)}}}});
  E.check("headerCodeLens", S.normalize(HeaderLenses.value("result", Json())));
  ASSERT_EQ(HeaderLenses["result"].size(), 1u);
  EXPECT_EQ(HeaderLenses["result"][0]["command"]["title"],
            "livepatch: replaced (changed) | inlined into current_is_async");

  Json Report = S.call("workspace/executeCommand", {{"command", "klp.checkPatch"}});
  ASSERT_TRUE(Report.contains("result")) << Report.dump();
  EXPECT_EQ(Report["result"]["verdict"], "needs-care");
  EXPECT_EQ(Report["result"]["changedFiles"], Json({Header}));
  std::vector<std::string> Functions;
  for (const Json &F : Report["result"]["functions"])
    Functions.push_back(F["file"].get<std::string>() + " " + F["name"].get<std::string>() + " " +
                        F["status"].get<std::string>());
  EXPECT_EQ(Functions, (std::vector<std::string>{"kernel/async.c current_is_async inline-caller",
                                                 Header + " current_wq_worker changed"}));
  S.shutdownAndExit();
  EXPECT_EQ(S.unconsumed(), std::vector<Json>{});
}

} // namespace
