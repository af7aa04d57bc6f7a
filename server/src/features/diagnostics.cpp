#include "features/diagnostics.h"
#include "klp/rules.h"
#include "lsp/uri.h"

namespace klp::features {

SeverityOverrides parseSeverityOverrides(const lsp::Json &J) {
  SeverityOverrides O;
  if (J.is_null())
    return O;
  if (!J.is_object())
    throw lsp::RpcError{lsp::ErrorCode::InvalidParams,
                        "severity overrides must be an object {\"rule-id\": \"error\"|...}"};
  for (const auto &[Rule, V] : J.items()) {
    if (!findRule(Rule))
      throw lsp::RpcError{lsp::ErrorCode::InvalidParams,
                          "severity override for unknown rule '" + Rule + "'"};
    std::string S = V.is_string() ? V.get<std::string>() : "";
    if (S == "error")
      O[Rule] = Severity::Error;
    else if (S == "warning")
      O[Rule] = Severity::Warning;
    else if (S == "info")
      O[Rule] = Severity::Info;
    else if (S == "off")
      O[Rule] = std::nullopt;
    else
      throw lsp::RpcError{lsp::ErrorCode::InvalidParams,
                          "severity override for '" + Rule +
                              "' must be error, warning, info or off"};
  }
  return O;
}

std::optional<Severity> effectiveSeverity(const Finding &F, const SeverityOverrides &O) {
  auto It = O.find(F.Rule);
  return It == O.end() ? std::optional<Severity>(F.Sev) : It->second;
}

lsp::Range toLsp(const Range &R) {
  return {{int(R.Start.Line), int(R.Start.Character)}, {int(R.End.Line), int(R.End.Character)}};
}

Range fromLsp(const lsp::Range &R) {
  return {{unsigned(R.start.line), unsigned(R.start.character)},
          {unsigned(R.end.line), unsigned(R.end.character)}};
}

bool overlaps(const Range &A, const Range &B) { return !(A.End < B.Start || B.End < A.Start); }

lsp::Diagnostic toDiagnostic(const Finding &F, Severity S, const std::string &TreeRoot) {
  lsp::Diagnostic D;
  D.range = toLsp(F.Where);
  D.severity = S == Severity::Error ? 1 : S == Severity::Warning ? 2 : 3;
  D.code = F.Rule;
  D.codeHref = ruleDocUrl(F.Rule);
  D.message = F.Message;
  for (const RelatedLocation &L : F.Related)
    D.relatedInformation.push_back(
        {{lsp::pathToUri(TreeRoot + "/" + L.File), toLsp(L.Where)}, L.Message});
  return D;
}

std::map<std::string, std::vector<lsp::Diagnostic>>
diagnosticsByFile(const Report &R, const std::string &TreeRoot, const SeverityOverrides &O) {
  std::map<std::string, std::vector<lsp::Diagnostic>> Out;
  for (const Finding &F : R.Findings)
    if (std::optional<Severity> S = effectiveSeverity(F, O); S && !F.File.empty())
      Out[F.File].push_back(toDiagnostic(F, *S, TreeRoot));
  return Out;
}

} // namespace klp::features
