// The base protocol framing: pieces, several messages per read, malformed headers, limits.
#include "lsp/framing.h"
#include <gtest/gtest.h>

using klp::lsp::Frame;
using klp::lsp::FrameReader;

namespace {

std::vector<Frame> all(FrameReader &R) {
  std::vector<Frame> Out;
  while (auto F = R.next())
    Out.push_back(*F);
  return Out;
}

TEST(Framing, ByteByByte) {
  FrameReader R;
  std::string In = "Content-Length: 2\r\n\r\n{}Content-Length: 4\r\n\r\nnull";
  std::vector<Frame> Got;
  for (char C : In) {
    R.feed(std::string_view(&C, 1));
    for (Frame &F : all(R))
      Got.push_back(F);
  }
  ASSERT_EQ(2u, Got.size());
  EXPECT_EQ("{}", Got[0].Body);
  EXPECT_EQ("null", Got[1].Body);
  EXPECT_EQ(0u, R.buffered());
}

TEST(Framing, ManyInOneReadWithOtherHeadersAndLfOnly) {
  FrameReader R;
  R.feed("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\ncontent-length:1\r\n\r\n1"
         "Content-Length: 1\n\n2");
  std::vector<Frame> Got = all(R);
  ASSERT_EQ(2u, Got.size());
  EXPECT_EQ("1", Got[0].Body);
  EXPECT_EQ("2", Got[1].Body);
}

TEST(Framing, ErrorsThenRecovers) {
  FrameReader R;
  R.feed("Content-Length: -3\r\n\r\nContent-Length 7\r\n\r\nX-Other: 1\r\n\r\nContent-Length: "
         "2\r\n\r\n[]");
  std::vector<Frame> Got = all(R);
  ASSERT_EQ(4u, Got.size());
  EXPECT_EQ("invalid Content-Length '-3'", Got[0].Error);
  EXPECT_EQ("malformed header line 'Content-Length 7'", Got[1].Error);
  EXPECT_EQ("missing Content-Length header", Got[2].Error);
  EXPECT_EQ("", Got[3].Error);
  EXPECT_EQ("[]", Got[3].Body);
}

TEST(Framing, OversizedBodyIsSkippedInPieces) {
  FrameReader R(/*MaxBody=*/8);
  R.feed("Content-Length: 20\r\n\r\n0123456789");
  std::vector<Frame> Got = all(R);
  ASSERT_EQ(1u, Got.size());
  EXPECT_EQ("message of 20 bytes exceeds the limit of 8 bytes", Got[0].Error);
  R.feed("0123456789Content-Length: 2\r\n\r\nok");
  Got = all(R);
  ASSERT_EQ(1u, Got.size());
  EXPECT_EQ("ok", Got[0].Body);
}

TEST(Framing, EndlessHeaderIsDroppedUpToTheNextContentLength) {
  FrameReader R;
  R.feed(std::string(FrameReader::MaxHeader + 10, 'x') + "Content-Length: 2\r\n\r\n{}");
  std::vector<Frame> Got = all(R);
  ASSERT_EQ(2u, Got.size());
  EXPECT_EQ("header block larger than 65536 bytes without an end (expected \"\\r\\n\\r\\n\")",
            Got[0].Error);
  EXPECT_EQ("{}", Got[1].Body);
}

TEST(Framing, IncompleteWaits) {
  FrameReader R;
  R.feed("Content-Length: 5\r\n\r\nabc");
  EXPECT_FALSE(R.next());
  R.feed("de");
  auto F = R.next();
  ASSERT_TRUE(F);
  EXPECT_EQ("abcde", F->Body);
}

TEST(Framing, FrameMessage) {
  EXPECT_EQ("Content-Length: 2\r\n\r\n{}", klp::lsp::frameMessage("{}"));
}

} // namespace
