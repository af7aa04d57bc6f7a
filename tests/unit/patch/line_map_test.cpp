// LineMap built from hunks (stated positions) and from two texts (libgit2 line diff).
#include "klp/patch.h"

#include <gtest/gtest.h>

namespace klp {
namespace {

Hunk hunk(unsigned OldStart, unsigned OldCount, unsigned NewStart, unsigned NewCount,
          std::string_view Kinds) {
  Hunk H;
  H.OldStart = OldStart;
  H.OldCount = OldCount;
  H.NewStart = NewStart;
  H.NewCount = NewCount;
  for (char K : Kinds)
    H.Lines.push_back({K, "x"});
  return H;
}

TEST(LineMap, DefaultIsIdentity) {
  LineMap M;
  EXPECT_TRUE(M.isIdentity());
  EXPECT_EQ(M.toPatched(0), 0u);
  EXPECT_EQ(M.toPatched(41), 41u);
  EXPECT_EQ(M.toOriginal(41), 41u);
}

// "@@ -3,5 +3,6 @@" with " -++ ": old lines 2..6 (0-based), one replaced by two at 3.
TEST(LineMap, ReplacementInsideContext) {
  LineMap M = LineMap::fromHunks({hunk(3, 5, 3, 6, "  -++  ")});
  EXPECT_FALSE(M.isIdentity());
  EXPECT_EQ(M.toPatched(0), 0u);
  EXPECT_EQ(M.toPatched(3), 3u); // context before the block
  EXPECT_EQ(M.toPatched(4), 4u); // the replaced line -> the first replacement
  EXPECT_EQ(M.toPatched(5), 6u); // context after the block shifts by one
  EXPECT_EQ(M.toPatched(20), 21u);
  EXPECT_EQ(M.toOriginal(4), 4u);
  EXPECT_EQ(M.toOriginal(5), 5u); // second added line -> first original line after the block
  EXPECT_EQ(M.toOriginal(6), 5u);
  EXPECT_EQ(M.toOriginal(21), 20u);
}

TEST(LineMap, PureRemovalAndInsertion) {
  // Lines 10..12 (0-based 9..11) removed; two lines inserted after line 20 (before 0-based 20).
  LineMap M = LineMap::fromHunks({hunk(9, 4, 9, 1, " ---"), hunk(20, 0, 18, 2, "++")});
  EXPECT_EQ(M.toPatched(8), 8u);
  EXPECT_EQ(M.toPatched(9), 9u); // first removed line -> line after the block (old 12)
  EXPECT_EQ(M.toPatched(11), 9u);
  EXPECT_EQ(M.toPatched(12), 9u);
  EXPECT_EQ(M.toPatched(19), 16u);
  EXPECT_EQ(M.toPatched(20), 19u); // after the insertion
  EXPECT_EQ(M.toOriginal(9), 12u);
  EXPECT_EQ(M.toOriginal(16), 19u);
  EXPECT_EQ(M.toOriginal(17), 20u); // inserted lines -> the original line after them
  EXPECT_EQ(M.toOriginal(18), 20u);
  EXPECT_EQ(M.toOriginal(19), 20u);
}

TEST(LineMap, NewFileHunk) {
  LineMap M = LineMap::fromHunks({hunk(0, 0, 1, 3, "+++")});
  EXPECT_EQ(M.toOriginal(0), 0u);
  EXPECT_EQ(M.toOriginal(2), 0u);
  EXPECT_EQ(M.toPatched(0), 3u);
}

TEST(LineMap, FromTexts) {
  std::string Original = "a\nb\nc\nd\ne\nf\n";
  std::string Patched = "a\nB\nc\nd\nd2\nd3\ne\n"; // b changed, d2 d3 added, f removed
  LineMap M = LineMap::fromTexts(Original, Patched);
  EXPECT_EQ(M.toPatched(0), 0u);
  EXPECT_EQ(M.toPatched(1), 1u);
  EXPECT_EQ(M.toPatched(3), 3u);
  EXPECT_EQ(M.toPatched(4), 6u);
  EXPECT_EQ(M.toPatched(5), 7u);
  EXPECT_EQ(M.toOriginal(4), 4u);
  EXPECT_EQ(M.toOriginal(5), 4u);
  EXPECT_EQ(M.toOriginal(6), 4u);
  EXPECT_TRUE(LineMap::fromTexts(Original, Original).isIdentity());
}

TEST(LineMap, FromTextsTreatsNulBytesAsText) {
  std::string Original("a\nb\0b\nc\n", 8), Patched("a\nz\nb\0b\nc\n", 10);
  LineMap M = LineMap::fromTexts(Original, Patched);
  EXPECT_EQ(M.toPatched(1), 2u);
  EXPECT_EQ(M.toOriginal(1), 1u);
}

TEST(LineMap, FromTextsOfEmptyOriginal) {
  LineMap M = LineMap::fromTexts("", "x\ny\n");
  EXPECT_EQ(M.toOriginal(1), 0u);
  EXPECT_EQ(M.toPatched(0), 2u);
}

} // namespace
} // namespace klp
