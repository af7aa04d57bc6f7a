#include "cli/atomic_write.h"
#include "klp/error.h"
#include "run_binary.h"
#include <algorithm>

using namespace klp;
using namespace klp::test;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> entries(const fs::path &D) {
  std::vector<std::string> Names;
  for (const auto &E : fs::directory_iterator(D))
    Names.push_back(E.path().filename().string());
  std::sort(Names.begin(), Names.end());
  return Names;
}

TEST(AtomicWrite, CreatesAndReplaces) {
  Scratch S("atomic");
  fs::path P = S.Dir / "report.json";
  cli::writeFileAtomically(P.string(), "first\n");
  EXPECT_EQ(slurp(P), "first\n");
  cli::writeFileAtomically(P.string(), "second\n");
  EXPECT_EQ(slurp(P), "second\n");
  EXPECT_EQ(entries(S.Dir), std::vector<std::string>{"report.json"}); // no temporary left
}

TEST(AtomicWrite, MissingDirectory) {
  Scratch S("atomic-missing");
  std::string P = (S.Dir / "no" / "report.json").string();
  try {
    cli::writeFileAtomically(P, "x");
    FAIL() << "wrote into a missing directory";
  } catch (const Error &E) {
    EXPECT_EQ(std::string(E.what()), "cannot write '" + P + "': No such file or directory");
  }
  EXPECT_TRUE(entries(S.Dir).empty());
}

} // namespace
