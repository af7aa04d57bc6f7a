// LSP 3.17 protocol structs used by klp-lsp, each with to_json/from_json (nlohmann ADL hooks).
// Only the members klp-lsp reads or writes are modelled; unknown members are ignored on input,
// and optional members are left out of the output when unset.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace klp::lsp {

using Json = nlohmann::json;

// JSON-RPC and LSP error codes.
enum class ErrorCode : int {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
  UnknownErrorCode = -32001,
  RequestFailed = -32803,
  ServerCancelled = -32802,
  ContentModified = -32801,
  RequestCancelled = -32800,
};

// Thrown by handlers; the dispatcher turns it into a response error.
struct RpcError {
  ErrorCode Code;
  std::string Message;
};

struct Position {
  int line = 0;
  int character = 0; // UTF-16 code units
  friend bool operator==(const Position &, const Position &) = default;
  friend auto operator<=>(const Position &, const Position &) = default;
};
void to_json(Json &J, const Position &P);
void from_json(const Json &J, Position &P);

struct Range {
  Position start, end;
  friend bool operator==(const Range &, const Range &) = default;
};
void to_json(Json &J, const Range &R);
void from_json(const Json &J, Range &R);

struct Location {
  std::string uri;
  Range range;
};
void to_json(Json &J, const Location &L);

struct TextDocumentItem {
  std::string uri, languageId, text;
  int version = 0;
};
void from_json(const Json &J, TextDocumentItem &T);

struct TextDocumentContentChangeEvent {
  std::optional<Range> range; // absent: the whole document
  std::string text;
};
void from_json(const Json &J, TextDocumentContentChangeEvent &C);

struct DiagnosticRelatedInformation {
  Location location;
  std::string message;
};
void to_json(Json &J, const DiagnosticRelatedInformation &D);

struct Diagnostic {
  Range range;
  int severity = 1; // 1 error, 2 warning, 3 information, 4 hint
  std::string code; // the rule id
  std::string codeHref;
  std::string source = "klp-lsp";
  std::string message;
  std::vector<DiagnosticRelatedInformation> relatedInformation;
};
void to_json(Json &J, const Diagnostic &D);
void from_json(const Json &J, Diagnostic &D); // as echoed back in codeAction context

struct TextEdit {
  Range range;
  std::string newText;
};
void to_json(Json &J, const TextEdit &E);

struct WorkspaceEdit {
  // uri -> edits, in a stable order
  std::vector<std::pair<std::string, std::vector<TextEdit>>> changes;
};
void to_json(Json &J, const WorkspaceEdit &E);

struct Command {
  std::string title, command;
  Json arguments = Json::array();
};
void to_json(Json &J, const Command &C);

struct CodeAction {
  std::string title;
  std::string kind = "quickfix";
  std::vector<Diagnostic> diagnostics;
  bool isPreferred = false;
  WorkspaceEdit edit;
};
void to_json(Json &J, const CodeAction &A);

struct CodeLens {
  Range range;
  Command command;
};
void to_json(Json &J, const CodeLens &L);

struct Hover {
  std::string markdown;
  std::optional<Range> range;
};
void to_json(Json &J, const Hover &H);

// The request parameters for methods keyed by a document and an optional position/range.
struct TextDocumentPositionParams {
  std::string uri;
  Position position;
};
void from_json(const Json &J, TextDocumentPositionParams &P);

} // namespace klp::lsp
