// TargetSymbols: the target kernel's symbols as livepatch counts them (kallsyms order), for
// the sympos of klp_func.old_sympos and of ".klp.sym.OBJ.NAME,POS" symbols.
#include "elf_object.h"
#include "klp/error.h"
#include "klp/livepatch_module.h"
#include "module_internal.h"
#include <algorithm>
#include <elf.h>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace klp {

std::string normalizeModuleName(const std::string &Name) {
  std::string N = Name;
  std::replace(N.begin(), N.end(), '-', '_');
  return N;
}

namespace {

struct ObjectSymbols {
  std::vector<TargetSymbols::Symbol> All; // kallsyms order
  std::multimap<std::string, size_t> ByName;
  void add(TargetSymbols::Symbol S) {
    ByName.emplace(S.Name, All.size());
    All.push_back(std::move(S));
  }
};

// The section kind a kallsyms letter stands for: text, data, bss, rodata or other.
char kindOf(char Type) {
  char L = static_cast<char>(std::tolower(static_cast<unsigned char>(Type)));
  return (L == 't' || L == 'd' || L == 'b' || L == 'r') ? L : '?';
}

char letterFor(const ElfSymbol &S, const ElfSection &Sec) {
  char L = 'd';
  if (Sec.Flags & SHF_EXECINSTR)
    L = 't';
  else if (Sec.Type == SHT_NOBITS)
    L = 'b';
  else if (!(Sec.Flags & SHF_WRITE))
    L = 'r';
  return S.Bind == STB_LOCAL ? L : static_cast<char>(std::toupper(L));
}

} // namespace

struct TargetSymbols::Impl {
  std::map<std::string, ObjectSymbols> Objects;
  std::string Source; // the file read, for messages
  std::string ModulesDir;
  std::map<std::string, std::string> ModuleFiles; // normalized name -> .ko, filled on first need

  const ObjectSymbols *object(const std::string &Name, TargetSymbols &Self) {
    auto It = Objects.find(Name);
    if (It != Objects.end() || Name == "vmlinux" || ModulesDir.empty())
      return It == Objects.end() ? nullptr : &It->second;
    if (ModuleFiles.empty() && fs::is_directory(ModulesDir)) {
      for (const auto &E : fs::recursive_directory_iterator(ModulesDir)) {
        std::string F = E.path().filename().string();
        if (F.size() > 3 && F.ends_with(".ko"))
          ModuleFiles.emplace(normalizeModuleName(F.substr(0, F.size() - 3)), E.path().string());
      }
    }
    auto F = ModuleFiles.find(Name);
    if (F == ModuleFiles.end())
      return nullptr;
    Self.addModuleFile(Name, F->second);
    return &Objects[Name];
  }
};

TargetSymbols::TargetSymbols() : I(std::make_unique<Impl>()) {}
TargetSymbols::~TargetSymbols() = default;
TargetSymbols::TargetSymbols(TargetSymbols &&) = default;
TargetSymbols &TargetSymbols::operator=(TargetSymbols &&) = default;

