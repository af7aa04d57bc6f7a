// The language server on kernel/acct.c of the pinned tree: a field added to struct
// bsd_acct_struct by an incremental didChange, then every feature on the result (pushed and
// pulled diagnostics, hover, code lenses, code actions, klp.checkPatch with work-done progress)
// and the per-rule severity setting. Expectations: tests/data/lsp-kernel/acct-dropped.json.
#include "kernel_lsp_session.h"

using namespace klp::testing;

namespace {

// Opens kernel/acct.c (analysed: nothing changed, an empty publish), adds the field and returns
// the diagnostics published for that version.
Json openAndAddField(KernelSession &S) {
  acct::expectPinnedLines(S);
  S.open(acct::Path);
  Json Opened = S.publishAt(acct::Path, 1);
  EXPECT_EQ(Opened,
            Json({{"uri", S.uri(acct::Path)}, {"version", 1}, {"diagnostics", Json::array()}}));
  int V = acct::addField(S);
  Json P = S.publishAt(acct::Path, V);
  EXPECT_FALSE(P.is_null()) << "no diagnostics for version " << V;
  return P.is_null() ? Json::array() : P["diagnostics"];
}

const std::vector<std::string> AcctDiagnostics = {
    "struct-layout-change 1 114:16-114:23", // the name `dropped`
    "changed-function 3 221:11-221:18",     // acct_on: sizeof(struct bsd_acct_struct)
    "inline-callers 2 221:11-221:18",       // acct_on is static, inlined into __do_sys_acct
};

TEST(KernelLsp, AcctFieldAddedFeatures) {
  KLP_LSP_REQUIRE_TREE();
  Expectations E("acct-dropped.json");
  KernelSession S;
  Json Init = S.initialize({{"debounceMs", 0}});
  ASSERT_TRUE(Init.contains("result")) << Init.dump();
  std::string U = S.uri(acct::Path);

  Json Diags = openAndAddField(S);
  EXPECT_EQ(summary(Diags), AcctDiagnostics);
  ASSERT_EQ(Diags.size(), 3u);
  EXPECT_EQ(Diags[0]["codeDescription"]["href"].get<std::string>().ends_with(
                "docs/rules/struct-layout-change.md"),
            true)
      << Diags[0]["codeDescription"].dump();
  // Every function that uses the struct, in acct.c, by name.
  std::vector<std::string> Related;
  std::vector<int> RelatedLines;
  for (const Json &R : Diags[0]["relatedInformation"]) {
    Related.push_back(R["location"]["uri"] == U ? R["message"].get<std::string>() : "elsewhere");
    RelatedLines.push_back(R["location"]["range"]["start"]["line"]);
  }
  EXPECT_EQ(RelatedLines, (std::vector<int>{165, 191, 154, 545, 123, 208, 457, 627, 160}));
  EXPECT_EQ(Related, (std::vector<std::string>{"'acct_get' uses 'struct bsd_acct_struct'",
                                               "'acct_pin_kill' uses 'struct bsd_acct_struct'",
                                               "'acct_put' uses 'struct bsd_acct_struct'",
                                               "'acct_write_process' uses 'struct bsd_acct_struct'",
                                               "'check_free_space' uses 'struct bsd_acct_struct'",
                                               "'close_work' uses 'struct bsd_acct_struct'",
                                               "'fill_ac' uses 'struct bsd_acct_struct'",
                                               "'slow_acct_process' uses 'struct bsd_acct_struct'",
                                               "'to_acct' uses 'struct bsd_acct_struct'"}));
  E.check("diagnostics", S.normalize(Diags));

  // Pull diagnostics answer what was pushed.
  Json Pulled = S.call("textDocument/diagnostic", {{"textDocument", {{"uri", U}}}});
  EXPECT_EQ(Pulled.value("result", Json()), Json({{"kind", "full"}, {"items", Diags}}))
      << Pulled.dump();

  // Hover on `dropped`: the finding with the old/new layout table.
  Json Hover = S.call("textDocument/hover", {{"textDocument", {{"uri", U}}},
                                             {"position", {{"line", 114}, {"character", 18}}}});
  ASSERT_TRUE(Hover.contains("result") && Hover["result"].is_object()) << Hover.dump();
  EXPECT_EQ(Hover["result"]["range"], range(114, 16, 114, 23));
  std::string Md = Hover["result"]["contents"].value("value", "");
  EXPECT_EQ(Hover["result"]["contents"].value("kind", ""), "markdown");
  EXPECT_TRUE(Md.starts_with("**struct-layout-change** (error)")) << Md;
  EXPECT_NE(Md.find("(size 288 -> 296 bytes; field 'dropped' added at offset 288)"),
            std::string::npos)
      << Md;
  EXPECT_NE(Md.find("`struct bsd_acct_struct`: 288 -> 296 bytes"), std::string::npos) << Md;
  EXPECT_NE(Md.find("| `ac` | `struct acct_v3` | 224 | 64 | 224 | 64 |  |"), std::string::npos)
      << Md;
  EXPECT_NE(Md.find("| `dropped` | `unsigned long` |  |  | 288 | 8 | added |"), std::string::npos)
      << Md;
  E.check("hover", S.normalize(Hover["result"]));

  // Code lenses: acct_on is replaced, its inlined callers with it.
  Json Lenses = S.call("textDocument/codeLens", {{"textDocument", {{"uri", U}}}});
  ASSERT_TRUE(Lenses.contains("result")) << Lenses.dump();
  std::vector<std::string> Titles;
  for (const Json &L : Lenses["result"])
    Titles.push_back(L["command"]["title"]);
  // SYSCALL_DEFINE1 makes four functions at one place: each lens names its function.
  auto Inlined = [](const std::string &Fn) {
    return "livepatch: " + Fn + ": replaced (a changed inline callee is compiled into it)";
  };
  // The first three callers from the inline-callers finding's related locations, in order.
  const std::string AcctOn = "livepatch: replaced (changed) | inlined into __do_sys_acct, "
                             "__ia32_sys_acct, __se_sys_acct and 1 more";
  EXPECT_EQ(Titles, (std::vector<std::string>{Inlined("__do_sys_acct"), Inlined("__ia32_sys_acct"),
                                              Inlined("__se_sys_acct"), Inlined("__x64_sys_acct"),
                                              AcctOn}));
  E.check("codeLens", S.normalize(Lenses["result"]));

  // Code actions, per diagnostic range.
  auto ActionTitles = [&](const Json &Range) {
    Json A = S.call("textDocument/codeAction", {{"textDocument", {{"uri", U}}},
                                                {"range", Range},
                                                {"context", {{"diagnostics", Json::array()}}}});
    std::vector<std::string> T;
    for (const Json &X : A.value("result", Json::array()))
      T.push_back(X["title"]);
    return T;
  };
  EXPECT_EQ(ActionTitles(range(114, 16, 114, 23)),
            std::vector<std::string>{"Move 'dropped' into a shadow variable"});
  EXPECT_EQ(ActionTitles(range(221, 11, 221, 18)),
            std::vector<std::string>{"Mark 'acct_on' noinline"});
  EXPECT_EQ(ActionTitles(range(116, 0, 116, 5)), std::vector<std::string>{});
  Json Actions = S.call("textDocument/codeAction", {{"textDocument", {{"uri", U}}},
                                                    {"range", range(114, 16, 114, 23)},
                                                    {"context", {{"diagnostics", Json::array()}}}});
  E.check("codeActions.114:16-114:23", S.normalize(Actions.value("result", Json())));

  // klp.checkPatch with the client's progress token: begin, end, then the report.
  int Id = S.send(
      "workspace/executeCommand",
      {{"command", "klp.checkPatch"}, {"arguments", Json::array()}, {"workDoneToken", "chk"}});
  std::vector<Json> Seq;
  for (int I = 0; I < 3; ++I) {
    std::optional<Json> M = S.client().waitFor(
        [&](const Json &X) {
          return (X.value("method", "") == "$/progress" && X["params"]["token"] == "chk") ||
                 (!X.contains("method") && X.value("id", Json()) == Id);
        },
        LspWait);
    ASSERT_TRUE(M) << "message " << I << " of the command did not arrive";
    Seq.push_back(M.value_or(Json()));
  }
  EXPECT_EQ(Seq[0]["params"]["value"], Json({{"kind", "begin"},
                                             {"title", "klp-lsp: checking the patch"},
                                             {"cancellable", true},
                                             {"message", "analysing the changed files"},
                                             {"percentage", 0}}));
  EXPECT_EQ(Seq[1]["params"]["value"], Json({{"kind", "end"}, {"message", "verdict: unsafe"}}));
  ASSERT_TRUE(Seq[2].contains("result")) << Seq[2].dump();
  const Json &Report = Seq[2]["result"];
  EXPECT_EQ(Report["verdict"], "unsafe");
  EXPECT_EQ(Report["changedFiles"], Json({"kernel/acct.c"}));
  std::vector<std::string> Functions, Rules;
  for (const Json &F : Report["functions"])
    Functions.push_back(F["name"].get<std::string>() + " " + F["status"].get<std::string>());
  for (const Json &F : Report["findings"])
    Rules.push_back(F["rule"].get<std::string>() + " " + F.value("symbol", ""));
  EXPECT_EQ(Functions,
            (std::vector<std::string>{
                "__do_sys_acct inline-caller", "__ia32_sys_acct inline-caller",
                "__se_sys_acct inline-caller", "__x64_sys_acct inline-caller", "acct_on changed"}));
  EXPECT_EQ(Rules,
            (std::vector<std::string>{"struct-layout-change struct bsd_acct_struct",
                                      "changed-function acct_on", "inline-callers acct_on"}));
  S.shutdownAndExit();
  EXPECT_EQ(S.unconsumed(), std::vector<Json>{});
}

// {"severity": {...}} through workspace/didChangeConfiguration: the same findings are
// published again with the rule's new severity, and without it when it is "off".
TEST(KernelLsp, AcctSeverityOverride) {
  KLP_LSP_REQUIRE_TREE();
  Expectations E("acct-dropped.json", /*ReadOnly=*/true);
  KernelSession S;
  S.initialize({{"debounceMs", 0}});
  std::string U = S.uri(acct::Path);
  Json Diags = openAndAddField(S);
  EXPECT_EQ(S.normalize(Diags), E["diagnostics"]);

  S.configure({{"klp-lsp", {{"severity", {{"struct-layout-change", "warning"}}}}}});
  Json Warned = S.nextPublish(acct::Path);
  Json Want = Diags;
  Want[0]["severity"] = 2;
  EXPECT_EQ(Warned, Json({{"uri", U}, {"version", 2}, {"diagnostics", Want}}));
  EXPECT_EQ(summary(Warned["diagnostics"]),
            (std::vector<std::string>{"struct-layout-change 2 114:16-114:23",
                                      "changed-function 3 221:11-221:18",
                                      "inline-callers 2 221:11-221:18"}));
  Json Pulled = S.call("textDocument/diagnostic", {{"textDocument", {{"uri", U}}}});
  EXPECT_EQ(Pulled.value("result", Json()), Json({{"kind", "full"}, {"items", Want}}));

  S.configure({{"severity", {{"struct-layout-change", "off"}}}});
  Json Off = S.nextPublish(acct::Path);
  Want.erase(0);
  EXPECT_EQ(Off, Json({{"uri", U}, {"version", 2}, {"diagnostics", Want}}));
  EXPECT_EQ(summary(Off["diagnostics"]),
            (std::vector<std::string>{"changed-function 3 221:11-221:18",
                                      "inline-callers 2 221:11-221:18"}));
  S.shutdownAndExit();
  EXPECT_EQ(S.unconsumed(), std::vector<Json>{});
}

} // namespace
