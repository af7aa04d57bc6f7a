// Incremental text synchronisation: LSP ranges in UTF-16 code units applied to UTF-8 text.
#include "lsp/uri.h"
#include "workspace/documents.h"
#include <gtest/gtest.h>

using namespace klp;
using lsp::TextDocumentContentChangeEvent;

namespace {

TextDocumentContentChangeEvent edit(int L1, int C1, int L2, int C2, std::string Text) {
  return {lsp::Range{{L1, C1}, {L2, C2}}, std::move(Text)};
}

TEST(Documents, OffsetsCountUtf16Units) {
  // "é" is 2 bytes / 1 unit, "😀" 4 bytes / 2 units.
  std::string T = "a\xC3\xA9"
                  "b\n\xF0\x9F\x98\x80x\n";
  EXPECT_EQ(0u, workspace::offsetOf(T, {0, 0}));
  EXPECT_EQ(3u, workspace::offsetOf(T, {0, 2}));
  EXPECT_EQ(4u, workspace::offsetOf(T, {0, 3}));
  EXPECT_EQ(4u, workspace::offsetOf(T, {0, 99})); // clamps to the line end
  EXPECT_EQ(9u, workspace::offsetOf(T, {1, 2}));
  EXPECT_EQ(10u, workspace::offsetOf(T, {1, 3}));
  EXPECT_EQ(T.size(), workspace::offsetOf(T, {7, 0})); // past the end
}

TEST(Documents, IncrementalChangesApplyInOrder) {
  workspace::DocumentStore S;
  S.open("file:///a.c", "int x;\nint y;\n", 1);
  S.change("file:///a.c",
           {edit(1, 4, 1, 5, "zz"), edit(0, 0, 0, 0, "static "), edit(2, 0, 2, 0, "// end\n")}, 2);
  const workspace::Document *D = S.find("file:///a.c");
  ASSERT_TRUE(D);
  EXPECT_EQ("static int x;\nint zz;\n// end\n", D->Text);
  EXPECT_EQ(2, D->Version);
}

TEST(Documents, FullReplacementAndMultiLineDelete) {
  workspace::DocumentStore S;
  S.open("file:///a.c", "1\n2\n3\n4\n", 1);
  S.change("file:///a.c", {edit(0, 1, 2, 1, "")}, 2);
  EXPECT_EQ("1\n4\n", S.find("file:///a.c")->Text);
  S.change("file:///a.c", {{std::nullopt, "new"}}, 3);
  EXPECT_EQ("new", S.find("file:///a.c")->Text);
}

TEST(Documents, ErrorsLeaveTheTextAlone) {
  workspace::DocumentStore S;
  S.open("file:///a.c", "abc", 1);
  try {
    S.change("file:///a.c", {edit(0, 0, 0, 1, "X"), edit(0, 2, 0, 1, "")}, 2);
    FAIL() << "a reversed range must be refused";
  } catch (const lsp::RpcError &E) {
    EXPECT_EQ(lsp::ErrorCode::InvalidParams, E.Code);
    EXPECT_EQ("change range ends before it starts", E.Message);
  }
  EXPECT_EQ("abc", S.find("file:///a.c")->Text);
  EXPECT_EQ(1, S.find("file:///a.c")->Version);
  try {
    S.change("file:///b.c", {}, 2);
    FAIL() << "a document that is not open must be refused";
  } catch (const lsp::RpcError &E) {
    EXPECT_EQ("didChange for file:///b.c, which is not open", E.Message);
  }
}

TEST(Documents, Uris) {
  EXPECT_EQ("/tmp/a b/c#.c", *lsp::uriToPath("file:///tmp/a%20b/c%23.c"));
  EXPECT_EQ("/x", *lsp::uriToPath("file://localhost/x"));
  EXPECT_FALSE(lsp::uriToPath("http://x/y"));
  EXPECT_FALSE(lsp::uriToPath("file://host/y"));
  EXPECT_EQ("file:///tmp/a%20b/c%23.c", lsp::pathToUri("/tmp/a b/c#.c"));
}

} // namespace
