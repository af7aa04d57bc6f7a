// The worker side: open the tree and baseline, snapshot the editor state, analyse, then publish
// and answer the requests that waited for this generation.
#include "klp/analysis/summary_cache.h"
#include "klp/baseline.h"
#include "klp/error.h"
#include "klp/kernel_tree.h"
#include "lsp/server.h"
#include "lsp/uri.h"
#include "output/compile_errors.h"

namespace klp::lsp {

bool Server::ensureWorkspace() {
  std::string R, Spec;
  {
    std::lock_guard<std::mutex> L(M);
    if (!WorkspaceDirty && DiskDirty && Tree && Base) {
      // Files changed on disk (a checkout, a commit, a build): the git pin may move and
      // cached parses may have read old headers.
      DiskDirty = false;
      try {
        Base->refresh();
        std::vector<std::string> Changed = Base->changedFiles();
        DiskChanged.insert(Changed.begin(), Changed.end());
      } catch (const Error &E) {
        logMessage(2, std::string("klp-lsp: baseline: ") + E.what());
      }
      Cache->clear();
    }
    if (!WorkspaceDirty)
      return Tree && Base;
    R = Root;
    Spec = BaselineSpec;
    WorkspaceDirty = false;
  }
  Tree.reset();
  Base.reset();
  std::string Problem;
  try {
    if (R.empty())
      throw Error("no kernel tree: the client sent no rootUri or workspace folder (or set "
                  "\"kernelTree\" in the settings)");
    Tree = KernelTree::open(R, Opts.CacheDir);
    Base = std::make_unique<Baseline>(Baseline::open(R, Spec));
    Cache = std::make_unique<analysis::SummaryCache>();
    std::vector<std::string> Changed = Base->changedFiles();
    std::lock_guard<std::mutex> L(M);
    DiskChanged.insert(Changed.begin(), Changed.end());
  } catch (const Error &E) {
    Problem = E.what();
  } catch (const std::exception &E) {
    Problem = std::string("internal error: ") + E.what();
  }
  if (!Problem.empty()) {
    Tree.reset();
    Base.reset();
    showMessage(1, "klp-lsp cannot analyse this workspace: " + Problem);
    std::lock_guard<std::mutex> L(M);
    LastError = Problem;
    return false;
  }
  logMessage(3, "klp-lsp: kernel tree " + R + ", baseline " + Base->describe());
  return true;
}

uint64_t Server::analyze(uint64_t) {
  auto Res = std::make_shared<workspace::AnalysisResult>();
  if (ensureWorkspace()) {
    workspace::Snapshot S;
    {
      std::lock_guard<std::mutex> L(M);
      S.Generation = Generation;
      for (const auto &[Uri, D] : Docs.all())
        if (auto Rel = relativePath(Uri)) {
          S.Open[*Rel] = D.Text;
          S.Versions[*Rel] = D.Version;
        }
      S.DiskChanged = DiskChanged;
    }
    workspace::OriginalReader Read = [this](const std::string &Rel) { return Base->read(Rel); };
    analysis::CheckOptions O;
    O.Cache = Cache.get();
    *Res = workspace::analyzeSnapshot(*Tree, Read, S, O);
    if (Res->Error.empty()) {
      output::addCompileErrorFindings(
          Res->Check, [this](const std::string &Path) { return Tree->relative(Path); });
      Res->Check.Result.sort();
    }
  } else {
    std::lock_guard<std::mutex> L(M);
    Res->Generation = Generation;
    Res->Error = LastError;
  }

  std::vector<Waiter> Ready;
  bool ShowError = false;
  {
    std::lock_guard<std::mutex> L(M);
    if (Res->Generation != Generation)
      return Res->Generation; // stale: the editor moved on and a newer run is queued
    Latest = Res;
    if (Res->Error.empty())
      publish(*Res);
    publishVerdict(*Res);
    ShowError = !Res->Error.empty() && Res->Error != LastError;
    if (!Res->Error.empty())
      LastError = Res->Error;
    Ready.swap(Waiters);
  }
  if (ShowError)
    showMessage(1, "klp-lsp: " + Res->Error);
  for (Waiter &W : Ready)
    if (!W.R->answered()) {
      try {
        W.Answer(*Res);
      } catch (const RpcError &E) {
        W.R->error(E.Code, E.Message);
      } catch (const std::exception &E) {
        W.R->error(ErrorCode::InternalError, E.what());
      }
    }
  return Res->Generation;
}

std::map<std::string, std::vector<Diagnostic>>
Server::diagnosticsFor(const workspace::AnalysisResult &Res) const {
  const Report *Findings = &Res.Check.Result;
  Report Joined;
  if (!Binary.empty() && BinaryGeneration == Res.Generation) {
    Joined = Res.Check.Result;
    for (const BinaryFindings &B : Binary)
      joinBinaryFindings(Joined, B);
    Joined.sort();
    Findings = &Joined;
  }
  auto ByFile = features::diagnosticsByFile(*Findings, Root, Severities);
  for (const auto &[Uri, D] : Docs.all())
    if (auto Rel = relativePath(Uri)) {
      auto Extra = features::includedFileDiagnostics(*Findings, *Rel, D.Text, Root, Severities);
      if (!Extra.empty()) {
        std::vector<Diagnostic> &List = ByFile[*Rel];
        List.insert(List.end(), Extra.begin(), Extra.end());
      }
    }
  return ByFile;
}

// Called with M held.
void Server::publish(const workspace::AnalysisResult &Res) {
  if (!PushDiagnostics) {
    if (ClientDiagnosticRefresh)
      sendRequest("workspace/diagnostic/refresh", nullptr);
    return;
  }
  auto ByFile = diagnosticsFor(Res);
  auto Send = [&](const std::string &Rel, const std::vector<Diagnostic> &Diags) {
    std::string Uri = pathToUri(Root + "/" + Rel);
    Json P = {{"uri", Uri}, {"diagnostics", Diags}};
    if (const workspace::Document *D = Docs.find(Uri))
      P["version"] = D->Version;
    sendNotification("textDocument/publishDiagnostics", std::move(P));
  };
  for (const auto &[Rel, Diags] : ByFile)
    Send(Rel, Diags);
  // Open documents of this analysis that have nothing (anymore) get an empty list, so the
  // client knows the new text was analysed.
  std::set<std::string> Now;
  for (const auto &[Rel, D] : ByFile)
    Now.insert(Rel);
  for (const std::string &Rel : Published)
    if (!Now.count(Rel))
      Send(Rel, {});
  for (const auto &[Rel, V] : Res.Versions)
    if (!Now.count(Rel) && !Published.count(Rel))
      Send(Rel, {});
  Published = std::move(Now);
}

// Called with M held. One notification per finished analysis of the current generation, so a
// client can show the verdict without polling klp.checkPatch (same report as its result).
void Server::publishVerdict(const workspace::AnalysisResult &Res) {
  if (!VerdictNotification)
    return;
  Json P = {{"generation", Res.Generation}};
  if (Res.Error.empty()) {
    Json Report = patchReport(Res, Root);
    P["verdict"] = Report.value("verdict", "");
    P["report"] = std::move(Report);
  } else {
    P["verdict"] = nullptr;
    P["error"] = Res.Error;
  }
  sendNotification("klp/verdict", std::move(P));
}

void Server::whenFresh(ReplyPtr R, const std::string &Uri,
                       std::function<void(const workspace::AnalysisResult &)> Answer) {
  std::shared_ptr<const workspace::AnalysisResult> Now;
  {
    std::lock_guard<std::mutex> L(M);
    if (Latest && Latest->Generation == Generation) {
      Now = Latest;
    } else {
      const workspace::Document *D = Docs.find(Uri);
      Waiters.push_back({R, Uri, D ? D->Version : 0, std::move(Answer)});
      return;
    }
  }
  Answer(*Now);
}

} // namespace klp::lsp
