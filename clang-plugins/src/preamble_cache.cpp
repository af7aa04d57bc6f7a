// PreambleCache: building, keeping and choosing precompiled preambles (rules in
// preamble_cache.h).
#include "preamble_cache.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/PrecompiledPreamble.h"
#include "clang/Lex/PreprocessorOptions.h"
#include <algorithm>
#include <filesystem>
#include <map>
#include <utility>

using namespace clang;

namespace klp::analysis {

namespace {

// Root, arguments and main file, NUL-separated (no argument contains a NUL).
std::string keyOf(const ParseRequest &Req) {
  std::string K = Req.Root;
  K += '\0';
  for (const std::string &A : Req.Args)
    K += A + '\0';
  return K + '\0' + Req.MainFile;
}

std::set<std::string> overlayOnlyOf(const ParseRequest &Req) {
  std::set<std::string> S;
  for (const auto &[Path, Text] : Req.Overlay) {
    std::error_code EC;
    if (!std::filesystem::exists(std::filesystem::path(Req.Root) / Path, EC))
      S.insert(Path);
  }
  return S;
}

// Records the facts, and counts how often the build entered the main file.
class RecordingCallbacks : public PreambleCallbacks {
public:
  RecordingCallbacks(const ParseRequest &Req, PreambleFacts &Facts)
      : Recorder(Req.Root, Req.MainFile, Facts) {}
  void BeforeExecute(CompilerInstance &CI) override { PP = &CI.getPreprocessor(); }
  std::unique_ptr<PPCallbacks> createPPCallbacks() override { return Recorder.makeCallbacks(*PP); }
  CommentHandler *getCommentHandler() override { return Recorder.commentHandler(); }
  void AfterExecute(CompilerInstance &CI) override {
    const SourceManager &SM = CI.getSourceManager();
    Recorder.finish(SM);
    OptionalFileEntryRef Main = SM.getFileEntryRefForID(SM.getMainFileID());
    for (unsigned I = 1, N = SM.local_sloc_entry_size(); I < N; ++I) {
      const SrcMgr::SLocEntry &E = SM.getLocalSLocEntry(I);
      if (E.isFile() && Main && E.getFile().getContentCache().OrigEntry == Main)
        ++MainEntries;
    }
  }
  unsigned MainEntries = 0;

private:
  PreambleRecorder Recorder;
  Preprocessor *PP = nullptr;
};

} // namespace

struct PreambleCache::Entry {
  Entry(PrecompiledPreamble Preamble, PreambleFacts Facts)
      : Preamble(std::move(Preamble)), Facts(std::move(Facts)) {}
  PrecompiledPreamble Preamble;
  PreambleFacts Facts;
};

// What one build of a key's preamble read, and the preamble when it can be used.
struct PreambleCache::Slot {
  std::string Key;
  std::string Text; // the main file's bytes the preamble stands for
  bool EndsAtStartOfLine = false;
  std::set<std::string> OverlayOnly;
  std::set<std::string> Overlay; // overlay files it entered but the main file
  std::set<std::string> FilesSeen;
  std::shared_ptr<const Entry> Kept; // null: not usable (see preamble_cache.h)

