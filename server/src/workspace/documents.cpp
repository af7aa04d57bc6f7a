#include "workspace/documents.h"

namespace klp::workspace {

size_t offsetOf(const std::string &Text, const lsp::Position &P) {
  size_t Off = 0;
  for (int L = 0; L < P.line; ++L) {
    size_t Nl = Text.find('\n', Off);
    if (Nl == std::string::npos)
      return Text.size();
    Off = Nl + 1;
  }
  // Walk UTF-8 sequences counting UTF-16 units; stop at the line end.
  int Units = 0;
  while (Off < Text.size() && Text[Off] != '\n' && Units < P.character) {
    unsigned char C = static_cast<unsigned char>(Text[Off]);
    size_t Len = C < 0x80 ? 1 : (C >> 5) == 6 ? 2 : (C >> 4) == 14 ? 3 : (C >> 3) == 30 ? 4 : 1;
    Units += Len == 4 ? 2 : 1;
    Off = std::min(Text.size(), Off + Len);
  }
  return Off;
}

void applyChange(std::string &Text, const lsp::TextDocumentContentChangeEvent &Change) {
  if (!Change.range) {
    Text = Change.text;
    return;
  }
  if (Change.range->end < Change.range->start)
    throw lsp::RpcError{lsp::ErrorCode::InvalidParams, "change range ends before it starts"};
  size_t Start = offsetOf(Text, Change.range->start);
  size_t End = offsetOf(Text, Change.range->end);
  Text.replace(Start, End - Start, Change.text);
}

void DocumentStore::open(const std::string &Uri, std::string Text, int Version) {
  Docs[Uri] = Document{Uri, std::move(Text), Version};
}

void DocumentStore::change(const std::string &Uri,
                           const std::vector<lsp::TextDocumentContentChangeEvent> &Cs,
                           int Version) {
  auto It = Docs.find(Uri);
  if (It == Docs.end())
    throw lsp::RpcError{lsp::ErrorCode::InvalidParams,
                        "didChange for " + Uri + ", which is not open"};
  std::string Text = It->second.Text; // all or nothing
  for (const auto &C : Cs)
    applyChange(Text, C);
  It->second.Text = std::move(Text);
  It->second.Version = Version;
}

void DocumentStore::close(const std::string &Uri) { Docs.erase(Uri); }

const Document *DocumentStore::find(const std::string &Uri) const {
  auto It = Docs.find(Uri);
  return It == Docs.end() ? nullptr : &It->second;
}

} // namespace klp::workspace
