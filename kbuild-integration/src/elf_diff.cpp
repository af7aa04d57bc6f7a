// diffObjects: compares each correlated function and data object byte for byte with the
// relocation fields masked, and the relocations by what they point at (the correlated symbol,
// or the content of a string literal), then tells __LINE__-only changes apart.
#include "klp/elf_diff.h"

#include "elf_diff_impl.h"
#include "split_fields.h"

#include <algorithm>
#include <elf.h>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

namespace klp {

using namespace elfdiff;

namespace {

enum class Verdict { Same, LineOnly, Changed };

Verdict worst(Verdict A, Verdict B) { return std::max(A, B); }

// Callees whose immediate arguments may be __LINE__ (WARN, might_sleep and printk helpers).
bool takesLineArgument(const std::string &Name) {
  static const std::set<std::string> Known = {
      "warn_slowpath_fmt",  "__warn_printk",     "__might_sleep",  "__might_resched",
      "__might_fault",      "__cant_sleep",      "__cant_migrate", "__might_sleep_debug",
      "__dynamic_pr_debug", "__dynamic_dev_dbg", "report_bug"};
  return Known.count(Name) || Name.find("printk") != std::string::npos;
}

std::string normalizedSectionName(const std::string &Name) {
  std::string Out;
  std::vector<std::string> Parts = splitFields(Name, '.');
  for (size_t I = 0; I < Parts.size(); ++I) {
    if (!allDigits(Parts[I]))
      Out += (I ? "." : "") + Parts[I];
  }
  return Out;
}

uint32_t le32(const std::string &B, size_t At) {
  uint32_t V = 0;
  for (unsigned I = 0; I < 4; ++I)
    V |= static_cast<uint32_t>(static_cast<unsigned char>(B[At + I])) << (8 * I);
  return V;
}

// One object with the correlation seen from its side.
struct Side {
  const ElfObject &O;
  const std::vector<int64_t> &Map; // symbol index -> the other side's index, -1 none
  const ElfObject &Patched;        // names are the patched object's
  bool IsOriginal;

  // A name both sides agree on for correlated symbols, distinct for the rest.
  std::string canonical(const ElfSymbol &S) const {
    int64_t Other = Map[S.Index];
    if (Other < 0)
      return (IsOriginal ? "<removed>" : "<new>") + S.Name;
    return IsOriginal ? Patched.symbols()[Other].Name : S.Name;
  }

  // What a relocation points at, comparable across the two sides.
  std::string targetKey(const ElfRelocation &R, bool InCode) const {
    const ElfSymbol &T = O.symbols()[R.Symbol];
    std::string Addend = std::to_string(R.Addend);
    if (isDefinedEntity(T))
      return canonical(T) + "+" + Addend;
    if (T.Shndx == SHN_UNDEF)
      return "extern:" + T.Name + "+" + Addend;
    if (T.Shndx >= SHN_LORESERVE)
      return "abs:" + T.Name + "+" + Addend;
    const ElfSection &Sec = O.section(T.Shndx);
    int64_t Off = static_cast<int64_t>(T.Value) + R.Addend;
    int64_t Bias = InCode && isPcRelative(R.Type) ? 4 : 0;
    int64_t Eff = Off + Bias;
    bool Inside = Eff >= 0 && static_cast<uint64_t>(Eff) < Sec.Data.size();
    if ((Sec.Flags & SHF_MERGE) && (Sec.Flags & SHF_STRINGS) && Inside) {
      std::string_view Str = Sec.Data.substr(static_cast<size_t>(Eff));
      Str = Str.substr(0, Str.find('\0'));
      return "string:\"" + std::string(Str) + "\"-" + std::to_string(Bias);
    }
    if ((Sec.Flags & SHF_MERGE) && Sec.EntSize && Inside) {
      size_t Start = static_cast<size_t>(Eff) / Sec.EntSize * Sec.EntSize;
      std::string Hex;
      for (char C : Sec.Data.substr(Start, Sec.EntSize))
        Hex += std::to_string(static_cast<unsigned char>(C)) + ",";
      return "constant:" + Hex + "+" + std::to_string(Off - static_cast<int64_t>(Start));
    }
    if (const ElfSymbol *E = relocationEntity(O, R, InCode))
      return canonical(*E) + "+" + std::to_string(Off - static_cast<int64_t>(E->Value));
    return "section:" + normalizedSectionName(Sec.Name) + "+" + std::to_string(Off);
  }

