#include "workspace/workspace_check.h"
#include "klp/error.h"
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <llvm/Support/CrashRecoveryContext.h>
#include <sstream>

namespace klp::workspace {

namespace {

bool analysable(const std::string &Path) {
  return Path.ends_with(".c") || Path.ends_with(".h") || Path.ends_with(".S");
}

std::optional<std::string> readDisk(const std::string &Abs) {
  std::ifstream In(Abs, std::ios::binary);
  if (!In)
    return std::nullopt;
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

} // namespace

std::vector<FileChange> collectChanges(const KernelTree &Tree, const OriginalReader &Original,
                                       const Snapshot &S) {
  std::set<std::string> Paths(S.DiskChanged.begin(), S.DiskChanged.end());
  for (const auto &[P, T] : S.Open)
    Paths.insert(P);
  std::vector<FileChange> Out;
  for (const std::string &P : Paths) {
    if (!analysable(P))
      continue;
    FileChange C;
    C.Path = P;
    C.Original = Original(P);
    auto OpenIt = S.Open.find(P);
    C.Patched = OpenIt != S.Open.end() ? std::optional<std::string>(OpenIt->second)
                                       : readDisk(Tree.absolute(P));
    if (C.Original == C.Patched)
      continue;
    if (C.Original && C.Patched)
      C.Lines = LineMap::fromTexts(*C.Original, *C.Patched);
    Out.push_back(std::move(C));
  }
  return Out;
}

AnalysisResult analyzeSnapshot(const KernelTree &Tree, const OriginalReader &Original,
                               const Snapshot &S, const analysis::CheckOptions &Opts) {
  AnalysisResult R;
  R.Generation = S.Generation;
  R.Versions = S.Versions;
  auto Start = std::chrono::steady_clock::now();
  // A fault in Clang or in our own code must cost one analysis, not the server (the LSP
  // process keeps the editor's state). Test hook: KLP_LSP_TEST_CRASH=<path> crashes on purpose
  // when that file is part of the analysis.
  const char *CrashOn = std::getenv("KLP_LSP_TEST_CRASH");
  llvm::CrashRecoveryContext CRC;
  bool Ok = CRC.RunSafely([&] {
    try {
      std::vector<FileChange> Changes = collectChanges(Tree, Original, S);
      for (const FileChange &C : Changes) {
        R.ChangedFiles.push_back(C.Path);
        if (CrashOn && C.Path == CrashOn) {
          volatile int *Null = nullptr;
          *Null = 1;
        }
      }
      if (!Changes.empty())
        R.Check = analysis::checkChanges(Tree, Changes, Opts);
      R.Changes = std::move(Changes);
    } catch (const Error &E) {
      R.Error = E.what();
    } catch (const std::exception &E) {
      R.Error = std::string("internal error: ") + E.what();
    }
  });
  if (!Ok)
    R.Error = "the analysis crashed (the server recovered; the previous results are kept)";
  R.Seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - Start).count();
  return R;
}

} // namespace klp::workspace
