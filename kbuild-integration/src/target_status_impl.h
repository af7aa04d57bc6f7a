// Internals of readTargetStatus (klp/target_status.h): a read-only view of a root file system
// and one reader per part of the status.
#pragma once
#include "klp/target_status.h"
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace klp::status_detail {

// Paths are absolute inside the root ("/proc/sys/kernel/tainted"); the root "/" is the host.
class RootFs {
public:
  explicit RootFs(std::string Root);
  std::string path(const std::string &Rel) const;
  bool exists(const std::string &Rel) const;
  bool isDirectory(const std::string &Rel) const;
  // nullopt when the file does not exist or cannot be read.
  std::optional<std::string> read(const std::string &Rel) const;
  // Throws klp::Error naming the file when it is missing or unreadable.
  std::string readEssential(const std::string &Rel, const std::string &What) const;
  // Entry names of a directory, sorted; empty when it is not one.
  std::vector<std::string> list(const std::string &Rel) const;

private:
  std::string Prefix; // "" for "/", else the root without trailing slashes
};

std::string trim(const std::string &S);
// A whole decimal number (surrounding white space allowed); nullopt otherwise.
std::optional<uint64_t> parseUnsigned(const std::string &S);
std::optional<bool> parseFlag(const std::optional<std::string> &Text); // "0"/"1"/"N"/"Y"

KernelConfigFacts readKernelConfig(const RootFs &Fs, const std::string &Release);
// Config text lines "CONFIG_X=v" / "# CONFIG_X is not set" into Facts (the options it tracks).
void parseKernelConfig(const std::string &Text, KernelConfigFacts &Facts);
// The bracketed level of "none [integrity] confidentiality"; nullopt without brackets.
std::optional<std::string> activeLockdown(const std::string &Text);
ModuleLoading readModuleLoading(const RootFs &Fs, const KernelConfigFacts &Config);
std::vector<AppliedLivepatch> readLivepatches(const RootFs &Fs);
// Fills TasksChecked and Stalled of a patch in transition (TargetState set).
void findStalledTasks(const RootFs &Fs, AppliedLivepatch &Patch);
TaintStatus readTaint(const RootFs &Fs);

// One /dev/kmsg record "pri,seq,usec,flags[,...];text" (continuation lines ignored).
std::optional<KernelLogLine> parseKmsgRecord(const std::string &Record);
// Whether a log line is about taint, module signing, lockdown or livepatch, and the taint letter
// it explains (Flag, reset when none); false when the line is not kept.
bool classifyKmsgText(const std::string &Text, std::optional<char> &Flag);
// The kept lines of dev/kmsg; Readable false when it is absent or cannot be opened.
std::vector<KernelLogLine> readKernelLog(const RootFs &Fs, bool &Readable);

} // namespace klp::status_detail
