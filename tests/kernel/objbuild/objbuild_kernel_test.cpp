// buildChangedObjects on the pinned tree: both sides of a unit, objtool's sections, patched
// sources and headers (quoted and -I), determinism, the ipa-clones dump, the compiler check.
#include "objbuild_kernel_fixture.h"

using namespace klp;
using namespace klp::test;
namespace fs = std::filesystem;

namespace {

const char *CmdlineLine = "\tseq_putc(m, '\\n');\n";
const char *CmdlinePatched = "\tseq_puts(m, \" (patched)\\n\");\n";

} // namespace

TEST(ObjectBuild, CmdlineOriginalAndPatched) {
  KLP_REQUIRE_KERNEL_TREE();
  std::string Scratch = scratchDir("cmdline");
  ObjectBuildOptions Opts;
  Opts.BuildDir = Scratch + "/area";
  std::vector<std::string> Progress;
  Opts.Progress = [&](const std::string &M) { Progress.push_back(M); };
  std::string Patched = edited(treeFile("fs/proc/cmdline.c"), CmdlineLine, CmdlinePatched);
  std::vector<BuiltObject> R = buildChangedObjects(pinnedTree(), {"fs/proc/cmdline.c"},
                                                   {{"fs/proc/cmdline.c", Patched}}, Opts);
  ASSERT_EQ(R.size(), 1u);
  EXPECT_EQ(R[0].Source, "fs/proc/cmdline.c");
  EXPECT_EQ(R[0].Info.object(), "vmlinux");
  EXPECT_EQ(R[0].Original, Scratch + "/area/original/fs/proc/cmdline.o");
  EXPECT_EQ(R[0].Patched, Scratch + "/area/patched/fs/proc/cmdline.o");
  EXPECT_EQ(R[0].OriginalClones, Scratch + "/area/original/fs/proc/cmdline.c.000i.ipa-clones");
  EXPECT_EQ(R[0].PatchedClones, Scratch + "/area/patched/fs/proc/cmdline.c.000i.ipa-clones");
  EXPECT_TRUE(fs::exists(R[0].OriginalClones));
  EXPECT_TRUE(fs::exists(R[0].PatchedClones));
  EXPECT_EQ(Progress, (std::vector<std::string>{"compiling fs/proc/cmdline.c (original)",
                                                "compiling fs/proc/cmdline.c (patched)"}));
  // Only the published area and its lock: no staging directory is left.
  EXPECT_EQ(entryNames(Scratch), (std::vector<std::string>{"area", "area.lock"}));

  auto O = elfSections(R[0].Original), P = elfSections(R[0].Patched);
  ASSERT_TRUE(O.count(".text.cmdline_proc_show"));
  ASSERT_TRUE(P.count(".text.cmdline_proc_show"));
  EXPECT_NE(O[".text.cmdline_proc_show"], P[".text.cmdline_proc_show"]);
  EXPECT_EQ(O[".init.text"], P[".init.text"]); // proc_cmdline_init is unchanged
  // -fdata-sections gives the function's strings a section of their own.
  EXPECT_EQ(P[".rodata.cmdline_proc_show.str1.1"], std::string(" (patched)\n\0", 12));
  EXPECT_FALSE(O.count(".rodata.cmdline_proc_show.str1.1"));
  // objtool ran as kbuild runs it (--orc --retpoline --rethunk --static-call ...), and gcc
  // recorded the ftrace call sites itself (CONFIG_FTRACE_MCOUNT_USE_CC).
  for (const char *S : {".orc_unwind", ".orc_unwind_ip", ".return_sites", "__mcount_loc"}) {
    EXPECT_TRUE(O.count(S)) << S;
    EXPECT_TRUE(P.count(S)) << S;
  }
  // __FILE__ and the debug info's file name are the tree's, not the mirror's.
  EXPECT_EQ(P[".debug_str"].find("/mirror/"), std::string::npos);
  EXPECT_EQ(P[".debug_line_str"].find("/mirror/"), std::string::npos);

  checkCompilerMatches(pinnedTree(), R[0].Original);
  checkCompilerMatches(pinnedTree(), R[0].Patched);
  std::vector<std::string> Comments = objectComments(R[0].Patched);
  EXPECT_EQ(Comments, (std::vector<std::string>{"GCC: (Debian 12.2.0-14+deb12u1) 12.2.0"}));
  EXPECT_EQ(pinnedTree().config("CONFIG_CC_VERSION_TEXT"),
            "gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0");
  EXPECT_EQ(compilerMismatch(Comments, "gcc-13 (Debian 13.2.0-25) 13.2.0"),
            "the object was compiled by \"GCC: (Debian 12.2.0-14+deb12u1) 12.2.0\" but the "
            "kernel was built with \"gcc-13 (Debian 13.2.0-25) 13.2.0\" (CONFIG_CC_VERSION_TEXT)");
}

