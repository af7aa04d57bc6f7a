// Evaluating one kbuild directory: scripts/Makefile.build reads the directory's Kbuild or
// Makefile with Makefile.lib, and our print makefile dumps the resulting lists.
#include "makefile_query.h"

#include "klp/error.h"
#include "run_process.h"

#include <algorithm>
#include <sstream>

namespace klp {
namespace {

std::vector<std::string> words(const std::string &S) {
  std::vector<std::string> R;
  std::istringstream In(S);
  for (std::string W; In >> W;)
    R.push_back(W);
  return R;
}

bool contains(const std::vector<std::string> &V, const std::string &X) {
  return std::find(V.begin(), V.end(), X) != V.end();
}

} // namespace

DirEnv rootDirEnv(const KbuildContext &Ctx) {
  return {Ctx.env("KBUILD_CFLAGS"), Ctx.env("KBUILD_AFLAGS"), Ctx.env("KBUILD_RUSTFLAGS"), true,
          true};
}

DirEnv DirEval::childEnv(const std::string &Subdir) const {
  return {ChildCflags, ChildAflags, ChildRustflags, contains(RealObjY, Subdir + "/built-in.a"),
          contains(ObjM, Subdir + "/modules.order")};
}

std::vector<std::string> buildMakeArgv(const KbuildContext &Ctx, const std::string &Dir,
                                       const DirEnv &Env, bool WithPrint,
                                       const std::vector<std::string> &Goals) {
  std::vector<std::string> A = {
      "make", "-rR", "-n", "--no-print-directory", "-f", "./scripts/Makefile.build"};
  if (WithPrint) {
    A.push_back("-f");
    A.push_back(Ctx.MkDir + "/klp-print.mk");
  }
  A.push_back("obj=" + Dir);
  A.push_back(std::string("need-builtin=") + (Env.NeedBuiltin ? "1" : ""));
  A.push_back(std::string("need-modorder=") + (Env.NeedModorder ? "1" : ""));
  A.push_back("CC=" + Ctx.CC);
  A.push_back("TMPOUT=" + Ctx.TmpOut + "/.tmp_$$$$");
  A.push_back("obj-dirs=");
  // An object in a subdirectory the directory also descends into (drivers/gpu/drm lists
  // bridge/panel.o for drm_kms_helper) would be handed to that subdirectory's make as a
  // "single target", compiled there with the wrong module name. The owner is ours to choose.
  A.push_back("single-subdirs=");
  A.insert(A.end(), Goals.begin(), Goals.end());
  return A;
}

std::vector<std::string> buildMakeEnv(const KbuildContext &Ctx, const DirEnv &Env) {
  std::vector<std::string> E;
  for (const auto &[K, V] : Ctx.Env) {
    if (K == "KBUILD_CFLAGS")
      E.push_back(K + "=" + Env.Cflags);
    else if (K == "KBUILD_AFLAGS")
      E.push_back(K + "=" + Env.Aflags);
    else if (K == "KBUILD_RUSTFLAGS")
      E.push_back(K + "=" + Env.Rustflags);
    else
      E.push_back(K + "=" + V);
  }
  return E;
}

DirEval evaluateDir(const KbuildContext &Ctx, const std::string &Dir, const DirEnv &Env) {
  ProcessResult R = runProcess(buildMakeArgv(Ctx, Dir, Env, true, {"klp-print"}), Ctx.Root,
                               buildMakeEnv(Ctx, Env));
  if (R.ExitCode != 0)
    throw Error("kernel tree " + Ctx.Root + ": kbuild cannot evaluate directory " + Dir +
                " (make exited " + std::to_string(R.ExitCode) + "): " + R.Err.substr(0, 2000));
  std::string Text = std::string("klp:need-builtin=") + (Env.NeedBuiltin ? "1" : "") +
                     "\nklp:need-modorder=" + (Env.NeedModorder ? "1" : "") + "\n";
  std::istringstream In(R.Out);
  for (std::string Line; std::getline(In, Line);)
    if (Line.starts_with("klp:"))
      Text += Line + "\n";
  return parseDirEval(Dir, Text);
}

DirEval parseDirEval(const std::string &Dir, const std::string &Text) {
  DirEval D;
  D.Dir = Dir;
  D.Text = Text;
  std::istringstream In(Text);
  for (std::string Line; std::getline(In, Line);) {
    if (!Line.starts_with("klp:"))
      continue;
    size_t Eq = Line.find('=');
    if (Eq == std::string::npos)
      continue;
    std::string Key = Line.substr(4, Eq - 4), Value = Line.substr(Eq + 1);
    if (Key == "need-builtin")
      D.NeedBuiltin = !Value.empty();
    else if (Key == "need-modorder")
      D.NeedModorder = !Value.empty();
    else if (Key == "real-obj-y")
      D.RealObjY = words(Value);
    else if (Key == "real-obj-m")
      D.RealObjM = words(Value);
    else if (Key == "lib-y")
      D.LibY = words(Value);
    else if (Key == "obj-m")
      D.ObjM = words(Value);
    else if (Key == "subdir-ym")
      D.SubdirYm = words(Value);
    else if (Key.starts_with("multi-y:"))
      D.MultiY[Key.substr(8)] = words(Value);
    else if (Key.starts_with("multi-m:"))
      D.MultiM[Key.substr(8)] = words(Value);
    else if (Key.starts_with("cflags:"))
      D.ObjCflags[Key.substr(7)] = Value;
    else if (Key == "c_flags")
      D.CFlags = Value;
    else if (Key == "KBUILD_CFLAGS")
      D.ChildCflags = Value;
    else if (Key == "KBUILD_AFLAGS")
      D.ChildAflags = Value;
    else if (Key == "KBUILD_RUSTFLAGS")
      D.ChildRustflags = Value;
  }
  return D;
}

} // namespace klp
