// Livepatch modules built from patched fs/proc objects of the pinned tree, checked in their ELF
// form and then loaded into the pinned Debian kernel under qemu.
#include "module_case.h"
#include "vm.h"

#include "klp/livepatch_module.h"
#include <gtest/gtest.h>

using namespace klp;
using namespace klp::test;

namespace {

constexpr const char *Vermagic = "6.1.0-50-amd64 SMP preempt mod_unload modversions ";
constexpr unsigned ShnLivepatch = 0xff20;
constexpr uint64_t ShfRelaLivepatch = 0x00100000;

class LivepatchModule : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    const char *Root = std::getenv("KLP_KERNEL_TREE");
    ASSERT_TRUE(Root && *Root) << "KLP_KERNEL_TREE is not set";
    Tree = KernelTree::open(Root).release();
    Work = new TempDir("klp-module-test");
    Symbols = new TargetSymbols(TargetSymbols::fromFile(targetKallsyms()));
    Symbols->setModulesDir("/lib/modules/6.1.0-50-amd64/kernel");
  }
  static void TearDownTestSuite() {
    delete Symbols;
    delete Work;
    delete Tree;
  }

  // Builds module Name from Source with Anchor replaced by Replacement, patching Functions.
  static std::string build(const std::string &Name, const std::string &Source,
                           const std::string &Anchor, const std::string &Replacement,
                           const std::vector<std::string> &Functions) {
    std::string Dir = Work->path() + "/" + Name;
    std::string Text = replaceOnce(readText(Tree->absolute(Source)), Anchor, Replacement);
    ModuleSpec Spec;
    Spec.Name = Name;
    Spec.WorkDir = Dir + "/kbuild";
    PatchedObjectSpec O;
    O.Object = "vmlinux";
    O.PatchedObjectFile = compilePatchedObject(*Tree, Source, Text, Dir + "/obj");
    O.Functions = Functions;
    Spec.Objects.push_back(O);
    std::string Ko = Dir + "/" + Name + ".ko";
    buildLivepatchModule(Spec, *Symbols, Ko);
    return Ko;
  }

  static std::string cmdlineKo() {
    static std::string Ko =
        build("livepatch_cmdline", "fs/proc/cmdline.c", "seq_puts(m, saved_command_line);",
              "seq_printf(m, \"klp-patched %s\", saved_command_line);", {"cmdline_proc_show"});
    return Ko;
  }

  // seq_fdinfo_open calls single_open with fs/proc/fd.c's static seq_show, one of two seq_show
  // in vmlinux (the other is net/netfilter/nf_log.c's, later in kallsyms).
  static std::string fdinfoKo() {
    static std::string Ko = build(
        "livepatch_fdinfo", "fs/proc/fd.c", "return single_open(file, seq_show, inode);",
        "pr_info(\"klp-lsp fdinfo patched\\n\");\n\treturn single_open(file, seq_show, inode);",
        {"seq_fdinfo_open"});
    return Ko;
  }

  static KernelTree *Tree;
  static TempDir *Work;
  static TargetSymbols *Symbols;
};

KernelTree *LivepatchModule::Tree = nullptr;
TempDir *LivepatchModule::Work = nullptr;
TargetSymbols *LivepatchModule::Symbols = nullptr;

std::set<std::string> undefinedSymbols(const KoView &V) {
  std::set<std::string> S;
  for (const auto &[Name, Sym] : V.Symbols)
    if (Sym.st_shndx == SHN_UNDEF)
      S.insert(Name);
  return S;
}

std::set<std::string> klpSections(const KoView &V) {
  std::set<std::string> S;
  for (const auto &[Name, H] : V.Sections)
    if (Name.starts_with(".klp.rela.")) {
      EXPECT_EQ(H.sh_flags & (SHF_ALLOC | ShfRelaLivepatch), SHF_ALLOC | ShfRelaLivepatch) << Name;
      S.insert(Name);
    }
  return S;
}

std::set<std::string> klpSymbols(const KoView &V) {
  std::set<std::string> S;
  for (const auto &[Name, Sym] : V.Symbols)
    if (Name.starts_with(".klp.sym.")) {
      EXPECT_EQ(Sym.st_shndx, ShnLivepatch) << Name;
      EXPECT_EQ(GELF_ST_BIND(Sym.st_info), STB_GLOBAL) << Name;
      S.insert(Name);
    }
  return S;
}

