// Reading expectation files under tests/data; KLP_UPDATE_EXPECTED=1 rewrites them instead
// (review the diff before keeping it).
#pragma once
#include <cstdlib>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>

namespace klp::test {

inline std::string dataPath(const std::string &Rel) {
  return std::string(KLP_TEST_DATA) + "/" + Rel;
}

inline std::string readFile(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  EXPECT_TRUE(In.good()) << "cannot read " << Path;
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

inline void expectMatchesFile(const std::string &Actual, const std::string &Rel) {
  std::string Path = dataPath(Rel);
  if (std::getenv("KLP_UPDATE_EXPECTED")) {
    std::ofstream(Path, std::ios::binary) << Actual;
    return;
  }
  EXPECT_EQ(Actual, readFile(Path)) << "differs from " << Path;
}

} // namespace klp::test
