// The findings model shared by the source analysis (clang-plugins), the binary analysis
// (kbuild-integration) and every front end (CLI text/JSON/SARIF, the language server).
// Positions are 0-based lines and byte columns into the *patched* file, as LSP wants them
// (kernel sources are ASCII, so bytes equal UTF-16 code units there).
#pragma once
#include <string>
#include <vector>

namespace klp {

enum class Severity { Error, Warning, Info };
const char *severityName(Severity S); // "error", "warning", "info"

struct Position {
  unsigned Line = 0;      // 0-based
  unsigned Character = 0; // 0-based byte column
  friend bool operator==(const Position &, const Position &) = default;
  friend auto operator<=>(const Position &, const Position &) = default;
};

struct Range {
  Position Start, End;
  friend bool operator==(const Range &, const Range &) = default;
  friend auto operator<=>(const Range &, const Range &) = default;
};

// A second place that explains a finding (a caller, a user of a struct).
struct RelatedLocation {
  std::string File; // tree-relative path
  Range Where;
  std::string Message;
  std::string Symbol = {}; // the function/record there, if any (e.g. an inline caller)
};

struct TextEdit {
  std::string File;
  Range Where;
  std::string NewText;
};

// A quick fix: a title and the edits that implement it.
struct Fix {
  std::string Title;
  std::vector<TextEdit> Edits;
};

struct Finding {
  std::string Rule; // a stable id from rules.h, e.g. "struct-layout-change"
  Severity Sev = Severity::Info;
  std::string File; // tree-relative path of the patched file
  Range Where;
  std::string Message;
  std::vector<RelatedLocation> Related;
  std::vector<Fix> Fixes;
  std::string Symbol; // the function/record/variable the finding is about, if any
  // Markdown with the facts behind the message (hover text), may be empty. "= {}" keeps
  // aggregate initializers that end before it free of -Wmissing-field-initializers.
  std::string Detail = {};
};

// One function of the patch and what happens to it in the livepatch.
struct FunctionChange {
  std::string Name;
  std::string File;
  // "changed" (source or generated code differs), "new", "removed",
  // "line-shift" (generated code differs only through __LINE__),
  // "inline-caller" (unchanged, but a changed inline callee is compiled into it).
  std::string Status;
  Range Where; // the function's name in the patched file (original file for "removed")
};

struct Report {
  std::vector<Finding> Findings;
  std::vector<FunctionChange> Functions;
  // Derived: "unsafe" if any error finding, "needs-care" if any warning, else "safe".
  std::string verdict() const;
  bool hasError() const;
  // Order findings by file, position, rule so every output is deterministic.
  void sort();
};

} // namespace klp
