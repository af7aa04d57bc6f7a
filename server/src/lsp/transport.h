// The byte stream under the protocol. StdioTransport reads a file descriptor with Boost.Asio
// on the calling (I/O) thread and writes framed messages from any thread.
#pragma once
#include "lsp/framing.h"
#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

namespace klp::lsp {

class Transport {
public:
  virtual ~Transport() = default;
  // Thread-safe; a message is written whole or not at all (never interleaved).
  virtual void send(const nlohmann::json &Message) = 0;
  // Reads until end of input or until OnMessage returns false. OnMessage gets each well-formed
  // JSON message; OnBadInput gets a description of each malformed frame or JSON text.
  virtual void run(const std::function<bool(nlohmann::json)> &OnMessage,
                   const std::function<void(const std::string &)> &OnBadInput) = 0;
};

class StdioTransport : public Transport {
public:
  // Takes ownership of duplicates of InFd/OutFd (so 0 and 1 stay open for others).
  StdioTransport(int InFd = 0, int OutFd = 1, size_t MaxBody = FrameReader::DefaultMaxBody);
  void send(const nlohmann::json &Message) override;
  void run(const std::function<bool(nlohmann::json)> &OnMessage,
           const std::function<void(const std::string &)> &OnBadInput) override;

private:
  boost::asio::io_context Io;
  boost::asio::posix::stream_descriptor In, Out;
  FrameReader Reader;
  std::mutex WriteMutex;
  bool OutBroken = false;
};

} // namespace klp::lsp
