// What the analysis remembers of one parsed translation unit: plain data, no Clang types, so a
// summary can be kept (the language server caches baseline summaries) and compared cheaply.
// Only entities located in the "files of interest" (the main file and the changed files) are
// recorded, plus the records those entities use.
#pragma once
#include "klp/findings.h"
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace klp::analysis {

struct Loc {
  std::string File; // tree-relative
  Range Where;
};

// A use of __LINE__ inside a function: which macro the line number came through, where.
struct LineUse {
  std::string Macro; // outermost macro at the use site in the file, e.g. "WARN_ON"
  unsigned Line = 0; // 0-based line of that macro invocation
};

struct FunctionSummary {
  std::string Name;
  Loc NameLoc;                // the name (or the macro that builds the name, e.g. SYSCALL_DEFINE3)
  unsigned BodyStartLine = 0; // 0-based line of the opening brace
  unsigned EndLine = 0;       // 0-based line of the closing brace
  std::string Type;           // the prototype, e.g. "int (struct seq_file *, void *)"
  bool IsStatic = false;
  bool IsInline = false; // declared inline
  bool AlwaysInline = false;
  bool NoInline = false;
  bool NoTrace = false;       // no_instrument_function (notrace, noinstr)
  std::string Section;        // explicit section, e.g. ".init.text", ".noinstr.text"
  std::string DefiningMacro;  // e.g. "SYSCALL_DEFINE3" when the definition comes from a macro
  uint64_t TokenHash = 0;     // spelled tokens of the definition (no whitespace/comments)
  uint64_t SemHash = 0;       // expanded body and signature, including literal values
  uint64_t SemHashNoLine = 0; // the same with __LINE__-derived literals left out
  std::vector<LineUse> LineUses;
  std::set<std::string> Callees;      // directly called functions
  std::set<std::string> Tracepoints;  // callees that are tracepoints (trace_<event>)
  std::set<std::string> Records;      // records (struct/union names) the body uses
  std::set<std::string> StaticLocals; // names of static locals it owns
  std::set<std::string> Macros;       // macros expanded in the body (outermost and nested)
  bool SleepingInfiniteLoop = false;  // for(;;)/while(1) that calls a sleeping function
  unsigned Statements = 0;            // body size, for the "likely inlined" guess
  // For the noinline quick fix (empty File when not written in the file): the token that
  // makes the definition inline ("inline", "__always_inline", ...) and where its return type
  // starts (to insert "noinline" before it).
  Loc InlineToken;
  Loc ReturnTypeStart;
};

struct FieldSummary {
  std::string Name;
  std::string Type;
  uint64_t OffsetBits = 0;
  uint64_t SizeBits = 0;
  Loc NameLoc;
  // The declaration as written, without its ';' ("unsigned long dropped", "DECLARE_BITMAP(m, 8)"),
  // the 0-based lines from its start to its ';', and whether it has those lines to itself
  // (nothing but blanks and a comment beside it): what the shadow-variable fix moves out.
  std::string DeclText;
  unsigned DeclStartLine = 0, DeclEndLine = 0;
  bool OwnLines = false;
};

struct RecordSummary {
  std::string Name; // "struct foo", "union bar", or the typedef name of an anonymous record
  Loc NameLoc;
  uint64_t Size = 0, Align = 0; // bytes
  std::vector<FieldSummary> Fields;
  bool InFileOfInterest = false;
  // Defined at file scope of a file of interest; then DefStartLine is the definition's first
  // line and DefEndLine the line of the ';' that ends it (0-based).
  bool TopLevel = false;
  unsigned DefStartLine = 0, DefEndLine = 0;
  bool layoutEquals(const RecordSummary &O) const;
};

struct VarSummary {
  std::string Name;
  std::string Owner; // enclosing function for static locals, empty for file scope
  Loc NameLoc;
  std::string Type;
  bool IsStatic = false;
  bool HasInit = false;
  uint64_t InitHash = 0;
  std::string Section;
  std::string key() const { return Owner.empty() ? Name : Owner + "::" + Name; }
};

// An #include directive of a file of interest.
struct IncludeLine {
  std::string Name;   // as written between the quotes or brackets, e.g. "linux/livepatch.h"
  unsigned Line = 0;  // 0-based
  unsigned Depth = 0; // #if nesting in its file (a header's include guard counts)
};

// Lines [First, Last] (0-based) of a comment or #define that spans several lines: a line
// inserted before any of First+1..Last would land inside it.
struct LineSpan {
  unsigned First = 0, Last = 0;
};

struct TuSummary {
  std::string MainFile;                             // tree-relative
  std::map<std::string, FunctionSummary> Functions; // by name
  std::map<std::string, RecordSummary> Records;     // by name
  std::map<std::string, VarSummary> Vars;           // by key()
  std::map<std::string, Loc> Exports;               // EXPORT_SYMBOL*(name) -> its location
  std::set<std::string> KthreadFunctions;           // passed to kthread_create*/kthread_run*
  std::multiset<std::string> Initcalls;             // "module_init(fn)", "late_initcall(fn)"
  std::map<std::string, Loc> InitcallLocs;          // each of Initcalls -> where it is
  std::set<std::string> FilesSeen;                  // tree-relative files the TU included
  std::map<std::string, std::vector<IncludeLine>> Includes;    // per file of interest, in order
  std::map<std::string, std::vector<LineSpan>> MultiLineSpans; // per file of interest
};

} // namespace klp::analysis
