// The shadow-variable quick fix on real kernel code: a field added to kernel/acct.c's
// struct bsd_acct_struct is moved into a shadow variable, and the fixed file compiles with the
// kernel's flags (klp_shadow_get_or_alloc as the pinned include/linux/livepatch.h declares it)
// with the struct's layout back to the original.
#include "../kbuild/kernel_tree_fixture.h"

#include "klp/analysis/check.h"

#include <algorithm>

using namespace klp;

namespace {

const std::string Path = "kernel/acct.c";

std::string applyEdits(const std::string &Text, std::vector<TextEdit> Edits) {
  std::vector<size_t> Starts{0};
  for (size_t I = 0; I < Text.size(); ++I)
    if (Text[I] == '\n')
      Starts.push_back(I + 1);
  auto Offset = [&](Position P) { return Starts.at(P.Line) + P.Character; };
  std::sort(Edits.begin(), Edits.end(),
            [](const TextEdit &A, const TextEdit &B) { return B.Where.Start < A.Where.Start; });
  std::string Out = Text;
  for (const TextEdit &E : Edits)
    Out.replace(Offset(E.Where.Start), Offset(E.Where.End) - Offset(E.Where.Start), E.NewText);
  return Out;
}

const Finding *find(const analysis::CheckResult &R, const std::string &Rule) {
  for (const Finding &F : R.Result.Findings)
    if (F.Rule == Rule)
      return &F;
  return nullptr;
}

std::string rules(const analysis::CheckResult &R) {
  std::string S;
  for (const Finding &F : R.Result.Findings)
    S += F.Rule + " " + F.Symbol + "\n";
  return S;
}

} // namespace

TEST(ShadowFixKernel, AcctFieldMovesToAShadowVariableAndCompiles) {
  KLP_REQUIRE_KERNEL_TREE();
  std::string Orig = test::treeText(Path);
  const std::string Last = "\tacct_t\t\t\tac;\n};\n";
  size_t At = Orig.find(Last);
  ASSERT_NE(At, std::string::npos);
  std::string Patched = Orig;
  Patched.insert(At + Last.size() - 3, "\tunsigned long\t\tdropped;\n");

  analysis::CheckResult R =
      analysis::checkChanges(test::pinnedTree(), {test::bufferChange(Path, Patched)});
  ASSERT_TRUE(R.Failures.empty()) << rules(R);
  const Finding *Layout = find(R, "struct-layout-change");
  ASSERT_NE(Layout, nullptr) << rules(R);
  EXPECT_EQ(Layout->Symbol, "struct bsd_acct_struct");
  EXPECT_EQ(Layout->Where, (Range{{114, 16}, {114, 23}}));
  ASSERT_EQ(Layout->Fixes.size(), 1u);
  const Fix &X = Layout->Fixes[0];
  EXPECT_EQ(X.Title, "Move 'dropped' into a shadow variable");
  ASSERT_EQ(X.Edits.size(), 3u);
  // After the last #include (line 64), the field's own line, after the struct's "};".
  EXPECT_EQ(X.Edits[0].File, Path);
  EXPECT_EQ(X.Edits[0].Where, (Range{{64, 0}, {64, 0}}));
  EXPECT_EQ(X.Edits[0].NewText, "#include <linux/livepatch.h>\n");
  EXPECT_EQ(X.Edits[1].Where, (Range{{114, 0}, {115, 0}}));
  EXPECT_EQ(X.Edits[1].NewText, "");
  EXPECT_EQ(X.Edits[2].Where, (Range{{116, 0}, {116, 0}}));
  EXPECT_NE(X.Edits[2].NewText.find("struct bsd_acct_struct_klp_dropped {\n"
                                    "\tunsigned long\t\tdropped;\n};\n"),
            std::string::npos);
  EXPECT_NE(X.Edits[2].NewText.find("static struct bsd_acct_struct_klp_dropped *"
                                    "bsd_acct_struct_klp_dropped_get(struct bsd_acct_struct *obj)"),
            std::string::npos);
  EXPECT_NE(Layout->Detail.find("| `dropped` | `unsigned long` |  |  | "), std::string::npos)
      << Layout->Detail;

  std::string Fixed = applyEdits(Patched, X.Edits);
  analysis::CheckResult After =
      analysis::checkChanges(test::pinnedTree(), {test::bufferChange(Path, Fixed)});
  EXPECT_TRUE(After.Failures.empty())
      << (After.Failures.empty() ? "" : After.Failures[0].Diagnostics[0]);
  EXPECT_EQ(find(After, "compile-error"), nullptr) << rules(After);
  EXPECT_EQ(find(After, "struct-layout-change"), nullptr) << rules(After);
  // What remains is the scaffold itself: two new helpers.
  EXPECT_EQ(rules(After), "new-function bsd_acct_struct_klp_dropped_get\n"
                          "new-function bsd_acct_struct_klp_dropped_free\n");
}
