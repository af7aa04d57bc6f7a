// Feature code over a hand-made report: diagnostics, code actions, code lenses, hover.
#include "features/code_actions.h"
#include "features/code_lens.h"
#include "features/hover.h"
#include <gtest/gtest.h>

using namespace klp;
using Json = nlohmann::json;

namespace {

Report sampleReport() {
  Report R;
  Finding Layout;
  Layout.Rule = "struct-layout-change";
  Layout.Sev = Severity::Error;
  Layout.File = "kernel/a.c";
  Layout.Where = {{10, 16}, {10, 23}};
  Layout.Message = "layout of 'struct s' changes";
  Layout.Symbol = "struct s";
  Layout.Detail = "| field | offset |";
  Layout.Related = {{"kernel/a.c", {{20, 4}, {20, 9}}, "'use' uses 'struct s'"}};
  Layout.Fixes = {{"Move 'dropped' into a shadow variable",
                   {{"kernel/a.c", {{10, 0}, {11, 0}}, ""},
                    {"include/a.h", {{3, 0}, {3, 0}}, "#include <linux/livepatch.h>\n"}}}};
  Finding Inline;
  Inline.Rule = "inline-callers";
  Inline.Sev = Severity::Warning;
  Inline.File = "kernel/a.c";
  Inline.Where = {{30, 12}, {30, 16}};
  Inline.Message = "inlined";
  Inline.Symbol = "help";
  Inline.Related = {
      {"kernel/a.c", {{40, 4}, {40, 8}}, "'help' is inlined into 'run1'", "run1"},
      {"kernel/a.c", {{50, 4}, {50, 8}}, "'help' reaches 'run2' through inlined 'run1'", "run2"}};
  Finding Notrace;
  Notrace.Rule = "no-fentry";
  Notrace.Sev = Severity::Error;
  Notrace.File = "kernel/a.c";
  Notrace.Where = {{60, 5}, {60, 9}};
  Notrace.Message = "notrace";
  Notrace.Symbol = "fast";
  R.Findings = {Layout, Inline, Notrace};
  R.Functions = {{"help", "kernel/a.c", "changed", {{30, 12}, {30, 16}}},
                 {"run1", "kernel/a.c", "inline-caller", {{40, 4}, {40, 8}}},
                 {"fast", "kernel/a.c", "changed", {{60, 5}, {60, 9}}},
                 {"gone", "kernel/a.c", "removed", {{70, 0}, {70, 4}}},
                 {"__x64_sys_x", "kernel/a.c", "inline-caller", {{80, 0}, {80, 15}}},
                 {"__se_sys_x", "kernel/a.c", "inline-caller", {{80, 0}, {80, 15}}},
                 {"other", "kernel/b.c", "new", {{1, 0}, {1, 5}}}};
  return R;
}

TEST(Features, DiagnosticsByFileAndOverrides) {
  Report R = sampleReport();
  auto ByFile = features::diagnosticsByFile(R, "/k", {});
  ASSERT_EQ(1u, ByFile.size());
  ASSERT_EQ(3u, ByFile["kernel/a.c"].size());
  EXPECT_EQ(
      Json::parse(R"({"range":{"start":{"line":10,"character":16},"end":{"line":10,"character":23}},
    "severity":1,"source":"klp-lsp","message":"layout of 'struct s' changes","code":"struct-layout-change",
    "codeDescription":{"href":"https://github.com/klp-lsp/klp-lsp/blob/main/docs/rules/struct-layout-change.md"},
    "relatedInformation":[{"location":{"uri":"file:///k/kernel/a.c","range":{"start":{"line":20,"character":4},
    "end":{"line":20,"character":9}}},"message":"'use' uses 'struct s'"}]})"),
      Json(ByFile["kernel/a.c"][0]));
  auto O = features::parseSeverityOverrides(
      Json::parse(R"({"struct-layout-change":"warning","no-fentry":"off"})"));
  ByFile = features::diagnosticsByFile(R, "/k", O);
  ASSERT_EQ(2u, ByFile["kernel/a.c"].size());
  EXPECT_EQ(2, ByFile["kernel/a.c"][0].severity);
  EXPECT_EQ("inline-callers", ByFile["kernel/a.c"][1].code);
}

TEST(Features, CodeActionsUnderTheRange) {
  Report R = sampleReport();
  auto Actions = features::codeActions(R, "/k", "kernel/a.c", {{10, 18}, {10, 18}}, {});
  ASSERT_EQ(1u, Actions.size());
  Json J = Actions[0];
  EXPECT_EQ("Move 'dropped' into a shadow variable", J["title"]);
  EXPECT_EQ("quickfix", J["kind"]);
  EXPECT_EQ(true, J["isPreferred"]);
  EXPECT_EQ("struct-layout-change", J["diagnostics"][0]["code"]);
  EXPECT_EQ(Json::parse(R"({"changes":{
    "file:///k/kernel/a.c":[{"range":{"start":{"line":10,"character":0},"end":{"line":11,"character":0}},"newText":""}],
    "file:///k/include/a.h":[{"range":{"start":{"line":3,"character":0},"end":{"line":3,"character":0}},
                              "newText":"#include <linux/livepatch.h>\n"}]}})"),
            J["edit"]);
  EXPECT_TRUE(features::codeActions(R, "/k", "kernel/a.c", {{12, 0}, {12, 0}}, {}).empty());
  EXPECT_TRUE(features::codeActions(R, "/k", "kernel/b.c", {{10, 18}, {10, 18}}, {}).empty());
  auto Off = features::parseSeverityOverrides(Json::parse(R"({"struct-layout-change":"off"})"));
  EXPECT_TRUE(features::codeActions(R, "/k", "kernel/a.c", {{10, 18}, {10, 18}}, Off).empty());
}

