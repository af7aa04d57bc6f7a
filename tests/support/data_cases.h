// Shared pieces of the data-driven tests: one input file and one expectation file per case.
#pragma once
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace klp::testing {

inline std::string readFile(const std::filesystem::path &P) {
  std::ifstream In(P, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

// The stems of Dir's files ending in Ext (".patch"), sorted: one test case each.
inline std::vector<std::string> caseNames(const std::filesystem::path &Dir,
                                          const std::string &Ext) {
  std::vector<std::string> Names;
  for (const auto &E : std::filesystem::directory_iterator(Dir))
    if (E.path().extension() == Ext)
      Names.push_back(E.path().stem().string());
  std::sort(Names.begin(), Names.end());
  return Names;
}

// A gtest parameter name for a case: every character but letters and digits becomes '_'.
struct CaseName {
  template <class ParamInfo> std::string operator()(const ParamInfo &Info) const {
    std::string N = Info.param;
    for (char &C : N)
      if (!std::isalnum(static_cast<unsigned char>(C)))
        C = '_';
    return N;
  }
};

} // namespace klp::testing
