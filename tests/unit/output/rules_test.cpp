// The rule registry (kbuild-integration/src/rules.cpp) and its documentation pages.
#include "klp/rules.h"
#include "test_files.h"
#include <filesystem>
#include <set>

using namespace klp;

namespace {

TEST(Rules, ExactIdsAndDefaultSeverities) {
  std::vector<std::pair<std::string, Severity>> Expected = {
      {"changed-function", Severity::Info},       {"new-function", Severity::Info},
      {"removed-function", Severity::Info},       {"struct-layout-change", Severity::Error},
      {"inline-callers", Severity::Warning},      {"init-code", Severity::Error},
      {"data-change", Severity::Error},           {"static-local", Severity::Info},
      {"static-local-removed", Severity::Error},  {"line-macro-shift", Severity::Warning},
      {"signature-change", Severity::Error},      {"no-fentry", Severity::Error},
      {"assembly-file", Severity::Error},         {"once-macro", Severity::Warning},
      {"jump-label", Severity::Warning},          {"syscall-wrapper", Severity::Warning},
      {"header-fanout", Severity::Info},          {"always-on-stack", Severity::Warning},
      {"not-built", Severity::Warning},           {"no-functional-change", Severity::Warning},
      {"symbol-version-change", Severity::Error}, {"new-data", Severity::Info},
      {"removed-data", Severity::Info},           {"compile-error", Severity::Error},
  };
  std::vector<std::pair<std::string, Severity>> Actual;
  for (const RuleInfo &R : allRules())
    Actual.emplace_back(std::string(R.Id), R.DefaultSeverity);
  EXPECT_EQ(Actual, Expected);
}

TEST(Rules, EveryRuleHasTexts) {
  for (const RuleInfo &R : allRules()) {
    SCOPED_TRACE(std::string(R.Id));
    EXPECT_GT(R.Summary.size(), 20u);
    EXPECT_GT(R.Help.size(), 60u);
    EXPECT_EQ(R.Summary.back(), '.');
    EXPECT_EQ(R.Help.back(), '.');
  }
}

TEST(Rules, FindRule) {
  const RuleInfo *R = findRule("struct-layout-change");
  ASSERT_NE(R, nullptr);
  EXPECT_EQ(R->Id, "struct-layout-change");
  EXPECT_EQ(R, &allRules()[3]);
  EXPECT_EQ(findRule("struct-layout"), nullptr);
  EXPECT_EQ(findRule(""), nullptr);
}

TEST(Rules, DocUrl) {
  EXPECT_EQ(ruleDocUrl("once-macro"),
            "https://github.com/klp-lsp/klp-lsp/blob/main/docs/rules/once-macro.md");
}

// Every rule has its page, the index lists it, and there is no page for an unknown rule.
TEST(Rules, DocumentationPages) {
  std::string Dir = test::dataPath("../docs/rules");
  std::string Index = test::readFile(Dir + "/README.md");
  std::set<std::string> Pages;
  for (const auto &E : std::filesystem::directory_iterator(Dir))
    if (E.path().extension() == ".md" && E.path().filename() != "README.md")
      Pages.insert(E.path().stem().string());
  std::set<std::string> Ids;
  for (const RuleInfo &R : allRules()) {
    std::string Id(R.Id);
    Ids.insert(Id);
    SCOPED_TRACE(Id);
    std::string Page = test::readFile(Dir + "/" + Id + ".md");
    EXPECT_EQ(Page.rfind("# " + Id + "\n", 0), 0u) << "page must start with '# " << Id << "'";
    std::string Sev = severityName(R.DefaultSeverity);
    EXPECT_NE(Page.find("Default severity: **" + Sev + "**"), std::string::npos);
    EXPECT_NE(Index.find("[" + Id + "](" + Id + ".md)"), std::string::npos);
  }
  EXPECT_EQ(Pages, Ids);
}

} // namespace
