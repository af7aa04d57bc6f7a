// Builds a TuSummary from a Clang parse: FileClassifier decides which files are "of interest"
// (by tree-relative path), the consumer walks only the top-level declarations located there.
#pragma once
#include "klp/analysis/summary.h"
#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/DenseMap.h"
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace clang {
class CommentHandler;
class CompilerInstance;
class PPCallbacks;
class Preprocessor;
} // namespace clang

namespace klp::analysis {

class FileClassifier {
public:
  FileClassifier(std::string Root, std::set<std::string> Interest)
      : Root(std::move(Root)), Interest(std::move(Interest)) {}
  // Tree-relative form of a file name as Clang opened it ("./include/x.h", absolute, ...).
  std::string normalize(llvm::StringRef Name) const;
  // The tree-relative path of FID when it is a file of interest.
  const std::string *interesting(const clang::SourceManager &SM, clang::FileID FID);
  // Every file Clang entered, tree-relative.
  std::set<std::string> Seen;

private:
  std::string Root;
  std::set<std::string> Interest;
  llvm::DenseMap<clang::FileID, std::optional<std::string>> Cache;
};

// What a summary needs of the part of a parse that a precompiled preamble stands for (the main
// file's leading #include block and every file it enters): recorded while the preamble is built,
// replayed by every parse that uses it. A preamble is only used when the main file is its only
// file of interest, so only the main file's facts are kept.
struct PreambleFacts {
  struct MacroUse {
    unsigned Offset; // in the main file
    std::string Name;
    bool Outermost;
  };
  std::set<std::string> FilesSeen;     // every file the preamble entered, tree-relative
  std::vector<MacroUse> MainMacroUses; // macro uses in the main file's part, in lexing order
  unsigned MainDepth = 0;              // #if nesting of the main file where the preamble ends
  TuSummary Main; // the main file's Includes, MultiLineSpans, Exports and Initcalls
};

// Records PreambleFacts while Clang builds a preamble of MainFile: makeCallbacks before the
// build lexes anything (its preprocessor owns the result, which is also the comment handler),
// finish after it has, while that preprocessor still lives.
class PreambleRecorder {
public:
  PreambleRecorder(std::string Root, const std::string &MainFile, PreambleFacts &Facts);
  ~PreambleRecorder();
  std::unique_ptr<clang::PPCallbacks> makeCallbacks(clang::Preprocessor &PP);
  clang::CommentHandler *commentHandler() const;
  void finish(const clang::SourceManager &SM);

private:
  struct Impl;
  std::unique_ptr<Impl> I;
};

// Preamble: the facts of the preamble this parse uses (null: none). Then only the declarations
// parsed in this run are walked (the preamble's are deserialized only when reached), and the
// records they use are looked up by name.
std::unique_ptr<clang::ASTConsumer> makeSummaryConsumer(clang::CompilerInstance &CI,
                                                        FileClassifier &Files, TuSummary &Out,
                                                        const PreambleFacts *Preamble = nullptr);

} // namespace klp::analysis