  std::string bytesOf(const ElfSymbol &S) const {
    const ElfSection &Sec = O.section(S.Shndx);
    if (Sec.Type == SHT_NOBITS)
      return std::string(S.Size, '\0');
    if (S.Value + S.Size > Sec.Data.size())
      return std::string(Sec.Data.substr(std::min<size_t>(S.Value, Sec.Data.size())));
    return std::string(Sec.Data.substr(S.Value, S.Size));
  }

  // The relocations inside S, offsets made relative to S.
  std::vector<ElfRelocation> relocationsIn(const ElfSymbol &S) const {
    const std::vector<ElfRelocation> &All = O.relocationsFor(S.Shndx);
    auto First =
        std::lower_bound(All.begin(), All.end(), S.Value,
                         [](const ElfRelocation &R, uint64_t Off) { return R.Offset < Off; });
    std::vector<ElfRelocation> Out;
    for (auto It = First; It != All.end() && It->Offset < S.Value + S.Size; ++It) {
      Out.push_back(*It);
      Out.back().Offset -= S.Value;
    }
    return Out;
  }

  // The name of what the call whose displacement is R goes to.
  std::string calleeName(const ElfRelocation &R) const {
    const ElfSymbol &T = O.symbols()[R.Symbol];
    if (const ElfSymbol *E = relocationEntity(O, R, true))
      return E->Name;
    return T.Name;
  }
};

// A WARN/BUG site: struct bug_entry of x86-64 with relative pointers and BUGVERBOSE
// {s32 bug_addr_disp; s32 file_disp; u16 line; u16 flags;}, 12 bytes.
struct BugSite {
  uint64_t Offset; // in the function
  std::string File;
  uint16_t Line;
  uint16_t Flags;
};
constexpr size_t BugEntrySize = 12;

// The __bug_table entries of an object, by the symbol index of the function they point into.
std::unordered_map<size_t, std::vector<BugSite>> bugSites(const Side &S) {
  std::unordered_map<size_t, std::vector<BugSite>> Out;
  const ElfSection *Table = S.O.section("__bug_table");
  if (!Table)
    return Out;
  const std::vector<ElfRelocation> &Rels = S.O.relocationsFor(Table->Index);
  std::map<uint64_t, const ElfRelocation *> ByOffset;
  for (const ElfRelocation &R : Rels)
    ByOffset[R.Offset] = &R;
  for (const ElfRelocation &R : Rels) {
    if (R.Offset % BugEntrySize != 0 || R.Offset + BugEntrySize > Table->Data.size())
      continue;
    const ElfSymbol *F = relocationEntity(S.O, R, false);
    if (!F || F->Type != STT_FUNC)
      continue;
    const ElfSymbol &T = S.O.symbols()[R.Symbol];
    BugSite Site;
    Site.Offset = T.Value + R.Addend - F->Value;
    auto FileRel = ByOffset.find(R.Offset + 4);
    Site.File = FileRel == ByOffset.end() ? "" : S.targetKey(*FileRel->second, false);
    std::string Entry(Table->Data.substr(R.Offset, BugEntrySize));
    Site.Line = static_cast<uint16_t>(static_cast<unsigned char>(Entry[8]) |
                                      static_cast<unsigned char>(Entry[9]) << 8);
    Site.Flags = static_cast<uint16_t>(static_cast<unsigned char>(Entry[10]) |
                                       static_cast<unsigned char>(Entry[11]) << 8);
    Out[F->Index].push_back(Site);
  }
  for (auto &[Index, Sites] : Out)
    std::sort(Sites.begin(), Sites.end(),
              [](const BugSite &A, const BugSite &B) { return A.Offset < B.Offset; });
  return Out;
}

// Special sections whose entries belong to the function their first field points into (x86-64,
// 6.1): struct jump_entry {s32 code; s32 target; s64 key;}, struct exception_table_entry
// {s32 insn; s32 fixup; s32 data;}, struct alt_instr {s32 instr_offset; s32 repl_offset;
// u16 cpuid; u8 instrlen; u8 replacementlen;} (packed, 12 bytes) and struct static_call_site
// {s32 addr; s32 key;}.
struct SpecialTable {
  const char *Name;
  size_t EntrySize;
};
constexpr SpecialTable SpecialTables[] = {
    {"__jump_table", 16}, {"__ex_table", 12}, {".altinstructions", 12}, {".static_call_sites", 8}};
constexpr size_t AltReplOffset = 4, AltReplLen = 11;

std::string hexBytes(std::string_view Bytes) {
  static const char Digits[] = "0123456789abcdef";
  std::string Out;
  for (char C : Bytes) {
    Out += Digits[static_cast<unsigned char>(C) >> 4];
    Out += Digits[static_cast<unsigned char>(C) & 15];
  }
  return Out;
}

// The replacement code [Start, Start + Len) of an alternative in .altinstr_replacement: its
// bytes with the relocation fields masked and what the relocations point at.
std::string replacementOf(const Side &S, const ElfSection &Sec, int64_t Start, size_t Len) {
  if (Start < 0 || static_cast<uint64_t>(Start) + Len > Sec.Data.size())
    return "<bad replacement>";
  std::string Bytes(Sec.Data.substr(static_cast<size_t>(Start), Len));
  std::string Rels;
  for (const ElfRelocation &R : S.O.relocationsFor(Sec.Index)) {
    if (R.Offset < static_cast<uint64_t>(Start) || R.Offset >= static_cast<uint64_t>(Start) + Len)
      continue;
    uint64_t At = R.Offset - static_cast<uint64_t>(Start);
    for (unsigned K = 0; K < relocationWidth(R.Type) && At + K < Bytes.size(); ++K)
      Bytes[At + K] = 0;
    Rels += " @" + std::to_string(At) + ":" + std::to_string(R.Type) + ":" + S.targetKey(R, true);
  }
  return "repl{" + hexBytes(Bytes) + Rels + "}";
}

// The entries of the special tables, each described comparably across the two sides (its bytes
// with relocation fields masked, and what each relocation points at: the function itself by
// offset, other symbols by correlated name, alternatives' replacement code by content), by the
// symbol index of the function the entry's first field points into; sorted.
std::unordered_map<size_t, std::vector<std::string>> specialEntries(const Side &S) {
  std::unordered_map<size_t, std::vector<std::string>> Out;
  for (const SpecialTable &T : SpecialTables)
    for (const ElfSection &Sec : S.O.sections()) {
      if (Sec.Name != T.Name || Sec.Type == SHT_NOBITS)
        continue;
      const std::vector<ElfRelocation> &Rels = S.O.relocationsFor(Sec.Index);
      const ElfSection *Repl = S.O.section(".altinstr_replacement");
      for (size_t I = 0; I < Rels.size(); ++I) {
        const ElfRelocation &First = Rels[I];
        if (First.Offset % T.EntrySize != 0 || First.Offset + T.EntrySize > Sec.Data.size())
          continue;
        const ElfSymbol *F = relocationEntity(S.O, First, false);
        if (!F || F->Type != STT_FUNC)
          continue;
        std::string Bytes(Sec.Data.substr(First.Offset, T.EntrySize));
        std::string Desc = std::string(T.Name) + ":";
        for (size_t J = I; J < Rels.size() && Rels[J].Offset < First.Offset + T.EntrySize; ++J) {
          const ElfRelocation &R = Rels[J];
          uint64_t Field = R.Offset - First.Offset;
          for (unsigned K = 0; K < relocationWidth(R.Type) && Field + K < Bytes.size(); ++K)
            Bytes[Field + K] = 0;
          Desc += " @" + std::to_string(Field) + ":" + std::to_string(R.Type) + ":";
          const ElfSymbol &Target = S.O.symbols()[R.Symbol];
          if (Field == AltReplOffset && std::string_view(T.Name) == ".altinstructions" && Repl &&
              Target.Shndx == Repl->Index)
            Desc += replacementOf(S, *Repl, static_cast<int64_t>(Target.Value) + R.Addend,
                                  static_cast<unsigned char>(Sec.Data[First.Offset + AltReplLen]));
          else
            Desc += S.targetKey(R, false);
        }
        Out[F->Index].push_back(Desc + " bytes:" + hexBytes(Bytes));
      }
    }
  for (auto &[Index, Entries] : Out)
    std::sort(Entries.begin(), Entries.end());
  return Out;
}

class Differ {
public:
  Differ(const ElfObject &O, const ElfObject &P, const Correlation &C)
      : SO{O, C.ToPatched, P, true}, SP{P, C.ToOriginal, P, false}, BugsO(bugSites(SO)),
        BugsP(bugSites(SP)), SpecialO(specialEntries(SO)), SpecialP(specialEntries(SP)) {}

