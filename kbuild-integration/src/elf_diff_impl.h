// Internals of the ELF diff (klp/elf_diff.h), split by concern: symbol names and correlation
// (elf_diff_correlate.cpp), gcc's -fdump-ipa-clones dump (elf_diff_clones.cpp), and the
// comparison of bodies (elf_diff.cpp).
#pragma once
#include "elf_object.h"

#include <cstdint>
#include <string>
#include <vector>

namespace klp::elfdiff {

// "foo.constprop.0" -> "foo"; names without a gcc suffix stay as they are.
std::string baseName(const std::string &Symbol);
// The suffix kinds of a gcc clone name with their numbers dropped: "foo.isra.0.cold" ->
// "foo.isra.cold". Two clones of one function with the same shape correlate.
std::string cloneShape(const std::string &Symbol);
// "foo.cold" or "foo.part.0.cold": the parent is the name without ".cold[.N]"; "" if not cold.
std::string coldParent(const std::string &Symbol);
// A non-empty run of decimal digits (the numbers gcc appends to clones, locals and sections).
bool allDigits(const std::string &S);
// A numbered function-scope static ("x.0", "__key.12", "__already_done.3"): gcc numbers them
// per translation unit, so the number shifts when an earlier one is added.
bool isNumberedLocal(const std::string &Symbol);

// True for a function (STT_FUNC) or data object (STT_OBJECT) defined in a section.
bool isDefinedEntity(const ElfSymbol &S);

// Relocation types whose value is relative to the place (their addend is biased by -4).
bool isPcRelative(uint32_t RelType);
// Bytes the relocation writes at its offset.
unsigned relocationWidth(uint32_t RelType);

// The defined function or object of section Shndx that covers Offset, preferring one that
// starts there; nullptr when none does.
const ElfSymbol *symbolAt(const ElfObject &O, uint32_t Shndx, uint64_t Offset);

// Symbol correlation by index: Orig[I] is the patched index matching original symbol I, or -1.
struct Correlation {
  std::vector<int64_t> ToPatched;
  std::vector<int64_t> ToOriginal;
};
Correlation correlateSymbols(const ElfObject &Orig, const ElfObject &Patched);

// The defined function or object a relocation refers to, section symbols and local labels
// resolved; nullptr when it is none. InCode: the relocation is in an instruction, so a
// PC-relative addend is biased by -4 (the field's distance to the instruction's end).
const ElfSymbol *relocationEntity(const ElfObject &O, const ElfRelocation &R, bool InCode);

// One line of gcc's -fdump-ipa-clones dump: Callee was inlined into (Kind "inlining to") or
// cloned as (Kind "constprop", "isra", "part", ...) Into.
struct CloneEdge {
  std::string Callee;
  std::string Into;
  std::string Kind;
};
// Parses a dump; "" gives no edges. Throws klp::Error naming the file when it cannot be read.
std::vector<CloneEdge> readIpaClones(const std::string &Path);

} // namespace klp::elfdiff
