// SARIF 2.1.0 as GitHub code scanning accepts it: every rule of the registry in
// tool.driver.rules, tree-relative URIs against the KERNELROOT base, 1-based regions with an
// exclusive endColumn, and line-independent partialFingerprints.
#include "klp/rules.h"
#include "output/fingerprint.h"
#include "output/format.h"
#include "output/json_common.h"
#include <cctype>
#include <map>

namespace klp::output {

namespace {

constexpr const char *SchemaUri =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
constexpr const char *InformationUri = "https://github.com/klp-lsp/klp-lsp";
constexpr const char *RootBase = "KERNELROOT";

const char *sarifLevel(Severity S) {
  switch (S) {
  case Severity::Error:
    return "error";
  case Severity::Warning:
    return "warning";
  case Severity::Info:
    return "note";
  }
  return "note";
}

// "struct-layout-change" -> "StructLayoutChange" (SARIF's rule name is an identifier).
std::string ruleName(std::string_view Id) {
  std::string Name;
  bool Upper = true;
  for (char C : Id) {
    if (C == '-') {
      Upper = true;
      continue;
    }
    Name += Upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(C))) : C;
    Upper = false;
  }
  return Name;
}

// Percent-encodes everything but RFC 3986 unreserved characters and '/'.
std::string uriEncode(std::string_view Path) {
  static const char Hex[] = "0123456789ABCDEF";
  std::string Out;
  for (unsigned char C : Path) {
    if (std::isalnum(C) || C == '-' || C == '_' || C == '.' || C == '~' || C == '/') {
      Out += static_cast<char>(C);
    } else {
      Out += '%';
      Out += Hex[C >> 4];
      Out += Hex[C & 15];
    }
  }
  return Out;
}

Json ruleJson(const RuleInfo &R) {
  std::string Summary(R.Summary), Help(R.Help), Url = ruleDocUrl(R.Id);
  return Json{{"id", R.Id},
              {"name", ruleName(R.Id)},
              {"shortDescription", {{"text", Summary}}},
              {"fullDescription", {{"text", Summary + " " + Help}}},
              {"help",
               {{"text", Help},
                {"markdown", "**" + Summary + "**\n\n" + Help + "\n\nSee [" + std::string(R.Id) +
                                 "](" + Url + ")."}}},
              {"helpUri", Url},
              {"defaultConfiguration", {{"level", sarifLevel(R.DefaultSeverity)}}},
              {"properties", {{"tags", {"livepatch"}}}}};
}

Json regionJson(const Range &R) {
  return Json{{"startLine", R.Start.Line + 1},
              {"startColumn", R.Start.Character + 1},
              {"endLine", R.End.Line + 1},
              {"endColumn", R.End.Character + 1}};
}

Json artifactJson(const std::string &File) {
  return Json{{"uri", uriEncode(File)}, {"uriBaseId", RootBase}};
}

Json physicalLocationJson(const std::string &File, const Range &R) {
  return Json{{"artifactLocation", artifactJson(File)}, {"region", regionJson(R)}};
}

// Plain text made literal for Markdown: every character that could start markup is escaped.
std::string markdownEscape(std::string_view Text) {
  std::string Out;
  for (char C : Text) {
    if (std::string_view("\\`*_[]<>#|~").find(C) != std::string_view::npos)
      Out += '\\';
    Out += C;
  }
  return Out;
}

Json fixJson(const Fix &X) {
  // One artifactChange per file, in the order the files first appear.
  Json Changes = Json::array();
  std::map<std::string, size_t> ChangeOfFile;
  for (const TextEdit &E : X.Edits) {
    auto [It, New] = ChangeOfFile.try_emplace(E.File, Changes.size());
    if (New)
      Changes.push_back(
          {{"artifactLocation", artifactJson(E.File)}, {"replacements", Json::array()}});
    Changes[It->second]["replacements"].push_back(
        {{"deletedRegion", regionJson(E.Where)}, {"insertedContent", {{"text", E.NewText}}}});
  }
  return Json{{"description", {{"text", X.Title}}}, {"artifactChanges", std::move(Changes)}};
}

Json resultJson(const Finding &F, const std::string &Fingerprint) {
  Json J{{"ruleId", F.Rule}};
  std::span<const RuleInfo> Rules = allRules();
  if (const RuleInfo *Info = findRule(F.Rule))
    J["ruleIndex"] = Info - Rules.data();
  J["level"] = sarifLevel(F.Sev);
  J["message"] = {{"text", F.Message}};
  // The detail (Markdown already) follows the message in the Markdown rendering.
  if (!F.Detail.empty())
    J["message"]["markdown"] = markdownEscape(F.Message) + "\n\n" + F.Detail;
  Json Location{{"physicalLocation", physicalLocationJson(F.File, F.Where)}};
  if (!F.Symbol.empty())
    Location["logicalLocations"] = Json::array({{{"name", F.Symbol}}});
  J["locations"] = Json::array({std::move(Location)});
  if (!F.Related.empty()) {
    Json Related = Json::array();
    for (size_t I = 0; I < F.Related.size(); ++I)
      Related.push_back(
          {{"id", I + 1},
           {"physicalLocation", physicalLocationJson(F.Related[I].File, F.Related[I].Where)},
           {"message", {{"text", F.Related[I].Message}}}});
    J["relatedLocations"] = std::move(Related);
  }
  J["partialFingerprints"] = {{"klpFinding/v1", Fingerprint}};
  if (!F.Fixes.empty()) {
    Json Fixes = Json::array();
    for (const Fix &X : F.Fixes)
      Fixes.push_back(fixJson(X));
    J["fixes"] = std::move(Fixes);
  }
  return J;
}

} // namespace

std::string formatSarif(const analysis::CheckResult &R, const OutputContext &Ctx) {
  Json Rules = Json::array();
  for (const RuleInfo &Info : allRules())
    Rules.push_back(ruleJson(Info));

  // Identical findings (same rule, file, symbol and line-free message) get ":1", ":2", ... in
  // report order, like GitHub's own primaryLocationLineHash, so each stays a separate alert.
  std::map<std::string, unsigned> Occurrences;
  Json Results = Json::array();
  for (const Finding &F : R.Result.Findings) {
    std::string Hash = findingFingerprint(F);
    unsigned N = ++Occurrences[Hash];
    Results.push_back(resultJson(F, Hash + ":" + std::to_string(N)));
  }

  Json Root{{"description", {{"text", "The root of the kernel source tree."}}}};
  if (!Ctx.TreeRoot.empty()) {
    std::string Uri = "file://" + uriEncode(Ctx.TreeRoot);
    if (Uri.back() != '/')
      Uri += '/';
    Root = Json{{"uri", Uri}, {"description", Root["description"]}};
  }

  Json Run{{"tool",
            {{"driver",
              {{"name", "klp-lsp"},
               {"version", Ctx.ToolVersion},
               {"informationUri", InformationUri},
               {"rules", std::move(Rules)}}}}},
           {"originalUriBaseIds", {{RootBase, std::move(Root)}}},
           {"columnKind", "utf16CodeUnits"},
           {"results", std::move(Results)}};
  Json Doc{{"$schema", SchemaUri}, {"version", "2.1.0"}, {"runs", Json::array({std::move(Run)})}};
  return dumpJson(Doc);
}

} // namespace klp::output
