// Several PATCH arguments form a series: each applies on top of the previous result.
#include "cli/patch_series.h"
#include "klp/error.h"
#include <gtest/gtest.h>
#include <map>

using namespace klp;
using klp::cli::applySeries;

namespace {

const std::map<std::string, std::string> Tree = {
    {"a.c", "l1\nl2\nl3\nl4\nl5\nl6\n"},
    {"b.c", "b1\nb2\n"},
};

std::optional<std::string> readTree(const std::string &Path) {
  auto It = Tree.find(Path);
  if (It == Tree.end())
    return std::nullopt;
  return It->second;
}

std::vector<Patch> series(std::initializer_list<std::string> Texts) {
  std::vector<Patch> Out;
  unsigned N = 0;
  for (const std::string &T : Texts)
    Out.push_back(parsePatch(T, std::to_string(++N) + ".patch"));
  return Out;
}

// "path<-oldpath: original => patched" with "-" for a missing side.
std::string describe(const FileChange &C) {
  return C.Path + "<-" + C.OldPath + ": " + (C.Original ? *C.Original : "-") + " => " +
         (C.Patched ? *C.Patched : "-");
}

const std::string ChangeL2 = "--- a/a.c\n+++ b/a.c\n@@ -1,3 +1,3 @@\n l1\n-l2\n+L2\n l3\n";
const std::string RevertL2 = "--- a/a.c\n+++ b/a.c\n@@ -1,3 +1,3 @@\n l1\n-L2\n+l2\n l3\n";
const std::string InsertAfterL4 = "--- a/a.c\n+++ b/a.c\n@@ -3,4 +3,6 @@\n l3\n l4\n+n1\n+n2\n"
                                  " l5\n l6\n";
const std::string ChangeB = "--- a/b.c\n+++ b/b.c\n@@ -1,2 +1,2 @@\n-b1\n+B1\n b2\n";

TEST(PatchSeries, OnePatchIsApplyPatch) {
  std::vector<Patch> P = series({ChangeL2 + ChangeB});
  std::vector<FileChange> Got = applySeries(P, readTree);
  ASSERT_EQ(Got.size(), 2u);
  EXPECT_EQ(describe(Got[0]), "a.c<-a.c: l1\nl2\nl3\nl4\nl5\nl6\n => l1\nL2\nl3\nl4\nl5\nl6\n");
  EXPECT_EQ(describe(Got[1]), "b.c<-b.c: b1\nb2\n => B1\nb2\n");
  EXPECT_EQ(Got[0].Source, &P[0].Files[0]);
  EXPECT_EQ(Got[1].Source, &P[0].Files[1]);
}

TEST(PatchSeries, SameFileTwice) {
  std::vector<Patch> P = series({ChangeL2, InsertAfterL4});
  std::vector<FileChange> Got = applySeries(P, readTree);
  ASSERT_EQ(Got.size(), 1u);
  EXPECT_EQ(describe(Got[0]),
            "a.c<-a.c: l1\nl2\nl3\nl4\nl5\nl6\n => l1\nL2\nl3\nl4\nn1\nn2\nl5\nl6\n");
  EXPECT_EQ(Got[0].Source, nullptr); // no single FilePatch describes both
  EXPECT_EQ(Got[0].Lines.toPatched(0), 0u);
  EXPECT_EQ(Got[0].Lines.toPatched(1), 1u); // l2 -> L2
  EXPECT_EQ(Got[0].Lines.toPatched(4), 6u); // l5 moved down by the insertion
  EXPECT_EQ(Got[0].Lines.toOriginal(7), 5u);
}

TEST(PatchSeries, DifferentFilesKeepTheirSource) {
  std::vector<Patch> P = series({ChangeL2, ChangeB});
  std::vector<FileChange> Got = applySeries(P, readTree);
  ASSERT_EQ(Got.size(), 2u);
  EXPECT_EQ(Got[0].Path, "a.c");
  EXPECT_EQ(Got[0].Source, &P[0].Files[0]);
  EXPECT_EQ(Got[1].Path, "b.c");
  EXPECT_EQ(Got[1].Source, &P[1].Files[0]);
}

TEST(PatchSeries, RevertedChangeDisappears) {
  std::vector<FileChange> Got = applySeries(series({ChangeL2, ChangeB, RevertL2}), readTree);
  ASSERT_EQ(Got.size(), 1u);
  EXPECT_EQ(Got[0].Path, "b.c");
}

TEST(PatchSeries, RenameThenModify) {
  std::string Rename = "diff --git a/b.c b/c.c\nsimilarity index 100%\nrename from b.c\n"
                       "rename to c.c\n";
  std::string ModifyC = "--- a/c.c\n+++ b/c.c\n@@ -1,2 +1,2 @@\n b1\n-b2\n+B2\n";
  std::vector<FileChange> Got = applySeries(series({Rename, ModifyC}), readTree);
  ASSERT_EQ(Got.size(), 1u);
  EXPECT_EQ(describe(Got[0]), "c.c<-b.c: b1\nb2\n => b1\nB2\n");
}

TEST(PatchSeries, NewFileThenModify) {
  std::string Create = "--- /dev/null\n+++ b/n.c\n@@ -0,0 +1,2 @@\n+n1\n+n2\n";
  std::string Modify = "--- a/n.c\n+++ b/n.c\n@@ -1,2 +1,2 @@\n n1\n-n2\n+N2\n";
  std::vector<FileChange> Got = applySeries(series({Create, Modify}), readTree);
  ASSERT_EQ(Got.size(), 1u);
  EXPECT_EQ(describe(Got[0]), "n.c<-n.c: - => n1\nN2\n");
}

TEST(PatchSeries, ModifyThenDelete) {
  std::string Delete = "--- a/b.c\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-B1\n-b2\n";
  std::vector<FileChange> Got = applySeries(series({ChangeB, Delete}), readTree);
  ASSERT_EQ(Got.size(), 1u);
  EXPECT_EQ(describe(Got[0]), "b.c<-b.c: b1\nb2\n => -");
}

// The second patch was written against the tree, not against the first patch's result.
TEST(PatchSeries, LaterPatchMustApplyOnTopOfEarlierOnes) {
  try {
    applySeries(series({ChangeL2, ChangeL2}), readTree);
    FAIL() << "the second patch applied";
  } catch (const Error &E) {
    EXPECT_STREQ(E.what(), "2.patch: a.c: hunk 1 (@@ -1,3 +1,3 @@) does not apply");
  }
}

} // namespace
