// Recorded root file systems for the status tests: a private directory with the procfs, sysfs,
// /boot and /dev/kmsg files `klp-lsp status --root` reads, built file by file in the test.
#pragma once
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <map>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <vector>
#include <zlib.h>

namespace klp::test {

class RecordedRoot {
public:
  RecordedRoot() {
    std::string Template = (std::filesystem::temp_directory_path() / "klp-status-XXXXXX").string();
    if (mkdtemp(Template.data()))
      Dir = Template;
    EXPECT_FALSE(Dir.empty()) << "mkdtemp " << Template;
  }
  ~RecordedRoot() {
    std::error_code EC;
    if (!Dir.empty())
      std::filesystem::remove_all(Dir, EC);
  }
  RecordedRoot(const RecordedRoot &) = delete;
  RecordedRoot &operator=(const RecordedRoot &) = delete;

  std::string root() const { return Dir.string(); }
  std::filesystem::path path(const std::string &Rel) const { return Dir / Rel; }

  void file(const std::string &Rel, const std::string &Text) {
    std::filesystem::create_directories(path(Rel).parent_path());
    std::ofstream(path(Rel), std::ios::binary) << Text;
  }
  void dir(const std::string &Rel) { std::filesystem::create_directories(path(Rel)); }
  void remove(const std::string &Rel) { std::filesystem::remove_all(path(Rel)); }
  void gzip(const std::string &Rel, const std::string &Text) {
    std::filesystem::create_directories(path(Rel).parent_path());
    gzFile F = gzopen(path(Rel).c_str(), "wb");
    ASSERT_NE(F, nullptr);
    gzwrite(F, Text.data(), static_cast<unsigned>(Text.size()));
    gzclose(F);
  }

  // A Debian 6.1 system that can take a livepatch: config in /boot, sysfs present, modules
  // loadable, signing not enforced, no lockdown, untainted, an empty kernel log.
  void readySystem() {
    file("proc/sys/kernel/osrelease", "6.1.0-50-amd64\n");
    file("boot/config-6.1.0-50-amd64", config({}));
    dir("sys/kernel/livepatch");
    file("proc/sys/kernel/modules_disabled", "0\n");
    file("sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
    file("sys/module/module/parameters/sig_enforce", "N\n");
    file("proc/sys/kernel/tainted", "0\n");
    file("dev/kmsg", "");
  }

  // Debian's values of the options status reads, with Overrides ("" = "is not set").
  static std::string config(const std::map<std::string, std::string> &Overrides) {
    std::map<std::string, std::string> Values = {{"CONFIG_LIVEPATCH", "y"},
                                                 {"CONFIG_HAVE_LIVEPATCH", "y"},
                                                 {"CONFIG_MODULES", "y"},
                                                 {"CONFIG_MODULE_SIG", "y"},
                                                 {"CONFIG_MODULE_SIG_FORCE", ""}};
    for (const auto &[K, V] : Overrides)
      Values[K] = V;
    std::string Text = "#\n# Automatically generated file; DO NOT EDIT.\n#\nCONFIG_CC_IS_GCC=y\n";
    for (const auto &[K, V] : Values)
      Text += V.empty() ? "# " + K + " is not set\n" : K + "=" + V + "\n";
    return Text;
  }

  struct Object {
    std::string Name;
    std::vector<std::string> Functions; // "FUNC,SYMPOS" directory names
    const char *Patched = nullptr;      // "1", "0", or nullptr: no attribute
  };
  // A /sys/kernel/livepatch/NAME directory as 6.1 shows it (force is mode 0200, write-only).
  void livepatch(const std::string &Name, const std::string &Enabled, const std::string &Transition,
                 const std::vector<Object> &Objects) {
    std::string Base = "sys/kernel/livepatch/" + Name + "/";
    file(Base + "enabled", Enabled + "\n");
    file(Base + "transition", Transition + "\n");
    file(Base + "force", "");
    chmod(path(Base + "force").c_str(), 0200);
    for (const Object &O : Objects) {
      dir(Base + O.Name);
      if (O.Patched)
        file(Base + O.Name + "/patched", std::string(O.Patched) + "\n");
      for (const std::string &F : O.Functions)
        dir(Base + O.Name + "/" + F);
    }
  }

  // A task directory: "proc/PID" or "proc/PID/task/TID".
  void task(const std::string &TaskDir, const std::string &Comm, const char *PatchState,
            const std::string &Stack = "") {
    file(TaskDir + "/comm", Comm + "\n");
    if (PatchState)
      file(TaskDir + "/patch_state", std::string(PatchState) + "\n");
    if (!Stack.empty())
      file(TaskDir + "/stack", Stack);
  }

private:
  std::filesystem::path Dir;
};

inline std::string statusDataPath(const std::string &Name) {
  return std::string(KLP_TEST_DATA) + "/data/status/" + Name;
}

// Actual (with the root replaced by @ROOT@) against tests/data/status/Name;
// KLP_UPDATE_EXPECTED=1 rewrites the file instead (review the diff before keeping it).
inline void expectMatchesStatusFile(std::string Actual, const std::string &Root,
                                    const std::string &Name) {
  for (size_t At; (At = Actual.find(Root)) != std::string::npos;)
    Actual.replace(At, Root.size(), "@ROOT@");
  std::string Path = statusDataPath(Name);
  if (std::getenv("KLP_UPDATE_EXPECTED")) {
    std::ofstream(Path, std::ios::binary) << Actual;
    return;
  }
  std::ifstream In(Path, std::ios::binary);
  EXPECT_TRUE(In.good()) << "cannot read " << Path;
  std::stringstream SS;
  SS << In.rdbuf();
  EXPECT_EQ(Actual, SS.str()) << "differs from " << Path;
}

} // namespace klp::test
