// Hashes a function body (or a variable initializer) after macro expansion: statement kinds,
// referenced names, literal values, types and field offsets. Two parses of the same code give
// the same hash; a whitespace or comment edit does not change it, a changed constant does.
// Literals that came from __LINE__ enter only the full hash, so "changed only through
// __LINE__" is visible as Full != Full-without-line with NoLine equal.
#pragma once
#include "stable_hash.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"
#include <functional>
#include <map>
#include <set>
#include <string>

namespace klp::analysis {

struct BodyFacts {
  StableHash Full, NoLine;
  std::set<std::string> Callees;
  std::set<std::string> Tracepoints; // callees made by the tracepoint macros (trace_<event>)
  std::set<std::string> Records;
  std::set<std::string> StaticLocals;
  std::set<std::string> KthreadFunctions; // functions passed to kthread_create_on_{node,cpu}
  std::vector<clang::SourceLocation> LineLiterals;
  std::vector<const clang::VarDecl *> StaticLocalDecls;
  bool SleepingInfiniteLoop = false;
  unsigned Statements = 0;
  std::string *Trace = nullptr; // debugging: every hashed value, one a line
  // Parameters and automatic locals by order of declaration: their names do not reach the
  // generated code, so a rename must not change the hash.
  std::map<const clang::Decl *, unsigned> LocalIds;
  unsigned localId(const clang::Decl *D) {
    return LocalIds.try_emplace(D, LocalIds.size()).first->second;
  }
};

class BodyHasher {
public:
  // Classifies an integer literal: 0 plain, 1 made by __LINE__, 2 made by __COUNTER__.
  using IsLineLiteral = std::function<int(clang::SourceLocation)>;
  BodyHasher(clang::ASTContext &Ctx, IsLineLiteral IsLine);
  void hashStmt(const clang::Stmt *S, BodyFacts &F);
  void hashType(clang::QualType T, BodyFacts &F);
  std::string typeName(clang::QualType T) const;
  // Names made with __COUNTER__ (__UNIQUE_ID_x123) shift whenever an earlier macro use is
  // added or removed; the number carries no meaning, so it is dropped before hashing.
  static std::string canonicalName(llvm::StringRef Name);
  // "struct foo" / typedef name of an anonymous record / "" when it has no stable name.
  static std::string recordName(const clang::RecordDecl *RD);

private:
  void noteRecord(clang::QualType T, BodyFacts &F);
  void visit(const clang::Stmt *S, BodyFacts &F, unsigned LoopDepthInfinite);
  clang::ASTContext &Ctx;
  IsLineLiteral IsLine;
  clang::PrintingPolicy Policy;
};

} // namespace klp::analysis
