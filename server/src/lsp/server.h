// The language server: lifecycle, dispatch (one handler per LSP method), the editor's state and
// the analysis results. The I/O thread only parses, dispatches and answers from results already
// computed; analysis runs on the Scheduler's worker, and requests that need a fresh result wait
// for it (answered ContentModified when their document changes meanwhile, RequestCancelled on
// $/cancelRequest).
#pragma once
#include "features/diagnostics.h"
#include "klp/analysis/check.h"
#include "klp/binary_findings.h"
#include "lsp/module_builder.h"
#include "lsp/protocol.h"
#include "lsp/reply.h"
#include "lsp/scheduler.h"
#include "lsp/transport.h"
#include "workspace/documents.h"
#include "workspace/workspace_check.h"
#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>

namespace klp {
class Baseline;
class KernelTree;
namespace analysis {
class SummaryCache;
}
} // namespace klp

namespace klp::lsp {

// klp.checkPatch's result for an analysis: `klp-lsp check --format json`'s report plus
// "changedFiles". Root: the tree root the report's paths are relative to.
Json patchReport(const workspace::AnalysisResult &Res, const std::string &Root);

struct ServerOptions {
  std::chrono::milliseconds Debounce{150};
  std::string CacheDir; // derived tree data (default ~/.cache/klp-lsp)
};

class Server {
public:
  Server(Transport &T, ServerOptions O = {});
  ~Server();
  // Serves until `exit` or end of input. Returns the process exit code: 0 when `shutdown` came
  // first, 1 otherwise (as the spec asks).
  int run();

private:
  enum class State { Uninitialized, Running, ShutDown };
  using RequestHandler = void (Server::*)(const Json &Params, ReplyPtr R);
  using NotificationHandler = void (Server::*)(const Json &Params);

  // Dispatch (server.cpp).
  bool onMessage(Json M);
  void onBadInput(const std::string &What);
  void onResponse(const Json &M);
  void sendNotification(const std::string &Method, Json Params);
  void sendRequest(const std::string &Method, Json Params);
  void logMessage(int Type, const std::string &Text);
  void showMessage(int Type, const std::string &Text);

  // Lifecycle (lifecycle_handlers.cpp).
  void onInitialize(const Json &P, ReplyPtr R);
  void onInitialized(const Json &P);
  void onShutdown(const Json &P, ReplyPtr R);
  void onExit(const Json &P);
  void onCancelRequest(const Json &P);
  void onDidChangeConfiguration(const Json &P);
  void onSetTrace(const Json &P);
  void applySettings(const Json &S, bool Initial);

  // Documents (document_handlers.cpp).
  void onDidOpen(const Json &P);
  void onDidChange(const Json &P);
  void onDidSave(const Json &P);
  void onDidClose(const Json &P);
  void onDidChangeWatchedFiles(const Json &P);
  void documentsChanged(const std::string &Uri); // bumps the generation, schedules analysis

  // Features (feature_handlers.cpp).
  void onDiagnostic(const Json &P, ReplyPtr R);
  void onCodeAction(const Json &P, ReplyPtr R);
  void onCodeLens(const Json &P, ReplyPtr R);
  void onHover(const Json &P, ReplyPtr R);
  void onExecuteCommand(const Json &P, ReplyPtr R);
  void onWorkDoneProgressCancel(const Json &P);
  // Work-done progress of request R: the client's workDoneToken, else one created as
  // TokenPrefix + id when the client supports it; sends the "begin" value Begin (title,
  // message...) and makes the token cancellable. Returns the token, null for no progress.
  Json startProgress(const Json &P, ReplyPtr R, const std::string &TokenPrefix, Json Begin);
  // klp.targetStatus (target_status_handler.cpp).
  void onTargetStatus(const Json &P, ReplyPtr R);
  // klp.buildModule (build_module_handler.cpp).
  void onBuildModule(const Json &P, ReplyPtr R);

  // Analysis (analysis_glue.cpp).
  uint64_t analyze(uint64_t Generation); // on the worker; returns the generation analysed
  bool ensureWorkspace();                // opens tree and baseline on the worker
  void publish(const workspace::AnalysisResult &Res);
  // klp/verdict for clients that asked for it (setting verdictNotification). Needs M held.
  void publishVerdict(const workspace::AnalysisResult &Res);
  // Diagnostics per tree-relative file: the findings, plus "in included file" diagnostics on
  // the #include lines of open documents. Needs M held.
  std::map<std::string, std::vector<Diagnostic>>
  diagnosticsFor(const workspace::AnalysisResult &Res) const;
  // Calls Answer with the result of the current generation, now or once it is computed.
  // Uri: the document the request is about ("" for none): a change to it meanwhile answers
  // ContentModified instead.
  void whenFresh(ReplyPtr R, const std::string &Uri,
                 std::function<void(const workspace::AnalysisResult &)> Answer);
  std::optional<std::string> relativePath(const std::string &Uri) const;

  Transport &T;
  ServerOptions Opts;
  std::unique_ptr<Scheduler> Sched;

  // Lifecycle; touched on the I/O thread only.
  State St = State::Uninitialized;
  bool Exiting = false;
  std::map<std::string, RequestHandler> Requests;
  std::map<std::string, NotificationHandler> Notifications;
  std::atomic<int> NextOutgoingId{1};

  // Everything below is shared with the worker: guarded by M.
  mutable std::mutex M;
  std::string Root; // absolute tree root (from rootUri / workspace folder / settings)
  std::string BaselineSpec;
  bool ClientWorkDoneProgress = false;
  bool PushDiagnostics = true;
  bool ClientDiagnosticRefresh = false; // workspace/diagnostic/refresh is understood
  bool VerdictNotification = false;     // send klp/verdict after each analysis
  std::string TargetKernel;             // release klp.buildModule links against ("" = default)
  std::string TargetRoot = "/";         // the system klp.targetStatus reads
  features::SeverityOverrides Severities;
  workspace::DocumentStore Docs;
  std::set<std::string> DiskChanged; // saved files that may differ from the baseline
  uint64_t Generation = 0;
  bool WorkspaceDirty = true; // tree/baseline must be (re)opened before the next analysis
  bool DiskDirty = false;     // files changed behind our back: re-pin, rescan, drop caches
  std::shared_ptr<const workspace::AnalysisResult> Latest;
  std::set<std::string> Published; // tree-relative files with diagnostics on the client
  std::string LastError;           // shown once per distinct error
  // What the last klp.buildModule's ELF diff found, for the generation it built: joins the
  // diagnostics while that generation is the latest (an edit makes it stale).
  std::vector<BinaryFindings> Binary;
  uint64_t BinaryGeneration = 0;
  struct Waiter {
    ReplyPtr R;
    std::string Uri;
    int Version;
    std::function<void(const workspace::AnalysisResult &)> Answer;
  };
  std::vector<Waiter> Waiters;
  std::map<std::string, std::weak_ptr<Reply>> InFlight;       // request id (dumped) -> reply
  std::map<std::string, std::weak_ptr<Reply>> ProgressTokens; // work-done token -> request

  // Worker-only state.
  std::unique_ptr<KernelTree> Tree;
  std::unique_ptr<Baseline> Base;
  std::unique_ptr<analysis::SummaryCache> Cache;

  // klp.buildModule's thread; declared last so it is stopped and joined first.
  ModuleBuilder Builder;
};

} // namespace klp::lsp
