#include "quick_fixes.h"
#include "stable_hash.h"
#include <algorithm>
#include <cctype>
#include <cstdio>

namespace klp::analysis {

namespace {

Range at(unsigned Line, unsigned Col = 0) { return Range{{Line, Col}, {Line, Col}}; }

std::string upper(std::string S) {
  for (char &C : S)
    C = static_cast<char>(std::toupper(static_cast<unsigned char>(C)));
  return S;
}

bool isHeaderPath(const std::string &P) { return P.size() > 2 && P.ends_with(".h"); }

// Where "#include <linux/livepatch.h>" goes: after the last #include above the definition at
// the outermost #if level seen there (a header's include guard, not an #ifdef CONFIG_...),
// else just before the definition. nullopt when the file includes it already.
std::optional<TextEdit> livepatchInclude(const std::string &File, unsigned DefStartLine,
                                         const std::vector<IncludeLine> *Includes) {
  const IncludeLine *Last = nullptr;
  if (Includes) {
    unsigned MinDepth = ~0u;
    for (const IncludeLine &I : *Includes) {
      if (I.Name == "linux/livepatch.h")
        return std::nullopt;
      if (I.Line < DefStartLine)
        MinDepth = std::min(MinDepth, I.Depth);
    }
    for (const IncludeLine &I : *Includes)
      if (I.Line < DefStartLine && I.Depth == MinDepth)
        Last = &I;
  }
  if (Last)
    return TextEdit{File, at(Last->Line + 1), "#include <linux/livepatch.h>\n"};
  return TextEdit{File, at(DefStartLine), "#include <linux/livepatch.h>\n\n"};
}

} // namespace

unsigned long shadowId(const std::string &Record, const std::string &Field) {
  StableHash H;
  H.add(Record);
  H.add(Field);
  uint64_t V = H.value();
  unsigned long Id = static_cast<uint32_t>(V ^ (V >> 32)) & 0x7fffffffu;
  return Id ? Id : 1;
}

std::optional<Fix> shadowFieldFix(const RecordSummary &Rec, const FieldSummary &Field,
                                  const std::vector<IncludeLine> *Includes) {
  std::string Tag, Ident;
  if (Rec.Name.starts_with("struct "))
    Tag = "struct", Ident = Rec.Name.substr(7);
  else if (Rec.Name.starts_with("union "))
    Tag = "union", Ident = Rec.Name.substr(6);
  const std::string &File = Rec.NameLoc.File;
  if (Tag.empty() || !Rec.TopLevel || File.empty() || Field.Name.empty() || !Field.OwnLines ||
      Field.DeclText.empty() || Field.NameLoc.File != File ||
      Field.DeclStartLine <= Rec.DefStartLine || Field.DeclEndLine >= Rec.DefEndLine)
    return std::nullopt;

  std::string Holder = Ident + "_klp_" + Field.Name; // struct tag and function prefix
  std::string Id = "KLP_SHADOW_" + upper(Ident) + "_" + upper(Field.Name);
  char Num[32];
  std::snprintf(Num, sizeof Num, "0x%08lx", shadowId(Rec.Name, Field.Name));
  // In a header every includer gets the helpers; inline keeps the unused ones silent.
  std::string Static = isHeaderPath(File) ? "static inline " : "static ";
  std::string Obj = Rec.Name + " *obj";
  std::string S = "\n/* klp shadow variable for " + Ident + "." + Field.Name + ": use " + Holder +
                  "_get(obj)->" + Field.Name + " (NULL when out of memory) instead of obj->" +
                  Field.Name + ", call " + Holder + "_free(obj) where obj is freed */\n";
  S += "#define " + Id + " " + Num + "\n";
  S += "struct " + Holder + " {\n\t" + Field.DeclText + ";\n};\n\n";
  S += Static + "struct " + Holder + " *" + Holder + "_get(" + Obj + ")\n{\n";
  S += "\treturn klp_shadow_get_or_alloc(obj, " + Id + ", sizeof(struct " + Holder +
       "),\n\t\t\t\t       GFP_ATOMIC, NULL, NULL);\n}\n\n";
  S += Static + "void " + Holder + "_free(" + Obj + ")\n{\n";
  S += "\tklp_shadow_free(obj, " + Id + ", NULL);\n}\n";

  Fix X;
  X.Title = "Move '" + Field.Name + "' into a shadow variable";
  if (auto Inc = livepatchInclude(File, Rec.DefStartLine, Includes))
    X.Edits.push_back(*Inc);
  X.Edits.push_back(
      {File, Range{{Field.DeclStartLine, 0}, {Field.DeclEndLine + 1, 0}}, std::string()});
  X.Edits.push_back({File, at(Rec.DefEndLine + 1), S});
  return X;
}

std::vector<TextEdit> lineDirectiveEdits(const std::string &File, const LineMap &Map,
                                         std::vector<unsigned> Sites,
                                         const std::vector<LineSpan> *Spans) {
  // Outside changed blocks a patched line p is original line p - shift(p). A "#line N" before
  // patched line q numbers every later line p as N - 1 + (p - q), i.e. shifts it by
  // shift(p) - shift(q). Inside a changed block the shift differs from the one after it (the
  // block's last line maps to the line after the old block), so the lines around a site with
  // the same shift are the unchanged run it sits in.
  auto Shift = [&](unsigned P) { return static_cast<long>(P) - Map.toOriginal(P); };
  std::sort(Sites.begin(), Sites.end());
  Sites.erase(std::unique(Sites.begin(), Sites.end()), Sites.end());
  std::vector<TextEdit> Edits;
  long Base = 0; // the shift the numbering in force at this point already makes up for
  for (unsigned Site : Sites) {
    long D = Shift(Site);
    if (D == Base)
      continue;
    unsigned Q = Site;
    while (Q > 0 && Shift(Q - 1) == D)
      --Q;
    // A directive cannot go inside a comment or a continued #define: after its end (still in
    // the run, which the site is not inside).
    for (bool Moved = true; Moved && Spans;) {
      Moved = false;
      for (const LineSpan &S : *Spans)
        if (S.First < Q && Q <= S.Last) {
          Q = S.Last + 1;
          Moved = true;
        }
    }
    if (Q > Site)
      continue;
    Edits.push_back({File, at(Q), "#line " + std::to_string(Map.toOriginal(Q) + 1) + "\n"});
    Base = D;
  }
  return Edits;
}

std::optional<Fix> noinlineFix(const FunctionSummary &F, bool InHeader) {
  std::string Word = InHeader ? "noinline __maybe_unused" : "noinline";
  Fix X;
  X.Title = "Mark '" + F.Name + "' noinline";
  if (!F.InlineToken.File.empty())
    X.Edits.push_back({F.InlineToken.File, F.InlineToken.Where, Word});
  else if (!F.IsInline && !F.AlwaysInline && !F.ReturnTypeStart.File.empty())
    X.Edits.push_back({F.ReturnTypeStart.File, F.ReturnTypeStart.Where, Word + " "});
  else
    return std::nullopt;
  return X;
}

} // namespace klp::analysis
