// applyPatch over several files (the data-driven cases cover one file each), stripComponents,
// and details of the parsed model the dumps do not show.
#include "klp/error.h"
#include "klp/patch.h"
#include "patch_case_files.h"

#include <gtest/gtest.h>

#include <map>

namespace klp {
namespace {

using Tree = std::map<std::string, std::string>;

FileReader reader(const Tree &T) {
  return [&T](const std::string &Path) -> std::optional<std::string> {
    auto It = T.find(Path);
    return It == T.end() ? std::nullopt : std::optional(It->second);
  };
}

std::string lines(const std::string &Prefix, int From, int To) {
  std::string S;
  for (int K = From; K <= To; ++K)
    S += Prefix + std::to_string(K) + "\n";
  return S;
}

std::string messageOf(const std::function<void()> &F) {
  try {
    F();
  } catch (const Error &E) {
    return E.what();
  }
  return "(no error)";
}

Patch dataPatch(const std::string &Case) {
  auto Text = test::readDataFile(test::patchDataDir("parse") / (Case + ".patch"));
  EXPECT_TRUE(Text) << Case;
  return parsePatch(Text.value_or(""), Case + ".patch");
}

TEST(ApplyPatch, GitMultiFile) {
  Patch P = dataPatch("git-multi-file");
  Tree T{{"fs/beta.c", "int beta(void)\n{\n\treturn 1;\n}\n\nint gamma(void)\n{\n\treturn 2;\n}\n"},
         {"lib/alpha.c", lines("line ", 1, 30)}};
  std::vector<FileChange> C = applyPatch(P, reader(T));
  ASSERT_EQ(C.size(), 2u);
  EXPECT_EQ(C[0].Path, "fs/beta.c");
  EXPECT_EQ(C[0].OldPath, "fs/beta.c");
  EXPECT_EQ(C[0].Original, T["fs/beta.c"]);
  EXPECT_EQ(C[0].Patched,
            "int beta(void)\n{\n\treturn 1;\n}\n\nint gamma(void)\n{\n\treturn 3;\n}\n");
  EXPECT_EQ(C[0].Source, &P.Files[0]);
  EXPECT_EQ(C[1].Path, "lib/alpha.c");
  EXPECT_EQ(C[1].Patched, lines("line ", 1, 4) + "line five\n" + lines("line ", 6, 24) +
                              "line twenty-five\nline 25b\n" + lines("line ", 26, 30));
  EXPECT_EQ(C[1].Lines.toPatched(29), 30u);
  EXPECT_EQ(C[1].Source, &P.Files[1]);
}

TEST(ApplyPatch, MissingFileNamesPatchAndFile) {
  Patch P = dataPatch("git-multi-file");
  Tree T{
      {"fs/beta.c", "int beta(void)\n{\n\treturn 1;\n}\n\nint gamma(void)\n{\n\treturn 2;\n}\n"}};
  EXPECT_EQ(messageOf([&] { applyPatch(P, reader(T)); }),
            "git-multi-file.patch: lib/alpha.c: not found in the tree");
}

TEST(ApplyPatch, NewAndDeletedFiles) {
  Patch P = dataPatch("diff-ruN"); // "diff -ruN a b": the a/ and b/ are stripped already
  Tree T{{"fs/mod.c", "one\ntwo\nthree\n"},
         {"fs/old.c", "gone 1\ngone 2\n"},
         {"fs/onlya.h", "only a\n"}};
  std::vector<FileChange> C = applyPatch(P, reader(T));
  ASSERT_EQ(C.size(), 4u);
  EXPECT_EQ(C[0].Path, "fs/mod.c");
  EXPECT_EQ(C[0].Patched, "one\n2\nthree\n");
  EXPECT_EQ(C[1].Path, "fs/new.c");
  EXPECT_EQ(C[1].Original, std::nullopt);
  EXPECT_EQ(C[1].Patched, "fresh 1\nfresh 2\nfresh 3\n");
  EXPECT_EQ(C[2].Path, "fs/old.c");
  EXPECT_EQ(C[2].Original, "gone 1\ngone 2\n");
  EXPECT_EQ(C[2].Patched, std::nullopt);
  EXPECT_EQ(C[3].Path, "fs/onlya.h");
  EXPECT_EQ(C[3].Patched, std::nullopt);
}

TEST(ApplyPatch, NewFileMayReplaceAnEmptyOne) {
  Patch P = dataPatch("diff-ruN");
  P.Files = {P.Files[1]};
  Tree T{{"fs/new.c", ""}};
  std::vector<FileChange> C = applyPatch(P, reader(T));
  ASSERT_EQ(C.size(), 1u);
  EXPECT_EQ(C[0].Original, "");
  EXPECT_EQ(C[0].Patched, "fresh 1\nfresh 2\nfresh 3\n");
}

TEST(ApplyPatch, RenamesAndCopies) {
  Patch P = dataPatch("git-rename");
  Tree T{{"lib/moved.c", lines("keep ", 1, 12)}, {"lib/renamed.c", lines("edit ", 1, 12)}};
  std::vector<FileChange> C = applyPatch(P, reader(T));
  ASSERT_EQ(C.size(), 2u);
  EXPECT_EQ(C[0].OldPath, "lib/moved.c");
  EXPECT_EQ(C[0].Path, "lib/moved-to.c");
  EXPECT_EQ(C[0].Original, C[0].Patched);
  EXPECT_EQ(C[1].OldPath, "lib/renamed.c");
  EXPECT_EQ(C[1].Path, "lib/renamed-to.c");
  EXPECT_EQ(C[1].Patched, lines("edit ", 1, 5) + "edited 6\n" + lines("edit ", 7, 12));

  T["lib/moved-to.c"] = "in the way\n";
  EXPECT_EQ(messageOf([&] { applyPatch(P, reader(T)); }),
            "git-rename.patch: lib/moved-to.c: rename target already exists in the tree");

  Patch Copy = dataPatch("git-copy");
  Tree Src{{"lib/source.c", lines("src ", 1, 10)}};
  C = applyPatch(Copy, reader(Src));
  ASSERT_EQ(C.size(), 1u);
  EXPECT_EQ(C[0].OldPath, "lib/source.c");
  EXPECT_EQ(C[0].Path, "lib/copied.c");
  EXPECT_EQ(C[0].Patched, lines("src ", 1, 2) + "copy 3\n" + lines("src ", 4, 10));
}

TEST(ApplyPatch, BinaryFilesAreSkipped) {
  Patch P = dataPatch("git-binary-then-text");
  Tree T{{"fs/tést.c", "caf\n"}};
  std::vector<FileChange> C = applyPatch(P, reader(T));
  ASSERT_EQ(C.size(), 1u);
  EXPECT_EQ(C[0].Path, "fs/tést.c");
  EXPECT_EQ(C[0].Patched, "café\n");
}

TEST(ApplyPatch, ModeChangeKeepsText) {
  Patch P = dataPatch("git-mode-change");
  Tree T{{"fs/script.sh", "#!/bin/sh\necho hi\n"}};
  std::vector<FileChange> C = applyPatch(P, reader(T));
  ASSERT_EQ(C.size(), 1u);
  EXPECT_EQ(C[0].Patched, "#!/bin/sh\necho hi\n");
  EXPECT_TRUE(C[0].Lines.isIdentity());
}

// Three commits in one mailbox: fs/beta.c is patched twice, fs/empty.h created empty.
TEST(ApplyPatch, SeriesCombinesChangesOfOneFile) {
  Patch P = dataPatch("mbox-series");
  Tree T{{"fs/beta.c", "int beta(void)\n{\n\treturn 1;\n}\n\nint gamma(void)\n{\n\treturn 2;\n}\n"},
         {"lib/alpha.c", lines("line ", 1, 30)}};
  std::vector<FileChange> C = applyPatch(P, reader(T));
  ASSERT_EQ(C.size(), 3u);
  EXPECT_EQ(C[0].Path, "lib/alpha.c");
  EXPECT_EQ(C[1].Path, "fs/beta.c");
  EXPECT_EQ(C[1].Original, T["fs/beta.c"]);
  EXPECT_EQ(C[1].Patched,
            "int beta(void)\n{\n\treturn 1;\n}\n\nint gamma(void)\n{\n\treturn 4;\n}\n");
  EXPECT_EQ(C[1].Source, &P.Files[2]); // the later entry
  EXPECT_EQ(C[1].Lines.toPatched(7), 7u);
  EXPECT_EQ(C[2].Path, "fs/empty.h");
  EXPECT_EQ(C[2].Original, std::nullopt);
  EXPECT_EQ(C[2].Patched, "");
}

TEST(ApplyPatch, HunkErrorCountsFromOne) {
  Patch P = dataPatch("omitted-counts");
  EXPECT_EQ(messageOf([&] { applyFilePatch("a\nb\nc\nd\ne\nf\nx\n", P.Files[0], P.Name); }),
            "omitted-counts.patch: lib/zero.c: hunk 3 (@@ -7 +7,0 @@) does not apply");
}

TEST(StripComponents, RemovesLeadingDirectories) {
  Patch P = dataPatch("quilt-index");
  stripComponents(P, 1);
  EXPECT_EQ(P.Files[0].OldPath, "fs/x.c");
  EXPECT_EQ(P.Files[0].NewPath, "fs/x.c");
  EXPECT_EQ(messageOf([&] { stripComponents(P, 2); }),
            "quilt-index.patch: cannot strip 2 leading components from 'fs/x.c'");
}

TEST(StripComponents, LeavesAbsentSidesEmpty) {
  Patch P = dataPatch("git-new-deleted");
  stripComponents(P, 1);
  EXPECT_EQ(P.Files[0].OldPath, "");
  EXPECT_EQ(P.Files[0].NewPath, "born.c");
  EXPECT_EQ(P.Files[1].OldPath, "doomed.c");
  EXPECT_EQ(P.Files[1].NewPath, "");
}

TEST(ParsePatch, FileAccessors) {
  Patch P = dataPatch("git-new-deleted");
  ASSERT_EQ(P.Files.size(), 2u);
  EXPECT_EQ(P.Name, "git-new-deleted.patch");
  EXPECT_EQ(P.Files[0].path(), "fs/born.c");
  EXPECT_EQ(P.Files[1].path(), "fs/doomed.c");
}

} // namespace
} // namespace klp
