// Special sections of x86-64 Linux 6.1 objects: arrays of fixed-size entries, each belonging to
// the code its first field points at. Only the entries of kept code go into the module; the
// ftrace call sites (__mcount_loc) come along, so the module loader turns the new functions'
// __fentry__ calls into NOPs as for any kbuild-built module.
#include "klp/error.h"
#include "module_internal.h"
#include <cstring>
#include <elf.h>

namespace klp {

namespace {

struct SpecialKind {
  const char *Name;
  uint64_t EntrySize;
};

// Entry sizes of this kernel (struct bug_entry with relative pointers and BUGVERBOSE,
// exception_table_entry, jump_entry, alt_instr, paravirt_patch_site, static_call_site; s32 or
// pointer arrays for the rest). The anchor is the entry's first field.
constexpr SpecialKind Kinds[] = {
    {"__bug_table", 12},       {"__ex_table", 12},        {"__jump_table", 16},
    {".altinstructions", 12},  {".parainstructions", 16}, {".smp_locks", 4},
    {".static_call_sites", 8}, {".retpoline_sites", 4},   {".return_sites", 4},
    {".ibt_endbr_seal", 4},    {"__mcount_loc", 8},       {"__patchable_function_entries", 8},
    {".orc_unwind_ip", 4},
};

} // namespace

void selectSpecialEntries(PayloadSelector &S) {
  const ElfObject &Obj = S.Obj;
  for (const SpecialKind &Kind : Kinds) {
    for (const ElfSection &Sec : Obj.sections()) {
      if (Sec.Name != Kind.Name || Sec.Type != SHT_PROGBITS)
        continue;
      if (Sec.Size % Kind.EntrySize)
        throw Error(Obj.path() + ": " + Sec.Name + " size " + std::to_string(Sec.Size) +
                    " is not a multiple of its entry size " + std::to_string(Kind.EntrySize));
      std::vector<ElfRelocation> Relocs = Obj.relocationsFor(Sec.Index);
      const ElfSection *Orc = Sec.Name == ".orc_unwind_ip" ? Obj.section(".orc_unwind") : nullptr;
      int Out = -1, OrcOut = -1;
      for (const ElfRelocation &Anchor : Relocs) {
        if (Anchor.Offset % Kind.EntrySize)
          continue;
        const ElfSymbol &Target = Obj.symbols().at(Anchor.Symbol);
        if (Target.Shndx == SHN_UNDEF || Target.Shndx >= SHN_LORESERVE || !S.isKept(Target.Shndx) ||
            !(Obj.section(Target.Shndx).Flags & SHF_EXECINSTR))
          continue;
        uint64_t Start = Anchor.Offset;
        if (Out < 0)
          Out = S.outputSectionLike(Sec.Index);
        if (Sec.Name == ".altinstructions") {
          // The replacement code: only this entry's piece of .altinstr_replacement.
          const ElfRelocation *Repl = nullptr;
          for (const ElfRelocation &R : Relocs)
            if (R.Offset == Start + 4)
              Repl = &R;
          uint64_t At =
              S.appendPiece(Out, Sec.Index, Start, Kind.EntrySize, static_cast<int64_t>(Start + 4));
          uint8_t ReplLen = static_cast<uint8_t>(Sec.Data[Start + 11]);
          if (!Repl)
            continue;
          const ElfSymbol &RS = Obj.symbols().at(Repl->Symbol);
          if (RS.Shndx == SHN_UNDEF || RS.Shndx >= SHN_LORESERVE)
            throw Error(Obj.path() + ": .altinstructions entry without replacement section");
          int ReplOut = S.outputSectionLike(RS.Shndx);
          uint64_t ReplAt = S.appendPiece(ReplOut, RS.Shndx, RS.Value + Repl->Addend, ReplLen);
          S.Out.Sections[Out].Relocations.push_back(
              {At + 4, Repl->Type, static_cast<int64_t>(ReplAt), S.sectionSymbol(ReplOut)});
          continue;
        }
        S.appendPiece(Out, Sec.Index, Start, Kind.EntrySize);
        if (Orc) {
          uint64_t I = Start / 4;
          if ((I + 1) * 6 > Orc->Size)
            throw Error(Obj.path() + ": .orc_unwind shorter than .orc_unwind_ip");
          if (OrcOut < 0)
            OrcOut = S.outputSectionLike(Orc->Index);
          S.appendPiece(OrcOut, Orc->Index, I * 6, 6);
        }
      }
    }
  }
}

} // namespace klp