  Side SO, SP;

  // Compares original symbol A with patched symbol B.
  Verdict compare(const ElfSymbol &A, const ElfSymbol &B, bool Code) const {
    std::string BytesA = SO.bytesOf(A), BytesB = SP.bytesOf(B);
    if (BytesA.size() != BytesB.size())
      return Verdict::Changed;
    std::vector<ElfRelocation> RelsA = SO.relocationsIn(A), RelsB = SP.relocationsIn(B);
    if (RelsA.size() != RelsB.size())
      return Verdict::Changed;
    for (size_t I = 0; I < RelsA.size(); ++I) {
      const ElfRelocation &Ra = RelsA[I], &Rb = RelsB[I];
      if (Ra.Offset != Rb.Offset || Ra.Type != Rb.Type ||
          SO.targetKey(Ra, Code) != SP.targetKey(Rb, Code))
        return Verdict::Changed;
      for (unsigned K = 0; K < relocationWidth(Ra.Type) && Ra.Offset + K < BytesA.size(); ++K)
        BytesA[Ra.Offset + K] = BytesB[Ra.Offset + K] = 0;
    }
    Verdict V = Verdict::Same;
    if (BytesA != BytesB)
      V = Code ? codeDifferences(A, B, BytesA, BytesB, RelsB) : Verdict::Changed;
    if (Code)
      V = worst(V, compareBugSites(A, B));
    if (Code && !sameSpecialEntries(A, B))
      V = Verdict::Changed;
    return V;
  }

private:
  std::unordered_map<size_t, std::vector<BugSite>> BugsO, BugsP;
  std::unordered_map<size_t, std::vector<std::string>> SpecialO, SpecialP;

