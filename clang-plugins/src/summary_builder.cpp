#include "summary_builder.h"
#include "body_hasher.h"
#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/Decl.h"
#include "clang/AST/RecordLayout.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Lex/Lexer.h"
#include "clang/Lex/MacroArgs.h"
#include "clang/Lex/MacroInfo.h"
#include "clang/Lex/PPCallbacks.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Sema/Sema.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <cstdlib>

using namespace clang;

namespace klp::analysis {

std::string FileClassifier::normalize(llvm::StringRef Name) const {
  llvm::SmallString<256> P(Name);
  llvm::sys::path::remove_dots(P, /*remove_dot_dot=*/true);
  llvm::StringRef S = P.str();
  if (S.starts_with(Root) && S.size() > Root.size() && S[Root.size()] == '/')
    S = S.drop_front(Root.size() + 1);
  return S.str();
}

const std::string *FileClassifier::interesting(const SourceManager &SM, FileID FID) {
  auto It = Cache.find(FID);
  if (It == Cache.end()) {
    std::optional<std::string> Rel;
    if (auto FE = SM.getFileEntryRefForID(FID)) {
      std::string N = normalize(FE->getName());
      if (Interest.count(N))
        Rel = N;
    }
    It = Cache.try_emplace(FID, std::move(Rel)).first;
  }
  return It->second ? &*It->second : nullptr;
}

namespace {

using MacroUse = PreambleFacts::MacroUse;

struct PPState {
  llvm::DenseSet<SourceLocation::UIntTy> LineTokens;    // locations of expanded __LINE__ tokens
  llvm::DenseSet<SourceLocation::UIntTy> CounterTokens; // ... and __COUNTER__ tokens
  llvm::DenseMap<FileID, std::vector<MacroUse>> Uses;   // macro uses per file of interest
};

bool isInitcallMacro(llvm::StringRef N) {
  return N == "module_init" || N == "module_exit" || N == "__initcall" || N == "__exitcall" ||
         (N.ends_with("_initcall") && !N.starts_with("__define")) || N.ends_with("_initcall_sync");
}

bool isExportMacro(llvm::StringRef N) {
  return N == "EXPORT_SYMBOL" || N == "EXPORT_SYMBOL_GPL" || N == "EXPORT_SYMBOL_NS" ||
         N == "EXPORT_SYMBOL_NS_GPL" || N == "EXPORT_SYMBOL_GPL_FUTURE";
}

Range rangeOf(const SourceManager &SM, SourceLocation B, unsigned Len) {
  Range R;
  R.Start.Line = SM.getExpansionLineNumber(B) - 1;
  R.Start.Character = SM.getExpansionColumnNumber(B) - 1;
  R.End = R.Start;
  R.End.Character += Len;
  return R;
}

class Tracker : public PPCallbacks, public CommentHandler {
public:
  Tracker(Preprocessor &PP, FileClassifier &Files, PPState &St, TuSummary &Out)
      : PP(PP), SM(PP.getSourceManager()), Files(Files), St(St), Out(Out) {}

  void FileChanged(SourceLocation Loc, FileChangeReason Reason, SrcMgr::CharacteristicKind,
                   FileID) override {
    if (Reason != EnterFile)
      return;
    FileID FID = SM.getFileID(Loc);
    if (auto FE = SM.getFileEntryRefForID(FID))
      Files.Seen.insert(Files.normalize(FE->getName()));
  }

