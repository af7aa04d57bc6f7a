// A read-only view of one relocatable x86-64 ELF object (a kernel .o), read through libelf.
// Internal to klp_kbuild: the ELF diff and the livepatch module packaging read objects with it.
// Everything is read once when the object is opened; section data points into the object's
// own copy of the file and stays valid while the ElfObject lives.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace klp {

struct ElfSection {
  size_t Index = 0;
  std::string Name;
  uint32_t Type = 0;  // SHT_*
  uint64_t Flags = 0; // SHF_*
  uint64_t Size = 0;
  uint64_t Align = 0;
  uint64_t EntSize = 0;
  uint32_t Link = 0;
  uint32_t Info = 0;
  // The bytes of the section; empty for SHT_NOBITS (.bss) and empty sections.
  std::string_view Data;
};

struct ElfSymbol {
  size_t Index = 0;
  std::string Name;
  unsigned Type = 0; // STT_*
  unsigned Bind = 0; // STB_*
  unsigned Visibility = 0;
  // Section index, extended indices (SHN_XINDEX) already resolved; SHN_UNDEF, SHN_ABS or
  // SHN_COMMON stay as they are.
  uint32_t Shndx = 0;
  uint64_t Value = 0;
  uint64_t Size = 0;
};

struct ElfRelocation {
  uint64_t Offset = 0; // in the section the relocations apply to
  uint32_t Type = 0;   // R_X86_64_*
  uint32_t Symbol = 0; // index into symbols()
  int64_t Addend = 0;  // 0 for SHT_REL sections (x86-64 objects use SHT_RELA)
};

class ElfObject {
public:
  // Reads Path. Throws klp::Error naming the file when it cannot be read or is not a 64-bit
  // little-endian x86-64 relocatable (ET_REL) ELF object.
  explicit ElfObject(const std::string &Path);
  ~ElfObject();
  ElfObject(const ElfObject &) = delete;
  ElfObject &operator=(const ElfObject &) = delete;

  const std::string &path() const { return Path; }
  // All sections by index; index 0 is the null section.
  const std::vector<ElfSection> &sections() const { return Sections; }
  const ElfSection &section(size_t Index) const;
  // The first section named Name, or nullptr.
  const ElfSection *section(std::string_view Name) const;
  // All symbols of .symtab by index; index 0 is the null symbol. Empty when there is no .symtab.
  const std::vector<ElfSymbol> &symbols() const { return Symbols; }
  // The STT_SECTION symbol of a section, or nullptr.
  const ElfSymbol *sectionSymbol(size_t SectionIndex) const;
  // The SHT_RELA (or SHT_REL) section that applies to section SectionIndex, or nullptr.
  const ElfSection *relocationSection(size_t SectionIndex) const;
  // The entries of a relocation section, in file order. Throws when RelSection is not one.
  std::vector<ElfRelocation> relocations(const ElfSection &RelSection) const;
  // The relocations applying to section SectionIndex, sorted by offset (empty when none).
  const std::vector<ElfRelocation> &relocationsFor(size_t SectionIndex) const;
  // Indices of the symbols defined in section SectionIndex other than its STT_SECTION and
  // STT_FILE symbols (functions, objects, local labels such as .LC0), sorted by value.
  const std::vector<size_t> &symbolsIn(size_t SectionIndex) const;

private:
  struct Impl;
  std::string Path;
  std::unique_ptr<Impl> P;
  std::vector<ElfSection> Sections;
  std::vector<ElfSymbol> Symbols;
  std::vector<size_t> RelocationOf;  // section index -> index of its relocation section, 0 = none
  std::vector<size_t> SectionSymbol; // section index -> symbol index of its STT_SECTION, 0 = none
  std::vector<std::vector<ElfRelocation>> Relocations; // by target section index, sorted
  std::vector<std::vector<size_t>> SymbolsIn;          // by section index
};

} // namespace klp
