// TargetStatus as JSON and as text (docs/status.md lists both, member by member).
#include "output/status_format.h"
#include <cstdio>

namespace klp::output {

namespace {

template <typename T> Json orNull(const std::optional<T> &V) {
  return V ? Json(*V) : Json(nullptr);
}

Json letterJson(const std::optional<char> &C) {
  return C ? Json(std::string(1, *C)) : Json(nullptr);
}

const char *unsignedName(UnsignedModules U) {
  switch (U) {
  case UnsignedModules::Allowed:
    return "allowed";
  case UnsignedModules::Taint:
    return "taint";
  case UnsignedModules::Refused:
    return "refused";
  }
  return "allowed";
}

Json supportJson(const LivepatchSupport &S) {
  const KernelConfigFacts &C = S.Config;
  Json Config = {{"source", C.Source.empty() ? Json(nullptr) : Json(C.Source)},
                 {"CONFIG_LIVEPATCH", orNull(C.Livepatch)},
                 {"CONFIG_HAVE_LIVEPATCH", orNull(C.HaveLivepatch)},
                 {"CONFIG_MODULES", orNull(C.Modules)},
                 {"CONFIG_MODULE_SIG", orNull(C.ModuleSig)},
                 {"CONFIG_MODULE_SIG_FORCE", orNull(C.ModuleSigForce)}};
  return Json{
      {"ready", S.Ready}, {"config", Config}, {"sysfs", S.SysfsPresent}, {"reasons", S.Reasons}};
}

Json modulesJson(const ModuleLoading &M) {
  return Json{{"canLoad", M.CanLoad},
              {"modulesDisabled", orNull(M.ModulesDisabled)},
              {"lockdown", orNull(M.Lockdown)},
              {"sigEnforce", orNull(M.SigEnforce)},
              {"unsigned", unsignedName(M.Unsigned)},
              {"reasons", M.Reasons}};
}

Json patchJson(const AppliedLivepatch &P) {
  Json Objects = Json::array();
  for (const PatchedObjectEntry &O : P.Objects) {
    Json Functions = Json::array();
    for (const PatchedFunctionEntry &F : O.Functions)
      Functions.push_back(Json{{"name", F.Name}, {"sympos", orNull(F.Sympos)}});
    Objects.push_back(
        Json{{"name", O.Name}, {"patched", orNull(O.Patched)}, {"functions", Functions}});
  }
  Json Stalled = Json::array();
  for (const StalledTask &T : P.Stalled)
    Stalled.push_back(Json{{"pid", T.Pid},
                           {"tgid", T.Tgid},
                           {"comm", T.Comm},
                           {"patchState", T.PatchState},
                           {"stack", orNull(T.Stack)}});
  return Json{
      {"name", P.Name},
      {"enabled", orNull(P.Enabled)},
      {"transition", orNull(P.Transition)},
      {"force", Json{{"present", P.Force.Present},
                     {"readable", P.Force.Readable},
                     {"writable", P.Force.Writable}}},
      {"replace", orNull(P.Replace)},
      {"module", Json{{"version", orNull(P.Version)}, {"srcversion", orNull(P.SrcVersion)}}},
      {"objects", Objects},
      {"targetState", orNull(P.TargetState)},
      {"tasksChecked", P.TasksChecked},
      {"stalledTasks", Stalled}};
}

bool hasBit(const TaintStatus &T, unsigned Bit) { return (T.Value >> Bit) & 1; }

Json taintJson(const TaintStatus &T) {
  Json Flags = Json::array();
  for (const TaintFlagInfo &F : T.Flags)
    Flags.push_back(Json{{"bit", F.Bit},
                         {"letter", letterJson(F.Letter)},
                         {"name", F.Letter ? Json(F.Name) : Json(nullptr)},
                         {"description", F.Description},
                         {"known", F.Letter.has_value()}});
  Json Lines = Json::array();
  for (const KernelLogLine &L : T.Log)
    Lines.push_back(Json{{"seq", L.Seq},
                         {"usec", L.Usec},
                         {"level", L.Level},
                         {"flag", letterJson(L.Flag)},
                         {"text", L.Text}});
  return Json{
      {"value", T.Value},
      {"livepatch", hasBit(T, TaintLivepatchBit)},
      {"unsignedModule", hasBit(T, TaintUnsignedModuleBit)},
      {"flags", Flags},
      {"log", Json{{"source", "/dev/kmsg"}, {"readable", T.LogReadable}, {"lines", Lines}}}};
}

std::string configValue(const std::optional<std::string> &V) { return V ? *V : "not set"; }

std::string yesNo(const std::optional<bool> &V, const char *Yes, const char *No,
                  const char *Unknown) {
  return V ? (*V ? Yes : No) : Unknown;
}

void appendSupport(std::string &Out, const LivepatchSupport &S) {
  Out += std::string("livepatch support: ") + (S.Ready ? "ready" : "not ready") + "\n";
  const KernelConfigFacts &C = S.Config;
  if (C.Source.empty())
    Out += "  config: none found\n";
  else
    Out += "  config: " + C.Source + ": CONFIG_LIVEPATCH=" + configValue(C.Livepatch) +
           " CONFIG_HAVE_LIVEPATCH=" + configValue(C.HaveLivepatch) + "\n";
  Out += std::string("  sysfs: /sys/kernel/livepatch ") + (S.SysfsPresent ? "present" : "missing") +
         "\n";
}

void appendModules(std::string &Out, const ModuleLoading &M) {
  const char *Unsigned = M.Unsigned == UnsignedModules::Allowed ? "unsigned modules are allowed"
                         : M.Unsigned == UnsignedModules::Taint
                             ? "unsigned modules taint the kernel (E)"
                             : "unsigned modules are refused";
  // Without module support (no modules_disabled) what unsigned modules would do is moot.
  if (!M.ModulesDisabled)
    Out += std::string("modules: ") + (M.CanLoad ? "can load" : "cannot load") +
           " (the kernel has no module support)\n";
  else
    Out += std::string("modules: ") + (M.CanLoad ? "can load" : "cannot load") + "; " + Unsigned +
           "\n";
  Out += "  modules_disabled: " +
         (M.ModulesDisabled ? std::to_string(*M.ModulesDisabled) : std::string("missing")) + "\n";
  Out += "  lockdown: " +
         (M.Lockdown ? *M.Lockdown : std::string("unknown (no /sys/kernel/security/lockdown)")) +
         "\n";
  Out += "  sig_enforce: " + yesNo(M.SigEnforce, "Y", "N", "absent") + "\n";
}

void appendPatch(std::string &Out, const AppliedLivepatch &P) {
  std::string Transition = !P.Transition    ? "transition unknown"
                           : !*P.Transition ? "transition finished"
                                            : std::string("in transition to ") +
                                                  (P.TargetState == 1 ? "patched" : "unpatched");
  Out += "livepatch " + P.Name + ": " + yesNo(P.Enabled, "enabled", "disabled", "enabled unknown") +
         ", " + Transition + "\n";
  Out += std::string("  force: ") +
         (!P.Force.Present   ? "absent"
          : P.Force.Readable ? "readable attribute present"
                             : "write-only attribute present") +
         "\n";
  Out += "  replace: " + yesNo(P.Replace, "yes", "no", "not reported by this kernel") + "\n";
  if (P.Version || P.SrcVersion) {
    Out += "  module:";
    if (P.Version)
      Out += " version " + *P.Version;
    if (P.SrcVersion)
      Out += " srcversion " + *P.SrcVersion;
    Out += "\n";
  }
  for (const PatchedObjectEntry &O : P.Objects) {
    Out += "  object " + O.Name;
    if (O.Patched)
      Out += *O.Patched ? " (patched)" : " (not patched)";
    Out += ":";
    if (O.Functions.empty())
      Out += " no functions";
    for (const PatchedFunctionEntry &F : O.Functions)
      Out += " " + F.Name + (F.Sympos ? "," + std::to_string(*F.Sympos) : "");
    Out += "\n";
  }
  if (!P.TargetState)
    return;
  Out += "  stalled tasks: " + std::to_string(P.Stalled.size()) + " of " +
         std::to_string(P.TasksChecked) + " checked\n";
  for (const StalledTask &T : P.Stalled) {
    Out += "    pid " + std::to_string(T.Pid) + " (tgid " + std::to_string(T.Tgid) + ") " + T.Comm +
           ": patch_state " + std::to_string(T.PatchState) + "\n";
    if (T.Stack)
      for (const std::string &L : *T.Stack)
        Out += "      " + L + "\n";
  }
}

void appendTaint(std::string &Out, const TaintStatus &T) {
  Out += "taint: " + std::to_string(T.Value);
  if (!T.Flags.empty()) {
    Out += " (";
    for (size_t I = 0; I < T.Flags.size(); ++I)
      Out += (I ? " " : "") + std::string(1, T.Flags[I].Letter.value_or('?'));
    Out += ")";
  }
  Out += "\n";
  for (const TaintFlagInfo &F : T.Flags) {
    Out += "  bit " + std::to_string(F.Bit) + " ";
    if (!F.Letter) {
      Out += "?: " + F.Description + "\n";
      continue;
    }
    Out += std::string(1, *F.Letter) + " " + F.Name + ": " + F.Description;
    if (F.Bit == TaintLivepatchBit)
      Out += " [livepatch]";
    if (F.Bit == TaintUnsignedModuleBit)
      Out += " [unsigned module]";
    Out += "\n";
  }
  if (!T.LogReadable) {
    Out += "kernel log (/dev/kmsg): not readable\n";
    return;
  }
  if (T.Log.empty()) {
    Out += "kernel log (/dev/kmsg): no taint-related line\n";
    return;
  }
  Out += "kernel log (/dev/kmsg):\n";
  for (const KernelLogLine &L : T.Log) {
    char Stamp[40];
    std::snprintf(Stamp, sizeof(Stamp), "[%5llu.%06llu]",
                  static_cast<unsigned long long>(L.Usec / 1000000),
                  static_cast<unsigned long long>(L.Usec % 1000000));
    Out += std::string("  ") + Stamp + " " + L.Flag.value_or('-') + " " + L.Text + "\n";
  }
}

} // namespace

Json targetStatusJson(const TargetStatus &S) {
  Json Patches = Json::array();
  for (const AppliedLivepatch &P : S.Patches)
    Patches.push_back(patchJson(P));
  return Json{{"root", S.Root},
              {"release", S.Release},
              {"ok", S.Reasons.empty()},
              {"exitCode", targetStatusExitCode(S)},
              {"reasons", S.Reasons},
              {"support", supportJson(S.Support)},
              {"modules", modulesJson(S.Modules)},
              {"patches", Patches},
              {"taint", taintJson(S.Taint)}};
}

std::string formatTargetStatusJson(const TargetStatus &S) { return dumpJson(targetStatusJson(S)); }

std::string formatTargetStatusText(const TargetStatus &S) {
  std::string Out = "kernel " + S.Release + " (root " + S.Root + ")\n";
  appendSupport(Out, S.Support);
  appendModules(Out, S.Modules);
  if (S.Patches.empty())
    Out += "livepatches: none\n";
  for (const AppliedLivepatch &P : S.Patches)
    appendPatch(Out, P);
  appendTaint(Out, S.Taint);
  Out += std::string("verdict: ") + (S.Reasons.empty() ? "ok" : "not ok") + "\n";
  for (const std::string &R : S.Reasons)
    Out += "  - " + R + "\n";
  return Out;
}

} // namespace klp::output
