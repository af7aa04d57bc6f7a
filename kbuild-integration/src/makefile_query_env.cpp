// Capturing the environment the top-level Makefile exports (KBUILD_CFLAGS, LINUXINCLUDE, ...).
#include "makefile_query.h"

#include "klp/error.h"
#include "run_process.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <unistd.h>

namespace klp {
namespace {

// Run after the top-level Makefile (`-f Makefile -f klp-env.mk`): its recipe runs in the
// environment every sub-make gets. `+` makes it run under -n, which keeps everything else
// from running.
const char *EnvMakefile =
    R"MK(# klp-lsp: dump the environment kbuild's top-level Makefile exports to sub-makes.
klp-print-env:
	+@env -0 > "$(KLP_ENV_OUT)"
)MK";

// Appended to scripts/Makefile.build (`-f scripts/Makefile.build -f klp-print.mk`): prints
// what Makefile.lib computed for the directory, builds nothing.
const char *PrintMakefile = R"MK(# klp-lsp: print what scripts/Makefile.build computed for $(obj).
klp-stem = $(basename $(patsubst $(obj)/%,%,$(1)))
klp-unprefix = $(if $(filter .,$(obj)),$(1),$(patsubst $(obj)/%,%,$(1)))
klp-prefix = $(if $(filter .,$(obj)),$(1),$(addprefix $(obj)/,$(1)))
klp-name = $(call klp-prefix,$(call klp-unprefix,$(1)))
klp-parts = $(call klp-prefix,$(call suffix-search,$(call klp-unprefix,$(1)),.o,$(2)))
klp-cflags = $(strip $(CFLAGS_$(call klp-stem,$(1)).o))
klp-multi = $(info klp:multi-$(1):$(call klp-name,$(2))=$(call klp-parts,$(2),$(3)))
$(info klp:real-obj-y=$(real-obj-y))
$(info klp:real-obj-m=$(real-obj-m))
$(info klp:lib-y=$(lib-y))
$(info klp:obj-m=$(obj-m))
$(info klp:subdir-ym=$(subdir-ym))
$(foreach m,$(multi-obj-y),$(call klp-multi,y,$(m),-objs -y))
$(foreach m,$(multi-obj-m),$(call klp-multi,m,$(m),-objs -y -m))
$(foreach o,$(real-obj-y) $(real-obj-m) $(lib-y),\
  $(if $(call klp-cflags,$(o)),$(info klp:cflags:$(o)=$(call klp-cflags,$(o)))))
$(info klp:c_flags=$(c_flags))
$(info klp:KBUILD_CFLAGS=$(KBUILD_CFLAGS))
$(info klp:KBUILD_AFLAGS=$(KBUILD_AFLAGS))
$(info klp:KBUILD_RUSTFLAGS=$(KBUILD_RUSTFLAGS))
klp-print:
	@:
)MK";

void writeIfDifferent(const std::string &Path, const std::string &Text) {
  std::ifstream In(Path);
  std::stringstream Old;
  Old << In.rdbuf();
  if (In && Old.str() == Text)
    return;
  std::string Tmp = Path + ".tmp." + std::to_string(getpid());
  std::ofstream(Tmp) << Text;
  std::filesystem::rename(Tmp, Path);
}

std::string pathEnv() {
  const char *P = getenv("PATH");
  return P ? P : "/usr/local/bin:/usr/bin:/bin";
}

} // namespace

std::string KbuildContext::env(const std::string &Name) const {
  for (const auto &[K, V] : Env)
    if (K == Name)
      return V;
  return "";
}

void captureKbuildEnv(KbuildContext &Ctx, bool MakefilesOnly) {
  std::filesystem::create_directories(Ctx.MkDir);
  std::filesystem::create_directories(Ctx.TmpOut);
  writeIfDifferent(Ctx.MkDir + "/klp-env.mk", EnvMakefile);
  writeIfDifferent(Ctx.MkDir + "/klp-print.mk", PrintMakefile);
  if (MakefilesOnly)
    return;
  std::string Out = Ctx.MkDir + "/env.out." + std::to_string(getpid());
  // A clean environment: the user's ARCH, CROSS_COMPILE, KCFLAGS, ... must not leak in; the
  // tree's own configuration decides.
  std::vector<std::string> CleanEnv = {"PATH=" + pathEnv(), "LC_ALL=C"};
  if (const char *H = getenv("HOME"))
    CleanEnv.push_back(std::string("HOME=") + H);
  ProcessResult R =
      runProcess({"make", "-rR", "-n", "--no-print-directory", "-f", Ctx.Root + "/Makefile", "-f",
                  Ctx.MkDir + "/klp-env.mk", "may-sync-config=", "CC=" + Ctx.CC,
                  "TMPOUT=" + Ctx.TmpOut + "/.tmp_$$$$", "KLP_ENV_OUT=" + Out, "klp-print-env"},
                 Ctx.Root, CleanEnv);
  std::ifstream In(Out, std::ios::binary);
  std::stringstream S;
  S << In.rdbuf();
  std::filesystem::remove(Out);
  if (R.ExitCode != 0 || S.str().empty())
    throw Error("kernel tree " + Ctx.Root + ": cannot read kbuild's environment (make exited " +
                std::to_string(R.ExitCode) + "): " + R.Err.substr(0, 2000));
  // Make's own bookkeeping and our command-line variables are not part of what a sub-make
  // inherits from the tree; we pass the command-line variables again ourselves.
  static const std::set<std::string> Skip = {
      "MAKEFLAGS",    "MFLAGS",      "MAKELEVEL", "MAKEOVERRIDES",   "MAKE_TERMOUT",
      "MAKE_TERMERR", "KLP_ENV_OUT", "TMPOUT",    "may-sync-config", "LC_ALL"};
  Ctx.Env.clear();
  std::string All = S.str();
  size_t Pos = 0;
  while (Pos < All.size()) {
    size_t End = All.find('\0', Pos);
    if (End == std::string::npos)
      End = All.size();
    std::string Entry = All.substr(Pos, End - Pos);
    Pos = End + 1;
    size_t Eq = Entry.find('=');
    if (Eq == std::string::npos || Skip.count(Entry.substr(0, Eq)))
      continue;
    Ctx.Env.emplace_back(Entry.substr(0, Eq), Entry.substr(Eq + 1));
  }
  // `make` (all) builds modules as well; the capture ran for a goal that does not.
  for (auto &[K, V] : Ctx.Env)
    if (K == "KBUILD_MODULES")
      V = "1";
  if (Ctx.env("KBUILD_CFLAGS").empty() || Ctx.env("LINUXINCLUDE").empty())
    throw Error("kernel tree " + Ctx.Root +
                ": kbuild's environment has no KBUILD_CFLAGS/LINUXINCLUDE; is it a kernel tree?");
}

} // namespace klp
