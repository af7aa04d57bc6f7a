#include "finding_details.h"
#include <map>
#include <set>

namespace klp::analysis {

namespace {

// A code span usable in a Markdown table cell.
std::string code(const std::string &S) {
  std::string R = "`";
  for (char C : S) {
    if (C == '|')
      R += '\\';
    R += C;
  }
  return R + "`";
}

std::string offsetText(uint64_t Bits) {
  return Bits % 8 ? "bit " + std::to_string(Bits) : std::to_string(Bits / 8);
}

std::string sizeText(uint64_t Bits) {
  return Bits % 8 ? std::to_string(Bits) + " bits" : std::to_string(Bits / 8);
}

std::string inlining(const FunctionSummary &F) {
  if (F.AlwaysInline)
    return "__always_inline";
  if (F.NoInline)
    return "noinline";
  if (F.IsInline)
    return "inline";
  return "left to the compiler";
}

std::string lineOf(const Loc &L) { return L.File + ":" + std::to_string(L.Where.Start.Line + 1); }

} // namespace

std::string layoutDetail(const RecordSummary &Old, const RecordSummary &New) {
  std::string D = code(New.Name) + ": " + std::to_string(Old.Size) + " -> " +
                  std::to_string(New.Size) + " bytes";
  if (Old.Align != New.Align)
    D += ", alignment " + std::to_string(Old.Align) + " -> " + std::to_string(New.Align);
  D += "\n\n| field | type | old offset | old size | new offset | new size | change |\n"
       "|---|---|---|---|---|---|---|\n";
  std::map<std::string, const FieldSummary *> OldByName;
  for (const FieldSummary &F : Old.Fields)
    OldByName[F.Name] = &F;
  std::map<std::string, bool> InNew;
  for (const FieldSummary &F : New.Fields) {
    InNew[F.Name] = true;
    auto It = OldByName.find(F.Name);
    const FieldSummary *O = It == OldByName.end() ? nullptr : It->second;
    std::string Change;
    if (!O)
      Change = "added";
    else if (O->Type != F.Type)
      Change = "type " + code(O->Type) + " -> " + code(F.Type);
    else if (O->SizeBits != F.SizeBits)
      Change = "size changed";
    else if (O->OffsetBits != F.OffsetBits)
      Change = "moved";
    D += "| " + code(F.Name) + " | " + code(F.Type) + " | " + (O ? offsetText(O->OffsetBits) : "") +
         " | " + (O ? sizeText(O->SizeBits) : "") + " | " + offsetText(F.OffsetBits) + " | " +
         sizeText(F.SizeBits) + " | " + Change + " |\n";
  }
  for (const FieldSummary &O : Old.Fields)
    if (!InNew.count(O.Name))
      D += "| " + code(O.Name) + " | " + code(O.Type) + " | " + offsetText(O.OffsetBits) + " | " +
           sizeText(O.SizeBits) + " |  |  | removed |\n";
  return D;
}

std::string functionDetail(const FunctionSummary &Old, const FunctionSummary &New) {
  std::string D = code(New.Name) + "\n\n- prototype: ";
  D += Old.Type == New.Type ? code(New.Type) + " (unchanged)"
                            : code(Old.Type) + " -> " + code(New.Type);
  auto Linkage = [](const FunctionSummary &F) { return F.IsStatic ? "static" : "global"; };
  D += std::string("\n- linkage: ") + Linkage(New);
  if (Old.IsStatic != New.IsStatic)
    D += std::string(" (was ") + Linkage(Old) + ")";
  D += "\n- inlining: " + inlining(New);
  if (inlining(Old) != inlining(New))
    D += " (was " + inlining(Old) + ")";
  if (Old.TokenHash == New.TokenHash)
    D += "\n- its own text is unchanged: it changes through a macro, type or inline function "
         "it uses";
  return D + "\n";
}

std::string
inlineDetail(const FunctionSummary &F, const std::string &Kind,
             const std::vector<const FunctionSummary *> &Callers,
             const std::vector<std::pair<const FunctionSummary *, std::string>> &Further) {
  std::string D = code(F.Name) + " is " + Kind + "; its code is compiled into:\n\n";
  if (Callers.empty())
    D += "- no caller in this file\n";
  for (const FunctionSummary *C : Callers)
    D += "- " + code(C->Name) + " (" + lineOf(C->NameLoc) + ")\n";
  for (const auto &[C, Via] : Further)
    D +=
        "- " + code(C->Name) + " (" + lineOf(C->NameLoc) + "), through inlined " + code(Via) + "\n";
  return D;
}

std::string lineShiftDetail(const FunctionSummary &F, const LineMap *Map) {
  std::string D = "`__LINE__` uses of " + code(F.Name) +
                  ":\n\n| use | original line | patched line |\n|---|---|---|\n";
  std::set<std::pair<std::string, unsigned>> Seen;
  for (const LineUse &U : F.LineUses)
    if (Seen.insert({U.Macro, U.Line}).second)
      D += "| " + code(U.Macro.empty() ? std::string("__LINE__") : U.Macro) + " | " +
           (Map ? std::to_string(Map->toOriginal(U.Line) + 1) : std::string("?")) + " | " +
           std::to_string(U.Line + 1) + " |\n";
  return D;
}

} // namespace klp::analysis