  void MacroExpands(const Token &Tok, const MacroDefinition &, SourceRange Range,
                    const MacroArgs *Args) override {
    const IdentifierInfo *II = Tok.getIdentifierInfo();
    if (!II)
      return;
    llvm::StringRef Name = II->getName();
    if (Name == "__LINE__")
      St.LineTokens.insert(Tok.getLocation().getRawEncoding());
    else if (Name == "__COUNTER__")
      St.CounterTokens.insert(Tok.getLocation().getRawEncoding());
    SourceLocation Exp = SM.getExpansionLoc(Range.getBegin());
    FileID FID = SM.getFileID(Exp);
    const std::string *Rel = Files.interesting(SM, FID);
    if (!Rel)
      return;
    bool Outermost = Tok.getLocation().isFileID();
    St.Uses[FID].push_back({SM.getFileOffset(Exp), Name.str(), Outermost});
    if (!Outermost || !Args)
      return;
    if (isExportMacro(Name) || isInitcallMacro(Name)) {
      const Token *Arg = Args->getUnexpArgument(0);
      if (!Arg || !Arg->getIdentifierInfo())
        return;
      std::string Sym = Arg->getIdentifierInfo()->getName().str();
      if (isExportMacro(Name)) {
        unsigned Len =
            SM.getFileOffset(SM.getExpansionLoc(Range.getEnd())) - SM.getFileOffset(Exp) + 1;
        Out.Exports[Sym] = Loc{*Rel, rangeOf(SM, Exp, Len)};
      } else {
        std::string Call = Name.str() + "(" + Sym + ")";
        Out.Initcalls.insert(Call);
        Out.InitcallLocs[Call] = Loc{*Rel, rangeOf(SM, Exp, Name.size())};
      }
    }
  }

  void InclusionDirective(SourceLocation HashLoc, const Token &, StringRef FileName, bool,
                          CharSourceRange, OptionalFileEntryRef, StringRef, StringRef,
                          const Module *, bool, SrcMgr::CharacteristicKind) override {
    if (!HashLoc.isFileID())
      return;
    FileID FID = SM.getFileID(HashLoc);
    if (const std::string *Rel = Files.interesting(SM, FID))
      Out.Includes[*Rel].push_back(
          {FileName.str(), SM.getSpellingLineNumber(HashLoc) - 1, Depth.lookup(FID)});
  }
  bool HandleComment(Preprocessor &, SourceRange Comment) override {
    multiLine(Comment.getBegin(), Comment.getEnd());
    return false;
  }
  void MacroDefined(const Token &, const MacroDirective *MD) override {
    if (const MacroInfo *MI = MD->getMacroInfo())
      multiLine(MI->getDefinitionLoc(), MI->getDefinitionEndLoc());
  }
  // Conditional nesting per file: the callbacks see every #if that is not itself skipped and
  // its matching #endif.
  void If(SourceLocation Loc, SourceRange, ConditionValueKind) override { ++Depth[fid(Loc)]; }
  void Ifdef(SourceLocation Loc, const Token &, const MacroDefinition &) override {
    ++Depth[fid(Loc)];
  }
  void Ifndef(SourceLocation Loc, const Token &, const MacroDefinition &) override {
    ++Depth[fid(Loc)];
  }
  void Endif(SourceLocation Loc, SourceLocation) override {
    unsigned &D = Depth[fid(Loc)];
    if (D)
      --D;
  }
  // The nesting a preamble ends with, carried over to the parses that use it.
  unsigned depth(FileID FID) const { return Depth.lookup(FID); }
  void setDepth(FileID FID, unsigned D) { Depth[FID] = D; }

private:
  FileID fid(SourceLocation L) const { return SM.getFileID(SM.getExpansionLoc(L)); }

  void multiLine(SourceLocation B, SourceLocation E) {
    if (!B.isFileID() || !E.isFileID() || SM.getFileID(B) != SM.getFileID(E))
      return;
    unsigned First = SM.getSpellingLineNumber(B), Last = SM.getSpellingLineNumber(E);
    if (Last > First)
      if (const std::string *Rel = Files.interesting(SM, SM.getFileID(B)))
        Out.MultiLineSpans[*Rel].push_back({First - 1, Last - 1});
  }

  Preprocessor &PP;
  SourceManager &SM;
  FileClassifier &Files;
  PPState &St;
  TuSummary &Out;
  llvm::DenseMap<FileID, unsigned> Depth;
};

class Consumer : public ASTConsumer {
public:
  Consumer(CompilerInstance &CI, FileClassifier &Files, std::shared_ptr<PPState> St, TuSummary &Out,
           bool Preamble)
      : CI(CI), Files(Files), St(std::move(St)), Out(Out), Preamble(Preamble) {}

