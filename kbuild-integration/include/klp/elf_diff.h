// The binary truth of a patch: which functions and data objects of one translation unit really
// changed, found by diffing the original and the patched object (both compiled with
// -ffunction-sections -fdata-sections) at ELF level.
#pragma once
#include <string>
#include <vector>

namespace klp {

enum class FunctionStatus { Unchanged, Changed, New, Removed };

struct FunctionDiff {
  std::string Name;   // source-level name ("cmdline_proc_show"; clone suffixes stripped)
  std::string Symbol; // the patched object's symbol ("foo.constprop.0"), or original's when Removed
  FunctionStatus Status;
  bool Global = false;   // STB_GLOBAL in the patched object
  bool LineOnly = false; // changed only in __LINE__-like immediates -> reported as
                         // line-macro-shift, not Changed (Status stays Unchanged)
  std::vector<std::string>
      InlinedChanged; // from ipa-clones: changed callees inlined/cloned into it
};

struct DataDiff {
  std::string Symbol;
  FunctionStatus Status;
}; // objects (STT_OBJECT) changed/new/removed

struct ObjectDiff {
  // Every function that is Changed, New, Removed, or Unchanged with LineOnly; sorted by Name,
  // then Symbol. A function's .cold part is folded into the function, never listed on its own.
  std::vector<FunctionDiff> Functions;
  std::vector<DataDiff> Data; // Changed, New or Removed objects, sorted by Symbol
};

// Diffs two relocatable objects built with -ffunction-sections -fdata-sections.
// Clones dumps optional. Throws klp::Error naming the file when it is not a readable ELF object.
ObjectDiff diffObjects(const std::string &Original, const std::string &Patched,
                       const std::string &OriginalClones = "",
                       const std::string &PatchedClones = "");

} // namespace klp
