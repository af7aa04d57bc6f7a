// `klp-lsp check --binary` on the pinned tree, through the real binary: every
// tests/data/checkbinary/<case>.patch against <case>.expected (rule, severity, file:range,
// symbol, related locations, then the functions with their status and the verdict;
// KLP_UPDATE_EXPECTED=1 rewrites it). The SARIF and text renderings carry the same findings.
#include "data_cases.h"
#include "vm_process.h"

#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {

using klp::test::shellOutput;
using Json = nlohmann::json;

std::string binary() {
  const char *L = std::getenv("KLP_LSP");
  return L ? L : std::string(KLP_BINARY_DIR) + "/server/klp-lsp";
}

std::string dataDir() { return std::string(KLP_TEST_DATA) + "/data/checkbinary/"; }

std::string rangeText(const Json &R) {
  return std::to_string(R["start"]["line"].get<int>()) + ":" +
         std::to_string(R["start"]["character"].get<int>()) + "-" +
         std::to_string(R["end"]["line"].get<int>()) + ":" +
         std::to_string(R["end"]["character"].get<int>());
}

std::string dump(const Json &J) {
  std::ostringstream O;
  for (const Json &F : J["findings"]) {
    O << F["rule"].get<std::string>() << " " << F["severity"].get<std::string>() << " "
      << F["file"].get<std::string>() << ":" << rangeText(F["range"]) << " "
      << F.value("symbol", "") << "\n";
    for (const Json &R : F.value("related", Json::array()))
      O << "  related " << R["file"].get<std::string>() << ":" << rangeText(R["range"]) << " "
        << R.value("symbol", "") << "\n";
  }
  for (const Json &F : J["functions"])
    O << "function " << F["name"].get<std::string>() << " " << F["status"].get<std::string>() << " "
      << F["file"].get<std::string>() << "\n";
  O << "verdict " << J["verdict"].get<std::string>() << "\n";
  return O.str();
}

std::string check(const std::string &Case, const std::string &Format, int &Status) {
  const char *Tree = std::getenv("KLP_KERNEL_TREE");
  return shellOutput(binary() + " check --binary --kernel '" + (Tree ? Tree : "") + "' --format " +
                         Format + " '" + dataDir() + Case + ".patch'",
                     Status);
}

class CheckBinary : public ::testing::TestWithParam<std::string> {};

TEST_P(CheckBinary, ExactFindingsAndFunctions) {
  ASSERT_NE(std::getenv("KLP_KERNEL_TREE"), nullptr) << "KLP_KERNEL_TREE is not set";
  int Status = -1;
  std::string Out = check(GetParam(), "json", Status);
  ASSERT_TRUE(Status == 0 || Status == 1) << "exit " << Status << "\n" << Out;
  std::string Actual = dump(Json::parse(Out));
  std::string Expected = dataDir() + GetParam() + ".expected";
  if (std::getenv("KLP_UPDATE_EXPECTED")) {
    std::ofstream(Expected, std::ios::binary) << Actual;
    return;
  }
  EXPECT_EQ(Actual, klp::testing::readFile(Expected));
}

INSTANTIATE_TEST_SUITE_P(Kernel, CheckBinary,
                         ::testing::Values("changed-function-cmdline", "static-inline-page"),
                         [](const ::testing::TestParamInfo<std::string> &I) {
                           std::string N = I.param;
                           std::replace(N.begin(), N.end(), '-', '_');
                           return N;
                         });

// The joined findings (binary duplicates dropped) reach SARIF (results with their rule ids) and the
// text report.
TEST(CheckBinaryFormats, SarifAndTextCarryTheBinaryFindings) {
  ASSERT_NE(std::getenv("KLP_KERNEL_TREE"), nullptr) << "KLP_KERNEL_TREE is not set";
  int Status = -1;
  Json Sarif = Json::parse(check("static-inline-page", "sarif", Status));
  std::vector<std::string> Results;
  for (const Json &R : Sarif["runs"][0]["results"])
    Results.push_back(
        R["ruleId"].get<std::string>() + " " +
        std::to_string(R["locations"][0]["physicalLocation"]["region"]["startLine"].get<int>()));
  EXPECT_EQ(Results, (std::vector<std::string>{"changed-function 25", "inline-callers 25"}));
  std::string Text = check("static-inline-page", "text", Status);
  for (const char *Caller : {"kpagecount_read", "kpageflags_read", "kpagecgroup_read"})
    EXPECT_NE(Text.find(Caller), std::string::npos) << Caller << " not in\n" << Text;
}

} // namespace
