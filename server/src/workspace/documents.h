// The editor's open documents: text and version per URI, with LSP incremental edits applied.
// Positions are UTF-16 code units as LSP requires; the text is kept as UTF-8.
#pragma once
#include "lsp/protocol.h"
#include <map>
#include <string>
#include <vector>

namespace klp::workspace {

struct Document {
  std::string Uri;
  std::string Text;
  int Version = 0;
};

// Byte offset in Text of an LSP position. A character past the end of its line clamps to the
// line end, a line past the end to the text end (what clients expect of the spec's "past the
// end" positions).
size_t offsetOf(const std::string &Text, const lsp::Position &P);

// Applies one change event. Throws lsp::RpcError(InvalidParams) when the range is reversed.
void applyChange(std::string &Text, const lsp::TextDocumentContentChangeEvent &Change);

class DocumentStore {
public:
  void open(const std::string &Uri, std::string Text, int Version);
  // Throws lsp::RpcError(InvalidParams) for a document that is not open.
  void change(const std::string &Uri, const std::vector<lsp::TextDocumentContentChangeEvent> &Cs,
              int Version);
  void close(const std::string &Uri);
  const Document *find(const std::string &Uri) const;
  const std::map<std::string, Document> &all() const { return Docs; }

private:
  std::map<std::string, Document> Docs;
};

} // namespace klp::workspace
