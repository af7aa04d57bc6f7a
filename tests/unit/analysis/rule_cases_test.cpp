// Data-driven rule tests: every tests/data/analysis/<case>.test holds the original and the
// patched source of a small translation unit (and of any header it includes); <case>.expected
// lists the exact findings (rule, severity, 1-based range, symbol) each followed by the edits of
// its quick fixes ("fix TITLE FILE:RANGE NEWTEXT", texts quoted with \n, \t, \" and \\ escaped),
// the function list and the verdict. Set KLP_UPDATE_EXPECTED=1 to print the actual dump instead of
// comparing.
#include "analysis_case.h"
#include "data_cases.h"
#include "klp/analysis/check.h"
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <sstream>

namespace fs = std::filesystem;
using namespace klp;

namespace {

using klp::testing::readFile;

// "line\nnext" -> "\"line\\nnext\"": one dump line per edit, whatever the text holds.
std::string quoted(const std::string &S) {
  std::string R = "\"";
  for (char C : S) {
    if (C == '\n')
      R += "\\n";
    else if (C == '\t')
      R += "\\t";
    else if (C == '"' || C == '\\')
      R += std::string("\\") + C;
    else
      R += C;
  }
  return R + "\"";
}

std::string range(const Range &R) {
  return std::to_string(R.Start.Line + 1) + ":" + std::to_string(R.Start.Character + 1) + "-" +
         std::to_string(R.End.Line + 1) + ":" + std::to_string(R.End.Character + 1);
}

std::string dump(const analysis::CheckResult &R) {
  std::ostringstream O;
  for (const Finding &F : R.Result.Findings) {
    O << F.Rule << " " << severityName(F.Sev) << " " << F.File << ":" << range(F.Where)
      << (F.Symbol.empty() ? "" : " " + F.Symbol) << "\n";
    for (const Fix &X : F.Fixes)
      for (const TextEdit &E : X.Edits)
        O << "fix " << quoted(X.Title) << " " << E.File << ":" << range(E.Where) << " "
          << quoted(E.NewText) << "\n";
  }
  for (const FunctionChange &F : R.Result.Functions)
    O << "function " << F.Name << " " << F.Status << "\n";
  O << "verdict " << R.Result.verdict() << "\n";
  return O.str();
}

class RuleCase : public ::testing::TestWithParam<std::string> {};

TEST_P(RuleCase, MatchesExpectation) {
  fs::path Dir = fs::path(KLP_TEST_DATA) / "data" / "analysis";
  std::string Name = GetParam();
  klp::testing::AnalysisCase C = klp::testing::parseAnalysisCase(readFile(Dir / (Name + ".test")));
  ASSERT_FALSE(C.Order.empty()) << "no //--- original section";
  analysis::CheckResult R = klp::testing::analyzeCase(C);
  std::string Actual = dump(R);
  if (std::getenv("KLP_UPDATE_EXPECTED")) {
    std::ofstream(Dir / (Name + ".expected"), std::ios::binary) << Actual;
    return;
  }
  EXPECT_EQ(readFile(Dir / (Name + ".expected")), Actual) << "case " << Name;
}

INSTANTIATE_TEST_SUITE_P(Rules, RuleCase,
                         ::testing::ValuesIn(klp::testing::caseNames(
                             fs::path(KLP_TEST_DATA) / "data" / "analysis", ".test")),
                         klp::testing::CaseName());

} // namespace
