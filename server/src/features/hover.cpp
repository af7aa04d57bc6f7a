#include "features/hover.h"
#include "klp/rules.h"

namespace klp::features {

std::optional<lsp::Hover> hover(const Report &R, const std::string &File, const Position &Where,
                                const SeverityOverrides &O) {
  Range At{Where, Where};
  std::string Md;
  std::optional<Range> Span;
  auto Extend = [&](const Range &X) {
    if (!Span)
      Span = X;
    else
      Span = Range{std::min(Span->Start, X.Start), std::max(Span->End, X.End)};
  };
  for (const FunctionChange &Fn : R.Functions) {
    if (Fn.File != File || Fn.Status == "removed" || !overlaps(Fn.Where, At))
      continue;
    Md += "**" + Fn.Name + "**: livepatch status `" + Fn.Status + "`\n\n";
    Extend(Fn.Where);
  }
  for (const Finding &F : R.Findings) {
    std::optional<Severity> S = effectiveSeverity(F, O);
    if (!S || F.File != File || !overlaps(F.Where, At))
      continue;
    if (!Md.empty())
      Md += "---\n\n";
    Md += "**" + F.Rule + "** (" + severityName(*S) + ")";
    Md += " [rule](" + ruleDocUrl(F.Rule) + ")\n\n" + F.Message + "\n\n";
    if (!F.Detail.empty())
      Md += F.Detail + "\n\n";
    Extend(F.Where);
  }
  if (Md.empty())
    return std::nullopt;
  lsp::Hover H;
  H.markdown = Md;
  H.range = toLsp(*Span);
  return H;
}

} // namespace klp::features
