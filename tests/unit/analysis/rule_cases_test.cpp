// Data-driven rule tests: every tests/data/analysis/<case>.test holds the original and the
// patched source of a small translation unit (and of any header it includes); <case>.expected
// lists the exact findings (rule, severity, 1-based range, symbol), the function list and the
// verdict. Set KLP_UPDATE_EXPECTED=1 to print the actual dump instead of comparing.
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

struct Case {
  std::vector<std::string> Order; // file paths in order of appearance
  std::map<std::string, std::string> Orig, Patched;
  std::vector<std::string> ExtraArgs;
  bool Ftrace = true;
};

// Sections: "//--- original PATH", "//--- patched PATH" (a patched section may be omitted
// for a file that does not change), "//--- args ARG...", "//--- no-ftrace".
Case parseCase(const std::string &Text) {
  Case C;
  std::istringstream In(Text);
  std::string Line, Side, Path;
  while (std::getline(In, Line)) {
    if (Line.rfind("//--- ", 0) == 0) {
      std::istringstream H(Line.substr(6));
      H >> Side >> Path;
      if (Side == "args") {
        std::string A = Path;
        do
          C.ExtraArgs.push_back(A);
        while (H >> A);
        Side.clear();
      } else if (Side == "no-ftrace") {
        C.Ftrace = false;
        Side.clear();
      } else if (std::find(C.Order.begin(), C.Order.end(), Path) == C.Order.end()) {
        C.Order.push_back(Path);
      }
      continue;
    }
    if (Side == "original")
      C.Orig[Path] += Line + "\n";
    else if (Side == "patched")
      C.Patched[Path] += Line + "\n";
  }
  for (auto &[P, T] : C.Orig)
    if (!C.Patched.count(P))
      C.Patched[P] = T;
  return C;
}

std::string dump(const analysis::CheckResult &R) {
  std::ostringstream O;
  for (const Finding &F : R.Result.Findings)
    O << F.Rule << " " << severityName(F.Sev) << " " << F.File << ":" << F.Where.Start.Line + 1
      << ":" << F.Where.Start.Character + 1 << "-" << F.Where.End.Line + 1 << ":"
      << F.Where.End.Character + 1 << (F.Symbol.empty() ? "" : " " + F.Symbol) << "\n";
  for (const FunctionChange &F : R.Result.Functions)
    O << "function " << F.Name << " " << F.Status << "\n";
  O << "verdict " << R.Result.verdict() << "\n";
  return O.str();
}

class RuleCase : public ::testing::TestWithParam<std::string> {};

TEST_P(RuleCase, MatchesExpectation) {
  fs::path Dir = fs::path(KLP_TEST_DATA) / "data" / "analysis";
  std::string Name = GetParam();
  Case C = parseCase(readFile(Dir / (Name + ".test")));
  ASSERT_FALSE(C.Order.empty()) << "no //--- original section";

  // The sources live only in memory; Root must exist for Clang's working directory.
  fs::path Root = fs::temp_directory_path() / "klp-rule-cases";
  fs::create_directories(Root);
  analysis::TuRequest Req;
  Req.Root = Root.string();
  Req.MainFile = C.Order.front();
  Req.Ftrace = C.Ftrace;
  Req.Args = {"clang", "--target=x86_64-linux-gnu", "-std=gnu11", "-I.", "-w"};
  Req.Args.insert(Req.Args.end(), C.ExtraArgs.begin(), C.ExtraArgs.end());
  Req.Args.push_back(Req.MainFile);
  for (const std::string &P : C.Order) {
    FileChange FC;
    FC.Path = P;
    if (C.Orig.count(P))
      FC.Original = C.Orig[P];
    if (C.Patched.count(P))
      FC.Patched = C.Patched[P];
    if (FC.Original != FC.Patched)
      Req.Changes.push_back(std::move(FC));
    else {
      // Unchanged files are still needed by the parse; an identical change keeps them in memory.
      Req.Changes.push_back(std::move(FC));
    }
  }
  analysis::CheckResult R = analysis::analyzeTranslationUnit(Req);
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
