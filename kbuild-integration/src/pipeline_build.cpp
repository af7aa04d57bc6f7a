// buildLivepatch: changed translation units -> original and patched objects -> ELF diff ->
// livepatch module. Cheap checks (module name, target symbols) run before anything compiles.
#include "klp/error.h"
#include "klp/livepatch_build.h"

#include <cctype>
#include <filesystem>

namespace fs = std::filesystem;

namespace klp {

namespace {

std::string releaseOf(const std::string &TargetHeaders) {
  std::string Base = fs::path(TargetHeaders).filename().string();
  const std::string Prefix = "linux-headers-";
  return Base.starts_with(Prefix) ? Base.substr(Prefix.size()) : Base;
}

// Where a release's headers are installed (Debian's linux-headers-<release> package); the
// module is linked there, so its vermagic is the target's.
std::string targetHeaders(const std::string &Release) {
  if (Release.find('/') != std::string::npos || Release == "." || Release == "..")
    throw Error("target kernel release '" + Release + "' is not a release name (as `uname -r`)");
  std::string Dir = "/usr/src/linux-headers-" + Release;
  if (!fs::is_regular_file(Dir + "/Module.symvers"))
    throw Error("target kernel " + Release + ": " + Dir +
                "/Module.symvers does not exist (install linux-headers-" + Release + ")");
  return Dir;
}

void checkModuleName(const std::string &Name) {
  if (Name.empty() || Name.size() > 55 || std::isdigit(static_cast<unsigned char>(Name[0])) ||
      Name.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                             "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != std::string::npos)
    throw Error("livepatch module name '" + Name +
                "' must be a C identifier of at most 55 characters (letters, digits, _)");
}

std::string joined(const std::vector<std::string> &Items) {
  std::string Out;
  for (const std::string &S : Items)
    Out += (Out.empty() ? "" : ", ") + S;
  return Out;
}

} // namespace

LivepatchBuildResult buildLivepatch(const KernelTree &Tree, const std::vector<FileChange> &Changes,
                                    const std::string &OutKo, const LivepatchBuildOptions &Opts) {
  auto Progress = [&](const std::string &Line) {
    if (Opts.Progress)
      Opts.Progress(Line);
  };
  LivepatchBuildResult Result;
  Result.Spec.Name = Opts.ModuleName.empty() ? defaultModuleName(Changes) : Opts.ModuleName;
  Result.Spec.Replace = Opts.Replace;
  checkModuleName(Result.Spec.Name);
  if (!Opts.TargetRelease.empty())
    Result.Spec.TargetHeaders = targetHeaders(Opts.TargetRelease);
  std::string Release = releaseOf(Result.Spec.TargetHeaders);
  std::string SymbolsFile = targetSymbolsFile(Opts, Release);

  std::vector<std::string> Units = changedTranslationUnits(Tree, Changes, Progress);
  std::map<std::string, std::string> PatchedFiles;
  for (const FileChange &C : Changes)
    if (C.Patched)
      PatchedFiles[C.Path] = *C.Patched;

  ObjectBuildOptions Build;
  Build.BuildDir = Opts.BuildDir;
  Build.Cancelled = Opts.Cancelled;
  Build.Progress = Opts.Progress;
  std::vector<BuiltObject> Built = buildChangedObjects(Tree, Units, PatchedFiles, Build);

  std::vector<std::string> LineOnly;
  for (BuiltObject &B : Built) {
    Progress("diffing " + B.Source);
    ObjectResult R{B, diffObjects(B.Original, B.Patched, B.OriginalClones, B.PatchedClones)};
    for (const FunctionDiff &F : R.Diff.Functions)
      if (F.LineOnly)
        LineOnly.push_back(F.Name);
    Result.Objects.push_back(std::move(R));
  }
  Result.Spec.Objects = patchedObjects(Result.Objects);
  bool Replaces = false;
  for (const PatchedObjectSpec &S : Result.Spec.Objects)
    Replaces |= !S.Functions.empty();
  if (!Replaces)
    throw Error("the patch changes no function's machine code in " + joined(Units) +
                (LineOnly.empty() ? std::string()
                                  : " (only line numbers changed in " + joined(LineOnly) + ")") +
                ", so there is nothing to livepatch");

  if (Opts.Cancelled && Opts.Cancelled())
    throw BuildCancelled();
  Progress("reading the target's symbols from " + SymbolsFile);
  TargetSymbols Symbols = TargetSymbols::fromFile(SymbolsFile);
  Symbols.setModulesDir("/lib/modules/" + Release + "/kernel");
  Progress("linking " + Result.Spec.Name + ".ko against " + Result.Spec.TargetHeaders);
  buildLivepatchModule(Result.Spec, Symbols, OutKo, Opts.Cancelled);
  Result.Ko = fs::absolute(OutKo).string();
  return Result;
}

} // namespace klp
