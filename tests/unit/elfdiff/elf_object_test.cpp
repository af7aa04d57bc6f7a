// ElfObject reads what gcc wrote: sections, symbols, relocations by section, and refuses
// files that are not relocatable x86-64 ELF objects with the file's name in the message.
#include "../../../kbuild-integration/src/elf_object.h"
#include "elfdiff_support.h"
#include "klp/error.h"

#include <elf.h>
#include <fstream>
#include <gtest/gtest.h>

namespace {

namespace fs = std::filesystem;
using klp::ElfObject;

const klp::ElfSymbol *symbolNamed(const ElfObject &O, const std::string &Name) {
  for (const klp::ElfSymbol &S : O.symbols())
    if (S.Name == Name)
      return &S;
  return nullptr;
}

TEST(ElfObject, ReadsSectionsSymbolsAndRelocations) {
  klp::testing::TempDir Work("klp-elfobject");
  fs::path Source = std::filesystem::path(Work.path()) / "src.c";
  std::ofstream(Source) << "extern void sink(const char *, int);\n"
                           "int counter;\n"
                           "static int hits;\n"
                           "void touch(int v) { hits++; sink(\"touched\", v + counter); }\n";
  klp::testing::CompiledSide Side =
      klp::testing::compileSide(std::filesystem::path(Work.path()) / "obj", Source);
  ElfObject O(Side.Object);

  const klp::ElfSection *Text = O.section(".text.touch");
  ASSERT_NE(Text, nullptr);
  EXPECT_EQ(Text->Type, static_cast<uint32_t>(SHT_PROGBITS));
  EXPECT_EQ(Text->Flags & (SHF_ALLOC | SHF_EXECINSTR),
            static_cast<uint64_t>(SHF_ALLOC | SHF_EXECINSTR));
  EXPECT_EQ(Text->Data.size(), Text->Size);
  EXPECT_EQ(&O.section(Text->Index), Text);
  EXPECT_EQ(O.section(".text.nothing"), nullptr);

  const klp::ElfSection *Rela = O.relocationSection(Text->Index);
  ASSERT_NE(Rela, nullptr);
  EXPECT_EQ(Rela->Name, ".rela.text.touch");
  EXPECT_EQ(Rela->Type, static_cast<uint32_t>(SHT_RELA));
  EXPECT_EQ(Rela->Info, Text->Index);

  const klp::ElfSymbol *Touch = symbolNamed(O, "touch");
  ASSERT_NE(Touch, nullptr);
  EXPECT_EQ(Touch->Type, static_cast<unsigned>(STT_FUNC));
  EXPECT_EQ(Touch->Bind, static_cast<unsigned>(STB_GLOBAL));
  EXPECT_EQ(Touch->Shndx, Text->Index);
  EXPECT_EQ(Touch->Value, 0u);
  EXPECT_EQ(Touch->Size, Text->Size);
  const klp::ElfSymbol *Hits = symbolNamed(O, "hits");
  ASSERT_NE(Hits, nullptr);
  EXPECT_EQ(Hits->Type, static_cast<unsigned>(STT_OBJECT));
  EXPECT_EQ(Hits->Bind, static_cast<unsigned>(STB_LOCAL));
  EXPECT_EQ(O.section(Hits->Shndx).Name, ".bss.hits");
  EXPECT_EQ(O.section(Hits->Shndx).Type, static_cast<uint32_t>(SHT_NOBITS));
  EXPECT_TRUE(O.section(Hits->Shndx).Data.empty());
  ASSERT_NE(O.sectionSymbol(Hits->Shndx), nullptr);
  EXPECT_EQ(O.sectionSymbol(Hits->Shndx)->Name, ".bss.hits");

  // What touch() refers to: hits (through its section symbol), the string, counter, sink.
  std::vector<std::string> Targets;
  uint64_t Last = 0;
  for (const klp::ElfRelocation &R : O.relocationsFor(Text->Index)) {
    EXPECT_GE(R.Offset, Last);
    Last = R.Offset;
    EXPECT_LT(R.Offset, Text->Size);
    Targets.push_back(O.symbols()[R.Symbol].Name + (R.Type == R_X86_64_PLT32 ? "@plt" : ""));
  }
  std::sort(Targets.begin(), Targets.end());
  EXPECT_EQ(Targets, (std::vector<std::string>{".LC0", ".bss.hits", "counter", "sink@plt"}));
  EXPECT_EQ(O.relocations(*Rela).size(), Targets.size());
  EXPECT_TRUE(O.relocationsFor(O.section(".bss.hits")->Index).empty());
}

TEST(ElfObject, RefusesNonElfFileNamingIt) {
  klp::testing::TempDir Work("klp-elfobject");
  std::string Path = (std::filesystem::path(Work.path()) / "notes.txt").string();
  std::ofstream(Path) << "not an object\n";
  try {
    ElfObject O(Path);
    FAIL() << "no error";
  } catch (const klp::Error &E) {
    EXPECT_EQ(std::string(E.what()), Path + ": not an ELF object file");
  }
}

TEST(ElfObject, RefusesMissingFileNamingIt) {
  try {
    ElfObject O("/nonexistent/klp/x.o");
    FAIL() << "no error";
  } catch (const klp::Error &E) {
    EXPECT_EQ(std::string(E.what()), "/nonexistent/klp/x.o: cannot open the object file");
  }
}

TEST(ElfObject, RefusesLinkedExecutableNamingIt) {
  // The test binary itself is an ELF file, but linked, not relocatable.
  std::string Self = fs::read_symlink("/proc/self/exe").string();
  try {
    ElfObject O(Self);
    FAIL() << "no error";
  } catch (const klp::Error &E) {
    std::string Msg = E.what();
    EXPECT_EQ(Msg.rfind(Self + ": not a relocatable object (ELF type ", 0), 0u) << Msg;
  }
}

TEST(ElfDiff, ErrorNamesTheFileThatIsNotAnObject) {
  klp::testing::TempDir Work("klp-elfdiff");
  fs::path Source = std::filesystem::path(Work.path()) / "one.c";
  std::ofstream(Source) << "int one(void) { return 1; }\n";
  klp::testing::CompiledSide Side =
      klp::testing::compileSide(std::filesystem::path(Work.path()) / "obj", Source);
  std::string Bad = (std::filesystem::path(Work.path()) / "obj" / "x.c").string();
  try {
    klp::diffObjects(Side.Object, Bad);
    FAIL() << "no error";
  } catch (const klp::Error &E) {
    EXPECT_EQ(std::string(E.what()), Bad + ": not an ELF object file");
  }
}

TEST(ElfDiff, SameObjectHasNoDifferences) {
  klp::testing::TempDir Work("klp-elfdiff");
  fs::path Source = std::filesystem::path(Work.path()) / "one.c";
  std::ofstream(Source) << "static int n; int one(void) { return ++n; }\n";
  klp::testing::CompiledSide Side =
      klp::testing::compileSide(std::filesystem::path(Work.path()) / "obj", Source);
  klp::ObjectDiff D = klp::diffObjects(Side.Object, Side.Object, Side.Clones, Side.Clones);
  EXPECT_EQ(klp::testing::formatDiff(D), "");
}

} // namespace
