// The pipeline's decisions without a kernel: what of an object diff goes into the module
// (objects compiled here with gcc-12 as the kernel's are), the default module name, and where
// the target's symbols are looked for.
#include "../elfdiff/elfdiff_support.h"
#include "klp/livepatch_build.h"
#include "text_edits.h"

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>

using namespace klp;
using klp::test::errorOf;
namespace fs = std::filesystem;

namespace {

// Builds both sides from texts and returns the ObjectResult of source "fs/x.c" in vmlinux.
ObjectResult resultOf(const fs::path &Dir, const std::string &Orig, const std::string &Patched,
                      bool Ftrace = true) {
  fs::create_directories(Dir / "src");
  std::ofstream(Dir / "src/orig.c") << Orig;
  std::ofstream(Dir / "src/patched.c") << Patched;
  klp::testing::CompiledSide O = klp::testing::compileSide(Dir / "orig", Dir / "src/orig.c");
  klp::testing::CompiledSide P = klp::testing::compileSide(Dir / "patched", Dir / "src/patched.c");
  ObjectResult R;
  R.Object.Source = "fs/x.c";
  R.Object.Info.Built = R.Object.Info.BuiltIn = true;
  R.Object.Info.Ftrace = Ftrace;
  R.Object.Original = O.Object;
  R.Object.Patched = P.Object;
  R.Diff = diffObjects(O.Object, P.Object, O.Clones, P.Clones);
  return R;
}

TEST(PipelinePlan, ChangedAndNewFunctions) {
  klp::testing::TempDir W("klp-plan");
  ObjectResult R = resultOf(W.path(),
                            "extern void sink(int);\n"
                            "int compute(int a) { sink(a); return a * 3; }\n"
                            "int other(int a) { sink(a + 1); return a; }\n",
                            "extern void sink(int);\n"
                            "__attribute__((noinline)) static int helper(int a) { sink(a); "
                            "return a - 1; }\n"
                            "int compute(int a) { sink(a); return helper(a) * 3; }\n"
                            "int other(int a) { sink(a + 1); return a; }\n");
  std::vector<PatchedObjectSpec> S = patchedObjects({R});
  ASSERT_EQ(S.size(), 1u);
  EXPECT_EQ(S[0].Object, "vmlinux");
  EXPECT_EQ(S[0].PatchedObjectFile, R.Object.Patched);
  EXPECT_EQ(S[0].Functions, std::vector<std::string>{"compute"});
  EXPECT_EQ(S[0].NewFunctions, std::vector<std::string>{"helper"});
  EXPECT_EQ(S[0].NewData, std::vector<std::string>{});
}

TEST(PipelinePlan, LineOnlyFunctionsAreNotPatched) {
  klp::testing::TempDir W("klp-plan");
  fs::path Case = fs::path(KLP_TEST_DATA) / "data/elfdiff/line-shift";
  std::ifstream A(Case / "orig.c"), B(Case / "patched.c");
  std::string Orig((std::istreambuf_iterator<char>(A)), {}),
      Patched((std::istreambuf_iterator<char>(B)), {});
  ObjectResult R = resultOf(W.path(), Orig, Patched);
  ASSERT_EQ(R.Diff.Functions.size(), 1u);
  EXPECT_TRUE(R.Diff.Functions[0].LineOnly);
  EXPECT_EQ(patchedObjects({R}).size(), 0u);
}

TEST(PipelinePlan, ChangedWritableDataIsRefused) {
  klp::testing::TempDir W("klp-plan");
  ObjectResult R = resultOf(W.path(),
                            "int table[4] = {1, 2, 3, 4};\n"
                            "int lookup(int i) { return table[i & 3]; }\n",
                            "int table[4] = {1, 2, 3, 5};\n"
                            "int lookup(int i) { return table[i & 3]; }\n");
  EXPECT_EQ(errorOf([&] { patchedObjects({R}); }),
            "fs/x.c: the patch changes the initial value of table, which the running kernel "
            "already holds; a livepatch cannot change existing data (use a shadow variable or "
            "change the code that sets it)");
}

TEST(PipelinePlan, ChangedConstantIsCopiedWithItsReaders) {
  klp::testing::TempDir W("klp-plan");
  ObjectResult R = resultOf(W.path(),
                            "static const int limits[4] = {10, 20, 30, 40};\n"
                            "int lookup(int i) { return limits[i & 3]; }\n"
                            "int unrelated(int i) { return i + 1; }\n",
                            "static const int limits[4] = {10, 20, 30, 45};\n"
                            "int lookup(int i) { return limits[i & 3]; }\n"
                            "int unrelated(int i) { return i + 1; }\n");
  std::vector<PatchedObjectSpec> S = patchedObjects({R});
  ASSERT_EQ(S.size(), 1u);
  EXPECT_EQ(S[0].Functions, std::vector<std::string>{"lookup"});
  EXPECT_EQ(S[0].NewData, std::vector<std::string>{"limits"});
}

TEST(PipelinePlan, UnitWithoutFtraceIsRefused) {
  klp::testing::TempDir W("klp-plan");
  ObjectResult R = resultOf(W.path(), "int f(int a) { return a + 1; }\n",
                            "int f(int a) { return a + 2; }\n", /*Ftrace=*/false);
  EXPECT_EQ(errorOf([&] { patchedObjects({R}); }),
            "fs/x.c is compiled without ftrace call sites (-pg), so f cannot be live patched");
}

TEST(PipelinePlan, ModuleObjectName) {
  klp::testing::TempDir W("klp-plan");
  ObjectResult R =
      resultOf(W.path(), "int f(int a) { return a + 1; }\n", "int f(int a) { return a + 2; }\n");
  R.Object.Info.BuiltIn = false;
  R.Object.Info.Module = "nfsd";
  std::vector<PatchedObjectSpec> S = patchedObjects({R});
  ASSERT_EQ(S.size(), 1u);
  EXPECT_EQ(S[0].Object, "nfsd");
}

TEST(PipelinePlan, DefaultModuleName) {
  FileChange A, B;
  A.Path = "fs/proc/cmd-line.c";
  B.Path = "kernel/sched/core.c";
  EXPECT_EQ(defaultModuleName({A, B}), "livepatch_cmd_line");
  EXPECT_EQ(defaultModuleName({B}), "livepatch_core");
  EXPECT_EQ(defaultModuleName({}), "livepatch_patch");
}

TEST(PipelinePlan, TargetSymbolsFile) {
  klp::testing::TempDir W("klp-plan");
  std::string Sym = W.path() + "/kallsyms";
  std::ofstream(Sym) << "ffffffff81000000 T _stext\n";
  LivepatchBuildOptions O;
  O.SymbolsFile = Sym;
  EXPECT_EQ(targetSymbolsFile(O, "6.1.0-50-amd64"), Sym);
  O.SymbolsFile = Sym + ".missing";
  EXPECT_EQ(errorOf([&] { targetSymbolsFile(O, "6.1.0-50-amd64"); }),
            "target symbols file '" + Sym + ".missing' (from --symbols) does not exist");
  O.SymbolsFile.clear();
  ::setenv("KLP_TARGET_SYMBOLS", Sym.c_str(), 1);
  EXPECT_EQ(targetSymbolsFile(O, "6.1.0-50-amd64"), Sym);
  ::unsetenv("KLP_TARGET_SYMBOLS");
  std::string Home = W.path() + "/home";
  ::setenv("XDG_CACHE_HOME", Home.c_str(), 1);
  EXPECT_EQ(errorOf([&] { targetSymbolsFile(O, "6.1.0-50-amd64"); }),
            "no symbol table of the target kernel 6.1.0-50-amd64 at " + Home +
                "/klp-lsp/targets/6.1.0-50-amd64/kallsyms (run scripts/target-symbols to store "
                "it, or pass --symbols FILE with its /proc/kallsyms)");
  ::unsetenv("XDG_CACHE_HOME");
}

} // namespace
