// buildLivepatch's refusals against the pinned tree: each fails with an exact message and writes
// no module.
#include "klp/livepatch_build.h"
#include "text_edits.h"
#include "vm_process.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

using namespace klp;
using klp::test::errorOf;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<KernelTree> openTree() {
  const char *Root = std::getenv("KLP_KERNEL_TREE");
  if (!Root || !*Root)
    throw std::runtime_error("KLP_KERNEL_TREE is not set");
  return KernelTree::open(Root);
}

FileChange change(const KernelTree &Tree, const std::string &Path, const std::string &From,
                  const std::string &To) {
  std::ifstream In(Tree.absolute(Path));
  std::stringstream S;
  S << In.rdbuf();
  FileChange C;
  C.Path = C.OldPath = Path;
  C.Original = S.str();
  std::string Text = S.str();
  size_t At = Text.find(From);
  if (At == std::string::npos)
    throw std::runtime_error("anchor not found in " + Path);
  C.Patched = Text.replace(At, From.size(), To);
  return C;
}

TEST(LivepatchBuild, CommentOnlyChangeHasNothingToPatch) {
  auto Tree = openTree();
  klp::test::TempDir W("klp-pipeline");
  std::string Sym = W.path() + "/kallsyms";
  std::ofstream(Sym) << "ffffffff81000000 T _stext\n";
  LivepatchBuildOptions O;
  O.SymbolsFile = Sym;
  O.BuildDir = W.path() + "/build";
  std::string Ko = W.path() + "/x.ko";
  FileChange C = change(*Tree, "fs/proc/cmdline.c", "static int cmdline_proc_show",
                        "/* a comment */\nstatic int cmdline_proc_show");
  EXPECT_EQ(errorOf([&] { buildLivepatch(*Tree, {C}, Ko, O); }),
            "the patch changes no function's machine code in fs/proc/cmdline.c, so there is "
            "nothing to livepatch");
  EXPECT_FALSE(fs::exists(Ko));
}

TEST(LivepatchBuild, MissingSymbolsFileFailsBeforeBuilding) {
  auto Tree = openTree();
  klp::test::TempDir W("klp-pipeline");
  LivepatchBuildOptions O;
  O.SymbolsFile = W.path() + "/none";
  std::vector<std::string> Progress;
  O.Progress = [&](const std::string &L) { Progress.push_back(L); };
  std::string Ko = W.path() + "/x.ko";
  FileChange C = change(*Tree, "fs/proc/cmdline.c", "seq_putc(m, '\\n');", "seq_putc(m, '!');");
  EXPECT_EQ(errorOf([&] { buildLivepatch(*Tree, {C}, Ko, O); }),
            "target symbols file '" + W.path() + "/none' (from --symbols) does not exist");
  EXPECT_EQ(Progress, std::vector<std::string>{});
  EXPECT_FALSE(fs::exists(Ko));
}

TEST(LivepatchBuild, ChangedTranslationUnits) {
  auto Tree = openTree();
  FileChange C = change(*Tree, "fs/proc/cmdline.c", "seq_putc(m, '\\n');", "seq_putc(m, '!');");
  FileChange Doc;
  Doc.Path = Doc.OldPath = "Documentation/livepatch/livepatch.rst";
  Doc.Original = "a\n";
  Doc.Patched = "b\n";
  std::vector<std::string> Notes;
  EXPECT_EQ(
      changedTranslationUnits(*Tree, {C, Doc}, [&](const std::string &L) { Notes.push_back(L); }),
      std::vector<std::string>{"fs/proc/cmdline.c"});
  EXPECT_EQ(Notes, std::vector<std::string>{
                       "skipping Documentation/livepatch/livepatch.rst: not a C source or header"});
  EXPECT_EQ(errorOf([&] { changedTranslationUnits(*Tree, {Doc}); }),
            "the patch changes no C source or header, so there is nothing to livepatch");
  FileChange Header =
      change(*Tree, "include/linux/seq_file.h", "struct seq_file {", "struct seq_file { /* x */");
  std::string E = errorOf([&] { changedTranslationUnits(*Tree, {Header}); });
  EXPECT_EQ(E.rfind("include/linux/seq_file.h: the changed header is included by ", 0), 0u) << E;
  EXPECT_NE(E.find(" built translation units, more than the 50 one livepatch build compiles"),
            std::string::npos)
      << E;
}

} // namespace
