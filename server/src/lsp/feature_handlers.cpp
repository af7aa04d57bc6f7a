// Requests answered from the analysis of the current editor state: pull diagnostics, code
// actions, code lenses, hover and the klp.checkPatch command.
#include "cli/version.h"
#include "features/code_actions.h"
#include "features/code_lens.h"
#include "features/hover.h"
#include "lsp/server.h"
#include "output/format.h"

namespace klp::lsp {

namespace {

std::string docUri(const Json &P) { return P.at("textDocument").at("uri").get<std::string>(); }

} // namespace

Json patchReport(const workspace::AnalysisResult &Res, const std::string &Root) {
  Json Report = Json::parse(output::formatJson(Res.Check, {cli::toolVersion(), Root}));
  Report["changedFiles"] = Res.ChangedFiles;
  return Report;
}

void Server::onDiagnostic(const Json &P, ReplyPtr R) {
  std::string Uri = docUri(P);
  auto Rel = relativePath(Uri);
  if (!Rel)
    return R->result({{"kind", "full"}, {"items", Json::array()}});
  whenFresh(R, Uri, [this, R, Rel = *Rel](const workspace::AnalysisResult &Res) {
    std::lock_guard<std::mutex> L(M);
    auto ByFile = diagnosticsFor(Res);
    auto It = ByFile.find(Rel);
    R->result({{"kind", "full"}, {"items", It == ByFile.end() ? Json::array() : Json(It->second)}});
  });
}

void Server::onCodeAction(const Json &P, ReplyPtr R) {
  std::string Uri = docUri(P);
  Range Where = P.at("range").get<Range>();
  if (P.contains("context") && P["context"].contains("only")) {
    bool Wanted = false;
    for (const Json &K : P["context"]["only"])
      Wanted |= K.is_string() && (K == "quickfix" || K == "");
    if (!Wanted)
      return R->result(Json::array());
  }
  auto Rel = relativePath(Uri);
  if (!Rel)
    return R->result(Json::array());
  whenFresh(R, Uri, [this, R, Rel = *Rel, Where](const workspace::AnalysisResult &Res) {
    std::lock_guard<std::mutex> L(M);
    R->result(
        features::codeActions(Res.Check.Result, Root, Rel, features::fromLsp(Where), Severities));
  });
}

void Server::onCodeLens(const Json &P, ReplyPtr R) {
  std::string Uri = docUri(P);
  auto Rel = relativePath(Uri);
  if (!Rel)
    return R->result(Json::array());
  whenFresh(R, Uri, [R, Rel = *Rel](const workspace::AnalysisResult &Res) {
    R->result(features::codeLenses(Res.Check.Result, Rel));
  });
}

void Server::onHover(const Json &P, ReplyPtr R) {
  auto Params = P.get<TextDocumentPositionParams>();
  auto Rel = relativePath(Params.uri);
  if (!Rel)
    return R->result(nullptr);
  whenFresh(R, Params.uri, [this, R, Rel = *Rel, Params](const workspace::AnalysisResult &Res) {
    klp::Position At{unsigned(Params.position.line), unsigned(Params.position.character)};
    std::lock_guard<std::mutex> L(M);
    std::optional<Hover> H = features::hover(Res.Check.Result, Rel, At, Severities);
    R->result(H ? Json(*H) : Json(nullptr));
  });
}

void Server::onExecuteCommand(const Json &P, ReplyPtr R) {
  std::string Command = P.at("command");
  if (Command == "klp.buildModule")
    return onBuildModule(P, R);
  if (Command == "klp.targetStatus")
    return onTargetStatus(P, R);
  if (Command != "klp.checkPatch")
    throw RpcError{ErrorCode::InvalidParams, "unknown command '" + Command +
                                                 "' (this server offers klp.checkPatch, "
                                                 "klp.buildModule, klp.targetStatus)"};
  Json Token = startProgress(P, R, "klp-check-",
                             {{"title", "klp-lsp: checking the patch"},
                              {"cancellable", true},
                              {"message", "analysing the changed files"},
                              {"percentage", 0}});
  whenFresh(R, "", [this, R, Token](const workspace::AnalysisResult &Res) {
    auto End = [&](const std::string &Message) {
      if (!Token.is_null())
        sendNotification("$/progress",
                         {{"token", Token}, {"value", {{"kind", "end"}, {"message", Message}}}});
    };
    if (!Res.Error.empty()) {
      End("failed: " + Res.Error);
      return R->error(ErrorCode::RequestFailed, Res.Error);
    }
    std::string TreeRoot;
    {
      std::lock_guard<std::mutex> L(M);
      TreeRoot = Root;
    }
    End("verdict: " + Res.Check.Result.verdict());
    R->result(patchReport(Res, TreeRoot));
  });
}

Json Server::startProgress(const Json &P, ReplyPtr R, const std::string &TokenPrefix, Json Begin) {
  Json Token;
  std::lock_guard<std::mutex> L(M);
  if (P.contains("workDoneToken"))
    Token = P["workDoneToken"];
  else if (ClientWorkDoneProgress) {
    Token = TokenPrefix + std::to_string(NextOutgoingId.load());
    sendRequest("window/workDoneProgress/create", {{"token", Token}});
  }
  if (Token.is_null())
    return Token;
  ProgressTokens[Token.dump()] = R;
  Begin["kind"] = "begin";
  sendNotification("$/progress", {{"token", Token}, {"value", std::move(Begin)}});
  return Token;
}

void Server::onWorkDoneProgressCancel(const Json &P) {
  std::string Key = P.at("token").dump();
  std::lock_guard<std::mutex> L(M);
  auto It = ProgressTokens.find(Key);
  if (It == ProgressTokens.end())
    return;
  if (ReplyPtr R = It->second.lock(); R && !R->answered()) {
    // The progress ends before the answer, so a client sees it ended when the request fails.
    sendNotification("$/progress", {{"token", P["token"]},
                                    {"value", {{"kind", "end"}, {"message", "cancelled"}}}});
    R->error(ErrorCode::RequestCancelled, "cancelled from the progress notification");
  }
  ProgressTokens.erase(It);
  std::erase_if(Waiters, [](const Waiter &W) { return W.R->answered(); });
}

} // namespace klp::lsp