  // Do the special tables hold the same entries for A and B?
  bool sameSpecialEntries(const ElfSymbol &A, const ElfSymbol &B) const {
    static const std::vector<std::string> None;
    auto ItA = SpecialO.find(A.Index), ItB = SpecialP.find(B.Index);
    return (ItA == SpecialO.end() ? None : ItA->second) ==
           (ItB == SpecialP.end() ? None : ItB->second);
  }

  Verdict compareBugSites(const ElfSymbol &A, const ElfSymbol &B) const {
    static const std::vector<BugSite> None;
    auto ItA = BugsO.find(A.Index), ItB = BugsP.find(B.Index);
    const std::vector<BugSite> &Sa = ItA == BugsO.end() ? None : ItA->second;
    const std::vector<BugSite> &Sb = ItB == BugsP.end() ? None : ItB->second;
    if (Sa.size() != Sb.size())
      return Verdict::Changed;
    Verdict V = Verdict::Same;
    for (size_t I = 0; I < Sa.size(); ++I) {
      if (Sa[I].Offset != Sb[I].Offset || Sa[I].File != Sb[I].File || Sa[I].Flags != Sb[I].Flags)
        return Verdict::Changed;
      if (Sa[I].Line != Sb[I].Line)
        V = Verdict::LineOnly;
    }
    return V;
  }

  // Classifies the differences between two masked function bodies: a branch whose target
  // the assembler resolved inside the section (no relocation) is the same when it reaches the
  // same correlated symbol; a 32-bit immediate holding a plausible line number on both sides,
  // followed by a call to a function taking __LINE__, is a line shift; anything else a change.
  Verdict codeDifferences(const ElfSymbol &SymA, const ElfSymbol &SymB, const std::string &A,
                          const std::string &B, const std::vector<ElfRelocation> &RelsB) const {
    Verdict V = Verdict::Same;
    size_t I = 0;
    while (I < A.size()) {
      if (A[I] == B[I]) {
        ++I;
        continue;
      }
      size_t Start = I, End = I + 1; // a group of differences no more than 3 bytes apart
      for (size_t J = End; J < A.size() && J < End + 3; ++J)
        if (A[J] != B[J])
          End = J + 1;
      I = End;
      if (End - Start > 4)
        return Verdict::Changed;
      if (sameBranchTarget(SymA, SymB, A, B, Start, End))
        continue;
      std::optional<size_t> Window;
      for (size_t W = End >= 4 ? End - 4 : 0; W <= Start && W + 4 <= A.size(); ++W) {
        uint32_t Va = le32(A, W), Vb = le32(B, W);
        if (Va >= 1 && Va < (1u << 20) && Vb >= 1 && Vb < (1u << 20)) {
          Window = W;
          break;
        }
      }
      if (!Window || !followedByLineCall(B, *Window + 4, RelsB))
        return Verdict::Changed;
      V = Verdict::LineOnly;
    }
    return V;
  }

