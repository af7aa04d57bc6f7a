// The 6.1 taint flags: bits and names of include/linux/panic.h, letters of kernel/panic.c
// (taint_flags[].c_true), descriptions of Documentation/admin-guide/tainted-kernels.rst.
#include "klp/error.h"
#include "target_status_impl.h"

namespace klp::status_detail {

namespace {

struct KnownTaint {
  char Letter;
  const char *Name;
  const char *Description;
};

constexpr KnownTaint KnownTaints[] = {
    {'P', "TAINT_PROPRIETARY_MODULE", "proprietary module was loaded"},
    {'F', "TAINT_FORCED_MODULE", "module was force loaded"},
    {'S', "TAINT_CPU_OUT_OF_SPEC", "kernel running on an out of specification system"},
    {'R', "TAINT_FORCED_RMMOD", "module was force unloaded"},
    {'M', "TAINT_MACHINE_CHECK", "processor reported a Machine Check Exception (MCE)"},
    {'B', "TAINT_BAD_PAGE", "bad page referenced or some unexpected page flags"},
    {'U', "TAINT_USER", "taint requested by userspace application"},
    {'D', "TAINT_DIE", "kernel died recently, i.e. there was an OOPS or BUG"},
    {'A', "TAINT_OVERRIDDEN_ACPI_TABLE", "ACPI table overridden by user"},
    {'W', "TAINT_WARN", "kernel issued warning"},
    {'C', "TAINT_CRAP", "staging driver was loaded"},
    {'I', "TAINT_FIRMWARE_WORKAROUND", "workaround for bug in platform firmware applied"},
    {'O', "TAINT_OOT_MODULE", "externally-built (\"out-of-tree\") module was loaded"},
    {'E', "TAINT_UNSIGNED_MODULE", "unsigned module was loaded"},
    {'L', "TAINT_SOFTLOCKUP", "soft lockup occurred"},
    {'K', "TAINT_LIVEPATCH", "kernel has been live patched"},
    {'X', "TAINT_AUX", "auxiliary taint, defined for and used by distros"},
    {'T', "TAINT_RANDSTRUCT", "kernel was built with the struct randomization plugin"},
    {'N', "TAINT_TEST", "an in-kernel test has been run"},
};

} // namespace

TaintStatus readTaint(const RootFs &Fs) {
  const std::string File = "/proc/sys/kernel/tainted";
  std::string Text = Fs.readEssential(File, "the kernel's taint flags");
  std::optional<uint64_t> Value = parseUnsigned(Text);
  if (!Value)
    throw Error(Fs.path(File) + ": expected a decimal number, got '" + trim(Text) + "'");
  TaintStatus T;
  T.Value = *Value;
  for (unsigned Bit = 0; Bit < 64; ++Bit)
    if (T.Value & (uint64_t(1) << Bit))
      T.Flags.push_back(taintFlag(Bit));
  T.Log = readKernelLog(Fs, T.LogReadable);
  return T;
}

} // namespace klp::status_detail

namespace klp {

TaintFlagInfo taintFlag(unsigned Bit) {
  TaintFlagInfo F;
  F.Bit = Bit;
  if (Bit < std::size(status_detail::KnownTaints)) {
    const status_detail::KnownTaint &K = status_detail::KnownTaints[Bit];
    F.Letter = K.Letter;
    F.Name = K.Name;
    F.Description = K.Description;
  } else {
    F.Description = "unknown taint bit";
  }
  return F;
}

} // namespace klp
