// Boots the pinned Debian kernel in qemu (software emulation, no KVM) with a busybox initramfs
// made for one test, and returns what the guest wrote to its serial console.
//
//   klp::test::VmConfig C;
//   C.Files["/lp.ko"] = HostPathOfModule;   // image path -> host file
//   C.Modules = {"ext4"};                   // shipped modules, with their modules.dep deps
//   C.Script = "load_module ext4 && mark loaded 1\ninsmod /lp.ko\n";
//   klp::test::VmRun R = klp::test::runVm(C);
//   EXPECT_EQ(R.marker("loaded"), "1");
//
// The script runs under busybox sh after /proc, /sys and /dev are mounted, with these helpers:
//   mark NAME VALUE...       prints the marker line "KLPVM:NAME=VALUE..." (read with marker())
//   load_module NAME         insmods a module of C.Modules after its dependencies
//   wait_value FILE VALUE [SECONDS]   polls until FILE holds VALUE (default 60 s); 1 on timeout
//   wait_gone PATH [SECONDS]          polls until PATH no longer exists; 1 on timeout
// After the script, /init prints "KLPVM:exit=STATUS" and powers the machine off.
#pragma once
#include "vm_process.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace klp::test {

inline constexpr const char *PinnedKernelRelease = "6.1.0-50-amd64";

struct VmConfig {
  std::string Kernel = std::string("/boot/vmlinuz-") + PinnedKernelRelease;
  std::string ModulesDir = std::string("/lib/modules/") + PinnedKernelRelease;
  std::string Busybox = "/bin/busybox";     // must be static (busybox-static)
  std::map<std::string, std::string> Files; // absolute path in the image -> host file
  std::vector<std::string> Modules;         // shipped module names ("ext4", "nls_utf8")
  std::string Script;                       // body run by /init
  std::chrono::seconds Timeout{300};        // qemu is killed after this
  unsigned MemoryMiB = 1024;
  std::string Append = "console=ttyS0 quiet panic=-1";
  std::vector<std::string> QemuArgs; // appended to qemu's command line (e.g. a -virtfs share)
};

// One line of serial output without carriage returns and terminal escape sequences (qemu's
// firmware and the console reset the terminal, and those bytes land in front of the first line).
inline std::string cleanSerialLine(const std::string &L) {
  std::string Out;
  for (size_t I = 0; I < L.size(); ++I) {
    char C = L[I];
    if (C == '\r')
      continue;
    if (C == '\x1b') {
      if (I + 1 < L.size() && L[I + 1] == '[') { // CSI: parameters up to a final byte @..~
        I += 2;
        while (I < L.size() && !(L[I] >= '@' && L[I] <= '~'))
          ++I;
      } else {
        ++I; // two-byte sequence such as ESC c
      }
      continue;
    }
    Out += C;
  }
  return Out;
}

inline std::vector<std::string> serialLines(const std::string &Serial) {
  std::vector<std::string> Lines;
  std::istringstream In(Serial);
  for (std::string L; std::getline(In, L);)
    Lines.push_back(cleanSerialLine(L));
  return Lines;
}

struct VmRun {
  std::string Serial;             // raw bytes from the serial console (and qemu's stderr)
  std::vector<std::string> Lines; // Serial split into cleaned lines
  int QemuExit = -1;
  bool TimedOut = false;
  double Seconds = 0; // qemu's wall time

  static constexpr const char *Prefix = "KLPVM:";

  // Values of every marker line NAME, in order. A marker is matched anywhere in a line, so
  // kernel messages or stray bytes in front of it do not hide it.
  std::vector<std::string> markers(const std::string &Name) const {
    std::vector<std::string> Values;
    std::string Key = Prefix + Name + "=";
    for (const std::string &L : Lines)
      if (size_t P = L.find(Key); P != std::string::npos)
        Values.push_back(L.substr(P + Key.size()));
    return Values;
  }
  // The first marker NAME's value; nullopt when the guest never printed it.
  std::optional<std::string> marker(const std::string &Name) const {
    std::vector<std::string> V = markers(Name);
    if (V.empty())
      return std::nullopt;
    return V.front();
  }
  // The script's exit status, nullopt when /init never got that far (panic, timeout).
  std::optional<int> scriptExit() const {
    std::optional<std::string> V = marker("exit");
    if (!V)
      return std::nullopt;
    return std::atoi(V->c_str());
  }
  // The last N cleaned lines, for failure messages.
  std::string tail(size_t N = 40) const {
    std::string Out;
    for (size_t I = Lines.size() > N ? Lines.size() - N : 0; I < Lines.size(); ++I)
      Out += Lines[I] + "\n";
    return Out;
  }
};

