// Payload selection on a small gcc-12-built object (tests/data/module/select.c): which sections
// are kept, which references stay normal and which become livepatch symbols, which special
// section entries come along; then the payload written and converted to the livepatch form.
#include "../../../kbuild-integration/src/module_internal.h"
#include "klp/error.h"
#include "vm_process.h"

#include <elf.h>
#include <gtest/gtest.h>
#include <set>

using namespace klp;

namespace {

const std::string Data = std::string(KLP_TEST_DATA) + "/data/module/";

class PayloadSelection : public ::testing::Test {
protected:
  void SetUp() override {
    Object = Dir.path() + "/select.o";
    test::TimedRun R = test::runWithTimeout(
        {"gcc-12", "-O2", "-fno-pic", "-mcmodel=kernel", "-fno-asynchronous-unwind-tables",
         "-ffunction-sections", "-fdata-sections", "-c", Data + "select.c", "-o", Object},
        std::chrono::seconds(60));
    ASSERT_EQ(R.ExitCode, 0) << R.Output;
    Symbols = TargetSymbols::fromFile(Data + "kallsyms.txt");
    Spec.Object = "vmlinux";
    Spec.PatchedObjectFile = Object;
    Spec.Functions = {"changed"};
  }

  static std::vector<std::string> relocations(const Payload &P, const std::string &Section) {
    std::vector<std::string> R;
    const PayloadSection *S = P.section(Section);
    if (!S)
      return {"(no section " + Section + ")"};
    for (const PayloadRelocation &X : S->Relocations)
      R.push_back(std::to_string(X.Offset) + " " + std::to_string(X.Type) + " " + X.Symbol + " " +
                  std::to_string(X.Addend));
    return R;
  }

  test::TempDir Dir;
  std::string Object;
  TargetSymbols Symbols;
  PatchedObjectSpec Spec;
  ExportMap Exports = {{"log_it", "vmlinux"}, {"printk", "vmlinux"}};
};

TEST_F(PayloadSelection, KeepsTheFunctionItsStringsAndItsSpecialEntries) {
  ElfObject Obj(Object);
  Payload P = selectPayload(Obj, Spec, Exports, Symbols);
  std::vector<std::string> Names;
  for (const PayloadSection &S : P.Sections)
    Names.push_back(S.Name);
  EXPECT_EQ(Names,
            (std::vector<std::string>{".text.changed", ".rodata.changed.str1.1", ".smp_locks"}));
  EXPECT_EQ(P.section(".rodata.changed.str1.1")->Data, std::string("changed %d\0", 11));
  EXPECT_EQ(P.section(".smp_locks")->Data.size(), 4u);
  ASSERT_EQ(P.Functions.size(), 1u);
  EXPECT_EQ(P.Functions[0].OldName, "changed");
  EXPECT_EQ(P.Functions[0].OldSympos, 0u);
  EXPECT_EQ(P.Functions[0].NewSymbol, "__klp_new_0_0");
}

TEST_F(PayloadSelection, ExportedStayNormalOthersBecomeLivepatchSymbols) {
  ElfObject Obj(Object);
  Payload P = selectPayload(Obj, Spec, Exports, Symbols);
  // R_X86_64_PC32 = 2, R_X86_64_PLT32 = 4, R_X86_64_32S = 11. The static helper is the first
  // of three "helper" in kallsyms: the one next to this unit's "unchanged".
  EXPECT_EQ(relocations(P, ".text.changed"), (std::vector<std::string>{
                                                 "5 4 .klp.sym.vmlinux.unchanged,0 -4",
                                                 "13 2 .klp.sym.vmlinux.counter,0 -4",
                                                 "18 2 .klp.sym.vmlinux.helper,1 -4",
                                                 "25 11 section:.rodata.changed.str1.1 0",
                                                 "32 4 log_it -4",
                                                 "38 2 .klp.sym.vmlinux.unexported_global,0 -4",
                                                 "45 2 .klp.sym.vmlinux.counter,0 -4",
                                             }));
  // Only the entry of the kept function: "1b - ." of its nop at offset 3.
  EXPECT_EQ(relocations(P, ".smp_locks"), std::vector<std::string>{"0 2 section:.text.changed 3"});
  std::map<std::string, unsigned> Binds;
  for (const PayloadSymbol &S : P.Symbols)
    if (S.Section < 0 && !S.Name.empty())
      Binds[S.Name] = S.Bind;
  EXPECT_EQ(Binds, (std::map<std::string, unsigned>{
                       {".klp.sym.vmlinux.counter,0", STB_WEAK},
                       {".klp.sym.vmlinux.helper,1", STB_WEAK},
                       {".klp.sym.vmlinux.unchanged,0", STB_WEAK},
                       {".klp.sym.vmlinux.unexported_global,0", STB_WEAK},
                       {"log_it", STB_GLOBAL},
                   }));
}

TEST_F(PayloadSelection, NewFunctionIsKeptAndCalledDirectly) {
  Spec.NewFunctions = {"unchanged"};
  ElfObject Obj(Object);
  Payload P = selectPayload(Obj, Spec, Exports, Symbols);
  EXPECT_EQ(relocations(P, ".text.changed")[0], "5 4 section:.text.unchanged -4");
  EXPECT_EQ(
      relocations(P, ".smp_locks"),
      (std::vector<std::string>{"0 2 section:.text.unchanged 0", "4 2 section:.text.changed 3"}));
  EXPECT_EQ(P.Functions.size(), 1u);
}

TEST_F(PayloadSelection, NewDataIsCopied) {
  Spec.NewData = {"counter"};
  ElfObject Obj(Object);
  Payload P = selectPayload(Obj, Spec, Exports, Symbols);
  ASSERT_NE(P.section(".bss.counter"), nullptr);
  EXPECT_EQ(P.section(".bss.counter")->Size, 4u);
  EXPECT_EQ(relocations(P, ".text.changed")[1], "13 2 section:.bss.counter -4");
}

TEST_F(PayloadSelection, ModuleTargetReferencesItsOwnExportsThroughLivepatchSymbols) {
  // The same object as part of module "my_mod", which exports log_it: late module patching
  // needs livepatch symbols for the module's own exports too.
  Spec.Object = "my_mod";
  ExportMap ModExports = {{"log_it", "my_mod"}};
  ElfObject Obj(Object);
  Payload P = selectPayload(Obj, Spec, ModExports, Symbols);
  EXPECT_EQ(relocations(P, ".text.changed"), (std::vector<std::string>{
                                                 "5 4 .klp.sym.my_mod.unchanged,0 -4",
                                                 "13 2 .klp.sym.my_mod.counter,0 -4",
                                                 "18 2 .klp.sym.my_mod.helper,0 -4",
                                                 "25 11 section:.rodata.changed.str1.1 0",
                                                 "32 4 .klp.sym.my_mod.log_it,0 -4",
                                                 "38 2 .klp.sym.my_mod.unexported_global,0 -4",
                                                 "45 2 .klp.sym.my_mod.counter,0 -4",
                                             }));
}

TEST_F(PayloadSelection, MissingFunctionIsAnError) {
  Spec.Functions = {"nope"};
  ElfObject Obj(Object);
  try {
    selectPayload(Obj, Spec, Exports, Symbols);
    FAIL() << "no error";
  } catch (const Error &E) {
    EXPECT_EQ(std::string(E.what()), Object + ": no function nope defined in the patched object");
  }
}

// Written, read back, converted: the livepatch symbols get SHN_LIVEPATCH and their
// relocations move to .klp.rela.vmlinux.text.changed.
TEST_F(PayloadSelection, WrittenPayloadConvertsToLivepatchForm) {
  ElfObject Obj(Object);
  Payload P = selectPayload(Obj, Spec, Exports, Symbols);
  std::string Written = Dir.path() + "/payload.o", Converted = Dir.path() + "/converted.o";
  writePayloadObject(P, Written);
  convertKlpRelocations(Written, Converted);
  ElfObject C(Converted);
  std::set<std::string> Livepatch, Undefined;
  for (const ElfSymbol &S : C.symbols()) {
    if (S.Shndx == 0xff20)
      Livepatch.insert(S.Name);
    else if (S.Shndx == SHN_UNDEF && !S.Name.empty())
      Undefined.insert(S.Name);
  }
  EXPECT_EQ(Livepatch,
            (std::set<std::string>{".klp.sym.vmlinux.counter,0", ".klp.sym.vmlinux.helper,1",
                                   ".klp.sym.vmlinux.unchanged,0",
                                   ".klp.sym.vmlinux.unexported_global,0"}));
  EXPECT_EQ(Undefined, std::set<std::string>{"log_it"});
  const ElfSection *Klp = C.section(".klp.rela.vmlinux.text.changed");
  ASSERT_NE(Klp, nullptr);
  EXPECT_EQ(Klp->Flags, static_cast<uint64_t>(SHF_ALLOC | SHF_INFO_LINK | 0x00100000));
  EXPECT_EQ(C.section(Klp->Info).Name, ".text.changed");
  EXPECT_EQ(C.relocations(*Klp).size(), 5u);
  EXPECT_EQ(C.relocations(*C.section(".rela.text.changed")).size(), 2u); // string, log_it
}

} // namespace

