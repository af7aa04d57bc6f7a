// Data-driven applier tests: tests/data/patch/apply/<case>.patch (one file) applied to
// <case>.orig (absent for a new file) must give <case>.patched, delete the file (<case>.deleted),
// or fail with the message in <case>.error. <case>.linemap lists line mappings, 0-based:
//   orig 4 -> patched 5
//   patched 5 -> orig 4
// which must hold both for the applied hunks' map and for LineMap::fromTexts.
#include "klp/error.h"
#include "klp/patch.h"
#include "patch_case_files.h"

#include <gtest/gtest.h>

namespace klp {
namespace {

class ApplyCase : public testing::TestWithParam<std::string> {};

void checkLineMap(const LineMap &Map, const std::string &Spec, const std::string &What) {
  std::istringstream In(Spec);
  std::string From, Arrow, To;
  unsigned Line, Expected;
  unsigned Checked = 0;
  while (In >> From >> Line >> Arrow >> To >> Expected) {
    ASSERT_EQ(Arrow, "->");
    if (From == "orig") {
      EXPECT_EQ(Map.toPatched(Line), Expected) << What << ": orig " << Line;
    } else {
      ASSERT_EQ(From, "patched");
      EXPECT_EQ(Map.toOriginal(Line), Expected) << What << ": patched " << Line;
    }
    ++Checked;
  }
  EXPECT_GT(Checked, 0u) << What << ": empty .linemap";
}

TEST_P(ApplyCase, MatchesExpected) {
  const std::string Case = GetParam();
  auto Dir = test::patchDataDir("apply");
  auto Text = test::readDataFile(Dir / (Case + ".patch"));
  ASSERT_TRUE(Text);
  auto Orig = test::readDataFile(Dir / (Case + ".orig"));
  auto Patched = test::readDataFile(Dir / (Case + ".patched"));
  auto Error = test::readDataFile(Dir / (Case + ".error"));
  bool Deleted = test::readDataFile(Dir / (Case + ".deleted")).has_value();
  ASSERT_EQ(Patched.has_value() + Error.has_value() + Deleted, 1)
      << Case << ": needs exactly one of .patched, .error, .deleted";

  Patch P = parsePatch(*Text, Case + ".patch");
  ASSERT_EQ(P.Files.size(), 1u);
  const FilePatch &FP = P.Files.front();
  std::string Source = FP.OldPath.empty() ? FP.NewPath : FP.OldPath;
  auto Read = [&](const std::string &Path) -> std::optional<std::string> {
    return Path == Source ? Orig : std::nullopt;
  };

  if (Error) {
    try {
      applyPatch(P, Read);
      ADD_FAILURE() << Case << ": applied, expected " << *Error;
    } catch (const klp::Error &E) {
      EXPECT_EQ(std::string(E.what()) + "\n", *Error);
    }
    return;
  }
  std::vector<FileChange> Changes = applyPatch(P, Read);
  ASSERT_EQ(Changes.size(), 1u);
  const FileChange &C = Changes.front();
  // A plain diff of "old/x.c" and "new/x.c" patches the one that exists.
  EXPECT_EQ(C.Path, FP.IsRename || FP.IsCopy ? FP.NewPath : Source);
  EXPECT_EQ(C.Original, Orig);
  EXPECT_EQ(C.Source, &FP);
  if (Deleted) {
    EXPECT_FALSE(C.Patched.has_value());
    return;
  }
  ASSERT_TRUE(C.Patched.has_value());
  EXPECT_EQ(*C.Patched, *Patched);
  // The plain entry point gives the same text.
  EXPECT_EQ(applyFilePatch(Orig.value_or(""), FP, P.Name), *Patched);
  if (auto Spec = test::readDataFile(Dir / (Case + ".linemap"))) {
    checkLineMap(C.Lines, *Spec, "applied hunks");
    checkLineMap(LineMap::fromTexts(Orig.value_or(""), *Patched), *Spec, "fromTexts");
  }
}

INSTANTIATE_TEST_SUITE_P(Data, ApplyCase, testing::ValuesIn(test::patchCases("apply")),
                         [](const auto &Info) { return test::testName(Info.param); });

TEST(ApplyCases, DirectoryHoldsTheCases) { EXPECT_GE(test::patchCases("apply").size(), 15u); }

} // namespace
} // namespace klp