TEST_F(LivepatchModule, CmdlineModuleHasLivepatchFormat) {
  std::string Ko = cmdlineKo();
  EXPECT_EQ(modinfoField(Ko, "livepatch"), "Y");
  EXPECT_EQ(modinfoField(Ko, "vermagic"), Vermagic);
  EXPECT_EQ(modinfoField(Ko, "license"), "GPL");
  KoView V = readKo(Ko);
  EXPECT_EQ(klpSections(V), std::set<std::string>{".klp.rela.vmlinux.text.cmdline_proc_show"});
  EXPECT_EQ(klpSymbols(V), std::set<std::string>{".klp.sym.vmlinux.saved_command_line,0"});
  // mov saved_command_line(%rip),%rsi: R_X86_64_PC32 (2) at offset 9.
  EXPECT_EQ(V.Relocations[".klp.rela.vmlinux.text.cmdline_proc_show"],
            std::vector<std::string>{"9 2 .klp.sym.vmlinux.saved_command_line,0 -4"});
  EXPECT_EQ(V.Sections[".klp.rela.vmlinux.text.cmdline_proc_show"].sh_info,
            V.SectionIndex[".text.cmdline_proc_show"]);
  EXPECT_EQ(undefinedSymbols(V),
            (std::set<std::string>{"__fentry__", "__x86_return_thunk", "klp_enable_patch",
                                   "seq_printf", "seq_putc"}));
  // The ftrace call site and return thunk site of the kept function (R_X86_64_64 = 1,
  // R_X86_64_PC32 = 2), after those of the registration code.
  EXPECT_EQ(V.Relocations[".rela__mcount_loc"],
            (std::vector<std::string>{"0 1 section:.init.text 0",
                                      "8 1 section:.text.cmdline_proc_show 0"}));
  EXPECT_EQ(V.Relocations[".rela.return_sites"],
            (std::vector<std::string>{"0 2 section:.exit.text 0",
                                      "4 2 section:.text.cmdline_proc_show 44"}));
  EXPECT_EQ(V.Sections[".orc_unwind"].sh_size, 6 * V.Sections[".orc_unwind_ip"].sh_size / 4);
}

TEST_F(LivepatchModule, FdinfoModuleReferencesStaticSeqShowByPosition) {
  KoView V = readKo(fdinfoKo());
  // Its cold part comes along; ptrace_may_access (from an inlined helper) is not exported.
  EXPECT_EQ(klpSections(V),
            (std::set<std::string>{".klp.rela.vmlinux.text.seq_fdinfo_open",
                                   ".klp.rela.vmlinux.text.unlikely.seq_fdinfo_open"}));
  EXPECT_EQ(klpSymbols(V), (std::set<std::string>{".klp.sym.vmlinux.ptrace_may_access,0",
                                                  ".klp.sym.vmlinux.seq_show,1"}));
  EXPECT_EQ(V.Symbols.count("seq_fdinfo_open.cold"), 1u);
  EXPECT_EQ(modinfoField(fdinfoKo(), "livepatch"), "Y");
}

TEST_F(LivepatchModule, CmdlineAndFdinfoPatchesWorkInTheVm) {
  std::string Cmdline = cmdlineKo(), Fdinfo = fdinfoKo();
  VmConfig C;
  C.Files["/cmdline.ko"] = Cmdline;
  C.Files["/fdinfo.ko"] = Fdinfo;
  C.Append = "console=ttyS0 quiet panic=-1 klptest";
  // Replace is on by default: the second patch replaces the first, so they are tried in turn.
  C.Script = R"SH(
L=/sys/kernel/livepatch
insmod /cmdline.ko; mark insmod_cmdline $?
wait_value $L/livepatch_cmdline/transition 0; mark wait_cmdline $?
mark enabled_cmdline "$(cat $L/livepatch_cmdline/enabled)"
mark cmdline_patched "$(cat /proc/cmdline)"
echo 0 > $L/livepatch_cmdline/enabled
wait_gone $L/livepatch_cmdline; mark gone_cmdline $?
rmmod livepatch_cmdline; mark rmmod_cmdline $?
mark cmdline_restored "$(cat /proc/cmdline)"
insmod /fdinfo.ko; mark insmod_fdinfo $?
wait_value $L/livepatch_fdinfo/transition 0; mark wait_fdinfo $?
mark enabled_fdinfo "$(cat $L/livepatch_fdinfo/enabled)"
mark fdinfo_pos "$(head -n 1 /proc/self/fdinfo/0 | tr '\t' ' ')"
mark fdinfo_dmesg "$(dmesg | grep -c 'klp-lsp fdinfo patched')"
echo 0 > $L/livepatch_fdinfo/enabled
wait_gone $L/livepatch_fdinfo; mark gone_fdinfo $?
rmmod livepatch_fdinfo; mark rmmod_fdinfo $?
head -n 1 /proc/self/fdinfo/0 > /dev/null
mark fdinfo_dmesg_after "$(dmesg | grep -c 'klp-lsp fdinfo patched')"
)SH";
  VmRun R = runVm(C);
  ASSERT_EQ(R.scriptExit(), 0) << R.tail();
  EXPECT_EQ(R.marker("insmod_cmdline"), "0") << R.tail();
  EXPECT_EQ(R.marker("wait_cmdline"), "0");
  EXPECT_EQ(R.marker("enabled_cmdline"), "1");
  EXPECT_EQ(R.marker("cmdline_patched"), "klp-patched console=ttyS0 quiet panic=-1 klptest");
  EXPECT_EQ(R.marker("gone_cmdline"), "0");
  EXPECT_EQ(R.marker("rmmod_cmdline"), "0");
  EXPECT_EQ(R.marker("cmdline_restored"), "console=ttyS0 quiet panic=-1 klptest");
  EXPECT_EQ(R.marker("insmod_fdinfo"), "0") << R.tail();
  EXPECT_EQ(R.marker("wait_fdinfo"), "0");
  EXPECT_EQ(R.marker("enabled_fdinfo"), "1");
  EXPECT_EQ(R.marker("fdinfo_pos"), "pos: 0");
  EXPECT_EQ(R.marker("fdinfo_dmesg"), "1");
  EXPECT_EQ(R.marker("gone_fdinfo"), "0");
  EXPECT_EQ(R.marker("rmmod_fdinfo"), "0");
  EXPECT_EQ(R.marker("fdinfo_dmesg_after"), "1");
}

} // namespace
