// Asking kbuild itself, read-only. Every question is a `make -n` run from the tree root with
// the environment the top-level Makefile exports to its sub-makes, captured once per tree by a
// private makefile outside the tree. Writes the tree would otherwise get are redirected or
// disabled on the command line: TMPOUT (cc-option probes) points into the cache, `obj-dirs=`
// stops Makefile.build's mkdir, `may-sync-config=` stops syncconfig.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace klp {

class TreeCache;

struct KbuildContext {
  std::string Root;   // absolute tree root (make runs here)
  std::string CC;     // the compiler the tree was configured with, as kbuild's CC ("gcc-12")
  std::string MkDir;  // our private makefiles (in the cache)
  std::string TmpOut; // directory for kbuild's cc-option probes (in the cache)
  std::vector<std::pair<std::string, std::string>> Env; // exported by the top-level Makefile
  std::string env(const std::string &Name) const;
};

// Runs the top-level Makefile with a private makefile whose recipe dumps the exported
// environment and fills Ctx.Env. Writes our private makefiles into Ctx.MkDir first; with
// MakefilesOnly (Ctx.Env restored from the cache) that is all it does.
void captureKbuildEnv(KbuildContext &Ctx, bool MakefilesOnly = false);

// What a directory's parent hands down when it descends into it (Makefile.build's
// `$(MAKE) $(build)=$@ need-builtin=... need-modorder=...` with the exported KBUILD_*FLAGS,
// which the parent extended by its subdir-ccflags-y and friends).
struct DirEnv {
  std::string Cflags, Aflags, Rustflags;
  bool NeedBuiltin = true, NeedModorder = true;
};
DirEnv rootDirEnv(const KbuildContext &Ctx);

// One directory as scripts/Makefile.build + scripts/Makefile.lib see it. Paths are
// tree-relative (kbuild's own spelling: "fs/proc/cmdline.o", subdirectories "fs/proc").
struct DirEval {
  std::string Dir; // "." for the root
  bool NeedBuiltin = true, NeedModorder = true;
  std::vector<std::string> RealObjY, RealObjM, LibY, ObjM, SubdirYm;
  std::map<std::string, std::vector<std::string>> MultiY, MultiM; // composite -> its parts
  std::map<std::string, std::string> ObjCflags;                   // object -> CFLAGS_<object>
  std::string CFlags; // $(c_flags) of the directory, without per-object parts
  std::string ChildCflags, ChildAflags, ChildRustflags; // KBUILD_*FLAGS for subdirectories
  std::string Text; // the raw evaluation (what the cache stores)

  DirEnv childEnv(const std::string &Subdir) const;
};
DirEval evaluateDir(const KbuildContext &Ctx, const std::string &Dir, const DirEnv &Env);
DirEval parseDirEval(const std::string &Dir, const std::string &Text);

// The argv and environment of `make -n -f ./scripts/Makefile.build obj=Dir ...` (plus our
// print makefile when WithPrint) for the given goals.
std::vector<std::string> buildMakeArgv(const KbuildContext &Ctx, const std::string &Dir,
                                       const DirEnv &Env, bool WithPrint,
                                       const std::vector<std::string> &Goals);
std::vector<std::string> buildMakeEnv(const KbuildContext &Ctx, const DirEnv &Env);

// The compile command kbuild prints for Object (owned by directory Dir) as an argv.
// Throws klp::Error when make fails or prints no compile command for it.
std::vector<std::string> kbuildCompileArgv(const KbuildContext &Ctx, const std::string &Dir,
                                           const DirEnv &Env, const std::string &Object,
                                           const std::string &Source);

// The compile command in a `make -n` listing or a .o.cmd line: the simple command ending in
// "-c -o Object Source". Empty when there is none.
std::vector<std::string> findCompileArgv(const std::string &Listing, const std::string &Object,
                                         const std::string &Source);

// The compile command recorded in a .o.cmd file kbuild wrote when the tree was built, or empty.
std::vector<std::string> parseDotCmd(const std::string &Text, const std::string &Object,
                                     const std::string &Source);

} // namespace klp
