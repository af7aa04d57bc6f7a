// Small helpers to build findings with the registry's default severity.
#pragma once
#include "klp/findings.h"
#include "klp/patch.h"
#include <map>
#include <string>

namespace klp::analysis {

Finding makeFinding(const char *Rule, const std::string &File, Range R, std::string Msg,
                    Severity *Override = nullptr);
// The first changed line of a file, in patched coordinates (the whole line).
Range firstChange(const FileChange &C);
// no-functional-change on C's first changed line: C is analysed and nothing in it reaches the
// generated code.
Finding noFunctionalChange(const FileChange &C);
// "file:line:col: error: msg" (Clang's diagnostic) -> a compile-error finding.
Finding compileError(const std::string &Diag, bool PatchedSide);
// The same for an error of the original side, its position mapped into the patched file.
Finding originalCompileError(const std::string &Diag, const std::map<std::string, LineMap> &Maps);

} // namespace klp::analysis
