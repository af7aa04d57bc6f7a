// Clang front end for one side of one translation unit: overlay file system for in-memory
// patched files, a preprocessor tracker (macro uses, __LINE__, EXPORT_SYMBOL, initcalls) and
// an AST consumer that fills a TuSummary. Bodies outside the files of interest are skipped
// (as clangd does for preambles), which keeps a parse below plain -fsyntax-only cost.
#include "parse_tu.h"
#include "summary_builder.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/FileManager.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/VirtualFileSystem.h"

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
  SummaryAction(const ParseRequest &Req, ParseResult &Res, FileClassifier &Files)
      : Req(Req), Res(Res), Files(Files) {}

protected:
  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &CI, StringRef) override {
    return makeSummaryConsumer(CI, Files, Res.Summary);
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
};

} // namespace

ParseResult parseAndSummarize(const ParseRequest &Req) {
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
  tooling::ToolInvocation Inv(Args, std::make_unique<SummaryAction>(Req, Res, Files), FM.get());
  Inv.setDiagnosticConsumer(&Diags);
  // A crash inside Clang (or the summary builder) costs this parse, not the process: the
  // language server keeps the editor's state. Needs CrashRecoveryContext::Enable() (the server
  // does it); otherwise this runs the parse unprotected.
  bool Ok = false;
  llvm::CrashRecoveryContext CRC;
  if (!CRC.RunSafely([&] { Ok = Inv.run(); }))
    Res.Errors.push_back(Req.MainFile +
                         ": error: the parser crashed on this side (klp-lsp recovered)");
  if (!Ok && Res.Errors.empty())
    Res.Errors.push_back(Req.MainFile + ": error: clang could not parse the file");
  // Also when Clang stopped before entering it: the cache validates entries by this set.
  Res.Summary.FilesSeen.insert(Req.MainFile);
  return Res;
}

} // namespace klp::analysis
