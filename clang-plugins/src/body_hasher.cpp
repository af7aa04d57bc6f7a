#include "body_hasher.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"
#include "clang/AST/StmtCXX.h"
#include "clang/AST/TypeLoc.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/StringSet.h"
#include <optional>

using namespace clang;

namespace klp::analysis {

namespace {
// Callees that put the current task to sleep: an endless loop around one of them means the
// function never returns while the task lives.
bool isSleepingCallee(llvm::StringRef N) {
  return N.starts_with("schedule") || N.starts_with("io_schedule") ||
         N.starts_with("freezable_schedule") || N == "msleep" || N == "msleep_interruptible" ||
         N == "ssleep" || N.starts_with("usleep_range") || N.starts_with("wait_for_completion") ||
         N == "kthread_parkme" || N.starts_with("wait_event") || N == "cpuidle_idle_call" ||
         N == "do_idle" || N == "default_idle_call";
}

// An inline function whose body is "{ }" (e.g. __might_resched() without
// CONFIG_DEBUG_ATOMIC_SLEEP): a call to it generates no code, so the __LINE__ that
// cond_resched() passes to it never reaches the object file. Bodies outside the files of
// interest are skipped by the parser, so the braces are read from the source.
bool isEmptyInline(const FunctionDecl *Callee, const ASTContext &Ctx) {
  const SourceManager &SM = Ctx.getSourceManager();
  for (const FunctionDecl *R : Callee->redecls()) {
    if (!R->doesThisDeclarationHaveABody() && !R->hasSkippedBody())
      continue;
    if (!R->isInlineSpecified() && !R->hasAttr<AlwaysInlineAttr>())
      return false;
    if (const Stmt *B = R->getBody())
      return isa<CompoundStmt>(B) && cast<CompoundStmt>(B)->body_empty();
    // From the ')' closing the parameters: attributes, if any, then '{' '}'.
    FunctionTypeLoc FTL = R->getFunctionTypeLoc();
    SourceLocation Cur = FTL ? FTL.getRParenLoc() : SourceLocation();
    if (Cur.isInvalid() || Cur.isMacroID())
      return false;
    for (int I = 0; I < 64; ++I) {
      std::optional<Token> T = Lexer::findNextToken(Cur, SM, Ctx.getLangOpts());
      if (!T || T->isOneOf(tok::semi, tok::eof, tok::r_brace))
        return false;
      if (T->is(tok::l_brace)) {
        std::optional<Token> N = Lexer::findNextToken(T->getLocation(), SM, Ctx.getLangOpts());
        return N && N->is(tok::r_brace);
      }
      Cur = T->getLocation();
    }
    return false;
  }
  return false;
}

bool isKthreadCreator(llvm::StringRef N) {
  return N == "kthread_create_on_node" || N == "kthread_create_on_cpu" || N == "kthread_run_on_cpu";
}

// Parameters and automatic locals: referred to by declaration order, not by name.
bool isAutomatic(const ValueDecl *D) {
  const auto *VD = dyn_cast<VarDecl>(D);
  return VD && VD->isLocalVarDeclOrParm() && !VD->hasGlobalStorage();
}

// True when a loop condition is absent or a constant true (for(;;), while (1)).
bool isEndless(const Expr *Cond, ASTContext &Ctx) {
  if (!Cond)
    return true;
  bool Value = false;
  if (Cond->isValueDependent())
    return false;
  return Cond->EvaluateAsBooleanCondition(Value, Ctx) && Value;
}
} // namespace

namespace {
void traceValue(std::string &T, uint64_t V) { T += std::to_string(V) + "\n"; }
void traceValue(std::string &T, std::string_view V) { T += std::string(V) + "\n"; }
void traceValue(std::string &T, const std::string &V) { T += V + "\n"; }
} // namespace

namespace {
// `if (!(cond)) __compiletime_assert_N();` as compiletime_assert() expands it.
bool isCompiletimeAssert(const Stmt *S) {
  const auto *If = dyn_cast<IfStmt>(S);
  if (!If || If->getElse())
    return false;
  const Stmt *Then = If->getThen();
  if (const auto *CS = dyn_cast<CompoundStmt>(Then))
    Then = CS->size() == 1 ? CS->body_front() : nullptr;
  const auto *Call = dyn_cast_or_null<CallExpr>(Then);
  const FunctionDecl *Callee = Call ? Call->getDirectCallee() : nullptr;
  return Callee && Callee->getName().starts_with("__compiletime_assert_");
}
} // namespace

BodyHasher::BodyHasher(ASTContext &Ctx, IsLineLiteral IsLine)
    : Ctx(Ctx), IsLine(std::move(IsLine)), Policy(Ctx.getPrintingPolicy()) {
  Policy.AnonymousTagLocations = false;
  Policy.FullyQualifiedName = true;
}

std::string BodyHasher::typeName(QualType T) const {
  return T.getCanonicalType().getAsString(Policy);
}

std::string BodyHasher::canonicalName(llvm::StringRef Name) {
  if (!Name.starts_with("__UNIQUE_ID_") && !Name.starts_with("__compiletime_assert_"))
    return Name.str();
  return Name.rtrim("0123456789").str();
}

std::string BodyHasher::recordName(const RecordDecl *RD) {
  if (!RD)
    return "";
  if (const IdentifierInfo *II = RD->getIdentifier())
    return std::string(RD->isUnion() ? "union " : "struct ") + II->getName().str();
  if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl())
    return TD->getName().str();
  return "";
}

