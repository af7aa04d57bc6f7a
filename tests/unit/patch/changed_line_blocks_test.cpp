// changedLineBlocks: the changed blocks of a line diff of two texts, 0-based, as a patch without
// context would state them.
#include "klp/patch.h"

#include <gtest/gtest.h>

namespace klp {
namespace {

using Blocks = std::vector<LineBlock>;

TEST(ChangedLineBlocks, ReplacementInsertionRemoval) {
  std::string Original = "a\nb\nc\nd\ne\nf\n";
  std::string Patched = "a\nB\nc\nd\nd2\nd3\ne\n"; // b changed, d2 d3 added, f removed
  EXPECT_EQ(changedLineBlocks(Original, Patched),
            (Blocks{{1, 1, 1, 1}, {4, 0, 4, 2}, {5, 1, 7, 0}}));
}

TEST(ChangedLineBlocks, IdenticalTextsHaveNone) {
  EXPECT_EQ(changedLineBlocks("a\nb\n", "a\nb\n"), Blocks{});
  EXPECT_EQ(changedLineBlocks("", ""), Blocks{});
}

TEST(ChangedLineBlocks, WholeFileAddedOrRemoved) {
  EXPECT_EQ(changedLineBlocks("", "x\ny\n"), (Blocks{{0, 0, 0, 2}}));
  EXPECT_EQ(changedLineBlocks("x\ny\n", ""), (Blocks{{0, 2, 0, 0}}));
}

TEST(ChangedLineBlocks, MissingFinalNewlineChangesTheLastLine) {
  EXPECT_EQ(changedLineBlocks("a\nb\n", "a\nb"), (Blocks{{1, 1, 1, 1}}));
}

// fromTexts maps along the same blocks.
TEST(ChangedLineBlocks, AgreeWithLineMapFromTexts) {
  std::string Original = "1\n2\n3\n4\n5\n6\n7\n8\n", Patched = "1\n3\n4\nx\ny\n5\n8\n";
  Blocks B = changedLineBlocks(Original, Patched);
  ASSERT_EQ(B, (Blocks{{1, 1, 1, 0}, {4, 0, 3, 2}, {5, 2, 6, 0}}));
  LineMap M = LineMap::fromTexts(Original, Patched);
  EXPECT_EQ(M.toPatched(1), 1u); // removed line -> the line after the block
  EXPECT_EQ(M.toPatched(2), 1u);
  EXPECT_EQ(M.toOriginal(3), 4u); // inserted x -> the original line after it
  EXPECT_EQ(M.toPatched(7), 6u);
}

} // namespace
} // namespace klp
