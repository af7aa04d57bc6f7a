// The kernel configuration of the target: /proc/config.gz (CONFIG_IKCONFIG_PROC) when it exists,
// else /boot/config-<release>.
#include "klp/error.h"
#include "target_status_impl.h"
#include <zlib.h>

namespace klp::status_detail {

namespace {

std::string gunzipFile(const std::string &Path) {
  gzFile F = gzopen(Path.c_str(), "rb");
  if (!F)
    throw Error("cannot open " + Path + " (the kernel configuration)");
  std::string Text;
  char Buf[16384];
  int N = 0;
  while ((N = gzread(F, Buf, sizeof(Buf))) > 0)
    Text.append(Buf, static_cast<size_t>(N));
  int Err = Z_OK;
  const char *Msg = gzerror(F, &Err);
  // zlib reads a file without the gzip magic as is; /proc/config.gz is always gzip.
  bool Direct = gzdirect(F) != 0;
  gzclose(F);
  if (Direct)
    throw Error(Path + " is not gzip data (the kernel configuration)");
  if (N < 0 || (Err != Z_OK && Err != Z_STREAM_END))
    throw Error(
        Path + " is not valid gzip data (the kernel configuration): " + (Msg ? Msg : "read error"));
  return Text;
}

} // namespace

void parseKernelConfig(const std::string &Text, KernelConfigFacts &Facts) {
  struct Tracked {
    const char *Name;
    std::optional<std::string> KernelConfigFacts::*Field;
  };
  static const Tracked Options[] = {
      {"CONFIG_LIVEPATCH", &KernelConfigFacts::Livepatch},
      {"CONFIG_HAVE_LIVEPATCH", &KernelConfigFacts::HaveLivepatch},
      {"CONFIG_MODULES", &KernelConfigFacts::Modules},
      {"CONFIG_MODULE_SIG", &KernelConfigFacts::ModuleSig},
      {"CONFIG_MODULE_SIG_FORCE", &KernelConfigFacts::ModuleSigForce},
  };
  size_t Pos = 0;
  while (Pos < Text.size()) {
    size_t End = Text.find('\n', Pos);
    if (End == std::string::npos)
      End = Text.size();
    std::string Line = trim(Text.substr(Pos, End - Pos));
    Pos = End + 1;
    size_t Eq = Line.find('=');
    if (Line.empty() || Line[0] == '#' || Eq == std::string::npos)
      continue; // "# CONFIG_X is not set" leaves the value unset
    std::string Name = Line.substr(0, Eq);
    for (const Tracked &T : Options)
      if (Name == T.Name)
        Facts.*T.Field = Line.substr(Eq + 1);
  }
}

KernelConfigFacts readKernelConfig(const RootFs &Fs, const std::string &Release) {
  KernelConfigFacts Facts;
  if (Fs.exists("/proc/config.gz")) {
    Facts.Source = "/proc/config.gz";
    parseKernelConfig(gunzipFile(Fs.path(Facts.Source)), Facts);
    return Facts;
  }
  std::string Boot = "/boot/config-" + Release;
  if (Fs.exists(Boot)) {
    std::optional<std::string> Text = Fs.read(Boot);
    if (!Text)
      throw Error("cannot read " + Fs.path(Boot) + " (the kernel configuration)");
    Facts.Source = Boot;
    parseKernelConfig(*Text, Facts);
  }
  return Facts;
}

} // namespace klp::status_detail
