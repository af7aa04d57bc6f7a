// The SARIF document has what GitHub code scanning requires, checked field by field (the exact
// text is covered by the expectation file).
#include "klp/rules.h"
#include "output/fingerprint.h"
#include "output/format.h"
#include "output/json_common.h"
#include "sample_report.h"
#include <gtest/gtest.h>
#include <set>

using namespace klp;
using namespace klp::output;

namespace {

const OutputContext Ctx{"0.0.0-test", "/src/linux"};

bool hasText(const Json &J, const char *Key) {
  return J.contains(Key) && J[Key].contains("text") && J[Key]["text"].is_string() &&
         !J[Key]["text"].get<std::string>().empty();
}

TEST(Sarif, TopLevelAndDriver) {
  Json S = Json::parse(formatSarif(test::sampleResult(), Ctx));
  EXPECT_EQ(S["version"], "2.1.0");
  EXPECT_EQ(S["$schema"], "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                          "sarif-schema-2.1.0.json");
  ASSERT_EQ(S["runs"].size(), 1u);
  const Json &Run = S["runs"][0];
  const Json &Driver = Run["tool"]["driver"];
  EXPECT_EQ(Driver["name"], "klp-lsp");
  EXPECT_EQ(Driver["version"], "0.0.0-test");
  EXPECT_EQ(Driver["informationUri"], "https://github.com/klp-lsp/klp-lsp");
  EXPECT_EQ(Run["originalUriBaseIds"]["KERNELROOT"]["uri"], "file:///src/linux/");
}

TEST(Sarif, EveryRegistryRuleIsDescribed) {
  Json S = Json::parse(formatSarif(analysis::CheckResult{}, Ctx));
  const Json &Rules = S["runs"][0]["tool"]["driver"]["rules"];
  ASSERT_EQ(Rules.size(), allRules().size());
  for (size_t I = 0; I < Rules.size(); ++I) {
    const Json &R = Rules[I];
    const RuleInfo &Info = allRules()[I];
    SCOPED_TRACE(std::string(Info.Id));
    EXPECT_EQ(R["id"], std::string(Info.Id));
    EXPECT_TRUE(R["name"].is_string());
    EXPECT_TRUE(hasText(R, "shortDescription"));
    EXPECT_TRUE(hasText(R, "fullDescription"));
    EXPECT_TRUE(hasText(R, "help"));
    EXPECT_TRUE(R["help"]["markdown"].is_string());
    EXPECT_EQ(R["helpUri"], ruleDocUrl(Info.Id));
    std::string Level = R["defaultConfiguration"]["level"];
    EXPECT_EQ(Level, Info.DefaultSeverity == Severity::Error     ? "error"
                     : Info.DefaultSeverity == Severity::Warning ? "warning"
                                                                 : "note");
  }
  EXPECT_EQ(Rules[3]["name"], "StructLayoutChange");
  EXPECT_EQ(S["runs"][0]["results"], Json::array());
}

TEST(Sarif, ResultsPointIntoRulesAndTree) {
  analysis::CheckResult In = test::sampleResult();
  Json S = Json::parse(formatSarif(In, Ctx));
  const Json &Run = S["runs"][0];
  const Json &Results = Run["results"];
  ASSERT_EQ(Results.size(), In.Result.Findings.size());
  std::set<std::string> Fingerprints;
  for (size_t I = 0; I < Results.size(); ++I) {
    const Json &R = Results[I];
    const Finding &F = In.Result.Findings[I];
    SCOPED_TRACE(F.Rule);
    EXPECT_EQ(R["ruleId"], F.Rule);
    EXPECT_EQ(Run["tool"]["driver"]["rules"][R["ruleIndex"].get<size_t>()]["id"], F.Rule);
    EXPECT_EQ(R["message"]["text"], F.Message);
    ASSERT_EQ(R["locations"].size(), 1u);
    const Json &Phys = R["locations"][0]["physicalLocation"];
    EXPECT_EQ(Phys["artifactLocation"]["uri"], F.File);
    EXPECT_EQ(Phys["artifactLocation"]["uriBaseId"], "KERNELROOT");
    EXPECT_EQ(Phys["region"]["startLine"], F.Where.Start.Line + 1);
    EXPECT_EQ(Phys["region"]["startColumn"], F.Where.Start.Character + 1);
    EXPECT_EQ(Phys["region"]["endLine"], F.Where.End.Line + 1);
    EXPECT_EQ(Phys["region"]["endColumn"], F.Where.End.Character + 1);
    std::string FP = R["partialFingerprints"]["klpFinding/v1"];
    EXPECT_EQ(FP, findingFingerprint(F) + ":1");
    Fingerprints.insert(FP);
  }
  EXPECT_EQ(Fingerprints.size(), Results.size());
  EXPECT_EQ(Results[0]["level"], "error");
  EXPECT_EQ(Results[1]["level"], "warning");
  EXPECT_EQ(Results[2]["level"], "note");
  ASSERT_EQ(Results[0]["relatedLocations"].size(), 2u);
  EXPECT_EQ(Results[0]["relatedLocations"][1]["physicalLocation"]["region"]["startLine"], 170);
  EXPECT_FALSE(Results[3].contains("relatedLocations"));
}

TEST(Sarif, DetailFollowsTheEscapedMessageAsMarkdown) {
  analysis::CheckResult In = test::sampleResult();
  Json S = Json::parse(formatSarif(In, Ctx));
  const Json &Results = S["runs"][0]["results"];
  EXPECT_EQ(Results[0]["message"]["markdown"],
            "struct ext4\\_inode\\_info changes size (1096 -\\> 1104 bytes) and the offset of "
            "i\\_flags; unchanged code uses it: ext4\\_iget (fs/ext4/inode.c:4720), "
            "ext4\\_evict\\_inode; use a shadow variable\n\n" +
                In.Result.Findings[0].Detail);
  EXPECT_FALSE(Results[1]["message"].contains("markdown"));
}

TEST(Sarif, LevelFollowsTheFindingNotTheRuleDefault) {
  analysis::CheckResult R;
  R.Result.Findings.push_back({"header-fanout",
                               Severity::Warning,
                               "include/linux/fs.h",
                               {},
                               "the header change reaches 812 translation units",
                               {},
                               {},
                               ""});
  Json S = Json::parse(formatSarif(R, Ctx));
  EXPECT_EQ(S["runs"][0]["results"][0]["level"], "warning");
  EXPECT_EQ(S["runs"][0]["results"][0]["ruleIndex"], 16);
}

TEST(Sarif, IdenticalFindingsGetDistinctFingerprints) {
  analysis::CheckResult R;
  Finding F{"once-macro",
            Severity::Warning,
            "a.c",
            test::range(3, 0, 3, 5),
            "WARN_ONCE fires again",
            {},
            {},
            "f"};
  R.Result.Findings = {F, F};
  R.Result.Findings[1].Where = test::range(9, 0, 9, 5);
  Json S = Json::parse(formatSarif(R, Ctx));
  std::string Hash = findingFingerprint(F);
  EXPECT_EQ(S["runs"][0]["results"][0]["partialFingerprints"]["klpFinding/v1"], Hash + ":1");
  EXPECT_EQ(S["runs"][0]["results"][1]["partialFingerprints"]["klpFinding/v1"], Hash + ":2");
}

TEST(Sarif, PathsArePercentEncoded) {
  analysis::CheckResult R;
  R.Result.Findings.push_back(
      {"not-built", Severity::Warning, "drivers/odd dir/a#b.c", {}, "m", {}, {}, ""});
  Json S = Json::parse(formatSarif(R, Ctx));
  EXPECT_EQ(
      S["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
      "drivers/odd%20dir/a%23b.c");
}

TEST(Sarif, NoTreeRootStillDeclaresTheBase) {
  Json S = Json::parse(formatSarif(analysis::CheckResult{}, OutputContext{"1", ""}));
  const Json &Base = S["runs"][0]["originalUriBaseIds"]["KERNELROOT"];
  EXPECT_FALSE(Base.contains("uri"));
  EXPECT_EQ(Base["description"]["text"], "The root of the kernel source tree.");
}

} // namespace
