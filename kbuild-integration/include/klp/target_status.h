// The livepatch status of a target system (`klp-lsp status`, `klp.targetStatus`): livepatch
// support, whether modules may be loaded, the applied livepatches and their transitions, the
// taint flags and the kernel log lines that explain them. Read from a running system (root "/")
// or a recorded root file system; plain data, rendered by the server (docs/status.md).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace klp {

struct KernelConfigFacts {
  std::string Source; // "/proc/config.gz", "/boot/config-<release>", "" when none was found
  // The values as written ("y", "m", ...); nullopt when "is not set" or absent.
  std::optional<std::string> Livepatch, HaveLivepatch, Modules, ModuleSig, ModuleSigForce;
};

struct LivepatchSupport {
  KernelConfigFacts Config;
  bool SysfsPresent = false; // /sys/kernel/livepatch is a directory
  bool Ready = false;
  std::vector<std::string> Reasons;
};

enum class UnsignedModules { Allowed, Taint, Refused };

struct ModuleLoading {
  std::optional<int> ModulesDisabled;  // nullopt: the file does not exist
  std::optional<std::string> Lockdown; // the bracketed level; nullopt: file absent
  std::optional<bool> SigEnforce;      // nullopt: parameter absent
  bool CanLoad = false;
  UnsignedModules Unsigned = UnsignedModules::Allowed;
  std::vector<std::string> Reasons;
};

struct PatchedFunctionEntry {
  std::string Name;
  std::optional<unsigned long> Sympos; // from the "FUNC,SYMPOS" directory name
};

struct PatchedObjectEntry {
  std::string Name; // "vmlinux" or a module name
  std::optional<bool> Patched;
  std::vector<PatchedFunctionEntry> Functions;
};

struct StalledTask {
  int Pid = 0;  // thread id
  int Tgid = 0; // process id
  std::string Comm;
  int PatchState = 0;
  std::optional<std::vector<std::string>> Stack; // first lines, when readable
};

struct ForceAttribute {
  bool Present = false, Readable = false, Writable = false; // owner mode bits
};

struct AppliedLivepatch {
  std::string Name;
  std::optional<bool> Enabled, Transition;
  ForceAttribute Force;
  std::optional<bool> Replace; // nullopt: no such attribute (6.1)
  std::optional<std::string> Version, SrcVersion;
  std::vector<PatchedObjectEntry> Objects;
  std::optional<int> TargetState; // set only during a transition
  int TasksChecked = 0;
  std::vector<StalledTask> Stalled;
};

struct TaintFlagInfo {
  unsigned Bit = 0;
  std::optional<char> Letter; // nullopt: bit unknown to 6.1
  std::string Name;           // "TAINT_LIVEPATCH"; empty when unknown
  std::string Description;
};

struct KernelLogLine {
  uint64_t Seq = 0, Usec = 0;
  int Level = 0;
  std::optional<char> Flag; // the taint letter the line explains
  std::string Text;
};

struct TaintStatus {
  uint64_t Value = 0;
  std::vector<TaintFlagInfo> Flags; // the set bits, ascending
  bool LogReadable = false;
  std::vector<KernelLogLine> Log;
};

struct TargetStatus {
  std::string Root;
  std::string Release;
  LivepatchSupport Support;
  ModuleLoading Modules;
  std::vector<AppliedLivepatch> Patches; // sorted by name
  TaintStatus Taint;
  std::vector<std::string> Reasons; // empty: ready, loadable, all patches enabled and settled
};

// Throws klp::Error (naming the file) when Root is not a directory or an essential file
// (osrelease, tainted) is missing, unreadable or malformed.
TargetStatus readTargetStatus(const std::string &Root);

// 0 when Reasons is empty, else 1.
int targetStatusExitCode(const TargetStatus &S);

// The kernel's 6.1 taint table entry for a bit (Letter nullopt for an unknown bit).
TaintFlagInfo taintFlag(unsigned Bit);
inline constexpr unsigned TaintLivepatchBit = 15, TaintUnsignedModuleBit = 13;

} // namespace klp
