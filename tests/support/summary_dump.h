// Every field of a TuSummary (and a parse's errors), or of a CheckResult, as text, one fact a
// line: two parses or checks that must agree are compared through this (a difference shows as a
// line diff).
#pragma once
#include "klp/analysis/check.h"
#include "klp/analysis/summary.h"

#include <sstream>
#include <string>
#include <vector>

namespace klp::testing {

inline std::string dumpLoc(const analysis::Loc &L) {
  return L.File + ":" + std::to_string(L.Where.Start.Line) + ":" +
         std::to_string(L.Where.Start.Character) + "-" + std::to_string(L.Where.End.Line) + ":" +
         std::to_string(L.Where.End.Character);
}

template <class C> std::string dumpSet(const C &S) {
  std::string R = "{";
  for (const auto &X : S)
    R += (R.size() > 1 ? "," : "") + X;
  return R + "}";
}

inline std::string dumpSummary(const analysis::TuSummary &S,
                               const std::vector<std::string> &Errors = {}) {
  std::ostringstream O;
  O << "main " << S.MainFile << "\n";
  for (const auto &[N, F] : S.Functions) {
    O << "function " << N << " name=" << F.Name << " at=" << dumpLoc(F.NameLoc)
      << " body=" << F.BodyStartLine << "-" << F.EndLine << " type=" << F.Type
      << " static=" << F.IsStatic << " inline=" << F.IsInline << " always=" << F.AlwaysInline
      << " noinline=" << F.NoInline << " notrace=" << F.NoTrace << " section=" << F.Section
      << " macro=" << F.DefiningMacro << " tok=" << F.TokenHash << " sem=" << F.SemHash
      << " semnoline=" << F.SemHashNoLine << " callees=" << dumpSet(F.Callees)
      << " tracepoints=" << dumpSet(F.Tracepoints) << " records=" << dumpSet(F.Records)
      << " statics=" << dumpSet(F.StaticLocals) << " macros=" << dumpSet(F.Macros)
      << " sleeploop=" << F.SleepingInfiniteLoop << " stmts=" << F.Statements
      << " inlinetok=" << dumpLoc(F.InlineToken) << " rettype=" << dumpLoc(F.ReturnTypeStart)
      << "\n";
    for (const analysis::LineUse &U : F.LineUses)
      O << "  line-use " << U.Macro << " " << U.Line << "\n";
  }
  for (const auto &[N, R] : S.Records) {
    O << "record " << N << " name=" << R.Name << " at=" << dumpLoc(R.NameLoc) << " size=" << R.Size
      << " align=" << R.Align << " interest=" << R.InFileOfInterest << " top=" << R.TopLevel
      << " def=" << R.DefStartLine << "-" << R.DefEndLine << "\n";
    for (const analysis::FieldSummary &F : R.Fields)
      O << "  field " << F.Name << " type=" << F.Type << " off=" << F.OffsetBits
        << " size=" << F.SizeBits << " at=" << dumpLoc(F.NameLoc) << " decl=" << F.DeclText
        << " lines=" << F.DeclStartLine << "-" << F.DeclEndLine << " own=" << F.OwnLines << "\n";
  }
  for (const auto &[K, V] : S.Vars)
    O << "var " << K << " name=" << V.Name << " owner=" << V.Owner << " at=" << dumpLoc(V.NameLoc)
      << " type=" << V.Type << " static=" << V.IsStatic << " init=" << V.HasInit << "/"
      << V.InitHash << " section=" << V.Section << "\n";
  for (const auto &[N, L] : S.Exports)
    O << "export " << N << " " << dumpLoc(L) << "\n";
  for (const std::string &K : S.KthreadFunctions)
    O << "kthread " << K << "\n";
  for (const std::string &I : S.Initcalls)
    O << "initcall " << I << "\n";
  for (const auto &[I, L] : S.InitcallLocs)
    O << "initcall-at " << I << " " << dumpLoc(L) << "\n";
  for (const std::string &F : S.FilesSeen)
    O << "seen " << F << "\n";
  for (const auto &[F, Lines] : S.Includes)
    for (const analysis::IncludeLine &I : Lines)
      O << "include " << F << " " << I.Name << " line=" << I.Line << " depth=" << I.Depth << "\n";
  for (const auto &[F, Spans] : S.MultiLineSpans)
    for (const analysis::LineSpan &Sp : Spans)
      O << "span " << F << " " << Sp.First << "-" << Sp.Last << "\n";
  for (const std::string &E : Errors)
    O << "error " << E << "\n";
  return O.str();
}

inline std::string dumpRange(const Range &R) {
  return std::to_string(R.Start.Line) + ":" + std::to_string(R.Start.Character) + "-" +
         std::to_string(R.End.Line) + ":" + std::to_string(R.End.Character);
}

inline std::string dumpCheck(const analysis::CheckResult &R) {
  std::ostringstream O;
  for (const Finding &F : R.Result.Findings) {
    O << F.Rule << " " << severityName(F.Sev) << " " << F.File << ":" << dumpRange(F.Where) << " "
      << F.Symbol << " " << F.Message << "\n";
    for (const RelatedLocation &L : F.Related)
      O << "  related " << L.File << ":" << dumpRange(L.Where) << " " << L.Message << "\n";
    for (const Fix &X : F.Fixes)
      for (const TextEdit &E : X.Edits)
        O << "  fix " << X.Title << " " << E.File << ":" << dumpRange(E.Where) << " [" << E.NewText
          << "]\n";
    if (!F.Detail.empty())
      O << "  detail " << F.Detail << "\n";
  }
  for (const FunctionChange &F : R.Result.Functions)
    O << "function " << F.Name << " " << F.File << ":" << dumpRange(F.Where) << " " << F.Status
      << "\n";
  for (const analysis::ParseFailure &F : R.Failures)
    O << "failure " << F.File << (F.PatchedSide ? " patched " : " original ")
      << dumpSet(F.Diagnostics) << "\n";
  O << "verdict " << R.Result.verdict() << " genksyms " << R.SymbolVersionRuns << "\n";
  return O.str();
}

} // namespace klp::testing
