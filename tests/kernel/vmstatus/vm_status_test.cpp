// The real `klp-lsp status` binary run inside the pinned kernel (qemu, no KVM) against the guest's
// own /proc, /sys and /dev/kmsg, through a whole livepatch lifecycle. The binary and its shared
// libraries are far too big for the initramfs, so the host's root is shared read-only over 9p
// (virtio) and mounted at /host; the binary runs under the host's dynamic loader with the host's
// library directories (the guest's /proc and /sys stay the ones read).
//
// The patch is tests/data/vmstatus/livepatch-hold.c (replaces cmdline_proc_show; while its
// parameter "hold" is 1 a reader of /proc/cmdline sleeps inside the replacement), so a disable
// written while a reader waits leaves a transition in progress for as long as the test wants.
// Steps (one boot): before, loaded, disabling (stalled by the reader), disabled, unloaded,
// modules-disabled. 6.1 frees a disabled patch, its sysfs directory included, as soon as the
// unpatching transition ends: "enabled": false is only visible while it is in progress, and after
// it the list is empty again while the module is still loaded; taint never goes back.
//
// Each step's JSON is compared whole with tests/data/vmstatus/<step>.json (member order
// included). What legitimately varies is normalised, each value checked first:
//   - taint.log.lines[].seq and .usec: checked strictly increasing (seq) and non-decreasing (usec),
//     each step's lines checked to start with the previous step's lines unchanged (the log only
//     grows), then both set to 0;
//   - patches[].module.srcversion: replaced by "@SRCVERSION@" when it equals the srcversion modpost
//     wrote into the module on the host (modinfo -F srcversion);
//   - stalledTasks[].pid and .tgid: replaced by "@READER_PID@" when they equal the pid the guest
//     reported for the waiting reader;
//   - stack lines of the test module's own frames ("... [livepatch_hold]"): the "+0xOFF/0xSIZE"
//     code offset becomes "+@OFFSET@" (the module is compiled at test time by the host's gcc;
//     vmlinux frames are fixed by the pinned kernel and compared exactly);
//   - patches[].tasksChecked during a transition: every thread of the guest, kernel workers
//     included, which the kernel starts on demand (48 on every boot so far, but timing-bound):
//     checked to be between 30 and 200, then "@TASKS@".
// Everything else is exact.
// KLP_VMSTATUS_DUMP=DIR writes each step's normalised JSON to DIR/<step>.json (to review changes).
#include "external_module.h"
#include "vm.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