  // Built for a main file that starts as MainText does, up to the bounds B.
  bool matches(llvm::StringRef MainText, const clang::PreambleBounds &B) const {
    return B.Size == Text.size() && B.PreambleEndsAtStartOfLine == EndsAtStartOfLine &&
           MainText.starts_with(Text);
  }
  // Req overlays or is interested in a file the preamble entered (the main file aside).
  bool touchedBy(const ParseRequest &Req) const {
    auto Touches = [&](const std::string &Path) {
      return Path != Req.MainFile && FilesSeen.count(Path);
    };
    return std::any_of(Req.Overlay.begin(), Req.Overlay.end(),
                       [&](const auto &O) { return Touches(O.first); }) ||
           std::any_of(Req.FilesOfInterest.begin(), Req.FilesOfInterest.end(), Touches);
  }
  // A new build for Req (of the same main file bytes) would give no usable preamble either:
  // Req still overlays every overlay file this build entered, so the first file a new build
  // reads differently, if any, is an overlay file it enters too (files on disk do not change).
  bool failsAgainFor(const ParseRequest &Req) const {
    return std::all_of(Overlay.begin(), Overlay.end(),
                       [&](const std::string &Path) { return Req.Overlay.count(Path) != 0; });
  }
};

PreambleCache::PreambleCache(size_t MaxPreambles)
    : MaxPreambles(std::max<size_t>(MaxPreambles, 1)) {}

PreambleCache::~PreambleCache() = default;

std::shared_ptr<const PreambleCache::Entry>
PreambleCache::acquire(const ParseRequest &Req, const CompilerInvocation &Inv,
                       const llvm::MemoryBuffer &Main,
                       const llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> &VFS,
                       std::shared_ptr<PCHContainerOperations> PCHOps) {
  PreambleBounds Bounds = ComputePreambleBounds(Inv.getLangOpts(), Main.getMemBufferRef(), 0);
  if (Bounds.Size == 0)
    return nullptr;
  std::string Key = keyOf(Req);
  std::set<std::string> OverlayOnly = overlayOnlyOf(Req);
  std::shared_ptr<Slot> Held;
  {
    std::lock_guard<std::mutex> L(M);
    auto It = std::find_if(Lru.begin(), Lru.end(), [&](const auto &S) {
      return S->Key == Key && S->matches(Main.getBuffer(), Bounds);
    });
    if (It != Lru.end()) {
      Lru.splice(Lru.begin(), Lru, It);
      Held = *It;
    }
  }
  if (Held && Held->OverlayOnly == OverlayOnly) {
    if (Held->Kept) {
      // A build with Req's overlay would enter the overlay file or file of interest too.
      if (Held->touchedBy(Req))
        return nullptr;
      // Stats every file the preamble read (a few ms for thousands of headers).
      if (Held->Kept->Preamble.CanReuse(Inv, Main.getMemBufferRef(), Bounds, *VFS)) {
        std::lock_guard<std::mutex> L(M);
        ++Counts.Reuses;
        return Held->Kept;
      }
    } else if (Held->failsAgainFor(Req)) {
      return nullptr;
    }
  }
  // Both sides of a change may build at once when their #include blocks differ.
  std::string Job = Key + '\0' + Main.getBuffer().take_front(Bounds.Size).str();
  {
    std::lock_guard<std::mutex> L(M);
    if (!Building.insert(Job).second)
      return nullptr;
  }

  auto S = std::make_shared<Slot>();
  S->Key = Key;
  S->Text = Main.getBuffer().take_front(Bounds.Size).str();
  S->EndsAtStartOfLine = Bounds.PreambleEndsAtStartOfLine;
  S->OverlayOnly = std::move(OverlayOnly);
  {
    PreambleFacts Facts;
    CompilerInvocation BuildInv(Inv);
    // As the parse's own FileManager resolves relative paths.
    BuildInv.getFileSystemOpts().WorkingDir = Req.Root;
    IgnoringDiagConsumer Quiet; // the parse reports errors; here they only make it unusable
    IntrusiveRefCntPtr<DiagnosticsEngine> Diags =
        CompilerInstance::createDiagnostics(&BuildInv.getDiagnosticOpts(), &Quiet, false);
    RecordingCallbacks Callbacks(Req, Facts);
    llvm::ErrorOr<PrecompiledPreamble> Built =
        PrecompiledPreamble::Build(BuildInv, &Main, Bounds, *Diags, VFS, std::move(PCHOps),
                                   /*StoreInMemory=*/true, "", Callbacks);
    S->FilesSeen = Facts.FilesSeen;
    for (const auto &[Path, Text] : Req.Overlay)
      if (Path != Req.MainFile && S->FilesSeen.count(Path))
        S->Overlay.insert(Path);
    // (Build resets Diags first.)
    if (Built && !Diags->hasErrorOccurred() && S->Overlay.empty() && Callbacks.MainEntries == 1)
      S->Kept = std::make_shared<Entry>(std::move(*Built), std::move(Facts));
  }
  std::lock_guard<std::mutex> L(M);
  Building.erase(Job);
  ++(S->Kept ? Counts.Builds : Counts.Unusable);
  store(S);
  return S->Kept && !S->touchedBy(Req) ? S->Kept : nullptr;
}

void PreambleCache::store(std::shared_ptr<Slot> S) {
  Lru.remove_if([&](const auto &O) {
    return O->Key == S->Key && O->Text == S->Text && O->EndsAtStartOfLine == S->EndsAtStartOfLine;
  });
  Lru.push_front(std::move(S));
  // At most MaxPreambles preambles (tens of MiB each), two per main file (the original and the
  // patched side of an #include block edit), and a bounded number of records of builds that
  // gave none.
  size_t Kept = 0, Total = 0;
  std::map<std::string, size_t> PerKey;
  for (auto It = Lru.begin(); It != Lru.end();) {
    bool Heavy = (*It)->Kept != nullptr;
    if ((Heavy && Kept == MaxPreambles) || Total == MaxPreambles + 32 || PerKey[(*It)->Key] == 2) {
      It = Lru.erase(It);
      continue;
    }
    Kept += Heavy;
    ++Total;
    ++PerKey[(*It)->Key];
    ++It;
  }
}

void PreambleCache::use(const Entry &E, CompilerInvocation &Inv,
                        llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> &VFS,
                        llvm::MemoryBuffer &Main) {
  E.Preamble.AddImplicitPreamble(Inv, VFS, &Main);
  Inv.getPreprocessorOpts().RetainRemappedFileBuffers = true; // the caller owns Main
}

const PreambleFacts &PreambleCache::facts(const Entry &E) { return E.Facts; }

PreambleCache::Stats PreambleCache::stats() const {
  std::lock_guard<std::mutex> L(M);
  Stats S = Counts;
  for (const auto &Slot : Lru)
    if (Slot->Kept) {
      ++S.Held;
      S.Bytes += Slot->Kept->Preamble.getSize();
    }
  return S;
}

void PreambleCache::clear() {
  std::lock_guard<std::mutex> L(M);
  Lru.clear();
  Counts = {};
}

} // namespace klp::analysis
