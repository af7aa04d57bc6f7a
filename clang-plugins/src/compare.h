// Rules that compare the original and patched summary of one translation unit. Each rule is a
// plain function adding findings; check.cpp runs them and the file-level rules.
#pragma once
#include "klp/analysis/summary.h"
#include "klp/findings.h"
#include "klp/patch.h"
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace klp::analysis {

struct CompareContext {
  std::set<std::string> ChangedFiles;      // tree-relative paths the change touches
  std::map<std::string, LineMap> LineMaps; // per changed file: original <-> patched lines
  bool Ftrace = true;                      // the main file is compiled with the ftrace flags
  std::string Object = "vmlinux";          // livepatch object the TU belongs to
  // Number of translation units including a header (for inline callers in headers).
  std::function<size_t(const std::string &Header)> IncluderCount;
  // The translation units including a header, sorted (for messages).
  std::function<std::vector<std::string>(const std::string &Header)> Includers;
};

// What changed in one TU pair; used for the file-level no-functional-change decision.
struct TuDelta {
  bool Anything = false;
};

TuDelta compareTu(const TuSummary &Orig, const TuSummary &Patched, const CompareContext &Ctx,
                  Report &Out);

} // namespace klp::analysis
