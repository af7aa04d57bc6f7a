// Clang front end for one side of one translation unit: overlay file system for in-memory
// patched files, a preprocessor tracker (macro uses, __LINE__, EXPORT_SYMBOL, initcalls) and
// an AST consumer that fills a TuSummary. Bodies outside the files of interest are skipped
// (as clangd does for preambles), which keeps a parse below plain -fsyntax-only cost. Through a
// PreambleCache, the main file's #include block comes precompiled when a preamble fits.
#include "parse_tu.h"
#include "preamble_cache.h"
#include "summary_builder.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"
#include <optional>

using namespace clang;

namespace klp::analysis {

namespace {

class ErrorCollector : public DiagnosticConsumer {
public:
  ErrorCollector(const FileClassifier &Files, std::vector<std::string> &Out)
      : Files(Files), Out(Out) {}
  void HandleDiagnostic(DiagnosticsEngine::Level Level, const Diagnostic &Info) override {
    DiagnosticConsumer::HandleDiagnostic(Level, Info);
    if (Level < DiagnosticsEngine::Error || Out.size() >= 20)
      return;
    llvm::SmallString<256> Msg;
    Info.FormatDiagnostic(Msg);
    std::string Where = "<command line>";
    if (Info.hasSourceManager() && Info.getLocation().isValid()) {
      const SourceManager &SM = Info.getSourceManager();
      // getFileLoc: the spelling inside a macro argument (where clang points), else the
      // macro invocation.
      PresumedLoc P = SM.getPresumedLoc(SM.getFileLoc(Info.getLocation()));
      if (P.isValid())
        Where = Files.normalize(P.getFilename()) + ":" + std::to_string(P.getLine()) + ":" +
                std::to_string(P.getColumn());
    }
    Out.push_back(Where + ": error: " + std::string(Msg.str()));
  }

private:
  const FileClassifier &Files;
  std::vector<std::string> &Out;
};

class SummaryAction : public ASTFrontendAction {
public:
  SummaryAction(const ParseRequest &Req, ParseResult &Res, FileClassifier &Files,
                const PreambleFacts *Preamble = nullptr)
      : Req(Req), Res(Res), Files(Files), Preamble(Preamble) {}

protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, StringRef) override {
    return makeSummaryConsumer(CI, Files, Res.Summary, Preamble);
  }
  bool BeginInvocation(CompilerInstance &CI) override {
    CI.getFrontendOpts().SkipFunctionBodies = true;
    CI.getDiagnosticOpts().ShowCarets = false; // also silences "N warnings generated."
    return true;
  }

private:
  const ParseRequest &Req;
  ParseResult &Res;
  FileClassifier &Files;
  const PreambleFacts *Preamble;
};

// SummaryAction on the invocation the driver made (as tooling's own factory runs it), through
// a preamble of Preambles when one fits.
class PreambleToolAction : public tooling::ToolAction {
public:
  PreambleToolAction(const ParseRequest &Req, ParseResult &Res, FileClassifier &Files,
                     PreambleCache &Preambles)
      : Req(Req), Res(Res), Files(Files), Preambles(Preambles) {}

