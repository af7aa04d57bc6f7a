// The livepatches under /sys/kernel/livepatch (kernel/livepatch/core.c, 6.1: enabled (rw),
// transition (ro), force (write-only), per object "patched" (ro), per function "FUNC,SYMPOS"
// directories without attributes) and their modules' version and srcversion.
#include "target_status_impl.h"
#include <algorithm>
#include <sys/stat.h>
#include <tuple>

namespace klp::status_detail {

namespace {

std::optional<std::string> trimmed(const std::optional<std::string> &Text) {
  if (!Text)
    return std::nullopt;
  return trim(*Text);
}

PatchedFunctionEntry functionEntry(const std::string &Dir) {
  PatchedFunctionEntry F;
  size_t Comma = Dir.rfind(',');
  std::optional<uint64_t> Pos;
  if (Comma != std::string::npos)
    Pos = parseUnsigned(Dir.substr(Comma + 1));
  F.Name = Pos ? Dir.substr(0, Comma) : Dir;
  if (Pos)
    F.Sympos = static_cast<unsigned long>(*Pos);
  return F;
}

} // namespace

std::vector<AppliedLivepatch> readLivepatches(const RootFs &Fs) {
  std::vector<AppliedLivepatch> Patches;
  const std::string Base = "/sys/kernel/livepatch";
  for (const std::string &Name : Fs.list(Base)) {
    std::string Dir = Base + "/" + Name;
    if (!Fs.isDirectory(Dir))
      continue;
    AppliedLivepatch P;
    P.Name = Name;
    P.Enabled = parseFlag(Fs.read(Dir + "/enabled"));
    P.Transition = parseFlag(Fs.read(Dir + "/transition"));
    P.Replace = parseFlag(Fs.read(Dir + "/replace"));
    struct stat St;
    if (stat(Fs.path(Dir + "/force").c_str(), &St) == 0) {
      P.Force.Present = true;
      P.Force.Readable = (St.st_mode & S_IRUSR) != 0;
      P.Force.Writable = (St.st_mode & S_IWUSR) != 0;
    }
    P.Version = trimmed(Fs.read("/sys/module/" + Name + "/version"));
    P.SrcVersion = trimmed(Fs.read("/sys/module/" + Name + "/srcversion"));
    for (const std::string &Object : Fs.list(Dir)) {
      std::string ObjectDir = Dir + "/" + Object;
      if (!Fs.isDirectory(ObjectDir))
        continue;
      PatchedObjectEntry O;
      O.Name = Object;
      O.Patched = parseFlag(Fs.read(ObjectDir + "/patched"));
      for (const std::string &Func : Fs.list(ObjectDir))
        if (Fs.isDirectory(ObjectDir + "/" + Func))
          O.Functions.push_back(functionEntry(Func));
      std::sort(O.Functions.begin(), O.Functions.end(),
                [](const PatchedFunctionEntry &A, const PatchedFunctionEntry &B) {
                  return std::tie(A.Name, A.Sympos) < std::tie(B.Name, B.Sympos);
                });
      P.Objects.push_back(std::move(O));
    }
    if (P.Transition == true && P.Enabled)
      P.TargetState = *P.Enabled ? 1 : 0;
    Patches.push_back(std::move(P));
  }
  return Patches;
}

} // namespace klp::status_detail
