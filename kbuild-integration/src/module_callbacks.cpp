// Livepatch callbacks declared with the author header (kbuild-integration/author/klp_lsp.h):
// each KLP_<KIND>(fn) leaves an 8-byte pointer to fn in section ".discard.klp_lsp.<kind>" of
// the patched object. Also where the build finds that header.
#include "klp/error.h"
#include "module_internal.h"
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <elf.h>

#ifndef KLP_AUTHOR_INCLUDE_DIR
#define KLP_AUTHOR_INCLUDE_DIR ""
#endif

namespace klp {

const std::vector<std::string> &callbackKinds() {
  static const std::vector<std::string> Kinds = {"pre_patch", "post_patch", "pre_unpatch",
                                                 "post_unpatch"};
  return Kinds;
}

std::string callbackMacro(const std::string &Kind) {
  std::string M = "KLP_";
  for (char C : Kind)
    M.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(C))));
  return M;
}

std::string authorIncludeDir() {
  if (const char *Dir = std::getenv("KLP_AUTHOR_INCLUDE_DIR"); Dir && *Dir)
    return Dir;
  return KLP_AUTHOR_INCLUDE_DIR;
}

std::map<std::string, std::string> findCallbacks(const ElfObject &Obj) {
  std::map<std::string, std::string> Found;
  const std::string Prefix = ".discard.klp_lsp.";
  for (const ElfSection &Sec : Obj.sections()) {
    if (!Sec.Name.starts_with(Prefix))
      continue;
    std::string Kind = Sec.Name.substr(Prefix.size());
    if (std::find(callbackKinds().begin(), callbackKinds().end(), Kind) == callbackKinds().end())
      throw Error(Obj.path() + ": unknown livepatch callback kind in section " + Sec.Name);
    const std::vector<ElfRelocation> &Relocs = Obj.relocationsFor(Sec.Index);
    if (Sec.Size != 8 || Relocs.size() != 1 || Relocs[0].Offset != 0 ||
        Relocs[0].Type != R_X86_64_64)
      throw Error(Obj.path() + ": section " + Sec.Name +
                  " must hold one function pointer (declare callbacks with " + callbackMacro(Kind) +
                  " of klp_lsp.h, once per file)");
    const ElfSymbol &S = Obj.symbols().at(Relocs[0].Symbol);
    if (S.Shndx == SHN_UNDEF || S.Shndx >= SHN_LORESERVE)
      throw Error(Obj.path() + ": the " + Kind + " callback " + S.Name +
                  " must be a function defined in the patched file");
    const ElfSymbol *Fn = nullptr;
    if (S.Type == STT_FUNC && Relocs[0].Addend == 0) {
      Fn = &S;
    } else if (S.Type == STT_SECTION) {
      uint64_t At = static_cast<uint64_t>(Relocs[0].Addend);
      for (size_t I : Obj.symbolsIn(S.Shndx)) {
        const ElfSymbol &C = Obj.symbols()[I];
        if (C.Type == STT_FUNC && C.Value == At)
          Fn = &C;
      }
    }
    if (!Fn)
      throw Error(Obj.path() + ": the " + Kind + " callback of section " + Sec.Name +
                  " does not point at the start of a function");
    Found[Kind] = Fn->Name;
  }
  return Found;
}

} // namespace klp