  bool shouldSkipFunctionBody(Decl *D) override {
    SourceManager &SM = CI.getSourceManager();
    return !Files.interesting(SM, SM.getFileID(SM.getExpansionLoc(D->getLocation())));
  }

  void HandleTranslationUnit(ASTContext &Ctx) override {
    SM = &Ctx.getSourceManager();
    LangOpts = &Ctx.getLangOpts();
    this->Ctx = &Ctx;
    for (auto &[FID, Uses] : St->Uses)
      std::stable_sort(Uses.begin(), Uses.end(),
                       [](const MacroUse &A, const MacroUse &B) { return A.Offset < B.Offset; });
    BodyHasher H(Ctx, [this](SourceLocation L) { return isLineLiteral(L); });
    Hasher = &H;
    llvm::StringMap<const RecordDecl *> AllRecords;
    std::set<std::string> UsedRecords;
    // A preamble's declarations are deserialized when something asks for them; asking for all
    // would cost more than the preamble saves. It declares nothing in a file of interest.
    TranslationUnitDecl *TU = Ctx.getTranslationUnitDecl();
    for (Decl *D : Preamble ? TU->noload_decls() : TU->decls()) {
      if (auto *RD = dyn_cast<RecordDecl>(D)) {
        if (!RD->isCompleteDefinition() || RD->isInvalidDecl())
          continue;
        std::string N = BodyHasher::recordName(RD);
        if (N.empty())
          continue;
        AllRecords[N] = RD;
        if (interestingLoc(RD->getLocation()))
          addRecord(N, RD, true);
        continue;
      }
      if (auto *FD = dyn_cast<FunctionDecl>(D)) {
        if (FD->doesThisDeclarationHaveABody() && FD->getBody()) {
          if (const std::string *Rel = interestingLoc(FD->getLocation()))
            addFunction(FD, *Rel, UsedRecords);
        }
        continue;
      }
      if (auto *VD = dyn_cast<VarDecl>(D)) {
        if (VD->isThisDeclarationADefinition() == VarDecl::DeclarationOnly)
          continue;
        if (const std::string *Rel = interestingLoc(VD->getLocation()))
          addVar(VD, *Rel, "");
      }
    }
    for (const std::string &N : UsedRecords) {
      if (Out.Records.count(N))
        continue;
      auto It = AllRecords.find(N);
      if (It != AllRecords.end())
        addRecord(N, It->second, false);
      else if (const RecordDecl *RD = Preamble ? preambleRecord(N) : nullptr)
        addRecord(N, RD, false);
    }
    Out.FilesSeen = Files.Seen;
  }

private:
  // The complete file-scope definition named N (BodyHasher::recordName) that a preamble holds,
  // found through the identifier's declarations (which loads only those).
  const RecordDecl *preambleRecord(llvm::StringRef N) {
    if (!CI.hasSema())
      return nullptr;
    llvm::StringRef Id = N;
    bool Tag = Id.consume_front("struct ") || Id.consume_front("union ");
    IdentifierResolver &Ids = CI.getSema().IdResolver;
    for (auto It = Ids.begin(DeclarationName(&Ctx->Idents.get(Id))); It != Ids.end(); ++It) {
      const RecordDecl *RD = nullptr;
      if (Tag)
        RD = dyn_cast<RecordDecl>(*It);
      else if (const auto *TD = dyn_cast<TypedefNameDecl>(*It))
        RD = TD->getUnderlyingType()->getAsRecordDecl();
      if (RD)
        RD = RD->getDefinition();
      if (RD && RD->isCompleteDefinition() && !RD->isInvalidDecl() &&
          RD->getLexicalDeclContext()->isTranslationUnit() && BodyHasher::recordName(RD) == N)
        return RD;
    }
    return nullptr;
  }

  const std::string *interestingLoc(SourceLocation L) {
    if (L.isInvalid())
      return nullptr;
    return Files.interesting(*SM, SM->getFileID(SM->getExpansionLoc(L)));
  }