// The module name of a .ko path as the kernel spells it: basename without .ko[.xz|.zst|.gz], '-'
// as '_'.
inline std::string moduleNameOf(const std::string &Path) {
  std::string Base = std::filesystem::path(Path).filename().string();
  Base = Base.substr(0, Base.find(".ko"));
  std::replace(Base.begin(), Base.end(), '-', '_');
  return Base;
}

// The files (relative to ModulesDir) to load for shipped module Name, dependencies first, each
// once, from ModulesDir/modules.dep. Throws std::runtime_error when the module is not listed.
inline std::vector<std::string> shippedModuleLoadOrder(const std::string &ModulesDir,
                                                       const std::string &Name) {
  std::ifstream In(ModulesDir + "/modules.dep");
  if (!In)
    throw std::runtime_error("cannot read " + ModulesDir + "/modules.dep");
  std::map<std::string, std::vector<std::string>> Deps; // path -> its dependency paths
  std::map<std::string, std::string> ByName;            // module name -> path
  for (std::string L; std::getline(In, L);) {
    size_t Colon = L.find(':');
    if (Colon == std::string::npos)
      continue;
    std::string Path = L.substr(0, Colon);
    std::istringstream Rest(L.substr(Colon + 1));
    std::vector<std::string> &D = Deps[Path];
    for (std::string Dep; Rest >> Dep;)
      D.push_back(Dep);
    ByName[moduleNameOf(Path)] = Path;
  }
  auto It = ByName.find(moduleNameOf(Name));
  if (It == ByName.end())
    throw std::runtime_error("module " + Name + " is not in " + ModulesDir + "/modules.dep");
  std::vector<std::string> Order;
  std::set<std::string> Seen;
  // Depth-first over each module's own dependency line, so the order does not rely on how
  // depmod sorted the lists.
  auto Visit = [&](auto &Self, const std::string &Path) -> void {
    if (!Seen.insert(Path).second)
      return;
    for (const std::string &D : Deps[Path])
      Self(Self, D);
    Order.push_back(Path);
  };
  Visit(Visit, It->second);
  return Order;
}

namespace vm_detail {

inline void writeFile(const std::filesystem::path &P, const std::string &Text) {
  std::filesystem::create_directories(P.parent_path());
  std::ofstream Out(P, std::ios::binary);
  Out << Text;
  if (!Out)
    throw std::runtime_error("cannot write " + P.string());
}

inline void runOrThrow(const std::vector<std::string> &Argv, const std::string &What) {
  TimedRun R = runWithTimeout(Argv, std::chrono::seconds(120));
  if (R.ExitCode != 0 || R.TimedOut)
    throw std::runtime_error(What + " failed (exit " + std::to_string(R.ExitCode) + "):\n" +
                             R.Output);
}

// Copies a module file into the image, decompressed: busybox insmod reads plain ELF only.
inline void copyModule(const std::string &From, const std::filesystem::path &To) {
  std::filesystem::create_directories(To.parent_path());
  auto EndsWith = [&](const char *S) {
    std::string Suffix = S;
    return From.size() > Suffix.size() &&
           From.compare(From.size() - Suffix.size(), Suffix.size(), Suffix) == 0;
  };
  std::string Tool = EndsWith(".xz")    ? "xz"
                     : EndsWith(".zst") ? "zstd"
                     : EndsWith(".gz")  ? "gzip"
                                        : "";
  if (Tool.empty()) {
    std::filesystem::copy_file(From, To, std::filesystem::copy_options::overwrite_existing);
    return;
  }
  runOrThrow({"sh", "-c", Tool + " -dc \"$1\" > \"$2\"", "sh", From, To.string()},
             "decompressing " + From);
}

inline std::string initScript() {
  return R"SH(#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mark() { n=$1; shift; echo "KLPVM:$n=$*"; }
load_module() {
  while read -r f; do
    [ -d "/sys/module/$(basename "$f" .ko | tr - _)" ] && continue
    insmod "/lib/modules/$(uname -r)/$f" || return 1
  done < "/lib/klp-vm/$1.load"
}
wait_value() {
  i=0
  while [ "$(cat "$1" 2>/dev/null)" != "$2" ]; do
    i=$((i + 1))
    [ $i -gt $((${3:-60} * 10)) ] && return 1
    usleep 100000
  done
  return 0
}
wait_gone() {
  i=0
  while [ -e "$1" ]; do
    i=$((i + 1))
    [ $i -gt $((${2:-60} * 10)) ] && return 1
    usleep 100000
  done
  return 0
}
( . /klp-vm-script.sh )
echo "KLPVM:exit=$?"
poweroff -f
)SH";
}

} // namespace vm_detail

