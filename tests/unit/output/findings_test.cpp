// Report::verdict, hasError, sort and severityName (kbuild-integration/src/findings.cpp).
#include "klp/findings.h"
#include <gtest/gtest.h>

using namespace klp;

namespace {

Finding finding(std::string Rule, Severity S, std::string File, unsigned Line, unsigned Col,
                std::string Message = "m") {
  Finding F;
  F.Rule = std::move(Rule);
  F.Sev = S;
  F.File = std::move(File);
  F.Where = {{Line, Col}, {Line, Col + 3}};
  F.Message = std::move(Message);
  return F;
}

TEST(Findings, SeverityNames) {
  EXPECT_STREQ(severityName(Severity::Error), "error");
  EXPECT_STREQ(severityName(Severity::Warning), "warning");
  EXPECT_STREQ(severityName(Severity::Info), "info");
}

TEST(Findings, Verdict) {
  Report R;
  EXPECT_EQ(R.verdict(), "safe");
  EXPECT_FALSE(R.hasError());
  R.Findings.push_back(finding("changed-function", Severity::Info, "a.c", 1, 0));
  EXPECT_EQ(R.verdict(), "safe");
  R.Findings.push_back(finding("once-macro", Severity::Warning, "a.c", 2, 0));
  EXPECT_EQ(R.verdict(), "needs-care");
  EXPECT_FALSE(R.hasError());
  R.Findings.push_back(finding("init-code", Severity::Error, "a.c", 3, 0));
  EXPECT_EQ(R.verdict(), "unsafe");
  EXPECT_TRUE(R.hasError());
  R.Findings.erase(R.Findings.begin() + 1); // error without warning is still unsafe
  EXPECT_EQ(R.verdict(), "unsafe");
}

TEST(Findings, SortByFilePositionRuleMessage) {
  Report R;
  R.Findings = {
      finding("once-macro", Severity::Warning, "b.c", 1, 0),
      finding("init-code", Severity::Error, "a.c", 5, 2),
      finding("data-change", Severity::Error, "a.c", 5, 2, "z"),
      finding("data-change", Severity::Error, "a.c", 5, 2, "y"),
      finding("jump-label", Severity::Warning, "a.c", 5, 1),
      finding("static-local", Severity::Info, "a.c", 10, 0),
  };
  R.Findings[1].Where.End = {7, 0}; // same start as [2] and [3], ends later
  R.sort();
  std::vector<std::string> Order;
  for (const Finding &F : R.Findings)
    Order.push_back(F.File + ":" + std::to_string(F.Where.Start.Line) + ":" +
                    std::to_string(F.Where.Start.Character) + ":" + F.Rule + ":" + F.Message);
  EXPECT_EQ(Order, (std::vector<std::string>{"a.c:5:1:jump-label:m", "a.c:5:2:data-change:y",
                                             "a.c:5:2:data-change:z", "a.c:5:2:init-code:m",
                                             "a.c:10:0:static-local:m", "b.c:1:0:once-macro:m"}));
}

} // namespace