  // A literal made by __LINE__: some location on its expansion/spelling chain is the
  // expansion of a __LINE__ token.
  int isLineLiteral(SourceLocation L) const {
    for (int Depth = 0; L.isMacroID() && Depth < 64; ++Depth) {
      SourceLocation ExpBegin = SM->getImmediateExpansionRange(L).getBegin();
      if (St->LineTokens.count(ExpBegin.getRawEncoding()))
        return 1;
      if (St->CounterTokens.count(ExpBegin.getRawEncoding()))
        return 2;
      L = SM->getImmediateSpellingLoc(L);
    }
    return 0;
  }

  // The name of a declaration in the file: its own token when spelled in the file, else the
  // macro invocation that produced it (e.g. SYSCALL_DEFINE3).
  Loc nameLoc(const NamedDecl *D, const std::string &Rel, std::string *Macro) {
    SourceLocation L = D->getLocation();
    if (L.isMacroID()) {
      SourceLocation Sp = SM->getSpellingLoc(L);
      if (!SM->isWrittenInScratchSpace(Sp) &&
          SM->getFileID(Sp) == SM->getFileID(SM->getExpansionLoc(L)) &&
          Lexer::MeasureTokenLength(Sp, *SM, *LangOpts) == D->getName().size()) {
        if (Macro)
          *Macro = macroAt(SM->getExpansionLoc(L));
        L = Sp;
      } else {
        L = SM->getExpansionLoc(L);
        if (Macro)
          *Macro = macroAt(L);
      }
    }
    unsigned Len = Lexer::MeasureTokenLength(L, *SM, *LangOpts);
    return Loc{Rel, rangeOf(*SM, L, Len)};
  }

  // The outermost macro whose invocation starts at file location L (or contains it).
  std::string macroAt(SourceLocation L) const {
    FileID FID = SM->getFileID(L);
    auto It = St->Uses.find(FID);
    if (It == St->Uses.end())
      return "";
    unsigned Off = SM->getFileOffset(L);
    std::string Best;
    for (const MacroUse &U : It->second) {
      if (U.Offset > Off)
        break;
      if (U.Outermost)
        Best = U.Name;
    }
    return Best;
  }

  uint64_t tokenHash(SourceLocation B, SourceLocation E) {
    StableHash H;
    FileID FID = SM->getFileID(B);
    if (FID != SM->getFileID(E))
      return 0;
    llvm::StringRef Buf = SM->getBufferData(FID);
    unsigned BOff = SM->getFileOffset(B), EOff = SM->getFileOffset(E);
    Lexer Raw(SM->getLocForStartOfFile(FID), *LangOpts, Buf.begin(), Buf.begin() + BOff, Buf.end());
    Raw.SetCommentRetentionState(false);
    Token T;
    while (!Raw.LexFromRawLexer(T)) {
      unsigned Off = SM->getFileOffset(T.getLocation());
      if (Off > EOff)
        break;
      H.add(std::string_view(Buf.data() + Off, T.getLength()));
    }
    return H.value();
  }