// A module target's static key entry that needs a livepatch relocation is refused (the kernel
// would read it before the module's relocations are applied); vmlinux's are applied in time.
TEST(LateSpecialRelocations, ModuleStaticKeyThroughLivepatchSymbolIsAnError) {
  Payload P;
  P.Object = "ext4";
  PayloadSection Jump;
  Jump.Name = "__jump_table";
  Jump.Relocations = {{0, R_X86_64_PC32, 0, "section:.text.changed"},
                      {8, R_X86_64_PC64, 0, ".klp.sym.ext4.ext4_fc_key,0"}};
  P.Sections.push_back(Jump);
  try {
    rejectLateSpecialRelocations(P, "fs/ext4/super.o");
    ADD_FAILURE() << "no error";
  } catch (const Error &E) {
    EXPECT_EQ(std::string(E.what()),
              "fs/ext4/super.o: __jump_table refers to '.klp.sym.ext4.ext4_fc_key,0', a symbol of "
              "module ext4 that is not exported: the kernel resolves it only when that module "
              "loads, after it has read __jump_table of the livepatch; use a "
              "static_key_enabled()/plain call or export it");
  }
  P.Object = "vmlinux";
  EXPECT_NO_THROW(rejectLateSpecialRelocations(P, "fs/ext4/super.o"));
  P.Object = "ext4";
  P.Sections[0].Relocations[1].Symbol = "jbd2_exported_key";
  EXPECT_NO_THROW(rejectLateSpecialRelocations(P, "fs/ext4/super.o"));
  P.Sections[0].Name = ".text.changed";
  P.Sections[0].Relocations[1].Symbol = ".klp.sym.ext4.ext4_fc_key,0";
  EXPECT_NO_THROW(rejectLateSpecialRelocations(P, "fs/ext4/super.o"));
}
