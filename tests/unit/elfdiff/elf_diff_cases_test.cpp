// Data-driven ELF diff cases: tests/data/elfdiff/<case>/{orig.c,patched.c,expected}. Both sides
// are compiled here with gcc-12 as the kernel's objects are (function and data sections, ipa
// clones dump), each as x.c in its own directory so file names match; the diff printed one line
// per entry must equal `expected` (lines starting with '#' are comments).
#include "data_cases.h"
#include "elfdiff_support.h"
#include "klp/elf_diff.h"

#include <gtest/gtest.h>

namespace {

namespace fs = std::filesystem;
using klp::testing::CaseName;
using klp::testing::readFile;

const fs::path CasesDir = fs::path(KLP_TEST_DATA) / "data" / "elfdiff";

std::vector<std::string> caseDirs() {
  std::vector<std::string> Names;
  for (const auto &E : fs::directory_iterator(CasesDir))
    if (E.is_directory())
      Names.push_back(E.path().filename().string());
  std::sort(Names.begin(), Names.end());
  return Names;
}

std::string expectedOf(const fs::path &File) {
  std::istringstream In(readFile(File));
  std::string Line, Out;
  while (std::getline(In, Line))
    if (!Line.empty() && Line[0] != '#')
      Out += Line + "\n";
  return Out;
}

class ElfDiffCase : public ::testing::TestWithParam<std::string> {};

TEST_P(ElfDiffCase, MatchesExpected) {
  fs::path Case = CasesDir / GetParam();
  klp::testing::TempDir Work("klp-elfdiff");
  klp::testing::CompiledSide Orig =
      klp::testing::compileSide(std::filesystem::path(Work.path()) / "orig", Case / "orig.c");
  klp::testing::CompiledSide Patched =
      klp::testing::compileSide(std::filesystem::path(Work.path()) / "patched", Case / "patched.c");
  klp::ObjectDiff D = klp::diffObjects(Orig.Object, Patched.Object, Orig.Clones, Patched.Clones);
  EXPECT_EQ(klp::testing::formatDiff(D), expectedOf(Case / "expected"));
}

INSTANTIATE_TEST_SUITE_P(Cases, ElfDiffCase, ::testing::ValuesIn(caseDirs()), CaseName());

} // namespace
