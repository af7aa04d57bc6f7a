// Builds an out-of-tree kernel module from C sources against the pinned kernel's headers package,
// the way a module for the running Debian kernel is built (so vermagic matches).
#pragma once
#include "vm_process.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace klp::test {

inline constexpr const char *PinnedKernelHeaders = "/usr/src/linux-headers-6.1.0-50-amd64";

// Writes a Kbuild with `obj-m := Name.o` into Dir (which holds Name.c) and runs make there.
// Returns the path of Name.ko; throws std::runtime_error with make's output on failure.
inline std::string buildExternalModule(const std::string &Dir, const std::string &Name,
                                       const std::string &Headers = PinnedKernelHeaders) {
  {
    std::ofstream Kbuild(Dir + "/Kbuild");
    Kbuild << "obj-m := " << Name << ".o\n";
  }
  TimedRun R = runWithTimeout({"make", "-C", Headers, "M=" + Dir, "CC=gcc-12", "modules"},
                              std::chrono::seconds(300));
  std::string Ko = Dir + "/" + Name + ".ko";
  if (R.ExitCode != 0 || R.TimedOut || !std::filesystem::exists(Ko))
    throw std::runtime_error("building " + Ko + " failed (exit " + std::to_string(R.ExitCode) +
                             "):\n" + R.Output);
  return Ko;
}

} // namespace klp::test
