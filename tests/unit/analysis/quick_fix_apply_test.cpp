// Applies the quick fixes of the analysis to the patched sources of rule cases and analyses the
// result again: the fixed code must compile and the finding the fix is for must be gone, with
// every other finding unchanged.
#include "analysis_case.h"
#include "data_cases.h"
#include <gtest/gtest.h>

namespace fs = std::filesystem;
using namespace klp;

namespace {

// What the re-analysis needs from the kernel: the shadow variable API (with the pinned tree's
// prototypes) and the attributes the fixes write.
constexpr const char *LivepatchStub = R"(typedef unsigned long size_t;
typedef unsigned int gfp_t;
#define NULL ((void *)0)
#define GFP_ATOMIC ((gfp_t)0x20u)
typedef int (*klp_shadow_ctor_t)(void *obj, void *shadow_data, void *ctor_data);
typedef void (*klp_shadow_dtor_t)(void *obj, void *shadow_data);
void *klp_shadow_get_or_alloc(void *obj, unsigned long id, size_t size, gfp_t gfp_flags,
			      klp_shadow_ctor_t ctor, void *ctor_data);
void klp_shadow_free(void *obj, unsigned long id, klp_shadow_dtor_t dtor);
)";

std::string applyEdits(const std::string &Text, std::vector<TextEdit> Edits) {
  std::vector<size_t> Starts{0};
  for (size_t I = 0; I < Text.size(); ++I)
    if (Text[I] == '\n')
      Starts.push_back(I + 1);
  auto Offset = [&](Position P) {
    return P.Line < Starts.size() ? std::min(Text.size(), Starts[P.Line] + P.Character)
                                  : Text.size();
  };
  std::sort(Edits.begin(), Edits.end(),
            [](const TextEdit &A, const TextEdit &B) { return B.Where.Start < A.Where.Start; });
  std::string Out = Text;
  for (const TextEdit &E : Edits)
    Out.replace(Offset(E.Where.Start), Offset(E.Where.End) - Offset(E.Where.Start), E.NewText);
  return Out;
}

// The case with every file of the fix edited on its patched side.
klp::testing::AnalysisCase applyFix(klp::testing::AnalysisCase C, const Fix &X) {
  std::map<std::string, std::vector<TextEdit>> ByFile;
  for (const TextEdit &E : X.Edits)
    ByFile[E.File].push_back(E);
  for (const auto &[File, Edits] : ByFile) {
    EXPECT_TRUE(C.Patched.count(File)) << "fix edits " << File << ", which is not in the case";
    C.Patched[File] = applyEdits(C.Patched[File], Edits);
  }
  return C;
}

std::multiset<std::string> findingKeys(const analysis::CheckResult &R) {
  std::multiset<std::string> Keys;
  for (const Finding &F : R.Result.Findings)
    Keys.insert(F.Rule + " " + F.Symbol);
  return Keys;
}

std::multiset<std::string> functionKeys(const analysis::CheckResult &R) {
  std::multiset<std::string> Keys;
  for (const FunctionChange &F : R.Result.Functions)
    Keys.insert(F.Name + " " + F.Status);
  return Keys;
}

struct FixCase {
  const char *Case;
  const char *Rule;
};

class QuickFixApplies : public ::testing::TestWithParam<FixCase> {};

