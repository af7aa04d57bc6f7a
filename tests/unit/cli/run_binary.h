// Runs the built klp-lsp (env KLP_LSP) with arguments and captures exit code, stdout, stderr.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace klp::test {

struct RunResult {
  int ExitCode = -1;
  std::string Out, Err;
};

inline std::string shellQuote(const std::string &S) {
  std::string Q = "'";
  for (char C : S)
    Q += C == '\'' ? std::string("'\\''") : std::string(1, C);
  return Q + "'";
}

inline std::string slurp(const std::filesystem::path &P) {
  std::ifstream In(P, std::ios::binary);
  std::stringstream SS;
  SS << In.rdbuf();
  return SS.str();
}

// A fresh, private directory (tests may run in parallel), removed at the end of the scope.
struct Scratch {
  std::filesystem::path Dir;
  explicit Scratch(const std::string &Name) {
    std::string Template =
        (std::filesystem::temp_directory_path() / ("klp-cli-" + Name + "-XXXXXX")).string();
    if (mkdtemp(Template.data()))
      Dir = Template;
    EXPECT_FALSE(Dir.empty()) << "mkdtemp " << Template;
  }
  ~Scratch() {
    std::error_code EC;
    if (!Dir.empty())
      std::filesystem::remove_all(Dir, EC);
  }
  Scratch(const Scratch &) = delete;
  Scratch &operator=(const Scratch &) = delete;
};

inline void writeText(const std::filesystem::path &P, const std::string &Text) {
  std::ofstream(P, std::ios::binary) << Text;
}

// The klp-lsp under test: $KLP_LSP, else the one of this build tree.
inline std::string klpLspBinary() {
  const char *Env = std::getenv("KLP_LSP");
  return Env && *Env ? Env : KLP_BINARY_DIR "/server/klp-lsp";
}

// Stdin is StdinFile, or /dev/null when empty.
inline RunResult runKlpLsp(const std::vector<std::string> &Args,
                           const std::string &StdinFile = "") {
  std::string Bin = klpLspBinary();
  EXPECT_TRUE(std::filesystem::exists(Bin)) << Bin << " does not exist; build klp-lsp";
  Scratch Tmp("run");
  const std::filesystem::path &Dir = Tmp.Dir;
  std::string Cmd = shellQuote(Bin);
  for (const std::string &A : Args)
    Cmd += " " + shellQuote(A);
  Cmd += " <" + shellQuote(StdinFile.empty() ? "/dev/null" : StdinFile) + " >" +
         shellQuote((Dir / "out").string()) + " 2>" + shellQuote((Dir / "err").string());
  int Status = std::system(Cmd.c_str());
  RunResult R;
  R.ExitCode = WIFEXITED(Status) ? WEXITSTATUS(Status) : -1;
  R.Out = slurp(Dir / "out");
  R.Err = slurp(Dir / "err");
  return R;
}

} // namespace klp::test