namespace {

namespace fs = std::filesystem;
using namespace klp::test;
using Json = nlohmann::ordered_json;

const fs::path DataDir = fs::path(KLP_TEST_DATA) / "data" / "vmstatus";
const char *const Steps[] = {"before",   "loaded",   "disabling",
                             "disabled", "unloaded", "modules-disabled"};

std::string klpLsp() {
  const char *Env = std::getenv("KLP_LSP");
  return Env && *Env ? Env : KLP_BINARY_DIR "/server/klp-lsp";
}

// How the guest runs a host program: the host's dynamic loader and the directories ldd resolved
// its libraries from, every path canonical (symbolic links with absolute targets would point
// into the guest) and prefixed with the mount point.
struct HostCommand {
  std::string Loader;
  std::string LibraryPath;
  std::string Program;
};

HostCommand hostCommand(const std::string &Program, const std::string &Mount) {
  int Status = -1;
  std::string Out = shellOutput("ldd '" + Program + "'", Status);
  if (Status != 0)
    throw std::runtime_error("ldd " + Program + " failed:\n" + Out);
  HostCommand C;
  C.Program = Mount + fs::canonical(Program).string();
  std::vector<std::string> Dirs;
  std::istringstream In(Out);
  for (std::string L; std::getline(In, L);) {
    std::istringstream Words(L);
    std::string First, Arrow, Path;
    Words >> First >> Arrow >> Path;
    if (Arrow == "=>" && !Path.empty() && Path[0] == '/') {
      std::string Dir = Mount + fs::canonical(fs::path(Path).parent_path()).string();
      if (std::find(Dirs.begin(), Dirs.end(), Dir) == Dirs.end())
        Dirs.push_back(Dir);
    } else if (!First.empty() && First[0] == '/') {
      C.Loader = Mount + fs::canonical(First).string();
    }
  }
  if (C.Loader.empty())
    throw std::runtime_error("no dynamic loader in the ldd output of " + Program + ":\n" + Out);
  for (const std::string &D : Dirs)
    C.LibraryPath += (C.LibraryPath.empty() ? "" : ":") + D;
  return C;
}

std::string base64Decode(const std::string &In) {
  static const std::string Alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string Out;
  unsigned Bits = 0, Count = 0;
  for (char C : In) {
    if (C == '=')
      break;
    size_t V = Alphabet.find(C);
    if (V == std::string::npos)
      throw std::runtime_error(std::string("not base64: '") + C + "'");
    Bits = (Bits << 6) | unsigned(V);
    Count += 6;
    if (Count >= 8) {
      Count -= 8;
      Out += char((Bits >> Count) & 0xff);
    }
  }
  return Out;
}

Json readJson(const fs::path &P) {
  std::ifstream In(P);
  if (!In)
    throw std::runtime_error("cannot read " + P.string());
  return Json::parse(In);
}

std::string readText(const fs::path &P) {
  std::ifstream In(P, std::ios::binary);
  if (!In)
    return "(missing " + P.string() + ")";
  return std::string(std::istreambuf_iterator<char>(In), {});
}

// Checks the order of the log lines of one step and that they start with the previous step's.
void checkLog(const std::string &Step, const Json &Lines, const Json &Previous) {
  for (size_t I = 1; I < Lines.size(); ++I) {
    EXPECT_LT(Lines[I - 1]["seq"].get<long long>(), Lines[I]["seq"].get<long long>())
        << Step << " line " << I;
    EXPECT_LE(Lines[I - 1]["usec"].get<long long>(), Lines[I]["usec"].get<long long>())
        << Step << " line " << I;
  }
  ASSERT_GE(Lines.size(), Previous.size()) << Step;
  for (size_t I = 0; I < Previous.size(); ++I)
    EXPECT_EQ(Lines[I], Previous[I]) << Step << ": line " << I << " changed since the last step";
}

void normalise(Json &J, const std::string &SrcVersion, const std::string &ReaderPid) {
  for (Json &L : J["taint"]["log"]["lines"]) {
    L["seq"] = 0;
    L["usec"] = 0;
  }
  static const std::regex ModuleFrame(R"(\+0x[0-9a-f]+/0x[0-9a-f]+ \[livepatch_hold\]$)");
  for (Json &P : J["patches"]) {
    if (P["module"]["srcversion"] == SrcVersion)
      P["module"]["srcversion"] = "@SRCVERSION@";
    if (P["transition"] == true) {
      long long Tasks = P["tasksChecked"].get<long long>();
      EXPECT_TRUE(Tasks >= 30 && Tasks <= 200) << "tasksChecked " << Tasks;
      P["tasksChecked"] = "@TASKS@";
    }
    for (Json &T : P["stalledTasks"]) {
      for (const char *Key : {"pid", "tgid"})
        if (T[Key].is_number() && std::to_string(T[Key].get<long long>()) == ReaderPid)
          T[Key] = "@READER_PID@";
      if (T["stack"].is_array())
        for (Json &Frame : T["stack"])
          Frame = std::regex_replace(Frame.get<std::string>(), ModuleFrame,
                                     "+@OFFSET@ [livepatch_hold]");
    }
  }
}

std::string normaliseText(std::string T, const std::string &SrcVersion,
                          const std::string &ReaderPid) {
  static const std::regex Stamp(R"(\[ *[0-9]+\.[0-9]{6}\])");
  static const std::regex Tasks(R"(stalled tasks: ([0-9]+) of ([0-9]+) checked)");
  static const std::regex ModuleFrame(R"(\+0x[0-9a-f]+/0x[0-9a-f]+ \[livepatch_hold\]\n)");
  T = std::regex_replace(T, Stamp, "[@TIME@]");
  std::smatch M;
  if (std::regex_search(T, M, Tasks)) {
    long long Checked = std::stoll(M[2].str());
    EXPECT_TRUE(Checked >= 30 && Checked <= 200) << "tasks checked " << Checked;
    T = std::regex_replace(T, Tasks, "stalled tasks: $1 of @TASKS@ checked");
  }
  T = std::regex_replace(T, ModuleFrame, "+@OFFSET@ [livepatch_hold]\n");
  for (const auto &[From, To] :
       {std::pair{" srcversion " + SrcVersion, std::string(" srcversion @SRCVERSION@")},
        std::pair{"pid " + ReaderPid + " (tgid " + ReaderPid + ")",
                  std::string("pid @READER_PID@ (tgid @READER_PID@)")}})
    for (size_t P = T.find(From); P != std::string::npos; P = T.find(From, P + To.size()))
      T.replace(P, From.size(), To);
  return T;
}

TEST(VmStatus, ReportsTheLivepatchLifecycleOfTheRunningKernel) {
  TempDir Src("klp-vmstatus");
  fs::copy_file(DataDir / "livepatch-hold.c", Src.path() + "/livepatch-hold.c");
  std::string Ko = buildExternalModule(Src.path(), "livepatch-hold");
  int Status = -1;
  std::string SrcVersion = shellOutput("modinfo -F srcversion '" + Ko + "'", Status);
  ASSERT_EQ(Status, 0);
  SrcVersion = SrcVersion.substr(0, SrcVersion.find('\n'));
  ASSERT_EQ(SrcVersion.size(), 23u) << SrcVersion;

  const std::string Mount = "/host";
  HostCommand Cmd = hostCommand(klpLsp(), Mount);
  VmConfig C;
  C.Files["/livepatch-hold.ko"] = Ko;
  std::string Config = std::string("/boot/config-") + PinnedKernelRelease;
  C.Files[Config] = Config; // CONFIG_IKCONFIG is off: status reads the config from /boot
  C.Modules = {"virtio_pci", "9pnet_virtio", "9p"};
  C.QemuArgs = {"-virtfs", "local,path=/,mount_tag=hostroot,security_model=none,readonly=on"};
  C.Script = "KLP_LD='" + Cmd.Loader + "'\nKLP_LIBS='" + Cmd.LibraryPath + "'\nKLP_LSP='" +
             Cmd.Program + "'\nHOST='" + Mount + "'\n" + R"SH(
# securityfs as on any systemd host, so the lockdown level is readable.
mount -t securityfs securityfs /sys/kernel/security || exit 10
load_module virtio_pci && load_module 9pnet_virtio && load_module 9p || exit 11
mkdir -p $HOST && mount -t 9p -o trans=virtio,version=9p2000.L,ro,cache=loose hostroot $HOST ||
  exit 12
# status STEP: runs `klp-lsp status --format json`; markers STEP-exit, STEP-json and STEP-stderr
# (base64: one line each, whatever the bytes).
status() {
  "$KLP_LD" --library-path "$KLP_LIBS" "$KLP_LSP" status --format json >/tmp/out 2>/tmp/err
  mark "$1-exit" $?
  mark "$1-json" "$(base64 -w0 /tmp/out)"
  mark "$1-stderr" "$(base64 -w0 /tmp/err)"
}
# status_text STEP: the text format too; marker STEP-text (base64).
status_text() {
  "$KLP_LD" --library-path "$KLP_LIBS" "$KLP_LSP" status >/tmp/out 2>/tmp/err
  mark "$1-text" "$(base64 -w0 /tmp/out)"
}
LP=/sys/kernel/livepatch/livepatch_hold
PARAM=/sys/module/livepatch_hold/parameters
status before
insmod /livepatch-hold.ko || exit 13
wait_value $LP/transition 0 30 || exit 14
status loaded
mark cmdline-loaded "$(cat /proc/cmdline)"
# A reader waits inside the replacement: the unpatching transition cannot finish.
echo 1 > $PARAM/hold
cat /proc/cmdline > /tmp/cmdline &
READER=$!
mark reader-pid $READER
wait_value $PARAM/holding 1 30 || exit 15
echo 0 > $LP/enabled
status disabling
status_text disabling
mark transition-after-status "$(cat $LP/transition)"
echo 0 > $PARAM/hold
wait $READER
mark reader-output "$(cat /tmp/cmdline)"
# The patch's sysfs directory goes away when the unpatching transition has finished.
wait_gone $LP 30 || exit 16
status disabled
rmmod livepatch_hold || exit 17
status unloaded
# Irreversible until reboot: last.
echo 1 > /proc/sys/kernel/modules_disabled || exit 18
status modules-disabled
)SH";
  VmRun R = runVm(C);
  ASSERT_FALSE(R.TimedOut) << R.tail();
  EXPECT_EQ(R.QemuExit, 0) << R.tail();
  ASSERT_EQ(R.scriptExit(), 0) << R.tail();
  RecordProperty("vm_seconds", std::to_string(R.Seconds));

