// Quick fixes the comparison attaches to its findings: edits of the patched files that turn a
// patch the rules object to into one they accept. Built from summaries alone (no file text):
// the summary builder records the positions and declaration texts the edits need.
#pragma once
#include "klp/analysis/summary.h"
#include "klp/findings.h"
#include "klp/patch.h"
#include <optional>
#include <string>
#include <vector>

namespace klp::analysis {

// struct-layout-change, field added: moves the field Field of the patched record Rec into a
// shadow variable (klp_shadow_get_or_alloc). Includes lists the #include lines of the record's
// file (null when unknown). nullopt when the record or the field cannot be edited safely
// (anonymous record, not at file scope, a declaration that shares its lines).
std::optional<Fix> shadowFieldFix(const RecordSummary &Rec, const FieldSummary &Field,
                                  const std::vector<IncludeLine> *Includes);

// The shadow variable id of a field: a stable nonzero number from the record and field names.
unsigned long shadowId(const std::string &Record, const std::string &Field);

// line-macro-shift: "#line N" insertions into File so that every line in Sites (0-based patched
// lines of __LINE__ uses of functions that do not change otherwise) keeps its original number:
// one after each changed block that leaves them shifted, moved below a comment or #define the
// block ends inside of (Spans, null when unknown). Lines map through Map.
std::vector<TextEdit> lineDirectiveEdits(const std::string &File, const LineMap &Map,
                                         std::vector<unsigned> Sites,
                                         const std::vector<LineSpan> *Spans);

// inline-callers: marks F noinline (replacing its inline token, or before its return type).
// In a header "__maybe_unused" is added: a static non-inline function that an includer does not
// call would warn. nullopt when the definition gives no place to edit.
std::optional<Fix> noinlineFix(const FunctionSummary &F, bool InHeader);

} // namespace klp::analysis
