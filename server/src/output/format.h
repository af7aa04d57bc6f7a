// Report writers for `klp-lsp check`: compiler-style text, JSON and SARIF 2.1.0. Each returns
// the whole document as a string so the caller can write it atomically (or not at all).
#pragma once
#include "klp/analysis/check.h"
#include <optional>
#include <string>
#include <string_view>

namespace klp::output {

enum class Format { Text, Json, Sarif };
// "text", "json", "sarif"; nullopt for anything else.
std::optional<Format> parseFormat(std::string_view Name);

struct OutputContext {
  std::string ToolVersion; // "0.1.0"
  std::string TreeRoot;    // absolute path of the kernel tree (SARIF's KERNELROOT base)
};

// The writers print findings and functions in the order given (Report::sort them first).
// Compile failures are expected to be in the findings already (addCompileErrorFindings).
std::string formatText(const analysis::CheckResult &R);
std::string formatJson(const analysis::CheckResult &R, const OutputContext &Ctx);
std::string formatSarif(const analysis::CheckResult &R, const OutputContext &Ctx);
std::string formatReport(Format F, const analysis::CheckResult &R, const OutputContext &Ctx);

} // namespace klp::output
