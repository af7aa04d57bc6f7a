// Findings -> LSP diagnostics (feature code: plain functions over an analysis report).
#pragma once
#include "klp/findings.h"
#include "lsp/protocol.h"
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace klp::features {

// Per-rule severity chosen by the user; nullopt drops the rule's findings ("off").
using SeverityOverrides = std::map<std::string, std::optional<Severity>>;

// Parses {"rule-id": "error"|"warning"|"info"|"off"}; throws lsp::RpcError(InvalidParams)
// naming the rule or value that is wrong.
SeverityOverrides parseSeverityOverrides(const lsp::Json &J);

// The severity a finding is shown with; nullopt when its rule is off.
std::optional<Severity> effectiveSeverity(const Finding &F, const SeverityOverrides &O);

lsp::Range toLsp(const Range &R);
Range fromLsp(const lsp::Range &R);
bool overlaps(const Range &A, const Range &B); // touching ranges count (a cursor in a name)

// TreeRoot is absolute; finding paths are relative to it.
lsp::Diagnostic toDiagnostic(const Finding &F, Severity S, const std::string &TreeRoot);

// Diagnostics of every file that has findings, keyed by tree-relative path.
std::map<std::string, std::vector<lsp::Diagnostic>>
diagnosticsByFile(const Report &R, const std::string &TreeRoot, const SeverityOverrides &O);

} // namespace klp::features

namespace klp::features {

// A header's findings seen from a file that includes it (as clangd shows "in included file"):
// one diagnostic on each `#include` line of Text that names a header with findings, with the
// header's most severe finding as message and rule, and every header finding as related
// information. Only direct includes are resolved: "x.h" next to File, <x.h> under any
// include directory of the tree (the header's path ends in "include/x.h").
std::vector<lsp::Diagnostic> includedFileDiagnostics(const Report &R, const std::string &File,
                                                     const std::string &Text,
                                                     const std::string &TreeRoot,
                                                     const SeverityOverrides &O);

} // namespace klp::features
