// The answer to one request: sent exactly once (later attempts are ignored), from any thread.
// $/cancelRequest answers it with RequestCancelled; a reply dropped without an answer sends an
// InternalError so the client never waits forever.
#pragma once
#include "lsp/protocol.h"
#include "lsp/transport.h"
#include <atomic>
#include <memory>

namespace klp::lsp {

class Reply {
public:
  Reply(Transport &T, Json Id, std::string Method)
      : T(T), Id(std::move(Id)), Method(std::move(Method)) {}
  ~Reply();
  void result(Json Result);
  void error(ErrorCode Code, const std::string &Message);
  bool answered() const { return Answered; }
  const Json &id() const { return Id; }
  const std::string &method() const { return Method; }

private:
  Transport &T;
  Json Id;
  std::string Method;
  std::atomic<bool> Answered{false};
};

using ReplyPtr = std::shared_ptr<Reply>;

} // namespace klp::lsp