  // Is [Start, End) inside the rel32 of a call, jmp or jcc that reaches the same place?
  bool sameBranchTarget(const ElfSymbol &SymA, const ElfSymbol &SymB, const std::string &A,
                        const std::string &B, size_t Start, size_t End) const {
    for (size_t Field = Start >= 4 ? Start - 3 : 1; Field <= Start; ++Field) {
      if (Field + 4 > A.size() || Field + 4 < End || Field < 1)
        continue;
      unsigned char Op = static_cast<unsigned char>(A[Field - 1]);
      unsigned char Op0 = Field >= 2 ? static_cast<unsigned char>(A[Field - 2]) : 0;
      bool Branch = Op == 0xe8 || Op == 0xe9 || (Op0 == 0x0f && Op >= 0x80 && Op <= 0x8f);
      if (!Branch || A[Field - 1] != B[Field - 1] || (Op0 == 0x0f && A[Field - 2] != B[Field - 2]))
        continue;
      auto Target = [&](const Side &S, const ElfSymbol &Sym, const std::string &Bytes) {
        int64_t To =
            static_cast<int64_t>(Sym.Value + Field + 4) + static_cast<int32_t>(le32(Bytes, Field));
        const ElfSymbol *T =
            To >= 0 ? symbolAt(S.O, Sym.Shndx, static_cast<uint64_t>(To)) : nullptr;
        return T ? S.canonical(*T) + "+" + std::to_string(To - static_cast<int64_t>(T->Value))
                 : std::string();
      };
      std::string Ta = Target(SO, SymA, A);
      if (!Ta.empty() && Ta == Target(SP, SymB, B))
        return true;
    }
    return false;
  }

