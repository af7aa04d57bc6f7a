// The source analysis entry point: compare the original and patched side of every changed
// translation unit and report what makes the patch unsafe or surprising to livepatch.
#pragma once
#include "klp/analysis/summary_cache.h"
#include "klp/findings.h"
#include "klp/kernel_tree.h"
#include "klp/patch.h"
#include <string>
#include <vector>

namespace klp::analysis {

struct CheckOptions {
  bool SymbolVersions = true; // run genksyms for files that export symbols
  unsigned HeaderSampleTUs =
      1;                      // TUs parsed to analyse a changed header no .c of the patch includes
  unsigned FanoutWarnAt = 20; // header-fanout becomes a warning at this many TUs
  unsigned Threads = 2;       // parse original and patched sides in parallel
  SummaryCache *Cache = nullptr; // reuse parses of unchanged TU sides across calls
  bool Preamble = true;          // with Cache: reuse precompiled preambles (summary_cache.h)
};

// Clang could not parse one side: its diagnostics, formatted "file:line:col: error: ...".
struct ParseFailure {
  std::string File;
  bool PatchedSide = true;
  std::vector<std::string> Diagnostics;
};

struct CheckResult {
  Report Result;
  std::vector<ParseFailure> Failures; // non-empty makes the verdict unsafe (rule "compile-error")
  unsigned SymbolVersionRuns = 0;     // TUs whose CRCs genksyms computed (both sides each)
};

// Analyses Changes (from applyPatch, or the language server's buffers) against Tree.
// Throws klp::Error when the tool cannot do its job (e.g. a compile command cannot be found).
CheckResult checkChanges(const KernelTree &Tree, const std::vector<FileChange> &Changes,
                         const CheckOptions &Opts = {});

} // namespace klp::analysis

namespace klp::analysis {

// One translation unit with explicit compiler arguments, outside any kernel tree: the core of
// checkChanges without kbuild (used by the unit tests on synthetic sources and by editors
// that have their own compile commands).
struct TuRequest {
  std::string Root;                // directory the paths are relative to
  std::vector<std::string> Args;   // clang argv (argv[0] = compiler), main file last
  std::string MainFile;            // relative to Root
  std::vector<FileChange> Changes; // original/patched text of every changed file
  bool Ftrace = true;
  std::string Object = "vmlinux";
  SummaryCache *Cache = nullptr; // reuse parses of unchanged sides across calls
  bool Preamble = true;          // with Cache: reuse precompiled preambles (summary_cache.h)
};

CheckResult analyzeTranslationUnit(const TuRequest &Req);

} // namespace klp::analysis
