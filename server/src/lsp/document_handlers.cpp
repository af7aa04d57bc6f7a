// Text document synchronisation: didOpen / didChange (incremental) / didSave / didClose, and
// watched-file changes. Each bumps the generation and schedules an analysis.
#include "lsp/server.h"
#include "lsp/uri.h"

namespace klp::lsp {

std::optional<std::string> Server::relativePath(const std::string &Uri) const {
  std::optional<std::string> Path = uriToPath(Uri);
  if (!Path || Root.empty() || !Path->starts_with(Root + "/"))
    return std::nullopt;
  return Path->substr(Root.size() + 1);
}

void Server::documentsChanged(const std::string &Uri) {
  uint64_t G;
  {
    std::lock_guard<std::mutex> L(M);
    G = ++Generation;
    // Requests about this document computed against older text are stale now.
    if (!Uri.empty()) {
      const workspace::Document *D = Docs.find(Uri);
      for (Waiter &W : Waiters)
        if (W.Uri == Uri && (!D || D->Version != W.Version))
          W.R->error(ErrorCode::ContentModified, "the document changed while the request waited");
      std::erase_if(Waiters, [](const Waiter &W) { return W.R->answered(); });
    }
  }
  Sched->request(G);
}

void Server::onDidOpen(const Json &P) {
  auto Item = P.at("textDocument").get<TextDocumentItem>();
  {
    std::lock_guard<std::mutex> L(M);
    Docs.open(Item.uri, std::move(Item.text), Item.version);
  }
  documentsChanged(Item.uri);
}

void Server::onDidChange(const Json &P) {
  std::string Uri = P.at("textDocument").at("uri");
  int Version = P.at("textDocument").value("version", 0);
  auto Changes = P.at("contentChanges").get<std::vector<TextDocumentContentChangeEvent>>();
  {
    std::lock_guard<std::mutex> L(M);
    Docs.change(Uri, Changes, Version);
  }
  documentsChanged(Uri);
}

void Server::onDidSave(const Json &P) {
  std::string Uri = P.at("textDocument").at("uri");
  {
    std::lock_guard<std::mutex> L(M);
    if (auto Rel = relativePath(Uri))
      DiskChanged.insert(*Rel);
  }
  documentsChanged(Uri);
}

void Server::onDidClose(const Json &P) {
  std::string Uri = P.at("textDocument").at("uri");
  {
    std::lock_guard<std::mutex> L(M);
    Docs.close(Uri);
    // What is on disk counts from now on (it may still differ from the baseline).
    if (auto Rel = relativePath(Uri))
      DiskChanged.insert(*Rel);
  }
  documentsChanged(Uri);
}

void Server::onDidChangeWatchedFiles(const Json &P) {
  {
    std::lock_guard<std::mutex> L(M);
    for (const Json &C : P.at("changes"))
      if (auto Rel = relativePath(C.at("uri").get<std::string>()))
        DiskChanged.insert(*Rel);
    DiskDirty = true;
  }
  documentsChanged("");
}

} // namespace klp::lsp
