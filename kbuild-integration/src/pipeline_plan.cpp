// The decisions of the patch-to-module pipeline that need no compiler: which translation units a
// patch touches, the module's default name, where the target's symbols are, and what of each
// object diff goes into the module.
#include "elf_object.h"
#include "klp/livepatch_build.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <elf.h>
#include <filesystem>
#include <set>

namespace fs = std::filesystem;

namespace klp {

namespace {

bool endsWith(const std::string &S, const char *Suffix) {
  std::string X = Suffix;
  return S.size() >= X.size() && S.compare(S.size() - X.size(), X.size(), X) == 0;
}

void note(const std::function<void(const std::string &)> &Note, const std::string &Line) {
  if (Note)
    Note(Line);
}

// Names gcc and the kernel's macros give to per-site locals; the module packaging always copies
// them, so a change in them (a renumbered __already_done.5) needs nothing from the plan.
bool isCompilerMadeData(const std::string &Symbol) {
  std::string Base = Symbol.substr(0, Symbol.find('.'));
  for (const char *Name :
       {"__func__", "__FUNCTION__", "__PRETTY_FUNCTION__", "__already_done", "__warned",
        "__print_once", "_rs", "__UNIQUE_ID_ddebug", "__UNIQUE_ID___addressable"})
    if (Base == Name || Base.starts_with(std::string(Name) + "_"))
      return true;
  return Symbol.starts_with("__key.") || Symbol.starts_with(".L");
}

// The function symbols of Obj whose sections reference data symbol Data (directly, or through
// the section symbol of Data's section with an addend inside Data).
std::set<std::string> readersOf(const ElfObject &Obj, const ElfSymbol &Data) {
  std::set<std::string> Readers;
  for (const ElfSymbol &F : Obj.symbols()) {
    if (F.Type != STT_FUNC || F.Shndx == SHN_UNDEF || F.Shndx >= SHN_LORESERVE)
      continue;
    for (const ElfRelocation &R : Obj.relocationsFor(F.Shndx)) {
      if (R.Offset < F.Value || R.Offset >= F.Value + std::max<uint64_t>(F.Size, 1))
        continue;
      const ElfSymbol &T = Obj.symbols()[R.Symbol];
      bool Hit = &T == &Data;
      if (T.Type == STT_SECTION && T.Shndx == Data.Shndx) {
        // PC-relative references point past the field: allow the usual -4/-8 bias.
        int64_t At = R.Addend;
        for (int64_t Bias : {0, 4, 8})
          Hit |= At + Bias >= static_cast<int64_t>(Data.Value) &&
                 At + Bias < static_cast<int64_t>(Data.Value + std::max<uint64_t>(Data.Size, 1));
      }
      if (Hit) {
        // A .cold part is patched with its function.
        std::string Name = F.Name;
        if (endsWith(Name, ".cold"))
          Name.resize(Name.size() - 5);
        Readers.insert(Name);
        break;
      }
    }
  }
  return Readers;
}

} // namespace

std::vector<std::string>
changedTranslationUnits(const KernelTree &Tree, const std::vector<FileChange> &Changes,
                        const std::function<void(const std::string &)> &Note) {
  std::set<std::string> Units;
  bool SawC = false;
  for (const FileChange &C : Changes) {
    const std::string &P = C.Path;
    if (endsWith(P, ".c")) {
      SawC = true;
      if (!C.Patched) {
        BuildInfo Info = Tree.buildInfo(P);
        if (Info.Built)
          throw Error(P + ": the patch deletes a source file that is built; a livepatch cannot "
                          "remove a translation unit");
        note(Note, "skipping " + P + ": deleted and not built");
        continue;
      }
      if (!C.Original) {
        note(Note, "skipping " + P + ": a new file is not built without a Makefile change");
        continue;
      }
      BuildInfo Info = Tree.buildInfo(P);
      if (!Info.Built) {
        note(Note, "skipping " + P + ": not built (" + Info.Reason + ")");
        continue;
      }
      Units.insert(P);
    } else if (endsWith(P, ".h")) {
      if (!C.Original)
        continue; // a new header matters only through a changed file that includes it
      std::vector<std::string> Includers = Tree.includers(P);
      if (Includers.size() > MaxChangedUnits)
        throw Error(P + ": the changed header is included by " + std::to_string(Includers.size()) +
                    " built translation units, more than the " + std::to_string(MaxChangedUnits) +
                    " one livepatch build compiles; change the functions in a .c file instead");
      if (Includers.empty())
        note(Note, "skipping " + P + ": no built translation unit includes it");
      Units.insert(Includers.begin(), Includers.end());
    } else if (endsWith(P, ".S")) {
      BuildInfo Info = Tree.buildInfo(P);
      if (Info.Built)
        throw Error(P + ": the patch changes assembly that is built; klp-lsp builds livepatches "
                        "from C functions only");
      note(Note, "skipping " + P + ": not built");
    } else {
      note(Note, "skipping " + P + ": not a C source or header");
    }
  }
  if (Units.empty())
    throw Error(SawC ? std::string("the patch changes no C source built under the tree's "
                                   "configuration, so there is nothing to livepatch")
                     : std::string("the patch changes no C source or header, so there is "
                                   "nothing to livepatch"));
  if (Units.size() > MaxChangedUnits)
    throw Error("the patch affects " + std::to_string(Units.size()) +
                " built translation units, more than the " + std::to_string(MaxChangedUnits) +
                " one livepatch build compiles");
  return {Units.begin(), Units.end()};
}

std::string defaultModuleName(const std::vector<FileChange> &Changes) {
  std::string Stem = "patch";
  for (const FileChange &C : Changes)
    if (!C.Path.empty()) {
      Stem = fs::path(C.Path).stem().string();
      break;
    }
  for (char &Ch : Stem)
    if (!std::isalnum(static_cast<unsigned char>(Ch)) && Ch != '_')
      Ch = '_';
  return "livepatch_" + Stem;
}

std::string targetSymbolsFile(const LivepatchBuildOptions &Opts, const std::string &Release) {
  std::string Path = Opts.SymbolsFile;
  const char *Source = "--symbols";
  if (Path.empty())
    if (const char *Env = std::getenv("KLP_TARGET_SYMBOLS"); Env && *Env) {
      Path = Env;
      Source = "$KLP_TARGET_SYMBOLS";
    }
  if (Path.empty()) {
    std::string Cache;
    if (const char *X = std::getenv("XDG_CACHE_HOME"); X && *X)
      Cache = X;
    else if (const char *H = std::getenv("HOME"); H && *H)
      Cache = std::string(H) + "/.cache";
    Path = Cache + "/klp-lsp/targets/" + Release + "/kallsyms";
    if (!fs::exists(Path))
      throw Error("no symbol table of the target kernel " + Release + " at " + Path +
                  " (run scripts/target-symbols to store it, or pass --symbols "
                  "FILE with its /proc/kallsyms)");
    return Path;
  }
  if (!fs::is_regular_file(Path))
    throw Error("target symbols file '" + Path + "' (from " + Source + ") does not exist");
  return Path;
}

std::vector<PatchedObjectSpec> patchedObjects(const std::vector<ObjectResult> &Objects) {
  std::vector<PatchedObjectSpec> Specs;
  for (const ObjectResult &R : Objects) {
    const BuiltObject &B = R.Object;
    PatchedObjectSpec S;
    S.Object = B.Info.object();
    S.PatchedObjectFile = B.Patched;
    std::set<std::string> Functions;
    for (const FunctionDiff &F : R.Diff.Functions) {
      if (F.Status == FunctionStatus::Changed)
        Functions.insert(F.Symbol);
      else if (F.Status == FunctionStatus::New)
        S.NewFunctions.push_back(F.Symbol);
    }
    std::unique_ptr<ElfObject> Obj;
    for (const DataDiff &D : R.Diff.Data) {
      if (D.Status == FunctionStatus::New) {
        S.NewData.push_back(D.Symbol);
        continue;
      }
      if (D.Status != FunctionStatus::Changed || isCompilerMadeData(D.Symbol))
        continue;
      if (!Obj)
        Obj = std::make_unique<ElfObject>(B.Patched);
      const ElfSymbol *Sym = nullptr;
      for (const ElfSymbol &X : Obj->symbols())
        if (X.Name == D.Symbol && X.Type == STT_OBJECT && X.Shndx != SHN_UNDEF &&
            X.Shndx < SHN_LORESERVE)
          Sym = &X;
      if (!Sym)
        throw Error(B.Patched + ": changed data object " + D.Symbol + " is not in the object");
      if (Obj->section(Sym->Shndx).Flags & SHF_WRITE)
        throw Error(B.Source + ": the patch changes the initial value of " + D.Symbol +
                    ", which the running kernel already holds; a livepatch cannot change "
                    "existing data (use a shadow variable or change the code that sets it)");
      // A changed constant: the module carries the new copy and everything reading it.
      S.NewData.push_back(D.Symbol);
      for (const std::string &F : readersOf(*Obj, *Sym))
        if (std::find(S.NewFunctions.begin(), S.NewFunctions.end(), F) == S.NewFunctions.end())
          Functions.insert(F);
    }
    S.Functions.assign(Functions.begin(), Functions.end());
    if (!S.Functions.empty() && !B.Info.Ftrace)
      throw Error(B.Source + " is compiled without ftrace call sites (-pg), so " +
                  S.Functions.front() + " cannot be live patched");
    if (!S.Functions.empty() || !S.NewFunctions.empty())
      Specs.push_back(std::move(S));
  }
  return Specs;
}

} // namespace klp
