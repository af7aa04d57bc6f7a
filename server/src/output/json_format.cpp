// The JSON report (schemaVersion 1). Positions are 0-based as in the findings model and LSP.
#include "output/format.h"
#include "output/json_common.h"

namespace klp::output {

static Json findingJson(const Finding &F) {
  Json J{{"rule", F.Rule},
         {"severity", severityName(F.Sev)},
         {"file", F.File},
         {"range", rangeJson(F.Where)},
         {"message", F.Message}};
  if (!F.Symbol.empty())
    J["symbol"] = F.Symbol;
  if (!F.Detail.empty())
    J["detail"] = F.Detail; // Markdown
  Json Related = Json::array();
  for (const RelatedLocation &R : F.Related)
    Related.push_back({{"file", R.File}, {"range", rangeJson(R.Where)}, {"message", R.Message}});
  J["related"] = std::move(Related);
  Json Fixes = Json::array();
  for (const Fix &X : F.Fixes) {
    Json Edits = Json::array();
    for (const TextEdit &E : X.Edits)
      Edits.push_back({{"file", E.File}, {"range", rangeJson(E.Where)}, {"newText", E.NewText}});
    Fixes.push_back({{"title", X.Title}, {"edits", std::move(Edits)}});
  }
  J["fixes"] = std::move(Fixes);
  return J;
}

std::string formatJson(const analysis::CheckResult &R, const OutputContext &Ctx) {
  Json Findings = Json::array();
  for (const Finding &F : R.Result.Findings)
    Findings.push_back(findingJson(F));
  Json Functions = Json::array();
  for (const FunctionChange &FC : R.Result.Functions)
    Functions.push_back({{"name", FC.Name},
                         {"file", FC.File},
                         {"status", FC.Status},
                         {"range", rangeJson(FC.Where)}});
  Json Errors = Json::array();
  for (const analysis::ParseFailure &PF : R.Failures)
    Errors.push_back({{"file", PF.File},
                      {"side", PF.PatchedSide ? "patched" : "original"},
                      {"diagnostics", PF.Diagnostics}});
  Json Doc{{"schemaVersion", 1},
           {"tool", {{"name", "klp-lsp"}, {"version", Ctx.ToolVersion}}},
           {"verdict", R.Result.verdict()},
           {"findings", std::move(Findings)},
           {"functions", std::move(Functions)},
           {"errors", std::move(Errors)}};
  return dumpJson(Doc);
}

} // namespace klp::output
