// ObjectDiff -> findings (klp/binary_findings.h). Each function or data object is located by a
// line search in the translation unit's source first, then in the patch's other files (a
// header's inline function that gained an out-of-line copy), so findings land where the source
// analysis puts its own and duplicates can be recognised by rule, file and range.
#include "klp/binary_findings.h"
#include "klp/rules.h"

#include <algorithm>
#include <map>
#include <set>

namespace klp {

namespace {

// "foo.constprop.0" -> "foo", "__key.12" -> "__key".
std::string baseSymbol(const std::string &Symbol) { return Symbol.substr(0, Symbol.find('.')); }

std::string joinQuoted(const std::vector<std::string> &Names) {
  std::string S;
  for (size_t I = 0; I < Names.size(); ++I)
    S += (I ? ", '" : "'") + Names[I] + "'";
  return S;
}

struct SourceFile {
  std::string Path;
  std::string Original, Patched;
  const LineMap *Lines = nullptr; // null: identical texts
};

struct Located {
  const SourceFile *File = nullptr;
  Range Where;
  bool Found = false;
};

class Builder {
public:
  Builder(const std::string &Source, const std::string &Object, const std::vector<FileChange> &C,
          const FileReader &Read)
      : Source(Source), Object(Object) {
    const FileChange *Own = nullptr;
    for (const FileChange &F : C)
      if (F.Path == Source)
        Own = &F;
    if (Own)
      Files.push_back(fromChange(*Own));
    else {
      std::optional<std::string> Text = Read ? Read(Source) : std::nullopt;
      Files.push_back({Source, Text.value_or(""), Text.value_or(""), nullptr});
    }
    for (const FileChange &F : C)
      if (&F != Own)
        Files.push_back(fromChange(F));
  }

  BinaryFindings run(const ObjectDiff &Diff) {
    std::map<std::string, std::vector<std::string>> CallersOf; // callee -> inline callers
    for (const FunctionDiff &F : Diff.Functions) {
      if (F.Status == FunctionStatus::New)
        newFunction(F);
      else if (F.Status == FunctionStatus::Removed)
        removedFunction(F);
      else if (F.LineOnly)
        lineShift(F);
      else if (F.Status == FunctionStatus::Changed)
        changedFunction(F, CallersOf);
    }
    for (const auto &[Callee, Callers] : CallersOf)
      inlineCallers(Callee, Callers);
    for (const DataDiff &D : Diff.Data)
      data(D);
    return std::move(Out);
  }

private:
  static SourceFile fromChange(const FileChange &F) {
    return {F.Path, F.Original.value_or(""), F.Patched.value_or(""), &F.Lines};
  }

  // The definition in the patched texts (Removed: in the original texts, mapped to patched
  // lines at column 0 as the source analysis does for removed entities).
  Located locate(const std::string &Name, bool Function, bool InOriginal = false) const {
    for (const SourceFile &F : Files) {
      const std::string &Text = InOriginal ? F.Original : F.Patched;
      std::optional<Range> R =
          Function ? findFunctionDefinition(Text, Name) : findVariableDefinition(Text, Name);
      if (!R)
        continue;
      if (InOriginal) {
        unsigned Line = F.Lines ? F.Lines->toPatched(R->Start.Line) : R->Start.Line;
        R = Range{{Line, 0}, {Line, 0}};
      }
      return {&F, *R, true};
    }
    return {&Files.front(), Range{}, false};
  }

  // Whether the definition's own text differs between the two sides (true when unknown).
  bool sourceChanged(const std::string &Name, const Located &L) const {
    if (!L.Found)
      return true;
    std::string O = functionDefinitionText(L.File->Original, Name);
    return O.empty() || O != functionDefinitionText(L.File->Patched, Name);
  }

  static std::string approx(const Located &L) {
    return L.Found ? "" : " (no definition found in the source: the position is approximate)";
  }

  Finding &add(const char *Rule, const Located &L, std::string Msg, std::string Symbol) {
    const RuleInfo *RI = findRule(Rule);
    Finding F;
    F.Rule = Rule;
    F.Sev = RI ? RI->DefaultSeverity : Severity::Warning;
    F.File = L.File->Path;
    F.Where = L.Where;
    F.Message = std::move(Msg) + approx(L);
    F.Symbol = std::move(Symbol);
    Out.Findings.push_back(std::move(F));
    return Out.Findings.back();
  }

  void function(const std::string &Name, const Located &L, const char *Status) {
    Out.Functions.push_back({Name, L.File->Path, Status, L.Where});
  }

  std::string objectPart(const FunctionDiff &F) const {
    return "(object " + Object + ", symbol " + F.Symbol + ")";
  }

  void newFunction(const FunctionDiff &F) {
    Located L = locate(F.Name, true);
    function(F.Name, L, "new");
    add("new-function", L,
        "new function '" + F.Name + "' in the patched machine code " + objectPart(F) +
            ": it is added with the livepatch module and reached only through patched functions",
        F.Name);
  }

  void removedFunction(const FunctionDiff &F) {
    Located L = locate(F.Name, true, true);
    function(F.Name, L, "removed");
    add("removed-function", L,
        "function '" + F.Name + "' is gone from the patched machine code " + objectPart(F) +
            ": the original stays in the running kernel and callers outside the patch keep "
            "calling it",
        F.Name);
  }

  void lineShift(const FunctionDiff &F) {
    Located L = locate(F.Name, true);
    function(F.Name, L, "line-shift");
    add("line-macro-shift", L,
        "function '" + F.Name + "' differs in machine code only in __LINE__ constants " +
            objectPart(F) +
            ": an edit above it shifts its line numbers; keep the line numbers stable or "
            "include '" +
            F.Name + "' in the livepatch",
        F.Name);
  }

