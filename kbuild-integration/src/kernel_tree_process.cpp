// posix_spawn with pipes on stdin/stdout/stderr, drained with poll() so that a child writing a
// lot (make -n, the preprocessor) never blocks against a full pipe while we feed its stdin.
#include "run_process.h"

#include "klp/error.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace klp {
namespace {

struct Pipe {
  int Fd[2] = {-1, -1};
  Pipe() {
    if (pipe2(Fd, O_CLOEXEC) != 0)
      throw Error(std::string("cannot create a pipe: ") + strerror(errno));
  }
  ~Pipe() {
    closeEnd(0);
    closeEnd(1);
  }
  void closeEnd(int I) {
    if (Fd[I] >= 0)
      close(Fd[I]);
    Fd[I] = -1;
  }
};

// write() to a pipe whose reader has exited raises SIGPIPE; keep it from killing the host
// process: block it in this thread for the write and swallow a pending one after EPIPE.
ssize_t writeNoSigpipe(int Fd, const char *Data, size_t Size) {
  sigset_t Pipe, Old;
  sigemptyset(&Pipe);
  sigaddset(&Pipe, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &Pipe, &Old);
  ssize_t W = write(Fd, Data, Size);
  int Saved = errno;
  if (W < 0 && errno == EPIPE) {
    timespec Zero{0, 0};
    sigtimedwait(&Pipe, nullptr, &Zero);
  }
  pthread_sigmask(SIG_SETMASK, &Old, nullptr);
  errno = Saved;
  return W;
}

std::vector<char *> cStrings(const std::vector<std::string> &V) {
  std::vector<char *> R;
  for (const std::string &S : V)
    R.push_back(const_cast<char *>(S.c_str()));
  R.push_back(nullptr);
  return R;
}

} // namespace

ProcessResult runProcess(const std::vector<std::string> &Argv, const std::string &Cwd,
                         const std::optional<std::vector<std::string>> &Env,
                         const std::string &Stdin, const std::function<bool()> &Cancelled) {
  if (Argv.empty())
    throw Error("runProcess: empty command");
  Pipe In, Out, Err;
  posix_spawn_file_actions_t Actions;
  posix_spawn_file_actions_init(&Actions);
  posix_spawn_file_actions_adddup2(&Actions, In.Fd[0], 0);
  posix_spawn_file_actions_adddup2(&Actions, Out.Fd[1], 1);
  posix_spawn_file_actions_adddup2(&Actions, Err.Fd[1], 2);
  if (!Cwd.empty())
    posix_spawn_file_actions_addchdir_np(&Actions, Cwd.c_str());
  std::vector<char *> Args = cStrings(Argv);
  std::vector<char *> EnvP;
  if (Env)
    EnvP = cStrings(*Env);
  posix_spawnattr_t Attr;
  posix_spawnattr_init(&Attr);
  if (Cancelled) { // a group of its own, so that a cancel kills the compiler's children too
    posix_spawnattr_setflags(&Attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&Attr, 0);
  }
  pid_t Pid;
  int Rc = posix_spawnp(&Pid, Args[0], &Actions, &Attr, Args.data(), Env ? EnvP.data() : environ);
  posix_spawn_file_actions_destroy(&Actions);
  posix_spawnattr_destroy(&Attr);
  if (Rc != 0)
    throw Error("cannot run " + Argv[0] + (Cwd.empty() ? "" : " in " + Cwd) + ": " + strerror(Rc));
  In.closeEnd(0);
  Out.closeEnd(1);
  Err.closeEnd(1);

  ProcessResult R;
  size_t Written = 0;
  if (Stdin.empty())
    In.closeEnd(1);
  else
    fcntl(In.Fd[1], F_SETFL, fcntl(In.Fd[1], F_GETFL) | O_NONBLOCK);
  char Buf[65536];
  while (Out.Fd[0] >= 0 || Err.Fd[0] >= 0 || In.Fd[1] >= 0) {
    pollfd P[3];
    int N = 0;
    if (Out.Fd[0] >= 0)
      P[N++] = {Out.Fd[0], POLLIN, 0};
    if (Err.Fd[0] >= 0)
      P[N++] = {Err.Fd[0], POLLIN, 0};
    if (In.Fd[1] >= 0)
      P[N++] = {In.Fd[1], POLLOUT, 0};
    if (!R.Cancelled && Cancelled && Cancelled()) {
      R.Cancelled = true;
      kill(-Pid, SIGKILL); // the pipes close once every member of the group is gone
    }
    int Ready = poll(P, N, Cancelled ? 100 : -1);
    if (Ready < 0) {
      if (errno == EINTR)
        continue;
      break;
    }
    for (int I = 0; I < N; ++I) {
      if (!P[I].revents)
        continue;
      if (P[I].fd == In.Fd[1]) {
        ssize_t W = writeNoSigpipe(In.Fd[1], Stdin.data() + Written, Stdin.size() - Written);
        if (W > 0)
          Written += W;
        if ((W < 0 && errno != EAGAIN && errno != EINTR) || Written == Stdin.size())
          In.closeEnd(1); // done, or the child stopped reading (EPIPE)
        continue;
      }
      Pipe &From = P[I].fd == Out.Fd[0] ? Out : Err;
      ssize_t Got = read(From.Fd[0], Buf, sizeof Buf);
      if (Got > 0)
        (&From == &Out ? R.Out : R.Err).append(Buf, Got);
      else if (Got == 0 || (errno != EINTR && errno != EAGAIN))
        From.closeEnd(0);
    }
  }
  int Status = 0;
  while (waitpid(Pid, &Status, 0) < 0 && errno == EINTR) {
  }
  R.ExitCode = WIFEXITED(Status) ? WEXITSTATUS(Status) : 128 + WTERMSIG(Status);
  return R;
}

} // namespace klp
