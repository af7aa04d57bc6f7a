// The Markdown details (Finding::Detail) of the rules that explain themselves on hover, for
// rule cases of tests/data/analysis.
#include "analysis_case.h"
#include "data_cases.h"
#include <gtest/gtest.h>

using namespace klp;

namespace {

// The detail of the finding of Rule about Symbol in the case.
std::string detailOf(const std::string &Case, const std::string &Rule, const std::string &Symbol) {
  std::filesystem::path Dir = std::filesystem::path(KLP_TEST_DATA) / "data" / "analysis";
  analysis::CheckResult R = klp::testing::analyzeCase(
      klp::testing::parseAnalysisCase(klp::testing::readFile(Dir / (Case + ".test"))));
  for (const Finding &F : R.Result.Findings)
    if (F.Rule == Rule && F.Symbol == Symbol)
      return F.Detail;
  ADD_FAILURE() << "no " << Rule << " finding for " << Symbol << " in " << Case;
  return "";
}

TEST(FindingDetail, LayoutTableMarksAddedAndMovedFields) {
  EXPECT_EQ(
      detailOf("struct-layout-change-shadow-field-middle", "struct-layout-change", "struct conn"),
      "`struct conn`: 16 -> 32 bytes\n\n"
      "| field | type | old offset | old size | new offset | new size | change |\n"
      "|---|---|---|---|---|---|---|\n"
      "| `id` | `int` | 0 | 4 | 0 | 4 |  |\n"
      "| `last_error` | `struct conn::(unnamed)` |  |  | 8 | 16 | added |\n"
      "| `bytes` | `long` | 8 | 8 | 24 | 8 | moved |\n");
}

TEST(FindingDetail, LayoutTableShowsBitsAndRemovedFields) {
  EXPECT_EQ(
      detailOf("struct-layout-change-bitfield-width", "struct-layout-change", "struct mode_reg"),
      "`struct mode_reg`: 4 -> 4 bytes\n\n"
      "| field | type | old offset | old size | new offset | new size | change |\n"
      "|---|---|---|---|---|---|---|\n"
      "| `mode` | `unsigned int` | 0 | 3 bits | 0 | 4 bits | size changed |\n"
      "| `flags` | `unsigned int` | bit 3 | 5 bits | bit 4 | 5 bits | moved |\n");
}

TEST(FindingDetail, ChangedFunctionShowsThePrototypeChange) {
  EXPECT_EQ(detailOf("signature-change-prototype", "changed-function", "scale"),
            "`scale`\n\n"
            "- prototype: `int (int)` -> `long (long)`\n"
            "- linkage: global\n"
            "- inlining: left to the compiler\n");
  EXPECT_EQ(detailOf("struct-layout-change-shadow-field-middle", "changed-function", "conn_bytes"),
            "`conn_bytes`\n\n"
            "- prototype: `long (struct conn *)` (unchanged)\n"
            "- linkage: global\n"
            "- inlining: left to the compiler\n"
            "- its own text is unchanged: it changes through a macro, type or inline function it "
            "uses\n");
}

TEST(FindingDetail, InlineCallersListsWhereTheCodeGoes) {
  EXPECT_EQ(detailOf("syscall-wrapper-define", "inline-callers", "__do_sys_setlevel"),
            "`__do_sys_setlevel` is inline; its code is compiled into:\n\n"
            "- `__se_sys_setlevel` (main.c:15)\n"
            "- `__x64_sys_setlevel` (main.c:15), through inlined `__se_sys_setlevel`\n");
}

TEST(FindingDetail, LineShiftListsEachUseWithBothLines) {
  EXPECT_EQ(detailOf("line-macro-shift-two-blocks", "line-macro-shift", "second"),
            "`__LINE__` uses of `second`:\n\n"
            "| use | original line | patched line |\n"
            "|---|---|---|\n"
            "| `WARN_ON` | 11 | 13 |\n");
}

} // namespace
