// Writing relocatable objects with libelf: the payload object handed to kbuild, and the
// post-link rewrite of the kbuild-linked .ko into the livepatch ELF format (SHN_LIVEPATCH
// symbols, SHF_RELA_LIVEPATCH sections).
#include "klp/error.h"
#include "module_internal.h"
#include <algorithm>
#include <cstring>
#include <elf.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <map>
#include <unistd.h>

#ifndef SHN_LIVEPATCH
#define SHN_LIVEPATCH 0xff20
#endif
#ifndef SHF_RELA_LIVEPATCH
#define SHF_RELA_LIVEPATCH 0x00100000
#endif

namespace klp {

namespace {

std::string elfError(const std::string &Path, const char *What) {
  return Path + ": " + What + ": " + elf_errmsg(-1);
}

template <typename T> void appendRaw(std::string &S, const T &V) {
  S.append(reinterpret_cast<const char *>(&V), sizeof(V));
}

// A string table being built: offset of each string, "" at 0.
struct StringTable {
  std::string Data = std::string(1, '\0');
  std::map<std::string, uint32_t> At;
  uint32_t add(const std::string &S) {
    if (S.empty())
      return 0;
    auto It = At.find(S);
    if (It != At.end())
      return It->second;
    uint32_t Off = static_cast<uint32_t>(Data.size());
    Data += S;
    Data.push_back('\0');
    At[S] = Off;
    return Off;
  }
};

} // namespace

void writeElfImage(const std::string &Path, const std::vector<ImageSection> &Sections) {
  if (elf_version(EV_CURRENT) == EV_NONE)
    throw Error("libelf is too old");
  StringTable Names;
  for (const ImageSection &S : Sections)
    Names.add(S.Name);
  int Fd = ::open(Path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (Fd < 0)
    throw Error("cannot write " + Path + ": " + std::strerror(errno));
  Elf *E = elf_begin(Fd, ELF_C_WRITE, nullptr);
  auto Fail = [&](const char *What) {
    std::string M = elfError(Path, What);
    if (E)
      elf_end(E);
    ::close(Fd);
    throw Error(M);
  };
  if (!E || !gelf_newehdr(E, ELFCLASS64))
    Fail("cannot create the ELF header");
  GElf_Ehdr H;
  gelf_getehdr(E, &H);
  H.e_ident[EI_DATA] = ELFDATA2LSB;
  H.e_ident[EI_OSABI] = ELFOSABI_NONE;
  H.e_type = ET_REL;
  H.e_machine = EM_X86_64;
  H.e_version = EV_CURRENT;
  size_t ShstrIndex = 0;
  // Data buffers must outlive elf_update: keep them here.
  std::vector<std::string> Keep;
  Keep.reserve(Sections.size());
  for (size_t K = 0; K < Sections.size(); ++K) {
    const ImageSection &S = Sections[K];
    Elf_Scn *Scn = elf_newscn(E);
    if (!Scn)
      Fail("cannot add a section");
    Elf_Data *D = elf_newdata(Scn);
    if (!D)
      Fail("cannot add section data");
    if (S.Name == ".shstrtab") {
      ShstrIndex = K + 1;
      Keep.push_back(Names.Data);
    } else {
      Keep.push_back(S.Data);
    }
    D->d_align = std::max<uint64_t>(S.Align, 1);
    D->d_type = ELF_T_BYTE;
    D->d_version = EV_CURRENT;
    if (S.Type == SHT_NOBITS) {
      D->d_buf = nullptr;
      D->d_size = S.Size;
    } else {
      D->d_buf = Keep.back().data();
      D->d_size = Keep.back().size();
    }
    GElf_Shdr Sh;
    gelf_getshdr(Scn, &Sh);
    Sh.sh_name = Names.add(S.Name);
    Sh.sh_type = S.Type;
    Sh.sh_flags = S.Flags;
    Sh.sh_link = S.Link;
    Sh.sh_info = S.Info;
    Sh.sh_addralign = std::max<uint64_t>(S.Align, 1);
    Sh.sh_entsize = S.EntSize;
    Sh.sh_size = D->d_size;
    if (!gelf_update_shdr(Scn, &Sh))
      Fail("cannot set a section header");
  }
  if (!ShstrIndex)
    Fail("no .shstrtab section given");
  H.e_shstrndx = static_cast<uint16_t>(ShstrIndex);
  if (!gelf_update_ehdr(E, &H))
    Fail("cannot set the ELF header");
  if (elf_update(E, ELF_C_WRITE) < 0)
    Fail("cannot write the object");
  elf_end(E);
  if (::close(Fd) != 0)
    throw Error("cannot write " + Path + ": " + std::strerror(errno));
}

void writePayloadObject(const Payload &P, const std::string &Path) {
  std::vector<ImageSection> Img;
  for (const PayloadSection &S : P.Sections) {
    ImageSection I;
    I.Name = S.Name;
    I.Type = S.Type;
    I.Flags = S.Flags;
    I.Align = S.Align;
    I.EntSize = S.EntSize;
    I.Size = S.Size;
    if (S.Type != SHT_NOBITS)
      I.Data = S.Data;
    Img.push_back(std::move(I));
  }
  const uint32_t SymtabIndex = static_cast<uint32_t>(
      Img.size() + 1 +
      std::count_if(P.Sections.begin(), P.Sections.end(),
                    [](const PayloadSection &S) { return !S.Relocations.empty(); }));
  std::map<std::string, uint32_t> SymIndex;
  for (size_t K = 0; K < P.Symbols.size(); ++K)
    SymIndex[P.Symbols[K].Name] = static_cast<uint32_t>(K);
  for (size_t K = 0; K < P.Sections.size(); ++K) {
    const PayloadSection &S = P.Sections[K];
    if (S.Relocations.empty())
      continue;
    ImageSection R;
    R.Name = ".rela" + S.Name;
    R.Type = SHT_RELA;
    R.Flags = SHF_INFO_LINK;
    R.Link = SymtabIndex;
    R.Info = static_cast<uint32_t>(K + 1);
    R.Align = 8;
    R.EntSize = sizeof(Elf64_Rela);
    for (const PayloadRelocation &X : S.Relocations) {
      auto It = SymIndex.find(X.Symbol);
      if (It == SymIndex.end())
        throw Error(Path + ": relocation against unknown payload symbol " + X.Symbol);
      Elf64_Rela Rela{X.Offset, ELF64_R_INFO(It->second, X.Type), X.Addend};
      appendRaw(R.Data, Rela);
    }
    Img.push_back(std::move(R));
  }
  StringTable Str;
  ImageSection Sym;
  Sym.Name = ".symtab";
  Sym.Type = SHT_SYMTAB;
  Sym.Link = SymtabIndex + 1;
  Sym.Align = 8;
  Sym.EntSize = sizeof(Elf64_Sym);
  uint32_t FirstGlobal = 0;
  for (size_t K = 0; K < P.Symbols.size(); ++K) {
    const PayloadSymbol &S = P.Symbols[K];
    Elf64_Sym E{};
    if (S.Type != STT_SECTION)
      E.st_name = Str.add(S.Name);
    E.st_info = ELF64_ST_INFO(S.Bind, S.Type);
    E.st_shndx = S.Section < 0 ? SHN_UNDEF : static_cast<uint16_t>(S.Section + 1);
    E.st_value = S.Value;
    E.st_size = S.Size;
    if (S.Bind == STB_LOCAL)
      FirstGlobal = static_cast<uint32_t>(K + 1);
    appendRaw(Sym.Data, E);
  }
  Sym.Info = FirstGlobal;
  if (Img.size() + 1 != SymtabIndex)
    throw Error(Path + ": internal error laying out the payload");
  Img.push_back(std::move(Sym));
  ImageSection StrSec;
  StrSec.Name = ".strtab";
  StrSec.Type = SHT_STRTAB;
  StrSec.Data = Str.Data;
  Img.push_back(std::move(StrSec));
  ImageSection Stack;
  Stack.Name = ".note.GNU-stack";
  Stack.Type = SHT_PROGBITS;
  Img.push_back(std::move(Stack));
  ImageSection Shstr;
  Shstr.Name = ".shstrtab";
  Shstr.Type = SHT_STRTAB;
  Img.push_back(std::move(Shstr));
  writeElfImage(Path, Img);
}

void convertKlpRelocations(const std::string &In, const std::string &Out) {
  ElfObject Ko(In);
  const auto &Secs = Ko.sections();
  std::vector<ImageSection> Img;
  size_t Symtab = 0;
  for (size_t K = 1; K < Secs.size(); ++K) {
    const ElfSection &S = Secs[K];
    ImageSection I{S.Name, S.Type, S.Flags, S.Link, S.Info, S.Align, S.EntSize, 0, ""};
    if (S.Type == SHT_NOBITS)
      I.Size = S.Size;
    else
      I.Data = std::string(S.Data);
    if (S.Type == SHT_SYMTAB)
      Symtab = K;
    Img.push_back(std::move(I));
  }
  if (!Symtab)
    throw Error(In + ": no symbol table");
  // Livepatch symbols: ".klp.sym.OBJ.NAME,POS", undefined after the link.
  std::map<uint32_t, std::string> KlpObject; // symbol index -> OBJ
  std::string &SymData = Img[Symtab - 1].Data;
  for (const ElfSymbol &S : Ko.symbols()) {
    if (!S.Name.starts_with(".klp.sym."))
      continue;
    if (S.Shndx != SHN_UNDEF)
      throw Error(In + ": livepatch symbol " + S.Name + " is defined in the module");
    size_t Dot = S.Name.find('.', 9);
    if (Dot == std::string::npos || S.Name.find(',', Dot) == std::string::npos)
      throw Error(In + ": malformed livepatch symbol name " + S.Name);
    KlpObject[static_cast<uint32_t>(S.Index)] = S.Name.substr(9, Dot - 9);
    Elf64_Sym E;
    std::memcpy(&E, SymData.data() + S.Index * sizeof(E), sizeof(E));
    E.st_info = ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE);
    E.st_shndx = SHN_LIVEPATCH;
    std::memcpy(SymData.data() + S.Index * sizeof(E), &E, sizeof(E));
  }
  // Move the relocations against them, per (object, target section).
  std::vector<ImageSection> KlpRela;
  for (size_t K = 1; K < Secs.size(); ++K) {
    const ElfSection &S = Secs[K];
    if (S.Type != SHT_RELA || S.Link != Symtab)
      continue;
    std::string Keep;
    std::map<std::string, std::string> Moved; // object -> entries
    for (size_t Off = 0; Off + sizeof(Elf64_Rela) <= S.Data.size(); Off += sizeof(Elf64_Rela)) {
      Elf64_Rela R;
      std::memcpy(&R, S.Data.data() + Off, sizeof(R));
      auto It = KlpObject.find(static_cast<uint32_t>(ELF64_R_SYM(R.r_info)));
      (It == KlpObject.end() ? Keep : Moved[It->second]).append(S.Data.data() + Off, sizeof(R));
    }
    if (Moved.empty())
      continue;
    if (!(Secs.at(S.Info).Flags & SHF_ALLOC))
      throw Error(In + ": livepatch symbol referenced from non-allocated section " +
                  Secs.at(S.Info).Name);
    Img[K - 1].Data = Keep;
    for (auto &[Obj, Data] : Moved) {
      ImageSection R{".klp.rela." + Obj + Secs.at(S.Info).Name,
                     SHT_RELA,
                     SHF_ALLOC | SHF_INFO_LINK | SHF_RELA_LIVEPATCH,
                     static_cast<uint32_t>(Symtab),
                     S.Info,
                     8,
                     sizeof(Elf64_Rela),
                     0,
                     Data};
      KlpRela.push_back(std::move(R));
    }
  }
  // Appended after the existing sections so that no index changes.
  auto Shstr = std::find_if(Img.begin(), Img.end(),
                            [](const ImageSection &S) { return S.Name == ".shstrtab"; });
  if (Shstr == Img.end())
    throw Error(In + ": no .shstrtab");
  for (ImageSection &R : KlpRela)
    Img.push_back(std::move(R));
  writeElfImage(Out, Img);
}

} // namespace klp
