// Orchestrates a check: classifies the changed files, runs the file-level rules, parses the
// original and patched side of every affected translation unit in parallel, compares them,
// and adds symbol-version findings from genksyms.
#include "klp/analysis/check.h"
#include "compare.h"
#include "finding_util.h"
#include "klp/error.h"
#include "klp/rules.h"
#include "parse_tu.h"
#include <algorithm>
#include <fstream>
#include <future>
#include <sstream>

namespace klp::analysis {

namespace {

bool endsWith(const std::string &S, std::string_view Suffix) { return S.ends_with(Suffix); }

// True when every changed line of the file lies strictly inside a function body on its side
// and both sides include the same files: genksyms ignores bodies, so no CRC can change. The
// changed lines come from the patch's hunks, or from a line diff of the two texts when the
// change has no patch (the language server's buffers).
bool bodyOnlyChange(const FileChange &C, const TuSummary &O, const TuSummary &P) {
  if (O.FilesSeen != P.FilesSeen)
    return false;
  const std::string &OldPath = C.OldPath.empty() ? C.Path : C.OldPath;
  auto InBody = [](const TuSummary &S, const std::string &File, unsigned Line) {
    for (const auto &[N, F] : S.Functions)
      if (F.NameLoc.File == File && Line > F.BodyStartLine && Line < F.EndLine)
        return true;
    return false;
  };
  if (!C.Source) {
    if (!C.Original || !C.Patched)
      return false;
    for (const LineBlock &B : changedLineBlocks(*C.Original, *C.Patched)) {
      for (unsigned L = B.OldStart; L < B.OldStart + B.OldLen; ++L)
        if (!InBody(O, OldPath, L))
          return false;
      for (unsigned L = B.NewStart; L < B.NewStart + B.NewLen; ++L)
        if (!InBody(P, C.Path, L))
          return false;
    }
    return true;
  }
  for (const Hunk &H : C.Source->Hunks) {
    unsigned Old = H.OldStart ? H.OldStart - 1 : 0, New = H.NewStart ? H.NewStart - 1 : 0;
    for (const PatchLine &L : H.Lines) {
      if (L.Kind == '-' && !InBody(O, OldPath, Old))
        return false;
      if (L.Kind == '+' && !InBody(P, C.Path, New))
        return false;
      if (L.Kind != '+')
        ++Old;
      if (L.Kind != '-')
        ++New;
    }
  }
  return true;
}

// Whether a TU's modversions CRCs can differ: genksyms reads declarations, not bodies, so
// only a change outside function bodies (in any changed file the TU includes) or a different
// set of included files can move them.
bool crcCanChange(const std::vector<FileChange> &Changes, const TuSummary &O, const TuSummary &P) {
  if (O.FilesSeen != P.FilesSeen)
    return true;
  for (const FileChange &C : Changes)
    if (P.FilesSeen.count(C.Path) && !bodyOnlyChange(C, O, P))
      return true;
  return false;
}

struct TuJob {
  std::string MainFile;
  CompileCommand Cmd;
  BuildInfo Build;
  bool MainChanged = false; // the .c itself is part of the change (else: a header sample)
};

} // namespace

CheckResult checkChanges(const KernelTree &Tree, const std::vector<FileChange> &Changes,
                         const CheckOptions &Opts) {
  CheckResult Res;
  Report &R = Res.Result;
  CompareContext Ctx;
  std::map<std::string, const FileChange *> ByPath;
  std::vector<std::string> Headers;
  std::vector<TuJob> Jobs;
  std::map<std::string, std::vector<std::string>> IncludersOf;

  for (const FileChange &C : Changes) {
    ByPath[C.Path] = &C;
    Ctx.ChangedFiles.insert(C.Path);
    Ctx.LineMaps[C.Path] = C.Lines; // where the hunks really applied
  }

  for (const FileChange &C : Changes) {
    const std::string &P = C.Path;
    if (endsWith(P, ".S") && C.Original) {
      BuildInfo BI = Tree.buildInfo(P);
      if (!BI.Built) {
        R.Findings.push_back(makeFinding("not-built", P, firstChange(C),
                                         P + " is not assembled under this kernel's config" +
                                             (BI.Reason.empty() ? "" : " (" + BI.Reason + ")") +
                                             ": the patch has no effect on this kernel"));
        continue;
      }
    }
    if (endsWith(P, ".S")) {
      R.Findings.push_back(makeFinding(
          "assembly-file", P, firstChange(C),
          "assembly file " + P +
              " changes: livepatch replaces C functions through their ftrace call sites, and "
              "assembly has none; move the fix into C code that calls it, or do not live-patch "
              "it"));
      continue;
    }
    if (endsWith(P, ".h")) {
      Headers.push_back(P);
      const std::vector<std::string> &Inc = IncludersOf[P] = Tree.includers(P);
      Severity Sev = Inc.size() >= Opts.FanoutWarnAt ? Severity::Warning : Severity::Info;
      R.Findings.push_back(makeFinding(
          "header-fanout", P, firstChange(C),
          "header " + P + " is included by " + std::to_string(Inc.size()) +
              " translation units under this config; each of them may change and must be "
              "rebuilt and compared",
          &Sev));
      continue;
    }
    if (!endsWith(P, ".c"))
      continue;
    if (!C.Patched)
      continue; // a deleted file: nothing to patch in
    BuildInfo BI = C.Original ? Tree.buildInfo(P) : BuildInfo{};
    if (!BI.Built && C.Original) {
      // Not an object of its own, but #included by built translation units (kernel/sched's
      // build_policy.c and build_utility.c include most of kernel/sched/*.c): analyse it
      // through them, as a header.
      std::vector<std::string> Inc = Tree.includers(P);
      if (!Inc.empty()) {
        Headers.push_back(P);
        IncludersOf[P] = std::move(Inc);
        continue;
      }
    }
    if (!BI.Built) {
      std::string Why = !C.Original ? "it is a new file" : BI.Reason;
      R.Findings.push_back(makeFinding("not-built", P, firstChange(C),
                                       P + " is not compiled under this kernel's config" +
                                           (Why.empty() ? "" : " (" + Why + ")") +
                                           ": the patch has no effect on this kernel"));
      continue;
    }
    Jobs.push_back({P, Tree.compileCommand(P), BI, true});
  }

  // A changed header that no changed .c includes: analyse it through sample includers.
  for (const std::string &H : Headers) {
    const std::vector<std::string> &Inc = IncludersOf[H];
    bool Covered = std::any_of(Jobs.begin(), Jobs.end(), [&](const TuJob &J) {
      return std::find(Inc.begin(), Inc.end(), J.MainFile) != Inc.end();
    });
    if (Covered)
      continue;
    std::vector<std::string> Sample(Inc.begin(), Inc.end());
    // Prefer translation units next to the header's subsystem, then short names.
    std::string Dir = H.substr(0, H.find('/'));
    std::stable_sort(Sample.begin(), Sample.end(), [&](const std::string &A, const std::string &B) {
      return A.starts_with(Dir) > B.starts_with(Dir);
    });
    unsigned Taken = 0;
    for (const std::string &S : Sample) {
      if (Taken >= Opts.HeaderSampleTUs)
        break;
      if (std::any_of(Jobs.begin(), Jobs.end(), [&](const TuJob &J) { return J.MainFile == S; }))
        continue;
      BuildInfo BI = Tree.buildInfo(S);
      if (!BI.Built)
        continue;
      Jobs.push_back({S, Tree.compileCommand(S), BI, false});
      ++Taken;
    }
  }

  Ctx.Includers = [&](const std::string &H) -> std::vector<std::string> {
    auto It = IncludersOf.find(H);
    return It != IncludersOf.end() ? It->second : Tree.includers(H);
  };
  Ctx.IncluderCount = [&](const std::string &H) -> size_t {
    auto It = IncludersOf.find(H);
    return It != IncludersOf.end() ? It->second.size() : Tree.includers(H).size();
  };

  std::set<std::string> FilesWithDelta;
  for (const TuJob &J : Jobs) {
    ParseRequest Orig, Patched;
    Orig.Root = Patched.Root = Tree.root();
    Orig.Args = Patched.Args = clangArgsFor(J.Cmd);
    Orig.MainFile = Patched.MainFile = J.MainFile;
    Orig.Preamble = Patched.Preamble = Opts.Preamble;
    for (const FileChange &C : Changes) {
      if (C.Original)
        Orig.Overlay[C.OldPath.empty() ? C.Path : C.OldPath] = *C.Original;
      if (C.Patched)
        Patched.Overlay[C.Path] = *C.Patched;
      Orig.FilesOfInterest.insert(C.OldPath.empty() ? C.Path : C.OldPath);
      Patched.FilesOfInterest.insert(C.Path);
    }
    const FileChange *Main = ByPath.count(J.MainFile) ? ByPath[J.MainFile] : nullptr;
    bool Exports = false;
    if (Opts.SymbolVersions && Main && Main->Original && Main->Patched) {
      Exports = Main->Original->find("EXPORT_SYMBOL") != std::string::npos ||
                Main->Patched->find("EXPORT_SYMBOL") != std::string::npos;
    } else if (Opts.SymbolVersions && !Main) {
      // A translation unit sampled for a changed header: its exports may change CRC too.
      std::ifstream In(Tree.absolute(J.MainFile), std::ios::binary);
      std::stringstream Text;
      Text << In.rdbuf();
      Exports = Text.str().find("EXPORT_SYMBOL") != std::string::npos;
    }

    auto FO = std::async(std::launch::async, [&] { return parseAndSummarize(Orig, Opts.Cache); });
    ParseResult PR = parseAndSummarize(Patched, Opts.Cache);
    ParseResult OR = FO.get();

    if (!OR.Errors.empty() || !PR.Errors.empty()) {
      if (!OR.Errors.empty())
        Res.Failures.push_back({J.MainFile, false, OR.Errors});
      if (!PR.Errors.empty())
        Res.Failures.push_back({J.MainFile, true, PR.Errors});
      for (const std::string &D : PR.Errors)
        R.Findings.push_back(compileError(D, true));
      if (PR.Errors.empty())
        for (const std::string &D : OR.Errors)
          R.Findings.push_back(originalCompileError(D, Ctx.LineMaps));
      continue;
    }
    Ctx.Ftrace = J.Build.Ftrace;
    Ctx.Object = J.Build.object();
    TuDelta D = compareTu(OR.Summary, PR.Summary, Ctx, R);

    if (Exports && crcCanChange(Changes, OR.Summary, PR.Summary)) {
      ++Res.SymbolVersionRuns;
      std::map<std::string, std::string> PatchedFiles;
      for (const FileChange &C : Changes)
        if (C.Patched && PR.Summary.FilesSeen.count(C.Path))
          PatchedFiles[C.Path] = *C.Patched;
      auto OC =
          std::async(std::launch::async, [&] { return symbolVersions(Tree, J.Cmd, std::nullopt); });
      auto PC = symbolVersions(Tree, J.Cmd, PatchedFiles);
      auto OCs = OC.get();
      for (const auto &[Sym, Crc] : PC) {
        auto It = OCs.find(Sym);
        if (It == OCs.end() || It->second == Crc)
          continue;
        D.Anything = true;
        auto EIt = PR.Summary.Exports.find(Sym);
        Loc Where = EIt != PR.Summary.Exports.end() ? EIt->second : Loc{J.MainFile, Range{}};
        char Buf[64];
        snprintf(Buf, sizeof Buf, "0x%08lx -> 0x%08lx", It->second, Crc);
        Finding F = makeFinding(
            "symbol-version-change", Where.File, Where.Where,
            "modversions CRC of exported symbol '" + Sym + "' changes (" + Buf +
                "): modules built against the running kernel carry the old CRC; keep the types "
                "its prototype reaches unchanged (e.g. avoid new #includes that complete them)");
        F.Symbol = Sym;
        R.Findings.push_back(std::move(F));
      }
    }
    if (D.Anything) {
      FilesWithDelta.insert(J.MainFile);
      for (const std::string &H : Headers)
        if (PR.Summary.FilesSeen.count(H))
          FilesWithDelta.insert(H);
    }
    for (const std::string &H : Headers)
      if (PR.Summary.FilesSeen.count(H) && D.Anything)
        FilesWithDelta.insert(H);
  }

  // no-functional-change: an analysed file none of whose TUs changed in generated code.
  std::set<std::string> Analysed;
  for (const TuJob &J : Jobs)
    Analysed.insert(J.MainFile);
  bool Failed = !Res.Failures.empty();
  for (const FileChange &C : Changes) {
    bool IsAnalysedC = Analysed.count(C.Path) != 0;
    // A header seen through a sample of its includers: a macro the sample does not use may
    // still change others, so only claim "no change" when every includer was analysed.
    bool IsHeader = IncludersOf.count(C.Path) && !Jobs.empty() &&
                    std::all_of(IncludersOf[C.Path].begin(), IncludersOf[C.Path].end(),
                                [&](const std::string &T) { return Analysed.count(T) != 0; });
    if (Failed || (!IsAnalysedC && !IsHeader) || FilesWithDelta.count(C.Path))
      continue;
    R.Findings.push_back(noFunctionalChange(C));
  }

  // The same header entity is seen from several TUs: keep one finding each.
  R.sort();
  R.Findings.erase(std::unique(R.Findings.begin(), R.Findings.end(),
                               [](const Finding &A, const Finding &B) {
                                 return A.File == B.File && A.Where == B.Where &&
                                        A.Rule == B.Rule && A.Message == B.Message;
                               }),
                   R.Findings.end());
  std::sort(R.Functions.begin(), R.Functions.end(),
            [](const FunctionChange &A, const FunctionChange &B) {
              return std::tie(A.File, A.Name, A.Status) < std::tie(B.File, B.Name, B.Status);
            });
  R.Functions.erase(std::unique(R.Functions.begin(), R.Functions.end(),
                                [](const FunctionChange &A, const FunctionChange &B) {
                                  return A.File == B.File && A.Name == B.Name;
                                }),
                    R.Functions.end());
  return Res;
}

} // namespace klp::analysis