TEST_P(QuickFixApplies, RemovesItsFindingAndCompiles) {
  const FixCase &P = GetParam();
  fs::path Dir = fs::path(KLP_TEST_DATA) / "data" / "analysis";
  klp::testing::AnalysisCase C = klp::testing::parseAnalysisCase(
      klp::testing::readFile(Dir / (std::string(P.Case) + ".test")));
  ASSERT_FALSE(C.Order.empty());
  C.Order.push_back("linux/livepatch.h");
  C.Orig["linux/livepatch.h"] = C.Patched["linux/livepatch.h"] = LivepatchStub;
  C.ExtraArgs.push_back("-Dnoinline=__attribute__((__noinline__))");
  C.ExtraArgs.push_back("-D__maybe_unused=__attribute__((__unused__))");
  analysis::CheckResult Before = klp::testing::analyzeCase(C);
  ASSERT_TRUE(Before.Failures.empty());

  size_t Fixes = 0;
  for (const Finding &F : Before.Result.Findings) {
    if (F.Rule != P.Rule)
      continue;
    for (const Fix &X : F.Fixes) {
      ++Fixes;
      SCOPED_TRACE(X.Title);
      analysis::CheckResult After = klp::testing::analyzeCase(applyFix(C, X));
      ASSERT_TRUE(After.Failures.empty())
          << "the fixed code does not compile: " << After.Failures[0].Diagnostics[0];
      std::multiset<std::string> Findings = findingKeys(Before), Functions = functionKeys(Before);
      std::string Rule = P.Rule;
      if (Rule == "struct-layout-change") {
        // One fix per added field: the finding stays until the last added field moved out.
        // The fix adds the shadow variable's two helpers.
        // With the old layout back, functions that changed only through it (their own text
        // did not) stop changing.
        if (F.Fixes.size() == 1) {
          Findings.erase(Findings.find(Rule + " " + F.Symbol));
          for (const Finding &B : Before.Result.Findings)
            if (B.Rule == "changed-function" &&
                B.Message.find("its own text is unchanged") != std::string::npos) {
              Findings.erase(Findings.find(B.Rule + " " + B.Symbol));
              Functions.erase(Functions.find(B.Symbol + " changed"));
            }
        }
        std::string Field = X.Title.substr(6, X.Title.find('\'', 6) - 6);
        std::string Prefix = F.Symbol.substr(F.Symbol.find(' ') + 1) + "_klp_" + Field;
        for (const char *Suffix : {"_get", "_free"}) {
          Findings.insert("new-function " + Prefix + Suffix);
          Functions.insert(Prefix + Suffix + " new");
        }
        for (const Finding &A : After.Result.Findings) {
          if (A.Rule == Rule && A.Symbol == F.Symbol) {
            EXPECT_EQ(F.Fixes.size() - 1, A.Fixes.size());
          }
        }
      } else if (Rule == "line-macro-shift") {
        for (const FunctionChange &FC : Before.Result.Functions)
          if (FC.Status == "line-shift")
            Functions.erase(FC.Name + " line-shift");
        for (const Finding &B : Before.Result.Findings)
          if (B.Rule == Rule)
            Findings.erase(Rule + " " + B.Symbol);
        // A patch that only shifted lines no longer changes anything.
        if (Findings.empty())
          Findings.insert("no-functional-change ");
      } else {
        // noinline (inline-callers, always-on-stack through an inlined caller): the function
        // still changes, its callers stop carrying its code.
        Rule = "inline-callers";
        Findings.erase(Rule + " " + F.Symbol);
        for (const Finding &B : Before.Result.Findings)
          if (B.Rule == "always-on-stack" && B.Symbol == F.Symbol &&
              B.Message.find("' is inlined into '") != std::string::npos)
            Findings.erase(Findings.find(B.Rule + " " + B.Symbol));
        for (const FunctionChange &FC : Before.Result.Functions)
          if (FC.Status == "inline-caller")
            Functions.erase(FC.Name + " inline-caller");
      }
      EXPECT_EQ(Findings, findingKeys(After));
      EXPECT_EQ(Functions, functionKeys(After));
    }
  }
  EXPECT_GT(Fixes, 0u) << "no " << P.Rule << " fix in case " << P.Case;
}

INSTANTIATE_TEST_SUITE_P(
    Rules, QuickFixApplies,
    ::testing::Values(FixCase{"struct-layout-change-shadow-field-end", "struct-layout-change"},
                      FixCase{"struct-layout-change-shadow-field-middle", "struct-layout-change"},
                      FixCase{"struct-layout-change-shadow-header", "struct-layout-change"},
                      FixCase{"header-struct-layout", "struct-layout-change"},
                      FixCase{"struct-layout-change-union", "struct-layout-change"},
                      FixCase{"line-macro-shift", "line-macro-shift"},
                      FixCase{"line-macro-shift-nested-macro", "line-macro-shift"},
                      FixCase{"line-macro-shift-two-blocks", "line-macro-shift"},
                      FixCase{"line-macro-shift-comment-above", "line-macro-shift"},
                      FixCase{"line-macro-shift-inside-comment", "line-macro-shift"},
                      FixCase{"line-macro-shift-inside-define", "line-macro-shift"},
                      FixCase{"inline-callers-inline", "inline-callers"},
                      FixCase{"inline-callers-always-inline", "inline-callers"},
                      FixCase{"inline-callers-static-single-caller", "inline-callers"},
                      FixCase{"header-static-inline", "inline-callers"},
                      FixCase{"always-on-stack-inlined-into-kthread", "inline-callers"},
                      FixCase{"always-on-stack-inlined-into-kthread", "always-on-stack"},
                      FixCase{"header-static-always-inline", "inline-callers"}),
    [](const ::testing::TestParamInfo<FixCase> &Info) {
      std::string N = std::string(Info.param.Case) + "_" + Info.param.Rule;
      for (char &Ch : N)
        if (!std::isalnum(static_cast<unsigned char>(Ch)))
          Ch = '_';
      return N;
    });

} // namespace
