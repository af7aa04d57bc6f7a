// The command lines of the changed-object build: one side's compile argv, the owning
// directory, objtool's arguments and Makefile.build's is-standard-object.
#include "../../../kbuild-integration/src/objbuild.h"

#include "klp/error.h"

#include <gtest/gtest.h>

using namespace klp;
using V = std::vector<std::string>;

namespace {

CompileCommand command(const std::string &Source, const std::string &Spelled) {
  std::string Obj = Spelled.substr(0, Spelled.size() - 2) + ".o";
  CompileCommand C;
  C.Directory = "/tree";
  C.Source = Source;
  C.Object = Source.substr(0, Source.size() - 2) + ".o";
  C.Argv = {"gcc-12",
            "-Wp,-MMD," + Obj.substr(0, Obj.rfind('/')) + "/." + Obj.substr(Obj.rfind('/') + 1) +
                ".d",
            "-nostdinc",
            "-I./arch/x86/include",
            "-I./include",
            "-include",
            "./include/linux/compiler_types.h",
            "-O2",
            "-DKBUILD_MODFILE=\"fs/proc/proc\"",
            "-c",
            "-o",
            Obj,
            Spelled};
  return C;
}

} // namespace

TEST(SideCompileArgv, OriginalSideDropsDepfileAndWritesIntoTheBuildDir) {
  CompileSide S;
  S.Output = "/b/original/fs/proc/cmdline.o";
  S.DumpDir = "/b/original/fs/proc/";
  S.ExtraFlags = {"-ffunction-sections", "-fdata-sections"};
  EXPECT_EQ(sideCompileArgv(command("fs/proc/cmdline.c", "fs/proc/cmdline.c"), S),
            (V{"gcc-12", "-nostdinc", "-I./arch/x86/include", "-I./include", "-include",
               "./include/linux/compiler_types.h", "-O2", "-DKBUILD_MODFILE=\"fs/proc/proc\"",
               "-ffunction-sections", "-fdata-sections", "-fdump-ipa-clones", "-dumpdir",
               "/b/original/fs/proc/", "-c", "-o", "/b/original/fs/proc/cmdline.o",
               "fs/proc/cmdline.c"}));
  S.DumpDir.clear();
  S.ExtraFlags.clear();
  EXPECT_EQ(sideCompileArgv(command("fs/proc/cmdline.c", "fs/proc/cmdline.c"), S),
            (V{"gcc-12", "-nostdinc", "-I./arch/x86/include", "-I./include", "-include",
               "./include/linux/compiler_types.h", "-O2", "-DKBUILD_MODFILE=\"fs/proc/proc\"", "-c",
               "-o", "/b/original/fs/proc/cmdline.o", "fs/proc/cmdline.c"}));
}

TEST(SideCompileArgv, PatchedSideSearchesTheMirrorFirst) {
  CompileSide S;
  S.Output = "/b/patched/fs/proc/cmdline.o";
  S.Mirror = "/b/mirror";
  S.MirroredFiles = {"fs/proc/cmdline.c", "include/linux/seq_file.h",
                     "include/linux/compiler_types.h"};
  EXPECT_EQ(sideCompileArgv(command("fs/proc/cmdline.c", "fs/proc/cmdline.c"), S),
            (V{"gcc-12", "-nostdinc", "-I./arch/x86/include", "-I/b/mirror/include", "-I./include",
               "-include", "/b/mirror/include/linux/compiler_types.h", "-O2",
               "-DKBUILD_MODFILE=\"fs/proc/proc\"", "-iquote", "fs/proc",
               "-ffile-prefix-map=/b/mirror/=", "-c", "-o", "/b/patched/fs/proc/cmdline.o",
               "/b/mirror/fs/proc/cmdline.c"}));
}

TEST(SideCompileArgv, SourceSpelledThroughParentKeepsItsSpelling) {
  CompileSide S;
  S.Output = "/b/patched/virt/kvm/kvm_main.o";
  S.Mirror = "/b/mirror";
  S.MirroredFiles = {"virt/kvm/kvm_main.c"};
  CompileCommand C = command("virt/kvm/kvm_main.c", "arch/x86/kvm/../../../virt/kvm/kvm_main.c");
  V Argv = sideCompileArgv(C, S);
  EXPECT_EQ(
      V(Argv.end() - 7, Argv.end()),
      (V{"-iquote", "arch/x86/kvm/../../../virt/kvm", "-ffile-prefix-map=/b/mirror/=", "-c", "-o",
         "/b/patched/virt/kvm/kvm_main.o", "/b/mirror/arch/x86/kvm/../../../virt/kvm/kvm_main.c"}));
  EXPECT_EQ(owningDir(C), "arch/x86/kvm");
  EXPECT_EQ(owningDir(command("fs/proc/cmdline.c", "fs/proc/cmdline.c")), "fs/proc");
}

