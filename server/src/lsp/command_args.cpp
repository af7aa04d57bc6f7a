#include "lsp/command_args.h"

namespace klp::lsp {

const Json *optionalObjectArgument(const Json &P, const std::string &Command,
                                   const std::string &Shape) {
  if (!P.contains("arguments") || P["arguments"].is_null())
    return nullptr;
  const Json &Args = P["arguments"];
  if (!Args.is_array())
    throw RpcError{ErrorCode::InvalidParams, Command + ": arguments must be an array"};
  if (Args.empty())
    return nullptr;
  if (Args.size() > 1 || !Args[0].is_object())
    throw RpcError{ErrorCode::InvalidParams,
                   Command + ": expected one argument, an object " + Shape};
  return &Args[0];
}

} // namespace klp::lsp
