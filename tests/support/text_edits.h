// Small text helpers the tests share: read a file whole, replace the first occurrence of a string
// (a missing one fails the test instead of passing unchanged text on) or every occurrence, the
// message of the klp::Error a call throws.
#pragma once
#include "klp/error.h"

#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>

namespace klp::test {

inline std::string fileText(const std::string &Path) {
  std::ifstream In(Path, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  return S.str();
}

inline std::string replaced(std::string Text, const std::string &From, const std::string &To) {
  size_t At = Text.find(From);
  EXPECT_NE(At, std::string::npos) << From;
  return At == std::string::npos ? Text : Text.replace(At, From.size(), To);
}

// Every occurrence of From (not empty) replaced, left to right: placeholders such as "$ROOT".
inline std::string replaceAll(std::string S, const std::string &From, const std::string &To) {
  for (size_t P = S.find(From); P != std::string::npos; P = S.find(From, P + To.size()))
    S.replace(P, From.size(), To);
  return S;
}

// The message of the klp::Error F throws, or "(no error)" when it returns.
inline std::string errorOf(const std::function<void()> &F) {
  try {
    F();
  } catch (const Error &E) {
    return E.what();
  }
  return "(no error)";
}

} // namespace klp::test
