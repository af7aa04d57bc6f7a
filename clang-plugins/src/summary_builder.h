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

namespace clang {
class CompilerInstance;
}

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

std::unique_ptr<clang::ASTConsumer> makeSummaryConsumer(clang::CompilerInstance &CI,
                                                        FileClassifier &Files, TuSummary &Out);

} // namespace klp::analysis
