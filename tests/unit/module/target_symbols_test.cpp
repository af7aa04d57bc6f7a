// TargetSymbols: livepatch positions from a handmade kallsyms file and from a small module
// symtab built in the test.
#include "klp/error.h"
#include "klp/livepatch_module.h"
#include "text_edits.h"
#include "vm_process.h"

#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>

using namespace klp;
using klp::test::errorOf;

namespace {

const std::string Kallsyms = std::string(KLP_TEST_DATA) + "/data/module/kallsyms.txt";

std::vector<uint64_t> addresses(const std::vector<TargetSymbols::Symbol> &S) {
  std::vector<uint64_t> A;
  for (const auto &X : S)
    A.push_back(X.Address);
  return A;
}

TEST(TargetSymbols, UniqueSymbolHasPositionZero) {
  TargetSymbols T = TargetSymbols::fromFile(Kallsyms);
  EXPECT_EQ(T.position("vmlinux", "changed"), 0u);
  EXPECT_EQ(T.position("vmlinux", "unexported_global"), 0u);
  EXPECT_EQ(T.position("vmlinux", "counter"), 0u);
}

TEST(TargetSymbols, DuplicatesAreListedInFileOrder) {
  TargetSymbols T = TargetSymbols::fromFile(Kallsyms);
  std::vector<TargetSymbols::Symbol> H = T.lookup("vmlinux", "helper");
  EXPECT_EQ(addresses(H),
            (std::vector<uint64_t>{0xffffffff81001200, 0xffffffff81002100, 0xffffffff81900200}));
  EXPECT_EQ(H[2].Type, 'b');
}

TEST(TargetSymbols, DuplicatePositionIsOneBasedAndChosenBySiblings) {
  TargetSymbols T = TargetSymbols::fromFile(Kallsyms);
  // "unchanged" is next to the first text helper, "other_tu_fn" next to the second.
  EXPECT_EQ(T.position("vmlinux", "helper", {"changed", "unchanged", "counter"}), 1u);
  EXPECT_EQ(T.position("vmlinux", "helper", {"other_tu_fn"}), 2u);
}

TEST(TargetSymbols, AmbiguityIsAnErrorNamingTheSymbol) {
  TargetSymbols T = TargetSymbols::fromFile(Kallsyms);
  EXPECT_EQ(errorOf([&] { T.position("vmlinux", "only_dup"); }),
            "symbol 'only_dup' is ambiguous in vmlinux: 2 symbols share the name and no unique "
            "symbol of the same translation unit tells which one is meant (" +
                Kallsyms + ")");
  // A sibling of another section kind does not decide.
  EXPECT_EQ(errorOf([&] { T.position("vmlinux", "only_dup", {"counter"}); }),
            "symbol 'only_dup' is ambiguous in vmlinux: 2 symbols share the name and no unique "
            "symbol of the same translation unit tells which one is meant (" +
                Kallsyms + ")");
  EXPECT_EQ(errorOf([&] { T.position("vmlinux", "no_such_fn"); }),
            "symbol 'no_such_fn' not found in the symbols of vmlinux (" + Kallsyms + ")");
}

TEST(TargetSymbols, ModuleLinesBelongToTheirModule) {
  TargetSymbols T = TargetSymbols::fromFile(Kallsyms);
  EXPECT_EQ(T.position("my_mod", "helper"), 0u);
  EXPECT_EQ(T.position("my-mod", "mod_fn"), 0u);
  EXPECT_EQ(addresses(T.lookup("my_mod", "helper")), std::vector<uint64_t>{0xffffffffc0001100});
  EXPECT_TRUE(T.lookup("vmlinux", "mod_fn").empty());
}

TEST(TargetSymbols, MalformedLineIsAnError) {
  test::TempDir D;
  std::string F = D.path() + "/bad";
  std::ofstream(F) << "ffffffff81000000 T ok\nnot-an-address T x\n";
  EXPECT_EQ(errorOf([&] { TargetSymbols::fromFile(F); }),
            F + ":2: not a kallsyms/System.map line (ADDR TYPE NAME [MODULE]): not-an-address T x");
}

// Two translation units with a static "helper" each, linked like a module: symtab order, and
// .init.text symbols left out as the module loader leaves them out of kallsyms.
TEST(TargetSymbols, ModuleFileSymbolsInSymtabOrder) {
  test::TempDir D;
  std::ofstream(D.path() + "/a.c")
      << "static __attribute__((noipa, aligned(256))) int helper(int x) { return x + 1; }\n"
         "int a_fn(int x) { return helper(x); }\n"
         "__attribute__((section(\".init.text\"))) int a_init(void) { return 0; }\n";
  std::ofstream(D.path() + "/b.c")
      << "static __attribute__((noipa, aligned(256))) int helper(int x) { return x + 2; }\n"
         "int b_fn(int x) { return helper(x); }\n";
  for (const char *N : {"a", "b"}) {
    test::TimedRun R = test::runWithTimeout(
        {"gcc-12", "-O2", "-c", D.path() + "/" + N + ".c", "-o", D.path() + "/" + N + ".o"},
        std::chrono::seconds(60));
    ASSERT_EQ(R.ExitCode, 0) << R.Output;
  }
  test::TimedRun R = test::runWithTimeout(
      {"ld", "-r", "-o", D.path() + "/two-units.ko", D.path() + "/a.o", D.path() + "/b.o"},
      std::chrono::seconds(60));
  ASSERT_EQ(R.ExitCode, 0) << R.Output;
  TargetSymbols T;
  T.addModuleFile("two-units", D.path() + "/two-units.ko");
  std::vector<TargetSymbols::Symbol> H = T.lookup("two_units", "helper");
  ASSERT_EQ(H.size(), 2u);
  EXPECT_EQ(H[0].Type, 't');
  EXPECT_LT(H[0].Address, H[1].Address);
  EXPECT_EQ(T.position("two_units", "helper", {"a_fn"}), 1u);
  EXPECT_EQ(T.position("two_units", "helper", {"b_fn"}), 2u);
  EXPECT_EQ(T.position("two_units", "a_fn"), 0u);
  EXPECT_TRUE(T.lookup("two_units", "a_init").empty());
}

} // namespace
