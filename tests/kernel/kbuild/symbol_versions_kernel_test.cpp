// symbolVersions on kernel/sched/core.c, checked against Debian's own build of the same
// kernel and config (tests/data/kbuild/sched-core-crcs.txt, from its Module.symvers).
#include "../../unit/kbuild/kbuild_test_data.h"
#include "kernel_tree_fixture.h"
#include "text_edits.h"

#include "klp/error.h"

#include <fstream>
#include <sstream>

using namespace klp;
using Crcs = std::map<std::string, unsigned long>;

namespace {

std::string withIncludeFirst(const std::string &Text, const std::string &Line) {
  std::string T = Text;
  T.insert(T.find("#include"), Line + "\n");
  return T;
}

size_t changed(const Crcs &A, const Crcs &B) {
  size_t N = 0;
  for (const auto &[Sym, Crc] : A)
    N += !B.count(Sym) || B.at(Sym) != Crc;
  return N;
}

} // namespace

TEST(SymbolVersionsKernel, MatchDebiansModuleSymvers) {
  KLP_REQUIRE_KERNEL_TREE();
  Crcs Expected;
  for (const std::string &L : test::lines(test::readData("sched-core-crcs.txt"))) {
    if (L.empty() || L[0] == '#')
      continue;
    std::istringstream In(L);
    std::string Sym, Crc;
    In >> Sym >> Crc;
    Expected[Sym] = std::stoul(Crc, nullptr, 16);
  }
  ASSERT_EQ(Expected.size(), 82u);
  CompileCommand C = test::pinnedTree().compileCommand("kernel/sched/core.c");
  EXPECT_EQ(symbolVersions(test::pinnedTree(), C, std::nullopt), Expected);
  EXPECT_EQ(Expected.at("wake_up_process"), 0x436b7c64u);
}

TEST(SymbolVersionsKernel, PatchedCopies) {
  KLP_REQUIRE_KERNEL_TREE();
  const KernelTree &T = test::pinnedTree();
  CompileCommand C = T.compileCommand("kernel/sched/core.c");
  std::string Text = test::treeText("kernel/sched/core.c");
  Crcs Orig = symbolVersions(T, C, std::nullopt);
  // The same text through the private copy (outside the tree, -iquote for "sched.h"): same.
  EXPECT_EQ(symbolVersions(T, C, Text), Orig);
  // An #include that is already there, and a new static variable: types unchanged.
  EXPECT_EQ(symbolVersions(T, C, withIncludeFirst(Text, "#include <linux/kernel.h>")), Orig);
  EXPECT_EQ(symbolVersions(T, C, Text + "\nstatic int klp_test_unused __attribute__((unused));\n"),
            Orig);
  // <linux/posix_acl.h> defines struct posix_acl, which core.c otherwise only sees declared
  // (genksyms: "struct posix_acl { UNKNOWN }"); every export whose types reach struct inode
  // changes, those that do not (schedule(void)) keep their CRC.
  Crcs Acl = symbolVersions(T, C, withIncludeFirst(Text, "#include <linux/posix_acl.h>"));
  EXPECT_EQ(changed(Orig, Acl), 46u);
  EXPECT_EQ(Acl.at("wake_up_process"), 0xb7e264b3u);
  EXPECT_EQ(Acl.at("schedule"), Orig.at("schedule"));
  // A patch that does not compile is an error naming the file.
  try {
    symbolVersions(T, C, "#include <linux/no-such-header.h>\n");
    FAIL() << "no error";
  } catch (const Error &E) {
    EXPECT_TRUE(std::string(E.what()).starts_with(
        "kernel/sched/core.c (patched): the preprocessor failed for genksyms: "))
        << E.what();
  }
}
