// Binary findings (klp/binary_findings.h), data-driven: each tests/data/binary/<case>/ holds
//   a/PATH, b/PATH  the original and patched text of each changed file (one side missing: the
//                   file is new or deleted);  tree/PATH  unchanged files of the tree;
//   diff            a hand-made ObjectDiff:  "source PATH", "object NAME",
//                   "function changed|new|removed|line-only NAME SYMBOL [global] [inlined=A,B]",
//                   "data changed|new|removed SYMBOL";
//   expected        the exact findings and functions (KLP_UPDATE_EXPECTED=1 rewrites it).
#include "klp/binary_findings.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <sstream>

using namespace klp;
namespace fs = std::filesystem;

namespace {

std::string dataDir() { return std::string(KLP_TEST_DATA) + "/data/binary"; }

std::string readText(const fs::path &P) {
  std::ifstream In(P, std::ios::binary);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

std::map<std::string, std::string> readTree(const fs::path &Root) {
  std::map<std::string, std::string> Files;
  if (!fs::exists(Root))
    return Files;
  for (const auto &E : fs::recursive_directory_iterator(Root))
    if (E.is_regular_file())
      Files[fs::relative(E.path(), Root).generic_string()] = readText(E.path());
  return Files;
}

struct Case {
  std::string Source, Object;
  ObjectDiff Diff;
  std::vector<FileChange> Changes;
  std::map<std::string, std::string> Tree;
};

FunctionStatus statusOf(const std::string &W) {
  if (W == "changed")
    return FunctionStatus::Changed;
  if (W == "new")
    return FunctionStatus::New;
  if (W == "removed")
    return FunctionStatus::Removed;
  return FunctionStatus::Unchanged; // line-only
}

Case readCase(const fs::path &Dir) {
  Case C;
  std::istringstream In(readText(Dir / "diff"));
  std::string Line;
  while (std::getline(In, Line)) {
    std::istringstream L(Line);
    std::string Kind, Status;
    L >> Kind;
    if (Kind == "source")
      L >> C.Source;
    else if (Kind == "object")
      L >> C.Object;
    else if (Kind == "function") {
      FunctionDiff F;
      L >> Status >> F.Name >> F.Symbol;
      F.Status = statusOf(Status);
      F.LineOnly = Status == "line-only";
      for (std::string W; L >> W;) {
        if (W == "global")
          F.Global = true;
        else if (W.starts_with("inlined="))
          for (std::istringstream Names(W.substr(8)); std::getline(Names, W, ',');)
            F.InlinedChanged.push_back(W);
      }
      C.Diff.Functions.push_back(F);
    } else if (Kind == "data") {
      DataDiff D;
      L >> Status >> D.Symbol;
      D.Status = statusOf(Status);
      C.Diff.Data.push_back(D);
    }
  }
  std::map<std::string, std::string> A = readTree(Dir / "a"), B = readTree(Dir / "b");
  std::set<std::string> Paths;
  for (const auto &[P, T] : A)
    Paths.insert(P);
  for (const auto &[P, T] : B)
    Paths.insert(P);
  for (const std::string &P : Paths) {
    FileChange F;
    F.Path = F.OldPath = P;
    if (A.count(P))
      F.Original = A[P];
    if (B.count(P))
      F.Patched = B[P];
    F.Lines = LineMap::fromTexts(F.Original.value_or(""), F.Patched.value_or(""));
    C.Changes.push_back(std::move(F));
  }
  C.Tree = readTree(Dir / "tree");
  return C;
}

std::string range(const Range &R) {
  return std::to_string(R.Start.Line) + ":" + std::to_string(R.Start.Character) + "-" +
         std::to_string(R.End.Line) + ":" + std::to_string(R.End.Character);
}

std::string render(const BinaryFindings &B) {
  std::string S;
  for (const Finding &F : B.Findings) {
    S += "finding " + F.Rule + " " + severityName(F.Sev) + " " + F.File + " " + range(F.Where) +
         " " + F.Symbol + "\n  " + F.Message + "\n";
    for (const RelatedLocation &R : F.Related)
      S += "  related " + R.File + " " + range(R.Where) + " " + R.Symbol + ": " + R.Message + "\n";
  }
  for (const FunctionChange &F : B.Functions)
    S += "function " + F.Name + " " + F.Status + " " + F.File + " " + range(F.Where) + "\n";
  return S;
}

class BinaryCases : public testing::TestWithParam<std::string> {};

TEST_P(BinaryCases, ExactFindings) {
  fs::path Dir = fs::path(dataDir()) / GetParam();
  Case C = readCase(Dir);
  FileReader Read = [&C](const std::string &P) -> std::optional<std::string> {
    auto It = C.Tree.find(P);
    return It == C.Tree.end() ? std::nullopt : std::optional<std::string>(It->second);
  };
  std::string Actual = render(binaryFindings(C.Source, C.Object, C.Diff, C.Changes, Read));
  if (std::getenv("KLP_UPDATE_EXPECTED")) {
    std::ofstream(Dir / "expected", std::ios::binary) << Actual;
    return;
  }
  EXPECT_EQ(Actual, readText(Dir / "expected"));
}

std::vector<std::string> caseNames() {
  std::vector<std::string> Names;
  for (const auto &E : fs::directory_iterator(dataDir()))
    if (E.is_directory())
      Names.push_back(E.path().filename().string());
  std::sort(Names.begin(), Names.end());
  return Names;
}

INSTANTIATE_TEST_SUITE_P(Data, BinaryCases, testing::ValuesIn(caseNames()),
                         [](const testing::TestParamInfo<std::string> &I) {
                           std::string N = I.param;
                           std::replace(N.begin(), N.end(), '-', '_');
                           return N;
                         });

TEST(BinaryCases, AllCasesPresent) {
  EXPECT_EQ(caseNames(), (std::vector<std::string>{"data-objects", "header-inline", "inline-helper",
                                                   "syscall-removed"}));
}

} // namespace
