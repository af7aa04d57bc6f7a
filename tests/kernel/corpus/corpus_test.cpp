// The corpus: realistic patches against the pinned Debian 6.1 tree (tests/corpus/<case>.patch),
// each checked with the real klp-lsp binary; <case>.expected lists the exact findings
// (rule, severity, file:1-based range, symbol), the function list and the verdict. The exit
// status must match the verdict (1 for unsafe, else 0).
#include "data_cases.h"
#include "vm_process.h"
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

namespace fs = std::filesystem;

namespace {

using klp::test::shellOutput;
using klp::testing::readFile;

std::string pos(const nlohmann::json &R) {
  return std::to_string(R["start"]["line"].get<int>() + 1) + ":" +
         std::to_string(R["start"]["character"].get<int>() + 1) + "-" +
         std::to_string(R["end"]["line"].get<int>() + 1) + ":" +
         std::to_string(R["end"]["character"].get<int>() + 1);
}

std::string dump(const nlohmann::json &J) {
  std::ostringstream O;
  for (const auto &F : J["findings"]) {
    O << F["rule"].get<std::string>() << " " << F["severity"].get<std::string>() << " "
      << F["file"].get<std::string>() << ":" << pos(F["range"]);
    if (F.contains("symbol") && !F["symbol"].get<std::string>().empty())
      O << " " << F["symbol"].get<std::string>();
    O << "\n";
  }
  for (const auto &F : J["functions"])
    O << "function " << F["name"].get<std::string>() << " " << F["status"].get<std::string>()
      << "\n";
  O << "verdict " << J["verdict"].get<std::string>() << "\n";
  return O.str();
}

class Corpus : public ::testing::TestWithParam<std::string> {};

TEST_P(Corpus, MatchesExpectation) {
  const char *Tree = std::getenv("KLP_KERNEL_TREE");
  const char *Env = std::getenv("KLP_LSP");
  std::string Tool = Env && *Env ? Env : std::string(KLP_BINARY_DIR) + "/server/klp-lsp";
  ASSERT_TRUE(Tree && *Tree) << "KLP_KERNEL_TREE is not set (scripts/kernel-fixture)";
  fs::path Dir = fs::path(KLP_TEST_DATA) / "corpus";
  std::string Name = GetParam();
  int Status = -1;
  std::string Out = shellOutput(Tool + " check --kernel '" + Tree + "' --format json '" +
                                    (Dir / (Name + ".patch")).string() + "'",
                                Status);
  nlohmann::json J = nlohmann::json::parse(Out, nullptr, false);
  ASSERT_FALSE(J.is_discarded()) << "not JSON (exit " << Status << "): " << Out;
  std::string Actual = dump(J);
  if (std::getenv("KLP_UPDATE_EXPECTED")) {
    std::ofstream(Dir / (Name + ".expected"), std::ios::binary) << Actual;
    return;
  }
  EXPECT_EQ(readFile(Dir / (Name + ".expected")), Actual);
  EXPECT_EQ(J["verdict"] == "unsafe" ? 1 : 0, Status);
}

INSTANTIATE_TEST_SUITE_P(
    Kernel, Corpus,
    ::testing::ValuesIn(klp::testing::caseNames(fs::path(KLP_TEST_DATA) / "corpus", ".patch")),
    klp::testing::CaseName());

} // namespace