// Writes the gzip'ed newc initramfs for C to Out.
inline void buildInitramfs(const VmConfig &C, const std::string &Out) {
  namespace fs = std::filesystem;
  TempDir Root("klp-vm-root");
  fs::path R = Root.path();
  for (const char *D : {"bin", "proc", "sys", "dev", "tmp", "lib/klp-vm"})
    fs::create_directories(R / D);
  fs::copy_file(C.Busybox, R / "bin/busybox");
  fs::permissions(R / "bin/busybox", fs::perms(0755));
  for (const auto &[ImagePath, Host] : C.Files) {
    if (ImagePath.empty() || ImagePath[0] != '/')
      throw std::runtime_error("image path must be absolute: " + ImagePath);
    fs::path Dest = R / ImagePath.substr(1);
    fs::create_directories(Dest.parent_path());
    fs::copy_file(Host, Dest, fs::copy_options::overwrite_existing);
  }
  std::string Release = fs::path(C.ModulesDir).filename().string();
  for (const std::string &M : C.Modules) {
    std::string Load;
    for (const std::string &Rel : shippedModuleLoadOrder(C.ModulesDir, M)) {
      std::string Plain = Rel.substr(0, Rel.find(".ko")) + ".ko";
      fs::path Dest = R / "lib/modules" / Release / Plain;
      if (!fs::exists(Dest))
        vm_detail::copyModule(C.ModulesDir + "/" + Rel, Dest);
      Load += Plain + "\n";
    }
    vm_detail::writeFile(R / "lib/klp-vm" / (moduleNameOf(M) + ".load"), Load);
  }
  vm_detail::writeFile(R / "klp-vm-script.sh", C.Script + "\n");
  vm_detail::writeFile(R / "init", vm_detail::initScript());
  fs::permissions(R / "init", fs::perms(0755));
  vm_detail::runOrThrow({"sh", "-c",
                         "cd \"$1\" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1 > \"$2\"",
                         "sh", R.string(), Out},
                        "making the initramfs");
}

// Builds the image and boots it; the VM powers itself off when the script is done.
inline VmRun runVm(const VmConfig &C) {
  TempDir Work("klp-vm");
  std::string Initrd = Work.path() + "/initramfs.gz";
  buildInitramfs(C, Initrd);
  std::vector<std::string> Argv({"qemu-system-x86_64", "-m", std::to_string(C.MemoryMiB), "-smp",
                                 "1", "-nographic", "-no-reboot", "-kernel", C.Kernel, "-initrd",
                                 Initrd, "-append", C.Append});
  Argv.insert(Argv.end(), C.QemuArgs.begin(), C.QemuArgs.end());
  TimedRun T = runWithTimeout(Argv, C.Timeout);
  VmRun R;
  R.Serial = std::move(T.Output);
  R.Lines = serialLines(R.Serial);
  R.QemuExit = T.ExitCode;
  R.TimedOut = T.TimedOut;
  R.Seconds = T.Seconds;
  return R;
}

} // namespace klp::test
