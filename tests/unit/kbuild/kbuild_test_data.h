// Shared helpers of the kbuild tests: test data files and reference compile commands.
#pragma once
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace klp::test {

inline std::string dataPath(const std::string &Name) {
  return std::string(KLP_TEST_DATA) + "/data/kbuild/" + Name;
}

inline std::string readData(const std::string &Name) {
  std::ifstream In(dataPath(Name), std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

inline std::vector<std::string> lines(const std::string &Text) {
  std::vector<std::string> R;
  std::istringstream In(Text);
  for (std::string L; std::getline(In, L);)
    R.push_back(L);
  return R;
}

// compile-commands.txt: "== SOURCE" then one argument per line ("#" lines are comments).
inline std::map<std::string, std::vector<std::string>> referenceCommands() {
  std::map<std::string, std::vector<std::string>> R;
  std::string Cur;
  for (const std::string &L : lines(readData("compile-commands.txt"))) {
    if (L.starts_with("#") || L.empty())
      continue;
    if (L.starts_with("== "))
      Cur = L.substr(3);
    else
      R[Cur].push_back(L);
  }
  return R;
}

} // namespace klp::test
