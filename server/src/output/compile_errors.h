// Clang could not parse one side of a file: each of its diagnostics becomes a finding with rule
// "compile-error", so the verdict is unsafe and editors/code scanning show where.
#pragma once
#include "klp/analysis/check.h"
#include <functional>
#include <optional>
#include <string>

namespace klp::output {

// Tree-relative form of a path found in a diagnostic; nullopt when it is outside the tree.
using RelativePath = std::function<std::optional<std::string>(const std::string &Path)>;

// Appends one error finding per diagnostic of R.Failures. A diagnostic "file:line:col: error:
// msg" is located at that file/line/col (made tree-relative with ToRelative); anything else is
// located at the start of the failing file. Diagnostics of the original side are located on the
// original file's lines, mapped to the patched file through the FileChange's line map.
// Does nothing when R already has compile-error findings (the analysis made them itself).
void addCompileErrorFindings(analysis::CheckResult &R, const RelativePath &ToRelative,
                             const std::vector<FileChange> &Changes = {});

} // namespace klp::output
