#include "elf_object.h"

#include "klp/error.h"

#include <algorithm>
#include <fstream>
#include <gelf.h>
#include <libelf.h>
#include <sstream>

namespace klp {

struct ElfObject::Impl {
  std::string Bytes; // the whole file; libelf reads it in place
  Elf *E = nullptr;
  ~Impl() {
    if (E)
      elf_end(E);
  }
};

namespace {

[[noreturn]] void fail(const std::string &Path, const std::string &What) {
  throw Error(Path + ": " + What);
}

std::string libelfError() {
  const char *Msg = elf_errmsg(-1);
  return Msg ? Msg : "unknown libelf error";
}

} // namespace

ElfObject::ElfObject(const std::string &Path) : Path(Path), P(std::make_unique<Impl>()) {
  std::ifstream In(Path, std::ios::binary);
  if (!In)
    fail(Path, "cannot open the object file");
  std::ostringstream Buf;
  Buf << In.rdbuf();
  P->Bytes = std::move(Buf).str();
  if (P->Bytes.size() < 4 || P->Bytes.compare(0, 4,
                                              "\x7f"
                                              "ELF") != 0)
    fail(Path, "not an ELF object file");

  if (elf_version(EV_CURRENT) == EV_NONE)
    fail(Path, "libelf initialisation failed: " + libelfError());
  P->E = elf_memory(P->Bytes.data(), P->Bytes.size());
  if (!P->E || elf_kind(P->E) != ELF_K_ELF)
    fail(Path, "not a readable ELF object: " + libelfError());

  GElf_Ehdr Ehdr;
  if (!gelf_getehdr(P->E, &Ehdr))
    fail(Path, "cannot read the ELF header: " + libelfError());
  if (Ehdr.e_ident[EI_CLASS] != ELFCLASS64 || Ehdr.e_ident[EI_DATA] != ELFDATA2LSB ||
      Ehdr.e_machine != EM_X86_64)
    fail(Path, "not an x86-64 ELF object");
  if (Ehdr.e_type != ET_REL)
    fail(Path, "not a relocatable object (ELF type " + std::to_string(Ehdr.e_type) +
                   ", expected ET_REL)");

  size_t NumSections = 0, StrIndex = 0;
  if (elf_getshdrnum(P->E, &NumSections) != 0 || elf_getshdrstrndx(P->E, &StrIndex) != 0)
    fail(Path, "cannot read the section headers: " + libelfError());

  Sections.resize(NumSections);
  size_t SymtabIndex = 0, ShndxIndex = 0;
  for (size_t I = 0; I < NumSections; ++I) {
    Elf_Scn *Scn = elf_getscn(P->E, I);
    GElf_Shdr Shdr;
    if (!Scn || !gelf_getshdr(Scn, &Shdr))
      fail(Path, "cannot read section header " + std::to_string(I) + ": " + libelfError());
    ElfSection &S = Sections[I];
    S.Index = I;
    const char *Name = elf_strptr(P->E, StrIndex, Shdr.sh_name);
    S.Name = Name ? Name : "";
    S.Type = Shdr.sh_type;
    S.Flags = Shdr.sh_flags;
    S.Size = Shdr.sh_size;
    S.Align = Shdr.sh_addralign;
    S.EntSize = Shdr.sh_entsize;
    S.Link = Shdr.sh_link;
    S.Info = Shdr.sh_info;
    if (I != 0 && Shdr.sh_type != SHT_NOBITS && Shdr.sh_size != 0) {
      // elf_rawdata: the bytes as in the file (the object is little-endian like the host).
      Elf_Data *D = elf_rawdata(Scn, nullptr);
      if (!D)
        fail(Path, "cannot read section " + S.Name + ": " + libelfError());
      S.Data = std::string_view(static_cast<const char *>(D->d_buf), D->d_size);
    }
    if (Shdr.sh_type == SHT_SYMTAB)
      SymtabIndex = I;
    if (Shdr.sh_type == SHT_SYMTAB_SHNDX)
      ShndxIndex = I;
  }

  RelocationOf.assign(NumSections, 0);
  for (const ElfSection &S : Sections)
    if ((S.Type == SHT_RELA || S.Type == SHT_REL) && S.Info < NumSections && S.Link == SymtabIndex)
      RelocationOf[S.Info] = S.Index;

  SectionSymbol.assign(NumSections, 0);
  SymbolsIn.assign(NumSections, {});
  Relocations.assign(NumSections, {});
  if (!SymtabIndex)
    return;
  Elf_Scn *SymScn = elf_getscn(P->E, SymtabIndex);
  Elf_Data *SymData = elf_getdata(SymScn, nullptr);
  Elf_Data *ShndxData = ShndxIndex ? elf_getdata(elf_getscn(P->E, ShndxIndex), nullptr) : nullptr;
  const ElfSection &Symtab = Sections[SymtabIndex];
  size_t Count = Symtab.EntSize ? Symtab.Size / Symtab.EntSize : 0;
  Symbols.resize(Count);
  for (size_t I = 0; I < Count; ++I) {
    GElf_Sym Sym;
    Elf32_Word Xndx = 0;
    if (!SymData || !gelf_getsymshndx(SymData, ShndxData, static_cast<int>(I), &Sym, &Xndx))
      fail(Path, "cannot read symbol " + std::to_string(I) + ": " + libelfError());
    ElfSymbol &Out = Symbols[I];
    Out.Index = I;
    const char *Name = elf_strptr(P->E, Symtab.Link, Sym.st_name);
    Out.Name = Name ? Name : "";
    Out.Type = GELF_ST_TYPE(Sym.st_info);
    Out.Bind = GELF_ST_BIND(Sym.st_info);
    Out.Visibility = GELF_ST_VISIBILITY(Sym.st_other);
    Out.Shndx = Sym.st_shndx == SHN_XINDEX ? Xndx : Sym.st_shndx;
    Out.Value = Sym.st_value;
    Out.Size = Sym.st_size;
    if (Out.Type == STT_SECTION && Out.Shndx < NumSections && !SectionSymbol[Out.Shndx])
      SectionSymbol[Out.Shndx] = I;
    // Section symbols have no name of their own; give them the section's for messages.
    if (Out.Type == STT_SECTION && Out.Name.empty() && Out.Shndx < NumSections)
      Out.Name = Sections[Out.Shndx].Name;
    if (Out.Type != STT_SECTION && Out.Type != STT_FILE && Out.Shndx != SHN_UNDEF &&
        Out.Shndx < NumSections)
      SymbolsIn[Out.Shndx].push_back(I);
  }
  for (std::vector<size_t> &In : SymbolsIn)
    std::stable_sort(In.begin(), In.end(),
                     [&](size_t A, size_t B) { return Symbols[A].Value < Symbols[B].Value; });
  // Relocations are read once, here: the diff looks them up per function many times.
  for (size_t I = 0; I < NumSections; ++I)
    if (RelocationOf[I]) {
      Relocations[I] = relocations(Sections[RelocationOf[I]]);
      std::stable_sort(
          Relocations[I].begin(), Relocations[I].end(),
          [](const ElfRelocation &A, const ElfRelocation &B) { return A.Offset < B.Offset; });
    }
}

ElfObject::~ElfObject() = default;

const ElfSection &ElfObject::section(size_t Index) const {
  if (Index >= Sections.size())
    fail(Path, "no section with index " + std::to_string(Index));
  return Sections[Index];
}

const ElfSection *ElfObject::section(std::string_view Name) const {
  for (const ElfSection &S : Sections)
    if (S.Index != 0 && S.Name == Name)
      return &S;
  return nullptr;
}

const ElfSymbol *ElfObject::sectionSymbol(size_t SectionIndex) const {
  if (SectionIndex >= SectionSymbol.size() || !SectionSymbol[SectionIndex])
    return nullptr;
  return &Symbols[SectionSymbol[SectionIndex]];
}

const ElfSection *ElfObject::relocationSection(size_t SectionIndex) const {
  if (SectionIndex >= RelocationOf.size() || !RelocationOf[SectionIndex])
    return nullptr;
  return &Sections[RelocationOf[SectionIndex]];
}

std::vector<ElfRelocation> ElfObject::relocations(const ElfSection &RelSection) const {
  if (RelSection.Type != SHT_RELA && RelSection.Type != SHT_REL)
    fail(Path, "section " + RelSection.Name + " is not a relocation section");
  std::vector<ElfRelocation> Out;
  if (RelSection.Size == 0)
    return Out;
  Elf_Data *D = elf_getdata(elf_getscn(P->E, RelSection.Index), nullptr);
  if (!D)
    fail(Path, "cannot read section " + RelSection.Name + ": " + libelfError());
  size_t EntSize = RelSection.EntSize
                       ? RelSection.EntSize
                       : (RelSection.Type == SHT_RELA ? sizeof(Elf64_Rela) : sizeof(Elf64_Rel));
  size_t Count = RelSection.Size / EntSize;
  Out.reserve(Count);
  for (size_t I = 0; I < Count; ++I) {
    ElfRelocation R;
    if (RelSection.Type == SHT_RELA) {
      GElf_Rela Rela;
      if (!gelf_getrela(D, static_cast<int>(I), &Rela))
        fail(Path, "cannot read relocation " + std::to_string(I) + " of " + RelSection.Name);
      R.Offset = Rela.r_offset;
      R.Type = GELF_R_TYPE(Rela.r_info);
      R.Symbol = GELF_R_SYM(Rela.r_info);
      R.Addend = Rela.r_addend;
    } else {
      GElf_Rel Rel;
      if (!gelf_getrel(D, static_cast<int>(I), &Rel))
        fail(Path, "cannot read relocation " + std::to_string(I) + " of " + RelSection.Name);
      R.Offset = Rel.r_offset;
      R.Type = GELF_R_TYPE(Rel.r_info);
      R.Symbol = GELF_R_SYM(Rel.r_info);
    }
    if (R.Symbol >= Symbols.size())
      fail(Path, "relocation " + std::to_string(I) + " of " + RelSection.Name + " names symbol " +
                     std::to_string(R.Symbol) + ", beyond the symbol table");
    Out.push_back(R);
  }
  return Out;
}

const std::vector<ElfRelocation> &ElfObject::relocationsFor(size_t SectionIndex) const {
  static const std::vector<ElfRelocation> None;
  return SectionIndex < Relocations.size() ? Relocations[SectionIndex] : None;
}

const std::vector<size_t> &ElfObject::symbolsIn(size_t SectionIndex) const {
  static const std::vector<size_t> None;
  return SectionIndex < SymbolsIn.size() ? SymbolsIn[SectionIndex] : None;
}

} // namespace klp