  void changedFunction(const FunctionDiff &F,
                       std::map<std::string, std::vector<std::string>> &CallersOf) {
    Located L = locate(F.Name, true);
    if (sourceChanged(F.Name, L)) {
      function(F.Name, L, "changed");
      add("changed-function", L,
          "function '" + F.Name + "' changed in machine code: the livepatch replaces it " +
              objectPart(F),
          F.Name);
      return;
    }
    // Its own text is the same: what changed was compiled into it. Prefer the callees whose
    // own definition changed over helpers that only pass the change along.
    std::vector<std::string> All, Edited;
    for (const std::string &Callee : F.InlinedChanged) {
      std::string Name = baseSymbol(Callee);
      if (Name.empty() || std::find(All.begin(), All.end(), Name) != All.end())
        continue;
      All.push_back(Name);
      Located C = locate(Name, true);
      if (C.Found && sourceChanged(Name, C))
        Edited.push_back(Name);
    }
    const std::vector<std::string> &Callees = Edited.empty() ? All : Edited;
    if (Callees.empty()) {
      function(F.Name, L, "changed");
      add("changed-function", L,
          "function '" + F.Name +
              "' changes in machine code although its source text does not (a macro, type, "
              "constant or inlined function it uses changed): the livepatch replaces it " +
              objectPart(F),
          F.Name);
      return;
    }
    function(F.Name, L, "inline-caller");
    for (const std::string &Callee : Callees)
      CallersOf[Callee].push_back(F.Name);
  }

  // One finding per changed callee, on its definition (or, when it is not found, on its first
  // caller), relating every caller the machine code shows it in.
  void inlineCallers(const std::string &Callee, std::vector<std::string> Callers) {
    std::sort(Callers.begin(), Callers.end());
    Callers.erase(std::unique(Callers.begin(), Callers.end()), Callers.end());
    Located L = locate(Callee, true);
    if (!L.Found)
      L = locate(Callers.front(), true);
    Finding &F =
        add("inline-callers", L,
            "'" + Callee + "' is compiled into " + joinQuoted(Callers) + " (object " + Object +
                "): their machine code changes although their source does not, so the "
                "livepatch must replace them too. Mark it noinline in the patch to "
                "keep the change in one function",
            Callee);
    for (const std::string &Caller : Callers) {
      Located C = locate(Caller, true);
      F.Related.push_back(
          {C.File->Path, C.Where, "'" + Callee + "' is inlined into '" + Caller + "'", Caller});
    }
  }

  void data(const DataDiff &D) {
    std::string Name = baseSymbol(D.Symbol);
    // Compiler-made objects (__func__.N, .LC0, anonymous) have no definition to point at.
    if (Name.empty() || Name == "__func__" || Name == "__FUNCTION__" ||
        Name == "__PRETTY_FUNCTION__")
      return;
    bool Local = Name != D.Symbol;
    std::string Kind = Local ? "static local" : "variable";
    Located L = locate(Name, false, D.Status == FunctionStatus::Removed);
    std::string Obj = " (object " + Object + ", symbol " + D.Symbol + ")";
    if (D.Status == FunctionStatus::Changed)
      add("data-change", L,
          Kind + " '" + Name + "' changes in the patched object" + Obj +
              ": a livepatch replaces code, not data that already exists in the running kernel, "
              "so the old value stays. Set the new value from a pre-patch callback, or keep the "
              "variable and add new state beside it",
          Name);
    else if (D.Status == FunctionStatus::New)
      add("new-data", L,
          "new " + Kind + " '" + Name + "'" + Obj +
              ": the livepatch module brings its own copy, initialised when the module loads; "
              "unpatched code never sees it",
          Name);
    else if (D.Status == FunctionStatus::Removed)
      add("removed-data", L,
          Kind + " '" + Name + "' is gone from the patched object" + Obj +
              ": the running kernel keeps it and unpatched code keeps using it, while the "
              "patched functions no longer do",
          Name);
  }

  std::string Source, Object;
  std::vector<SourceFile> Files; // Source first
  BinaryFindings Out;
};

} // namespace

BinaryFindings binaryFindings(const std::string &Source, const std::string &Object,
                              const ObjectDiff &Diff, const std::vector<FileChange> &Changes,
                              const FileReader &ReadTree) {
  return Builder(Source, Object, Changes, ReadTree).run(Diff);
}

void joinBinaryFindings(Report &R, BinaryFindings B) {
  for (Finding &F : B.Findings) {
    auto Same = std::find_if(R.Findings.begin(), R.Findings.end(), [&](const Finding &E) {
      return E.Rule == F.Rule && E.File == F.File && E.Where == F.Where;
    });
    if (Same == R.Findings.end()) {
      R.Findings.push_back(std::move(F));
      continue;
    }
    for (RelatedLocation &L : F.Related) {
      bool Known =
          std::any_of(Same->Related.begin(), Same->Related.end(), [&](const RelatedLocation &E) {
            return E.File == L.File && E.Where == L.Where;
          });
      if (!Known)
        Same->Related.push_back(std::move(L));
    }
  }
  for (FunctionChange &F : B.Functions) {
    bool Known = std::any_of(R.Functions.begin(), R.Functions.end(), [&](const FunctionChange &E) {
      return E.Name == F.Name && E.File == F.File;
    });
    if (!Known)
      R.Functions.push_back(std::move(F));
  }
}

} // namespace klp
