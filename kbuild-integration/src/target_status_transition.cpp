// Tasks that have not reached a transition's target state: /proc/PID/task/TID/patch_state
// (fs/proc/base.c prints task->patch_state: -1 undefined, 0 unpatched, 1 patched; root only).
#include "target_status_impl.h"
#include <algorithm>
#include <cctype>

namespace klp::status_detail {

namespace {

constexpr size_t StackLines = 10;

bool isNumber(const std::string &S) {
  return !S.empty() && S.size() <= 9 && std::all_of(S.begin(), S.end(), [](char C) {
    return std::isdigit(static_cast<unsigned char>(C));
  });
}

std::vector<std::string> firstLines(const std::string &Text, size_t Max) {
  std::vector<std::string> Lines;
  for (size_t Pos = 0; Pos < Text.size() && Lines.size() < Max;) {
    size_t End = Text.find('\n', Pos);
    if (End == std::string::npos)
      End = Text.size();
    Lines.push_back(Text.substr(Pos, End - Pos));
    Pos = End + 1;
  }
  return Lines;
}

// One task directory (/proc/PID or /proc/PID/task/TID).
void checkTask(const RootFs &Fs, const std::string &Dir, int Pid, int Tgid, int Target,
               AppliedLivepatch &Patch) {
  std::optional<std::string> State = Fs.read(Dir + "/patch_state");
  if (!State)
    return;
  std::string T = trim(*State);
  bool Negative = T.starts_with("-");
  std::optional<uint64_t> V = parseUnsigned(Negative ? T.substr(1) : T);
  if (!V || *V > 1)
    return;
  int Value = Negative ? -static_cast<int>(*V) : static_cast<int>(*V);
  ++Patch.TasksChecked;
  if (Value == Target)
    return;
  StalledTask S;
  S.Pid = Pid;
  S.Tgid = Tgid;
  S.PatchState = Value;
  S.Comm = trim(Fs.read(Dir + "/comm").value_or(""));
  if (std::optional<std::string> Stack = Fs.read(Dir + "/stack"))
    S.Stack = firstLines(*Stack, StackLines);
  Patch.Stalled.push_back(std::move(S));
}

} // namespace

void findStalledTasks(const RootFs &Fs, AppliedLivepatch &Patch) {
  if (!Patch.TargetState)
    return;
  for (const std::string &Pid : Fs.list("/proc")) {
    if (!isNumber(Pid))
      continue;
    std::string Dir = "/proc/" + Pid;
    int Tgid = std::stoi(Pid);
    if (Fs.isDirectory(Dir + "/task")) {
      for (const std::string &Tid : Fs.list(Dir + "/task"))
        if (isNumber(Tid))
          checkTask(Fs, Dir + "/task/" + Tid, std::stoi(Tid), Tgid, *Patch.TargetState, Patch);
    } else {
      checkTask(Fs, Dir, Tgid, Tgid, *Patch.TargetState, Patch);
    }
  }
  std::sort(Patch.Stalled.begin(), Patch.Stalled.end(),
            [](const StalledTask &A, const StalledTask &B) { return A.Pid < B.Pid; });
}

} // namespace klp::status_detail
