#include "features/code_actions.h"
#include "lsp/uri.h"

namespace klp::features {

std::vector<lsp::CodeAction> codeActions(const Report &R, const std::string &TreeRoot,
                                         const std::string &File, const Range &Where,
                                         const SeverityOverrides &O) {
  std::vector<lsp::CodeAction> Out;
  for (const Finding &F : R.Findings) {
    std::optional<Severity> S = effectiveSeverity(F, O);
    if (!S || F.File != File || !overlaps(F.Where, Where))
      continue;
    for (const Fix &X : F.Fixes) {
      lsp::CodeAction A;
      A.title = X.Title;
      A.diagnostics.push_back(toDiagnostic(F, *S, TreeRoot));
      A.isPreferred = Out.empty();
      for (const TextEdit &E : X.Edits) {
        std::string Uri = lsp::pathToUri(TreeRoot + "/" + E.File);
        auto It = std::find_if(A.edit.changes.begin(), A.edit.changes.end(),
                               [&](const auto &P) { return P.first == Uri; });
        if (It == A.edit.changes.end())
          It = A.edit.changes.insert(A.edit.changes.end(), {Uri, {}});
        It->second.push_back({toLsp(E.Where), E.NewText});
      }
      Out.push_back(std::move(A));
    }
  }
  return Out;
}

} // namespace klp::features
