// Which symbol of the patched object is which symbol of the original: by name, by the shape
// of gcc clone names, and for numbered function-scope statics through the functions using them.
#include "elf_diff_impl.h"
#include "split_fields.h"

#include <algorithm>
#include <elf.h>
#include <map>
#include <optional>
#include <unordered_map>

namespace klp::elfdiff {

namespace {

bool isIdentifier(const std::string &S) {
  if (S.empty() || (S[0] >= '0' && S[0] <= '9'))
    return false;
  return std::all_of(S.begin(), S.end(), [](char C) {
    return C == '_' || (C >= '0' && C <= '9') || (C >= 'a' && C <= 'z') || (C >= 'A' && C <= 'Z');
  });
}

// Names whose number comes from __COUNTER__ or __LINE__ rather than from meaning:
// "__UNIQUE_ID_ddebug123" and "__initcall__kmod_core__382_9698_migration_init4".
std::string counterFreeName(const std::string &Name) {
  std::string Out;
  for (size_t I = 0; I < Name.size(); ++I) {
    if (Name[I] >= '0' && Name[I] <= '9') {
      while (I + 1 < Name.size() && Name[I + 1] >= '0' && Name[I + 1] <= '9')
        ++I;
      Out += '#';
    } else {
      Out += Name[I];
    }
  }
  return Out;
}

bool hasCounterInName(const std::string &Name) {
  return Name.rfind("__UNIQUE_ID_", 0) == 0 || Name.rfind("__initcall__", 0) == 0;
}

class Correlator {
public:
  Correlator(const ElfObject &O, const ElfObject &P) : O(O), P(P) {
    C.ToPatched.assign(O.symbols().size(), -1);
    C.ToOriginal.assign(P.symbols().size(), -1);
  }

  Correlation run() {
    byExactName();
    byGroup([](const ElfSymbol &S) {
      return S.Type == STT_FUNC ? std::optional<std::string>(cloneShape(S.Name)) : std::nullopt;
    });
    // Twice: a static local found through a function can lead to one found through it.
    for (int Round = 0; Round < 2; ++Round)
      numberedLocalsThroughUsers();
    byGroup([](const ElfSymbol &S) {
      return S.Type == STT_OBJECT && isNumberedLocal(S.Name)
                 ? std::optional<std::string>(baseName(S.Name))
                 : std::nullopt;
    });
    byGroup([](const ElfSymbol &S) {
      return hasCounterInName(S.Name) ? std::optional<std::string>(counterFreeName(S.Name))
                                      : std::nullopt;
    });
    return std::move(C);
  }

private:
  const ElfObject &O, &P;
  Correlation C;

  void link(size_t Io, size_t Ip) {
    C.ToPatched[Io] = static_cast<int64_t>(Ip);
    C.ToOriginal[Ip] = static_cast<int64_t>(Io);
  }
  bool freeO(size_t I) const { return C.ToPatched[I] < 0; }
  bool freeP(size_t I) const { return C.ToOriginal[I] < 0; }

  void byExactName() {
    // Names defined once on each side; numbered locals never match by number.
    std::unordered_map<std::string, int64_t> InPatched; // -2: defined several times
    for (const ElfSymbol &S : P.symbols())
      if (isDefinedEntity(S) && !(S.Type == STT_OBJECT && isNumberedLocal(S.Name))) {
        auto [It, New] = InPatched.emplace(S.Name, static_cast<int64_t>(S.Index));
        if (!New)
          It->second = -2;
      }
    std::unordered_map<std::string, int> CountO;
    for (const ElfSymbol &S : O.symbols())
      if (isDefinedEntity(S))
        ++CountO[S.Name];
    for (const ElfSymbol &S : O.symbols()) {
      if (!isDefinedEntity(S) || (S.Type == STT_OBJECT && isNumberedLocal(S.Name)) ||
          CountO[S.Name] != 1)
        continue;
      auto It = InPatched.find(S.Name);
      if (It != InPatched.end() && It->second >= 0 && P.symbols()[It->second].Type == S.Type)
        link(S.Index, static_cast<size_t>(It->second));
    }
  }

  // Pairs still-free symbols with the same key, in symbol-table order.
  template <typename KeyFn> void byGroup(KeyFn Key) {
    std::map<std::pair<std::string, unsigned>, std::vector<size_t>> GroupO, GroupP;
    for (const ElfSymbol &S : O.symbols())
      if (isDefinedEntity(S) && freeO(S.Index))
        if (auto K = Key(S))
          GroupO[{*K, S.Type}].push_back(S.Index);
    for (const ElfSymbol &S : P.symbols())
      if (isDefinedEntity(S) && freeP(S.Index))
        if (auto K = Key(S))
          GroupP[{*K, S.Type}].push_back(S.Index);
    for (auto &[K, Os] : GroupO) {
      auto It = GroupP.find(K);
      if (It == GroupP.end())
        continue;
      for (size_t I = 0; I < Os.size() && I < It->second.size(); ++I)
        link(Os[I], It->second[I]);
    }
  }

  // The free numbered locals an entity refers to, in order of first reference.
  static std::vector<size_t> localsUsedBy(const ElfObject &Obj, const ElfSymbol &User,
                                          const std::vector<int64_t> &Map) {
    std::vector<size_t> Out;
    for (const ElfRelocation &R : Obj.relocationsFor(User.Shndx)) {
      if (R.Offset < User.Value || R.Offset >= User.Value + std::max<uint64_t>(User.Size, 1))
        continue;
      const ElfSymbol *T = relocationEntity(Obj, R, true);
      if (T && T->Type == STT_OBJECT && isNumberedLocal(T->Name) && Map[T->Index] < 0 &&
          std::find(Out.begin(), Out.end(), T->Index) == Out.end())
        Out.push_back(T->Index);
    }
    return Out;
  }