TEST(SideCompileArgv, CommandWithoutCompileTailIsAnError) {
  CompileCommand C;
  C.Source = "fs/x.c";
  C.Argv = {"gcc-12", "-E", "fs/x.c"};
  try {
    sideCompileArgv(C, CompileSide{});
    FAIL() << "no error";
  } catch (const Error &E) {
    EXPECT_STREQ(E.what(), "fs/x.c: the compile command does not end in \"-c -o OBJECT SOURCE\"");
  }
}

TEST(ObjtoolArgs, FromTheDebianConfig) {
  std::map<std::string, std::string> Config = {{"CONFIG_HAVE_JUMP_LABEL_HACK", "y"},
                                               {"CONFIG_HAVE_NOINSTR_HACK", "y"},
                                               {"CONFIG_UNWINDER_ORC", "y"},
                                               {"CONFIG_RETPOLINE", "y"},
                                               {"CONFIG_RETHUNK", "y"},
                                               {"CONFIG_SLS", "y"},
                                               {"CONFIG_HAVE_STATIC_CALL_INLINE", "y"},
                                               {"CONFIG_HAVE_UACCESS_VALIDATION", "y"},
                                               {"CONFIG_FTRACE_MCOUNT_USE_CC", "y"}};
  auto Get = [&](const std::string &N) { return Config.count(N) ? Config.at(N) : ""; };
  V Builtin = {"--hacks=jump_label", "--hacks=noinstr", "--orc",         "--retpoline",
               "--rethunk",          "--sls",           "--static-call", "--uaccess"};
  EXPECT_EQ(objtoolArgs(Get, false), Builtin);
  Builtin.push_back("--module");
  EXPECT_EQ(objtoolArgs(Get, true), Builtin);
}

TEST(ObjtoolArgs, IbtDelaysToLinkAndCoverageAllowsUnreachable) {
  std::map<std::string, std::string> Config = {{"CONFIG_X86_KERNEL_IBT", "y"},
                                               {"CONFIG_KCOV", "y"},
                                               {"CONFIG_STACK_VALIDATION", "y"},
                                               {"CONFIG_FTRACE_MCOUNT_USE_OBJTOOL", "y"}};
  auto Get = [&](const std::string &N) { return Config.count(N) ? Config.at(N) : ""; };
  EXPECT_EQ(objtoolArgs(Get, true),
            (V{"--ibt", "--mcount", "--stackval", "--no-unreachable", "--link", "--module"}));
}

TEST(IsStandardObject, MakefileAssignments) {
  EXPECT_TRUE(isStandardObject("obj-y += a.o\n", "a.o"));
  EXPECT_FALSE(isStandardObject("OBJECT_FILES_NON_STANDARD\t:= y\n", "a.o"));
  // arch/x86/entry/vdso/Makefile: the directory is non-standard except vma.o.
  std::string Vdso = "OBJECT_FILES_NON_STANDARD\t:= y\nOBJECT_FILES_NON_STANDARD_vma.o\t:= n\n";
  EXPECT_TRUE(isStandardObject(Vdso, "vma.o"));
  EXPECT_FALSE(isStandardObject(Vdso, "vclock_gettime.o"));
  // arch/x86/kvm/Makefile: one object.
  std::string Kvm =
      "ccflags-y += -I $(srctree)/arch/x86/kvm\nOBJECT_FILES_NON_STANDARD_vmenter.o := y\n";
  EXPECT_FALSE(isStandardObject(Kvm, "vmenter.o"));
  EXPECT_TRUE(isStandardObject(Kvm, "x86.o"));
  EXPECT_TRUE(isStandardObject("# OBJECT_FILES_NON_STANDARD := y\n", "a.o"));
}

TEST(ReplaceAll, EveryOccurrence) {
  EXPECT_EQ(replaceAll("/m/a.c:1: /m/b.h", "/m/", ""), "a.c:1: b.h");
  EXPECT_EQ(replaceAll("aaa", "a", "aa"), "aaaaaa");
  EXPECT_EQ(replaceAll("x", "", "y"), "x");
}
