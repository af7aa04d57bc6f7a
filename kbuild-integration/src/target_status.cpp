// readTargetStatus: reads every part (target_status_*.cpp) and derives the verdict's reasons.
#include "klp/target_status.h"
#include "klp/error.h"
#include "target_status_impl.h"
#include <filesystem>

namespace klp {

namespace {

using namespace status_detail;

LivepatchSupport readSupport(const RootFs &Fs, const std::string &Release) {
  LivepatchSupport S;
  S.Config = readKernelConfig(Fs, Release);
  S.SysfsPresent = Fs.isDirectory("/sys/kernel/livepatch");
  const KernelConfigFacts &C = S.Config;
  if (!C.Source.empty() && C.Livepatch != "y")
    S.Reasons.push_back("CONFIG_LIVEPATCH is not enabled in " + C.Source);
  if (!C.Source.empty() && C.HaveLivepatch != "y")
    S.Reasons.push_back("CONFIG_HAVE_LIVEPATCH is not enabled in " + C.Source +
                        ": this architecture cannot be livepatched");
  if (!S.SysfsPresent)
    S.Reasons.push_back("/sys/kernel/livepatch does not exist");
  S.Ready = S.Reasons.empty();
  return S;
}

std::vector<std::string> patchReasons(const AppliedLivepatch &P) {
  std::string Name = "livepatch '" + P.Name + "'";
  if (!P.Enabled)
    return {Name + ": cannot read enabled"};
  if (!P.Transition)
    return {Name + ": cannot read transition"};
  if (*P.Transition) {
    const char *Target = *P.Enabled ? "patched" : "unpatched";
    size_t N = P.Stalled.size();
    return {Name + " is in transition to " + Target + ": " + std::to_string(N) +
            (N == 1 ? " task" : " tasks") + " not yet " + Target};
  }
  if (!*P.Enabled)
    return {Name + " is disabled"};
  return {};
}

} // namespace

TargetStatus readTargetStatus(const std::string &Root) {
  std::error_code EC;
  std::filesystem::file_status St = std::filesystem::status(Root, EC);
  if (!std::filesystem::exists(St))
    throw Error("root '" + Root + "' does not exist");
  if (!std::filesystem::is_directory(St))
    throw Error("root '" + Root + "' is not a directory");

  RootFs Fs(Root);
  TargetStatus S;
  S.Root = Root;
  S.Release = trim(Fs.readEssential("/proc/sys/kernel/osrelease", "the kernel release"));
  if (S.Release.empty())
    throw Error(Fs.path("/proc/sys/kernel/osrelease") + " is empty (the kernel release)");
  S.Support = readSupport(Fs, S.Release);
  S.Modules = readModuleLoading(Fs, S.Support.Config);
  S.Patches = readLivepatches(Fs);
  for (AppliedLivepatch &P : S.Patches)
    findStalledTasks(Fs, P);
  S.Taint = readTaint(Fs);

  S.Reasons = S.Support.Reasons;
  S.Reasons.insert(S.Reasons.end(), S.Modules.Reasons.begin(), S.Modules.Reasons.end());
  for (const AppliedLivepatch &P : S.Patches)
    for (std::string &R : patchReasons(P))
      S.Reasons.push_back(std::move(R));
  return S;
}

int targetStatusExitCode(const TargetStatus &S) { return S.Reasons.empty() ? 0 : 1; }

} // namespace klp
