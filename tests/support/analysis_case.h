// A data-driven analysis case (tests/data/analysis/<case>.test): the original and patched
// sources of a small translation unit, run through analyzeTranslationUnit in memory.
#pragma once
#include "klp/analysis/check.h"
#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace klp::testing {

struct AnalysisCase {
  std::vector<std::string> Order; // file paths in order of appearance; the first is the main file
  std::map<std::string, std::string> Orig, Patched;
  std::vector<std::string> ExtraArgs;
  bool Ftrace = true;
};

// Sections: "//--- original PATH", "//--- patched PATH" (a patched section may be omitted
// for a file that does not change), "//--- args ARG...", "//--- no-ftrace".
inline AnalysisCase parseAnalysisCase(const std::string &Text) {
  AnalysisCase C;
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

// The request for C's main file under Root, without its files (the callers add them).
inline analysis::TuRequest caseRequest(const AnalysisCase &C, const std::string &Root) {
  analysis::TuRequest Req;
  Req.Root = Root;
  Req.MainFile = C.Order.front();
  Req.Ftrace = C.Ftrace;
  Req.Args = {"clang", "--target=x86_64-linux-gnu", "-std=gnu11", "-I.", "-w"};
  Req.Args.insert(Req.Args.end(), C.ExtraArgs.begin(), C.ExtraArgs.end());
  Req.Args.push_back(Req.MainFile);
  return Req;
}

// Analyses C in memory. Every file goes into the request (unchanged ones too: the parse needs
// them, and an identical original/patched pair keeps them in memory).
inline analysis::CheckResult analyzeCase(const AnalysisCase &C) {
  // The sources live only in memory; Root must exist for Clang's working directory.
  std::filesystem::path Root = std::filesystem::temp_directory_path() / "klp-rule-cases";
  std::filesystem::create_directories(Root);
  analysis::TuRequest Req = caseRequest(C, Root.string());
  for (const std::string &P : C.Order) {
    FileChange FC;
    FC.Path = P;
    if (auto It = C.Orig.find(P); It != C.Orig.end())
      FC.Original = It->second;
    if (auto It = C.Patched.find(P); It != C.Patched.end())
      FC.Patched = It->second;
    Req.Changes.push_back(std::move(FC));
  }
  return analysis::analyzeTranslationUnit(Req);
}

} // namespace klp::testing