  void addFunction(FunctionDecl *FD, const std::string &Rel, std::set<std::string> &UsedRecords) {
    FunctionSummary F;
    F.Name = FD->getName().str();
    if (F.Name.empty())
      return;
    F.NameLoc = nameLoc(FD, Rel, &F.DefiningMacro);
    SourceLocation B = SM->getExpansionLoc(FD->getBeginLoc());
    SourceLocation E = SM->getExpansionRange(FD->getEndLoc()).getEnd();
    F.EndLine = SM->getExpansionLineNumber(E) - 1;
    F.BodyStartLine = SM->getExpansionLineNumber(FD->getBody()->getBeginLoc()) - 1;
    F.Type = Hasher->typeName(FD->getType());
    // Linkage, not the storage class of this declaration: a definition without 'static' after a
    // static prototype (common in the kernel) still has internal linkage.
    F.IsStatic = FD->getFormalLinkage() == Linkage::Internal;
    F.IsInline = FD->isInlineSpecified();
    F.AlwaysInline = FD->hasAttr<AlwaysInlineAttr>();
    F.NoInline = FD->hasAttr<NoInlineAttr>();
    F.NoTrace = FD->hasAttr<NoInstrumentFunctionAttr>();
    if (const auto *SA = FD->getAttr<SectionAttr>())
      F.Section = SA->getName().str();
    F.TokenHash = tokenHash(B, E);
    if (F.DefiningMacro.empty())
      inlineFixLocs(FD, B, Rel, F);

    BodyFacts Facts;
    Facts.Full.add(F.Type);
    Facts.NoLine.add(F.Type);
    // Parameters are numbered in order (their names do not reach the generated code); their
    // types are part of F.Type.
    for (const ParmVarDecl *P : FD->parameters())
      Facts.localId(P);
    std::string Flags = std::to_string(F.IsStatic) + std::to_string(F.IsInline) +
                        std::to_string(F.AlwaysInline) + std::to_string(F.NoInline) +
                        std::to_string(F.NoTrace) + F.Section;
    Facts.Full.add(Flags);
    Facts.NoLine.add(Flags);
    // KLP_TRACE_HASH=NAME dumps what enters NAME's hash (to compare two sides by hand).
    std::string Trace;
    static const char *TraceName = std::getenv("KLP_TRACE_HASH");
    if (TraceName && F.Name == TraceName)
      Facts.Trace = &Trace;
    Hasher->hashStmt(FD->getBody(), Facts);
    if (Facts.Trace)
      llvm::errs() << "=== hash trace of " << F.Name << "\n" << Trace;
    F.SemHash = Facts.Full.value();
    F.SemHashNoLine = Facts.NoLine.value();
    F.Callees = std::move(Facts.Callees);
    F.Tracepoints = std::move(Facts.Tracepoints);
    F.Records = Facts.Records;
    UsedRecords.insert(Facts.Records.begin(), Facts.Records.end());
    F.StaticLocals = Facts.StaticLocals;
    F.SleepingInfiniteLoop = Facts.SleepingInfiniteLoop;
    F.Statements = Facts.Statements;
    Out.KthreadFunctions.insert(Facts.KthreadFunctions.begin(), Facts.KthreadFunctions.end());
    for (SourceLocation L : Facts.LineLiterals) {
      SourceLocation FL = SM->getExpansionLoc(L);
      F.LineUses.push_back({macroAt(FL), SM->getExpansionLineNumber(FL) - 1});
    }
    // Macros used inside the definition.
    auto It = St->Uses.find(SM->getFileID(B));
    if (It != St->Uses.end()) {
      unsigned BOff = SM->getFileOffset(B), EOff = SM->getFileOffset(E);
      for (const MacroUse &U : It->second)
        if (U.Offset >= BOff && U.Offset <= EOff)
          F.Macros.insert(U.Name);
    }
    for (const VarDecl *VD : Facts.StaticLocalDecls)
      addVar(VD, Rel, F.Name);
    Out.Functions[F.Name] = std::move(F);
  }

  // The raw tokens of a file from B up to (not including) offset End.
  template <class Fn> void rawTokens(SourceLocation B, unsigned End, Fn Each) {
    FileID FID = SM->getFileID(B);
    llvm::StringRef Buf = SM->getBufferData(FID);
    unsigned BOff = SM->getFileOffset(B);
    Lexer Raw(SM->getLocForStartOfFile(FID), *LangOpts, Buf.begin(), Buf.begin() + BOff, Buf.end());
    Token T;
    for (bool Last = false; !Last;) {
      Last = Raw.LexFromRawLexer(T); // true for the buffer's last token
      unsigned Off = SM->getFileOffset(T.getLocation());
      if (T.is(tok::eof) || Off >= End ||
          !Each(T, llvm::StringRef(Buf.data() + Off, T.getLength())))
        return;
    }
  }

