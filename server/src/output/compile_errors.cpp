#include "output/compile_errors.h"
#include "klp/rules.h"
#include <regex>

namespace klp::output {

namespace {

struct ParsedDiagnostic {
  std::string File;
  unsigned Line = 0, Column = 0; // 1-based as Clang prints them
  std::string Message;
};

std::optional<ParsedDiagnostic> parseDiagnostic(const std::string &Text) {
  // The first line only: Clang may append source excerpts or notes after a newline.
  std::string First = Text.substr(0, Text.find('\n'));
  static const std::regex Re(R"(^(.+?):(\d+):(\d+): (?:fatal error|error|warning|note): (.*)$)");
  std::smatch M;
  if (!std::regex_match(First, M, Re))
    return std::nullopt;
  return ParsedDiagnostic{M[1], static_cast<unsigned>(std::stoul(M[2])),
                          static_cast<unsigned>(std::stoul(M[3])), M[4]};
}

// Moves a position in a file's original text to the patched file (renames included).
void toPatched(const std::vector<FileChange> &Changes, std::string &File, unsigned &Line) {
  for (const FileChange &C : Changes)
    if (C.OldPath == File && C.Patched) {
      File = C.Path;
      Line = C.Lines.toPatched(Line);
      return;
    }
}

} // namespace

void addCompileErrorFindings(analysis::CheckResult &R, const RelativePath &ToRelative,
                             const std::vector<FileChange> &Changes) {
  const RuleInfo *Rule = findRule("compile-error");
  for (const Finding &F : R.Result.Findings)
    if (F.Rule == Rule->Id)
      return; // the analysis reported its failures itself
  for (const analysis::ParseFailure &PF : R.Failures) {
    const char *Side = PF.PatchedSide ? "patched" : "original";
    for (const std::string &Diag : PF.Diagnostics) {
      Finding F;
      F.Rule = std::string(Rule->Id);
      F.Sev = Rule->DefaultSeverity;
      F.File = PF.File;
      if (std::optional<ParsedDiagnostic> D = parseDiagnostic(Diag)) {
        std::optional<std::string> Rel = ToRelative ? ToRelative(D->File) : std::nullopt;
        F.File = Rel ? *Rel : D->File;
        unsigned Line = D->Line ? D->Line - 1 : 0;
        if (!PF.PatchedSide)
          toPatched(Changes, F.File, Line);
        F.Where.Start = F.Where.End = Position{Line, D->Column ? D->Column - 1 : 0};
        F.Message = std::string(Side) + " code does not compile: " + D->Message;
      } else {
        F.Message = std::string(Side) + " code does not compile: " + Diag;
      }
      R.Result.Findings.push_back(std::move(F));
    }
  }
}

} // namespace klp::output
