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

namespace klp::features {

namespace {

// The header a directive line names, as written, and whether it used quotes.
std::optional<std::pair<std::string, bool>> includedName(std::string_view Line) {
  size_t I = Line.find_first_not_of(" \t");
  if (I == std::string_view::npos || Line[I] != '#')
    return std::nullopt;
  I = Line.find_first_not_of(" \t", I + 1);
  if (I == std::string_view::npos || Line.substr(I, 7) != "include")
    return std::nullopt;
  I = Line.find_first_not_of(" \t", I + 7);
  if (I == std::string_view::npos || (Line[I] != '"' && Line[I] != '<'))
    return std::nullopt;
  char Close = Line[I] == '"' ? '"' : '>';
  size_t E = Line.find(Close, I + 1);
  if (E == std::string_view::npos)
    return std::nullopt;
  return std::make_pair(std::string(Line.substr(I + 1, E - I - 1)), Close == '"');
}

} // namespace

std::vector<lsp::Diagnostic> includedFileDiagnostics(const Report &R, const std::string &File,
                                                     const std::string &Text,
                                                     const std::string &TreeRoot,
                                                     const SeverityOverrides &O) {
  std::map<std::string, std::vector<std::pair<const Finding *, Severity>>> ByHeader;
  for (const Finding &F : R.Findings)
    if (std::optional<Severity> S = effectiveSeverity(F, O); S && F.File != File)
      ByHeader[F.File].push_back({&F, *S});
  std::vector<lsp::Diagnostic> Out;
  if (ByHeader.empty())
    return Out;
  std::string Dir = File.find('/') == std::string::npos ? "" : File.substr(0, File.rfind('/') + 1);
  size_t Pos = 0;
  for (unsigned LineNo = 0; Pos <= Text.size(); ++LineNo) {
    size_t End = Text.find('\n', Pos);
    std::string_view Line(Text.data() + Pos, (End == std::string::npos ? Text.size() : End) - Pos);
    if (auto Inc = includedName(Line)) {
      for (const auto &[Header, Findings] : ByHeader) {
        bool Names = (Inc->second && Header == Dir + Inc->first) ||
                     Header.ends_with("include/" + Inc->first);
        if (!Names)
          continue;
        const auto *Worst = &Findings.front();
        for (const auto &P : Findings)
          if (P.second < Worst->second) // Error < Warning < Info
            Worst = &P;
        lsp::Diagnostic D =
            toDiagnostic(*Worst->first, Worst->second, TreeRoot); // rule, severity, href
        size_t Start = Line.find_first_not_of(" \t");
        D.range = {{int(LineNo), int(Start)}, {int(LineNo), int(Line.size())}};
        D.message = "in included file " + Header + ": " + Worst->first->Message;
        if (Findings.size() > 1)
          D.message += " (and " + std::to_string(Findings.size() - 1) + " more finding" +
                       (Findings.size() > 2 ? "s" : "") + " there)";
        D.relatedInformation.clear();
        for (const auto &[F, S] : Findings)
          D.relatedInformation.push_back(
              {{lsp::pathToUri(TreeRoot + "/" + F->File), toLsp(F->Where)},
               F->Rule + ": " + F->Message});
        Out.push_back(std::move(D));
      }
    }
    if (End == std::string::npos)
      break;
    Pos = End + 1;
  }
  return Out;
}

} // namespace klp::features