  // Where the noinline fix edits the definition (B: its first token in the file): the token
  // that makes it inline, else the start of its return type.
  void inlineFixLocs(const FunctionDecl *FD, SourceLocation B, const std::string &Rel,
                     FunctionSummary &F) {
    SourceLocation Name = SM->getExpansionLoc(FD->getLocation());
    if (SM->getFileID(Name) != SM->getFileID(B) || SM->getFileOffset(Name) < SM->getFileOffset(B))
      return;
    unsigned NameOff = SM->getFileOffset(Name);
    // __always_inline (or any macro adding the attribute) is replaced as a whole; an attribute
    // spelled out (__attribute__((always_inline))) is left alone.
    std::optional<unsigned> AttrOff;
    if (const auto *A = FD->getAttr<AlwaysInlineAttr>()) {
      SourceLocation AL = SM->getExpansionLoc(A->getLocation());
      if (SM->getFileID(AL) != SM->getFileID(B))
        return;
      AttrOff = SM->getFileOffset(AL);
    }
    rawTokens(B, NameOff, [&](const Token &T, llvm::StringRef Text) {
      unsigned Off = SM->getFileOffset(T.getLocation());
      bool Hit = AttrOff ? Off == *AttrOff && Text != "always_inline" &&
                               Text != "__always_inline__" && T.is(tok::raw_identifier)
                         : Text == "inline" || Text == "__inline" || Text == "__inline__";
      if (Hit)
        F.InlineToken = Loc{Rel, rangeOf(*SM, T.getLocation(), T.getLength())};
      return !Hit;
    });
    SourceLocation RT = FD->getReturnTypeSourceRange().getBegin();
    if (RT.isValid()) {
      RT = SM->getExpansionLoc(RT);
      if (SM->getFileID(RT) == SM->getFileID(B) && SM->getFileOffset(RT) < NameOff)
        F.ReturnTypeStart = Loc{Rel, rangeOf(*SM, RT, 0)};
    }
  }

  // The first ';' at bracket depth 0 from L on (a file location), or an invalid location when
  // a ',' (a declaration of several names) or an unbalanced closing bracket comes first.
  SourceLocation semiAfter(SourceLocation L) {
    SourceLocation Semi;
    int Nest = 0;
    rawTokens(L, ~0u, [&](const Token &T, llvm::StringRef) {
      if (T.isOneOf(tok::l_paren, tok::l_brace, tok::l_square))
        ++Nest;
      else if (T.isOneOf(tok::r_paren, tok::r_brace, tok::r_square))
        return --Nest >= 0;
      else if (Nest == 0 && T.is(tok::comma))
        return false;
      else if (Nest == 0 && T.is(tok::semi)) {
        Semi = T.getLocation();
        return false;
      }
      return true;
    });
    return Semi;
  }

  // Nothing but blanks before L on its line.
  bool blankBefore(SourceLocation L) {
    llvm::StringRef Buf = SM->getBufferData(SM->getFileID(L));
    unsigned Off = SM->getFileOffset(L);
    while (Off > 0 && Buf[Off - 1] != '\n') {
      if (Buf[Off - 1] != ' ' && Buf[Off - 1] != '\t')
        return false;
      --Off;
    }
    return true;
  }

  // Nothing but blanks and a comment that ends on the line after offset Off.
  bool blankOrCommentAfter(FileID FID, unsigned Off) {
    llvm::StringRef Rest = SM->getBufferData(FID).substr(Off);
    Rest = Rest.substr(0, Rest.find('\n')).trim();
    if (Rest.empty() || Rest.starts_with("//"))
      return true;
    return Rest.starts_with("/*") && Rest.find("*/") == Rest.size() - 2;
  }

  // The declaration text of a field and the lines it takes, for the shadow-variable fix.
  void fieldDecl(const FieldDecl *FD, FieldSummary &F) {
    SourceLocation B = SM->getExpansionLoc(FD->getBeginLoc());
    SourceLocation E = SM->getExpansionRange(FD->getEndLoc()).getEnd();
    if (SM->getFileID(B) != SM->getFileID(E))
      return;
    SourceLocation Semi = semiAfter(B);
    if (Semi.isInvalid() || SM->getFileOffset(Semi) <= SM->getFileOffset(E))
      return;
    llvm::StringRef Buf = SM->getBufferData(SM->getFileID(B));
    unsigned BOff = SM->getFileOffset(B), SOff = SM->getFileOffset(Semi);
    F.DeclText = Buf.slice(BOff, SOff).rtrim().str();
    F.DeclStartLine = SM->getExpansionLineNumber(B) - 1;
    F.DeclEndLine = SM->getExpansionLineNumber(Semi) - 1;
    F.OwnLines = blankBefore(B) && blankOrCommentAfter(SM->getFileID(B), SOff + 1);
  }

