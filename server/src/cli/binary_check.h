// `klp-lsp check --binary`: the changed translation units are built (original and patched),
// diffed at ELF level, and the binary findings join the source report.
#pragma once
#include "klp/findings.h"
#include "klp/kernel_tree.h"
#include "klp/patch.h"

#include <string>
#include <vector>

namespace klp::cli {

// Builds and diffs the objects of Changes and joins their findings into R
// (klp::joinBinaryFindings). Returns "" or, when there is nothing to build (only files that are
// not built, assembly; the source findings say so), the reason. Throws klp::Error when a build or
// a diff fails.
std::string addBinaryFindings(const KernelTree &Tree, const std::vector<FileChange> &Changes,
                              const FileReader &ReadTree, Report &R);

} // namespace klp::cli
