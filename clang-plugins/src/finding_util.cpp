#include "finding_util.h"
#include "klp/rules.h"
#include <sstream>

namespace klp::analysis {

// First changed line of a file in patched coordinates, and its range (whole line).
Range firstChange(const FileChange &C) {
  unsigned Line = 0;
  if (C.Source && !C.Source->Hunks.empty()) {
    const Hunk &H = C.Source->Hunks.front();
    unsigned New = H.NewStart ? H.NewStart - 1 : 0;
    for (const PatchLine &L : H.Lines) {
      if (L.Kind != ' ')
        break;
      ++New;
    }
    Line = New;
  } else if (C.Original && C.Patched) {
    std::istringstream A(*C.Original), B(*C.Patched);
    std::string LA, LB;
    while (true) {
      bool GA = bool(std::getline(A, LA)), GB = bool(std::getline(B, LB));
      if (!GA || !GB || LA != LB)
        break;
      ++Line;
    }
  }
  unsigned Len = 0;
  if (C.Patched) {
    std::istringstream B(*C.Patched);
    std::string L;
    for (unsigned I = 0; std::getline(B, L); ++I)
      if (I == Line) {
        Len = L.size();
        break;
      }
  }
  return Range{{Line, 0}, {Line, Len}};
}

Finding makeFinding(const char *Rule, const std::string &File, Range R, std::string Msg,
                    Severity *Override) {
  Finding F;
  F.Rule = Rule;
  const RuleInfo *RI = findRule(Rule);
  F.Sev = Override ? *Override : (RI ? RI->DefaultSeverity : Severity::Warning);
  F.File = File;
  F.Where = R;
  F.Message = std::move(Msg);
  return F;
}

// "file:line:col: error: msg" -> a compile-error finding.
Finding compileError(const std::string &Diag, bool PatchedSide) {
  Finding F = makeFinding("compile-error", "", Range{}, "");
  size_t P1 = Diag.find(':');
  size_t P2 = P1 == std::string::npos ? P1 : Diag.find(':', P1 + 1);
  size_t P3 = P2 == std::string::npos ? P2 : Diag.find(':', P2 + 1);
  std::string Msg = Diag;
  if (P3 != std::string::npos) {
    F.File = Diag.substr(0, P1);
    unsigned Line = std::stoul(Diag.substr(P1 + 1, P2 - P1 - 1));
    unsigned Col = std::stoul(Diag.substr(P2 + 1, P3 - P2 - 1));
    F.Where =
        Range{{Line ? Line - 1 : 0, Col ? Col - 1 : 0}, {Line ? Line - 1 : 0, Col ? Col - 1 : 0}};
    Msg = Diag.substr(P3 + 1);
    if (Msg.starts_with(" error: "))
      Msg = Msg.substr(8);
  }
  F.Message = std::string(PatchedSide ? "the patched code does not compile: "
                                      : "the original code does not compile: ") +
              Msg;
  return F;
}

Finding originalCompileError(const std::string &Diag, const std::map<std::string, LineMap> &Maps) {
  Finding F = compileError(Diag, false);
  auto It = Maps.find(F.File);
  if (It != Maps.end()) {
    unsigned Line = It->second.toPatched(F.Where.Start.Line);
    F.Where.Start.Line = F.Where.End.Line = Line;
  }
  return F;
}

Finding noFunctionalChange(const FileChange &C) {
  return makeFinding("no-functional-change", C.Path, firstChange(C),
                     "nothing in " + C.Path +
                         " that reaches the generated code changes under this config (only "
                         "comments, whitespace or compiled-out code): this file contributes no "
                         "function to the livepatch");
}

} // namespace klp::analysis