TEST(Features, CodeLenses) {
  std::vector<std::string> Titles;
  for (const lsp::CodeLens &L : features::codeLenses(sampleReport(), "kernel/a.c"))
    Titles.push_back(std::to_string(L.range.start.line) + " " + L.command.title);
  EXPECT_EQ(
      (std::vector<std::string>{
          "30 livepatch: replaced (changed) | inlined into run1, run2",
          "40 livepatch: replaced (a changed inline callee is compiled into it)",
          "60 livepatch: cannot be patched as is (no-fentry)",
          "80 livepatch: __x64_sys_x: replaced (a changed inline callee is compiled into it)",
          "80 livepatch: __se_sys_x: replaced (a changed inline callee is compiled into it)"}),
      Titles);
}

TEST(Features, Hover) {
  Report R = sampleReport();
  auto H = features::hover(R, "kernel/a.c", {10, 20}, {});
  ASSERT_TRUE(H);
  EXPECT_EQ("**struct-layout-change** (error) "
            "[rule](https://github.com/klp-lsp/klp-lsp/blob/main/docs/rules/"
            "struct-layout-change.md)\n\nlayout of 'struct s' changes\n\n| field | offset |\n\n",
            H->markdown);
  EXPECT_EQ((lsp::Range{{10, 16}, {10, 23}}), *H->range);
  H = features::hover(R, "kernel/a.c", {30, 12}, {});
  ASSERT_TRUE(H);
  EXPECT_EQ("**help**: livepatch status `changed`\n\n---\n\n**inline-callers** (warning) "
            "[rule](https://github.com/klp-lsp/klp-lsp/blob/main/docs/rules/inline-callers.md)"
            "\n\ninlined\n\n",
            H->markdown);
  EXPECT_FALSE(features::hover(R, "kernel/a.c", {11, 0}, {}));
}

TEST(Features, SeverityOverrideErrors) {
  auto Message = [](const char *Text) {
    try {
      features::parseSeverityOverrides(Json::parse(Text));
    } catch (const lsp::RpcError &E) {
      return E.Message;
    }
    return std::string("no error");
  };
  EXPECT_EQ("severity overrides must be an object {\"rule-id\": \"error\"|...}", Message("[1]"));
  EXPECT_EQ("severity override for unknown rule 'nope'", Message(R"({"nope":"off"})"));
  EXPECT_EQ("severity override for 'data-change' must be error, warning, info or off",
            Message(R"({"data-change":3})"));
}

} // namespace

namespace {

TEST(Features, IncludedFileDiagnostics) {
  Report R;
  Finding A;
  A.Rule = "header-fanout";
  A.Sev = Severity::Info;
  A.File = "include/linux/foo.h";
  A.Where = {{1, 0}, {1, 3}};
  A.Message = "included by 3";
  Finding B = A;
  B.Rule = "struct-layout-change";
  B.Sev = Severity::Error;
  B.Where = {{5, 6}, {5, 9}};
  B.Message = "layout of 'struct foo' changes";
  Finding C = A;
  C.File = "kernel/local.h";
  C.Message = "local";
  Finding Own = A;
  Own.File = "kernel/x.c";
  R.Findings = {A, B, C, Own};
  std::string Text =
      "// x\n#include <linux/foo.h>\n  #  include \"local.h\"\n#include <linux/bar.h>\n"
      "#include \"foo.h\"\n";
  auto Ds = features::includedFileDiagnostics(R, "kernel/x.c", Text, "/k", {});
  ASSERT_EQ(2u, Ds.size());
  EXPECT_EQ((lsp::Range{{1, 0}, {1, 22}}), Ds[0].range);
  EXPECT_EQ(1, Ds[0].severity);
  EXPECT_EQ("struct-layout-change", Ds[0].code);
  EXPECT_EQ("in included file include/linux/foo.h: layout of 'struct foo' changes (and 1 more "
            "finding there)",
            Ds[0].message);
  ASSERT_EQ(2u, Ds[0].relatedInformation.size());
  EXPECT_EQ("file:///k/include/linux/foo.h", Ds[0].relatedInformation[1].location.uri);
  EXPECT_EQ("struct-layout-change: layout of 'struct foo' changes",
            Ds[0].relatedInformation[1].message);
  EXPECT_EQ((lsp::Range{{2, 2}, {2, 22}}), Ds[1].range);
  EXPECT_EQ("in included file kernel/local.h: local", Ds[1].message);
  EXPECT_EQ(3, Ds[1].severity);
  auto Off = features::parseSeverityOverrides(
      Json::parse(R"({"struct-layout-change":"off","header-fanout":"off"})"));
  EXPECT_TRUE(features::includedFileDiagnostics(R, "kernel/x.c", Text, "/k", Off).empty());
}

} // namespace
