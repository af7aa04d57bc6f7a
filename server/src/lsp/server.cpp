#include "lsp/server.h"
#include "klp/analysis/summary_cache.h"
#include "klp/baseline.h"
#include "klp/kernel_tree.h"
#include <llvm/Support/CrashRecoveryContext.h>

namespace klp::lsp {

Server::Server(Transport &T, ServerOptions O) : T(T), Opts(std::move(O)) {
  Requests = {
      {"initialize", &Server::onInitialize},
      {"shutdown", &Server::onShutdown},
      {"textDocument/diagnostic", &Server::onDiagnostic},
      {"textDocument/codeAction", &Server::onCodeAction},
      {"textDocument/codeLens", &Server::onCodeLens},
      {"textDocument/hover", &Server::onHover},
      {"workspace/executeCommand", &Server::onExecuteCommand},
  };
  Notifications = {
      {"initialized", &Server::onInitialized},
      {"exit", &Server::onExit},
      {"$/cancelRequest", &Server::onCancelRequest},
      {"$/setTrace", &Server::onSetTrace},
      {"workspace/didChangeConfiguration", &Server::onDidChangeConfiguration},
      {"workspace/didChangeWatchedFiles", &Server::onDidChangeWatchedFiles},
      {"textDocument/didOpen", &Server::onDidOpen},
      {"textDocument/didChange", &Server::onDidChange},
      {"textDocument/didSave", &Server::onDidSave},
      {"textDocument/didClose", &Server::onDidClose},
      {"window/workDoneProgress/cancel", &Server::onWorkDoneProgressCancel},
  };
  llvm::CrashRecoveryContext::Enable();
  Sched = std::make_unique<Scheduler>([this](uint64_t G) { return analyze(G); }, Opts.Debounce);
}

Server::~Server() {
  Sched.reset(); // joins the worker before the state it uses goes away
  std::lock_guard<std::mutex> L(M);
  for (Waiter &W : Waiters)
    W.R->error(ErrorCode::ServerCancelled, "the server is exiting");
  Waiters.clear();
}

int Server::run() {
  T.run([this](Json Msg) { return onMessage(std::move(Msg)); },
        [this](const std::string &What) { onBadInput(What); });
  return St == State::ShutDown ? 0 : 1;
}

void Server::onBadInput(const std::string &What) {
  // No id can be known for a message that could not be read: answer with a null id.
  T.send({{"jsonrpc", "2.0"},
          {"id", nullptr},
          {"error", {{"code", static_cast<int>(ErrorCode::ParseError)}, {"message", What}}}});
}

bool Server::onMessage(Json Msg) {
  auto Fail = [&](const Json &Id, ErrorCode C, const std::string &Text) {
    T.send({{"jsonrpc", "2.0"},
            {"id", Id},
            {"error", {{"code", static_cast<int>(C)}, {"message", Text}}}});
    return true;
  };
  if (!Msg.is_object())
    return Fail(nullptr, ErrorCode::InvalidRequest, "a message must be a JSON object");
  Json Id = Msg.contains("id") ? Msg["id"] : Json();
  bool HasId = Msg.contains("id");
  if (HasId && !Id.is_string() && !Id.is_number_integer())
    return Fail(nullptr, ErrorCode::InvalidRequest, "request id must be a string or an integer");
  if (Msg.value("jsonrpc", "") != "2.0")
    return Fail(Id, ErrorCode::InvalidRequest, "missing \"jsonrpc\": \"2.0\"");
  if (!Msg.contains("method")) {
    if (HasId && (Msg.contains("result") || Msg.contains("error"))) {
      onResponse(Msg);
      return true;
    }
    return Fail(Id, ErrorCode::InvalidRequest, "a message needs a method (or a result/error)");
  }
  if (!Msg["method"].is_string())
    return Fail(Id, ErrorCode::InvalidRequest, "method must be a string");
  std::string Method = Msg["method"];
  // "params": null is not JSON-RPC, but clients send it for methods without params.
  Json Params = Msg.contains("params") && !Msg["params"].is_null() ? Msg["params"] : Json::object();
  if (!Params.is_object() && !Params.is_array())
    return Fail(Id, ErrorCode::InvalidRequest, "params must be an object or an array");

  if (!HasId) {
    if (Method != "exit" && St == State::Uninitialized)
      return true; // the spec: drop notifications before initialize
    auto It = Notifications.find(Method);
    if (It == Notifications.end()) {
      if (!Method.starts_with("$/"))
        logMessage(4, "ignored unknown notification '" + Method + "'");
      return true;
    }
    try {
      (this->*It->second)(Params);
    } catch (const RpcError &E) {
      logMessage(1, Method + ": " + E.Message);
    } catch (const std::exception &E) {
      logMessage(1, Method + ": invalid params: " + E.what());
    }
    return !Exiting;
  }

  auto R = std::make_shared<Reply>(T, Id, Method);
  if (St == State::Uninitialized && Method != "initialize") {
    R->error(ErrorCode::ServerNotInitialized, "'" + Method + "' before 'initialize'");
    return true;
  }
  if (St == State::ShutDown) {
    R->error(ErrorCode::InvalidRequest, "'" + Method + "' after 'shutdown'");
    return true;
  }
  auto It = Requests.find(Method);
  if (It == Requests.end()) {
    R->error(ErrorCode::MethodNotFound, "unknown method '" + Method + "'");
    return true;
  }
  {
    std::lock_guard<std::mutex> L(M);
    for (auto I = InFlight.begin(); I != InFlight.end();)
      I = I->second.expired() ? InFlight.erase(I) : std::next(I);
    InFlight[Id.dump()] = R;
  }
  try {
    (this->*It->second)(Params, R);
  } catch (const RpcError &E) {
    R->error(E.Code, E.Message);
  } catch (const nlohmann::json::exception &E) {
    R->error(ErrorCode::InvalidParams, "invalid params for '" + Method + "': " + E.what());
  } catch (const std::exception &E) {
    R->error(ErrorCode::InternalError, Method + ": " + E.what());
  }
  return true;
}

void Server::onResponse(const Json &Msg) {
  // Answers to our window/workDoneProgress/create and workspace/diagnostic/refresh requests:
  // nothing depends on them, but an error is worth a log line.
  if (Msg.contains("error"))
    logMessage(2, "client answered request " + Msg["id"].dump() +
                      " with an error: " + Msg["error"].dump());
}

void Server::sendNotification(const std::string &Method, Json Params) {
  T.send({{"jsonrpc", "2.0"}, {"method", Method}, {"params", std::move(Params)}});
}

void Server::sendRequest(const std::string &Method, Json Params) {
  T.send({{"jsonrpc", "2.0"},
          {"id", "klp-" + std::to_string(NextOutgoingId++)},
          {"method", Method},
          {"params", std::move(Params)}});
}

void Server::logMessage(int Type, const std::string &Text) {
  sendNotification("window/logMessage", {{"type", Type}, {"message", Text}});
}

void Server::showMessage(int Type, const std::string &Text) {
  sendNotification("window/showMessage", {{"type", Type}, {"message", Text}});
}

} // namespace klp::lsp