  std::vector<std::string> ReaderPid = R.markers("reader-pid");
  ASSERT_EQ(ReaderPid.size(), 1u) << R.tail();
  EXPECT_EQ(R.marker("cmdline-loaded"), "patched by livepatch_hold");
  EXPECT_EQ(R.marker("transition-after-status"), "1") << "the transition ended before status ran";
  EXPECT_EQ(R.marker("reader-output"), "patched by livepatch_hold");

  // The text format of the stalled step, against tests/data/vmstatus/disabling.txt, with the
  // same values normalised as in the JSON (kernel log stamps become [@TIME@]).
  std::vector<std::string> Text = R.markers("disabling-text");
  ASSERT_EQ(Text.size(), 1u) << R.tail();
  std::string ActualText = normaliseText(base64Decode(Text[0]), SrcVersion, ReaderPid[0]);
  const char *Dump = std::getenv("KLP_VMSTATUS_DUMP");
  if (Dump && *Dump) {
    fs::create_directories(Dump);
    std::ofstream(fs::path(Dump) / "disabling.txt") << ActualText;
    std::ofstream(fs::path(Dump) / "disabling.raw.txt") << base64Decode(Text[0]);
  }
  EXPECT_EQ(ActualText, readText(DataDir / "disabling.txt"));

  const std::map<std::string, std::string> ExpectedExit = {
      {"before", "0"},   {"loaded", "0"},   {"disabling", "1"},
      {"disabled", "0"}, {"unloaded", "0"}, {"modules-disabled", "1"}};
  Json PreviousLog = Json::array();
  for (const char *Step : Steps) {
    SCOPED_TRACE(Step);
    std::string S = Step;
    EXPECT_EQ(R.marker(S + "-exit"), ExpectedExit.at(S)) << R.tail();
    std::vector<std::string> Err = R.markers(S + "-stderr"), Out = R.markers(S + "-json");
    ASSERT_EQ(Err.size(), 1u) << R.tail();
    ASSERT_EQ(Out.size(), 1u) << R.tail();
    EXPECT_EQ(base64Decode(Err[0]), "");
    Json Actual = Json::parse(base64Decode(Out[0]));
    EXPECT_EQ(std::to_string(Actual["exitCode"].get<int>()), ExpectedExit.at(S));
    const Json &Lines = Actual["taint"]["log"]["lines"];
    checkLog(S, Lines, PreviousLog);
    PreviousLog = Lines;
    normalise(Actual, SrcVersion, ReaderPid[0]);
    if (Dump && *Dump) {
      fs::create_directories(Dump);
      std::ofstream(fs::path(Dump) / (S + ".json")) << Actual.dump(2) << "\n";
    }
    fs::path Expected = DataDir / (S + ".json");
    if (!fs::exists(Expected)) {
      ADD_FAILURE() << "no " << Expected << "; the normalised output is:\n" << Actual.dump(2);
      continue;
    }
    Json Want = readJson(Expected);
    // ordered_json compares objects member by member in order, so the order is asserted too.
    if (Actual != Want)
      ADD_FAILURE() << Expected << " differs; JSON patch from it to the output (empty when only "
                    << "the member order differs):\n"
                    << Json::diff(Want, Actual).dump(1) << "\nthe normalised output:\n"
                    << Actual.dump(2);
  }
}

} // namespace
