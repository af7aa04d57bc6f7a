#include "lsp/transport.h"
#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <unistd.h>

namespace klp::lsp {

StdioTransport::StdioTransport(int InFd, int OutFd, size_t MaxBody)
    : In(Io, ::dup(InFd)), Out(Io, ::dup(OutFd)), Reader(MaxBody) {}

void StdioTransport::send(const nlohmann::json &Message) {
  // Invalid UTF-8 in a document must not abort the server: replace it.
  std::string Framed =
      frameMessage(Message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  std::lock_guard<std::mutex> Lock(WriteMutex);
  if (OutBroken)
    return;
  boost::system::error_code Ec;
  boost::asio::write(Out, boost::asio::buffer(Framed), Ec);
  if (Ec)
    OutBroken = true; // the client went away; reading will see end of input soon
}

void StdioTransport::run(const std::function<bool(nlohmann::json)> &OnMessage,
                         const std::function<void(const std::string &)> &OnBadInput) {
  std::array<char, 65536> Chunk;
  bool Continue = true;
  std::function<void()> ReadMore;
  ReadMore = [&] {
    In.async_read_some(boost::asio::buffer(Chunk), [&](boost::system::error_code Ec, size_t N) {
      if (Ec)
        return; // end of input or a broken pipe: run() returns
      Reader.feed(std::string_view(Chunk.data(), N));
      while (Continue) {
        std::optional<Frame> F = Reader.next();
        if (!F)
          break;
        if (!F->Error.empty()) {
          OnBadInput(F->Error);
          continue;
        }
        nlohmann::json Message =
            nlohmann::json::parse(F->Body, nullptr, /*allow_exceptions=*/false);
        if (Message.is_discarded()) {
          OnBadInput("message body is not valid JSON (" + std::to_string(F->Body.size()) +
                     " bytes)");
          continue;
        }
        Continue = OnMessage(std::move(Message));
      }
      if (Continue)
        ReadMore();
    });
  };
  ReadMore();
  Io.run();
  Io.restart();
}

} // namespace klp::lsp
