// The three report writers against expectation files in tests/data/output/.
#include "klp/rules.h"
#include "output/format.h"
#include "output/json_common.h"
#include "sample_report.h"
#include "test_files.h"

using namespace klp;
using namespace klp::output;
using klp::test::expectMatchesFile;
using klp::test::sampleResult;

namespace {

const OutputContext Ctx{"0.0.0-test", "/src/linux 6.1"};

TEST(Format, ParseFormat) {
  EXPECT_EQ(parseFormat("text"), Format::Text);
  EXPECT_EQ(parseFormat("json"), Format::Json);
  EXPECT_EQ(parseFormat("sarif"), Format::Sarif);
  EXPECT_EQ(parseFormat("xml"), std::nullopt);
  EXPECT_EQ(parseFormat("JSON"), std::nullopt);
}

TEST(Format, TextMatchesExpected) {
  expectMatchesFile(formatText(sampleResult()), "data/output/sample.txt");
}

TEST(Format, JsonMatchesExpected) {
  expectMatchesFile(formatJson(sampleResult(), Ctx), "data/output/sample.json");
}

TEST(Format, SarifMatchesExpected) {
  expectMatchesFile(formatSarif(sampleResult(), Ctx), "data/output/sample.sarif");
}

TEST(Format, EmptyReport) {
  analysis::CheckResult Empty;
  expectMatchesFile(formatText(Empty), "data/output/empty.txt");
  expectMatchesFile(formatJson(Empty, Ctx), "data/output/empty.json");
}

TEST(Format, FormatReportDispatches) {
  analysis::CheckResult R = sampleResult();
  EXPECT_EQ(formatReport(Format::Text, R, Ctx), formatText(R));
  EXPECT_EQ(formatReport(Format::Json, R, Ctx), formatJson(R, Ctx));
  EXPECT_EQ(formatReport(Format::Sarif, R, Ctx), formatSarif(R, Ctx));
}

TEST(Format, TextCountsSingularAndPlural) {
  analysis::CheckResult R;
  R.Result.Findings.push_back({"once-macro", Severity::Warning, "a.c", {}, "m", {}, {}, ""});
  EXPECT_EQ(formatText(R), "a.c:1:1: warning: m [once-macro]\n"
                           "verdict: needs-care (0 errors, 1 warning, 0 info)\n"
                           "functions: none\n");
}

TEST(Format, TextKeepsOneFindingPerLine) {
  analysis::CheckResult R;
  R.Result.Findings.push_back({"data-change",
                               Severity::Error,
                               "a.c",
                               {{4, 2}, {4, 9}},
                               "first\nsecond\r\nthird",
                               {{"b.c", {{0, 0}, {0, 1}}, "x\ny"}},
                               {{"do\nit", {}}},
                               "v"});
  EXPECT_EQ(formatText(R), "a.c:5:3: error: first second  third [data-change]\n"
                           "b.c:1:1: note: x y\n"
                           "  fix: do it\n"
                           "verdict: unsafe (1 error, 0 warnings, 0 info)\n"
                           "functions: none\n");
}

TEST(Format, JsonOmitsEmptySymbolAndKeepsSchemaOrder) {
  Json J = Json::parse(formatJson(sampleResult(), Ctx));
  std::vector<std::string> Keys;
  for (auto It = J.begin(); It != J.end(); ++It)
    Keys.push_back(It.key());
  EXPECT_EQ(Keys, (std::vector<std::string>{"schemaVersion", "tool", "verdict", "findings",
                                            "functions", "errors"}));
  EXPECT_EQ(J["findings"][3]["rule"], "compile-error");
  EXPECT_FALSE(J["findings"][3].contains("symbol"));
  EXPECT_EQ(J["findings"][0]["symbol"], "ext4_inode_info");
}

} // namespace