void BodyHasher::noteRecord(QualType T, BodyFacts &F) {
  if (T.isNull())
    return;
  const Type *Base = T->getBaseElementTypeUnsafe();
  if (const RecordDecl *RD = Base->getAsRecordDecl()) {
    std::string N = recordName(RD);
    if (!N.empty())
      F.Records.insert(std::move(N));
  }
}

void BodyHasher::hashType(QualType T, BodyFacts &F) {
  std::string N = typeName(T);
  F.Full.add(N);
  F.NoLine.add(N);
}

void BodyHasher::hashStmt(const Stmt *S, BodyFacts &F) { visit(S, F, 0); }

void BodyHasher::visit(const Stmt *S, BodyFacts &F, unsigned InEndlessLoop) {
  auto Both = [&F](auto V) {
    F.Full.add(V);
    F.NoLine.add(V);
    if (F.Trace)
      traceValue(*F.Trace, V);
  };
  if (!S) {
    Both(uint64_t(0));
    return;
  }
  if (isCompiletimeAssert(S)) {
    // BUILD_BUG_ON and friends: checked by the compiler, no code. A struct growing past a
    // BUILD_BUG_ON(sizeof ...) must not make the function look changed.
    Both(uint64_t(0xca));
    return;
  }
  ++F.Statements;
  Both(uint64_t(S->getStmtClass()) + 1);
  unsigned ChildLoop = InEndlessLoop;
  bool DeadArgs = false;

  if (const auto *IL = dyn_cast<IntegerLiteral>(S)) {
    uint64_t V = IL->getValue().getZExtValue();
    int Kind = IsLine ? IsLine(IL->getLocation()) : 0;
    if (Kind == 2) {
      // __COUNTER__ values only number things; they reach no generated code.
    } else if (Kind == 1) {
      F.Full.add(V);
      F.LineLiterals.push_back(IL->getLocation());
    } else {
      Both(V);
    }
  } else if (const auto *CL = dyn_cast<CharacterLiteral>(S)) {
    Both(uint64_t(CL->getValue()));
  } else if (const auto *FL = dyn_cast<FloatingLiteral>(S)) {
    llvm::SmallString<32> Str;
    FL->getValue().toString(Str);
    Both(std::string_view(Str.data(), Str.size()));
  } else if (const auto *SL = dyn_cast<StringLiteral>(S)) {
    llvm::StringRef Bytes = SL->getBytes();
    Both(std::string_view(Bytes.data(), Bytes.size()));
  } else if (const auto *DRE = dyn_cast<DeclRefExpr>(S)) {
    const ValueDecl *D = DRE->getDecl();
    if (isAutomatic(D)) {
      Both(uint64_t(F.localId(D)));
    } else {
      Both(canonicalName(D->getName()));
      // A global's or a callee's type is declared elsewhere: its change (int -> long) changes
      // this code even when no implicit conversion shows it.
      if (isa<VarDecl>(D) || isa<FunctionDecl>(D))
        hashType(D->getType(), F);
    }
    if (const auto *ECD = dyn_cast<EnumConstantDecl>(D))
      Both(uint64_t(ECD->getInitVal().getExtValue()));
  } else if (const auto *ME = dyn_cast<MemberExpr>(S)) {
    const ValueDecl *M = ME->getMemberDecl();
    Both(std::string_view(M->getName().data(), M->getName().size()));
    Both(uint64_t(ME->isArrow()));
    hashType(M->getType(), F);
    if (const auto *FD = dyn_cast<FieldDecl>(M)) {
      if (!FD->getParent()->isInvalidDecl() && FD->getParent()->isCompleteDefinition())
        Both(uint64_t(Ctx.getFieldOffset(FD)));
      if (FD->isBitField() && !FD->getBitWidth()->isValueDependent())
        Both(uint64_t(FD->getBitWidthValue(Ctx))); // a wider bit-field reads other bits
      noteRecord(Ctx.getRecordType(FD->getParent()), F);
    }
  } else if (const auto *BO = dyn_cast<BinaryOperator>(S)) {
    Both(uint64_t(BO->getOpcode()));
  } else if (const auto *UO = dyn_cast<UnaryOperator>(S)) {
    Both(uint64_t(UO->getOpcode()));
  } else if (const auto *CE = dyn_cast<CastExpr>(S)) {
    Both(uint64_t(CE->getCastKind()));
    if (isa<ExplicitCastExpr>(CE))
      hashType(CE->getType(), F);
  } else if (const auto *UE = dyn_cast<UnaryExprOrTypeTraitExpr>(S)) {
    Both(uint64_t(UE->getKind()));
    hashType(UE->getTypeOfArgument(), F);
    noteRecord(UE->getTypeOfArgument(), F);
    Expr::EvalResult R;
    if (!UE->isValueDependent() && UE->EvaluateAsInt(R, Ctx))
      Both(R.Val.getInt().getZExtValue());
  } else if (const auto *OE = dyn_cast<OffsetOfExpr>(S)) {
    noteRecord(OE->getTypeSourceInfo()->getType(), F);
    Expr::EvalResult R;
    if (!OE->isValueDependent() && OE->EvaluateAsInt(R, Ctx))
      Both(R.Val.getInt().getZExtValue());
  } else if (const auto *CLE = dyn_cast<CompoundLiteralExpr>(S)) {
    hashType(CLE->getType(), F);
    noteRecord(CLE->getType(), F);
  } else if (const auto *AS = dyn_cast<GCCAsmStmt>(S)) {
    llvm::StringRef Str = AS->getAsmString()->getString();
    Both(std::string_view(Str.data(), Str.size()));
    Both(uint64_t(AS->isVolatile()));
    for (unsigned I = 0; I < AS->getNumOutputs(); ++I)
      Both(std::string_view(AS->getOutputConstraint(I).data(), AS->getOutputConstraint(I).size()));
    for (unsigned I = 0; I < AS->getNumInputs(); ++I)
      Both(std::string_view(AS->getInputConstraint(I).data(), AS->getInputConstraint(I).size()));
    for (unsigned I = 0; I < AS->getNumClobbers(); ++I)
      Both(std::string_view(AS->getClobber(I).data(), AS->getClobber(I).size()));
    for (unsigned I = 0; I < AS->getNumLabels(); ++I)
      Both(std::string_view(AS->getLabelName(I).data(), AS->getLabelName(I).size()));
  } else if (const auto *DS = dyn_cast<DeclStmt>(S)) {
    // Walked here rather than through children(): the initializer of a static local is data
    // (the variable's own summary hashes it), not code of this function.
    for (const Decl *D : DS->decls()) {
      const auto *VD = dyn_cast<VarDecl>(D);
      if (!VD)
        continue;
      if (isAutomatic(VD))
        Both(uint64_t(F.localId(VD)));
      else
        Both(canonicalName(VD->getName()));
      hashType(VD->getType(), F);
      Both(uint64_t(VD->getStorageClass()));
      noteRecord(VD->getType(), F);
      if (VD->isStaticLocal()) {
        // __UNIQUE_ID_ names are macro machinery; an empty object (lockdep's lock_class_key
        // without CONFIG_LOCKDEP, as in mutex_init()/INIT_WORK()) holds no state to correlate.
        QualType VT = VD->getType();
        bool Empty = !VT->isIncompleteType() && !VT->isDependentType() &&
                     Ctx.getTypeSizeInChars(VT).isZero();
        if (!VD->getName().starts_with("__UNIQUE_ID_") && !Empty)
          F.StaticLocals.insert(canonicalName(VD->getName()));
        F.StaticLocalDecls.push_back(VD);
      }
      if (!VD->hasGlobalStorage() && VD->getInit())
        visit(VD->getInit(), F, InEndlessLoop);
    }
    Both(uint64_t(0xfe));
    return;
  } else if (const auto *LS = dyn_cast<LabelStmt>(S)) {
    Both(std::string_view(LS->getName()));
  } else if (const auto *GS = dyn_cast<GotoStmt>(S)) {
    Both(std::string_view(GS->getLabel()->getName().data(), GS->getLabel()->getName().size()));
  } else if (const auto *ALE = dyn_cast<AddrLabelExpr>(S)) {
    Both(std::string_view(ALE->getLabel()->getName().data(), ALE->getLabel()->getName().size()));
  } else if (const auto *Call = dyn_cast<CallExpr>(S)) {
    if (const FunctionDecl *Callee = Call->getDirectCallee()) {
      DeadArgs = isEmptyInline(Callee, Ctx);
      llvm::StringRef N = Callee->getName();
      F.Callees.insert(N.str());
      // trace_<event>() is declared by __DECLARE_TRACE(); trace_seq_printf() and other
      // tracing library functions are declared in plain text.
      if (N.starts_with("trace_") && Callee->getLocation().isMacroID())
        F.Tracepoints.insert(N.str());
      if (InEndlessLoop && isSleepingCallee(N))
        F.SleepingInfiniteLoop = true;
      if (isKthreadCreator(N) && Call->getNumArgs() > 0)
        if (const auto *Fn = dyn_cast<DeclRefExpr>(Call->getArg(0)->IgnoreParenImpCasts()))
          if (isa<FunctionDecl>(Fn->getDecl()))
            F.KthreadFunctions.insert(Fn->getDecl()->getName().str());
    }
  } else if (const auto *FS = dyn_cast<ForStmt>(S)) {
    // A loop written by a macro (the for (;;) of wait_event() and friends) waits for one
    // condition and returns: only loops spelled in the function keep a task in it.
    if (!S->getBeginLoc().isMacroID() && isEndless(FS->getCond(), Ctx))
      ChildLoop = InEndlessLoop + 1;
  } else if (const auto *WS = dyn_cast<WhileStmt>(S)) {
    if (!S->getBeginLoc().isMacroID() && isEndless(WS->getCond(), Ctx))
      ChildLoop = InEndlessLoop + 1;
  } else if (const auto *DoS = dyn_cast<DoStmt>(S)) {
    if (!S->getBeginLoc().isMacroID() && isEndless(DoS->getCond(), Ctx))
      ChildLoop = InEndlessLoop + 1;
  } else if (const auto *PE = dyn_cast<PredefinedExpr>(S)) {
    Both(uint64_t(PE->getIdentKind()));
  }

  if (DeadArgs) {
    // __LINE__ in the arguments of a call that generates no code: like __COUNTER__, it
    // reaches nothing (other arguments are still hashed, they may have side effects).
    IsLineLiteral Saved = IsLine;
    IsLine = [&Saved](SourceLocation L) {
      int K = Saved ? Saved(L) : 0;
      return K == 1 ? 2 : K;
    };
    for (const Stmt *Child : S->children())
      visit(Child, F, ChildLoop);
    IsLine = std::move(Saved);
  } else {
    for (const Stmt *Child : S->children())
      visit(Child, F, ChildLoop);
  }
  Both(uint64_t(0xfe)); // end of children: keeps tree shape in the hash
}

} // namespace klp::analysis
