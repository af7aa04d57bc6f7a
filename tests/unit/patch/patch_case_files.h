// Helpers of the data-driven patch tests: case discovery and file reading under
// tests/data/patch/<kind>/.
#pragma once
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace klp::test {

inline std::filesystem::path patchDataDir(const std::string &Kind) {
  return std::filesystem::path(KLP_TEST_DATA) / "data" / "patch" / Kind;
}

// The case names of a data directory: every <case>.patch, sorted.
inline std::vector<std::string> patchCases(const std::string &Kind) {
  std::vector<std::string> Cases;
  for (const auto &E : std::filesystem::directory_iterator(patchDataDir(Kind)))
    if (E.path().extension() == ".patch")
      Cases.push_back(E.path().stem().string());
  std::sort(Cases.begin(), Cases.end());
  return Cases;
}

// Binary-safe: CRLF data must reach the parser unchanged.
inline std::optional<std::string> readDataFile(const std::filesystem::path &Path) {
  std::ifstream In(Path, std::ios::binary);
  if (!In)
    return std::nullopt;
  std::ostringstream S;
  S << In.rdbuf();
  return S.str();
}

// gtest parameter names allow only [A-Za-z0-9_].
inline std::string testName(std::string Case) {
  for (char &C : Case)
    if (!std::isalnum(static_cast<unsigned char>(C)))
      C = '_';
  return Case;
}

} // namespace klp::test
