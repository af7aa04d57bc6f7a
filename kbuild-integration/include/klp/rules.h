// The rule registry: every finding's rule id must be listed here. Ids are stable API (SARIF
// fingerprints, editor settings and review bots key on them): never rename one.
#pragma once
#include "klp/findings.h"
#include <span>
#include <string_view>

namespace klp {

struct RuleInfo {
  std::string_view Id;
  Severity DefaultSeverity;
  std::string_view Summary; // one line, for SARIF shortDescription and hover
  std::string_view Help;    // what to do, for SARIF help text
};

std::span<const RuleInfo> allRules();
// Null when Id is not a known rule.
const RuleInfo *findRule(std::string_view Id);
// Base URL of the rule pages (docs/rules/<id>.md) used for LSP codeDescription and SARIF helpUri.
std::string ruleDocUrl(std::string_view Id);

} // namespace klp