  bool followedByLineCall(const std::string &Bytes, size_t From,
                          const std::vector<ElfRelocation> &RelsB) const {
    for (const ElfRelocation &R : RelsB) {
      if (R.Offset < From || R.Offset == 0)
        continue;
      bool Call = static_cast<unsigned char>(Bytes[R.Offset - 1]) == 0xe8 &&
                  (R.Type == R_X86_64_PLT32 || R.Type == R_X86_64_PC32);
      if (Call)
        return takesLineArgument(SP.calleeName(R));
    }
    return false;
  }
};

// Callees inlined or cloned into Into, through chains of inlining and cloning.
void gatherInlined(const std::vector<CloneEdge> &Edges, const std::string &Into,
                   std::set<std::string> &Visited, std::set<std::string> &Out) {
  if (!Visited.insert(Into).second)
    return;
  for (const CloneEdge &E : Edges)
    if (E.Into == Into) {
      Out.insert(E.Callee);
      gatherInlined(Edges, E.Callee, Visited, Out);
    }
}

} // namespace

ObjectDiff diffObjects(const std::string &Original, const std::string &Patched,
                       const std::string &OriginalClones, const std::string &PatchedClones) {
  ElfObject O(Original), P(Patched);
  std::vector<CloneEdge> ClonesO = readIpaClones(OriginalClones);
  std::vector<CloneEdge> ClonesP = readIpaClones(PatchedClones);
  Correlation C = correlateSymbols(O, P);
  Differ D(O, P, C);

  std::unordered_map<std::string, size_t> FuncO, FuncP;
  for (const ElfSymbol &S : O.symbols())
    if (S.Type == STT_FUNC && isDefinedEntity(S))
      FuncO.emplace(S.Name, S.Index);
  for (const ElfSymbol &S : P.symbols())
    if (S.Type == STT_FUNC && isDefinedEntity(S))
      FuncP.emplace(S.Name, S.Index);

  ObjectDiff Out;
  std::set<std::string> UnchangedP; // patched functions proven unchanged
  for (const ElfSymbol &S : P.symbols()) {
    if (S.Type != STT_FUNC || !isDefinedEntity(S) || !coldParent(S.Name).empty())
      continue;
    FunctionDiff F;
    F.Name = baseName(S.Name);
    F.Symbol = S.Name;
    F.Global = S.Bind != STB_LOCAL;
    int64_t Io = C.ToOriginal[S.Index];
    if (Io < 0) {
      F.Status = FunctionStatus::New;
      Out.Functions.push_back(F);
      continue;
    }
    const ElfSymbol &A = O.symbols()[Io];
    Verdict V = D.compare(A, S, true);
    // The .cold part gcc split off belongs to the function.
    auto ColdO = FuncO.find(A.Name + ".cold"), ColdP = FuncP.find(S.Name + ".cold");
    if ((ColdO == FuncO.end()) != (ColdP == FuncP.end()))
      V = Verdict::Changed;
    else if (ColdO != FuncO.end())
      V = worst(V, D.compare(O.symbols()[ColdO->second], P.symbols()[ColdP->second], true));
    if (V == Verdict::Same) {
      UnchangedP.insert(S.Name);
      continue;
    }
    F.Status = V == Verdict::Changed ? FunctionStatus::Changed : FunctionStatus::Unchanged;
    F.LineOnly = V == Verdict::LineOnly;
    Out.Functions.push_back(F);
  }
  for (const ElfSymbol &S : O.symbols())
    if (S.Type == STT_FUNC && isDefinedEntity(S) && coldParent(S.Name).empty() &&
        C.ToPatched[S.Index] < 0) {
      FunctionDiff F;
      F.Name = baseName(S.Name);
      F.Symbol = S.Name;
      F.Status = FunctionStatus::Removed;
      F.Global = S.Bind != STB_LOCAL;
      Out.Functions.push_back(F);
    }

  // A callee is known unchanged when its own copy is, or when it was inlined into something
  // known unchanged (gcc inlines early into inline helpers that are inlined later: follow the
  // chain to a fixpoint). A callee whose own copy changed is never known unchanged.
  std::set<std::string> ChangedP;
  for (const FunctionDiff &F : Out.Functions)
    if (F.Status == FunctionStatus::Changed)
      ChangedP.insert(F.Symbol);
  std::set<std::string> KnownUnchanged = UnchangedP;
  for (bool Grew = true; Grew;) {
    Grew = false;
    for (const CloneEdge &E : ClonesP)
      if (E.Kind == "inlining to" && KnownUnchanged.count(E.Into) && !ChangedP.count(E.Callee))
        Grew |= KnownUnchanged.insert(E.Callee).second;
  }
  for (FunctionDiff &F : Out.Functions) {
    if (F.Status != FunctionStatus::Changed)
      continue;
    std::set<std::string> Visited, Callees;
    gatherInlined(ClonesP, F.Symbol, Visited, Callees);
    const ElfSymbol &S = P.symbols()[FuncP.at(F.Symbol)];
    std::set<std::string> VisitedO;
    gatherInlined(ClonesO, O.symbols()[C.ToOriginal[S.Index]].Name, VisitedO, Callees);
    for (const std::string &Callee : Callees)
      if (baseName(Callee) != F.Name && !KnownUnchanged.count(Callee))
        F.InlinedChanged.push_back(Callee);
  }

  for (const ElfSymbol &S : P.symbols()) {
    if (S.Type != STT_OBJECT || !isDefinedEntity(S))
      continue;
    int64_t Io = C.ToOriginal[S.Index];
    if (Io < 0)
      Out.Data.push_back({S.Name, FunctionStatus::New});
    else if (D.compare(O.symbols()[Io], S, false) != Verdict::Same)
      Out.Data.push_back({S.Name, FunctionStatus::Changed});
  }
  for (const ElfSymbol &S : O.symbols())
    if (S.Type == STT_OBJECT && isDefinedEntity(S) && C.ToPatched[S.Index] < 0)
      Out.Data.push_back({S.Name, FunctionStatus::Removed});

  std::sort(Out.Functions.begin(), Out.Functions.end(),
            [](const FunctionDiff &A, const FunctionDiff &B) {
              return std::tie(A.Name, A.Symbol) < std::tie(B.Name, B.Symbol);
            });
  std::sort(Out.Data.begin(), Out.Data.end(),
            [](const DataDiff &A, const DataDiff &B) { return A.Symbol < B.Symbol; });
  return Out;
}

} // namespace klp
