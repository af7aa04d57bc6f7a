// Cutting the payload out of a patched object: the sections of the functions to patch and of
// new functions, what they need (.cold parts, string literals, read-only local constants, new
// data), and their relocations rewritten so that the module references the target kernel's
// own symbols: exported ones by name, the others through livepatch symbols.
#include "klp/error.h"
#include "module_internal.h"
#include <algorithm>
#include <elf.h>
#include <fstream>
#include <sstream>

namespace klp {

ExportMap readModuleSymvers(const std::string &Path) {
  std::ifstream In(Path);
  if (!In)
    throw Error("cannot read " + Path + " (the target's Module.symvers)");
  ExportMap M;
  std::string Line;
  while (std::getline(In, Line)) {
    // CRC \t NAME \t MODULE-PATH \t EXPORT-TYPE [\t NAMESPACE]
    std::istringstream L(Line);
    std::string Crc, Name, Mod;
    if (!std::getline(L, Crc, '\t') || !std::getline(L, Name, '\t') || !std::getline(L, Mod, '\t'))
      continue;
    size_t Slash = Mod.rfind('/');
    M[Name] = normalizeModuleName(Slash == std::string::npos ? Mod : Mod.substr(Slash + 1));
  }
  return M;
}

std::string klpSymbolName(const std::string &Object, const std::string &Name, unsigned long Pos) {
  return ".klp.sym." + normalizeModuleName(Object) + "." + Name + "," + std::to_string(Pos);
}

const PayloadSymbol *Payload::symbol(const std::string &Key) const {
  for (const PayloadSymbol &S : Symbols)
    if (S.Name == Key)
      return &S;
  return nullptr;
}

const PayloadSection *Payload::section(const std::string &Name) const {
  for (const PayloadSection &S : Sections)
    if (S.Name == Name)
      return &S;
  return nullptr;
}

PayloadSelector::PayloadSelector(const ElfObject &Obj, const PatchedObjectSpec &Spec,
                                 const ExportMap &Exports, const TargetSymbols &Symbols,
                                 unsigned Index)
    : Obj(Obj), Spec(Spec), Exports(Exports), Symbols(Symbols), Index(Index) {
  Out.Object = normalizeModuleName(Spec.Object);
  for (const ElfSymbol &S : Obj.symbols())
    if ((S.Type == STT_FUNC || S.Type == STT_OBJECT) && S.Shndx != SHN_UNDEF &&
        S.Shndx < SHN_LORESERVE)
      Siblings.push_back(S.Name);
}

std::string PayloadSelector::sectionSymbol(int Out) {
  return "section:" + this->Out.Sections[Out].Name;
}

int PayloadSelector::outputSectionLike(size_t In) {
  const ElfSection &Sec = Obj.section(In);
  for (size_t K = 0; K < Out.Sections.size(); ++K)
    if (Out.Sections[K].Name == Sec.Name)
      return static_cast<int>(K);
  PayloadSection P;
  P.Name = Sec.Name;
  P.Type = Sec.Type;
  P.Flags = Sec.Flags & ~static_cast<uint64_t>(SHF_GROUP);
  P.Align = std::max<uint64_t>(Sec.Align, 1);
  P.EntSize = Sec.EntSize;
  Out.Sections.push_back(std::move(P));
  int K = static_cast<int>(Out.Sections.size() - 1);
  PayloadSymbol S;
  S.Name = sectionSymbol(K);
  S.Type = STT_SECTION;
  S.Bind = STB_LOCAL;
  S.Section = K;
  SymbolIndex[S.Name] = static_cast<int>(Out.Symbols.size());
  Out.Symbols.push_back(S);
  return K;
}

int PayloadSelector::keepSection(size_t In) {
  auto It = Kept.find(In);
  if (It != Kept.end())
    return It->second;
  const ElfSection &Sec = Obj.section(In);
  int K = outputSectionLike(In);
  if (!Out.Sections[K].Data.empty() || Out.Sections[K].Size)
    throw Error(Obj.path() + ": two sections named " + Sec.Name + " would be kept");
  Out.Sections[K].Data = std::string(Sec.Data);
  Out.Sections[K].Size = Sec.Size;
  Kept[In] = K;
  Work.push_back(In);
  // Named symbols of a kept section: kallsyms names in the module, and aliases to register.
  for (const ElfSymbol &S : Obj.symbols()) {
    if (S.Shndx != In || (S.Type != STT_FUNC && S.Type != STT_OBJECT) || S.Name.empty())
      continue;
    PayloadSymbol P{S.Name, S.Type, STB_LOCAL, K, S.Value, S.Size};
    if (!SymbolIndex.count(P.Name)) {
      SymbolIndex[P.Name] = static_cast<int>(Out.Symbols.size());
      Out.Symbols.push_back(P);
    }
  }
  return K;
}

uint64_t PayloadSelector::appendPiece(int OutIdx, size_t In, uint64_t Start, uint64_t Len,
                                      int64_t Skip) {
  const ElfSection &Sec = Obj.section(In);
  if (Start + Len > Sec.Size)
    throw Error(Obj.path() + ": entry range past the end of " + Sec.Name);
  PayloadSection &O = Out.Sections[OutIdx];
  uint64_t At = O.Data.size();
  O.Data += std::string(Sec.Data.substr(Start, Len));
  O.Size = O.Data.size();
  for (const ElfRelocation &R : Obj.relocationsFor(In)) {
    if (R.Offset < Start || R.Offset >= Start + Len || static_cast<int64_t>(R.Offset) == Skip)
      continue;
    auto [Key, Addend] = resolve(R, Sec.Name);
    Out.Sections[OutIdx].Relocations.push_back({R.Offset - Start + At, R.Type, Addend, Key});
  }
  return At;
}

const ElfSymbol *PayloadSelector::coveringSymbol(size_t Section, int64_t Offset) const {
  std::vector<const ElfSymbol *> In;
  for (const ElfSymbol &S : Obj.symbols())
    if (S.Shndx == Section && (S.Type == STT_FUNC || S.Type == STT_OBJECT) && !S.Name.empty())
      In.push_back(&S);
  // PC-relative references carry the distance to the end of the field in their addend.
  for (int64_t Adjust : {0, 4, 8})
    for (const ElfSymbol *S : In)
      if (Offset + Adjust >= static_cast<int64_t>(S->Value) &&
          Offset + Adjust < static_cast<int64_t>(S->Value + std::max<uint64_t>(S->Size, 1)))
        return S;
  return In.size() == 1 ? In[0] : nullptr;
}

bool PayloadSelector::shouldCopy(const ElfSection &Sec, const ElfSymbol *Target) const {
  if (Sec.Flags & SHF_EXECINSTR) {
    if (!Target)
      return true;
    for (const std::string &K : KeepFunctions)
      if (Target->Name == K || Target->Name == K + ".cold")
        return true;
    return false;
  }
  if (!Target)
    return true; // string literals, anonymous constants
  if (std::find(Spec.NewData.begin(), Spec.NewData.end(), Target->Name) != Spec.NewData.end())
    return true;
  if (Target->Bind != STB_LOCAL)
    return false;
  // Compiler- and macro-made locals that every file has (so kallsyms cannot tell them apart):
  // duplicated. WARN_ONCE flags and ratelimit states only lose their state. Other named locals
  // live on in the target and are referenced there.
  std::string Base = Target->Name.substr(0, Target->Name.find('.'));
  for (const char *Dup : {"__func__", "__FUNCTION__", "__PRETTY_FUNCTION__", "__already_done",
                          "__warned", "__print_once", "_rs"})
    if (Base == Dup)
      return true;
  return Sec.Name.starts_with(".data.once") || (Sec.Flags & SHF_STRINGS);
}

std::string PayloadSelector::named(const std::string &Name) {
  auto Ex = Exports.find(Name);
  bool Normal = Ex != Exports.end() && (Out.Object == "vmlinux" || Ex->second != Out.Object);
  std::string Key = Normal ? Name : klpName(Name);
  if (!SymbolIndex.count(Key)) {
    PayloadSymbol S;
    S.Name = Key;
    S.Type = STT_NOTYPE;
    // Weak: modpost does not fail on livepatch symbols it cannot resolve.
    S.Bind = Normal ? STB_GLOBAL : STB_WEAK;
    SymbolIndex[Key] = static_cast<int>(Out.Symbols.size());
    Out.Symbols.push_back(S);
  }
  return Key;
}

std::string PayloadSelector::klpName(const std::string &Name) {
  return klpSymbolName(Out.Object, Name, Symbols.position(Out.Object, Name, Siblings));
}

std::pair<std::string, int64_t> PayloadSelector::resolve(const ElfRelocation &R,
                                                         const std::string &From) {
  if (R.Symbol >= Obj.symbols().size())
    throw Error(Obj.path() + ": relocation in " + From + " names a symbol out of range");
  const ElfSymbol &S = Obj.symbols()[R.Symbol];
  if (S.Shndx == SHN_UNDEF)
    return {named(S.Name), R.Addend};
  if (S.Shndx >= SHN_LORESERVE || S.Shndx >= Obj.sections().size())
    throw Error(Obj.path() + ": relocation in " + From + " against special symbol " + S.Name);
  const ElfSection &Sec = Obj.section(S.Shndx);
  int64_t Offset = static_cast<int64_t>(S.Value) + R.Addend;
  const ElfSymbol *Target = S.Type == STT_SECTION ? coveringSymbol(S.Shndx, R.Addend) : &S;
  if (isKept(S.Shndx) || shouldCopy(Sec, Target)) {
    int K = keepSection(S.Shndx);
    return {sectionSymbol(K), Offset};
  }
  if (!Target)
    throw Error(Obj.path() + ": " + From + " references " + Sec.Name + "+" +
                std::to_string(Offset) + ", which holds no symbol the target kernel could have");
  return {named(Target->Name), Offset - static_cast<int64_t>(Target->Value)};
}

void PayloadSelector::drain() {
  while (!Work.empty()) {
    size_t In = Work.front();
    Work.pop_front();
    int K = Kept.at(In);
    const ElfSection &Sec = Obj.section(In);
    for (const ElfRelocation &R : Obj.relocationsFor(In)) {
      auto [Key, Addend] = resolve(R, Sec.Name);
      Out.Sections[K].Relocations.push_back({R.Offset, R.Type, Addend, Key});
    }
  }
}

Payload PayloadSelector::run() {
  // Index 0: the null symbol.
  Out.Symbols.push_back(PayloadSymbol{"", STT_NOTYPE, STB_LOCAL, -1, 0, 0});
  SymbolIndex[""] = 0;
  std::vector<std::pair<std::string, bool>> Wanted;
  for (const std::string &F : Spec.Functions)
    Wanted.push_back({F, true});
  for (const std::string &F : Spec.NewFunctions)
    Wanted.push_back({F, false});
  for (auto &[Name, Replaces] : Wanted)
    KeepFunctions.insert(Name);
  // Callbacks are kept like new functions and get a global alias for the registration.
  std::map<std::string, std::string> Callbacks = findCallbacks(Obj);
  for (const auto &[Kind, Name] : Callbacks)
    KeepFunctions.insert(Name);
  unsigned N = 0;
  for (auto &[Name, Replaces] : Wanted) {
    const ElfSymbol *Found = nullptr;
    for (const ElfSymbol &S : Obj.symbols())
      if (S.Name == Name && S.Type == STT_FUNC && S.Shndx != SHN_UNDEF && S.Shndx < SHN_LORESERVE)
        Found = &S;
    if (!Found)
      throw Error(Obj.path() + ": no function " + Name + " defined in the patched object");
    int K = keepSection(Found->Shndx);
    if (!Replaces)
      continue;
    PatchedFunction F;
    F.OldName = Name;
    F.OldSympos = Symbols.position(Out.Object, Name, Siblings);
    F.NewSymbol = "__klp_new_" + std::to_string(Index) + "_" + std::to_string(N++);
    Out.Symbols.push_back(
        PayloadSymbol{F.NewSymbol, STT_FUNC, STB_GLOBAL, K, Found->Value, Found->Size});
    SymbolIndex[F.NewSymbol] = static_cast<int>(Out.Symbols.size() - 1);
    Out.Functions.push_back(F);
  }
  for (const auto &[Kind, Name] : Callbacks) {
    const ElfSymbol *Found = nullptr;
    for (const ElfSymbol &S : Obj.symbols())
      if (S.Name == Name && S.Type == STT_FUNC && S.Shndx != SHN_UNDEF && S.Shndx < SHN_LORESERVE)
        Found = &S;
    int K = keepSection(Found->Shndx);
    std::string Alias = "__klp_cb_" + std::to_string(Index) + "_" + Kind;
    Out.Symbols.push_back(PayloadSymbol{Alias, STT_FUNC, STB_GLOBAL, K, Found->Value, Found->Size});
    SymbolIndex[Alias] = static_cast<int>(Out.Symbols.size() - 1);
    Out.Callbacks[Kind] = Alias;
  }
  drain();
  selectSpecialEntries(*this);
  drain();
  // Locals first, as ELF wants; the relative order of each group is kept.
  std::stable_partition(Out.Symbols.begin(), Out.Symbols.end(),
                        [](const PayloadSymbol &S) { return S.Bind == STB_LOCAL; });
  return std::move(Out);
}

Payload selectPayload(const ElfObject &Obj, const PatchedObjectSpec &Spec, const ExportMap &Exports,
                      const TargetSymbols &Symbols, unsigned Index) {
  PayloadSelector S(Obj, Spec, Exports, Symbols, Index);
  Payload P = S.run();
  rejectLateSpecialRelocations(P, Obj.path());
  return P;
}

void rejectLateSpecialRelocations(const Payload &P, const std::string &ObjectFile) {
  // A module target's livepatch relocations are applied when that module loads, but the loader
  // reads these sections of the livepatch module itself at its own load (alternatives, paravirt
  // patching, static keys, static calls): they would see unrelocated values. vmlinux's are
  // applied at load, before them.
  if (P.Object == "vmlinux")
    return;
  for (const PayloadSection &Sec : P.Sections) {
    if (Sec.Name != "__jump_table" && Sec.Name != ".static_call_sites" &&
        Sec.Name != ".altinstructions" && Sec.Name != ".altinstr_replacement" &&
        Sec.Name != ".parainstructions")
      continue;
    for (const PayloadRelocation &R : Sec.Relocations)
      if (R.Symbol.starts_with(".klp.sym."))
        throw Error(ObjectFile + ": " + Sec.Name + " refers to '" + R.Symbol +
                    "', a symbol of module " + P.Object +
                    " that is not exported: the kernel resolves it only when that module loads, "
                    "after it has read " +
                    Sec.Name +
                    " of the livepatch; use a static_key_enabled()/plain call or export it");
  }
}

} // namespace klp
