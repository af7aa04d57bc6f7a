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
};

struct FieldSummary {
  std::string Name;
  std::string Type;
  uint64_t OffsetBits = 0;
  uint64_t SizeBits = 0;
  Loc NameLoc;
};

struct RecordSummary {
  std::string Name; // "struct foo", "union bar", or the typedef name of an anonymous record
  Loc NameLoc;
  uint64_t Size = 0, Align = 0; // bytes
  std::vector<FieldSummary> Fields;
  bool InFileOfInterest = false;
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
};

} // namespace klp::analysis
