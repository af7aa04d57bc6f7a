// From the editor's state to an analysis: which files differ from the baseline (open buffers,
// files saved on disk) and the check of all of them as one patch. Plain functions: no LSP.
#pragma once
#include "klp/analysis/check.h"
#include "klp/kernel_tree.h"
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>

namespace klp::workspace {

// The editor's state at one moment (copied, so the analysis can run while editing goes on).
struct Snapshot {
  uint64_t Generation = 0;
  std::map<std::string, std::string> Open; // tree-relative path -> unsaved buffer text
  std::map<std::string, int> Versions;     // tree-relative path -> document version
  std::set<std::string> DiskChanged;       // saved files that may differ from the baseline
};

struct AnalysisResult {
  uint64_t Generation = 0;
  std::map<std::string, int> Versions; // of the open documents it analysed
  analysis::CheckResult Check;
  std::vector<std::string> ChangedFiles; // tree-relative, sorted
  std::vector<FileChange> Changes;       // what was analysed (klp.buildModule builds them)
  std::string Error;                     // non-empty: the analysis could not run (and why)
  double Seconds = 0;
};

using OriginalReader = std::function<std::optional<std::string>(const std::string &RelPath)>;

// The changes of a snapshot: every open or saved file whose text differs from the baseline.
// Only C sources, headers and assembly count (what the analysis understands).
std::vector<FileChange> collectChanges(const KernelTree &Tree, const OriginalReader &Original,
                                       const Snapshot &S);

// Runs checkChanges over collectChanges. Never throws: tool errors and crashes inside the
// analysis (caught by LLVM's crash recovery) end up in Error.
AnalysisResult analyzeSnapshot(const KernelTree &Tree, const OriginalReader &Original,
                               const Snapshot &S, const analysis::CheckOptions &Opts);

} // namespace klp::workspace