  bool runInvocation(std::shared_ptr<CompilerInvocation> Inv, FileManager *FM,
                     std::shared_ptr<PCHContainerOperations> PCHOps,
                     DiagnosticConsumer *Diags) override {
    // What SummaryAction sets, already for the preamble.
    Inv->getFrontendOpts().SkipFunctionBodies = true;
    Inv->getDiagnosticOpts().ShowCarets = false;
    IntrusiveRefCntPtr<FileManager> FileMgr(FM);
    std::shared_ptr<const PreambleCache::Entry> Preamble;
    std::unique_ptr<llvm::MemoryBuffer> Main; // outlives the CompilerInstance
    if (Inv->getFrontendOpts().Inputs.size() == 1)
      if (auto Buf = FM->getVirtualFileSystem().getBufferForFile(
              Inv->getFrontendOpts().Inputs[0].getFile()))
        Main = std::move(*Buf);
    if (Main)
      Preamble = Preambles.acquire(Req, *Inv, *Main, FM->getVirtualFileSystemPtr(), PCHOps);
    if (Preamble) {
      IntrusiveRefCntPtr<llvm::vfs::FileSystem> VFS = FM->getVirtualFileSystemPtr();
      PreambleCache::use(*Preamble, *Inv, VFS, *Main);
      // The preamble's PCH is a file of the VFS it returns.
      FileMgr = llvm::makeIntrusiveRefCnt<FileManager>(FM->getFileSystemOpts(), VFS);
    }
    CompilerInstance CI(std::move(PCHOps));
    CI.setInvocation(std::move(Inv));
    CI.setFileManager(FileMgr.get());
    SummaryAction Act(Req, Res, Files, Preamble ? &PreambleCache::facts(*Preamble) : nullptr);
    CI.createDiagnostics(Diags, /*ShouldOwnClient=*/false);
    if (!CI.hasDiagnostics())
      return false;
    CI.createSourceManager(*FileMgr);
    bool Ok = CI.ExecuteAction(Act);
    FileMgr->clearStatCache();
    return Ok;
  }

private:
  const ParseRequest &Req;
  ParseResult &Res;
  FileClassifier &Files;
  PreambleCache &Preambles;
};

ParseResult parse(const ParseRequest &Req, PreambleCache *Preambles) {
  ParseResult Res;
  Res.Summary.MainFile = Req.MainFile;
  // Not getRealFileSystem(): setting its working directory changes the process's (shared by
  // concurrent parses, and left pointing into a tree that may go away).
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> Real(llvm::vfs::createPhysicalFileSystem());
  auto Overlay = llvm::makeIntrusiveRefCnt<llvm::vfs::OverlayFileSystem>(Real);
  auto Mem = llvm::makeIntrusiveRefCnt<llvm::vfs::InMemoryFileSystem>();
  for (const auto &[Rel, Text] : Req.Overlay) {
    std::string Abs = Req.Root + "/" + Rel;
    Mem->addFile(Abs, 0, llvm::MemoryBuffer::getMemBufferCopy(Text, Abs));
  }
  Overlay->pushOverlay(Mem);
  Overlay->setCurrentWorkingDirectory(Req.Root);
  FileSystemOptions FSO;
  FSO.WorkingDir = Req.Root;
  auto FM = llvm::makeIntrusiveRefCnt<FileManager>(FSO, Overlay);

  std::set<std::string> Interest = Req.FilesOfInterest;
  Interest.insert(Req.MainFile);
  FileClassifier Files(Req.Root, std::move(Interest));
  ErrorCollector Diags(Files, Res.Errors);

  std::vector<std::string> Args = Req.Args;
  if (!Args.empty())
    Args[0] = "/usr/lib/llvm-19/bin/clang";
  Args.insert(Args.begin() + 1, "-fsyntax-only");
  std::optional<PreambleToolAction> WithPreamble;
  std::optional<tooling::ToolInvocation> Inv;
  if (Preambles)
    Inv.emplace(Args, &WithPreamble.emplace(Req, Res, Files, *Preambles), FM.get(),
                std::make_shared<PCHContainerOperations>());
  else
    Inv.emplace(Args, std::make_unique<SummaryAction>(Req, Res, Files), FM.get());
  Inv->setDiagnosticConsumer(&Diags);
  // A crash inside Clang (or the summary builder) costs this parse, not the process: the
  // language server keeps the editor's state. Needs CrashRecoveryContext::Enable() (the server
  // does it); otherwise this runs the parse unprotected.
  bool Ok = false;
  llvm::CrashRecoveryContext CRC;
  if (!CRC.RunSafely([&] { Ok = Inv->run(); }))
    Res.Errors.push_back(Req.MainFile +
                         ": error: the parser crashed on this side (klp-lsp recovered)");
  if (!Ok && Res.Errors.empty())
    Res.Errors.push_back(Req.MainFile + ": error: clang could not parse the file");
  // Also when Clang stopped before entering it: the cache validates entries by this set.
  Res.Summary.FilesSeen.insert(Req.MainFile);
  return Res;
}

} // namespace

ParseResult parseAndSummarize(const ParseRequest &Req) { return parse(Req, nullptr); }

ParseResult parseAndSummarize(const ParseRequest &Req, PreambleCache &Preambles) {
  return parse(Req, &Preambles);
}

} // namespace klp::analysis
