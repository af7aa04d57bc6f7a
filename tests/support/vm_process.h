// Process and scratch-directory helpers for the VM tests: a child run in its own process group
// with a deadline (the whole group is killed when it passes, so a hung qemu never outlives its
// test), its stdout and stderr captured together, and a temporary directory removed on scope exit
// (also used by other tests for their scratch directories).
#pragma once
#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <poll.h>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace klp::test {

struct TimedRun {
  int ExitCode = -1;     // exit status, or 128 + signal number
  bool TimedOut = false; // the deadline passed and the process group was killed
  double Seconds = 0;    // wall time
  std::string Output;    // stdout and stderr, interleaved as written
};

// Runs Argv (Argv[0] looked up in PATH) with stdin from /dev/null. Throws std::runtime_error
// when the program cannot be started.
inline TimedRun runWithTimeout(const std::vector<std::string> &Argv, std::chrono::seconds Timeout,
                               const std::string &Cwd = "") {
  using Clock = std::chrono::steady_clock;
  if (Argv.empty())
    throw std::runtime_error("runWithTimeout: empty command");
  int Pipe[2], ExecErr[2];
  if (::pipe2(Pipe, O_CLOEXEC) != 0 || ::pipe2(ExecErr, O_CLOEXEC) != 0)
    throw std::runtime_error("runWithTimeout: pipe failed");
  std::vector<char *> Args;
  for (const std::string &A : Argv)
    Args.push_back(const_cast<char *>(A.c_str()));
  Args.push_back(nullptr);
  auto Start = Clock::now();
  pid_t Pid = ::fork();
  if (Pid < 0)
    throw std::runtime_error("runWithTimeout: fork failed");
  if (Pid == 0) {
    ::setpgid(0, 0);
    int Null = ::open("/dev/null", O_RDONLY);
    ::dup2(Null, 0);
    ::dup2(Pipe[1], 1);
    ::dup2(Pipe[1], 2);
    if (!Cwd.empty() && ::chdir(Cwd.c_str()) != 0)
      ::_exit(127);
    ::execvp(Args[0], Args.data());
    int E = errno;
    (void)!::write(ExecErr[1], &E, sizeof E);
    ::_exit(127);
  }
  ::setpgid(Pid, Pid); // also in the parent: no window where a kill would miss the child
  ::close(Pipe[1]);
  ::close(ExecErr[1]);
  int E = 0;
  ssize_t Got = ::read(ExecErr[0], &E, sizeof E);
  ::close(ExecErr[0]);
  if (Got == sizeof E) {
    ::close(Pipe[0]);
    ::waitpid(Pid, nullptr, 0);
    throw std::runtime_error("cannot run " + Argv[0] + ": " + std::strerror(E));
  }

  TimedRun R;
  auto Deadline = Start + Timeout;
  char Buf[65536];
  for (;;) {
    auto Left = std::chrono::duration_cast<std::chrono::milliseconds>(Deadline - Clock::now());
    if (Left.count() <= 0) {
      R.TimedOut = true;
      ::kill(-Pid, SIGKILL);
      break;
    }
    pollfd P{Pipe[0], POLLIN, 0};
    int N = ::poll(&P, 1, int(std::min<long long>(Left.count(), 1000)));
    if (N < 0 && errno != EINTR)
      break;
    if (N <= 0)
      continue;
    ssize_t Read = ::read(Pipe[0], Buf, sizeof Buf);
    if (Read <= 0)
      break; // end of output: every writer (the group) closed it
    R.Output.append(Buf, size_t(Read));
  }
  ::close(Pipe[0]);
  int Status = 0;
  while (::waitpid(Pid, &Status, 0) < 0 && errno == EINTR) {
  }
  if (!R.TimedOut)
    ::kill(-Pid, SIGKILL); // stray children of the group that kept running
  R.ExitCode = WIFEXITED(Status) ? WEXITSTATUS(Status) : 128 + WTERMSIG(Status);
  R.Seconds = std::chrono::duration<double>(Clock::now() - Start).count();
  return R;
}

// Runs Cmd with /bin/sh and returns its stdout; Status gets the exit status (-1 when it did not
// exit normally) and is left unchanged when the shell cannot be started.
inline std::string shellOutput(const std::string &Cmd, int &Status) {
  std::string Out;
  FILE *P = ::popen(Cmd.c_str(), "r");
  if (!P)
    return Out;
  std::array<char, 4096> Buf;
  size_t N;
  while ((N = std::fread(Buf.data(), 1, Buf.size(), P)) > 0)
    Out.append(Buf.data(), N);
  int St = ::pclose(P);
  Status = WIFEXITED(St) ? WEXITSTATUS(St) : -1;
  return Out;
}

// A fresh directory under $TMPDIR (or /tmp), removed with its contents when destroyed.
class TempDir {
public:
  explicit TempDir(const std::string &Prefix = "klp-test") {
    const char *Base = std::getenv("TMPDIR");
    std::string Template = std::string(Base && *Base ? Base : "/tmp") + "/" + Prefix + ".XXXXXX";
    if (!::mkdtemp(Template.data()))
      throw std::runtime_error("mkdtemp " + Template + ": " + std::strerror(errno));
    Path = Template;
  }
  ~TempDir() {
    std::error_code EC;
    std::filesystem::remove_all(Path, EC);
  }
  TempDir(const TempDir &) = delete;
  TempDir &operator=(const TempDir &) = delete;
  const std::string &path() const { return Path; }

private:
  std::string Path;
};

// The names of Dir's entries, sorted.
inline std::vector<std::string> entryNames(const std::string &Dir) {
  std::vector<std::string> R;
  for (const auto &E : std::filesystem::directory_iterator(Dir))
    R.push_back(E.path().filename().string());
  std::sort(R.begin(), R.end());
  return R;
}

} // namespace klp::test