// The original side is reproducible, and the patched side with unchanged text is the very same
// object: the mirror, -iquote and the prefix map change nothing but where the text comes from.
TEST(ObjectBuild, DeterministicAndMirrorNeutral) {
  KLP_REQUIRE_KERNEL_TREE();
  std::string Scratch = scratchDir("determinism");
  ObjectBuildOptions A, B;
  A.BuildDir = Scratch + "/a";
  B.BuildDir = Scratch + "/b";
  B.Jobs = 1;
  std::string Same = treeFile("fs/proc/cmdline.c");
  auto RA =
      buildChangedObjects(pinnedTree(), {"fs/proc/cmdline.c"}, {{"fs/proc/cmdline.c", Same}}, A);
  auto RB = buildChangedObjects(pinnedTree(), {"fs/proc/cmdline.c"}, {}, B);
  ASSERT_EQ(RA.size(), 1u);
  ASSERT_EQ(RB.size(), 1u);
  std::string Orig = fileText(RA[0].Original);
  ASSERT_GT(Orig.size(), 10000u);
  EXPECT_TRUE(Orig == fileText(RB[0].Original));
  EXPECT_TRUE(Orig == fileText(RA[0].Patched));
  EXPECT_TRUE(Orig == fileText(RB[0].Patched));
}

TEST(ObjectBuild, PatchedHeaderInTheSourceDirectory) {
  KLP_REQUIRE_KERNEL_TREE();
  std::string Scratch = scratchDir("quoted-header");
  ObjectBuildOptions Opts;
  Opts.BuildDir = Scratch + "/area";
  // softirqs.c includes "internal.h" and calls pde_make_permanent() from its __init function.
  std::string Header = edited(treeFile("fs/proc/internal.h"), "pde->flags |= PROC_ENTRY_PERMANENT;",
                              "pde->flags |= PROC_ENTRY_PERMANENT | PROC_ENTRY_proc_lseek;");
  auto R = buildChangedObjects(pinnedTree(), {"fs/proc/softirqs.c"},
                               {{"fs/proc/internal.h", Header}}, Opts);
  ASSERT_EQ(R.size(), 1u);
  auto O = elfSections(R[0].Original), P = elfSections(R[0].Patched);
  ASSERT_TRUE(O.count(".init.text"));
  EXPECT_NE(O[".init.text"], P[".init.text"]);
  ASSERT_TRUE(O.count(".text.show_softirqs"));
  EXPECT_EQ(O[".text.show_softirqs"], P[".text.show_softirqs"]);
}

TEST(ObjectBuild, PatchedHeaderOnTheIncludePath) {
  KLP_REQUIRE_KERNEL_TREE();
  std::string Scratch = scratchDir("include-header");
  ObjectBuildOptions Opts;
  Opts.BuildDir = Scratch + "/area";
  std::string Header =
      edited(treeFile("include/linux/seq_file.h"), "void seq_putc(struct seq_file *m, char c);\n",
             "void seq_putc(struct seq_file *m, char c);\n"
             "#define seq_putc(m, c) seq_puts(m, \"<header>\")\n");
  auto R = buildChangedObjects(pinnedTree(), {"fs/proc/cmdline.c"},
                               {{"include/linux/seq_file.h", Header}}, Opts);
  ASSERT_EQ(R.size(), 1u);
  auto O = elfSections(R[0].Original), P = elfSections(R[0].Patched);
  EXPECT_NE(O[".text.cmdline_proc_show"], P[".text.cmdline_proc_show"]);
  EXPECT_EQ(P[".rodata.cmdline_proc_show.str1.1"], std::string("<header>\0", 9));
  EXPECT_FALSE(O.count(".rodata.cmdline_proc_show.str1.1"));
}

TEST(ObjectBuild, IpaClonesDumpOfBothSides) {
  KLP_REQUIRE_KERNEL_TREE();
  std::string Scratch = scratchDir("clones");
  ObjectBuildOptions Opts;
  Opts.BuildDir = Scratch + "/area";
  auto R = buildChangedObjects(pinnedTree(), {"fs/proc/meminfo.c"},
                               {{"fs/proc/meminfo.c", treeFile("fs/proc/meminfo.c")}}, Opts);
  ASSERT_EQ(R.size(), 1u);
  std::string O = fileText(R[0].OriginalClones), P = fileText(R[0].PatchedClones);
  // meminfo.c's static helper show_val_kb is inlined into meminfo_proc_show.
  EXPECT_NE(O.find("Callgraph clone;show_val_kb;"), std::string::npos) << O.substr(0, 500);
  EXPECT_NE(O.find(";fs/proc/meminfo.c;"), std::string::npos);
  // The patched dump names the tree's files, as the original's does.
  EXPECT_EQ(P, O);

  ObjectBuildOptions NoClones;
  NoClones.BuildDir = Scratch + "/none";
  NoClones.IpaClones = false;
  auto N = buildChangedObjects(pinnedTree(), {"fs/proc/meminfo.c"}, {}, NoClones);
  ASSERT_EQ(N.size(), 1u);
  EXPECT_EQ(N[0].OriginalClones, "");
  EXPECT_EQ(N[0].PatchedClones, "");
  EXPECT_TRUE(fileText(N[0].Original) == fileText(R[0].Original));
}

// A module's object gets objtool's --module and names its module.
TEST(ObjectBuild, ModuleObject) {
  KLP_REQUIRE_KERNEL_TREE();
  std::string Scratch = scratchDir("module");
  ObjectBuildOptions Opts;
  Opts.BuildDir = Scratch + "/area";
  auto R = buildChangedObjects(pinnedTree(), {"fs/nfsd/nfsctl.c"}, {}, Opts);
  ASSERT_EQ(R.size(), 1u);
  EXPECT_EQ(R[0].Info.object(), "nfsd");
  auto O = elfSections(R[0].Original);
  EXPECT_TRUE(O.count(".orc_unwind"));
  EXPECT_TRUE(O.count(".return_sites"));
  EXPECT_TRUE(fileText(R[0].Original) == fileText(R[0].Patched));
}
