#include "lsp/protocol.h"

namespace klp::lsp {

void to_json(Json &J, const Position &P) { J = {{"line", P.line}, {"character", P.character}}; }
void from_json(const Json &J, Position &P) {
  J.at("line").get_to(P.line);
  J.at("character").get_to(P.character);
  if (P.line < 0 || P.character < 0)
    throw RpcError{ErrorCode::InvalidParams, "position with a negative line or character"};
}

void to_json(Json &J, const Range &R) { J = {{"start", R.start}, {"end", R.end}}; }
void from_json(const Json &J, Range &R) {
  J.at("start").get_to(R.start);
  J.at("end").get_to(R.end);
}

void to_json(Json &J, const Location &L) { J = {{"uri", L.uri}, {"range", L.range}}; }

void from_json(const Json &J, TextDocumentItem &T) {
  J.at("uri").get_to(T.uri);
  T.languageId = J.value("languageId", "");
  J.at("version").get_to(T.version);
  J.at("text").get_to(T.text);
}

void from_json(const Json &J, TextDocumentContentChangeEvent &C) {
  if (J.contains("range"))
    C.range = J.at("range").get<Range>();
  J.at("text").get_to(C.text);
}

void to_json(Json &J, const DiagnosticRelatedInformation &D) {
  J = {{"location", D.location}, {"message", D.message}};
}

void to_json(Json &J, const Diagnostic &D) {
  J = {{"range", D.range}, {"severity", D.severity}, {"source", D.source}, {"message", D.message}};
  if (!D.code.empty())
    J["code"] = D.code;
  if (!D.codeHref.empty())
    J["codeDescription"] = {{"href", D.codeHref}};
  if (!D.relatedInformation.empty())
    J["relatedInformation"] = D.relatedInformation;
}

void from_json(const Json &J, Diagnostic &D) {
  J.at("range").get_to(D.range);
  D.severity = J.value("severity", 1);
  if (J.contains("code") && J["code"].is_string())
    D.code = J["code"].get<std::string>();
  D.source = J.value("source", "");
  D.message = J.value("message", "");
}

void to_json(Json &J, const TextEdit &E) { J = {{"range", E.range}, {"newText", E.newText}}; }

void to_json(Json &J, const WorkspaceEdit &E) {
  Json Changes = Json::object();
  for (const auto &[Uri, Edits] : E.changes)
    Changes[Uri] = Edits;
  J = {{"changes", Changes}};
}

void to_json(Json &J, const Command &C) {
  J = {{"title", C.title}, {"command", C.command}};
  if (!C.arguments.empty())
    J["arguments"] = C.arguments;
}

void to_json(Json &J, const CodeAction &A) {
  J = {{"title", A.title}, {"kind", A.kind}, {"edit", A.edit}};
  if (!A.diagnostics.empty())
    J["diagnostics"] = A.diagnostics;
  if (A.isPreferred)
    J["isPreferred"] = true;
}

void to_json(Json &J, const CodeLens &L) { J = {{"range", L.range}, {"command", L.command}}; }

void to_json(Json &J, const Hover &H) {
  J = {{"contents", {{"kind", "markdown"}, {"value", H.markdown}}}};
  if (H.range)
    J["range"] = *H.range;
}

void from_json(const Json &J, TextDocumentPositionParams &P) {
  J.at("textDocument").at("uri").get_to(P.uri);
  J.at("position").get_to(P.position);
}

} // namespace klp::lsp