  void numberedLocalsThroughUsers() {
    for (const ElfSymbol &S : O.symbols()) {
      if (!isDefinedEntity(S) || freeO(S.Index))
        continue;
      const ElfSymbol &SP = P.symbols()[C.ToPatched[S.Index]];
      std::vector<size_t> UsedO = localsUsedBy(O, S, C.ToPatched);
      if (UsedO.empty())
        continue;
      std::vector<size_t> UsedP = localsUsedBy(P, SP, C.ToOriginal);
      std::map<std::string, std::vector<size_t>> ByBaseP;
      for (size_t I : UsedP)
        ByBaseP[baseName(P.symbols()[I].Name)].push_back(I);
      std::map<std::string, size_t> Taken;
      for (size_t I : UsedO) {
        std::string Base = baseName(O.symbols()[I].Name);
        auto It = ByBaseP.find(Base);
        size_t &N = Taken[Base];
        if (It != ByBaseP.end() && N < It->second.size() && freeO(I))
          link(I, It->second[N++]);
      }
    }
  }
};

} // namespace

bool allDigits(const std::string &S) {
  return !S.empty() && std::all_of(S.begin(), S.end(), [](char C) { return C >= '0' && C <= '9'; });
}

std::string baseName(const std::string &Symbol) {
  if (Symbol.empty() || Symbol[0] == '.')
    return Symbol;
  size_t Dot = Symbol.find('.');
  return Dot == std::string::npos ? Symbol : Symbol.substr(0, Dot);
}

std::string cloneShape(const std::string &Symbol) {
  std::string Out;
  for (const std::string &Part : splitFields(Symbol, '.'))
    if (!allDigits(Part))
      Out += (Out.empty() ? "" : ".") + Part;
  return Out;
}

std::string coldParent(const std::string &Symbol) {
  std::vector<std::string> Parts = splitFields(Symbol, '.');
  size_t End = Parts.size();
  if (End >= 2 && allDigits(Parts[End - 1]))
    --End;
  if (End < 2 || Parts[End - 1] != "cold")
    return "";
  std::string Out = Parts[0];
  for (size_t I = 1; I + 1 < End; ++I)
    Out += "." + Parts[I];
  return Out;
}

bool isNumberedLocal(const std::string &Symbol) {
  std::vector<std::string> Parts = splitFields(Symbol, '.');
  return Parts.size() == 2 && isIdentifier(Parts[0]) && allDigits(Parts[1]);
}

bool isDefinedEntity(const ElfSymbol &S) {
  return (S.Type == STT_FUNC || S.Type == STT_OBJECT) && S.Shndx != SHN_UNDEF &&
         S.Shndx < SHN_LORESERVE;
}

bool isPcRelative(uint32_t RelType) {
  switch (RelType) {
  case R_X86_64_PC32:
  case R_X86_64_PLT32:
  case R_X86_64_GOTPCREL:
  case R_X86_64_GOTPCRELX:
  case R_X86_64_REX_GOTPCRELX:
  case R_X86_64_PC64:
  case R_X86_64_PC16:
  case R_X86_64_PC8:
    return true;
  default:
    return false;
  }
}

unsigned relocationWidth(uint32_t RelType) {
  switch (RelType) {
  case R_X86_64_64:
  case R_X86_64_PC64:
    return 8;
  case R_X86_64_16:
  case R_X86_64_PC16:
    return 2;
  case R_X86_64_8:
  case R_X86_64_PC8:
    return 1;
  default:
    return 4;
  }
}

const ElfSymbol *symbolAt(const ElfObject &O, uint32_t Shndx, uint64_t Offset) {
  const std::vector<size_t> &In = O.symbolsIn(Shndx);
  // Symbols are sorted by value: look back from the last one starting at or before Offset.
  auto End = std::upper_bound(In.begin(), In.end(), Offset,
                              [&](uint64_t Off, size_t I) { return Off < O.symbols()[I].Value; });
  const ElfSymbol *Covering = nullptr;
  for (auto It = End; It != In.begin();) {
    const ElfSymbol &S = O.symbols()[*--It];
    if (!isDefinedEntity(S))
      continue;
    if (S.Value == Offset) {
      Covering = &S; // ends as the first one starting here in symbol-table order
      continue;
    }
    if (!Covering && Offset < S.Value + S.Size)
      Covering = &S;
    break; // objects do not overlap: an earlier one cannot cover Offset
  }
  return Covering;
}

const ElfSymbol *relocationEntity(const ElfObject &O, const ElfRelocation &R, bool InCode) {
  const ElfSymbol &T = O.symbols()[R.Symbol];
  if (isDefinedEntity(T))
    return &T;
  if (T.Shndx == SHN_UNDEF || T.Shndx >= SHN_LORESERVE)
    return nullptr;
  int64_t Off = static_cast<int64_t>(T.Value) + R.Addend;
  int64_t Eff = Off + (InCode && isPcRelative(R.Type) ? 4 : 0);
  if (Eff < 0)
    return nullptr;
  if (const ElfSymbol *S = symbolAt(O, T.Shndx, static_cast<uint64_t>(Eff)))
    return S;
  return Off >= 0 ? symbolAt(O, T.Shndx, static_cast<uint64_t>(Off)) : nullptr;
}

Correlation correlateSymbols(const ElfObject &Orig, const ElfObject &Patched) {
  return Correlator(Orig, Patched).run();
}

} // namespace klp::elfdiff
