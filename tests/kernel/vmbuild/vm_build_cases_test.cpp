// Data-driven end-to-end cases of `klp-lsp build`: tests/data/vmbuild/<case>/ holds patch.diff
// (against the pinned tree), script.sh (the VM body; $KO is the module in the image, $LP its
// livepatch name), expected (every "KLPVM:" marker the guest prints, "NAME=value" in order) and
// optionally modules (shipped modules to put in the image, one per line). Each case builds the
// module with the real binary, boots the pinned kernel with it and compares the markers exactly.
#include "data_cases.h"
#include "vm.h"

#include <cstdlib>
#include <gtest/gtest.h>

namespace {

namespace fs = std::filesystem;
using klp::test::runWithTimeout;
using klp::test::TimedRun;

const fs::path CasesDir = fs::path(KLP_TEST_DATA) / "data" / "vmbuild";

std::vector<std::string> caseDirs() {
  std::vector<std::string> Names;
  for (const auto &E : fs::directory_iterator(CasesDir))
    if (E.is_directory() && fs::exists(E.path() / "patch.diff"))
      Names.push_back(E.path().filename().string());
  std::sort(Names.begin(), Names.end());
  return Names;
}

std::string klpLsp() {
  const char *Env = std::getenv("KLP_LSP");
  return Env && *Env ? Env : KLP_BINARY_DIR "/server/klp-lsp";
}

bool onPath(const std::string &Program) {
  return std::system(("command -v " + Program + " >/dev/null 2>&1").c_str()) == 0;
}

std::vector<std::string> lines(const std::string &Text) {
  std::vector<std::string> Out;
  std::istringstream In(Text);
  for (std::string L; std::getline(In, L);)
    if (!L.empty() && L[0] != '#')
      Out.push_back(L);
  return Out;
}

// Every marker of the run, "NAME=value", in the order the guest printed them.
std::vector<std::string> allMarkers(const klp::test::VmRun &R) {
  std::vector<std::string> Out;
  for (const std::string &L : R.Lines)
    if (size_t P = L.find(klp::test::VmRun::Prefix); P != std::string::npos)
      Out.push_back(L.substr(P + std::string(klp::test::VmRun::Prefix).size()));
  return Out;
}

std::string joinLines(const std::vector<std::string> &V) {
  std::string Out;
  for (const std::string &S : V)
    Out += S + "\n";
  return Out;
}

// The pinned target's kallsyms, stored once by scripts/target-symbols (last line: its path).
std::string targetSymbols() {
  static std::string Path = [] {
    TimedRun R =
        runWithTimeout({(fs::path(KLP_TEST_DATA) / ".." / "scripts/target-symbols").string()},
                       std::chrono::seconds(900));
    std::vector<std::string> L = lines(R.Output);
    if (R.ExitCode != 0 || L.empty() || !fs::exists(L.back()))
      throw std::runtime_error("scripts/target-symbols failed:\n" + R.Output);
    return L.back();
  }();
  return Path;
}

class VmBuildCase : public ::testing::TestWithParam<std::string> {};

TEST_P(VmBuildCase, BehavesAsExpected) {
  const char *Tree = std::getenv("KLP_KERNEL_TREE");
  ASSERT_TRUE(Tree && *Tree) << "KLP_KERNEL_TREE is not set";
  if (!onPath("qemu-system-x86_64"))
    GTEST_SKIP() << "qemu-system-x86_64 is not installed";
  fs::path Case = CasesDir / GetParam();
  std::string Lp = "livepatch_" + GetParam();
  for (char &C : Lp)
    if (!std::isalnum(static_cast<unsigned char>(C)))
      C = '_';

  klp::test::TempDir Work("klp-vmbuild");
  std::string Ko = Work.path() + "/" + Lp + ".ko";
  TimedRun B = runWithTimeout({klpLsp(), "build", "--kernel", Tree, "--symbols", targetSymbols(),
                               "--name", Lp, "--build-dir", Work.path() + "/build", "-o", Ko,
                               (Case / "patch.diff").string()},
                              std::chrono::seconds(1200));
  ASSERT_EQ(B.ExitCode, 0) << B.Output;
  ASSERT_TRUE(fs::exists(Ko)) << B.Output;

  klp::test::VmConfig C;
  C.Files["/" + Lp + ".ko"] = Ko;
  if (fs::exists(Case / "modules"))
    C.Modules = lines(klp::testing::readFile(Case / "modules"));
  C.Script = "KO=/" + Lp + ".ko\nLP=" + Lp + "\n" + klp::testing::readFile(Case / "script.sh");
  klp::test::VmRun R = klp::test::runVm(C);
  EXPECT_FALSE(R.TimedOut) << R.tail();
  EXPECT_EQ(joinLines(allMarkers(R)), joinLines(lines(klp::testing::readFile(Case / "expected"))))
      << "build output:\n"
      << B.Output << "serial tail:\n"
      << R.tail(60);
}

INSTANTIATE_TEST_SUITE_P(Cases, VmBuildCase, ::testing::ValuesIn(caseDirs()),
                         klp::testing::CaseName());

} // namespace