  static bool isMachineryVar(llvm::StringRef N) {
    return N.starts_with("__UNIQUE_ID_") || N.starts_with("__initcall") ||
           N.starts_with("__exitcall") || N.starts_with("__addressable_") ||
           N.starts_with("__ksymtab") || N.starts_with("__kstrtab") || N.starts_with("__kcrctab") ||
           N.starts_with("___ksymtab");
  }

  void addVar(const VarDecl *VD, const std::string &Rel, const std::string &Owner) {
    VarSummary V;
    V.Name = BodyHasher::canonicalName(VD->getName());
    // Static locals named by __UNIQUE_ID() are per-call-site metadata (dynamic debug
    // descriptors, whose initializer holds the format and __LINE__), not state: a livepatch
    // brings its own, so they are no data change.
    if (V.Name.empty() || isMachineryVar(V.Name))
      return;
    V.Owner = Owner;
    V.NameLoc = nameLoc(VD, Rel, nullptr);
    V.Type = Hasher->typeName(VD->getType());
    V.IsStatic = VD->getStorageClass() == SC_Static;
    if (const auto *SA = VD->getAttr<SectionAttr>())
      V.Section = SA->getName().str();
    if (const Expr *Init = VD->getInit()) {
      V.HasInit = true;
      BodyFacts Facts;
      Hasher->hashStmt(Init, Facts);
      V.InitHash = Facts.Full.value();
    }
    Out.Vars[V.key()] = std::move(V);
  }

  void flattenFields(const RecordDecl *RD, uint64_t Base, const std::string &Prefix,
                     const std::string &Rel, RecordSummary &R) {
    const ASTRecordLayout &L = Ctx->getASTRecordLayout(RD);
    for (const FieldDecl *FD : RD->fields()) {
      uint64_t Off = Base + L.getFieldOffset(FD->getFieldIndex());
      if (FD->isAnonymousStructOrUnion()) {
        if (const RecordDecl *Inner = FD->getType()->getAsRecordDecl())
          if (Inner->isCompleteDefinition() && !Inner->isInvalidDecl()) {
            flattenFields(Inner, Off, Prefix, Rel, R);
            continue;
          }
      }
      FieldSummary F;
      F.Name = Prefix + FD->getName().str();
      F.Type = Hasher->typeName(FD->getType());
      F.OffsetBits = Off;
      if (FD->isBitField())
        F.SizeBits = FD->getBitWidthValue(*Ctx);
      else if (!FD->getType()->isIncompleteType() && !FD->getType()->isDependentType())
        F.SizeBits = Ctx->getTypeSize(FD->getType());
      if (!Rel.empty()) {
        F.NameLoc = nameLoc(FD, Rel, nullptr);
        fieldDecl(FD, F);
      }
      R.Fields.push_back(std::move(F));
    }
  }

  void addRecord(const std::string &Name, const RecordDecl *RD, bool Interesting) {
    RecordSummary R;
    R.Name = Name;
    R.InFileOfInterest = Interesting;
    const std::string *Rel = interestingLoc(RD->getLocation());
    const NamedDecl *Named = RD;
    if (!RD->getIdentifier())
      if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl())
        Named = TD;
    if (Rel)
      R.NameLoc = nameLoc(Named, *Rel, nullptr);
    // Where a definition written at file scope starts and ends (the shadow fix adds code
    // after it).
    SourceLocation Close = RD->getBraceRange().getEnd();
    if (Rel && RD->getLexicalDeclContext()->isTranslationUnit() && Close.isFileID()) {
      SourceLocation Semi = semiAfter(Close.getLocWithOffset(1));
      if (Semi.isValid()) {
        R.TopLevel = true;
        R.DefStartLine = SM->getExpansionLineNumber(RD->getOuterLocStart()) - 1;
        R.DefEndLine = SM->getExpansionLineNumber(Semi) - 1;
      }
    }
    const ASTRecordLayout &L = Ctx->getASTRecordLayout(RD);
    R.Size = L.getSize().getQuantity();
    R.Align = L.getAlignment().getQuantity();
    flattenFields(RD, 0, "", Rel ? *Rel : std::string(), R);
    // Fields one macro declares together do not own their lines.
    for (FieldSummary &A : R.Fields)
      for (const FieldSummary &B : R.Fields)
        if (&A != &B && !B.DeclText.empty() && B.DeclStartLine <= A.DeclEndLine &&
            A.DeclStartLine <= B.DeclEndLine)
          A.OwnLines = false;
    Out.Records[Name] = std::move(R);
  }

