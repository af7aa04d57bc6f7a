// Running a helper program (make, the kernel's compiler, genksyms) without a shell: argv as
// given, a working directory, optionally a complete environment, stdin text, captured output.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace klp {

struct ProcessResult {
  int ExitCode = -1;      // exit status, or 128 + signal number when killed by a signal
  bool Cancelled = false; // Cancelled turned true: the process group was killed
  std::string Out;
  std::string Err;
};

// Runs Argv[0] (looked up in PATH) in Cwd. Env, when given, replaces the environment entirely
// ("NAME=value" strings). Throws klp::Error when the program cannot be started.
// Cancelled, when given, is polled every 100 ms; the child then runs in a process group of its
// own, which is killed (gcc's cc1 and as too) once Cancelled returns true.
ProcessResult runProcess(const std::vector<std::string> &Argv, const std::string &Cwd,
                         const std::optional<std::vector<std::string>> &Env = std::nullopt,
                         const std::string &Stdin = "",
                         const std::function<bool()> &Cancelled = {});

} // namespace klp
