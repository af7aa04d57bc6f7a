// workspace/executeCommand klp.targetStatus: `klp-lsp status` for the configured target system,
// so an editor can show whether it can take the livepatch and what is applied there.
// Arguments: none, or one object {"root": "/abs/dir"} (default: the setting targetRoot, "/").
// Result: docs/status.md's JSON (exitCode, reasons, support, modules, patches, taint) plus
// "text", the text rendering of `klp-lsp status`.
#include "klp/error.h"
#include "klp/target_status.h"
#include "lsp/command_args.h"
#include "lsp/server.h"
#include "output/status_format.h"

namespace klp::lsp {

namespace {

[[noreturn]] void badArgs(const std::string &What) {
  throw RpcError{ErrorCode::InvalidParams, "klp.targetStatus: " + What};
}

std::string rootArgument(const Json &P) {
  const Json *Arg = optionalObjectArgument(P, "klp.targetStatus", "{\"root\": \"/abs/dir\"}");
  if (!Arg)
    return "";
  for (const auto &[Key, V] : Arg->items())
    if (Key != "root")
      badArgs("unknown argument '" + Key + "' (expected \"root\")");
  const Json &Root = Arg->value("root", Json());
  if (!Root.is_string() || !Root.get<std::string>().starts_with("/"))
    badArgs("\"root\" must be an absolute directory");
  return Root;
}

} // namespace

void Server::onTargetStatus(const Json &P, ReplyPtr R) {
  std::string Root = rootArgument(P);
  if (Root.empty()) {
    std::lock_guard<std::mutex> L(M);
    Root = TargetRoot;
  }
  // A few hundred small sysfs/procfs reads: cheap enough for the I/O thread.
  try {
    TargetStatus S = readTargetStatus(Root);
    Json Result = output::targetStatusJson(S);
    Result["text"] = output::formatTargetStatusText(S);
    R->result(std::move(Result));
  } catch (const Error &E) {
    R->error(ErrorCode::RequestFailed, std::string("klp.targetStatus: ") + E.what());
  }
}

} // namespace klp::lsp
