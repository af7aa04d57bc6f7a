// initialize / initialized / shutdown / exit, cancellation and configuration.
#include "cli/version.h"
#include "lsp/server.h"
#include "lsp/uri.h"
#include <filesystem>

namespace klp::lsp {

namespace {

// Settings arrive as initializationOptions or workspace/didChangeConfiguration's settings,
// either flat or under a "klp-lsp"/"klp" section (what VS Code and Neovim send).
Json settingsSection(const Json &S) {
  if (!S.is_object())
    return Json::object();
  for (const char *Key : {"klp-lsp", "klp"})
    if (S.contains(Key) && S[Key].is_object())
      return S[Key];
  return S;
}

std::string typeError(const std::string &Key, const char *Want) {
  return "setting '" + Key + "' must be " + Want;
}

// The workspace root as the server compares it: lexically normal, no trailing slash.
std::string normalizedRoot(const std::string &Path) {
  if (Path.empty())
    return Path;
  std::string R = std::filesystem::path(Path).lexically_normal().string();
  while (R.size() > 1 && R.ends_with('/'))
    R.pop_back();
  return R;
}

} // namespace

void Server::applySettings(const Json &Raw, bool Initial) {
  Json S = settingsSection(Raw);
  std::lock_guard<std::mutex> L(M);
  if (S.contains("baseline")) {
    if (!S["baseline"].is_string())
      throw RpcError{ErrorCode::InvalidParams, typeError("baseline", "a string")};
    std::string B = S["baseline"];
    if (!B.empty() && B != "disk" && !B.starts_with("git:") && !B.starts_with("/"))
      throw RpcError{ErrorCode::InvalidParams,
                     "setting 'baseline' is '" + B +
                         "': expected \"git:REV\", \"disk\" or an absolute directory"};
    if (B != BaselineSpec) {
      BaselineSpec = B;
      WorkspaceDirty = true;
    }
  }
  if (S.contains("kernelTree")) {
    if (!S["kernelTree"].is_string())
      throw RpcError{ErrorCode::InvalidParams, typeError("kernelTree", "a string")};
    std::string K = normalizedRoot(S["kernelTree"]);
    if (!K.empty() && K != Root) {
      Root = K;
      WorkspaceDirty = true;
    }
  }
  if (S.contains("debounceMs")) {
    if (!S["debounceMs"].is_number_integer() || S["debounceMs"].get<int>() < 0)
      throw RpcError{ErrorCode::InvalidParams, typeError("debounceMs", "a non-negative integer")};
    Opts.Debounce = std::chrono::milliseconds(S["debounceMs"].get<int>());
    Sched->setDebounce(Opts.Debounce);
  }
  if (S.contains("severity"))
    Severities = features::parseSeverityOverrides(S["severity"]);
  if (S.contains("pushDiagnostics")) {
    if (!S["pushDiagnostics"].is_boolean())
      throw RpcError{ErrorCode::InvalidParams, typeError("pushDiagnostics", "true or false")};
    PushDiagnostics = S["pushDiagnostics"];
  }
  if (S.contains("verdictNotification")) {
    if (!S["verdictNotification"].is_boolean())
      throw RpcError{ErrorCode::InvalidParams, typeError("verdictNotification", "true or false")};
    VerdictNotification = S["verdictNotification"];
  }
  if (S.contains("targetKernel")) {
    if (!S["targetKernel"].is_string())
      throw RpcError{ErrorCode::InvalidParams, typeError("targetKernel", "a string")};
    std::string K = S["targetKernel"];
    if (K.find('/') != std::string::npos || K == "." || K == "..")
      throw RpcError{ErrorCode::InvalidParams,
                     "setting 'targetKernel' is '" + K +
                         "': expected a kernel release as `uname -r` prints it"};
    TargetKernel = K;
  }
  if (S.contains("targetRoot")) {
    if (!S["targetRoot"].is_string())
      throw RpcError{ErrorCode::InvalidParams, typeError("targetRoot", "a string")};
    std::string T = S["targetRoot"];
    if (!T.empty() && !T.starts_with("/"))
      throw RpcError{ErrorCode::InvalidParams,
                     "setting 'targetRoot' is '" + T +
                         "': expected an absolute directory (/ for this machine)"};
    TargetRoot = T.empty() ? "/" : T;
  }
  (void)Initial;
}

void Server::onInitialize(const Json &P, ReplyPtr R) {
  if (St != State::Uninitialized)
    throw RpcError{ErrorCode::InvalidRequest, "'initialize' may only be sent once"};
  std::string RootPath;
  if (P.contains("rootUri") && P["rootUri"].is_string()) {
    auto Path = uriToPath(P["rootUri"].get<std::string>());
    if (!Path)
      throw RpcError{ErrorCode::InvalidParams,
                     "rootUri '" + P["rootUri"].get<std::string>() + "' is not a file URI"};
    RootPath = *Path;
  } else if (P.contains("workspaceFolders") && P["workspaceFolders"].is_array() &&
             !P["workspaceFolders"].empty()) {
    if (auto Path = uriToPath(P["workspaceFolders"][0].value("uri", "")))
      RootPath = *Path;
  } else if (P.contains("rootPath") && P["rootPath"].is_string()) {
    RootPath = P["rootPath"];
  }
  RootPath = normalizedRoot(RootPath);
  const Json &Caps = P.contains("capabilities") ? P["capabilities"] : Json::object();
  {
    std::lock_guard<std::mutex> L(M);
    Root = RootPath;
    ClientWorkDoneProgress = Caps.contains("window") && Caps["window"].is_object() &&
                             Caps["window"].value("workDoneProgress", false);
    // A client that pulls diagnostics would show pushed ones twice.
    PushDiagnostics = !(Caps.contains("textDocument") && Caps["textDocument"].is_object() &&
                        Caps["textDocument"].contains("diagnostic"));
    ClientDiagnosticRefresh = Caps.contains("workspace") && Caps["workspace"].is_object() &&
                              Caps["workspace"].contains("diagnostics") &&
                              Caps["workspace"]["diagnostics"].value("refreshSupport", false);
  }
  if (P.contains("initializationOptions") && !P["initializationOptions"].is_null())
    applySettings(P["initializationOptions"], true);
  St = State::Running;
  Json Result = {
      {"capabilities",
       {{"positionEncoding", "utf-16"},
        {"textDocumentSync",
         {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
        {"hoverProvider", true},
        {"codeActionProvider", {{"codeActionKinds", {"quickfix"}}, {"resolveProvider", false}}},
        {"codeLensProvider", {{"resolveProvider", false}}},
        {"diagnosticProvider",
         {{"identifier", "klp-lsp"},
          {"interFileDependencies", true},
          {"workspaceDiagnostics", false}}},
        {"executeCommandProvider",
         {{"commands", {"klp.checkPatch", "klp.buildModule", "klp.targetStatus"}}}}}},
      {"serverInfo", {{"name", "klp-lsp"}, {"version", cli::toolVersion()}}}};
  R->result(std::move(Result));
}

void Server::onInitialized(const Json &) {
  // Open the tree and baseline now, so the first edit does not pay for it.
  documentsChanged("");
}

void Server::onShutdown(const Json &, ReplyPtr R) {
  St = State::ShutDown;
  R->result(nullptr);
}

void Server::onExit(const Json &) { Exiting = true; }

void Server::onCancelRequest(const Json &P) {
  if (!P.contains("id"))
    throw RpcError{ErrorCode::InvalidParams, "$/cancelRequest without an id"};
  std::string Key = P["id"].dump();
  std::lock_guard<std::mutex> L(M);
  auto It = InFlight.find(Key);
  if (It == InFlight.end())
    return; // already answered: nothing to do
  if (ReplyPtr R = It->second.lock())
    R->error(ErrorCode::RequestCancelled, "request " + Key + " was cancelled");
  InFlight.erase(It);
  std::erase_if(Waiters, [&](const Waiter &W) { return W.R->answered(); });
}

void Server::onSetTrace(const Json &) {}

void Server::onDidChangeConfiguration(const Json &P) {
  try {
    applySettings(P.contains("settings") ? P["settings"] : Json::object(), false);
  } catch (const RpcError &E) {
    showMessage(1, "klp-lsp: " + E.Message);
    return;
  }
  documentsChanged("");
}

} // namespace klp::lsp
