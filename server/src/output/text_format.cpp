// Compiler-style text: one "file:line:col: severity: message [rule]" line per finding (1-based
// positions, so editors' compile modes can jump to them), "note:" lines for related locations,
// then the verdict and the functions that go into the livepatch.
#include "output/format.h"
#include <cstdio>

namespace klp::output {

static std::string location(const std::string &File, const Position &P) {
  return File + ":" + std::to_string(P.Line + 1) + ":" + std::to_string(P.Character + 1);
}

// One finding per line, whatever the message holds (compile modes parse line by line).
static std::string oneLine(std::string S) {
  for (char &C : S)
    if (C == '\n' || C == '\r')
      C = ' ';
  return S;
}

static std::string counted(size_t N, const char *Singular, const char *Plural) {
  return std::to_string(N) + " " + (N == 1 ? Singular : Plural);
}

std::string formatText(const analysis::CheckResult &R) {
  std::string Out;
  size_t Errors = 0, Warnings = 0, Infos = 0;
  for (const Finding &F : R.Result.Findings) {
    (F.Sev == Severity::Error ? Errors : F.Sev == Severity::Warning ? Warnings : Infos)++;
    Out += location(F.File, F.Where.Start) + ": " + severityName(F.Sev) + ": " +
           oneLine(F.Message) + " [" + F.Rule + "]\n";
    for (const RelatedLocation &Rel : F.Related)
      Out += location(Rel.File, Rel.Where.Start) + ": note: " + oneLine(Rel.Message) + "\n";
    for (const Fix &X : F.Fixes)
      Out += "  fix: " + oneLine(X.Title) + "\n";
  }
  Out += "verdict: " + R.Result.verdict() + " (" + counted(Errors, "error", "errors") + ", " +
         counted(Warnings, "warning", "warnings") + ", " + std::to_string(Infos) + " info)\n";
  if (R.Result.Functions.empty()) {
    Out += "functions: none\n";
    return Out;
  }
  Out += "functions:\n";
  for (const FunctionChange &FC : R.Result.Functions) {
    // The longest status is "inline-caller" (13 characters).
    char Status[32];
    std::snprintf(Status, sizeof(Status), "%-13s", FC.Status.c_str());
    Out +=
        std::string("  ") + Status + " " + FC.Name + " " + location(FC.File, FC.Where.Start) + "\n";
  }
  return Out;
}

} // namespace klp::output
