// The LSP base protocol's framing: "Content-Length: N\r\n[other headers]\r\n\r\n" + N bytes.
// FrameReader keeps one persistent buffer across reads, so a message may arrive in any number
// of pieces and several messages may arrive in one read. Malformed input yields an error frame
// and the reader resynchronises on the next header instead of giving up.
#pragma once
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace klp::lsp {

struct Frame {
  std::string Body;  // the JSON text (when Error is empty)
  std::string Error; // what was wrong with the input, e.g. "missing Content-Length header"
};

class FrameReader {
public:
  static constexpr size_t DefaultMaxBody = size_t(64) << 20; // 64 MiB
  static constexpr size_t MaxHeader = size_t(64) << 10;      // a header block larger is garbage

  explicit FrameReader(size_t MaxBody = DefaultMaxBody) : MaxBody(MaxBody) {}
  void feed(std::string_view Bytes) { Buffer.append(Bytes); }
  // The next complete frame, or nullopt when more bytes are needed.
  std::optional<Frame> next();
  size_t buffered() const { return Buffer.size(); }

private:
  size_t MaxBody;
  std::string Buffer;
  size_t Consumed = 0;                 // bytes of Buffer already handed out (compacted lazily)
  size_t SkipBytes = 0;                // body bytes of an oversized message still to discard
  std::optional<size_t> PendingLength; // header parsed, waiting for the body
  void compact();
};

// Frames a message body for sending.
std::string frameMessage(std::string_view Body);

} // namespace klp::lsp
