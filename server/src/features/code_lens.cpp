#include "features/code_lens.h"
#include "features/diagnostics.h"
#include <algorithm>

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
    // Functions made by one macro (SYSCALL_DEFINE's __x64_sys_/__se_sys_/__do_sys_) share a
    // place: then each lens names its function.
    bool Shared =
        std::count_if(R.Functions.begin(), R.Functions.end(), [&](const FunctionChange &O) {
          return O.File == File && O.Where == Fn.Where && O.Status != "removed";
        }) > 1;
    std::vector<std::string> Blockers, InlinedInto;
    for (const Finding &F : R.Findings) {
      if (F.Symbol != Fn.Name || F.File != File)
        continue;
      if (F.Sev == Severity::Error && F.Rule != "struct-layout-change")
        Blockers.push_back(F.Rule);
      if (F.Rule == "inline-callers")
        for (const RelatedLocation &L : F.Related)
          if (!L.Symbol.empty())
            InlinedInto.push_back(L.Symbol);
    }
    if (!Blockers.empty()) {
      Title = "livepatch: cannot be patched as is (";
      for (size_t I = 0; I < Blockers.size(); ++I)
        Title += (I ? ", " : "") + Blockers[I];
      Title += ")";
    }
    if (Shared)
      Title.insert(std::string("livepatch: ").size(), Fn.Name + ": ");
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
