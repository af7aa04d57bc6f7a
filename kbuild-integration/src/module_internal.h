// Internals of livepatch module packaging (klp/livepatch_module.h): the payload object cut out
// of a patched object, the exports of the target, and a small libelf writer.
#pragma once
#include "elf_object.h"
#include "klp/livepatch_module.h"
#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace klp {

// Exported symbols of the target (Module.symvers of its headers): name -> exporting object
// ("vmlinux" or a module name with "-" spelled "_").
using ExportMap = std::map<std::string, std::string>;
ExportMap readModuleSymvers(const std::string &Path);

// "ext4-foo" and "ext4_foo" name the same module.
std::string normalizeModuleName(const std::string &Name);

// The name of a livepatch symbol: ".klp.sym.OBJ.NAME,POS".
std::string klpSymbolName(const std::string &Object, const std::string &Name, unsigned long Pos);

// One relocation of the payload. Symbol is a key into Payload::Symbols by name; section
// symbols are keyed "section:" + output section name.
struct PayloadRelocation {
  uint64_t Offset = 0;
  uint32_t Type = 0;
  int64_t Addend = 0;
  std::string Symbol;
};

struct PayloadSection {
  std::string Name;
  uint32_t Type = 0;
  uint64_t Flags = 0;
  uint64_t Align = 1;
  uint64_t EntSize = 0;
  uint64_t Size = 0; // for SHT_NOBITS; else Data.size()
  std::string Data;
  std::vector<PayloadRelocation> Relocations;
};

struct PayloadSymbol {
  std::string Name; // also the key relocations use ("section:NAME" for section symbols)
  unsigned Type = 0;
  unsigned Bind = 0;
  int Section = -1; // index into Payload::Sections, -1 = undefined
  uint64_t Value = 0;
  uint64_t Size = 0;
};

// A function the registration code hands to klp_func.
struct PatchedFunction {
  std::string OldName;
  unsigned long OldSympos = 0;
  std::string NewSymbol; // global alias in the payload, a C identifier
};

// What goes into the module from one patched object: the kept sections with their relocations
// rewritten (exported targets as undefined globals, the others as undefined weak livepatch
// symbols ".klp.sym.OBJ.NAME,POS", turned into SHN_LIVEPATCH ones after the kbuild link).
struct Payload {
  std::string Object;
  std::vector<PayloadSection> Sections;
  std::vector<PayloadSymbol> Symbols; // in order: locals then globals (written that way)
  std::vector<PatchedFunction> Functions;
  // Livepatch callbacks declared in the object (klp_lsp.h): kind ("pre_patch", ...) -> global
  // alias of the kept function, a C identifier.
  std::map<std::string, std::string> Callbacks;
  const PayloadSymbol *symbol(const std::string &Key) const;
  const PayloadSection *section(const std::string &Name) const;
};

// Throws when a module target's payload has a special section entry (static key, static call,
// alternative, paravirt site) that needs a livepatch relocation: those are applied too late.
void rejectLateSpecialRelocations(const Payload &P, const std::string &ObjectFile);

// Cuts the payload out of a patched object. Index tells the aliases of different objects apart.
Payload selectPayload(const ElfObject &Obj, const PatchedObjectSpec &Spec, const ExportMap &Exports,
                      const TargetSymbols &Symbols, unsigned Index = 0);

// The selection state, shared by module_select.cpp and module_special.cpp.
class PayloadSelector {
public:
  PayloadSelector(const ElfObject &Obj, const PatchedObjectSpec &Spec, const ExportMap &Exports,
                  const TargetSymbols &Symbols, unsigned Index);
  Payload run();

  // Keeps input section Index whole (queued for relocation processing); returns its output index.
  int keepSection(size_t Index);
  bool isKept(size_t Index) const { return Kept.count(Index) != 0; }
  // The output section named like input section Index, created empty when absent.
  int outputSectionLike(size_t Index);
  // Appends input bytes [Start, Start+Len) of section Index (and the relocations in that range)
  // to output section Out, except a relocation at input offset Skip; returns the offset they
  // got there.
  uint64_t appendPiece(int Out, size_t Index, uint64_t Start, uint64_t Len, int64_t Skip = -1);
  // The payload symbol key and addend a relocation of the input object resolves to.
  std::pair<std::string, int64_t> resolve(const ElfRelocation &R, const std::string &From);
  std::string sectionSymbol(int Out);

  const ElfObject &Obj;
  Payload Out;

private:
  void drain();
  void selectSpecialSections();
  const ElfSymbol *coveringSymbol(size_t Section, int64_t Offset) const;
  bool shouldCopy(const ElfSection &Sec, const ElfSymbol *Target) const;
  std::string named(const std::string &Name);
  std::string klpName(const std::string &Name);

  const PatchedObjectSpec &Spec;
  const ExportMap &Exports;
  const TargetSymbols &Symbols;
  unsigned Index;
  std::set<std::string> KeepFunctions;
  std::map<size_t, int> Kept; // input section -> output section
  std::deque<size_t> Work;
  std::map<std::string, int> SymbolIndex; // key -> index in Out.Symbols
  std::vector<std::string> Siblings;
  friend void selectSpecialEntries(PayloadSelector &S);
};

// Keeps the entries of special sections (__bug_table, __jump_table, .altinstructions, ORC,
// __mcount_loc, ...) that belong to kept text.
void selectSpecialEntries(PayloadSelector &S);

// A section of an ELF image to write; index 0 (the null section) is implicit.
struct ImageSection {
  std::string Name;
  uint32_t Type = 0;
  uint64_t Flags = 0;
  uint32_t Link = 0;
  uint32_t Info = 0;
  uint64_t Align = 1;
  uint64_t EntSize = 0;
  uint64_t Size = 0; // SHT_NOBITS only
  std::string Data;
};

// Writes an x86-64 ET_REL object whose sections are Sections (output index = position + 1)
// and whose section name table is built from their names (a section named ".shstrtab" among
// them receives it). Throws klp::Error naming Path.
void writeElfImage(const std::string &Path, const std::vector<ImageSection> &Sections);

void writePayloadObject(const Payload &P, const std::string &Path);

// The post-link step: turns the undefined ".klp.sym.*" symbols of a kbuild-linked .ko into
// SHN_LIVEPATCH symbols and moves the relocations against them into ".klp.rela.OBJ.SECTION"
// sections (SHF_ALLOC | SHF_RELA_LIVEPATCH). Writes the result to Out.
void convertKlpRelocations(const std::string &In, const std::string &Out);

// The callback kinds of struct klp_callbacks, in its order.
const std::vector<std::string> &callbackKinds();
// The author header's macro of a kind: "pre_patch" -> "KLP_PRE_PATCH".
std::string callbackMacro(const std::string &Kind);

// The callbacks declared with klp_lsp.h's KLP_<KIND>(fn) in Obj: kind -> function symbol.
// Throws klp::Error naming the object when a marker section is malformed or points at a
// function the object does not define.
std::map<std::string, std::string> findCallbacks(const ElfObject &Obj);

// The C source registering the patch (klp_func / klp_object / klp_patch).
std::string registrationSource(const ModuleSpec &Spec, const std::vector<Payload> &Payloads);

} // namespace klp
