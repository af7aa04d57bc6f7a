#include "features/code_lens.h"
#include "features/diagnostics.h"

namespace klp::features {

namespace {

std::string statusText(const std::string &Status) {
  if (Status == "changed")
    return "livepatch: replaced (changed)";
  if (Status == "new")
    return "livepatch: new function";
  if (Status == "line-shift")
    return "livepatch: replaced (only __LINE__ values changed)";
  if (Status == "inline-caller")
    return "livepatch: replaced (a changed inline callee is compiled into it)";
  return "livepatch: " + Status;
}

} // namespace

std::vector<lsp::CodeLens> codeLenses(const Report &R, const std::string &File) {
  std::vector<lsp::CodeLens> Out;
  for (const FunctionChange &Fn : R.Functions) {
    if (Fn.File != File || Fn.Status == "removed")
      continue;
    std::string Title = statusText(Fn.Status);
    std::vector<std::string> Blockers, InlinedInto;
    for (const Finding &F : R.Findings) {
      if (F.Symbol != Fn.Name || F.File != File)
        continue;
      if (F.Sev == Severity::Error && F.Rule != "struct-layout-change")
        Blockers.push_back(F.Rule);
      if (F.Rule == "inline-callers")
        for (const RelatedLocation &L : F.Related) {
          // "'callee' is inlined into 'caller'": the caller is the last quoted name.
          size_t E = L.Message.rfind('\''), B = E ? L.Message.rfind('\'', E - 1) : E;
          if (E != std::string::npos && B != std::string::npos)
            InlinedInto.push_back(L.Message.substr(B + 1, E - B - 1));
        }
    }
    if (!Blockers.empty()) {
      Title = "livepatch: cannot be patched as is (";
      for (size_t I = 0; I < Blockers.size(); ++I)
        Title += (I ? ", " : "") + Blockers[I];
      Title += ")";
    }
    if (!InlinedInto.empty()) {
      Title += " | inlined into ";
      for (size_t I = 0; I < InlinedInto.size() && I < 3; ++I)
        Title += (I ? ", " : "") + InlinedInto[I];
      if (InlinedInto.size() > 3)
        Title += " and " + std::to_string(InlinedInto.size() - 3) + " more";
    }
    lsp::CodeLens L;
    L.range = toLsp(Fn.Where);
    L.command.title = Title;
    L.command.command = ""; // informational: nothing to run when clicked
    Out.push_back(std::move(L));
  }
  return Out;
}

} // namespace klp::features
