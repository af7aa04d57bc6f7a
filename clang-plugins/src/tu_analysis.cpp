// analyzeTranslationUnit: one TU with explicit arguments, no kernel tree.
#include "compare.h"
#include "finding_util.h"
#include "klp/analysis/check.h"
#include "parse_tu.h"
#include <future>

namespace klp::analysis {

CheckResult analyzeTranslationUnit(const TuRequest &Req) {
  CheckResult Res;
  CompareContext Ctx;
  Ctx.Ftrace = Req.Ftrace;
  Ctx.Object = Req.Object;
  ParseRequest Orig, Patched;
  Orig.Root = Patched.Root = Req.Root;
  Orig.Args = Patched.Args = Req.Args;
  Orig.MainFile = Patched.MainFile = Req.MainFile;
  Orig.Preamble = Patched.Preamble = Req.Preamble;
  for (const FileChange &C : Req.Changes) {
    Ctx.ChangedFiles.insert(C.Path);
    Ctx.LineMaps[C.Path] = !C.Lines.isIdentity() || C.Source || !C.Original || !C.Patched
                               ? C.Lines
                               : LineMap::fromTexts(*C.Original, *C.Patched);
    if (C.Original)
      Orig.Overlay[C.Path] = *C.Original;
    if (C.Patched)
      Patched.Overlay[C.Path] = *C.Patched;
    Orig.FilesOfInterest.insert(C.Path);
    Patched.FilesOfInterest.insert(C.Path);
  }
  auto FO = std::async(std::launch::async, [&] { return parseAndSummarize(Orig, Req.Cache); });
  ParseResult PR = parseAndSummarize(Patched, Req.Cache);
  ParseResult OR = FO.get();
  if (!OR.Errors.empty())
    Res.Failures.push_back({Req.MainFile, false, OR.Errors});
  if (!PR.Errors.empty()) {
    Res.Failures.push_back({Req.MainFile, true, PR.Errors});
    for (const std::string &D : PR.Errors)
      Res.Result.Findings.push_back(compileError(D, true));
  } else {
    for (const std::string &D : OR.Errors)
      Res.Result.Findings.push_back(originalCompileError(D, Ctx.LineMaps));
  }
  if (Res.Failures.empty()) {
    TuDelta D = compareTu(OR.Summary, PR.Summary, Ctx, Res.Result);
    for (const FileChange &C : Req.Changes)
      if (!D.Anything && C.Original != C.Patched && PR.Summary.FilesSeen.count(C.Path))
        Res.Result.Findings.push_back(noFunctionalChange(C));
  }
  Res.Result.sort();
  return Res;
}

} // namespace klp::analysis