  CompilerInstance &CI;
  FileClassifier &Files;
  std::shared_ptr<PPState> St;
  TuSummary &Out;
  SourceManager *SM = nullptr;
  const LangOptions *LangOpts = nullptr;
  ASTContext *Ctx = nullptr;
  BodyHasher *Hasher = nullptr;
  bool Preamble;
};

} // namespace

std::unique_ptr<ASTConsumer> makeSummaryConsumer(CompilerInstance &CI, FileClassifier &Files,
                                                 TuSummary &Out, const PreambleFacts *Preamble) {
  auto St = std::make_shared<PPState>();
  Preprocessor &PP = CI.getPreprocessor();
  auto T = std::make_unique<Tracker>(PP, Files, *St, Out);
  if (Preamble) {
    // The preamble's part of the parse comes first: as if this parse had just lexed it.
    FileID Main = CI.getSourceManager().getMainFileID();
    St->Uses[Main] = Preamble->MainMacroUses;
    T->setDepth(Main, Preamble->MainDepth);
    Files.Seen.insert(Preamble->FilesSeen.begin(), Preamble->FilesSeen.end());
    const TuSummary &P = Preamble->Main;
    Out.Includes.insert(P.Includes.begin(), P.Includes.end());
    Out.MultiLineSpans.insert(P.MultiLineSpans.begin(), P.MultiLineSpans.end());
    Out.Exports.insert(P.Exports.begin(), P.Exports.end());
    Out.Initcalls.insert(P.Initcalls.begin(), P.Initcalls.end());
    Out.InitcallLocs.insert(P.InitcallLocs.begin(), P.InitcallLocs.end());
  }
  PP.addCommentHandler(T.get()); // PP owns T through its callbacks
  PP.addPPCallbacks(std::move(T));
  return std::make_unique<Consumer>(CI, Files, St, Out, Preamble != nullptr);
}

struct PreambleRecorder::Impl {
  Impl(std::string Root, const std::string &MainFile, PreambleFacts &Facts)
      : Files(std::move(Root), {MainFile}), Facts(Facts) {}
  FileClassifier Files;
  PreambleFacts &Facts;
  PPState St;
  Tracker *T = nullptr; // owned by the preprocessor
};

PreambleRecorder::PreambleRecorder(std::string Root, const std::string &MainFile,
                                   PreambleFacts &Facts)
    : I(std::make_unique<Impl>(std::move(Root), MainFile, Facts)) {}

PreambleRecorder::~PreambleRecorder() = default;

std::unique_ptr<PPCallbacks> PreambleRecorder::makeCallbacks(Preprocessor &PP) {
  auto T = std::make_unique<Tracker>(PP, I->Files, I->St, I->Facts.Main);
  I->T = T.get();
  return T;
}

CommentHandler *PreambleRecorder::commentHandler() const { return I->T; }

void PreambleRecorder::finish(const SourceManager &SM) {
  FileID Main = SM.getMainFileID();
  auto It = I->St.Uses.find(Main);
  if (It != I->St.Uses.end())
    I->Facts.MainMacroUses = It->second;
  I->Facts.MainDepth = I->T ? I->T->depth(Main) : 0;
  I->Facts.FilesSeen = I->Files.Seen;
}

} // namespace klp::analysis