TargetSymbols TargetSymbols::fromFile(const std::string &Path) {
  std::ifstream In(Path);
  if (!In)
    throw Error("cannot read target symbols " + Path);
  TargetSymbols T;
  T.I->Source = Path;
  std::string Line;
  size_t No = 0;
  while (std::getline(In, Line)) {
    ++No;
    if (!Line.empty() && Line.back() == '\r')
      Line.pop_back();
    if (Line.find_first_not_of(" \t") == std::string::npos)
      continue;
    std::istringstream L(Line);
    std::string Addr, Type, Name, Module;
    L >> Addr >> Type >> Name >> Module;
    if (Name.empty() || Type.size() != 1 ||
        Addr.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
      throw Error(Path + ":" + std::to_string(No) +
                  ": not a kallsyms/System.map line (ADDR TYPE NAME [MODULE]): " + Line);
    std::string Object = "vmlinux";
    if (!Module.empty()) {
      if (Module.size() < 3 || Module.front() != '[' || Module.back() != ']')
        throw Error(Path + ":" + std::to_string(No) + ": bad module field " + Module);
      Object = normalizeModuleName(Module.substr(1, Module.size() - 2));
    }
    T.I->Objects[Object].add({Name, Type[0], std::stoull(Addr, nullptr, 16)});
  }
  return T;
}

void TargetSymbols::addModuleFile(const std::string &Object, const std::string &KoPath) {
  ElfObject Ko(KoPath);
  ObjectSymbols Syms;
  // As the module loader's is_core_symbol() keeps them for kallsyms (CONFIG_KALLSYMS_ALL).
  for (const ElfSymbol &S : Ko.symbols()) {
    if (S.Index == 0 || S.Name.empty() || S.Shndx == SHN_UNDEF || S.Shndx >= Ko.sections().size())
      continue;
    const ElfSection &Sec = Ko.section(S.Shndx);
    if (!(Sec.Flags & SHF_ALLOC) || Sec.Name.starts_with(".init"))
      continue;
    Syms.add({S.Name, letterFor(S, Sec), S.Value});
  }
  I->Objects[normalizeModuleName(Object)] = std::move(Syms);
}

void TargetSymbols::setModulesDir(const std::string &Dir) {
  I->ModulesDir = Dir;
  I->ModuleFiles.clear();
}

std::vector<TargetSymbols::Symbol> TargetSymbols::lookup(const std::string &Object,
                                                         const std::string &Name) const {
  const ObjectSymbols *O =
      I->object(normalizeModuleName(Object), const_cast<TargetSymbols &>(*this));
  std::vector<Symbol> R;
  if (!O)
    return R;
  std::vector<size_t> Idx;
  auto [B, E] = O->ByName.equal_range(Name);
  for (auto It = B; It != E; ++It)
    Idx.push_back(It->second);
  std::sort(Idx.begin(), Idx.end());
  for (size_t X : Idx)
    R.push_back(O->All[X]);
  return R;
}

unsigned long TargetSymbols::position(const std::string &Object, const std::string &Name,
                                      const std::vector<std::string> &Siblings) const {
  std::string Obj = normalizeModuleName(Object);
  std::vector<Symbol> C = lookup(Obj, Name);
  std::string Where = I->Source.empty() ? "" : " (" + I->Source + ")";
  if (C.empty()) {
    if (!I->object(Obj, const_cast<TargetSymbols &>(*this)))
      throw Error("livepatch target object '" + Obj + "' has no symbols: no module file for it" +
                  Where);
    throw Error("symbol '" + Name + "' not found in the symbols of " + Obj + Where);
  }
  if (C.size() == 1)
    return 0;
  // Several: the translation unit's other symbols sit next to the right one.
  std::vector<std::pair<uint64_t, size_t>> Distance; // per candidate: nearest sibling distance
  for (size_t K = 0; K < C.size(); ++K) {
    uint64_t Best = UINT64_MAX;
    for (const std::string &Sib : Siblings) {
      if (Sib == Name)
        continue;
      std::vector<Symbol> SC = lookup(Obj, Sib);
      if (SC.size() != 1 || kindOf(SC[0].Type) != kindOf(C[K].Type))
        continue;
      uint64_t D = SC[0].Address > C[K].Address ? SC[0].Address - C[K].Address
                                                : C[K].Address - SC[0].Address;
      Best = std::min(Best, D);
    }
    Distance.push_back({Best, K});
  }
  std::sort(Distance.begin(), Distance.end());
  if (Distance[0].first != UINT64_MAX && Distance[0].first != Distance[1].first)
    return Distance[0].second + 1;
  throw Error("symbol '" + Name + "' is ambiguous in " + Obj + ": " + std::to_string(C.size()) +
              " symbols share the name and no unique symbol of the same translation unit tells "
              "which one is meant" +
              Where);
}

} // namespace klp
