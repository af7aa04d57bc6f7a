// Livepatch module packaging: from patched relocatable objects (built with -ffunction-sections
// -fdata-sections, objtool run) to a loadable livepatch .ko linked by kbuild against the target
// kernel's headers, in the ELF format of Documentation/livepatch/module-elf-format.rst.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace klp {

// A target kernel's symbol table for livepatch positions (sympos): /proc/kallsyms or System.map
// format ("ADDR TYPE NAME [MODULE]"), plus module .ko symtabs. sympos of a local NAME in OBJ is
// 0 when unique, else 1-based order among same-name symbols in kallsyms order (see
// Documentation/livepatch/module-elf-format.rst). Ambiguity (name not found / several and no way
// to choose) -> klp::Error naming the symbol.
class TargetSymbols {
public:
  struct Symbol {
    std::string Name;
    char Type = 0;        // kallsyms letter ('t', 'T', 'd', ...)
    uint64_t Address = 0; // as listed (st_value for .ko symbols)
  };

  TargetSymbols();
  ~TargetSymbols();
  TargetSymbols(TargetSymbols &&);
  TargetSymbols &operator=(TargetSymbols &&);

  // Reads a kallsyms/System.map format file. Lines with a trailing "[module]" belong to that
  // module, the others to vmlinux. Throws klp::Error naming the file when it cannot be read or
  // a line is malformed.
  static TargetSymbols fromFile(const std::string &Path);
  // The symbols of module Object (e.g. "nfsd") as the module loader lists them for kallsyms:
  // the .ko's named, defined symbols of allocated, non-init sections, in symtab order.
  // Replaces what fromFile read for that module.
  void addModuleFile(const std::string &Object, const std::string &KoPath);
  // Where the .ko of a module not added yet is searched (recursively, "-" and "_" equivalent),
  // e.g. /lib/modules/6.1.0-50-amd64/kernel. Modules are read when first needed.
  void setModulesDir(const std::string &Dir);

  // Symbols named Name in Object ("vmlinux" or a module name), in kallsyms order.
  std::vector<Symbol> lookup(const std::string &Object, const std::string &Name) const;
  // The sympos of Name in Object: 0 when unique. When several symbols share the name, the one
  // nearest (by address, same section kind) to the unique symbols of Siblings (other symbols of
  // the same translation unit) is chosen and its 1-based position returned. Throws klp::Error
  // when Name is absent, or duplicated without a sibling that decides.
  unsigned long position(const std::string &Object, const std::string &Name,
                         const std::vector<std::string> &Siblings = {}) const;

private:
  struct Impl;
  std::unique_ptr<Impl> I;
};

struct PatchedObjectSpec {
  std::string Object;                 // "vmlinux" or a module name ("nfsd")
  std::string PatchedObjectFile;      // the patched .o (function sections)
  std::vector<std::string> Functions; // symbols to replace (Changed), by patched-object symbol name
  std::vector<std::string> NewFunctions;
  // Local data objects of the patched object that the target does not have (new statics):
  // copied into the module instead of referenced in the target.
  std::vector<std::string> NewData;
};

struct ModuleSpec {
  std::string Name; // module name, e.g. "livepatch_cmdline"
  std::vector<PatchedObjectSpec> Objects;
  std::string TargetHeaders = "/usr/src/linux-headers-6.1.0-50-amd64"; // M= build dir for vermagic
  std::string Compiler = "gcc-12";
  bool Replace = true; // atomic replace
  std::string WorkDir; // scratch; empty = temp dir under ~/.cache/klp-lsp/module
};

// The directory of the patch authors' header klp_lsp.h (callbacks, shadow variables): the
// object build adds "-I" + this directory so that patched sources can #include <klp_lsp.h>.
// $KLP_AUTHOR_INCLUDE_DIR when set, else kbuild-integration/author of the source checkout.
std::string authorIncludeDir();

// Writes the module to OutKo (atomically). Throws klp::Error with a clear message, and
// BuildCancelled (nothing written) once Cancelled returns true: the kbuild link is killed.
void buildLivepatchModule(const ModuleSpec &Spec, const TargetSymbols &Symbols,
                          const std::string &OutKo, const std::function<bool()> &Cancelled = {});

} // namespace klp
