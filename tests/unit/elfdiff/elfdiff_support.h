// Helpers of the ELF diff tests: compiling a C file the way the kernel's
// changed objects are compiled for the diff, and a one-line-per-entry text form of a diff.
#pragma once
#include "../../../kbuild-integration/src/shell_words.h"
#include "klp/elf_diff.h"
#include "vm_process.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace klp::testing {

using test::TempDir;

struct CompiledSide {
  std::string Object, Clones;
};

// Copies Source to Dir/x.c and compiles it there; throws with gcc's exit status on failure.
inline CompiledSide compileSide(const std::filesystem::path &Dir,
                                const std::filesystem::path &Source) {
  std::filesystem::create_directories(Dir);
  std::filesystem::copy_file(Source, Dir / "x.c");
  std::string Cmd = "cd " + shellQuote(Dir.string()) +
                    " && gcc-12 -O2 -ffunction-sections -fdata-sections -fdump-ipa-clones"
                    " -c x.c -o x.o";
  int Rc = std::system(Cmd.c_str());
  if (Rc != 0)
    throw std::runtime_error("compiling " + Source.string() + " failed (" + std::to_string(Rc) +
                             ")");
  return {(Dir / "x.o").string(), (Dir / "x.c.000i.ipa-clones").string()};
}

inline const char *statusName(FunctionStatus S) {
  switch (S) {
  case FunctionStatus::Unchanged:
    return "unchanged";
  case FunctionStatus::Changed:
    return "changed";
  case FunctionStatus::New:
    return "new";
  case FunctionStatus::Removed:
    return "removed";
  }
  return "?";
}

// "function NAME SYMBOL STATUS [global] [line-only] [inlined=A,B]" and "data SYMBOL STATUS".
inline std::string formatDiff(const ObjectDiff &D) {
  std::string Out;
  for (const FunctionDiff &F : D.Functions) {
    Out += "function " + F.Name + " " + F.Symbol + " " + statusName(F.Status);
    if (F.Global)
      Out += " global";
    if (F.LineOnly)
      Out += " line-only";
    for (size_t I = 0; I < F.InlinedChanged.size(); ++I)
      Out += (I ? "," : " inlined=") + F.InlinedChanged[I];
    Out += "\n";
  }
  for (const DataDiff &X : D.Data)
    Out += "data " + X.Symbol + " " + statusName(X.Status) + "\n";
  return Out;
}

} // namespace klp::testing
