// The Markdown details of findings (Finding::Detail, shown on hover): the facts behind a
// message, laid out as lists and tables.
#pragma once
#include "klp/analysis/summary.h"
#include "klp/patch.h"
#include <string>
#include <utility>
#include <vector>

namespace klp::analysis {

// struct-layout-change: old and new layout side by side, each field marked added, removed,
// moved or changed, and the total size.
std::string layoutDetail(const RecordSummary &Old, const RecordSummary &New);

// changed-function: prototype, linkage and inlining, old -> new where they differ.
std::string functionDetail(const FunctionSummary &Old, const FunctionSummary &New);

// inline-callers: the callers F is compiled into, and the callers reached through them
// (pairs of caller and the inlined function it reaches F through).
std::string
inlineDetail(const FunctionSummary &F, const std::string &Kind,
             const std::vector<const FunctionSummary *> &Callers,
             const std::vector<std::pair<const FunctionSummary *, std::string>> &Further);

// line-macro-shift: each __LINE__ use of F with its original and patched line (Map: F's file,
// null when unknown).
std::string lineShiftDetail(const FunctionSummary &F, const LineMap *Map);

} // namespace klp::analysis
