#include "lsp/reply.h"

namespace klp::lsp {

Reply::~Reply() {
  if (!Answered)
    error(ErrorCode::InternalError, "the server dropped the request '" + Method + "'");
}

void Reply::result(Json Result) {
  if (Answered.exchange(true))
    return;
  T.send({{"jsonrpc", "2.0"}, {"id", Id}, {"result", std::move(Result)}});
}

void Reply::error(ErrorCode Code, const std::string &Message) {
  if (Answered.exchange(true))
    return;
  T.send({{"jsonrpc", "2.0"},
          {"id", Id},
          {"error", {{"code", static_cast<int>(Code)}, {"message", Message}}}});
}

} // namespace klp::lsp
