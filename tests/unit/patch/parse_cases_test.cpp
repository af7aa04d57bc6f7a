// Data-driven parser tests: tests/data/patch/parse/<case>.patch is parsed (named
// "<case>.patch") and dumped; the dump, or "error: MESSAGE", must equal <case>.expected.
#include "klp/error.h"
#include "klp/patch.h"
#include "patch_case_files.h"

#include <gtest/gtest.h>

namespace klp {
namespace {

// Shows '\r' and '\' escaped so CRLF content is visible in the .expected files.
std::string escaped(const std::string &S) {
  std::string Out;
  for (char C : S) {
    if (C == '\\')
      Out += "\\\\";
    else if (C == '\r')
      Out += "\\r";
    else
      Out += C;
  }
  return Out;
}

std::string dump(const Patch &P) {
  std::ostringstream S;
  for (const FilePatch &FP : P.Files) {
    S << "file line=" << FP.PatchLineNo << " old='" << FP.OldPath << "' new='" << FP.NewPath << "'";
    for (auto [Set, Flag] : {std::pair{FP.IsNew, "new"},
                             {FP.IsDeleted, "deleted"},
                             {FP.IsRename, "rename"},
                             {FP.IsCopy, "copy"},
                             {FP.IsBinary, "binary"}})
      if (Set)
        S << " " << Flag;
    if (!FP.OldMode.empty())
      S << " old-mode=" << FP.OldMode;
    if (!FP.NewMode.empty())
      S << " new-mode=" << FP.NewMode;
    S << "\n";
    for (const Hunk &H : FP.Hunks) {
      S << "hunk line=" << H.PatchLineNo << " -" << H.OldStart << "," << H.OldCount << " +"
        << H.NewStart << "," << H.NewCount << " header='" << H.Header << "'";
      if (H.OldNoNewlineAtEnd)
        S << " old-no-newline";
      if (H.NewNoNewlineAtEnd)
        S << " new-no-newline";
      S << "\n";
      for (const PatchLine &L : H.Lines)
        S << L.Kind << "|" << escaped(L.Text) << "\n";
    }
  }
  return S.str();
}

class ParseCase : public testing::TestWithParam<std::string> {};

TEST_P(ParseCase, MatchesExpected) {
  const std::string Case = GetParam();
  auto Text = test::readDataFile(test::patchDataDir("parse") / (Case + ".patch"));
  auto Expected = test::readDataFile(test::patchDataDir("parse") / (Case + ".expected"));
  ASSERT_TRUE(Text && Expected) << Case;
  std::string Actual;
  try {
    Actual = dump(parsePatch(*Text, Case + ".patch"));
  } catch (const Error &E) {
    Actual = std::string("error: ") + E.what() + "\n";
  }
  EXPECT_EQ(Actual, *Expected);
}

INSTANTIATE_TEST_SUITE_P(Data, ParseCase, testing::ValuesIn(test::patchCases("parse")),
                         [](const auto &Info) { return test::testName(Info.param); });

// Guards against the directory going missing: the suite above would then run nothing.
TEST(ParseCases, DirectoryHoldsTheCases) { EXPECT_GE(test::patchCases("parse").size(), 25u); }

} // namespace
} // namespace klp
